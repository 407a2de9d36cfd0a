"""Write the run's tables (CSV and/or Parquet, part by part), summary.json and report.html.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or
carriage return) get a leading apostrophe, column names too (they can come from input
fields): corpus text is untrusted. Rows end with CRLF (RFC 4180), so every cell holding
a CR or LF is quoted and no physical line can start inside a cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mtqa.errors import UsageError
from mtqa.types import is_missing

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _neutralised(table: pa.Table) -> pa.Table:
    """``neutralise`` on every string cell of an Arrow table, vectorised."""
    for i, f in enumerate(table.schema):
        if pa.types.is_string(f.type) or pa.types.is_large_string(f.type):
            col = table.column(i)
            risky = pc.match_substring_regex(col, "^[=+@\t\r-]")
            quoted = pc.binary_join_element_wise(pa.scalar("'", f.type), col, pa.scalar("", f.type))
            table = table.set_column(i, f.name, pc.if_else(risky, quoted, col))
    return table


@dataclass(frozen=True)
class TableRenderer:
    """Turns a part's frames into what the output files get: CSV bytes and/or Arrow tables of the
    final schemas. Pure and picklable, so worker processes can render parts side by side."""

    schemas: dict[str, pa.Schema]
    csv: bool
    parquet: bool

    def __call__(self, frames: dict[str, pd.DataFrame], header: bool) -> dict[str, Rendered]:
        out = {}
        for name, frame in frames.items():
            schema = self.schemas[name]
            table = conform(frame.reindex(columns=schema.names), schema)
            text = None
            if self.csv:
                typed = _neutralised(table).to_pandas(types_mapper=pd.ArrowDtype)  # ints stay ints beside empty cells
                typed.columns = [neutralise(str(c)) for c in typed.columns]
                text = typed.to_csv(index=False, header=header, lineterminator="\r\n").encode("utf-8")
            out[name] = Rendered(text, table if self.parquet else None)
        return out


@dataclass(frozen=True)
class Rendered:
    """One table of one part, ready to append: CSV bytes (with the header row for the first part)
    and the Arrow table for Parquet; None for a format not written."""

    csv: bytes | None
    arrow: pa.Table | None


class TableWriter:
    """Writes the ``articles``, ``sentences`` and ``findings`` tables part by part (CSV and/or
    Parquet), so a corpus of any size is written with the memory of one part.

    ``schemas`` are the final tables' columns and types (the union over all parts); a part
    lacking a column gets empty cells. Parts are rendered by ``renderer`` (here, or in worker
    processes) and appended in order with :meth:`append`.
    """

    def __init__(self, out_dir: Path, schemas: dict[str, pa.Schema], output_format: str = "csv") -> None:
        make_folder(out_dir)
        self.out_dir = out_dir
        self.renderer = TableRenderer(schemas, output_format in ("csv", "both"), output_format in ("parquet", "both"))
        self.paths: list[Path] = []
        self._started: set[str] = set()
        self._parquet: dict[str, pq.ParquetWriter] = {}
        for name, schema in schemas.items():
            if self.renderer.csv:
                self.paths.append(out_dir / f"{name}.csv")
            if self.renderer.parquet:
                path = out_dir / f"{name}.parquet"
                self._parquet[name] = pq.ParquetWriter(path, schema)
                self.paths.append(path)

    def append(self, rendered: dict[str, Rendered]) -> None:
        for name, part in rendered.items():
            if part.csv is not None:
                with (self.out_dir / f"{name}.csv").open("ab" if name in self._started else "wb") as fh:
                    fh.write(part.csv)
            if part.arrow is not None:
                self._parquet[name].write_table(part.arrow)
            self._started.add(name)

    def close(self) -> None:
        for name, schema in self.renderer.schemas.items():
            if self.renderer.csv and name not in self._started:  # (only the CSV: a Parquet file has its schema)
                self.append(TableRenderer(self.renderer.schemas, True, False)({name: pd.DataFrame(columns=schema.names)}, header=True))
        for w in self._parquet.values():
            w.close()


def unify(schemas: list[pa.Schema], declared: pa.Schema | None = None) -> pa.Schema:
    """One schema for all parts: columns in first-seen order; types promoted, strings where they
    cannot be; a ``declared`` column keeps its declared type whatever the parts hold."""
    fields: dict[str, pa.DataType] = {f.name: f.type for f in declared} if declared is not None else {}
    fixed = set(fields)
    for schema in schemas:
        for f in schema:
            if f.name in fixed:
                continue
            if f.name not in fields or pa.types.is_null(fields[f.name]):
                fields[f.name] = f.type
            elif not pa.types.is_null(f.type) and f.type != fields[f.name]:
                try:
                    fields[f.name] = pa.unify_schemas([pa.schema([(f.name, fields[f.name])]), pa.schema([f])],
                                                      promote_options="permissive").field(f.name).type
                except (pa.ArrowTypeError, pa.ArrowInvalid):
                    fields[f.name] = pa.string()
    return pa.schema([(name, pa.string() if pa.types.is_null(t) else t) for name, t in fields.items()])


def as_text(values: pd.Series) -> pd.Series:
    """Every value as a string; empty cells stay empty."""
    return values.map(lambda v: None if is_missing(v) else str(v))


def conform(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """The frame as an Arrow table of exactly ``schema`` (values of string columns stringified)."""
    columns = []
    for f in schema:
        values = frame[f.name]
        if pa.types.is_string(f.type) or pa.types.is_large_string(f.type):
            try:  # texts and empty cells go in as they are
                columns.append(pa.array(values, type=f.type, from_pandas=True))
                continue
            except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers, booleans ... in a text column
                values = as_text(values)
        columns.append(pa.array(values, type=f.type, from_pandas=True))
    return pa.Table.from_arrays(columns, schema=schema)


def make_folder(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out_dir}: cannot create output folder: {exc.strerror or exc}") from None


#: where a run writes its outputs until it completes (inside the output folder)
STAGING = ".mtqa-staging"
#: every file a run may publish; those the new run did not write are removed (no mixture)
OUTPUTS = tuple(f"{n}.{ext}" for n in ("articles", "sentences", "findings") for ext in ("csv", "parquet")) + ("summary.json", "report.html")


def staging_folder(out_dir: Path) -> Path:
    """An empty staging folder in ``out_dir`` (what a failed run left there is discarded)."""
    import shutil

    staging = out_dir / STAGING
    if staging.is_symlink() or staging.is_file():
        staging.unlink()
    elif staging.exists():
        shutil.rmtree(staging)
    make_folder(staging)
    return staging


def publish(staging: Path, out_dir: Path) -> None:
    """Move a completed run's outputs from ``staging`` into ``out_dir``: each file is renamed
    into place, and a previous run's outputs that this run did not write are removed, so
    the folder never mixes two runs. A run that fails before this leaves the old outputs."""
    import os

    for name in OUTPUTS:
        new, old = staging / name, out_dir / name
        if new.exists():
            os.replace(new, old)
        elif old.exists() or old.is_symlink():
            old.unlink()
    staging.rmdir()


def write_reports(out_dir: Path, summary: dict[str, Any], html: str | None = None) -> list[Path]:
    """``summary.json`` and ``report.html``; returns the paths."""
    make_folder(out_dir)
    written = []
    path = out_dir / "summary.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    written.append(path)
    if html is not None:
        path = out_dir / "report.html"
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written
