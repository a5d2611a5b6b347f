#!/usr/bin/env python3
"""A loopback fake Firehose control plane for fleets larger than moto holds.

Stdlib only. It answers the three calls fleet mode makes, with the shapes the
real service (and tests/common/account.rs, the Rust fake the tests use)
answers them:

  ListDeliveryStreams            names in order, paged: ExclusiveStartDeliveryStreamName,
                                 Limit (default 10, at most --page-size), HasMoreDeliveryStreams
  DescribeDeliveryStream         a Direct PUT stream, ACTIVE, with its
                                 DeliveryStreamEncryptionConfiguration once started
  StartDeliveryStreamEncryption  records {KeyType, KeyARN?, Status: ENABLED}

for --streams N streams named fleet-00000, fleet-00001, ... There is no rate
limit and no delay. The streams are split, in name order and in equal blocks,
among --regions (the region a request is signed for, read from its
Authorization header's credential scope); a region not listed has none.

It binds 127.0.0.1 (or another loopback address: any other is refused), port
--port (0: a free one), and prints the port it listens on, one line, on stdout.

Besides the API (POST /, X-Amz-Target), plain HTTP for the caller's checks:
  GET  /fake/state   {"streams": N, "encrypted": n, "calls": {operation: count}}
  POST /fake/reset   every stream unencrypted again, the counts zeroed

  python3 scripts/fleet_fake.py --streams 10000 [--regions us-east-1] [--page-size 10000]
"""
import argparse
import ipaddress
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT = "123456789012"
PREFIX = "Firehose_20150804."
LIST, DESCRIBE, START = "ListDeliveryStreams", "DescribeDeliveryStream", "StartDeliveryStreamEncryption"


class Fleet:
    """The streams of each region, and what was asked of them."""

    def __init__(self, streams, regions, page_size):
        self.lock = threading.Lock()
        self.page_size = page_size
        width = max(5, len(str(streams - 1)))
        names = [f"fleet-{i:0{width}}" for i in range(streams)]
        per = -(-streams // len(regions)) if streams else 0
        # region -> sorted names; name -> (region, encryption or None)
        self.names = {r: names[k * per:(k + 1) * per] for k, r in enumerate(regions)}
        self.region_of = {n: r for r, ns in self.names.items() for n in ns}
        self.encryption = {}
        self.calls = {}

    def reset(self):
        with self.lock:
            self.encryption.clear()
            self.calls.clear()

    def state(self):
        with self.lock:
            return {"streams": len(self.region_of), "encrypted": len(self.encryption),
                    "calls": dict(self.calls)}

    def answer(self, operation, region, body):
        """(HTTP status, reply) for one API call."""
        with self.lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1
            name = body.get("DeliveryStreamName") or ""
            mine = self.region_of.get(name) == region

            def not_found():
                return error("ResourceNotFoundException",
                             f"Firehose {name} under account {ACCOUNT} not found.")

            if operation == LIST:
                after = body.get("ExclusiveStartDeliveryStreamName")
                limit = min(int(body.get("Limit") or 10), self.page_size)
                names = self.names.get(region, [])
                start = 0
                if after is not None:
                    # First name after `after`, in order (names are sorted).
                    lo, hi = 0, len(names)
                    while lo < hi:
                        mid = (lo + hi) // 2
                        if names[mid] <= after:
                            lo = mid + 1
                        else:
                            hi = mid
                    start = lo
                page = names[start:start + limit]
                return 200, {"DeliveryStreamNames": page,
                             "HasMoreDeliveryStreams": start + len(page) < len(names)}
            if operation == DESCRIBE:
                if not mine:
                    return not_found()
                d = {
                    "DeliveryStreamName": name,
                    "DeliveryStreamARN":
                        f"arn:aws:firehose:{region}:{ACCOUNT}:deliverystream/{name}",
                    "DeliveryStreamStatus": "ACTIVE",
                    "DeliveryStreamType": "DirectPut",
                    "VersionId": "1",
                    "Destinations": [],
                    "HasMoreDestinations": False,
                }
                if name in self.encryption:
                    d["DeliveryStreamEncryptionConfiguration"] = dict(self.encryption[name])
                return 200, {"DeliveryStreamDescription": d}
            if operation == START:
                if not mine:
                    return not_found()
                given = body.get("DeliveryStreamEncryptionConfigurationInput") or {}
                enc = {}
                if given.get("KeyARN"):
                    enc["KeyARN"] = given["KeyARN"]
                enc["KeyType"] = given.get("KeyType") or "AWS_OWNED_CMK"
                enc["Status"] = "ENABLED"
                self.encryption[name] = enc
                return 200, {}
            return error("UnknownOperationException", PREFIX + operation)


def error(code, message):
    return 400, {"__type": code, "message": message}


def region_of(authorization):
    """`... Credential=KEY/DATE/REGION/SERVICE/aws4_request, ...` -> REGION."""
    try:
        return authorization.split("Credential=", 1)[1].split("/")[2]
    except IndexError:
        return ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse their connections
    # Headers and body go out in two writes: without TCP_NODELAY the second
    # waits for the client's delayed ACK (40 ms a call).
    disable_nagle_algorithm = True
    fleet = None  # set by main

    def log_message(self, *args):  # quiet
        pass

    def reply(self, status, value, content_type="application/x-amz-json-1.1"):
        data = json.dumps(value, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return {}

    def do_GET(self):
        if self.path == "/fake/state":
            return self.reply(200, self.fleet.state(), "application/json")
        self.reply(404, {"message": "not found"}, "application/json")

    def do_POST(self):
        body = self.body()
        if self.path == "/fake/reset":
            self.fleet.reset()
            return self.reply(200, {}, "application/json")
        target = self.headers.get("X-Amz-Target") or ""
        if not target.startswith(PREFIX):
            return self.reply(*error("UnknownOperationException", target))
        region = region_of(self.headers.get("Authorization") or "")
        self.reply(*self.fleet.answer(target[len(PREFIX):], region, body))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--streams", type=int, default=10000)
    p.add_argument("--regions", default="us-east-1",
                   help="comma-separated; the streams are split among them")
    p.add_argument("--page-size", type=int, default=10000,
                   help="names a ListDeliveryStreams page holds at most (the API's Limit: 1-10000)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    a = p.parse_args()
    try:
        loopback = ipaddress.ip_address(a.host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        sys.exit(f"fleet_fake: {a.host} is not a loopback address: refused")
    if a.streams < 0 or not 1 <= a.page_size <= 10000:
        sys.exit("fleet_fake: --streams must be >= 0 and --page-size 1 to 10000")
    regions = [r.strip() for r in a.regions.split(",") if r.strip()]
    Handler.fleet = Fleet(a.streams, regions or ["us-east-1"], a.page_size)
    server = ThreadingHTTPServer((a.host, a.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
