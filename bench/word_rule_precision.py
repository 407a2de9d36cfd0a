"""Precision of the unexpected-word rule (MT901) at several thresholds, to set its default.

    python bench/word_rule_precision.py [--file MQM_TSV] [--segments 400]

On an MQM zh-en file (default: newstest2020, the train part; the first measurement used
newstest2021, a test part):
* MT output of all MT systems: a flagged word is a true positive when it overlaps an
  annotated MQM error span in the target (any category, any severity);
* the human translations: flags per 100 segments (false alarms, or errors of the human
  translator).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.detect.rules.fluency import candidate_words  # noqa: E402
from mtqa.eval.common import is_human  # noqa: E402
from mtqa.scoring.fluency import FluencyScorer  # noqa: E402
from mtqa.scoring.lm import load_model  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval-data"
THRESHOLDS = (2.0, 2.5, 3.0, 3.5, 4.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", default=str(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz"))
    ap.add_argument("--segments", type=int, default=400)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    df = pd.read_csv(args.file, sep="\t", quoting=3, keep_default_na=False)
    humans = df.system.map(is_human)
    human, mt = df[humans], df[~humans]
    rng = random.Random(args.seed)
    mt_rows = mt.iloc[rng.sample(range(len(mt)), args.segments)]
    hu_rows = human.iloc[rng.sample(range(len(human)), args.segments // 2)]
    scorer = FluencyScorer(load_model("smollm2"), batch_size=16)
    out = {}
    for name, rows in (("mt", mt_rows), ("human", hu_rows)):
        scores = scorer.score(rows.target.tolist())
        stats = {t: {"flags": 0, "hits": 0} for t in THRESHOLDS}
        for (_, row), sc in zip(rows.iterrows(), scores):
            if sc is None:
                continue
            spans = [(e[4], e[5]) for e in json.loads(row.errors) if e[3] == "target" and e[4] >= 0]
            for w in candidate_words(row.target, sc.words):
                for t in THRESHOLDS:
                    if w.excess is not None and w.excess >= t:
                        stats[t]["flags"] += 1
                        stats[t]["hits"] += any(a < w.end and w.start < b for a, b in spans)
        out[name] = {"segments": len(rows), **{str(t): v for t, v in stats.items()}}
    for t in THRESHOLDS:
        m, h = out["mt"][str(t)], out["human"][str(t)]
        print(f"min_excess={t}: MT flags {m['flags']} precision {m['hits'] / max(m['flags'], 1):.2f} | "
              f"human flags per 100 segments {100 * h['flags'] / out['human']['segments']:.1f}")


if __name__ == "__main__":
    main()
