"""Measure the alignment rules (MT007 omission, MT008 addition, MT009 sentence-count) and
MT010 length-ratio on the TRAIN part, at document level, where they apply.

    python bench/align_eval.py [--docs 60] [--smoke]

Articles: MQM newstest2020 zh-en documents (train), each system's segments joined in
order into one paragraph (targets with spaces, sources without, as Chinese writes), or with
``--paragraphs`` a paragraph each, with the source.
* false alarms: share of unperturbed documents (human and MT) flagged by each rule;
* omissions: one target segment of a human translation removed (its longest one of at
  least 60 characters): share where MT007 fires, and MT010/MT009;
* additions: one segment of another document inserted into a human translation: share
  where MT008 fires at the inserted sentence;
* speed: source rules and alignment, document pairs and segment pairs per second; one long
  article (1,500 segments in one paragraph) aligned: its time and the growth of its peak memory.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL, _rows  # noqa: E402
from mtqa.detect import detect, select_rules  # noqa: E402
from mtqa.detect.align import align  # noqa: E402
from mtqa.segment import segment  # noqa: E402
from mtqa.types import Article, Document  # noqa: E402

RULES = ("MT007", "MT008", "MT009", "MT010")


def documents(limit: int) -> list[tuple[str, str, list[str], list[str]]]:
    """(system, doc, source segments, target segments) of the first ``limit`` documents."""
    by: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    docs: list[str] = []
    for r in _rows(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz"):
        if r["doc"] not in docs:
            if len(docs) == limit:
                continue
            docs.append(r["doc"])
        by[(r["system"], r["doc"])].append((int(r["seg_id"]), r["source"], r["target"]))
    return [(s, d, [x[1] for x in sorted(v)], [x[2] for x in sorted(v)]) for (s, d), v in by.items() if d in docs]


#: how segments are joined into an article: one paragraph (" ") or a paragraph each ("\n\n")
JOIN = " "


def findings(source: list[str], target: list[str], rules: list) -> list:  # type: ignore[type-arg]
    doc = segment(Article(id="d", text=JOIN.join(target), path="d",
                          source=("" if JOIN == " " else JOIN).join(source), source_lang="zh"))
    return detect(doc, rules)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--paragraphs", action="store_true", help="each segment its own paragraph (default: one paragraph)")
    ap.add_argument("--smoke", action="store_true", help="two documents (CI)")
    args = ap.parse_args()
    global JOIN
    JOIN = "\n\n" if args.paragraphs else " "
    rules = select_rules(list(RULES))
    all_docs = documents(2 if args.smoke else args.docs)
    human = [d for d in all_docs if d[0].startswith("Human-")]
    rng = random.Random(0)
    flags: dict[str, dict[str, int]] = {"human": defaultdict(int), "MT": defaultdict(int)}
    counts = {"human": 0, "MT": 0}
    t0 = time.perf_counter()
    for system, _, src, tgt in all_docs:
        kind = "human" if system.startswith("Human-") else "MT"
        counts[kind] += 1
        for code in {f.code for f in findings(src, tgt, rules)}:
            flags[kind][code] += 1
    elapsed = time.perf_counter() - t0
    segments = sum(len(d[2]) for d in all_docs)
    print(f"{len(all_docs)} documents ({segments} segments) in {elapsed:.1f} s: {len(all_docs) / elapsed:.0f} documents/s, "
          f"{segments / elapsed:.0f} segments/s (alignment and the four rules)")
    for kind in ("human", "MT"):
        print(f"false alarms, {kind} ({counts[kind]} documents): "
              + ", ".join(f"{c} {flags[kind][c] / max(counts[kind], 1):.3f}" for c in RULES))
    omitted = {c: 0 for c in RULES}
    added = 0
    trials = 0
    for system, d, src, tgt in human:
        long = [i for i, t in enumerate(tgt) if len(t) >= 60]
        if len(tgt) < 3 or not long:
            continue
        trials += 1
        drop = max(long, key=lambda i: len(tgt[i]))
        for code in {f.code for f in findings(src, tgt[:drop] + tgt[drop + 1:], rules)}:
            omitted[code] += 1
        other = rng.choice([x for x in human if x[1] != d])
        extra = max(other[3], key=len)
        at = rng.randrange(1, len(tgt))
        got = findings(src, tgt[:at] + [extra] + tgt[at:], rules)
        added += any(f.code == "MT008" and extra[:40] in f.text for f in got)
    print(f"omission of a segment ({trials} human documents): " + ", ".join(f"{c} {omitted[c] / max(trials, 1):.3f}" for c in RULES))
    print(f"addition of another document's segment: MT008 at the inserted sentence {added / max(trials, 1):.3f}")
    speed([(s, t) for _, _, src, tgt in all_docs for s, t in zip(src, tgt)], "zh", "MQM zh-en")
    long_article([d for d in documents(10_000) if d[0] == "Human-A.0"], 60 if args.smoke else 1500)
    ro = list(_rows(EVAL / "mlqe_pe" / "mlqepe_ro-en.train.tsv.gz"))[:30 if args.smoke else 7000]
    speed([(r["source"], r["pe"]) for r in ro], "ro", "MLQE-PE ro-en (Latin script: the name checks run)")


def long_article(human: list, segments: int) -> None:  # type: ignore[type-arg]
    """One article of ``segments`` human-translated segments in one paragraph (no paragraph to
    align first): the banded alignment's time, and how much its process's peak RSS grew (a
    forked child, so that nothing measured before counts)."""
    src = [s for _, _, source, _ in human for s in source][:segments]
    tgt = [t for _, _, _, target in human for t in target][:segments]
    doc = segment(Article(id="long", text=" ".join(tgt), path="long", source="".join(src), source_lang="zh"))
    align(segment(Article(id="warm", text=" ".join(tgt[:3]), path="warm", source="".join(src[:3]), source_lang="zh")))
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        elapsed, beads, grown = pool.submit(_align_measured, doc).result()
    print(f"one article of {len(src)} segments ({len(doc.text):,} characters) in one paragraph: aligned in {elapsed:.2f} s, "
          f"{beads} beads, peak RSS +{grown:.0f} MiB")


def _align_measured(doc: Document) -> tuple[float, int, float]:
    """(seconds, beads, growth of the peak RSS in MiB) of aligning ``doc`` in this process."""
    with open("/proc/self/statm") as fh:
        before = int(fh.read().split()[1]) * resource.getpagesize() / 2**20
    t0 = time.perf_counter()
    alignment = align(doc)
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return elapsed, len(alignment.beads) if alignment is not None else 0, max(0.0, peak - before)


def speed(pairs: list[tuple[str, str]], lang: str, what: str) -> None:
    """Segment pairs per second through every source rule but MT006 (the embeddings), one core."""
    source_rules = select_rules(["MT0"], ["MT006"])
    # warm-up on copies: word tables, regex caches, and langdetect's profiles (an English text given
    # as the source: MT013 asks langdetect of so few real sources that the warm-up may have none)
    for s, t in pairs[:200] + [(t, t) for _, t in pairs[:5]]:
        detect(segment(Article(id="w", text=t, path="w", source=s, source_lang=lang)), source_rules)
    t0 = time.perf_counter()
    docs = [segment(Article(id="p", text=t, path="p", source=s, source_lang=lang)) for s, t in pairs]
    segmented = time.perf_counter()
    for d in docs:
        detect(d, source_rules)
    done = time.perf_counter()
    print(f"{len(pairs)} {what} segment pairs, every source rule but MT006 (the embeddings), one core: alignment and rules "
          f"{len(pairs) / (done - segmented):.0f} pairs/s; with the English segmentation {len(pairs) / (done - t0):.0f} pairs/s")

if __name__ == "__main__":
    main()
