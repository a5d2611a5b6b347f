"""scripts/rate_limit_proxy.py as scripts/bench-fleet.sh's paced and org parts run it.

    proxy = RateLimitProxy(upstream, counts_file, {"Firehose_20150804.ListDeliveryStreams": 5})
    try:
        proxy.control("POST", "/__reset")
        ...
    finally:
        proxy.stop()

Loopback only: the upstream must be a loopback URL, the proxy listens on
127.0.0.1, and its control requests bypass any HTTP proxy of the environment.
"""

import ipaddress
import json
import subprocess
import sys
import urllib.parse
import urllib.request

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def require_loopback(url):
    """Exit the benchmark unless `url` is a loopback URL."""
    host = urllib.parse.urlsplit(url).hostname
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        sys.exit(f"bench-fleet: {url} is not a loopback URL")


def span(values, fmt="{}"):
    """`lo-hi` of `values`, or the one value when they are all the same."""
    lo, hi = min(values), max(values)
    return fmt.format(lo) if lo == hi else f"{fmt.format(lo)}-{fmt.format(hi)}"


class RateLimitProxy:
    """scripts/rate_limit_proxy.py in front of `upstream`, enforcing `rates`
    ({X-Amz-Target: calls a second}), writing its counts to `counts_file` when
    stopped. `url` is where the clients send their calls."""

    def __init__(self, upstream, counts_file, rates):
        require_loopback(upstream)
        rate_args = []
        for target, rate in rates.items():
            rate_args += ["--rate", f"{target}={rate}"]
        self.process = subprocess.Popen(
            [sys.executable, "scripts/rate_limit_proxy.py", "--upstream", upstream,
             "--counts-file", counts_file] + rate_args,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{int(self.process.stdout.readline())}"
        print(f"rate-limiting proxy (pid {self.process.pid}) on {self.url}, in front of {upstream}",
              file=sys.stderr)

    def control(self, method, path):
        """A control request (`/__reset`, `/__counts`, `/__log`, ...): its JSON answer."""
        req = urllib.request.Request(self.url + path, method=method,
                                     data=b"" if method == "POST" else None)
        with _opener.open(req, timeout=30) as reply:
            return json.loads(reply.read().decode())

    def stop(self):
        """Stop the proxy (it writes its counts file), killing it after 10 s."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
