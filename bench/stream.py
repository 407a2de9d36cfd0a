"""Streaming and Dask benchmark: wall time and peak memory of `mtqa score` as the corpus grows.

    python bench/stream.py heuristics [--sizes 10000 100000 1000000] [--formats csv parquet] [--jobs 1 2]
    python bench/stream.py lm [--sentences 300] [--workers 2]

``heuristics``: JSONL corpora of N segments built from the real sentences in
../shared/eval-data (cycled when N exceeds them, each article a fresh id), 20 segments per
article; each size runs `mtqa score --no-fluency` in a fresh process and reports its wall
time and peak RSS (the process's own, from getrusage). Time should grow linearly and
memory stay flat.

``lm``: the same slice scored with the language model by the local engine and by a Dask
LocalCluster of ``--workers`` worker processes; every run starts with an empty score
cache (the converted model is shared), so no run reuses another's scores.
Results go in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import real_sentences  # noqa: E402
from mtqa.scoring.lm import cache_root  # noqa: E402

PER_ARTICLE = 20


def build_corpus(path: Path, segments: int, pool: list[str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for start in range(0, segments, PER_ARTICLE):
            n = min(PER_ARTICLE, segments - start)
            text = "\n\n".join(pool[(start + k) % len(pool)] for k in range(n))
            fh.write(json.dumps({"id": f"a{start // PER_ARTICLE}", "text": text}, ensure_ascii=False) + "\n")


def run_mtqa(corpus: Path, out: Path, extra: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run `mtqa score` in a child process that reports its own peak RSS."""
    code = ("import resource, sys, time; from mtqa.cli import main; t = time.perf_counter(); "
            "rc = main(sys.argv[1:]); "
            "print('BENCH', time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc, file=sys.stderr)")
    args = [sys.executable, "-c", code, "score", str(corpus), "--out", str(out), "-q", "--no-progress", *extra]
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False)
    wall = time.perf_counter() - started
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH")]
    if not line:
        raise SystemExit(f"mtqa failed:\n{proc.stderr[-2000:]}")
    _, seconds, rss_kb, child_kb, rc = line[-1].split()
    summary = json.loads((out / "summary.json").read_text())
    return {"wall_s": round(wall, 1), "score_s": round(float(seconds), 1), "peak_rss_mb": round(int(rss_kb) / 1024),
            "worker_peak_rss_mb": round(int(child_kb) / 1024),
            "exit": int(rc), "sentences": summary["sentences"], "articles": summary["articles"]["total"]}


def heuristics(sizes: list[int], work: Path, formats: list[str], jobs: list[int]) -> None:
    pool = real_sentences()
    print(f"{len(pool)} distinct real segments")
    for n in sizes:
        corpus = work / f"corpus-{n}.jsonl"
        build_corpus(corpus, n, pool)
        for fmt in formats:
            for j in jobs:
                r = run_mtqa(corpus, work / f"out-{n}-{fmt}-{j}", ["--no-fluency", "--output-format", fmt, "--jobs", str(j)])
                rate = r["sentences"] / r["score_s"]
                print(f"segments {n:>9,}  output {fmt:<7}  jobs {j}  sentences {r['sentences']:>9,}  articles {r['articles']:>7,}  "
                      f"score {r['score_s']:>7.1f} s  ({rate:,.0f} sentences/s)  peak RSS {r['peak_rss_mb']:>5} MB "
                      f"(largest worker {r['worker_peak_rss_mb']} MB)", flush=True)


def lm(segments: int, workers: int, work: Path) -> None:
    corpus = work / f"lm-{segments}.jsonl"
    build_corpus(corpus, segments, real_sentences(segments))
    shared = cache_root()
    for name, extra in (("local", []), (f"dask x{workers}", ["--engine", "dask", "--workers", str(workers)])):
        cache = Path(tempfile.mkdtemp(prefix="mtqa-bench-cache-", dir=work))
        for entry in ("models", "hashes.json"):
            if (shared / entry).exists():
                (cache / entry).symlink_to(shared / entry)
        r = run_mtqa(corpus, work / f"out-lm-{name.split()[0]}", ["--chunk-size", "1", *extra], {"MTQA_CACHE": str(cache)})
        print(f"{name:<9} sentences {r['sentences']:>6}  wall {r['wall_s']:>6.1f} s  "
              f"({r['sentences'] / r['score_s']:.2f} sentences/s over the run)  peak RSS of the client {r['peak_rss_mb']} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    h = sub.add_parser("heuristics")
    h.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    h.add_argument("--formats", nargs="+", default=["csv", "parquet"])
    h.add_argument("--jobs", type=int, nargs="+", default=[1], help="worker processes (one run each)")
    m = sub.add_parser("lm")
    m.add_argument("--sentences", type=int, default=300)
    m.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", default=tempfile.gettempdir() + "/mtqa-bench")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.mode == "heuristics":
        heuristics(args.sizes, work, args.formats, args.jobs)
    else:
        lm(args.sentences, args.workers, work)


if __name__ == "__main__":
    main()
