"""Run every benchmark in turn; each writes its JSON to bench/results/. Nothing is asserted.

    .venv/bin/python -m bench.run            # all, at their default sizes (tens of minutes)
    .venv/bin/python -m bench.run parts sync # some
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = ("startup", "parts", "search", "evidence", "certificates", "roadmap", "sync")


def main(names: list[str]) -> int:
    chosen = names or list(BENCHMARKS)
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    status = 0
    for name in chosen:
        started = time.perf_counter()
        print(f"== bench.{name}", flush=True)
        done = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
        print(f"== bench.{name}: exit {done.returncode} in {time.perf_counter() - started:.0f} s",
              flush=True)
        status = status or done.returncode
    from bench.report import load, table

    print(table(load()), flush=True)  # every measure with its floor, ratio and target
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
