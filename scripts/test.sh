#!/usr/bin/env bash
# Run every check and test of this repository, in order, stopping at the first
# failure: rustfmt, clippy, rustdoc, then the whole test suite including the
# emulator tests (ignored by default; they need MOTO_ENDPOINT, which this
# script provides by starting moto_server on 127.0.0.1). Nothing contacts AWS.
#
#   scripts/test.sh
#   CARGO_TEST_ARGS='wait --nocapture' scripts/test.sh   # extra libtest arguments,
#                                                        # after --include-ignored
set -euo pipefail

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo_root"

# shellcheck source=scripts/lib/moto.sh
source scripts/lib/moto.sh

step() {
    printf '\n==> %s\n' "$*" >&2
}

# run NAME COMMAND...: run one step; on failure say which and exit with its status.
run() {
    local name=$1 rc=0
    shift
    step "$name"
    "$@" || rc=$?
    if [[ $rc -ne 0 ]]; then
        printf '\ntest.sh: FAILED at step "%s" (exit %d)\n' "$name" "$rc" >&2
        exit "$rc"
    fi
}

start_emulator() {
    moto_ensure_installed && moto_start
}

extra_test_args=()
if [[ -n "${CARGO_TEST_ARGS:-}" ]]; then
    read -r -a extra_test_args <<<"$CARGO_TEST_ARGS"
fi

scrub_aws_env

run "cargo fmt --all --check" \
    cargo fmt --all --check
run "cargo clippy --all-targets --locked -- -D warnings" \
    cargo clippy --all-targets --locked -- -D warnings
run "RUSTDOCFLAGS='-D warnings' cargo doc --no-deps --locked --quiet" \
    env RUSTDOCFLAGS='-D warnings' cargo doc --no-deps --locked --quiet
run "moto_server (local AWS emulator on 127.0.0.1)" \
    start_emulator
run "cargo test --locked -- --include-ignored${CARGO_TEST_ARGS:+ $CARGO_TEST_ARGS} (MOTO_ENDPOINT=$MOTO_ENDPOINT)" \
    cargo test --locked -- --include-ignored ${extra_test_args[@]+"${extra_test_args[@]}"}

moto_stop
printf '\ntest.sh: all steps passed\n' >&2
