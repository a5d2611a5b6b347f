#!/usr/bin/env python3
"""The fleet benchmark (scripts/bench-fleet.sh runs it): N Direct PUT streams
on moto_server, encrypted by this tool in one run against the AWS CLI loop
people write today (list-delivery-streams, then one
start-delivery-stream-encryption per stream), side by side.

    bench_fleet.py TOOL AWS ROUNDS N

TOOL is this tool's release binary; AWS is the AWS CLI command (`aws2`,
`aws`) or "" to leave the loop out. Everything goes to $MOTO_ENDPOINT (a
loopback URL) in the region $AWS_REGION, with the environment the caller
scrubbed.

Wall time: median of ROUNDS interleaved runs, each on freshly unencrypted
streams ("first run") and again on the encrypted ones ("second run").
Calls: each command once more, through a counting proxy on 127.0.0.1 that
forwards to moto and tallies the X-Amz-Target of every request; timed runs
do not go through it.
"""

import contextlib
import http.client
import io
import http.server
import ipaddress
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_stream  # noqa: E402  (scripts/moto_stream.py)

ENDPOINT = os.environ["MOTO_ENDPOINT"]
REGION = os.environ.get("AWS_REGION", "ap-southeast-2")
PREFIX = "bench-fleet-"


def loopback(url):
    host = urllib.parse.urlsplit(url).hostname
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        sys.exit(f"bench_fleet.py: {url} is not a loopback URL")


def firehose():
    return boto3.session.Session(region_name=REGION).client("firehose", endpoint_url=ENDPOINT)


def setup(n):
    """N unencrypted Direct PUT streams, made as moto_stream.py makes them
    (a complete destination). moto answers StopDeliveryStreamEncryption with
    a 500, so a reset deletes the streams and makes them again."""
    client = firehose()
    existing = set(client.list_delivery_streams(Limit=10000)["DeliveryStreamNames"])
    for name in existing:
        if name.startswith(PREFIX):
            client.delete_delivery_stream(DeliveryStreamName=name, AllowForceDelete=True)
    with contextlib.redirect_stdout(io.StringIO()):
        for i in range(n):
            moto_stream.create(ENDPOINT, f"{PREFIX}{i:02}", "DirectPut")


def reset(n):
    """Make every stream unencrypted again."""
    setup(n)


def encrypted(n):
    client = firehose()
    done = 0
    for i in range(n):
        d = client.describe_delivery_stream(DeliveryStreamName=f"{PREFIX}{i:02}")
        enc = d["DeliveryStreamDescription"].get("DeliveryStreamEncryptionConfiguration", {})
        done += enc.get("Status") == "ENABLED"
    return done


def tool_command(tool, endpoint):
    return [tool, "--endpoint-url", endpoint, "--all-delivery-streams",
            "--delivery-stream-encryption-configuration-input", "KeyType=AWS_OWNED_CMK",
            "--output", "off"]


def loop_command(aws, endpoint):
    script = (
        f'for n in $({aws} firehose list-delivery-streams --endpoint-url {endpoint} --limit 10000 '
        f'--query DeliveryStreamNames --output text); do '
        f'{aws} firehose start-delivery-stream-encryption --endpoint-url {endpoint} '
        f'--delivery-stream-name "$n" '
        f'--delivery-stream-encryption-configuration-input KeyType=AWS_OWNED_CMK || exit 1; done'
    )
    return ["bash", "-c", script]


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


class Counting(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.counts = Counter()
        self.lock = threading.Lock()
        upstream = urllib.parse.urlsplit(ENDPOINT)
        self.upstream = (upstream.hostname, upstream.port)
        super().__init__(("127.0.0.1", 0), Forward)


class Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        with self.server.lock:
            self.server.counts[self.headers.get("x-amz-target", "?").split(".")[-1]] += 1
        conn = http.client.HTTPConnection(*self.server.upstream)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        conn.request("POST", self.path, body, headers)
        reply = conn.getresponse()
        data = reply.read()
        self.send_response(reply.status)
        for k, v in reply.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    def log_message(self, *args):
        pass


def counted(make_command):
    proxy = Counting()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{proxy.server_address[1]}"
    subprocess.run(make_command(url), check=True, stdout=subprocess.DEVNULL)
    proxy.shutdown()
    return proxy.counts


def calls_text(counts):
    total = sum(counts.values())
    parts = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return f"{total} ({parts})"


def main():
    tool, aws, rounds, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    loopback(ENDPOINT)
    setup(n)
    runs = {"tool": (lambda e: tool_command(tool, e))}
    if aws:
        runs["loop"] = lambda e: loop_command(aws, e)
    first = {k: [] for k in runs}
    second = {k: [] for k in runs}
    for _ in range(rounds):
        for name, make in runs.items():
            reset(n)
            first[name].append(timed(make(ENDPOINT)))
            assert encrypted(n) == n, f"{name} left streams unencrypted"
            second[name].append(timed(make(ENDPOINT)))
    print(f"{n} Direct PUT streams on moto_server, {rounds} interleaved rounds (median wall time):")
    for label, times in (("first run (all unencrypted)", first), ("second run (all encrypted)", second)):
        line = ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in times.items())
        print(f"  {label}: {line}")
        if aws:
            ratio = statistics.median(times["loop"]) / statistics.median(times["tool"])
            print(f"    loop/tool = {ratio:.1f}x")
    print("calls spent (counted by a proxy in front of moto):")
    for name, make in runs.items():
        reset(n)
        print(f"  {name}, first run:  {calls_text(counted(make))}")
        print(f"  {name}, second run: {calls_text(counted(make))}")


if __name__ == "__main__":
    main()
