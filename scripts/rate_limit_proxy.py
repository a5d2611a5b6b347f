#!/usr/bin/env python3
"""A loopback rate-limiting proxy that enforces the AWS control-plane limits
of Firehose and Kinesis in front of a local emulator (moto_server).

    rate_limit_proxy.py --upstream http://127.0.0.1:PORT \
        [--rate TARGET=N ...] [--port 0] [--counts-file PATH]

Every request is keyed by its operation: the X-Amz-Target header (e.g.
Firehose_20150804.DescribeDeliveryStream), or, for the Smithy RPC v2
protocol, the path /service/<Service>/operation/<Operation> (as
<Service>.<Operation>). An operation given a rate with --rate has a token
bucket of capacity N, refilled at N tokens a second and full at the start,
as the services enforce it: a request that finds a token is forwarded to the
upstream, one that finds none is answered at once, as the service would:

    HTTP 400, {"__type": "ThrottlingException",
               "message": "Please slow down. Max limit of N RPS has breached"}
              for Firehose_20150804.* targets;
    HTTP 400, {"__type": "LimitExceededException", "message": "Rate exceeded"}
              for Kinesis_20131202.* targets (and any other).

Operations without a rate are forwarded unlimited. Requests are taken in the
order they arrive (one lock around the buckets), timed on the monotonic
clock when their headers have been read.

Control endpoints (never forwarded, never counted):
    GET  /__counts  {"<target>": {"Forwarded": n, "Throttled": m}, ...}
    GET  /__log     [[t, "<target>", "forwarded"|"throttled", tokens_after], ...]
                    t in seconds since the last reset; tokens_after is what the
                    bucket held after the request (null when unlimited)
    POST /__reset   zero the counts and the log, and fill every bucket again
On SIGTERM or SIGINT the counts (and the log) are written to --counts-file
as {"Counts": ..., "Log": ...} when one was given, then the proxy exits 0.

The first line on stdout is the port listened on (127.0.0.1 only). The
upstream must be a loopback URL: this proxy never talks to anything else.
Standard library only.
"""

import argparse
import http.client
import http.server
import ipaddress
import json
import signal
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
            now = time.monotonic()
            self.buckets = {t: [r, now] for t, r in self.rates.items()}
            self.counts = {}
            self.log = []
            self.epoch = now

    def admit(self, target):
        """Take a token for `target`; True when the request may go on."""
        with self.lock:
            now = time.monotonic()
            rate = self.rates.get(target)
            tokens = None
            allowed = True
            if rate is not None:
                bucket = self.buckets[target]
                bucket[0] = min(rate, bucket[0] + (now - bucket[1]) * rate)
                bucket[1] = now
                if bucket[0] >= 1.0:
                    bucket[0] -= 1.0
                else:
                    allowed = False
                tokens = round(bucket[0], 3)
            count = self.counts.setdefault(target, {"Forwarded": 0, "Throttled": 0})
            count["Forwarded" if allowed else "Throttled"] += 1
            self.log.append([round(now - self.epoch, 4), target,
                             "forwarded" if allowed else "throttled", tokens])
            return allowed

    def snapshot(self):
        with self.lock:
            return {"Counts": json.loads(json.dumps(self.counts)),
                    "Log": [list(e) for e in self.log]}


def target_of(handler):
    target = handler.headers.get("X-Amz-Target")
    if target:
        return target.strip()
    parts = urllib.parse.urlsplit(handler.path).path.split("/")
    # /service/<Service>/operation/<Operation>
    if len(parts) >= 5 and parts[1] == "service" and parts[3] == "operation":
        return f"{parts[2]}.{parts[4]}"
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

        def log_message(self, format, *args):  # quiet
            pass

        def reply(self, status, body, headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

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
            elif self.command == "GET" and path == "/__log":
                self.reply_json(200, limits.snapshot()["Log"])
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
            target = target_of(self)
            body = self.read_body()
            if not limits.admit(target):
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
