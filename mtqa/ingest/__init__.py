"""Ingest: find input files, pick a reader by extension, yield :class:`Article` records.

Formats (gzip accepted as ``*.gz``): ``.txt``/``.md`` (one article per file),
``.jsonl``/``.ndjson``, ``.csv``/``.tsv``, ``.parquet``. ``-`` reads stdin.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.errors import UsageError
from mtqa.ingest.readers import read_delimited, read_jsonl, read_parquet, read_text
from mtqa.types import Article

FORMATS = ("txt", "md", "jsonl", "ndjson", "csv", "tsv", "parquet")


@dataclass
class IngestOptions:
    text_column: str = "text"
    id_column: str = "id"
    input_format: str | None = None
    exclude: Sequence[str] = ("README*", "LICENSE*", "NOTICE*")


@dataclass
class InputFile:
    path: Path
    article_id: str
    fmt: str


@dataclass
class Inventory:
    """The files a run will read, and those it passed over (reported, never silent)."""

    files: list[InputFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def detect_format(path: Path, forced: str | None = None) -> str | None:
    """The format named by the extension (``.gz`` stripped), or ``forced``."""
    if forced:
        return forced
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    return ext if ext in FORMATS else None


def discover(paths: Sequence[str], options: IngestOptions) -> Inventory:
    """Expand files and folders (recursive, sorted, hidden files skipped)."""
    inv = Inventory()
    for arg in paths:
        if arg == "-":
            inv.files.append(InputFile(Path("-"), "stdin", options.input_format or "auto"))
            continue
        path = Path(arg)
        if not path.exists():
            raise UsageError(f"{arg}: no such file or folder")
        if path.is_file():
            fmt = detect_format(path, options.input_format)
            if fmt is None:
                raise UsageError(f"{arg}: unknown extension (supported: {', '.join(FORMATS)}, optionally .gz)")
            inv.files.append(InputFile(path, path.as_posix(), fmt))
            continue
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = child.relative_to(path)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if any(fnmatch.fnmatch(child.name, pat) for pat in options.exclude):
                inv.skipped.append(f"{child.as_posix()} (excluded)")
                continue
            fmt = detect_format(child, options.input_format)
            if fmt is None:
                inv.skipped.append(f"{child.as_posix()} (unknown extension)")
                continue
            inv.files.append(InputFile(child, child.as_posix(), fmt))
    return inv


def read_articles(inv: Inventory, options: IngestOptions) -> Iterator[Article]:
    """Yield every article of every file, in order; ids made unique with ``#n``."""
    seen: dict[str, int] = {}
    for item in inv.files:
        for article in _read_file(item, options):
            n = seen.get(article.id, 0) + 1
            seen[article.id] = n
            if n > 1:
                article.id = f"{article.id}#{n}"
            yield article


def _read_file(item: InputFile, options: IngestOptions) -> Iterator[Article]:
    data = None
    fmt = item.fmt
    if item.path == Path("-"):
        data = sys.stdin.buffer.read()
        if fmt == "auto":
            fmt = "jsonl" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "txt"
    tc, ic = options.text_column, options.id_column
    if fmt in ("txt", "md"):
        return read_text(item.path, item.article_id, data)
    if fmt in ("jsonl", "ndjson"):
        return read_jsonl(item.path, item.article_id, tc, ic, data)
    if fmt in ("csv", "tsv"):
        return read_delimited(item.path, item.article_id, tc, ic, "\t" if fmt == "tsv" else ",", data)
    if fmt == "parquet":
        if data is not None:
            raise UsageError("-: parquet cannot be read from stdin; pass a file")
        return read_parquet(item.path, item.article_id, tc, ic)
    raise UsageError(f"{item.path}: unknown input format {fmt!r} (supported: {', '.join(FORMATS)})")
