#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz / libFuzzer) of the parameter parsers:
#
#   shorthand   shorthand::parse on arbitrary text
#   structure   the --delivery-stream-encryption-configuration-input path
#               (JSON or shorthand, parse, validate::request)
#   cli_input   --cli-input-json / --cli-input-yaml documents (input::document,
#               validate::request)
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    # default: 60 s for each target
#   scripts/fuzz.sh 10                       # the CI smoke run
#
# Each target must survive SECONDS without a panic, hang (10 s per input) or
# memory blow-up; errors returned by the code under test are fine. The script
# prints the number of executed inputs per target and exits non-zero at the
# first crash, naming the input saved under fuzz/artifacts/TARGET/ (replay it
# with `cargo fuzz run --sanitizer none TARGET FILE` in fuzz/).
#
# Works on the stable toolchain: no sanitizer (the crate forbids unsafe code),
# so no -Z flags are needed. Installs cargo-fuzz (pinned) when missing. The
# fuzz crate is not part of the main build: it has its own workspace and its
# own target directory (fuzz/target); corpora grow in fuzz/corpus/ (ignored
# by git), seeded from fuzz/seeds/.
set -euo pipefail

CARGO_FUZZ_VERSION=0.13.2

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
fuzz_dir="$repo_root/fuzz"
cd -- "$fuzz_dir"

seconds=${1:-60}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
    exit 2
fi
shift $(($# > 0 ? 1 : 0))
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(shorthand structure cli_input)
fi

step() {
    printf '\n==> %s\n' "$*" >&2
}

if [[ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
    step "cargo install cargo-fuzz --version $CARGO_FUZZ_VERSION --locked"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# The same dependency versions as the main crate (cargo adds libfuzzer-sys).
cp "$repo_root/Cargo.lock" "$fuzz_dir/Cargo.lock"

# -O: optimized; -a: with debug assertions and overflow checks (panics count).
flags=(--release --debug-assertions --sanitizer none --target-dir "$fuzz_dir/target")

step "cargo fuzz build ${flags[*]}"
build_start=$SECONDS
cargo fuzz build "${flags[@]}"
echo "build took $((SECONDS - build_start)) s" >&2

summary=()
for target in "${targets[@]}"; do
    corpus="$fuzz_dir/corpus/$target"
    mkdir -p "$corpus" "$fuzz_dir/artifacts/$target"
    log="$fuzz_dir/target/fuzz-$target.log"
    step "fuzzing $target for $seconds s (log: $log)"
    rc=0
    cargo fuzz run "${flags[@]}" "$target" "$corpus" "$fuzz_dir/seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -dict="$fuzz_dir/dict.txt" -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [[ $rc -ne 0 ]]; then
        tail -n 60 "$log" >&2
        printf '\nfuzz.sh: %s FAILED (exit %d) after %s inputs; see %s and fuzz/artifacts/%s/\n' \
            "$target" "$rc" "${runs:-?}" "$log" "$target" >&2
        exit 1
    fi
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" >&2 || true
    summary+=("$target: ${runs:-?} inputs in $seconds s, no crash")
done

step "summary"
printf '%s\n' "${summary[@]}"
