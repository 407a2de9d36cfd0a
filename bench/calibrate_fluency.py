"""Calibrate a fluency model on human reference translations (the train part of the MQM data).

    python bench/calibrate_fluency.py [--model smollm2] [--sentences 1500]

Writes ``mtqa/data/fluency/<model>.json``:

* ``slor_quantiles``: 101 quantiles of sentence SLOR over human reference sentences of
  MQM newstest2020 zh-en (``Human-A.0``, ``Human-B.0``), so fluency = percentile;
* ``word_model``: least-squares fit of a word's LM surprisal (bits) on its unigram
  surprisal and whether it opens the sentence, over the words the ``unexpected-word``
  rule may judge, and the residual standard deviation.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.detect.rules.fluency import candidate_words  # noqa: E402
from mtqa.scoring.fluency import FluencyScorer, build  # noqa: E402
from mtqa.scoring.lm import load_model  # noqa: E402
from mtqa.segment import segment  # noqa: E402
from mtqa.types import Article  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval-data"


def human_sentences(limit: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    seen: dict[str, None] = {}
    with gzip.open(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["system"] not in ("Human-A.0", "Human-B.0"):
                continue
            doc = segment(Article(id="x", text=row["target"], path="x"))
            for s in doc.sentences:
                if len(s.text.split()) >= 3:
                    seen.setdefault(s.text, None)
            if len(seen) >= limit:
                break
    return list(seen)[:limit]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--sentences", type=int, default=1500)
    ap.add_argument("--out", help="where to write (default: mtqa/data/fluency/MODEL.json)")
    args = ap.parse_args()
    texts = human_sentences(args.sentences)
    scorer = FluencyScorer(load_model(args.model), batch_size=16)
    toks = scorer.token_scores(texts)
    scores = [build(t, toks[t], None) for t in texts]
    slor = np.array([s.slor for s in scores])
    rows = [(w.surprisal, w.unigram, float(w.first)) for t, s in zip(texts, scores) for w in candidate_words(t, s.words)]
    y = np.array([r[0] for r in rows])
    x = np.array([[1.0, r[1], r[2]] for r in rows])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    out = {
        "model": args.model,
        "source": f"MQM newstest2020 zh-en human references (Human-A.0, Human-B.0): {len(texts)} sentences, {len(rows)} words",
        "slor_quantiles": [round(float(v), 4) for v in np.quantile(slor, np.linspace(0, 1, 101))],
        "word_model": {"intercept": round(float(coef[0]), 4), "unigram": round(float(coef[1]), 4),
                       "first": round(float(coef[2]), 4), "resid_std": round(float(resid.std()), 4)},
    }
    path = Path(args.out) if args.out else ROOT / "mtqa" / "data" / "fluency" / f"{args.model}.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: v for k, v in out.items() if k != "slor_quantiles"}, indent=1))


if __name__ == "__main__":
    main()
