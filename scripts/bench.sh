#!/usr/bin/env bash
# Benchmark, side by side in one interleaved run (scripts/bench.py):
#   - one StartDeliveryStreamEncryption call against moto_server on 127.0.0.1:
#     this tool, `aws firehose start-delivery-stream-encryption` (when the
#     AWS CLI is installed), and `curl --aws-sigv4` of the same signed request
#     (the floor: one process, one request);
#   - `--generate-cli-skeleton`: this tool and the AWS CLI.
# Prints medians, peak RSS and ratios, and the release binary's size.
# The fleet figure (50 streams, this tool against the AWS CLI loop) is
# scripts/bench-fleet.sh.
# Usage: scripts/bench.sh [ROUNDS]   (default 30)
set -euo pipefail

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo_root"
source scripts/lib/moto.sh

rounds=${1:-30}
scrub_aws_env

if [[ ! -x /usr/bin/time ]]; then
    echo "==> installing GNU time (peak RSS)" >&2
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

echo "==> cargo build --release" >&2
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/start-delivery-stream-encryption"

echo "==> moto_server" >&2
moto_ensure_installed
moto_start
python3 scripts/moto_stream.py create bench-stream >/dev/null

body='{"DeliveryStreamName": "bench-stream", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}}'
args="--region us-east-1 --delivery-stream-name bench-stream --delivery-stream-encryption-configuration-input KeyType=AWS_OWNED_CMK"
call=("tool=$bin --endpoint-url $MOTO_ENDPOINT $args"
      "curl=curl -sS --fail --aws-sigv4 aws:amz:us-east-1:firehose --user $AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY -H 'X-Amz-Target: Firehose_20150804.StartDeliveryStreamEncryption' -H 'Content-Type: application/x-amz-json-1.1' --data '$body' $MOTO_ENDPOINT/")
skeleton=("tool-skeleton=$bin --generate-cli-skeleton")
ratios="tool/curl"
if command -v aws >/dev/null 2>&1; then
    call+=("aws=aws firehose start-delivery-stream-encryption --endpoint-url $MOTO_ENDPOINT $args")
    skeleton+=("aws-skeleton=aws firehose start-delivery-stream-encryption --generate-cli-skeleton")
    ratios="tool/curl,aws/tool,aws-skeleton/tool-skeleton"
else
    echo "(the AWS CLI is not installed: its columns are left out; pip install awscli to add them)" >&2
fi

echo "==> $rounds interleaved rounds: one call against moto" >&2
BENCH_RATIOS=$ratios python3 scripts/bench.py "$rounds" "${call[@]}"
echo
echo "==> $rounds interleaved rounds: --generate-cli-skeleton" >&2
BENCH_RATIOS=$ratios python3 scripts/bench.py "$rounds" "${skeleton[@]}"
echo
awk -v b="$(stat -c %s "$bin")" 'BEGIN { printf "release binary: %d bytes (%.1f MiB)\n", b, b / 1048576 }'
moto_stop
