"""Precision of each rule on the shared TRAIN data, the evidence for its default severity.

    python bench/rule_precision.py [--mlqepe-rows 7000]

Rules only (no language model). A finding counts as correct when it overlaps an error
the annotators marked:

* MQM newstest2020 zh-en (all 20,000 system-segments, MT systems only): a target error span;
* MLQE-PE train (ro, ne, si, ru -> en; ``--mlqepe-rows`` of each): a token tagged BAD by
  the post-edit alignment.

Policy (docs/EVALUATION.md): a rule ships as major or critical only when its pooled
precision is at least 0.6 over at least 10 flags; rules with fewer flags keep their
severity (no evidence either way). Test parts (newstest2021, TED, MLQE-PE dev-test) are
not used here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL  # noqa: E402
from mtqa import evaluate  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.detect import all_rules  # noqa: E402


def mqm_counts(settings: Settings) -> tuple[Counter[str], Counter[str]]:
    rows = [r for r in evaluate.read_mqm(str(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz"), None, 0)
            if not evaluate.is_human(r.system)]
    flags, hits = Counter(), Counter()
    for row, scored in zip(rows, evaluate.score_texts([r.target for r in rows], settings)):
        for f in scored["findings"]:
            flags[f.code] += 1
            hits[f.code] += any(a < f.end and f.start < b for a, b, _ in row.spans)
    return flags, hits


def mlqepe_counts(settings: Settings, limit: int) -> tuple[Counter[str], Counter[str]]:
    flags, hits = Counter(), Counter()
    for path in sorted((EVAL / "mlqe_pe").glob("mlqepe_*.train.tsv.gz")):
        df = pd.read_csv(path, sep="\t", quoting=3, keep_default_na=False).head(limit)
        for mt, toks, tags, scored in zip(df.mt, df.mt_tok, df.mt_word_tags, evaluate.score_texts(df.mt.tolist(), settings)):
            tokens, gold = toks.split(), tags.split()
            for f in scored["findings"]:
                covered = evaluate._flag_tokens(mt, tokens, [f])
                flags[f.code] += 1
                hits[f.code] += any(c and g == "BAD" for c, g in zip(covered, gold))
    return flags, hits


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mlqepe-rows", type=int, default=7000)
    args = ap.parse_args()
    settings = Settings(fluency=False)
    mqm_f, mqm_h = mqm_counts(settings)
    ml_f, ml_h = mlqepe_counts(settings, args.mlqepe_rows)
    table = {}
    print("| rule | severity | MQM 2020 flags | precision | MLQE-PE train flags | precision | pooled precision | verdict |")
    print("|---|---|---|---|---|---|---|---|")
    for r in all_rules():
        n, h = mqm_f[r.code] + ml_f[r.code], mqm_h[r.code] + ml_h[r.code]
        if not n:
            continue
        p = h / n
        verdict = "keep" if n < 10 or r.severity.value == "minor" or p >= 0.6 else "demote to minor"
        table[r.code] = {"flags": n, "precision": round(p, 3), "verdict": verdict}
        cell = lambda f, k: f"{k / f:.2f}" if f else "-"  # noqa: E731
        print(f"| {r.code} | {r.severity.value} | {mqm_f[r.code]} | {cell(mqm_f[r.code], mqm_h[r.code])} | {ml_f[r.code]} | "
              f"{cell(ml_f[r.code], ml_h[r.code])} | {p:.2f} | {verdict} |")
    print(json.dumps(table))


if __name__ == "__main__":
    main()
