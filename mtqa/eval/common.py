"""What every dataset's evaluation shares: reading its TSV file, running the ``mtqa score``
pipeline on plain texts, and rounding and printing numbers."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

import numpy as np
import pandas as pd

from mtqa.config import Settings
from mtqa.errors import UsageError
from mtqa.pipeline import Pipeline
from mtqa.progress import Progress
from mtqa.scoring import estimate
from mtqa.types import Article

HUMAN_PREFIXES = ("Human-", "ref-", "ref")


def read_tsv(path: str, what: str, needs: set[str]) -> pd.DataFrame:
    """A dataset's TSV file with the columns ``needs``, or a usage error naming the file."""
    try:
        df = pd.read_csv(path, sep="\t", quoting=3, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read {what} file: {exc}") from None
    missing = needs - set(df.columns)
    if missing:
        raise UsageError(f"{path}: not an {what} file, missing columns {sorted(missing)}")
    return df


def file_line(index: Any) -> int:
    """The file line of a data row read by pandas (the header is line 1)."""
    return int(index) + 2


def numbers(df: pd.DataFrame, column: str, path: str) -> np.ndarray:
    """A column as floats, or a usage error naming the first line that is not a number."""
    values = pd.to_numeric(df[column], errors="coerce")
    if values.isna().any():
        at = values.isna().idxmax()
        raise UsageError(f"{path}:{file_line(at)}: {column} is not a number: {df[column][at]!r}")
    return values.to_numpy(dtype=float)


def is_human(system: str) -> bool:
    """Whether an MQM system name is a human translation."""
    return system.startswith(HUMAN_PREFIXES)


def make_pipeline(settings: Settings) -> Pipeline:
    """The ``mtqa score`` pipeline, with the fluency model when ``settings.fluency``."""
    fluency = None
    if settings.fluency:
        from mtqa.scoring.fluency import load_scorer

        fluency = load_scorer(settings)
    return Pipeline(settings, fluency)


def score_texts(texts: Sequence[str], settings: Settings, sources: Sequence[str | None] | None = None,
                source_langs: Sequence[str | None] | None = None, progress: Progress | None = None,
                extras: Sequence[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Run the ``mtqa score`` pipeline on each text as one article (``progress``: a bar by
    model batch, after the model's preparation; ``extras``: each article's ``extra``, as ingest
    would have set it).

    Per text: ``est_mqm``, ``quality``, ``neg_length``, ``flagged``, ``flagged_major``, ``findings``,
    ``features`` (the estimate's features summed over the sentences), and with the model
    ``fluency`` and ``slor`` (sentence means) and ``lm_mean_logprob`` (per token).
    """
    progress = progress or Progress(False)
    with progress.waiting(f"mtqa eval: preparing model {settings.model}") if settings.fluency else nullcontext():
        pipeline = make_pipeline(settings)
    bar = progress.bar("mtqa eval: scoring", len(texts), " texts")
    out = []
    for i in range(0, len(texts), 256):
        chunk = texts[i:i + 256]
        articles = [Article(id=str(i + k), text=t or " ", path="eval",
                            source=sources[i + k] if sources is not None else None,
                            source_lang=source_langs[i + k] if source_langs is not None else None,
                            extra=dict(extras[i + k]) if extras is not None else {}) for k, t in enumerate(chunk)]
        within = (lambda done, n=len(chunk): bar.within(done * n)) if progress.enabled else None
        for res in pipeline.run_chunk(articles, within):
            scored = [f for f in (res.doc.fluency or []) if f is not None] if res.doc is not None else []
            calibrated = [f.fluency for f in scored if f.fluency is not None]
            tokens = sum(f.tokens for f in scored)
            feats = estimate.sentence_features(res.doc, res.findings) if res.doc is not None else []
            out.append({
                "est_mqm": res.est_mqm, "features": {k: sum(f.get(k, 0.0) for f in feats) for k in estimate.LM_FEATURES},
                "quality": res.quality, "neg_length": -res.words, "findings": res.findings, "flagged": bool(res.findings),
                "flagged_major": any(f.severity.value != "minor" for f in res.findings),
                "fluency": float(np.mean(calibrated)) if calibrated else None,
                "slor": float(np.mean([f.slor for f in scored])) if scored else None,
                "lm_mean_logprob": sum(f.logprob for f in scored) / tokens if tokens else None,
            })
        bar.update(len(chunk))
    bar.close()
    return out


def rounded(value: Any) -> float | None:
    """A number for the JSON result: 4 decimals, None for None or NaN."""
    return None if value is None or value != value else round(float(value), 4)


def shown(value: float | None) -> str:
    """A number for the terminal table: 3 decimals, ``-`` for None."""
    return "-" if value is None else f"{value:.3f}"
