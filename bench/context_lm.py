"""Experiment: does conditioning the LM on the previous segment help it rank translations of one source?

    python bench/context_lm.py [--file MQM_TSV] [--segments 60] [--seed 0]

For a seeded sample of segments of an MQM file (default: newstest2020, the train part),
every system's target is scored twice with SmolLM2: alone (as ``mtqa score`` does today)
and after the same system's previous segment of the same document. Prints the
item-grouped Kendall tau and the system-level Pearson against ``mqm_score`` of the mean
and summed token log-probs of both. Results: docs/EVALUATION.md (goals section).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL  # noqa: E402
from mtqa.scoring.fluency import token_logprobs  # noqa: E402
from mtqa.scoring.lm import load_model  # noqa: E402

BATCH = 16


def main() -> None:
    from scipy.stats import kendalltau

    ap = argparse.ArgumentParser()
    ap.add_argument("--file", default=str(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz"))
    ap.add_argument("--segments", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    df = pd.read_csv(args.file, sep="\t", quoting=3, keep_default_na=False)
    segs = set(random.Random(args.seed).sample(sorted(df.seg_id.unique()), args.segments))
    by_key = {(r.system, r.seg_id): r for r in df.itertuples()}
    items = []
    for r in df[df.seg_id.isin(segs)].itertuples():
        before = by_key.get((r.system, r.seg_id - 1))
        items.append((r, before.target if before is not None and before.doc == r.doc else None))
    lm = load_model("smollm2")
    rows, start = [], time.time()
    for i in range(0, len(items), BATCH):
        batch = items[i:i + BATCH]
        alone = token_logprobs(lm, [r.target or " " for r, _ in batch])
        after = token_logprobs(lm, [(f"{p} " if p else "") + (r.target or " ") for r, p in batch])
        for (r, p), a, c in zip(batch, alone, after):
            own = [lp for s, _, lp in c if s >= (len(p) + 1 if p else 0)]  # the target's own tokens
            rows.append({"system": r.system, "seg": r.seg_id, "mqm": r.mqm_score, "has_context": p is not None,
                         "mean_alone": np.mean([lp for *_, lp in a]), "mean_in_context": np.mean(own),
                         "sum_alone": sum(lp for *_, lp in a), "sum_in_context": sum(own)})
    d = pd.DataFrame(rows)
    print(f"{len(d)} targets scored twice in {time.time() - start:.0f} s; {d.has_context.mean():.0%} have a previous segment")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for col in ("mean_alone", "mean_in_context", "sum_alone", "sum_in_context"):
            taus = [kendalltau(g[col], g.mqm).statistic for _, g in d.groupby("seg") if g.mqm.nunique() > 1]
            systems = d.groupby("system")[[col, "mqm"]].mean()
            print(f"{col:<16} tau grp {np.nanmean(taus):.3f}  sys r {np.corrcoef(systems[col], systems.mqm)[0, 1]:.3f}")


if __name__ == "__main__":
    main()
