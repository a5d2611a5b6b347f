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
# Usage: scripts/bench-fleet.sh [ROUNDS]   (default 3; about 3-4 minutes)
set -euo pipefail

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo_root"
source scripts/lib/moto.sh

rounds=${1:-3}
streams=50
if ! [[ $rounds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/bench-fleet.sh [ROUNDS]" >&2
    exit 2
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

echo "==> moto_server" >&2
moto_ensure_installed
moto_start

echo "==> $rounds interleaved rounds, $streams streams" >&2
python3 - "$bin" "$aws" "$rounds" "$streams" <<'PY'
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
