#!/usr/bin/env bash
# Fleet benchmark, side by side in one interleaved run (scripts/bench_fleet.py):
# 50 Direct PUT streams on moto_server (moto's cap for a region), encrypted by
#   - this tool: start-delivery-stream-encryption --all-delivery-streams
#   - the AWS CLI loop people write today: list-delivery-streams, then one
#     start-delivery-stream-encryption per stream (when aws2 or aws is installed)
# on unencrypted streams (first run) and again on encrypted ones (second
# run). Prints median wall times, the ratio loop/tool, and the calls each
# spent, counted by a proxy on 127.0.0.1 in front of moto.
# Usage: scripts/bench-fleet.sh [ROUNDS]   (default 3)
set -euo pipefail

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo_root"
source scripts/lib/moto.sh

rounds=${1:-3}
scrub_aws_env
# A region of its own; the AWS CLI reads no config or credentials file.
export AWS_REGION=ap-southeast-2 AWS_DEFAULT_REGION=ap-southeast-2
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent

echo "==> cargo build --release" >&2
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/start-delivery-stream-encryption"

aws=""
if [[ -x "$HOME/.local/bin/aws2" ]]; then
    aws="$HOME/.local/bin/aws2"
elif command -v aws2 >/dev/null 2>&1; then
    aws=aws2
elif command -v aws >/dev/null 2>&1; then
    aws=aws
else
    echo "(the AWS CLI is not installed: the loop is left out; see ../shared/tools/install-awscli-v2.sh)" >&2
fi

echo "==> moto_server" >&2
moto_ensure_installed
moto_start
python3 scripts/bench_fleet.py "$bin" "$aws" "$rounds" 50
