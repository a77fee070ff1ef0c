"""Start-up time of `gworkflow --help` against a bare `import click`.

cron and people run gworkflow many times; its start-up should stay within 1.5x of a bare
click program. Runs each command N times, alternating, and reports medians and the ratio.

    python benchmarks/startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    gworkflow = shutil.which("gworkflow")
    ours = [gworkflow, "--help"] if gworkflow else [sys.executable, "-m", "gworkflow", "--help"]
    baseline = [sys.executable, "-c", "import click"]
    for command in (ours, baseline):  # warm the file cache
        timed(command)
    ours_times, base_times = [], []
    for _ in range(args.runs):
        ours_times.append(timed(ours))
        base_times.append(timed(baseline))
    ours_median = statistics.median(ours_times) * 1000
    base_median = statistics.median(base_times) * 1000
    ratio = ours_median / base_median
    print(f"runs: {args.runs}")
    print(f"gworkflow --help    median {ours_median:6.1f} ms")
    print(f"python -c 'import click' median {base_median:6.1f} ms")
    print(f"ratio {ratio:.2f}x (target <= 1.5x): {'OK' if ratio <= 1.5 else 'TOO SLOW'}")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
