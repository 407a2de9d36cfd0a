"""How often the number check (MT001) flags a human translation, on the TRAIN parts.

    python bench/number_false_alarms.py [--per-language 1500] [--smoke]

Pairs: MLQE-PE train (ro, ru, ne, si -> en) sources with their post-edits, MQM newstest2020
zh sources with Human-A.0; a seeded sample per language. A human translation carries its
source's numbers, so a finding here is (nearly always) a false alarm: a way of writing a
number MT001 does not read yet. Prints the share per language and overall.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL, _rows  # noqa: E402
from mtqa.detect import detect, select_rules  # noqa: E402
from mtqa.segment import segment  # noqa: E402
from mtqa.types import Article  # noqa: E402


def pairs(per_language: int) -> list[tuple[str, str, str]]:
    out = []
    for lang in ("ro", "ru", "ne", "si"):
        rows = list(_rows(EVAL / "mlqe_pe" / f"mlqepe_{lang}-en.train.tsv.gz"))
        out += [(lang, r["source"], r["pe"]) for r in random.Random(0).sample(rows, min(per_language, len(rows)))]
    zh = [("zh", r["source"], r["target"]) for r in _rows(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz")
          if r["system"] == "Human-A.0"]
    return out + random.Random(0).sample(zh, min(per_language, len(zh)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-language", type=int, default=1500)
    ap.add_argument("--smoke", action="store_true", help="a few pairs (CI)")
    args = ap.parse_args()
    rules = select_rules(["MT001"])
    flagged, total = Counter(), Counter()
    for lang, source, target in pairs(5 if args.smoke else args.per_language):
        total[lang] += 1
        flagged[lang] += bool(detect(segment(Article(id="x", text=target, path="x", source=source, source_lang=lang)), rules))
    shares = ", ".join(f"{lang} {flagged[lang] / total[lang]:.4f}" for lang in total)
    print(f"MT001 on human translations (train): {shares}; all {sum(flagged.values()) / sum(total.values()):.4f}")


if __name__ == "__main__":
    main()
