"""Calibrate the length-ratio check (MT010) and the aligner's expected ratio on the TRAIN parts only.

    python bench/calibrate_length_ratio.py [--smoke]

Pairs: MLQE-PE train (ro, ru, ne, si -> en) sources with their post-edits, and MQM
newstest2020 zh-en sources with the human translations (Human-A.0, Human-B.0): human
translations, so their lengths are what a complete, faithful translation gives. Lengths are
characters without whitespace. Per source language: the median ratio of target to source
length (the aligner's ``c``), Gale and Church's variance ``s2`` of ``(l2 - c * l1) /
sqrt(l1)`` (robustly: the median of its square over 0.455, the median of a chi-square with
one degree of freedom; Gale and Church measured 6.8 for European pairs), and the 0.25th and 99.75th percentiles of the log ratio over
sources of at least ``min_source_chars`` characters, so about 1 human translation in 200
falls outside. Languages without train data get the pooled values of their script group
(``cjk``: zh, ja, ko; ``other``). Writes ``mtqa/data/length_ratio.json``.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import emit, human_translations  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "mtqa" / "data" / "length_ratio.json"
MIN_SOURCE_CHARS = 20
LOW, HIGH = 0.25, 99.75
CJK = ("zh", "ja", "ko")


def chars(text: str) -> int:
    return len(re.sub(r"\s+", "", text))


def stats(lengths: np.ndarray) -> dict[str, float]:
    """``lengths``: rows of (source chars, target chars)."""
    src, tgt = lengths[:, 0], lengths[:, 1]
    logs = np.log(tgt / src)
    c = float(math.exp(np.median(logs)))
    variance = float(np.median((tgt - c * src) ** 2 / src) / 0.455)
    return {"ratio": round(c, 4), "variance": round(variance, 3), "log_low": round(float(np.percentile(logs, LOW)), 4),
            "log_high": round(float(np.percentile(logs, HIGH)), 4), "pairs": int(len(logs))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="a few pairs, nothing written (CI)")
    args = ap.parse_args()
    lengths = {lang: np.array([(chars(s), chars(t)) for s, t in ps if chars(s) >= MIN_SOURCE_CHARS and chars(t)], dtype=float)
               for lang, ps in human_translations(30 if args.smoke else None).items()}
    languages = {lang: stats(v) for lang, v in lengths.items()}
    groups = {"cjk": stats(np.concatenate([v for k, v in lengths.items() if k in CJK])),
              "other": stats(np.concatenate([v for k, v in lengths.items() if k not in CJK]))}
    result = {"source": "bench/calibrate_length_ratio.py: human translations of the train parts (MLQE-PE train "
                        "post-edits ro/ru/ne/si, MQM newstest2020 zh Human-A.0/B.0); characters without whitespace",
              "min_source_chars": MIN_SOURCE_CHARS, "percentiles": [LOW, HIGH], "cjk": list(CJK),
              "languages": languages, "groups": groups}
    emit(result, OUT, args.smoke)


if __name__ == "__main__":
    main()
