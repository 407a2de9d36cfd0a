"""Peak memory of `mtqa score` on hostile input: a gzip bomb and a large stdin (issue 14).

    python bench/hostile_memory.py [--bomb-gib 2] [--stdin-mb 300] [--smoke]

* bomb: one valid JSONL line, then one runaway line of zeros, gzip-compressed, that
  decompresses to ``--bomb-gib`` GiB; read with the default limits (1 GiB a file).
* stdin: ``--stdin-mb`` MB of JSONL on stdin, articles of 1.2 million characters each
  (over the default --max-article-chars, so they become error rows without scoring:
  this measures reading, not scoring).

Each runs `mtqa score --no-fluency --no-write` in a child process and reports its wall
time, exit code and peak RSS (getrusage of the child). Results go in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_bomb(path: Path, gib: float) -> None:
    block = b"0" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=1) as fh:
        fh.write(json.dumps({"id": "ok", "text": "The talks went well."}).encode() + b"\n")
        fh.write(b'{"id": "bomb", "text": "')
        for _ in range(int(gib * 1024)):
            fh.write(block)


def run(args: list[str], stdin: Path | None = None) -> tuple[float, int, float]:
    """(seconds, exit code, peak RSS in MB) of one child run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    with open(stdin, "rb") if stdin else open("/dev/null", "rb") as fh:
        proc = subprocess.run([sys.executable, "-m", "mtqa", *args], stdin=fh, capture_output=True, cwd=ROOT, check=False)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        print("  (peak RSS below an earlier child's: the figure is an upper bound)")
    return time.perf_counter() - t0, proc.returncode, peak / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bomb-gib", type=float, default=2.0)
    ap.add_argument("--stdin-mb", type=int, default=300)
    ap.add_argument("--smoke", action="store_true", help="a 4 MiB bomb and 3 MB of stdin (seconds)")
    args = ap.parse_args()
    if args.smoke:
        args.bomb_gib, args.stdin_mb = 4 / 1024, 3
    work = Path(tempfile.mkdtemp(prefix="mtqa-hostile-"))
    stdin = work / "stdin.jsonl"
    with stdin.open("w") as fh:
        for i in range(args.stdin_mb * 1000 // 1200):
            fh.write(json.dumps({"id": f"a{i}", "text": "word " * 240_000}) + "\n")
    # the small one first: getrusage reports the largest child so far
    seconds, code, peak = run(["score", "-", "--no-fluency", "--no-write", "-q", "--jobs", "1"], stdin)
    print(f"stdin {stdin.stat().st_size / 1e6:,.0f} MB: {seconds:.1f} s, exit {code}, peak RSS {peak:,.0f} MB")
    bomb = work / "bomb.jsonl.gz"
    make_bomb(bomb, args.bomb_gib)
    seconds, code, peak = run(["score", str(bomb), "--no-fluency", "--no-write", "-q", "--jobs", "1"])
    print(f"gzip bomb {bomb.stat().st_size / 1e6:,.1f} MB -> {args.bomb_gib:g} GiB: {seconds:.1f} s, exit {code}, peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
