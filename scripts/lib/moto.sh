# shellcheck shell=bash
#
# scripts/lib/moto.sh -- local AWS emulator (moto_server) and environment hygiene
# for the scripts of this repository. Source it; it does not change shell options.
#
#   scrub_aws_env          drop every inherited AWS_* variable, then set fake,
#                          local-only credentials (nothing may reach AWS)
#   moto_ensure_installed  install moto[server] (and jmespath, the unit tests'
#                          reference for --query, junitparser, the JUnit
#                          reader tests/reports.rs checks --report junit with,
#                          and c7n, Cloud Custodian, the scanner
#                          tests/org_emulator.rs reads end states back with)
#                          with pip when missing
#   moto_start             start moto_server on a free 127.0.0.1 port and export
#                          MOTO_ENDPOINT=http://127.0.0.1:PORT
#   moto_stop              stop it (also done automatically on exit)
#
# Tunables (environment):
#   MOTO_START_TIMEOUT  seconds to wait for moto_server to answer (default 30)
#   MOTO_PIP_ARGS       extra arguments for `pip install`, word-split
#                       (e.g. "--user --break-system-packages" on distributions
#                       whose python is "externally managed", PEP 668)
#
# The first call of scrub_aws_env or moto_start installs traps: EXIT runs the
# cleanup (stop moto_server, remove temporary files); INT/TERM/HUP exit so the
# EXIT trap runs. A caller that needs its own EXIT trap must call
# moto_lib_cleanup from it.

if [[ -n "${_MOTO_LIB_SOURCED:-}" ]]; then
    return 0
fi
_MOTO_LIB_SOURCED=1

# Pinned on purpose: the emulator tests depend on moto's exact Firehose
# behaviour (response shapes, which optional members it omits), so every
# machine must run the same version. Bump deliberately, and re-run scripts/test.sh.
MOTO_PIP_SPEC='moto[server]==5.2.1'
# The AWS CLI's JMESPath engine: src/query's unit tests run it as their
# reference (boto3 brings some jmespath; the tests want this one).
JMESPATH_PIP_SPEC='jmespath==1.1.0'
# A JUnit XML reader independent of ours: tests/reports.rs reads the
# --report junit file back with it.
JUNITPARSER_PIP_SPEC='junitparser==5.0.3'
# Cloud Custodian, a scanner independent of ours: tests/org_emulator.rs runs
# `custodian run` offline against moto_server. pip may warn that awscli v1
# wants an older botocore (boto3 and moto already bring a newer one); the
# AWS CLI still runs.
C7N_PIP_SPEC='c7n==0.9.53'
_MOTO_PIP_SPECS=("$MOTO_PIP_SPEC" "$JMESPATH_PIP_SPEC" "$JUNITPARSER_PIP_SPEC" "$C7N_PIP_SPEC")

_MOTO_TMPDIR=""     # per-process temp dir (fake AWS config path, server log)
_MOTO_PID=""        # pid of the running moto_server, empty when none
_MOTO_LOG=""        # its log file
_MOTO_TRAPS_SET=""

_moto_err() {
    printf '%s: error: %s\n' "${0##*/}" "$*" >&2
}

_moto_note() {
    printf '%s\n' "$*" >&2
}

# Create the per-process temp dir once and make sure it is cleaned up.
_moto_init() {
    _moto_install_traps
    if [[ -z "$_MOTO_TMPDIR" ]]; then
        _MOTO_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/sdse-moto.XXXXXX") || {
            _moto_err "cannot create a temporary directory"
            return 1
        }
    fi
}

_moto_install_traps() {
    [[ -n "$_MOTO_TRAPS_SET" ]] && return 0
    _MOTO_TRAPS_SET=1
    trap 'moto_lib_cleanup' EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# Stop the server and remove temporary files. Safe to call more than once.
moto_lib_cleanup() {
    moto_stop
    if [[ -n "$_MOTO_TMPDIR" ]]; then
        rm -rf -- "$_MOTO_TMPDIR"
        _MOTO_TMPDIR=""
    fi
}

# Environment hygiene: nothing inherited may point the tools (or the SDKs the
# tests use) at real AWS, a real profile or the instance metadata service.
scrub_aws_env() {
    _moto_init || return 1
    local name
    # Every exported AWS_* variable (this machine sets AWS_CA_BUNDLE, for one).
    for name in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do
        unset "$name"
    done
    export AWS_EC2_METADATA_DISABLED=true
    export AWS_ACCESS_KEY_ID=testing
    export AWS_SECRET_ACCESS_KEY=testing
    export AWS_REGION=us-east-1
    # Paths that do not exist: no ~/.aws/config or ~/.aws/credentials is read.
    export AWS_CONFIG_FILE="$_MOTO_TMPDIR/no-such-dir/config"
    export AWS_SHARED_CREDENTIALS_FILE="$_MOTO_TMPDIR/no-such-dir/credentials"
    # A proxy from the environment must never be used for the local emulator.
    export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
    export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
}

# The command that starts the server: moto_server when it is on PATH,
# otherwise the module (pip may have put the script in a directory that is
# not on PATH, e.g. ~/.local/bin, or pyenv may need a rehash).
_moto_server_cmd() {
    if command -v moto_server >/dev/null 2>&1; then
        _MOTO_CMD=(moto_server)
    else
        _MOTO_CMD=(python3 -m moto.server)
    fi
}

_moto_importable() {
    python3 -c 'import moto.server, boto3' >/dev/null 2>&1
}

# _pinned NAME==VERSION: whether python3 has exactly that version of NAME.
_pinned() {
    python3 -c 'import importlib.metadata as m, sys; sys.exit(m.version(sys.argv[1]) != sys.argv[2])' \
        "${1%%==*}" "${1#*==}" >/dev/null 2>&1
}

_helpers_pinned() {
    _pinned "$JMESPATH_PIP_SPEC" && _pinned "$JUNITPARSER_PIP_SPEC" && _pinned "$C7N_PIP_SPEC"
}

# _on_path_or_user_bin COMMAND: whether COMMAND is on PATH, after adding the
# user base's bin directory to PATH when it is there (a --user install puts
# scripts in the user base).
_on_path_or_user_bin() {
    command -v "$1" >/dev/null 2>&1 && return 0
    local user_bin
    user_bin="$(python3 -m site --user-base 2>/dev/null)/bin"
    [[ -x "$user_bin/$1" ]] || return 1
    export PATH="$user_bin:$PATH"
    hash -r
}

moto_ensure_installed() {
    if ! command -v python3 >/dev/null 2>&1; then
        _moto_err "python3 is required (to run moto_server) but is not on PATH"
        return 1
    fi
    if _moto_importable && _helpers_pinned && command -v moto_server >/dev/null 2>&1 &&
        command -v custodian >/dev/null 2>&1; then
        return 0
    fi
    _moto_note "installing ${_MOTO_PIP_SPECS[*]} with pip (python3 -m pip) ..."
    local -a extra=()
    if [[ -n "${MOTO_PIP_ARGS:-}" ]]; then
        read -r -a extra <<<"$MOTO_PIP_ARGS"
    fi
    if ! python3 -m pip install --quiet ${extra[@]+"${extra[@]}"} "${_MOTO_PIP_SPECS[@]}"; then
        _moto_err "could not install ${_MOTO_PIP_SPECS[*]} with 'python3 -m pip install'."
        _moto_note "  Install them yourself, then re-run, e.g.:"
        _moto_note "    python3 -m pip install '$MOTO_PIP_SPEC' '$JMESPATH_PIP_SPEC' '$JUNITPARSER_PIP_SPEC' '$C7N_PIP_SPEC'"
        _moto_note "  or, where pip refuses (\"externally-managed-environment\"), in a virtualenv:"
        _moto_note "    python3 -m venv .venv && . .venv/bin/activate && pip install '$MOTO_PIP_SPEC' '$JMESPATH_PIP_SPEC' '$JUNITPARSER_PIP_SPEC' '$C7N_PIP_SPEC'"
        _moto_note "  or pass extra pip arguments: MOTO_PIP_ARGS='--user --break-system-packages'"
        return 1
    fi
    hash -r
    if ! _moto_importable || ! _helpers_pinned; then
        _moto_err "pip reported success but python3 still cannot import moto.server and boto3, or $JMESPATH_PIP_SPEC, $JUNITPARSER_PIP_SPEC or $C7N_PIP_SPEC"
        return 1
    fi
    if ! _on_path_or_user_bin moto_server; then
        _moto_note "note: moto_server is not on PATH; using 'python3 -m moto.server'"
    fi
    if ! _on_path_or_user_bin custodian; then
        _moto_err "c7n is installed but its custodian command is not on PATH"
        return 1
    fi
}

# Print a free TCP port on 127.0.0.1 (bound and released by the kernel).
_moto_free_port() {
    python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
'
}

# Wait until the server on $1 answers HTTP (any status), for at most $3 seconds,
# polling every 0.1 s. Exit 0 when up, 3 when pid $2 died, 4 on timeout.
_moto_wait_ready() {
    python3 - "$1" "$2" "$3" <<'PY'
import os, sys, time, urllib.error, urllib.request

port, pid, timeout = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
url = "http://127.0.0.1:%d/moto-api/reset" % port
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def alive():
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc (macOS): kill(0) is all we know

deadline = time.monotonic() + timeout
while True:
    try:
        # GET, not POST: a GET on the reset endpoint changes nothing.
        opener.open(url, timeout=1).read()
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)  # it answered
    except (OSError, ValueError):
        pass
    if not alive():
        sys.exit(3)
    if time.monotonic() >= deadline:
        sys.exit(4)
    time.sleep(0.1)
PY
}

_moto_show_log() {
    if [[ -n "$_MOTO_LOG" && -s "$_MOTO_LOG" ]]; then
        _moto_note "---- last lines of the moto_server log ($_MOTO_LOG) ----"
        tail -n 30 -- "$_MOTO_LOG" >&2
        _moto_note "----"
    fi
}

moto_start() {
    if [[ -n "$_MOTO_PID" ]]; then
        return 0 # already running; MOTO_ENDPOINT is set
    fi
    _moto_init || return 1
    if ! _moto_importable; then
        _moto_err "moto is not installed (call moto_ensure_installed first)"
        return 1
    fi
    local -a _MOTO_CMD
    _moto_server_cmd
    local timeout="${MOTO_START_TIMEOUT:-30}" attempt port rc
    # A free port can be taken by someone else before the server binds it:
    # try a few ports before giving up.
    for attempt in 1 2 3; do
        port=$(_moto_free_port) || {
            _moto_err "cannot find a free port on 127.0.0.1"
            return 1
        }
        _MOTO_LOG="$_MOTO_TMPDIR/moto_server.$port.log"
        # Own session (setsid, where available and the pid will stay the
        # leader) so that moto_stop can signal the whole process group.
        if command -v setsid >/dev/null 2>&1 && [[ $- != *m* ]]; then
            setsid "${_MOTO_CMD[@]}" -H 127.0.0.1 -p "$port" </dev/null >"$_MOTO_LOG" 2>&1 &
        else
            "${_MOTO_CMD[@]}" -H 127.0.0.1 -p "$port" </dev/null >"$_MOTO_LOG" 2>&1 &
        fi
        _MOTO_PID=$!
        rc=0
        _moto_wait_ready "$port" "$_MOTO_PID" "$timeout" || rc=$?
        if [[ $rc -eq 0 ]]; then
            export MOTO_ENDPOINT="http://127.0.0.1:$port"
            _moto_note "moto_server (pid $_MOTO_PID) is listening on $MOTO_ENDPOINT"
            return 0
        fi
        if [[ $rc -eq 3 ]]; then
            wait "$_MOTO_PID" 2>/dev/null || true
            _MOTO_PID=""
            if grep -qi 'address already in use' -- "$_MOTO_LOG" 2>/dev/null && [[ $attempt -lt 3 ]]; then
                continue
            fi
            _moto_err "moto_server (${_MOTO_CMD[*]}) exited before it answered on 127.0.0.1:$port"
        else
            _moto_err "moto_server did not answer on 127.0.0.1:$port within ${timeout}s"
            moto_stop
        fi
        _moto_show_log
        return 1
    done
}

# Print the pids of all descendants of $1 (deepest last), when ps is available.
_moto_descendants() {
    command -v ps >/dev/null 2>&1 || return 0
    ps -A -o pid= -o ppid= 2>/dev/null | awk -v root="$1" '
        { parent[$1] = $2 }
        END {
            n = 1; queue[1] = root
            for (i = 1; i <= n; i++)
                for (p in parent)
                    if (parent[p] == queue[i]) { queue[++n] = p; print p }
        }'
}

_moto_signal() {
    local sig=$1 pid=$2
    shift 2
    # The process group exists only when setsid made the server its leader.
    kill "-$sig" -- "-$pid" 2>/dev/null || true
    kill "-$sig" "$pid" "$@" 2>/dev/null || true
}

moto_stop() {
    local pid="$_MOTO_PID"
    _MOTO_PID=""
    unset MOTO_ENDPOINT
    [[ -n "$pid" ]] || return 0
    local -a kids=()
    local kid i
    for kid in $(_moto_descendants "$pid"); do
        kids+=("$kid")
    done
    _moto_signal TERM "$pid" ${kids[@]+"${kids[@]}"}
    # Up to 5 s for a clean shutdown, then SIGKILL.
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        # A dead but unreaped child is a zombie: reap it if it is one.
        if [[ "$(cut -d')' -f2 "/proc/$pid/stat" 2>/dev/null | awk '{print $1}')" == Z ]]; then
            break
        fi
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        _moto_signal KILL "$pid" ${kids[@]+"${kids[@]}"}
    fi
    wait "$pid" 2>/dev/null || true
}
