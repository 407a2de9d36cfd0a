"""The ceiling of mtqa's features for ranking translations of one source (item-grouped Kendall).

    python bench/feature_ceiling.py FILE [--limit SEGMENTS] [--no-fluency] [--with-source]

Runs the ``mtqa eval`` pipeline on every row of an MQM file, then fits a ridge regression
of MQM on all of est_mqm's features plus SLOR, fluency and the mean log-prob, centred
within each segment, **on that same file** (in-sample: an optimistic upper bound, not a
model to ship). Prints its item-grouped Kendall tau next to est_mqm's and the plain LM's,
and each single feature's grouped tau and system-level Pearson (raw values, not oriented;
``hyphenated_words`` and ``hyphen_chars`` are candidate features, not mtqa's). If
even this fit stays under a goal, no linear combination of these features meets it.
``--with-source`` gives the pipeline the source (the source rules' findings enter the
features; MT006 stays off) and adds a candidate feature to the fit: the log ratio of the
translation's characters to the source's (non-space), which a shortened translation lowers.
Results: docs/EVALUATION.md.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mtqa.eval.common import score_texts  # noqa: E402
from mtqa.eval.mqm import read_mqm  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.scoring.estimate import LM_FEATURES  # noqa: E402

EXTRA = ("slor", "fluency", "lm_mean_logprob")
ALPHAS = (0.1, 10.0, 1000.0)


def grouped_tau(frame: pd.DataFrame, col: str) -> float:
    from scipy.stats import kendalltau

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        taus = [kendalltau(g[col], g.mqm).statistic for _, g in frame.groupby("seg_id") if g[col].nunique() > 1 and g.mqm.nunique() > 1]
    return float(np.nanmean(taus))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--limit", type=int, help="a seeded sample of this many segments (seed 0)")
    ap.add_argument("--no-fluency", action="store_true")
    ap.add_argument("--with-source", action="store_true", help="the source rules run, and the length ratio is a candidate")
    args = ap.parse_args()
    rows = read_mqm(args.file, args.limit, 0)
    settings = Settings(fluency=not args.no_fluency, crosslingual=False)
    sources = [r.source for r in rows] if args.with_source else None
    scores = score_texts([r.target for r in rows], settings, sources, ["zh"] * len(rows) if sources else None)
    frame = pd.DataFrame([{"system": r.system, "seg_id": r.seg_id, "mqm": r.mqm, "est_mqm": s["est_mqm"], "quality": s["quality"],
                           "hyphenated_words": sum("-" in w.strip("-") for w in r.target.split()), "hyphen_chars": r.target.count("-"),
                           "log_length_ratio": float(np.log((len("".join(r.target.split())) + 1) / (len("".join(r.source.split())) + 1)))
                           if r.source else 0.0,
                           **{k: s.get(k) or 0.0 for k in EXTRA}, **{k: s["features"].get(k, 0.0) for k in LM_FEATURES}}
                          for r, s in zip(rows, scores)])
    fitted = (*LM_FEATURES, *EXTRA, *(("log_length_ratio",) if args.with_source else ()))
    cols = [c for c in fitted if frame[c].std() > 0]
    centred = frame[cols] - frame.groupby("seg_id")[cols].transform("mean")
    x = (centred / centred.std()).to_numpy()
    y = (frame.mqm - frame.groupby("seg_id").mqm.transform("mean")).to_numpy()
    for alpha in ALPHAS:
        frame["ceiling"] = x @ np.linalg.solve(x.T @ x + alpha * np.eye(len(cols)), x.T @ y)
        print(f"in-sample fit, ridge {alpha}: tau grp {grouped_tau(frame, 'ceiling'):.3f}")
    print(f"est_mqm: tau grp {grouped_tau(frame, 'est_mqm'):.3f}; headline quality: {grouped_tau(frame, 'quality'):.3f}; "
          f"plain LM: {grouped_tau(frame, 'lm_mean_logprob'):.3f}")
    candidates = tuple(dict.fromkeys((*cols, "hyphenated_words", "hyphen_chars", "log_length_ratio")))
    systems = frame.groupby("system")[[*candidates, "mqm"]].mean()
    for c in candidates:
        print(f"{c:<16} tau grp {grouped_tau(frame, c):+.3f}  sys r {np.corrcoef(systems[c], systems.mqm)[0, 1]:+.2f}")


if __name__ == "__main__":
    main()
