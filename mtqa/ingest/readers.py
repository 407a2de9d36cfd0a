"""One reader per input format. Each yields :class:`Article` records, never raises on bad rows.

A row that cannot be used becomes an Article with ``error`` set, so that every input
appears in the output. Structural problems (a missing column) raise :class:`UsageError`.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from mtqa.errors import UsageError
from mtqa.ingest.decode import DecodeError, decode_bytes, normalise_newlines
from mtqa.types import Article

#: Optional article fields every tabular format understands; others are carried as extras.
KNOWN_FIELDS = ("id", "title", "url", "source", "source_lang", "reference", "lang")


def open_binary(path: Path) -> IO[bytes]:
    """Open a file, transparently gunzipping ``*.gz``."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def split_title(text: str) -> str | None:
    """The first line is a title when a blank line follows it."""
    head, sep, rest = text.partition("\n")
    if sep and rest.startswith("\n") and head.strip() and len(head) <= 300:
        return head.strip()
    return None


def read_text(path: Path, article_id: str, data: bytes | None = None) -> Iterator[Article]:
    """``.txt``/``.md``: the whole file is one article; see :func:`split_title`."""
    try:
        raw = data if data is not None else _read_all(path)
        text = decode_bytes(raw)
    except DecodeError as exc:
        yield Article(id=article_id, text="", path=str(path), line=exc.line, error=str(exc))
        return
    except OSError as exc:
        yield Article(id=article_id, text="", path=str(path), error=f"cannot read: {exc.strerror or exc}")
        return
    yield _checked(Article(id=article_id, text=text, path=str(path), line=1, title=split_title(text)))


def read_jsonl(path: Path, article_id: str, text_col: str, id_col: str, data: bytes | None = None) -> Iterator[Article]:
    """``.jsonl``/``.ndjson``: one JSON object per line; blank lines are skipped."""
    try:
        stream: IO[bytes] = io.BytesIO(data) if data is not None else open_binary(path)
    except OSError as exc:
        yield Article(id=article_id, text="", path=str(path), error=f"cannot read: {exc.strerror or exc}")
        return
    with stream:
        try:
            for lineno, line in _text_lines(stream):
                if isinstance(line, DecodeError):
                    yield Article(id=f"{article_id}:{lineno}", text="", path=str(path), line=lineno, error=str(line))
                elif line.strip():
                    yield _jsonl_record(line, lineno, path, article_id, text_col, id_col)
        except (OSError, EOFError) as exc:  # truncated gzip and the like
            yield Article(id=f"{article_id}:?", text="", path=str(path), error=f"cannot read: {exc}")


def _text_lines(stream: IO[bytes]) -> Iterator[tuple[int, str | DecodeError]]:
    """Decode line by line (streaming); UTF-16 files are decoded whole first."""
    head = stream.read(2)
    rest = stream.read() if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else None
    if rest is not None:
        try:
            yield from enumerate(decode_bytes(head + rest).split("\n"), start=1)
        except DecodeError as exc:
            yield exc.line, exc
        return
    for lineno, raw in enumerate(_prepend(head, stream), start=1):
        try:
            yield lineno, decode_bytes(raw.rstrip(b"\r\n"))
        except DecodeError as exc:
            yield lineno, exc


def _prepend(head: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    lines = iter(stream)
    first = next(lines, b"")
    yield head + first
    yield from lines


def _jsonl_record(line: str, lineno: int, path: Path, article_id: str, text_col: str, id_col: str) -> Article:
    fallback_id = f"{article_id}:{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Article(id=fallback_id, text="", path=str(path), line=lineno, error=f"not valid JSON: {exc.msg} (column {exc.colno})")
    if not isinstance(obj, dict):
        return Article(id=fallback_id, text="", path=str(path), line=lineno, error=f"expected a JSON object, got {type(obj).__name__}")
    return _from_record(obj, lineno, path, fallback_id, text_col, id_col)


def read_delimited(path: Path, article_id: str, text_col: str, id_col: str, delimiter: str, data: bytes | None = None) -> Iterator[Article]:
    """``.csv``/``.tsv``: a header row, then one article per row (quoted newlines allowed)."""
    try:
        text = decode_bytes(data if data is not None else _read_all(path))
    except DecodeError as exc:
        yield Article(id=article_id, text="", path=str(path), line=exc.line, error=str(exc))
        return
    except OSError as exc:
        yield Article(id=article_id, text="", path=str(path), error=f"cannot read: {exc.strerror or exc}")
        return
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield Article(id=article_id, text="", path=str(path), line=1, error="empty file: no header row")
        return
    _require_column(path, header, text_col)
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Article(id=f"{article_id}:{line}", text="", path=str(path), line=line, error=f"malformed row: {exc}")
            return
        if row:
            yield _delimited_record(row, header, line, path, article_id, text_col, id_col)
        line = reader.line_num + 1


def _delimited_record(row: list[str], header: list[str], line: int, path: Path, article_id: str, text_col: str, id_col: str) -> Article:
    if len(row) != len(header):
        return Article(id=f"{article_id}:{line}", text="", path=str(path), line=line,
                       error=f"row has {len(row)} fields, header has {len(header)}")
    record = dict(zip(header, row))
    return _from_record(record, line, path, f"{article_id}:{line}", text_col, id_col)


def read_parquet(path: Path, article_id: str, text_col: str, id_col: str) -> Iterator[Article]:
    """``.parquet``: read in record batches so memory stays flat."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        yield Article(id=article_id, text="", path=str(path), error=f"not a readable parquet file: {exc}")
        return
    _require_column(path, pf.schema_arrow.names, text_col)
    row = 0
    for batch in pf.iter_batches(batch_size=2048):
        for record in batch.to_pylist():
            row += 1
            yield _from_record(record, row, path, f"{article_id}:{row}", text_col, id_col)


def _require_column(path: Path, columns: list[str], name: str) -> None:
    if name not in columns:
        found = ", ".join(repr(c) for c in columns) or "none"
        raise UsageError(f"{path}: no {name!r} column (found: {found}); use --text-column to pick one")


def _from_record(record: dict[str, Any], line: int, path: Path, fallback_id: str, text_col: str, id_col: str) -> Article:
    text = record.get(text_col)
    raw_id = record.get(id_col)
    art_id = str(raw_id) if raw_id not in (None, "") else fallback_id
    extra = {k: v for k, v in record.items() if k not in (text_col, id_col) and k not in KNOWN_FIELDS}
    meta = {k: _str_or_none(record.get(k)) for k in KNOWN_FIELDS if k != "id"}
    article = Article(
        id=art_id, text="", path=str(path), line=line, title=meta["title"],
        source_lang=(meta["source_lang"] or "").lower() or None, reference=meta["reference"],
        extra={**{k: meta[k] for k in ("url", "source", "lang") if meta[k] is not None}, **extra},
    )
    if text is None:
        article.error = f"no {text_col!r} field"
    elif not isinstance(text, str):
        article.error = f"{text_col!r} is {type(text).__name__}, not a string"
    else:
        article.text = normalise_newlines(text)
    return _checked(article)


def _str_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _checked(article: Article) -> Article:
    if article.error is None and not article.text.strip():
        article.error = "empty article: no text"
    return article


def _read_all(path: Path) -> bytes:
    with open_binary(path) as fh:
        return fh.read()

