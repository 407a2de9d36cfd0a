"""Write the run's tables (CSV, optionally Parquet) and summary.json to the output folder.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or
carriage return) get a leading apostrophe: corpus text is untrusted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from mtqa.errors import UsageError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def write_outputs(out_dir: Path, frames: dict[str, pd.DataFrame], summary: dict[str, Any], html: str | None = None) -> list[Path]:
    """``articles.csv``, ``sentences.csv``, ``findings.csv``, ``summary.json`` and ``report.html``; returns the paths."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out_dir}: cannot create output folder: {exc.strerror or exc}") from None
    written = []
    for name, frame in frames.items():
        path = out_dir / f"{name}.csv"
        safe_for_csv(frame).to_csv(path, index=False)
        written.append(path)
    path = out_dir / "summary.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    written.append(path)
    if html is not None:
        path = out_dir / "report.html"
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written
