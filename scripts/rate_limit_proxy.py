#!/usr/bin/env python3
"""A loopback rate-limiting proxy that enforces the AWS control-plane limits
of Firehose and Kinesis in front of a local emulator (moto_server).

    rate_limit_proxy.py --upstream http://127.0.0.1:PORT \
        [--rate TARGET=N ...] [--port 0] [--counts-file PATH]

Every request is keyed by its operation: the X-Amz-Target header (e.g.
Firehose_20150804.DescribeDeliveryStream), or, for the Smithy RPC v2
protocol, the path /service/<Service>/operation/<Operation> (as
<Service>.<Operation>), or, for the query protocol (STS), STS.<Action>. The
limit belongs to an account in a region, as the services enforce it: an
operation given a rate with --rate has a token bucket per (access key id of
the request's SigV4 Authorization header, region of its credential scope,
operation), so each account-region is limited on its own. A bucket holds N
tokens, is refilled at N tokens a second and is full when first used (and
after a reset): a request that finds a token is forwarded to the upstream,
one that finds none is answered at once, as the service would:

    HTTP 400, {"__type": "ThrottlingException",
               "message": "Please slow down. Max limit of N RPS has breached"}
              for Firehose_20150804.* targets;
    HTTP 400, {"__type": "LimitExceededException", "message": "Rate exceeded"}
              for Kinesis_20131202.* targets (and any other).

Operations without a rate (STS, Organizations, Account, and any other) are
forwarded unlimited, and counted. A request without a SigV4 Authorization
header shares the bucket of access key "-" and region "-". Requests are taken
in the order they arrive (one lock around the buckets), timed on the
monotonic clock when their headers and body have been read.

Latency: every socket has TCP_NODELAY and every response (status line,
headers and body) is written in one write, so that no reply waits for a
delayed ACK (Nagle's algorithm against a client's delayed ACKs costs up to
40 ms a call on Linux when a reply is written in two pieces).

Control endpoints (never forwarded, never counted):
    GET  /__counts  {"<target>": {"Forwarded": n, "Throttled": m}, ...}
                    every account and region together
    GET  /__buckets [{"AccessKeyId", "Region", "Target", "Forwarded",
                      "Throttled"}, ...]  per bucket (and per key, region and
                    operation for the unlimited ones), sorted
    GET  /__total   {"Forwarded": n, "Throttled": m}  all requests
    GET  /__log     [[t, "<target>", "forwarded"|"throttled", tokens_after], ...]
                    t in seconds since the last reset; tokens_after is what the
                    bucket held after the request (null when unlimited)
    GET  /__log?keyed=1  the same, each entry followed by the bucket's
                    "<access key id>", "<region>"
    POST /__reset   zero the counts and the log, and fill every bucket again
On SIGTERM or SIGINT the counts, the buckets and the log are written to
--counts-file as {"Counts": ..., "Buckets": ..., "Total": ..., "Log": ...}
when one was given, then the proxy exits 0.

The first line on stdout is the port listened on (127.0.0.1 only). The
upstream must be a loopback URL: this proxy never talks to anything else.
Standard library only.
"""

import argparse
import http.client
import http.server
import ipaddress
import json
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse

PROG = "rate_limit_proxy.py"
# Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded in either direction.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection",
}


def loopback_url(url):
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "http" or not host:
        raise SystemExit(f"{PROG}: --upstream must be an http:// URL, got {url!r}")
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise SystemExit(f"{PROG}: refusing upstream {url!r}: loopback only")
    return host, parts.port or 80


def parse_rate(text):
    target, sep, rate = text.partition("=")
    try:
        value = float(rate)
    except ValueError:
        value = 0.0
    if not sep or not target or value <= 0:
        raise argparse.ArgumentTypeError(f"expected TARGET=N (N > 0), got {text!r}")
    return target, value


class Limits:
    """The buckets, the counts and the log, behind one lock."""

    def __init__(self, rates):
        self.rates = dict(rates)
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            # (access key id, region, target) -> [tokens, last refill];
            # made full on a key's first request.
            self.buckets = {}
            self.counts = {}  # (access key id, region, target) -> [forwarded, throttled]
            self.log = []
            self.epoch = time.monotonic()

    def admit(self, key_id, region, target):
        """Take a token from the bucket of (key_id, region, target); True
        when the request may go on."""
        with self.lock:
            now = time.monotonic()
            rate = self.rates.get(target)
            key = (key_id, region, target)
            tokens = None
            allowed = True
            if rate is not None:
                bucket = self.buckets.setdefault(key, [rate, now])
                bucket[0] = min(rate, bucket[0] + (now - bucket[1]) * rate)
                bucket[1] = now
                if bucket[0] >= 1.0:
                    bucket[0] -= 1.0
                else:
                    allowed = False
                tokens = round(bucket[0], 3)
            self.counts.setdefault(key, [0, 0])[0 if allowed else 1] += 1
            self.log.append([round(now - self.epoch, 4), target,
                             "forwarded" if allowed else "throttled", tokens, key_id, region])
            return allowed

    def snapshot(self):
        with self.lock:
            by_target, total = {}, {"Forwarded": 0, "Throttled": 0}
            buckets = []
            for (key_id, region, target), (forwarded, throttled) in sorted(self.counts.items()):
                count = by_target.setdefault(target, {"Forwarded": 0, "Throttled": 0})
                count["Forwarded"] += forwarded
                count["Throttled"] += throttled
                total["Forwarded"] += forwarded
                total["Throttled"] += throttled
                buckets.append({"AccessKeyId": key_id, "Region": region, "Target": target,
                                "Forwarded": forwarded, "Throttled": throttled})
            return {"Counts": by_target, "Buckets": buckets, "Total": total,
                    "Log": [list(e) for e in self.log]}


# Credential=AKID/20261205/eu-west-1/firehose/aws4_request
CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[0-9]{8}/([^/,\s]+)/")


def scope_of(handler):
    """(access key id, region) of the request's SigV4 Authorization header."""
    found = CREDENTIAL.search(handler.headers.get("Authorization") or "")
    return (found.group(1), found.group(2)) if found else ("-", "-")


def target_of(handler, body):
    target = handler.headers.get("X-Amz-Target")
    if target:
        return target.strip()
    parts = urllib.parse.urlsplit(handler.path).path.split("/")
    # /service/<Service>/operation/<Operation>
    if len(parts) >= 5 and parts[1] == "service" and parts[3] == "operation":
        return f"{parts[2]}.{parts[4]}"
    # The query protocol (STS): Action=<Operation> in the form body.
    if "x-www-form-urlencoded" in (handler.headers.get("Content-Type") or ""):
        action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action")
        if action:
            return f"STS.{action[0]}"
    return "?"


def throttle_body(target, rate):
    if target.startswith("Firehose_"):
        shown = int(rate) if float(rate).is_integer() else rate
        return {"__type": "ThrottlingException",
                "message": f"Please slow down. Max limit of {shown} RPS has breached"}
    return {"__type": "LimitExceededException", "message": "Rate exceeded"}


def make_handler(limits, upstream):
    local = threading.local()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs expect

        def setup(self):
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format, *args):  # quiet
            pass

        def reply(self, status, body, headers=()):
            # send_response and send_header only buffer: the status line, the
            # headers and the body leave in one write.
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self._headers_buffer.append(b"\r\n")
            if self.command != "HEAD":
                self._headers_buffer.append(body)
            self.flush_headers()

        def reply_json(self, status, doc, content_type="application/json"):
            body = json.dumps(doc).encode()
            self.reply(status, body, [("Content-Type", content_type),
                                      ("x-amzn-RequestId", "rate-limit-proxy")])

        def read_body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def control(self):
            path = urllib.parse.urlsplit(self.path).path
            if self.command == "GET" and path == "/__counts":
                self.reply_json(200, limits.snapshot()["Counts"])
            elif self.command == "GET" and path == "/__buckets":
                self.reply_json(200, limits.snapshot()["Buckets"])
            elif self.command == "GET" and path == "/__total":
                self.reply_json(200, limits.snapshot()["Total"])
            elif self.command == "GET" and path == "/__log":
                log = limits.snapshot()["Log"]
                if "keyed=1" not in urllib.parse.urlsplit(self.path).query:
                    log = [e[:4] for e in log]
                self.reply_json(200, log)
            elif self.command == "POST" and path == "/__reset":
                self.read_body()
                limits.reset()
                self.reply_json(200, {})
            else:
                return False
            return True

        def forward(self, body):
            conn = getattr(local, "conn", None)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            for attempt in (1, 2):
                if conn is None:
                    conn = http.client.HTTPConnection(*upstream, timeout=60)
                    conn.connect()
                    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    local.conn = conn
                try:
                    conn.request(self.command, self.path, body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    return response.status, response.getheaders(), data
                except (http.client.HTTPException, OSError):
                    # A kept-alive connection the upstream closed: once more.
                    conn.close()
                    conn = local.conn = None
                    if attempt == 2:
                        raise

        def handle_any(self):
            if self.path.startswith("/__") and self.control():
                return
            body = self.read_body()
            target = target_of(self, body)
            if not limits.admit(*scope_of(self), target):
                self.reply_json(400, throttle_body(target, limits.rates[target]),
                                self.headers.get("Content-Type") or "application/x-amz-json-1.1")
                return
            try:
                status, headers, data = self.forward(body)
            except (http.client.HTTPException, OSError) as error:
                self.reply_json(502, {"__type": "ProxyError", "message": str(error)})
                return
            # send_response() writes its own Server and Date headers.
            kept = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP
                    and k.lower() not in ("content-length", "server", "date")]
            self.reply(status, data, kept)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any

    return Handler


def main(argv=None):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="loopback URL of the emulator")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--rate", type=parse_rate, action="append", default=[],
                        metavar="TARGET=N", help="token bucket of N a second for TARGET")
    parser.add_argument("--counts-file", help="where to write counts and log on SIGTERM")
    args = parser.parse_args(argv)

    upstream = loopback_url(args.upstream)
    limits = Limits(args.rate)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                             make_handler(limits, upstream))
    server.daemon_threads = True

    def stop(signum, frame):
        if args.counts_file:
            with open(args.counts_file, "w") as out:
                json.dump(limits.snapshot(), out)
        # shutdown() waits for serve_forever: run it off the main thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
