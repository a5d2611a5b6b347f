#!/usr/bin/env bash
# Run start-delivery-stream-encryption end to end against a local AWS emulator
# (moto_server on 127.0.0.1; installed with pip when missing). Nothing contacts AWS.
#
#   scripts/demo.sh
#
# Creates a DirectPut delivery stream `demo-stream`, shows its encryption
# configuration, enables encryption with the tool (KeyType=AWS_OWNED_CMK) and
# shows the configuration again. Exits with the tool's status when it fails.
set -euo pipefail

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo_root"

# shellcheck source=scripts/lib/moto.sh
source scripts/lib/moto.sh

step() {
    printf '\n==> %s\n' "$*" >&2
}

stream=demo-stream
bin="${CARGO_TARGET_DIR:-target}/debug/start-delivery-stream-encryption"

scrub_aws_env

step "Checking for moto (local AWS emulator)"
moto_ensure_installed

step "Building start-delivery-stream-encryption (cargo build, debug profile)"
cargo build --quiet

step "Starting moto_server on 127.0.0.1"
moto_start

step "Creating DirectPut delivery stream '$stream'"
python3 scripts/moto_stream.py --endpoint-url "$MOTO_ENDPOINT" create "$stream" --type DirectPut

step "Encryption configuration BEFORE"
python3 scripts/moto_stream.py --endpoint-url "$MOTO_ENDPOINT" describe "$stream"

cmd=("$bin"
    --endpoint-url "$MOTO_ENDPOINT"
    --region us-east-1
    --delivery-stream-name "$stream"
    --delivery-stream-encryption-configuration-input KeyType=AWS_OWNED_CMK)
step "Running the tool"
printf '$ %s\n' "${cmd[*]}" >&2
rc=0
"${cmd[@]}" || rc=$?
printf 'exit code: %d\n' "$rc" >&2

step "Encryption configuration AFTER"
python3 scripts/moto_stream.py --endpoint-url "$MOTO_ENDPOINT" describe "$stream"

step "Stopping moto_server"
moto_stop

if [[ $rc -ne 0 ]]; then
    printf '\ndemo: FAILED: start-delivery-stream-encryption exited with %d\n' "$rc" >&2
    exit "$rc"
fi
printf '\ndemo: OK\n' >&2
