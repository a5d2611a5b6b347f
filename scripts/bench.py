#!/usr/bin/env python3
"""Interleaved benchmark: runs each command in turn, N rounds, and reports the
median wall time and peak RSS of each, plus ratios against a baseline.

Each run is one child process. Interleaving (A B C A B C ...) spreads any
drift in machine load evenly over the commands being compared. Peak RSS is
measured in separate runs under GNU time (/usr/bin/time -f %M): a child of
this Python process would report Python's own high-water mark, which Linux
keeps across exec.

Usage: bench.py ROUNDS NAME=COMMAND [NAME=COMMAND ...]   (COMMAND runs via /bin/sh)
Ratios are printed for every pair named in BENCH_RATIOS="a/b,c/d".
"""

import os
import statistics
import subprocess
import sys
import time


def peak_rss_kib(command, runs=3):
    """The largest peak RSS (KiB) of `runs` runs under GNU time."""
    peaks = []
    for _ in range(runs):
        out = subprocess.run(["/usr/bin/time", "-f", "%M", "/bin/sh", "-c", "exec " + command],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        peaks.append(int(out.stderr.strip().splitlines()[-1]))
    return max(peaks)


def run_once(command):
    """Wall seconds and exit status of one run."""
    devnull = os.open(os.devnull, os.O_RDWR)
    start = time.perf_counter()
    pid = os.posix_spawn("/bin/sh", ["/bin/sh", "-c", "exec " + command], os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    os.close(devnull)
    return elapsed, os.waitstatus_to_exitcode(status)


def main():
    rounds = int(sys.argv[1])
    commands = dict(arg.split("=", 1) for arg in sys.argv[2:])
    times = {name: [] for name in commands}
    for name, command in commands.items():  # one untimed warm-up each
        _, code = run_once(command)
        if code != 0:
            sys.exit(f"bench: '{name}' failed with exit {code}: {command}")
    for _ in range(rounds):
        for name, command in commands.items():
            elapsed, code = run_once(command)
            if code != 0:
                sys.exit(f"bench: '{name}' failed with exit {code}: {command}")
            times[name].append(elapsed)
    rss = {name: peak_rss_kib(command) for name, command in commands.items()}
    print(f"{'command':<22} {'median ms':>10} {'min ms':>8} {'peak RSS MiB':>13}")
    for name in commands:
        print(f"{name:<22} {statistics.median(times[name]) * 1000:>10.2f} "
              f"{min(times[name]) * 1000:>8.2f} {rss[name] / 1024:>13.1f}")
    for pair in filter(None, os.environ.get("BENCH_RATIOS", "").split(",")):
        a, b = pair.split("/")
        if a in times and b in times:
            ratio = statistics.median(times[a]) / statistics.median(times[b])
            print(f"ratio {a} / {b}: {ratio:.3f}")


if __name__ == "__main__":
    main()
