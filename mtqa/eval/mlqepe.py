"""`mtqa eval mlqepe PATH`: mtqa against MLQE-PE's direct assessments (``z_mean``) and its
word-level OK/BAD tags from post-editing."""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from mtqa.config import Settings
from mtqa.eval.common import numbers, read_tsv, rounded, score_texts, shown
from mtqa.progress import Progress
from mtqa.types import Finding


def evaluate_mlqepe(path: str, settings: Settings, limit: int | None, seed: int,
                    progress: Progress | None = None) -> dict[str, Any]:
    """Pearson/Spearman of mtqa scores against DA ``z_mean``, and word-level MCC/F1 against OK/BAD tags."""
    from scipy.stats import pearsonr, spearmanr

    df = read_tsv(path, "MLQE-PE", {"mt", "z_mean", "mt_tok", "mt_word_tags"})
    if limit and limit < len(df):
        df = df.iloc[sorted(random.Random(seed).sample(range(len(df)), limit))]
    z = numbers(df, "z_mean", path)
    scores = score_texts(df.mt.tolist(), settings, progress=progress)
    out: dict[str, Any] = {"rows": len(df), "correlations": {}}
    for name in ("est_mqm", "quality", "slor"):
        values = np.array([s[name] if s[name] is not None else np.nan for s in scores], dtype=float)
        keep = ~np.isnan(values)
        if keep.sum() > 2 and np.nanstd(values) > 0:
            out["correlations"][name] = {"pearson": rounded(pearsonr(values[keep], z[keep]).statistic),
                                         "spearman": rounded(spearmanr(values[keep], z[keep]).statistic)}
    tp = fp = fn = tn = 0
    for mt, toks, tags, s in zip(df.mt, df.mt_tok, df.mt_word_tags, scores):
        for flagged, gold in zip(flag_tokens(mt, toks.split(), s["findings"]), tags.split()):
            bad = gold == "BAD"
            tp, fp, fn, tn = tp + (flagged and bad), fp + (flagged and not bad), fn + (not flagged and bad), tn + (not flagged and not bad)
    denom = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)) ** 0.5
    out["words"] = {"flagged": tp + fp, "precision": rounded(tp / (tp + fp)) if tp + fp else None,
                    "recall": rounded(tp / (tp + fn)) if tp + fn else None,
                    "f1_bad": rounded(2 * tp / (2 * tp + fp + fn)) if tp else None, "mcc": rounded((tp * tn - fp * fn) / denom) if denom else None}
    return out


def flag_tokens(text: str, tokens: list[str], findings: list[Finding]) -> list[bool]:
    """Whether each token of the tokenised MT overlaps a finding (tokens located in order in the text)."""
    flags, pos = [], 0
    for tok in tokens:
        at = text.find(tok, pos)
        if at < 0:
            flags.append(False)
            continue
        pos = at + len(tok)
        flags.append(any(f.start < pos and at < f.end for f in findings))
    return flags

def render_mlqepe(result: dict[str, Any]) -> str:
    """The terminal table of ``evaluate_mlqepe``."""
    lines = [f"MLQE-PE: {result['rows']} rows", f"{'score ~ z_mean':<16} {'pearson':>8} {'spearman':>8}"]
    for name, c in result["correlations"].items():
        lines.append(f"{name:<16} {shown(c['pearson']):>8} {shown(c['spearman']):>8}")
    w = result["words"]
    lines.append(f"words: {w['flagged']} flagged, precision {shown(w['precision'])}, recall {shown(w['recall'])}, "
                 f"F1(BAD) {shown(w['f1_bad'])}, MCC {shown(w['mcc'])}")
    return "\n".join(lines)
