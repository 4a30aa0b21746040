"""Run every benchmark (`make bench`), each in its own process, with its default sizes.

    .venv/bin/python -m bench.run                 # all of them (takes a long while)
    .venv/bin/python -m bench.run load analytics  # some of them

Each writes its own section of docs/benchmarks.md and its raw numbers to bench/out/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("load", "analytics", "queries")  # known benchmarks first, then any other bench/*.py


def available() -> list[str]:
    found = {p.stem for p in HERE.glob("*.py") if p.stem not in ("__init__", "common", "run")}
    return [name for name in ORDER if name in found] + sorted(found - set(ORDER))


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"== bench.{name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
