#!/usr/bin/env bash
# Run the tools end to end against a local AWS emulator (moto_server on
# 127.0.0.1; installed with pip when missing). Nothing contacts AWS.
#
#   scripts/demo.sh
#
# 1. One call, as the AWS CLI makes it: a Direct PUT delivery stream
#    `demo-stream` gets an AWS owned key (KeyType=AWS_OWNED_CMK).
# 2. The headline job, a whole organization in one run: the emulator plays an
#    AWS Organization of three accounts (the management account and members
#    demo-1 and demo-2, reached by assuming OrganizationAccountAccessRole),
#    each with 3 unencrypted Direct PUT delivery streams and 1 Kinesis data
#    stream in eu-west-1 and us-east-1. Shown in turn: the dry run (the plan),
#    the run itself, a rerun that spends no start call, the Kinesis fleet, and
#    what boto3, reading the emulator with its own code, finds unencrypted
#    afterwards: nothing.
#
# Every step is checked; the script exits 1 (saying which) when one is not as
# shown, or with the tool's own status when a call fails.
set -euo pipefail

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo_root"

# shellcheck source=scripts/lib/moto.sh
source scripts/lib/moto.sh

step() {
    printf '\n==> %s\n' "$*" >&2
}

fail() {
    printf '\ndemo: FAILED: %s\n' "$*" >&2
    exit 1
}

# show COMMAND...: print the command line as a person would type it, then run it.
show() {
    local arg line='$'
    for arg in "$@"; do
        if [[ $arg =~ ^[A-Za-z0-9_./:=,@+-]+$ ]]; then
            line+=" $arg"
        else
            line+=" '${arg//\'/\'\\\'\'}'"
        fi
    done
    printf '%s\n' "$line" >&2
    "$@"
}

stream=demo-stream
regions=eu-west-1,us-east-1
bin_dir="${CARGO_TARGET_DIR:-target}/debug"
firehose="$bin_dir/start-delivery-stream-encryption"
kinesis="$bin_dir/start-stream-encryption"

scrub_aws_env
export AWS_EC2_METADATA_DISABLED=true

step "Checking for moto (local AWS emulator)"
moto_ensure_installed

step "Building the tools (cargo build, debug profile)"
cargo build --quiet --bins

step "Starting moto_server on 127.0.0.1"
moto_start
trap moto_stop EXIT
# Every command below goes to the emulator: the tools and boto3 read
# AWS_ENDPOINT_URL, and --endpoint-url is on every command line besides.
export AWS_ENDPOINT_URL="$MOTO_ENDPOINT" AWS_REGION=us-east-1

# --- 1. One call -------------------------------------------------------------

step "One stream: creating DirectPut delivery stream '$stream'"
python3 scripts/moto_stream.py --endpoint-url "$MOTO_ENDPOINT" create "$stream" --type DirectPut
printf 'encryption before: %s\n' \
    "$(python3 scripts/moto_stream.py --endpoint-url "$MOTO_ENDPOINT" describe "$stream")" >&2

step "One call, as 'aws firehose start-delivery-stream-encryption' makes it"
rc=0
show "$firehose" --endpoint-url "$MOTO_ENDPOINT" \
    --delivery-stream-name "$stream" \
    --delivery-stream-encryption-configuration-input KeyType=AWS_OWNED_CMK || rc=$?
if [[ $rc -ne 0 ]]; then
    printf '\ndemo: FAILED: start-delivery-stream-encryption exited with %d\n' "$rc" >&2
    exit "$rc"
fi
printf 'encryption after: %s\n' \
    "$(python3 scripts/moto_stream.py --endpoint-url "$MOTO_ENDPOINT" describe "$stream")" >&2

# --- 2. A whole organization -------------------------------------------------

step "An organization: the management account and 2 members, streams in $regions"
org=$(python3 scripts/moto_org.py --endpoint-url "$MOTO_ENDPOINT" setup \
    --members 2 --prefix demo --regions "$regions" --streams 3 --kinesis 1)
printf '%s\n' "$org" >&2
accounts=$(python3 -c 'import json, sys
o = json.load(sys.stdin)
print(",".join([o["management"]] + [m["id"] for m in o["members"]]))' <<<"$org")
unencrypted() {
    python3 scripts/moto_org.py --endpoint-url "$MOTO_ENDPOINT" unencrypted \
        --accounts "$accounts" --regions "$regions" |
        python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}
before=$(unencrypted)
printf 'boto3 finds %s streams unencrypted at rest\n' "$before" >&2
[[ $before -eq 24 ]] || fail "expected 24 unencrypted streams (18 delivery, 6 data), boto3 found $before"

org_run=("$firehose" --endpoint-url "$MOTO_ENDPOINT" --organization --regions "$regions" --all-delivery-streams)
table='DeliveryStreams[].[AccountId, Region, DeliveryStreamName, Action]'

step "The plan: a dry run over every account and region (exit 1: something would change)"
rc=0
show "${org_run[@]}" --dry-run --query "$table" --output table || rc=$?
[[ $rc -eq 1 ]] || fail "the dry run exited $rc, not 1"
planned=$("${org_run[@]}" --dry-run --query 'length(DeliveryStreams[?Action==`WouldStart`])' || true)
[[ $planned -eq 18 ]] || fail "the plan starts $planned streams, not 18"

step "The run: every stream that needs it gets an AWS owned key"
show "${org_run[@]}" --query "$table" --output table ||
    fail "the organization run did not end with every stream encrypted"

step "The rerun: nothing to do, and no start call spent (one describe per stream)"
counts=$("${org_run[@]}" --query \
    '[length(DeliveryStreams[?Action==`Started`]), length(DeliveryStreams[?Action==`AlreadyEncrypted`]), sum(DeliveryStreams[].Calls.Made)]' \
    --output text) || fail "the rerun exited non-zero"
read -r started already calls <<<"$counts"
printf 'started: %s, already encrypted: %s, calls: %s\n' "$started" "$already" "$calls" >&2
# 18 streams of the organization and demo-stream (the management account's,
# in us-east-1), encrypted in part 1.
[[ $started -eq 0 && $already -eq 19 && $calls -eq 19 ]] ||
    fail "the rerun should start nothing and spend 19 describe calls (got $counts)"

step "The Kinesis fleet across the same organization"
show "$kinesis" --endpoint-url "$MOTO_ENDPOINT" --organization --regions "$regions" --all-streams \
    --query 'Streams[].[AccountId, Region, StreamName, Action]' --output table ||
    fail "the Kinesis organization run did not end with every stream encrypted"

step "The witness: boto3 reads every account and region of the organization"
after=$(unencrypted)
printf 'boto3 finds %s streams unencrypted at rest\n' "$after" >&2
[[ $after -eq 0 ]] || fail "$after streams are still unencrypted"

printf '\ndemo: OK\n' >&2
