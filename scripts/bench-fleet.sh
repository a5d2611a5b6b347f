#!/usr/bin/env bash
# Fleet benchmark: N = 50 Direct PUT delivery streams on moto_server (moto's
# cap for one region), in a region of their own (ap-southeast-2), encrypted
# with an AWS owned key by
#   - THIS TOOL: one `start-delivery-stream-encryption --all-delivery-streams
#     --delivery-stream-encryption-configuration-input KeyType=AWS_OWNED_CMK`
#     (default --max-concurrency);
#   - THE AWS CLI LOOP people write today (when the AWS CLI is installed):
#     `aws firehose list-delivery-streams --limit 10000`, then one
#     `aws firehose start-delivery-stream-encryption` per stream, in sequence.
# Each is timed on a fresh fleet (all streams unencrypted: "first run") and
# again right after on the same, now encrypted, fleet ("second run": the tool
# must send no start call at all, the loop sends 50 again). Rounds are
# interleaved (the order alternates from round to round); the streams are
# deleted and made again before every first run (moto answers
# StopDeliveryStreamEncryption with an error, so that is the only reset).
#
# Printed, side by side: the median wall time of each (with min-max), the
# ratio loop/tool, and the calls each spent, by operation.
#
# How calls are counted: on the moto side, by moto's own request recorder
# (/moto-api/recorder/*, written to a file of ours via MOTO_RECORDER_FILEPATH).
# Recording is switched on just before each timed command and off right after
# it (setup, resets and checks are never recorded), and every recorded request
# is tallied by its X-Amz-Target header (Firehose_20150804.<Operation>). So the
# calls shown are exactly the requests that reached moto during the runs that
# were timed, retries included; nothing sits between the clients and moto.
# The counts must be the same in every round; a range is printed if not.
# Recording costs moto about 0.4 ms per request (one JSON line appended to a
# file), the same per call for both: ~20-40 ms on the tool's 51-101 calls,
# nothing visible on the loop's 30 s: if anything, the ratio is understated.
#
# Checks (exit 1 when one fails): after every first run all N streams are
# ENABLED; the tool's JSON document lists the N streams, "Started" on the first
# run and "AlreadyEncrypted" on the second; the tool's second run spends 0
# StartDeliveryStreamEncryption calls.
#
# Safety: everything goes to moto_server on 127.0.0.1 (--endpoint-url on every
# command line, checked to be loopback); the environment is scrubbed
# (scrub_aws_env: fake keys, no inherited AWS_*), AWS_EC2_METADATA_DISABLED=true,
# and the AWS CLI reads no config or credentials file.
#
# The AWS CLI: ~/.local/bin/aws2 (v2), else `aws2`, else `aws` on PATH; with
# none, the loop column is left out and the tool's figures are still printed.
#
# THE PACED FIGURE (contract §11). A fleet run paces its calls at each
# service's documented control-plane rate, so on a real account its time has
# a floor the service sets, not the tool. To measure how close it comes,
# scripts/rate_limit_proxy.py (stdlib only, loopback only) sits between the
# tool and moto and enforces the services' limits as they do: a token bucket
# per operation (X-Amz-Target), capacity = rate, refilled at rate a second,
# full when each timed run starts; a call beyond it is answered HTTP 400
# ThrottlingException (Firehose) or LimitExceededException (Kinesis), not
# forwarded. In a region of its own (eu-west-2), each round times
#   - FIREHOSE: `start-delivery-stream-encryption --all-delivery-streams` on N
#     unencrypted Direct PUT streams, limits ListDeliveryStreams,
#     DescribeDeliveryStream, StartDeliveryStreamEncryption 5/s each;
#   - KINESIS: `start-stream-encryption --all-streams` on N unencrypted data
#     streams (1 shard), limits ListStreams 5/s, DescribeStreamSummary 20/s,
#     StartStreamEncryption 5/s;
# both with their defaults (AWS owned key / alias/aws/kinesis, default
# --max-concurrency and retries) through the proxy. Every round starts from
# unencrypted streams: each fleet is deleted and made again (directly on moto,
# not through the proxy) before its run.
# The floor is what the service's buckets allow at best: every operation's
# calls beyond the free burst (the bucket's capacity) at its rate, the slowest
# operation deciding: (N - 5)/5 = 9 s for N = 50 on both services (Firehose:
# 45 describes and 45 starts after the free first second, interleaved;
# Kinesis: the starts). Printed: the median wall time (min-max), the floor,
# time / floor, the calls the proxy refused (and, separately, the sum of the
# document's Calls.Throttled: the two must agree), and the calls by operation
# as the proxy saw them (forwarded + refused). Target: at most 1.15 x the
# floor, nothing throttled. The AWS CLI loop is not timed through the proxy:
# one `aws` process per call runs at ~2 calls a second, under every limit, so
# its time there is its time above.
# Checks (exit 1 when one fails): each run exits 0, its document lists the N
# streams as "Started", the proxy and the document count the same refusals and
# the document's Calls.Made is what the proxy saw of the describes and starts,
# and afterwards all N streams are encrypted. When a run is throttled, the
# refused calls (time since the run's first call, operation, the calls of that
# operation in the second before) are printed on stderr.
#
# THE MEMORY FIGURE (issue 21: at most 48 MiB for 10,000 streams). moto holds
# 50 streams a region, so scripts/fleet_fake.py (stdlib only, loopback only,
# no rate limit) stands in: 10,000 unencrypted Direct PUT streams, listed in
# pages of up to 10,000 names as Firehose does. Each round makes them all
# unencrypted again (POST /fake/reset) and runs, under GNU time (or, without
# it, wait4's own rusage: the same figure), the release binary's
#   start-delivery-stream-encryption --all-delivery-streams
#     --delivery-stream-encryption-configuration-input KeyType=AWS_OWNED_CMK
#     --output json            (stdout a file, not a terminal)
# and, side by side, ONE `aws firehose start-delivery-stream-encryption`
# against the same fake. The tool paces each account and region at 5 calls a
# second per operation and --max-rate only lowers that, so 10,000 streams in
# one region would take 2,000 s: the fake splits them among
# BENCH_FLEET_RSS_REGIONS (1-100, default 100) made-up regions (xx-bench-0, ...;
# only the signature names them, every call goes to the fake), given with
# --regions, 100 streams and about 20 s each, side by side in one run.
# Printed: the peak RSS of each (median of the rounds, min-max) in MiB, the
# ratio, and the tool's wall time. Checks (exit 1 when one fails): the tool
# exits 0, its document lists 10,000 streams, all "Started", and the fake saw
# all 10,000 encrypted; the AWS CLI call exits 0. Target: at most 48 MiB.
#
# THE ORGANIZATION FIGURE (contract §12, BENCH_FLEET_PARTS=org). On moto, the
# caller's account (123456789012) manages an organization with 2 member
# accounts (scripts/moto_org.py); each of the 3 accounts has, in each of 2
# regions of their own (eu-west-3, eu-north-1), 20 unencrypted Direct PUT
# streams: 6 targets, 120 streams. The proxy keeps a bucket per (access key
# id of the request's SigV4 Authorization, region of its credential scope,
# operation), so each account-region is limited on its own, as the service
# limits it (Firehose list, describe, start 5/s each); STS and Organizations
# calls pass unlimited. Each round, interleaved, from unencrypted streams
# (deleted and made again on moto before each first run):
#   - THIS TOOL: `start-delivery-stream-encryption --organization --regions
#     R1,R2 --all-delivery-streams --delivery-stream-encryption-configuration-input
#     KeyType=AWS_OWNED_CMK` (default --max-concurrency) through the proxy,
#     then a rerun on the now encrypted streams, which must spend 0 starts;
#   - THE AWS CLI LOOP (when installed), through the proxy too: account after
#     account, with that account's session credentials in its environment
#     (the management's own keys, the members' from sts:AssumeRole, obtained
#     before the timing starts), per region `list-delivery-streams` and one
#     `start-delivery-stream-encryption` per stream.
# The floor: targets run side by side, each paced on its own, so the run's
# floor is one target's, (20 - 5)/5 = 3 s. Printed: the median wall time
# (min-max) of each, time / floor, calls throttled (refused by the proxy),
# calls and starts as the proxy saw them, and loop / tool. Target: the tool
# at most 1.3 x the floor, 0 throttled. Checks (exit 1 when one fails):
# every run exits 0; the tool's documents list the 120 streams, "Started"
# then "AlreadyEncrypted"; after every first run all 120 streams are ENABLED;
# the rerun spends 0 StartDeliveryStreamEncryption calls.
#
# Usage: scripts/bench-fleet.sh [ROUNDS]   (default 3; about 10-12 minutes for all)
# Environment: BENCH_FLEET_PARTS=all (default) | loop (the tool against the AWS CLI loop,
# above) | paced (behind the proxy) | org (an organization behind the proxy) | rss (the
# memory figure), or a comma-separated list of them: which of the benchmarks to run;
# BENCH_FLEET_KEEP=DIR: keep each paced run's proxy log
# (every call, timed) and document there.
set -euo pipefail

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo_root"
source scripts/lib/moto.sh

rounds=${1:-3}
streams=50
parts=${BENCH_FLEET_PARTS:-all}
valid_parts=all,loop,paced,org,rss
parts_ok=1
IFS=, read -r -a wanted_parts <<<"$parts"
for p in "${wanted_parts[@]}"; do
    [[ ,$valid_parts, == *",$p,"* ]] || parts_ok=0
done
if ! [[ $rounds =~ ^[1-9][0-9]*$ ]] || [[ ${#wanted_parts[@]} -eq 0 || $parts_ok -eq 0 ]]; then
    echo "usage: [BENCH_FLEET_PARTS=all|loop|paced|org|rss[,...]] scripts/bench-fleet.sh [ROUNDS]" >&2
    exit 2
fi
# part NAME: whether BENCH_FLEET_PARTS asks for that benchmark.
part() {
    [[ ,$parts, == *,all,* || ,$parts, == *",$1,"* ]]
}
keep=${BENCH_FLEET_KEEP:-}
if [[ -n $keep ]]; then
    mkdir -p -- "$keep"
    keep=$(cd -- "$keep" && pwd)
fi

scrub_aws_env
# A region of its own; the AWS CLI reads no config or credentials file.
export AWS_REGION=ap-southeast-2 AWS_DEFAULT_REGION=ap-southeast-2
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-fleet.XXXXXX")
trap 'moto_lib_cleanup; rm -rf -- "$work"' EXIT
# moto_server (started below) records requests here once recording is on.
export MOTO_RECORDER_FILEPATH="$work/moto-recording.jsonl"
unset MOTO_ENABLE_RECORDING

echo "==> cargo build --release" >&2
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/start-delivery-stream-encryption"
kbin="${CARGO_TARGET_DIR:-target}/release/start-stream-encryption"

aws=""
if [[ -x "$HOME/.local/bin/aws2" ]]; then
    aws="$HOME/.local/bin/aws2"
elif command -v aws2 >/dev/null 2>&1; then
    aws=$(command -v aws2)
elif command -v aws >/dev/null 2>&1; then
    aws=$(command -v aws)
else
    echo "(the AWS CLI is not installed: the loop column is left out)" >&2
fi

status=0
if part loop || part paced || part org; then
echo "==> moto_server" >&2
moto_ensure_installed
moto_start
fi

if part loop; then
echo "==> $rounds interleaved rounds, $streams streams" >&2
python3 - "$bin" "$aws" "$rounds" "$streams" <<'PY' || status=$?
import contextlib
import io
import ipaddress
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter

sys.path.insert(0, "scripts")
import moto_stream  # scripts/moto_stream.py: streams made as the tests make them

TOOL, AWS, ROUNDS, N = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ENDPOINT = os.environ["MOTO_ENDPOINT"]
REGION = os.environ["AWS_REGION"]
PREFIX = "bench-fleet-"
START = "StartDeliveryStreamEncryption"
OPS = ["ListDeliveryStreams", "DescribeDeliveryStream", START]
OPS_SHORT = {"ListDeliveryStreams": "list", "DescribeDeliveryStream": "describe", START: "start"}

host = urllib.parse.urlsplit(ENDPOINT).hostname
if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
    sys.exit(f"bench-fleet: {ENDPOINT} is not a loopback URL")

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
failures = []


def recorder(action):
    """POST /moto-api/recorder/<action>-recording; GET for download."""
    method = "GET" if action == "download" else "POST"
    req = urllib.request.Request(f"{ENDPOINT}/moto-api/recorder/{action}-recording", method=method)
    with _opener.open(req, timeout=30) as reply:
        return reply.read().decode()


def firehose():
    import boto3
    return boto3.session.Session(region_name=REGION).client("firehose", endpoint_url=ENDPOINT)


def reset():
    """Delete every stream of the region, then make N unencrypted ones."""
    client = firehose()
    for name in client.list_delivery_streams(Limit=10000)["DeliveryStreamNames"]:
        client.delete_delivery_stream(DeliveryStreamName=name, AllowForceDelete=True)
    with contextlib.redirect_stdout(io.StringIO()):
        for i in range(N):
            moto_stream.create(ENDPOINT, f"{PREFIX}{i:02}", "DirectPut")


def enabled_count():
    client = firehose()
    done = 0
    for i in range(N):
        d = client.describe_delivery_stream(DeliveryStreamName=f"{PREFIX}{i:02}")
        enc = d["DeliveryStreamDescription"].get("DeliveryStreamEncryptionConfiguration") or {}
        done += enc.get("Status") == "ENABLED"
    return done


def tool_command():
    return [TOOL, "--endpoint-url", ENDPOINT, "--region", REGION, "--all-delivery-streams",
            "--delivery-stream-encryption-configuration-input", "KeyType=AWS_OWNED_CMK"]


LOOP = r'''
aws=$1 endpoint=$2 region=$3
names=$("$aws" firehose list-delivery-streams --endpoint-url "$endpoint" --region "$region" \
        --limit 10000 --query DeliveryStreamNames --output text) || exit 1
for n in $names; do
    "$aws" firehose start-delivery-stream-encryption --endpoint-url "$endpoint" --region "$region" \
        --delivery-stream-name "$n" \
        --delivery-stream-encryption-configuration-input KeyType=AWS_OWNED_CMK >/dev/null || exit 1
done
'''


def loop_command():
    return ["bash", "-c", LOOP, "aws-loop", AWS, ENDPOINT, REGION]


def run(command):
    """One timed, recorded run: (seconds, calls by operation, stdout)."""
    recorder("reset")
    recorder("start")
    start = time.perf_counter()
    done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    recorder("stop")
    if done.returncode != 0:
        sys.exit(f"bench-fleet: {command[0]} failed with exit {done.returncode}")
    calls = Counter()
    for line in recorder("download").splitlines():
        if line.strip():
            headers = {k.lower(): v for k, v in json.loads(line)["headers"].items()}
            calls[headers.get("x-amz-target", "?").rsplit(".", 1)[-1]] += 1
    return elapsed, calls, done.stdout


def check_document(stdout, action, label):
    try:
        entries = json.loads(stdout)["DeliveryStreams"]
    except (ValueError, KeyError, TypeError):
        failures.append(f"{label}: the tool's output is not a DeliveryStreams document")
        return
    actions = Counter(e.get("Action") for e in entries)
    if len(entries) != N or actions != Counter({action: N}):
        failures.append(f"{label}: expected {N} x {action}, got {dict(actions)}")


names = {"tool": "this tool", "loop": "AWS CLI loop"}
commands = {"tool": tool_command}
if AWS:
    commands["loop"] = loop_command

# Untimed warm-up (page cache, Python bytecode): a dry run of the tool and one
# list call of the AWS CLI, on a fleet already made.
reset()
# (--dry-run exits 1 when something would change, as here.)
if subprocess.run(tool_command() + ["--dry-run"], stdin=subprocess.DEVNULL,
                  stdout=subprocess.DEVNULL).returncode not in (0, 1):
    sys.exit("bench-fleet: the tool's warm-up dry run failed")
if AWS:
    subprocess.run([AWS, "firehose", "list-delivery-streams", "--endpoint-url", ENDPOINT,
                    "--region", REGION], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   check=True)

phases = ("first", "second")
times = {p: {k: [] for k in commands} for p in phases}
calls = {p: {k: [] for k in commands} for p in phases}
for r in range(ROUNDS):
    order = list(commands) if r % 2 == 0 else list(reversed(commands))
    for key in order:
        reset()
        for phase in phases:
            elapsed, counted, stdout = run(commands[key]())
            times[phase][key].append(elapsed)
            calls[phase][key].append(counted)
            label = f"round {r + 1}, {names[key]}, {phase} run"
            print(f"  {label}: {elapsed:.2f} s, {sum(counted.values())} calls", file=sys.stderr)
            if key == "tool":
                check_document(stdout, "Started" if phase == "first" else "AlreadyEncrypted", label)
            if phase == "first":
                enabled = enabled_count()
                if enabled != N:
                    failures.append(f"{label}: {N - enabled} streams left unencrypted")


def seconds(values):
    return (f"{statistics.median(values):7.2f} s  ({min(values):.2f}-{max(values):.2f})")


def count(values):
    lo, hi = min(values), max(values)
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def calls_cells(counters):
    totals = [sum(c.values()) for c in counters]
    cells = [f"{count(totals):>6}"]
    for op in OPS:
        cells.append(f"{count([c.get(op, 0) for c in counters]):>9}")
    others = [sum(v for k, v in c.items() if k not in OPS) for c in counters]
    cells.append(f"{count(others):>6}")
    return " ".join(cells)


print()
print(f"fleet: {N} Direct PUT streams on moto_server ({REGION}), AWS owned key, "
      f"{ROUNDS} interleaved rounds")
if AWS:
    version = subprocess.run([AWS, "--version"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True).stdout.strip()
    print(f"AWS CLI loop: {os.path.basename(AWS)} ({version.split()[0] if version else '?'}): "
          "list-delivery-streams, then one start-delivery-stream-encryption per stream")
else:
    print("AWS CLI loop: left out (no AWS CLI installed)")
print("calls: requests that reached moto during each timed run (moto's request recorder)")
print()
head = (f"{'':<30} {'wall time, median (min-max)':<28} {'calls':>6} "
        + " ".join(f"{OPS_SHORT[o]:>9}" for o in OPS) + f" {'other':>6}")
for phase, title in (("first", "first run (all unencrypted)"),
                     ("second", "second run (all already encrypted)")):
    print(title)
    print(head)
    for key in commands:
        print(f"  {names[key]:<28} {seconds(times[phase][key]):<28} "
              f"{calls_cells(calls[phase][key])}")
    if AWS:
        ratio = statistics.median(times[phase]["loop"]) / statistics.median(times[phase]["tool"])
        print(f"  {'ratio loop / tool':<28} {ratio:7.1f} x")
    print()

tool_starts = [c.get(START, 0) for c in calls["second"]["tool"]]
if any(tool_starts):
    failures.append(f"the tool's second run spent {max(tool_starts)} start calls (must be 0)")
print(f"check: this tool's second run spent {count(tool_starts)} {START} calls (must be 0): "
      + ("OK" if not any(tool_starts) else "FAILED"))
if AWS:
    print(f"       the AWS CLI loop's second run spent "
          f"{count([c.get(START, 0) for c in calls['second']['loop']])} again")
for failure in failures:
    print(f"FAILED: {failure}")
sys.exit(1 if failures else 0)
PY
fi

if part paced; then
echo "==> paced: $rounds rounds, $streams streams of each service, behind the rate-limiting proxy" >&2
python3 - "$bin" "$kbin" "$rounds" "$streams" "$work" "$keep" <<'PY' || status=$?
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter

sys.path.insert(0, "scripts")
import moto_stream  # scripts/moto_stream.py: streams made as the tests make them
from bench_proxy import RateLimitProxy, require_loopback, span

FIREHOSE_BIN, KINESIS_BIN, ROUNDS, N, WORK, KEEP = (
    sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
ENDPOINT = os.environ["MOTO_ENDPOINT"]
REGION = "eu-west-2"           # a region of its own, apart from the first part's fleet
EMPTY_REGION = "us-west-1"     # nothing in it: the untimed warm-up lists only
os.environ["AWS_REGION"] = os.environ["AWS_DEFAULT_REGION"] = REGION  # moto_stream's

require_loopback(ENDPOINT)

FH, KS = "Firehose_20150804.", "Kinesis_20131202."
SERVICES = {
    "firehose": {
        "title": "Firehose",
        "bin": FIREHOSE_BIN,
        "flags": ["--all-delivery-streams"],
        "document": "DeliveryStreams",
        "rates": {FH + "ListDeliveryStreams": 5, FH + "DescribeDeliveryStream": 5,
                  FH + "StartDeliveryStreamEncryption": 5},
        "calls": {FH + "ListDeliveryStreams": 1, FH + "DescribeDeliveryStream": N,
                  FH + "StartDeliveryStreamEncryption": N},
        "short": {"ListDeliveryStreams": "list", "DescribeDeliveryStream": "describe",
                  "StartDeliveryStreamEncryption": "start"},
    },
    "kinesis": {
        "title": "Kinesis",
        "bin": KINESIS_BIN,
        "flags": ["--all-streams"],
        "document": "Streams",
        "rates": {KS + "ListStreams": 5, KS + "DescribeStreamSummary": 20,
                  KS + "StartStreamEncryption": 5},
        "calls": {KS + "ListStreams": 1, KS + "DescribeStreamSummary": N,
                  KS + "StartStreamEncryption": N},
        "short": {"ListStreams": "list", "DescribeStreamSummary": "describe",
                  "StartStreamEncryption": "start"},
    },
}
failures = []


def floor_of(service):
    """Seconds the service's buckets need at best: for every operation, the
    calls beyond the bucket's capacity (free at t=0) at its rate; the slowest
    operation decides."""
    s = SERVICES[service]
    return max(max(0, s["calls"][t] - r) / r for t, r in s["rates"].items())


def boto(name):
    import boto3
    return boto3.session.Session(region_name=REGION).client(name, endpoint_url=ENDPOINT)


def reset_firehose():
    client = boto("firehose")
    for name in client.list_delivery_streams(Limit=10000)["DeliveryStreamNames"]:
        client.delete_delivery_stream(DeliveryStreamName=name, AllowForceDelete=True)
    with contextlib.redirect_stdout(io.StringIO()):
        for i in range(N):
            moto_stream.create(ENDPOINT, f"paced-fh-{i:02}", "DirectPut")


def kinesis_names(client):
    names, kwargs = [], {}
    while True:
        page = client.list_streams(**kwargs)
        names += page["StreamNames"]
        if not page.get("HasMoreStreams") or not page["StreamNames"]:
            return names
        kwargs = {"ExclusiveStartStreamName": page["StreamNames"][-1]}


def reset_kinesis():
    client = boto("kinesis")
    for name in kinesis_names(client):
        client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    deadline = time.monotonic() + 60
    while kinesis_names(client):
        if time.monotonic() > deadline:
            sys.exit("bench-fleet: moto did not delete the Kinesis streams")
        time.sleep(0.2)
    for i in range(N):
        client.create_stream(StreamName=f"paced-ks-{i:02}", ShardCount=1)
    for i in range(N):
        while True:
            summary = client.describe_stream_summary(StreamName=f"paced-ks-{i:02}")[
                "StreamDescriptionSummary"]
            if summary["StreamStatus"] == "ACTIVE":
                break
            if time.monotonic() > deadline:
                sys.exit(f"bench-fleet: paced-ks-{i:02} is still {summary['StreamStatus']}")
            time.sleep(0.2)


def unencrypted_firehose():
    client = boto("firehose")
    left = 0
    for name in client.list_delivery_streams(Limit=10000)["DeliveryStreamNames"]:
        d = client.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
        enc = d.get("DeliveryStreamEncryptionConfiguration") or {}
        left += enc.get("Status") != "ENABLED"
    return left


def unencrypted_kinesis():
    client = boto("kinesis")
    left = 0
    for name in kinesis_names(client):
        summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        left += summary.get("EncryptionType", "NONE") != "KMS"
    return left


RESET = {"firehose": reset_firehose, "kinesis": reset_kinesis}
UNENCRYPTED = {"firehose": unencrypted_firehose, "kinesis": unencrypted_kinesis}

# The proxy: every operation of both services with its documented rate.
proxy = RateLimitProxy(ENDPOINT, os.path.join(WORK, "proxy-counts.json"),
                       {t: r for s in SERVICES.values() for t, r in s["rates"].items()})
PROXY = proxy.url
control = proxy.control


def command(service, endpoint, region):
    s = SERVICES[service]
    return [s["bin"], "--endpoint-url", endpoint, "--region", region] + s["flags"]


def show_throttled(service, log):
    """On stderr: each refused call, with the calls of its operation in the
    second before it (what the bucket saw)."""
    if not log:
        return
    t0 = log[0][0]
    for t, target, outcome, tokens in log:
        if outcome != "throttled":
            continue
        before = [e for e in log if e[1] == target and t - 1.0 < e[0] <= t]
        gaps = [round((b[0] - a[0]) * 1000) for a, b in zip(before, before[1:])]
        print(f"    throttled: {target.split('.')[-1]} at +{t - t0:.3f} s; "
              f"{len(before)} calls of it in the second up to it "
              f"(forwarded {sum(e[2] == 'forwarded' for e in before)}), "
              f"gaps {gaps} ms", file=sys.stderr)


def run(service, label):
    control("POST", "/__reset")  # counts zeroed, buckets full: a fresh account
    start = time.perf_counter()
    done = subprocess.run(command(service, PROXY, REGION), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    counts = control("GET", "/__counts")
    log = control("GET", "/__log")
    if KEEP:
        stem = os.path.join(KEEP, label.replace(", ", "-").replace(" ", "-"))
        with open(stem + ".proxy-log.json", "w") as out:
            json.dump(log, out)
        with open(stem + ".document.json", "wb") as out:
            out.write(done.stdout)
    if done.returncode != 0:
        failures.append(f"{label}: exit {done.returncode}")
    try:
        entries = json.loads(done.stdout)[SERVICES[service]["document"]]
    except (ValueError, KeyError, TypeError):
        failures.append(f"{label}: the tool's output is not a document")
        entries = []
    actions = Counter(e.get("Action") for e in entries)
    if len(entries) != N or actions != Counter({"Started": N}):
        failures.append(f"{label}: expected {N} x Started, got {dict(actions)}")
    doc_made = sum(e.get("Calls", {}).get("Made", 0) for e in entries)
    doc_throttled = sum(e.get("Calls", {}).get("Throttled", 0) for e in entries)
    by_op = Counter()
    refused = 0
    for target, c in counts.items():
        by_op[target.split(".")[-1]] += c["Forwarded"] + c["Throttled"]
        refused += c["Throttled"]
    # The entries count the describes and starts (the listing is no stream's).
    listed = [t for t in SERVICES[service]["rates"] if t.split(".")[-1].startswith("List")]
    list_calls = sum(counts.get(t, {}).get("Forwarded", 0) + counts.get(t, {}).get("Throttled", 0)
                     for t in listed)
    list_refused = sum(counts.get(t, {}).get("Throttled", 0) for t in listed)
    if doc_throttled != refused - list_refused:
        failures.append(f"{label}: the document counts {doc_throttled} throttled, "
                        f"the proxy refused {refused - list_refused} describes/starts")
    if doc_made != sum(by_op.values()) - list_calls:
        failures.append(f"{label}: the document counts {doc_made} calls made, the proxy saw "
                        f"{sum(by_op.values()) - list_calls} describes/starts")
    left = UNENCRYPTED[service]()
    if left:
        failures.append(f"{label}: {left} streams left unencrypted")
    floor = floor_of(service)
    print(f"  {label}: {elapsed:.2f} s ({elapsed / floor:.3f} x floor), "
          f"{sum(by_op.values())} calls, {refused} throttled by the proxy, "
          f"{doc_throttled} in the document", file=sys.stderr)
    show_throttled(service, log)
    return {"time": elapsed, "calls": by_op, "refused": refused, "doc_throttled": doc_throttled}


results = {s: [] for s in SERVICES}
try:
    # Untimed warm-up (page cache): each binary lists an empty region, on moto.
    for service in SERVICES:
        if subprocess.run(command(service, ENDPOINT, EMPTY_REGION), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL).returncode != 0:
            sys.exit(f"bench-fleet: the {service} warm-up run failed")
    for r in range(ROUNDS):
        order = list(SERVICES) if r % 2 == 0 else list(reversed(SERVICES))
        for service in order:
            RESET[service]()
            if UNENCRYPTED[service]() != N:
                sys.exit(f"bench-fleet: the {service} fleet is not {N} unencrypted streams")
            results[service].append(run(service, f"round {r + 1}, {service}, paced"))
finally:
    proxy.stop()


print()
print(f"paced: {N} streams of each service on moto_server ({REGION}) behind "
      f"scripts/rate_limit_proxy.py, {ROUNDS} rounds")
print("limits (token bucket per operation, capacity = rate, refilled at rate/s): "
      "Firehose list/describe/start 5/s each; Kinesis list 5/s, describe 20/s, start 5/s")
print("floor: the calls beyond each bucket's capacity at its rate, slowest operation: "
      f"({N} - 5) / 5 s")
print("throttled: refused by the proxy / the documents' Calls.Throttled (must agree); "
      "calls: as the proxy saw them, refused included")
print()
print(f"{'':<10} {'wall time, median (min-max)':<28} {'floor':>7} {'ratio':>7} "
      f"{'throttled':>10} {'calls':>6} {'list':>5} {'describe':>9} {'start':>6}")
for service, s in SERVICES.items():
    rs = results[service]
    times = [x["time"] for x in rs]
    floor = floor_of(service)
    median = statistics.median(times)
    throttled = f"{span([x['refused'] for x in rs])}/{span([x['doc_throttled'] for x in rs])}"
    ops = {short: span([x["calls"].get(op, 0) for x in rs]) for op, short in s["short"].items()}
    cell = f"{median:7.2f} s  ({min(times):.2f}-{max(times):.2f})"
    print(f"  {s['title']:<8} {cell:<28} {floor:5.2f} s {median / floor:6.3f}x "
          f"{throttled:>10} {span([sum(x['calls'].values()) for x in rs]):>6} "
          f"{ops['list']:>5} {ops['describe']:>9} {ops['start']:>6}")
print()
for service, s in SERVICES.items():
    ratio = statistics.median(x["time"] for x in results[service]) / floor_of(service)
    refused = sum(x["refused"] for x in results[service])
    ok = ratio <= 1.15 and refused == 0
    print(f"target: {s['title']} at most 1.15 x the floor, 0 throttled: "
          f"{ratio:.3f} x, {refused} throttled: " + ("met" if ok else "NOT MET"))
for failure in failures:
    print(f"FAILED: {failure}")
sys.exit(1 if failures else 0)
PY
fi

if part rss; then
rss_streams=10000
rss_regions=${BENCH_FLEET_RSS_REGIONS:-100}
if ! [[ $rss_regions =~ ^([1-9][0-9]?|100)$ ]]; then
    echo "bench-fleet: BENCH_FLEET_RSS_REGIONS must be a number of regions, 1 to 100 (xx-bench-0 to xx-bench-99)" >&2
    exit 2
fi
echo "==> rss: $rounds rounds, $rss_streams streams in $rss_regions regions on scripts/fleet_fake.py" >&2
python3 - "$bin" "$aws" "$rounds" "$rss_streams" "$rss_regions" "$work" <<'PY' || status=$?
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

TOOL, AWS, ROUNDS, N, R, WORK = (sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                                 int(sys.argv[5]), sys.argv[6])
REGIONS = [f"xx-bench-{i}" for i in range(R)]
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
failures = []
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# The fake, on a free loopback port (it refuses any other address).
fake = subprocess.Popen([sys.executable, "scripts/fleet_fake.py", "--host", "127.0.0.1",
                         "--streams", str(N), "--regions", ",".join(REGIONS)],
                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
try:
    port = int(fake.stdout.readline())
    ENDPOINT = f"http://127.0.0.1:{port}"

    def fake_call(path, method):
        req = urllib.request.Request(ENDPOINT + path, method=method, data=b"" if method == "POST" else None)
        with _opener.open(req, timeout=30) as reply:
            return json.loads(reply.read())

    def measured(command, stdout_path):
        """(exit code, peak RSS KiB, wall seconds) of one run, stdout to a file."""
        report = os.path.join(WORK, "rss-time.txt")
        with open(stdout_path, "wb") as out:
            start = time.perf_counter()
            if GNU_TIME:
                done = subprocess.run([GNU_TIME, "-f", "%M", "-o", report] + command,
                                      stdin=subprocess.DEVNULL, stdout=out)
                elapsed = time.perf_counter() - start
                with open(report) as f:
                    peak = int(f.read().strip().splitlines()[-1])
                return done.returncode, peak, elapsed
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage.ru_maxrss, time.perf_counter() - start

    tool = [TOOL, "--endpoint-url", ENDPOINT, "--region", REGIONS[0], "--regions", ",".join(REGIONS),
            "--all-delivery-streams",
            "--delivery-stream-encryption-configuration-input", "KeyType=AWS_OWNED_CMK",
            "--output", "json"]
    one = [AWS, "firehose", "start-delivery-stream-encryption", "--endpoint-url", ENDPOINT,
           "--region", REGIONS[0], "--delivery-stream-name", "fleet-00000",
           "--delivery-stream-encryption-configuration-input", "KeyType=AWS_OWNED_CMK"]
    document = os.path.join(WORK, "rss-document.json")
    tool_kib, tool_s, aws_kib = [], [], []
    for r in range(ROUNDS):
        fake_call("/fake/reset", "POST")
        code, kib, secs = measured(tool, document)
        label = f"round {r + 1}"
        print(f"  {label}, this tool: {kib / 1024:.1f} MiB, {secs:.1f} s, exit {code}", file=sys.stderr)
        tool_kib.append(kib)
        tool_s.append(secs)
        if code != 0:
            failures.append(f"{label}: the tool exited {code}")
        try:
            with open(document, "rb") as f:
                entries = json.load(f)["DeliveryStreams"]
            started = sum(1 for e in entries if e.get("Action") == "Started")
        except (OSError, ValueError, KeyError, TypeError):
            entries, started = [], 0
        if len(entries) != N or started != N:
            failures.append(f"{label}: the document lists {len(entries)} streams, {started} Started "
                            f"(expected {N}, all Started)")
        state = fake_call("/fake/state", "GET")
        if state["encrypted"] != N:
            failures.append(f"{label}: the fake holds {state['encrypted']} encrypted streams, not {N}")
        if AWS:
            code, kib, secs = measured(one, os.devnull)
            print(f"  {label}, one AWS CLI call: {kib / 1024:.1f} MiB, {secs:.2f} s, exit {code}",
                  file=sys.stderr)
            aws_kib.append(kib)
            if code != 0:
                failures.append(f"{label}: the AWS CLI call exited {code}")
finally:
    fake.terminate()
    fake.wait()


def mib(values):
    return f"{statistics.median(values) / 1024:6.1f} MiB ({min(values) / 1024:.1f}-{max(values) / 1024:.1f})"


print()
print(f"peak RSS: {N} Direct PUT streams on scripts/fleet_fake.py in {R} regions "
      f"({N // R} each), AWS owned key, {ROUNDS} rounds, "
      + ("GNU time" if GNU_TIME else "wait4 rusage"))
print(f"  {'this tool, one --all-delivery-streams run':<44} {mib(tool_kib)}  "
      f"wall {statistics.median(tool_s):.1f} s ({min(tool_s):.1f}-{max(tool_s):.1f})")
if AWS:
    version = subprocess.run([AWS, "--version"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True)
    version = (version.stdout or version.stderr).strip().split()
    print(f"  {'one AWS CLI call (' + (version[0] if version else '?') + ')':<44} {mib(aws_kib)}")
    ratio = statistics.median(tool_kib) / statistics.median(aws_kib)
    print(f"  {'ratio tool / one AWS CLI call':<44} {ratio:6.2f} x")
else:
    print("  one AWS CLI call: left out (no AWS CLI installed)")
peak = statistics.median(tool_kib) / 1024
print(f"target: at most 48 MiB for {N} streams: {peak:.1f} MiB: " + ("met" if peak <= 48 else "NOT MET"))
for failure in failures:
    print(f"FAILED: {failure}")
sys.exit(1 if failures else 0)
PY
fi

if part org; then
echo "==> org: $rounds rounds, an organization of 3 accounts x 2 regions x 20 streams, behind the rate-limiting proxy" >&2
python3 - "$bin" "$aws" "$rounds" "$work" <<'PY' || status=$?
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter

import boto3

sys.path.insert(0, "scripts")
import moto_org  # scripts/moto_org.py: the organization, as the tests make it
from bench_proxy import RateLimitProxy, require_loopback, span

TOOL, AWS, ROUNDS, WORK = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ENDPOINT = os.environ["MOTO_ENDPOINT"]
REGIONS = ["eu-west-3", "eu-north-1"]  # regions of their own, apart from the other parts'
N = 20                                 # streams per account and region
RATE = 5                               # Firehose list, describe and start, each
FLOOR = (N - RATE) / RATE              # one target's floor: 3 s
FH = "Firehose_20150804."
START = FH + "StartDeliveryStreamEncryption"
PREFIX = "bench-org"

require_loopback(ENDPOINT)
failures = []

# The organization: the caller's account (moto's default) manages it, with
# two member accounts.
with contextlib.redirect_stdout(io.StringIO()):
    org = moto_org.organization(ENDPOINT)
    MEMBERS = [m["id"] for m in moto_org.members(org, PREFIX, 2)]
ACCOUNTS = [moto_org.MANAGEMENT] + MEMBERS
TARGETS = len(ACCOUNTS) * len(REGIONS)


def firehose(account, region):
    """A boto3 client straight on moto (never through the proxy)."""
    return moto_org.client("firehose", ENDPOINT, region, account)


def reset():
    """In every account and region: delete every stream, make N unencrypted."""
    for account in ACCOUNTS:
        for region in REGIONS:
            client = firehose(account, region)
            for name in client.list_delivery_streams(Limit=10000)["DeliveryStreamNames"]:
                client.delete_delivery_stream(DeliveryStreamName=name, AllowForceDelete=True)
            for i in range(N):
                moto_org.delivery_stream(client, f"{PREFIX}-s{i:02}")


def not_enabled():
    left = 0
    for account in ACCOUNTS:
        for region in REGIONS:
            client = firehose(account, region)
            for name in client.list_delivery_streams(Limit=10000)["DeliveryStreamNames"]:
                d = client.describe_delivery_stream(DeliveryStreamName=name)
                enc = d["DeliveryStreamDescription"].get("DeliveryStreamEncryptionConfiguration")
                left += (enc or {}).get("Status") != "ENABLED"
    return left


def session_credentials():
    """Per account, the environment the AWS CLI loop runs with: the
    management's own keys, each member's from sts:AssumeRole on moto."""
    creds = {moto_org.MANAGEMENT: (os.environ["AWS_ACCESS_KEY_ID"],
                                   os.environ["AWS_SECRET_ACCESS_KEY"], "")}
    sts = boto3.client("sts", endpoint_url=ENDPOINT, region_name=REGIONS[0])
    for account in MEMBERS:
        c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{moto_org.ROLE}",
                            RoleSessionName="bench-org-loop")["Credentials"]
        creds[account] = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    return creds


# The proxy: a bucket per access key, region and Firehose operation.
proxy = RateLimitProxy(ENDPOINT, os.path.join(WORK, "proxy-org-counts.json"),
                       {FH + op: RATE for op in ("ListDeliveryStreams", "DescribeDeliveryStream",
                                                 "StartDeliveryStreamEncryption")})
PROXY = proxy.url
control = proxy.control


def tool_command(endpoint):
    return [TOOL, "--endpoint-url", endpoint, "--region", REGIONS[0], "--organization",
            "--regions", ",".join(REGIONS), "--all-delivery-streams",
            "--delivery-stream-encryption-configuration-input", "KeyType=AWS_OWNED_CMK"]


# One account's part of the loop, in that account's environment.
LOOP = r'''
aws=$1 endpoint=$2
shift 2
for region in "$@"; do
    names=$("$aws" firehose list-delivery-streams --endpoint-url "$endpoint" --region "$region" \
            --limit 10000 --query DeliveryStreamNames --output text) || exit 1
    for n in $names; do
        "$aws" firehose start-delivery-stream-encryption --endpoint-url "$endpoint" \
            --region "$region" --delivery-stream-name "$n" \
            --delivery-stream-encryption-configuration-input KeyType=AWS_OWNED_CMK \
            >/dev/null || exit 1
    done
done
'''


def run_loop(creds):
    """The AWS CLI loop, account after account, through the proxy."""
    for account in ACCOUNTS:
        key, secret, token = creds[account]
        env = dict(os.environ, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
        env.pop("AWS_SESSION_TOKEN", None)
        if token:
            env["AWS_SESSION_TOKEN"] = token
        done = subprocess.run(["bash", "-c", LOOP, "aws-loop", AWS, PROXY] + REGIONS,
                              stdin=subprocess.DEVNULL, env=env)
        if done.returncode != 0:
            return done.returncode, b""
    return 0, b""


def run_tool():
    done = subprocess.run(tool_command(PROXY), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    return done.returncode, done.stdout


def timed(label, runner, action=None):
    control("POST", "/__reset")  # counts zeroed, every bucket full
    start = time.perf_counter()
    code, stdout = runner()
    elapsed = time.perf_counter() - start
    counts = control("GET", "/__counts")
    total = control("GET", "/__total")
    if code != 0:
        failures.append(f"{label}: exit {code}")
    if action:
        try:
            entries = json.loads(stdout)["DeliveryStreams"]
        except (ValueError, KeyError, TypeError):
            entries = []
            failures.append(f"{label}: the tool's output is not a DeliveryStreams document")
        actions = Counter(e.get("Action") for e in entries)
        if actions != Counter({action: N * TARGETS}):
            failures.append(f"{label}: expected {N * TARGETS} x {action}, got {dict(actions)}")
    starts = counts.get(START, {}).get("Forwarded", 0) + counts.get(START, {}).get("Throttled", 0)
    calls = total["Forwarded"] + total["Throttled"]
    print(f"  {label}: {elapsed:.2f} s ({elapsed / FLOOR:.3f} x floor), {calls} calls, "
          f"{starts} starts, {total['Throttled']} throttled", file=sys.stderr)
    if total["Throttled"]:
        log = control("GET", "/__log?keyed=1")
        for t, target, outcome, tokens, key, region in log:
            if outcome == "throttled":
                print(f"    throttled: {target.split('.')[-1]} at +{t:.3f} s, {key} {region}, "
                      f"{tokens} tokens", file=sys.stderr)
    return {"time": elapsed, "calls": calls, "starts": starts, "throttled": total["Throttled"]}


results = {"tool": [], "rerun": [], "loop": []}
try:
    reset()
    # Untimed warm-up (page cache, Python bytecode): a dry run of the tool on
    # moto (it exits 1: something would change) and one list of the AWS CLI.
    if subprocess.run(tool_command(ENDPOINT) + ["--dry-run"], stdin=subprocess.DEVNULL,
                      stdout=subprocess.DEVNULL).returncode not in (0, 1):
        sys.exit("bench-fleet: the tool's warm-up dry run failed")
    if AWS:
        subprocess.run([AWS, "firehose", "list-delivery-streams", "--endpoint-url", ENDPOINT,
                        "--region", REGIONS[0]], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, check=True)
    kinds = ["tool", "loop"] if AWS else ["tool"]
    for r in range(ROUNDS):
        for kind in (kinds if r % 2 == 0 else list(reversed(kinds))):
            reset()
            if not_enabled() != N * TARGETS:
                sys.exit(f"bench-fleet: the organization is not {N * TARGETS} unencrypted streams")
            if kind == "tool":
                results["tool"].append(timed(f"round {r + 1}, this tool, first run", run_tool,
                                             "Started"))
            else:
                creds = session_credentials()
                results["loop"].append(timed(f"round {r + 1}, AWS CLI loop",
                                             lambda: run_loop(creds)))
            left = not_enabled()
            if left:
                failures.append(f"round {r + 1}, {kind}: {left} streams left not ENABLED")
            if kind == "tool":
                results["rerun"].append(timed(f"round {r + 1}, this tool, rerun", run_tool,
                                              "AlreadyEncrypted"))
finally:
    proxy.stop()


def cell(rs):
    times = [x["time"] for x in rs]
    return f"{statistics.median(times):7.2f} s  ({min(times):.2f}-{max(times):.2f})"


print()
print(f"organization: {len(ACCOUNTS)} accounts (management + {len(MEMBERS)} members) x "
      f"{len(REGIONS)} regions ({', '.join(REGIONS)}) x {N} Direct PUT streams on moto_server "
      f"behind scripts/rate_limit_proxy.py, {ROUNDS} rounds")
print(f"limits: a token bucket per (access key, region, operation), Firehose list/describe/start "
      f"{RATE}/s each; STS and Organizations unlimited")
print(f"floor: one target's ({N} - {RATE}) / {RATE} = {FLOOR:.0f} s "
      "(targets run side by side, each paced on its own)")
if AWS:
    version = subprocess.run([AWS, "--version"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True)
    shown = (version.stdout or version.stderr).strip().split()
    print(f"AWS CLI loop: {os.path.basename(AWS)} ({shown[0] if shown else '?'}), through the "
          "proxy, account after account with its session credentials in the environment: per "
          "region list-delivery-streams, then one start-delivery-stream-encryption per stream")
print()
print(f"{'':<22} {'wall time, median (min-max)':<28} {'/ floor':>8} {'throttled':>10} "
      f"{'calls':>6} {'starts':>7}")
rows = [("this tool", "tool"), ("this tool, rerun", "rerun")]
if AWS:
    rows.append(("AWS CLI loop", "loop"))
for title, key in rows:
    rs = results[key]
    ratio = statistics.median(x["time"] for x in rs) / FLOOR
    print(f"  {title:<20} {cell(rs):<28} {ratio:7.3f}x {span([x['throttled'] for x in rs]):>10} "
          f"{span([x['calls'] for x in rs]):>6} {span([x['starts'] for x in rs]):>7}")
tool = statistics.median(x["time"] for x in results["tool"])
if AWS:
    loop = statistics.median(x["time"] for x in results["loop"])
    print(f"  {'loop / tool':<20} {loop / tool:7.1f} x")
print()
ratio = tool / FLOOR
throttled = sum(x["throttled"] for x in results["tool"] + results["rerun"])
print(f"target: this tool at most 1.3 x the floor, 0 throttled: {ratio:.3f} x, "
      f"{throttled} throttled: " + ("met" if ratio <= 1.3 and throttled == 0 else "NOT MET"))
rerun_starts = [x["starts"] for x in results["rerun"]]
if any(rerun_starts):
    failures.append(f"the tool's rerun spent {max(rerun_starts)} start calls (must be 0)")
print(f"check: the rerun spent {span(rerun_starts)} StartDeliveryStreamEncryption calls "
      "(must be 0): " + ("FAILED" if any(rerun_starts) else "OK"))
for failure in failures:
    print(f"FAILED: {failure}")
sys.exit(1 if failures else 0)
PY
fi
exit "$status"
