"""Calibrate and measure the out-of-step marking (mtqa/ingest/out_of_step.py, rule MT015).

    python bench/out_of_step.py [--write] [--test] [--smoke] [--json FILE]

Sequences of segment pairs as a file holds them, in order: MQM newstest2020 and generalMT2022
zh-en (each system's output) and MLQE-PE ro/ru/ne/si (each file in its order, its MT and its
post-edits) of the TRAIN parts.
* clean: the summed gain of every window of neighbouring segments, each translation paired
  with the next (and with the previous) source; the threshold is the largest clean sum times
  ``MARGIN`` (``--write`` stores it in mtqa/data/out_of_step.json). Runs out of step in the data
  itself (``KNOWN_SHIFTS``) are left out;
* shifted: seeded runs of one to two windows of translations moved one place, one in every
  ``SPACING`` segments (each translation then belongs to the next source, as an MT system that
  re-split a document leaves it; or to the previous one): the share of their segments marked
  with the right direction, and the share of the others marked;
* ``--test``: the same on the TEST parts (newstest2021, TED, MLQE-PE dev-test), and what is
  marked of newstest2021's own system outputs, where metricsystem5's translations of segments
  147-156 belong to the next source.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL, _rows  # noqa: E402
from mtqa.ingest.out_of_step import Settings, calibration, mark_out_of_step, window_evidence  # noqa: E402
from mtqa.types import OUT_OF_STEP, Article  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "mtqa" / "data" / "out_of_step.json"
#: the threshold is the largest clean window sum of the train sequences times this
MARGIN = 1.25
#: runs out of step in the data itself, found by reading the largest window sums: not clean, left
#: out of the calibration (their windows) and counted apart. MLQE-PE si-en train post-edits
#: 6469-6473 (0-based rows) each translate the next source ("Priestley, however, made little
#: contribution ..." is row 6470's source), and 6473 and 6474 are the same post-edit
KNOWN_SHIFTS = {"mlqepe_si-en.train.tsv.gz:pe": range(6469, 6474)}


def _known(name: str, lo: int, hi: int) -> bool:
    """Whether positions ``lo`` to ``hi`` (exclusive) of sequence ``name`` touch a known shift."""
    run = KNOWN_SHIFTS.get(name)
    return run is not None and lo < run.stop and run.start < hi

Sequence = tuple[str, str, list[tuple[str, str]]]  # (name, source language, (source, target) pairs)


def mqm(path: Path, limit: int | None) -> list[Sequence]:
    """Each system's segments in order (its output file, as ``-s SRC.txt SYSTEM.txt`` reads it)."""
    by: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for r in _rows(path):
        by[r["system"]].append((int(r["seg_id"]), r["source"], r["target"]))
    return [(f"{path.name}:{s}", "zh", [(x[1], x[2]) for x in sorted(v)][:limit]) for s, v in by.items()]


def general(limit: int | None) -> list[Sequence]:
    """generalMT2022: its segment scores joined with its sources, each system's segments in order."""
    sources = {r["seg_id"]: r["source"] for r in _rows(EVAL / "mqm_zhen" / "mqm_zhen_generalMT2022_sources.tsv")}
    by: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for r in _rows(EVAL / "mqm_zhen" / "mqm_zhen_generalMT2022_segscores.tsv.gz"):
        if r["seg_id"] in sources:
            by[r["system"]].append((int(r["seg_id"]), sources[r["seg_id"]], r["target"]))
    return [(f"general:{s}", "zh", [(x[1], x[2]) for x in sorted(v)][:limit]) for s, v in by.items()]


def mlqe(files: list[tuple[str, str]], limit: int | None, columns: tuple[str, ...]) -> list[Sequence]:
    """Each MLQE-PE file in its order, once per target column (MT, post-edit)."""
    out = []
    for lang, name in files:
        rows = list(_rows(EVAL / "mlqe_pe" / name))[:limit]
        out += [(f"{name}:{c}", lang, [(r["source"], r[c]) for r in rows]) for c in columns if c in rows[0]]
    return [(n, lang, kept) for n, lang, pairs in out if (kept := [(s, t) for s, t in pairs if s.strip() and t.strip()])]


def articles(seq: Sequence, pairs: list[tuple[str, str]] | None = None) -> list[Article]:
    name, lang, given = seq
    return [Article(id=f"{name}:{i}", text=t, path=name, source=s, source_lang=lang) for i, (s, t) in enumerate(pairs or given)]


#: one seeded run of translations out of step per this many segments of a sequence
SPACING = 60


def shifted(pairs: list[tuple[str, str]], rng: random.Random, window: int) -> tuple[list[tuple[str, str]], dict[int, int]]:
    """The pairs with runs of ``window`` to ``2 * window`` translations moved one place (each then
    belongs to the next source, or to the previous one), one run in every ``SPACING`` segments;
    and the direction of each moved segment."""
    moved: dict[int, int] = {}
    for block in range(0, len(pairs) - SPACING + 1, SPACING):
        step, length = rng.choice((1, -1)), rng.randint(window, 2 * window)
        lo = block + 1 + rng.randrange(SPACING - length - 2)
        moved.update(dict.fromkeys(range(lo, lo + length), step))
    return [(s, pairs[i + moved[i]][1] if i in moved else t) for i, (s, t) in enumerate(pairs)], moved


def marks(arts: list[Article], settings: Settings) -> Iterator[tuple[int, int]]:
    for i, a in enumerate(mark_out_of_step(arts, settings)):
        if OUT_OF_STEP in a.extra:
            yield i, a.extra[OUT_OF_STEP]


def measure(name: str, seqs: list[Sequence], settings: Settings, seed: int) -> dict[str, float]:
    """Clean window sums, false marks on the clean sequences, recall on seeded shifts."""
    window = settings.window
    clean_sums = clean_window_sums(seqs, settings)
    segments = sum(len(s[2]) for s in seqs)
    clean_marks = [(seq[0], i) for seq in seqs for i, _ in marks(articles(seq), settings)]
    found = [m for m in clean_marks if _known(m[0], m[1], m[1] + 1)]
    false_clean = len(clean_marks) - len(found)
    rng = random.Random(seed)
    hit = wrong = total = false_out = false_far = outside = 0
    for seq in seqs:
        pairs, moved = shifted(seq[2], rng, window)
        if not moved:
            continue
        got = dict(marks(articles(seq, pairs), settings))
        total += len(moved)
        hit += sum(got.get(i) == step for i, step in moved.items())
        wrong += sum(got.get(i) == -step for i, step in moved.items())
        outside += len(pairs) - len(moved)
        false_out += sum(1 for i in got if i not in moved)
        false_far += sum(1 for i in got if i not in moved and i - 1 not in moved and i + 1 not in moved)
    out = {"sequences": len(seqs), "segments": segments, "clean_max": max(clean_sums, default=0.0),
           "clean_marked": false_clean / max(segments, 1), "known_shift_marked": len(found), "shifted_segments": total,
           "shifted_recall": hit / max(total, 1), "shifted_wrong_direction": wrong / max(total, 1),
           "marked_outside_the_run": false_out / max(outside, 1),
           "marked_beyond_its_neighbours": false_far / max(outside, 1)}
    print(f"{name}: {len(seqs)} sequences, {segments} segments; largest clean window sum {out['clean_max']:.2f}; "
          f"clean segments marked {out['clean_marked']:.4%} (and {len(found)} of the data's own shifts); seeded shifts: {total} segments, recall {out['shifted_recall']:.3f} (and {out['shifted_wrong_direction']:.3f} marked the other way), "
          f"others marked {out['marked_outside_the_run']:.3%} ({out['marked_beyond_its_neighbours']:.3%} beyond the run's two neighbours)")
    return out


def clean_window_sums(seqs: list[Sequence], settings: Settings) -> list[float]:
    """Every window sum of the sequences as given, both directions, but those of the known shifts."""
    return [v for seq in seqs for step in (1, -1) for k, v in enumerate(window_evidence(articles(seq), settings, step))
            if v is not None and not _known(seq[0], k, k + settings.window)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="store the threshold (train) in mtqa/data/out_of_step.json")
    ap.add_argument("--test", action="store_true", help="measure on the test parts too")
    ap.add_argument("--smoke", action="store_true", help="a few sequences (CI)")
    ap.add_argument("--window", type=int, help="neighbouring segments read together (default: the one in use)")
    ap.add_argument("--clip", type=float, help="the most one segment's gain counts (default: the one in use)")
    ap.add_argument("--json", metavar="FILE", help="also write the measures as JSON")
    args = ap.parse_args()
    limit = 130 if args.smoke else None
    in_use = Settings.calibrated()
    window, clip = args.window or in_use.window, args.clip or in_use.clip
    t0 = time.perf_counter()
    train = (mqm(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz", limit) + general(limit)
             + mlqe([(lang, f"mlqepe_{lang}-en.train.tsv.gz") for lang in ("ro", "ru", "ne", "si")], 200 if args.smoke else None,
                    ("mt", "pe")))
    probe = Settings(window, float("inf"), clip)
    sums = clean_window_sums(train, probe)
    threshold = round(max(sums) * MARGIN, 2)
    settings = Settings(window, threshold, clip)
    print(f"train: {len(train)} sequences, {len(sums)} clean windows of {window} (gains clipped at {clip}): largest sum "
          f"{max(sums):.2f}; threshold {threshold} (x{MARGIN}); in use: {in_use}")
    if args.write and not args.smoke:
        DATA.write_text(json.dumps({
            "about": "Window, clip and threshold of the out-of-step marking (mtqa/ingest/out_of_step.py, rule MT015), "
                     "by bench/out_of_step.py",
            "window": window, "clip": clip, "threshold": threshold,
            "train": {"sequences": len(train), "windows": len(sums), "largest_clean_sum": round(max(sums), 2), "margin": MARGIN,
                      "data": "MQM newstest2020 and generalMT2022 zh-en (each system's output), MLQE-PE train ro/ru/ne/si "
                              "(each file in order, MT and post-edit)",
                      "command": f"python bench/out_of_step.py --window {window} --clip {clip} --write"}}, indent=1) + "\n")
        calibration.cache_clear()
        print(f"wrote {DATA}")
    results = {"train": measure("train", train, settings, 0)}
    if args.test:
        nt21 = mqm(EVAL / "mqm_zhen" / "mqm_zhen_newstest2021.tsv", limit)
        real = [s for s in nt21 if s[0].endswith(":metricsystem5")]
        results["newstest2021 (no metricsystem5)"] = measure("newstest2021 (no metricsystem5)", [s for s in nt21 if s not in real], settings, 1)
        ted = mqm(EVAL / "mqm_zhen" / "mqm_zhen_ted2021.tsv", limit)
        ted_clean = [s for s in ted if not s[0].endswith(":metricsystem5")]
        results["TED (no metricsystem5)"] = measure("TED (no metricsystem5)", ted_clean, settings, 2)
        results["MLQE-PE dev-test"] = measure("MLQE-PE dev-test", mlqe(
            [(lang, f"mlqepe_{lang}-en.dev-test.tsv") for lang in ("ro", "ru", "ne", "si", "km", "ps")], limit, ("mt", "pe")), settings, 3)
        # metricsystem5's outputs are out of step with their sources in places (read: newstest2021 segments
        # 147-156, 201-206 and 1809-1820, TED 394-410 and more): what is marked of them, by segment id
        for path, seqs in (("mqm_zhen_newstest2021.tsv", real), ("mqm_zhen_ted2021.tsv", [s for s in ted if s not in ted_clean])):
            ids = sorted(int(r["seg_id"]) for r in _rows(EVAL / "mqm_zhen" / path) if r["system"] == "metricsystem5")
            for name, _, pairs in seqs:
                got = sorted((ids[i], s) for i, s in marks(articles((name, "zh", pairs)), settings))
                print(f"{path} metricsystem5: segments marked (id, direction) {got}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
