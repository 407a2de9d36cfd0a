"""Heuristic pass (everything but the LM) in sentences per second on one core.

    python bench/heuristics.py [--sentences 20000] [--per-article 20]

Sentences from ../shared/eval-data are grouped into articles of ``--per-article``
segments (one paragraph each), then segmented and run through every rule.
Reports sentences/s (segmenter's count) and peak RSS. Results go in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import real_sentences  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.pipeline import ArticleResult, Pipeline  # noqa: E402
from mtqa.types import Article  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=20000)
    ap.add_argument("--per-article", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs; best and median are reported")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--huge-mb", type=float, default=0, help="also time one article of this many MB of each pathological kind")
    args = ap.parse_args()
    segs = real_sentences(args.sentences)
    articles = [Article(id=f"a{i}", text="\n\n".join(segs[i:i + args.per_article]), path="bench")
                for i in range(0, len(segs), args.per_article)]
    pipeline = Pipeline(Settings(fluency=False))
    pipeline.run_chunk(articles[:5])  # warm caches (lexicons, langdetect profiles)
    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx("pipeline.run_chunk(articles)", globals(), {"pipeline": pipeline, "articles": articles}, "/tmp/mtqa.prof")
        pstats.Stats("/tmp/mtqa.prof").sort_stats("tottime").print_stats(30)
        return
    walls, cpus = [], []
    results: list[ArticleResult] = []
    for _ in range(args.repeat):
        results = []  # a worker keeps no chunk's documents once it is scored: neither does this loop
        t0, c0 = time.perf_counter(), time.process_time()
        results = pipeline.run_chunk(articles)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    n_sent = sum(len(r.doc.sentences) for r in results if r.doc)
    n_find = sum(len(r.findings) for r in results)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    walls.sort()
    cpus.sort()
    print(f"segments={len(segs)} articles={len(articles)} sentences={n_sent} findings={n_find} runs={args.repeat}")
    print(f"sentences/s wall: best {n_sent / walls[0]:,.0f}  median {n_sent / walls[len(walls) // 2]:,.0f}")
    print(f"sentences/s CPU:  best {n_sent / cpus[0]:,.0f}  median {n_sent / cpus[len(cpus) // 2]:,.0f}")
    print(f"peak RSS={rss:.0f} MB")
    if args.huge_mb:
        huge(pipeline, args.huge_mb)


def huge(pipeline: Pipeline, mb: float) -> None:
    """Seconds per MB of one huge article: a repeated word, a repeated pair, a repeated sentence."""
    size = int(mb * 1_000_000)
    for name, unit in (("word word ...", "word "), ("La la La la ...", "La la "), ("one sentence repeated", "The talks went well. ")):
        text = unit * (size // len(unit))
        t0 = time.perf_counter()
        pipeline.run_chunk([Article(id="huge", text=text, path="bench")])
        seconds = time.perf_counter() - t0
        print(f"huge article, {name}: {len(text) / 1e6:.1f} MB in {seconds:.2f} s ({len(text) / 1e6 / seconds:.2f} MB/s)")


if __name__ == "__main__":
    main()
