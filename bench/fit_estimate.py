"""Fit the weights of mtqa's estimated MQM (mtqa/scoring/estimate.py) on the shared TRAIN data only.

    python bench/fit_estimate.py [--segments 300] [--seed 0] [--no-fluency-only]

Train data: MQM newstest2020 zh-en (``mqm_zhen_newstest2020.tsv.gz``), a seeded sample of
``--segments`` segments with all 10 systems (human translations included: they are
translations with MQM scores too), and MQM generalMT2022 zh-en (``--general-segments`` of its
segments with all 16 systems: news, e-commerce, social, conversation; scores only). Every target runs through the same pipeline as
``mtqa score``; each segment's features are summed over its sentences, and a ridge
regression predicts ``mqm_score`` from them (findings keep MQM's own severity weights; see ``fit``). The ridge strength is chosen by 5-fold
cross-validation grouped by segment (no segment in both folds). Two weight sets are
fitted: ``with_lm`` (all features) and ``rules_only`` (what ``--no-fluency`` has).
Writes ``mtqa/data/estimate.json`` with the weights, the data and the CV scores; the
held-out evaluation (newstest2021, TED, MLQE-PE dev-test) is ``mtqa eval``, in
docs/EVALUATION.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL, _rows  # noqa: E402
from mtqa.eval.mqm import MqmRow, mqm_frame, read_mqm  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.scoring import quality  # noqa: E402
from mtqa.scoring.estimate import LM_FEATURES, RULE_FEATURES  # noqa: E402

TRAIN = EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz"
GENERAL = EVAL / "mqm_zhen" / "mqm_zhen_generalMT2022_segscores.tsv.gz"
OUT = Path(__file__).resolve().parent.parent / "mtqa" / "data" / "estimate.json"
ALPHAS = (0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)


def ridge(x: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """Weights (no separate intercept: the ``sentence`` feature is one) on standardised columns."""
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    xs = x / scale
    w = np.linalg.solve(xs.T @ xs + alpha * np.eye(x.shape[1]), xs.T @ y)
    return w / scale


def cv_error(x: np.ndarray, y: np.ndarray, groups: np.ndarray, alpha: float, offset: np.ndarray, folds: int = 5) -> float:
    """Mean squared error of the capped estimate (offset + fitted part) on held-out segments."""
    unique = np.unique(groups)
    fold_of = {g: i % folds for i, g in enumerate(np.random.default_rng(0).permutation(unique))}
    fold = np.array([fold_of[g] for g in groups])
    errors = []
    for k in range(folds):
        train, test = fold != k, fold == k
        w = ridge(x[train], y[train], alpha)
        predicted = np.minimum(0, x[test] @ w + offset[test])
        errors.append(float(np.mean((predicted - (y[test] + offset[test])) ** 2)))
    return float(np.mean(errors))


def fit(frame, names: tuple[str, ...]) -> dict:  # type: ignore[no-untyped-def]
    """Ridge weights for the non-finding features of ``names``.

    Findings keep MQM's own weights (critical -25, major -5, minor -1: mtqa/data/scoring.toml):
    after the severity calibration, major findings are too rare in the train data to
    estimate their weight (fitted freely it came out positive, i.e. an error that raises
    the score), so the other weights are fitted to what the findings leave unexplained.
    """
    prior = {s.value: -w for s, w in quality.weights().items()}
    fixed = [n for n in names if n in prior]
    free = [n for n in names if n not in prior]
    offset = frame[[f"x_{n}" for n in fixed]].to_numpy(dtype=float) @ [prior[n] for n in fixed]
    x = frame[[f"x_{n}" for n in free]].to_numpy(dtype=float)
    y = frame.mqm.to_numpy(dtype=float) - offset
    groups = frame.seg_id.to_numpy()
    scores = {a: cv_error(x, y, groups, a, offset) for a in ALPHAS}
    alpha = min(scores, key=scores.get)  # type: ignore[arg-type]
    weights = {**dict(zip(free, ridge(x, y, alpha))), **{n: prior[n] for n in fixed}}
    total = frame.mqm.to_numpy(dtype=float)
    baseline = float(np.mean((total - total.mean()) ** 2))
    return {"weights": {n: round(float(weights[n]), 6) for n in names}, "alpha": alpha,
            "cv_mse": round(scores[alpha], 4), "cv_r2": round(1 - scores[alpha] / baseline, 4),
            "fixed": {n: "MQM weight (mtqa/data/scoring.toml)" for n in fixed}}


def fit_per_100_words(frame, names: tuple[str, ...]) -> dict:  # type: ignore[no-untyped-def]
    """The length-fair estimate: MQM per 100 words from the features per 100 words.

    Target and features of each segment are divided by its words (x 100), so no term grows
    with length; an intercept replaces the ``words`` feature. Findings keep MQM's weights
    (as in ``fit``). Least squares weighted by the segment's words, so a two-word segment
    does not count as much as a forty-word one; ridge strength by grouped 5-fold CV.
    """
    prior = {s.value: -w for s, w in quality.weights().items()}
    words = np.maximum(frame.x_words.to_numpy(dtype=float), 1.0)
    per = {n: 100 * frame[f"x_{n}"].to_numpy(dtype=float) / words for n in names if n != "words"}
    fixed = [n for n in per if n in prior]
    free = ["intercept", *[n for n in per if n not in prior]]
    offset = sum(per[n] * prior[n] for n in fixed)
    x = np.column_stack([np.ones(len(frame)), *[per[n] for n in free[1:]]])
    y = 100 * frame.mqm.to_numpy(dtype=float) / words - offset
    root = np.sqrt(words / words.mean())  # weighted least squares as ordinary least squares on scaled rows
    groups = frame.seg_id.to_numpy()
    scores = {a: cv_error(x * root[:, None], y * root, groups, a, offset * root) for a in ALPHAS}
    alpha = min(scores, key=scores.get)  # type: ignore[arg-type]
    weights = {**dict(zip(free, ridge(x * root[:, None], y * root, alpha))), **{n: prior[n] for n in fixed}}
    target = 100 * frame.mqm.to_numpy(dtype=float) / words
    baseline = float(np.average((target - np.average(target, weights=words)) ** 2, weights=words))
    return {"weights": {n: round(float(weights[n]), 6) for n in free + fixed}, "alpha": alpha,
            "cv_mse_weighted": round(scores[alpha], 4), "cv_r2_weighted": round(1 - scores[alpha] / baseline, 4),
            "fixed": {n: "MQM weight (mtqa/data/scoring.toml)" for n in fixed}}


def general_rows(segments: int, seed: int) -> list[MqmRow]:
    """All systems' rows of a seeded sample of generalMT2022 segments (ids offset by 100,000, so
    that no segment id of newstest2020 is shared in the grouped cross-validation)."""
    rows = list(_rows(GENERAL))
    ids = sorted({int(r["seg_id"]) for r in rows})
    keep = set(random.Random(seed).sample(ids, min(segments, len(ids))))
    return [MqmRow(r["system"], 100_000 + int(r["seg_id"]), r["target"], float(r["mqm_score"]), float("nan"), [])
            for r in rows if int(r["seg_id"]) in keep]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=300)
    ap.add_argument("--general-segments", type=int, default=600, help="generalMT2022 segments (0: none)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-fluency-only", action="store_true", help="refit only the rules_only weights (fast)")
    ap.add_argument("--out", default=str(OUT), help="where to write (default: mtqa/data/estimate.json)")
    args = ap.parse_args()
    rows = read_mqm(str(TRAIN), args.segments, args.seed)
    general = general_rows(args.general_segments, args.seed) if args.general_segments else []
    old = json.loads(OUT.read_text()) if OUT.exists() else {}
    result = {
        "about": "Weights of mtqa's estimated MQM (mtqa/scoring/estimate.py), fitted by bench/fit_estimate.py",
        "train": {"file": "eval-data/mqm_zhen/mqm_zhen_newstest2020.tsv.gz", "segments": args.segments, "seed": args.seed,
                  "rows": len(rows), "general_file": "eval-data/mqm_zhen/mqm_zhen_generalMT2022_segscores.tsv.gz",
                  "general_segments": args.general_segments, "general_rows": len(general),
                  "command": f"python bench/fit_estimate.py --segments {args.segments} --general-segments {args.general_segments} "
                             f"--seed {args.seed}"},
    }
    rows = [*rows, *general]
    rules = mqm_frame(rows, Settings(fluency=False))
    result["rules_only"] = {**fit(rules, RULE_FEATURES), "per_100_words": fit_per_100_words(rules, RULE_FEATURES)}
    print("rules_only", result["rules_only"], flush=True)
    if args.no_fluency_only and "with_lm" in old:
        result["with_lm"] = old["with_lm"]
    else:
        settings = Settings()
        lm = mqm_frame(rows, settings)
        result["with_lm"] = {"model": settings.model, **fit(lm, LM_FEATURES), "per_100_words": fit_per_100_words(lm, LM_FEATURES)}
        print("with_lm", result["with_lm"], flush=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
