"""How often the number check (MT001) flags a human translation, on the TRAIN parts.

    python bench/number_false_alarms.py [--per-language 1500] [--smoke]

Pairs: MLQE-PE train (ro, ru, ne, si -> en) sources with their post-edits, MQM newstest2020
zh sources with Human-A.0, MQM generalMT2022 zh sources with reference A (``zh-wmt22``); a
seeded sample per language. A human translation carries its
source's numbers, so a finding here is (nearly always) a false alarm: a way of writing a
number MT001 does not read yet. Prints the share per language and overall.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import general2022_references, human_translations  # noqa: E402
from mtqa.detect import detect, select_rules  # noqa: E402
from mtqa.segment import segment  # noqa: E402
from mtqa.types import Article  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-language", type=int, default=1500)
    ap.add_argument("--smoke", action="store_true", help="a few pairs (CI)")
    args = ap.parse_args()
    rules = select_rules(["MT001"])
    flagged, total = Counter(), Counter()
    samples = human_translations(5 if args.smoke else args.per_language, zh_systems=("Human-A.0",))
    samples["zh-wmt22"] = general2022_references(5 if args.smoke else args.per_language)
    for lang, source, target in ((lang, s, t) for lang, pairs in samples.items() for s, t in pairs):
        total[lang] += 1
        article = Article(id="x", text=target, path="x", source=source, source_lang=lang.split("-")[0])
        flagged[lang] += bool(detect(segment(article), rules))
    shares = ", ".join(f"{lang} {flagged[lang] / total[lang]:.4f}" for lang in total)
    print(f"MT001 on human translations (train): {shares}; all {sum(flagged.values()) / sum(total.values()):.4f}")


if __name__ == "__main__":
    main()
