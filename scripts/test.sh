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

# `man` renders the man page in tests/generated.rs; minimal images lack it.
ensure_man() {
    command -v man >/dev/null 2>&1 && return 0
    echo "installing man-db (needed by tests/generated.rs)" >&2
    { apt-get update -qq && apt-get install -y -qq man-db >/dev/null; } ||
        { echo "test.sh: could not install man-db; install it and re-run" >&2; return 1; }
}

scrub_aws_env

run "man is available" \
    ensure_man
run "module graph: imports point one way (no cycle)" \
    python3 scripts/module-graph.py
run "cargo fmt --all --check" \
    cargo fmt --all --check
run "cargo clippy --all-targets --locked -- -D warnings" \
    cargo clippy --all-targets --locked -- -D warnings
run "RUSTDOCFLAGS='-D warnings' cargo doc --no-deps --locked --quiet" \
    env RUSTDOCFLAGS='-D warnings' cargo doc --no-deps --locked --quiet
run "moto_server (local AWS emulator on 127.0.0.1)" \
    start_emulator
# `child_call` (tests/tls.rs) is an entry point the TLS tests run in child
# processes with their own environment, not a test on its own.
run "cargo test --locked -- --include-ignored --skip child_call${CARGO_TEST_ARGS:+ $CARGO_TEST_ARGS} (MOTO_ENDPOINT=$MOTO_ENDPOINT)" \
    cargo test --locked -- --include-ignored --skip child_call ${extra_test_args[@]+"${extra_test_args[@]}"}

moto_stop
# Issue 8: a short fuzz smoke run (the long runs are `scripts/fuzz.sh 600`).
run "scripts/fuzz.sh 10 (fuzz smoke run)" \
    bash scripts/fuzz.sh 10
# The README's other set-up command must work too.
run "scripts/demo.sh (the README's end-to-end run)" \
    bash scripts/demo.sh
printf '\ntest.sh: all steps passed\n' >&2
