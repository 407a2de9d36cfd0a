"""One reader per input format. Each yields :class:`Article` records, never raises on bad rows.

A row that cannot be used becomes an Article with ``error`` set, so that every input
appears in the output; so does a file that cannot be used at all (no text column, not
readable): one error row for the file, and the run goes on with the next.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from mtqa.ingest.decode import DecodeError, decode_bytes, decode_guessing, normalise_newlines, sniff_legacy
from mtqa.types import Article

#: Optional article fields every tabular format understands; others are carried as extras.
KNOWN_FIELDS = ("id", "title", "url", "source", "source_lang", "reference", "lang")
#: the per-article suppression field: a list of rule codes or prefixes (JSON list, or text
#: separated by commas, semicolons or spaces)
IGNORE_FIELD = "mtqa_ignore"
_CODE = re.compile(r"MT\d{0,3}")
#: What a damaged or hostile file raises while it is read: the file (or the rest of it)
#: becomes an error row and the run goes on.
READ_ERRORS = (OSError, EOFError, zlib.error, ValueError, RecursionError, MemoryError, UnicodeError)
_SURROGATE = re.compile("[\ud800-\udfff]")
_INT64 = (-(2**63), 2**63 - 1)
#: a character that shows: not space, not a control or format character (NUL, zero-width space, BOM, ...)
_VISIBLE = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


@dataclass(frozen=True)
class Limits:
    """Size limits that keep a hostile or broken input from exhausting memory or time."""

    #: an article longer than this (in characters) becomes an error row
    article_chars: int = 1_000_000
    #: a file that decompresses to more bytes than this is read up to here, then an error row
    file_bytes: int = 1 << 30


class InputTooLarge(ValueError):
    """More bytes than a limit allows (a gzip bomb, a runaway line)."""


class _Capped(io.RawIOBase):
    """A read-only byte stream that fails once more than ``cap`` bytes came through it."""

    def __init__(self, raw: IO[bytes], cap: int, own: bool) -> None:
        super().__init__()
        self.raw, self.cap, self.own, self.count = raw, cap, own, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        self.count += len(data)
        if self.count > self.cap:
            raise InputTooLarge(f"more than {self.cap:,} bytes after decompression (max-file-bytes)")
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if self.own and not self.raw.closed:
            self.raw.close()
        super().close()


def open_input(path: Path, limits: Limits, stream: IO[bytes] | None = None) -> io.BufferedReader:
    """The bytes of ``path`` (gunzipped for ``*.gz``, any case) or of ``stream`` (left open),
    capped at ``limits.file_bytes``."""
    if stream is not None:
        return io.BufferedReader(_Capped(stream, limits.file_bytes, own=False), 1 << 16)
    raw: IO[bytes] = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")
    return io.BufferedReader(_Capped(raw, limits.file_bytes, own=True), 1 << 16)


def split_title(text: str) -> str | None:
    """The first line is a title when a blank line follows it."""
    head, sep, rest = text.partition("\n")
    if sep and rest.startswith("\n") and head.strip() and len(head) <= 300:
        return head.strip()
    return None


def too_long(chars: int, limits: Limits) -> str:
    return f"article longer than max-article-chars={limits.article_chars:,} ({chars:,} characters or more); not scored"


def read_lines(path: Path, article_id: str, stream: IO[bytes] | None = None, limits: Limits = Limits()) -> Iterator[Article]:
    """``--input-format lines``: every line is one article (a segment, as sacrebleu and COMET
    read them), with id ``PATH:N``; an empty line is an error row (an empty translation)."""
    return _per_line(path, article_id, stream, limits,
                     lambda line, n: _checked(Article(id=f"{article_id}:{n}", text=line, path=str(path), line=n)))


def _per_line(path: Path, article_id: str, stream: IO[bytes] | None, limits: Limits,
              make: Callable[[str, int], Article | None]) -> Iterator[Article]:
    """``make(line, line number)`` for every decoded line (None: skip it); an undecodable or
    runaway line is an error row, a damaged file ends with one."""
    try:
        fh = open_input(path, limits, stream)
    except OSError as exc:
        yield Article(id=article_id, text="", path=str(path), error=cannot_read(exc))
        return
    with fh:
        lineno = 0
        try:
            for lineno, line, guess in _text_lines(fh, limits):
                if isinstance(line, Exception):
                    yield Article(id=f"{article_id}:{lineno}", text="", path=str(path), line=lineno, error=str(line))
                elif (article := make(line, lineno)) is not None:
                    yield _with_encoding(article, guess)
        except READ_ERRORS as exc:  # truncated gzip, corrupt deflate data, a gzip bomb and the like
            yield Article(id=f"{article_id}:{lineno + 1}", text="", path=str(path), line=lineno + 1,
                          error=f"{cannot_read(exc)} (the rest of the file is not read)")


def read_parallel(path: Path, limits: Limits = Limits()) -> list[str]:
    """The lines of a line-aligned source or reference file (``-s``/``-r``)."""
    with open_input(path, limits) as fh:
        return [line if isinstance(line, str) else "" for _, line, _ in _text_lines(fh, limits)]


def read_text(path: Path, article_id: str, stream: IO[bytes] | None = None, limits: Limits = Limits()) -> Iterator[Article]:
    """``.txt``/``.md``: the whole file is one article; see :func:`split_title`."""
    budget = limits.article_chars * 4 + 4  # UTF-8 takes at most 4 bytes a character
    try:
        with open_input(path, limits, stream) as fh:
            raw = fh.read(budget)
            overlong = bool(fh.read(1))
        if overlong:
            yield Article(id=article_id, text="", path=str(path), line=1, error=too_long(limits.article_chars + 1, limits))
            return
        text, guess = decode_guessing(raw)
    except DecodeError as exc:
        yield Article(id=article_id, text="", path=str(path), line=exc.line, error=str(exc))
        return
    except READ_ERRORS as exc:
        yield Article(id=article_id, text="", path=str(path), error=cannot_read(exc))
        return
    yield _with_encoding(_checked(Article(id=article_id, text=text, path=str(path), line=1, title=split_title(text))), guess)


def _with_encoding(article: Article, guess: str | None) -> Article:
    """The article, with the legacy encoding its bytes were read in recorded (``encoding_detected``)."""
    if guess is not None:
        article.extra["encoding_detected"] = guess
    return article


def cannot_read(exc: BaseException) -> str:
    """One line for a file that could not be read (truncated gzip, corrupt data, ...)."""
    detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return f"cannot read: {type(exc).__name__}: {detail}"[:300]


def read_jsonl(path: Path, article_id: str, text_col: str, id_col: str, stream: IO[bytes] | None = None,
               limits: Limits = Limits()) -> Iterator[Article]:
    """``.jsonl``/``.ndjson``: one JSON object per line, streamed; blank lines are skipped."""
    return _per_line(path, article_id, stream, limits,
                     lambda line, n: _jsonl_record(line, n, path, article_id, text_col, id_col) if line.strip() else None)


def _text_lines(fh: io.BufferedReader, limits: Limits) -> Iterator[tuple[int, str | Exception, str | None]]:
    """Decode line by line (streaming, each line capped): (line number, text or the error,
    the legacy encoding it was read in or None). UTF-16 files are decoded whole first. The
    first line that is not UTF-8 sets the file's legacy encoding (guessed from it), which
    reads every later line that is not UTF-8 either."""
    if fh.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            for n, line in enumerate(decode_bytes(fh.read()).split("\n"), start=1):
                yield n, line, None
        except DecodeError as exc:
            yield exc.line, exc, None
        return
    legacy: str | None = None
    cap = limits.article_chars * 4 + (1 << 20)  # the text, its metadata and JSON escapes
    lineno = 0
    while raw := fh.readline(cap):
        lineno += 1
        if not raw.endswith(b"\n") and len(raw) >= cap:
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the runaway line, in bounded pieces
            yield lineno, InputTooLarge(f"line longer than {cap:,} bytes: {too_long(limits.article_chars + 1, limits)}"), None
            continue
        raw = raw.rstrip(b"\r\n")
        try:
            yield lineno, decode_bytes(raw), None
            continue
        except DecodeError as exc:
            error = exc
        try:
            if legacy is None:
                text, legacy = decode_guessing(raw)
            else:
                text = normalise_newlines(raw.decode(legacy))
            yield lineno, text, legacy
        except (DecodeError, UnicodeDecodeError):
            yield lineno, error, None


def _jsonl_record(line: str, lineno: int, path: Path, article_id: str, text_col: str, id_col: str) -> Article:
    fallback_id = f"{article_id}:{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Article(id=fallback_id, text="", path=str(path), line=lineno, error=f"not valid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return Article(id=fallback_id, text="", path=str(path), line=lineno, error="not usable JSON: nested too deeply")
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        return Article(id=fallback_id, text="", path=str(path), line=lineno, error=f"not usable JSON: {str(exc)[:200]}")
    if not isinstance(obj, dict):
        return Article(id=fallback_id, text="", path=str(path), line=lineno, error=f"expected a JSON object, got {type(obj).__name__}")
    return _from_record(obj, lineno, path, fallback_id, text_col, id_col)


def read_delimited(path: Path, article_id: str, text_col: str, id_col: str, delimiter: str,
                   stream: IO[bytes] | None = None, limits: Limits = Limits()) -> Iterator[Article]:
    """``.csv``/``.tsv``: a header row, then one article per row (quoted newlines allowed), streamed.

    Quotes are checked strictly: an unterminated quote, or a quoted field that swallowed
    lines looking like rows of their own (an unbalanced quote), is an error row naming
    its line, never rows merged in silence.
    """
    try:
        fh = open_input(path, limits, stream)
        sample = fh.peek(1 << 16)
        legacy = sniff_legacy(sample)
        encoding = "utf-16" if sample[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else legacy or "utf-8-sig"
    except READ_ERRORS as exc:
        yield Article(id=article_id, text="", path=str(path), error=cannot_read(exc))
        return
    with io.TextIOWrapper(fh, encoding=encoding, newline="") as text:
        csv.field_size_limit(limits.article_chars * 4 + 1024)
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            yield Article(id=article_id, text="", path=str(path), line=1, error="empty file: no header row")
            return
        except (csv.Error, *READ_ERRORS) as exc:
            yield Article(id=article_id, text="", path=str(path), line=1, error=_row_error(exc))
            return
        if missing := _missing_column(header, text_col):
            yield Article(id=article_id, text="", path=str(path), line=1, error=missing)
            return
        line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, *READ_ERRORS) as exc:
                yield Article(id=f"{article_id}:{line}", text="", path=str(path), line=line,
                              error=f"{_row_error(exc)} (the rest of the file is not read)")
                return
            if row:
                merged = _swallowed_rows(row, delimiter, len(header)) if reader.line_num > line else None
                if merged:
                    yield Article(id=f"{article_id}:{line}", text="", path=str(path), line=line, error=merged)
                else:
                    yield _with_encoding(_delimited_record(row, header, line, path, article_id, text_col, id_col), legacy)
            line = reader.line_num + 1


def _row_error(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid text ({exc.encoding}): byte 0x{exc.object[exc.start]:02x}"
    if isinstance(exc, csv.Error):
        message = str(exc)
        if "unexpected end of data" in message or "EOF" in message:
            return "malformed row: a quote opened here is never closed"
        return f"malformed row: {message}"
    return cannot_read(exc)


def _swallowed_rows(row: list[str], delimiter: str, columns: int) -> str | None:
    """Why a multi-line row looks like several rows merged by an unbalanced quote, or None."""
    if columns < 2:
        return None
    for value in row:
        inner = value.split("\n")[1:]
        suspects = [ln for ln in inner if ln.count(delimiter) >= columns - 1]
        if suspects:
            return (f"malformed row: a quoted field runs over {len(inner) + 1} lines and holds {len(suspects)} line(s) "
                    f"that look like rows (an unbalanced quote?); those rows are not scored")
    return None


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
    if missing := _missing_column(pf.schema_arrow.names, text_col):
        yield Article(id=article_id, text="", path=str(path), error=missing)
        return
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=2048):
            for record in batch.to_pylist():
                row += 1
                yield _from_record(record, row, path, f"{article_id}:{row}", text_col, id_col)
    except Exception as exc:  # corrupt pages surface as OSError, ArrowInvalid, ...
        yield Article(id=f"{article_id}:{row + 1}", text="", path=str(path), line=row + 1,
                      error=f"{cannot_read(exc)} (rows after {row} not read)")


def _missing_column(columns: list[str], name: str) -> str | None:
    """The error of a file without the text column (the file becomes one error row), or None."""
    if name in columns:
        return None
    found = ", ".join(repr(c) for c in columns[:20]) or "none"
    return f"no {name!r} column (found: {found}); use --text-column to pick one"


def article_from_record(record: dict[str, Any], line: int, path: Path, fallback_id: str, text_col: str = "text",
                        id_col: str = "id") -> Article:
    """An article from one record (a JSON object, a table row): its text, id, known fields and extras."""
    return _from_record(record, line, path, fallback_id, text_col, id_col)


def _from_record(record: dict[str, Any], line: int, path: Path, fallback_id: str, text_col: str, id_col: str) -> Article:
    text = record.get(text_col)
    raw_id = _str_or_none(record.get(id_col))
    art_id = raw_id if raw_id is not None else fallback_id
    extra = {clean_text(str(k)): plain_value(v) for k, v in record.items() if k not in (text_col, id_col) and k not in KNOWN_FIELDS}
    meta = {k: _str_or_none(record.get(k)) for k in KNOWN_FIELDS if k != "id"}
    article = Article(
        id=art_id, text="", path=str(path), line=line, title=meta["title"],
        source_lang=(meta["source_lang"] or "").lower() or None, reference=meta["reference"],
        # a source field given but blank stays "" (MT012 reports it), apart from no source at all (None)
        source="" if meta["source"] is None and isinstance(record.get("source"), str) else meta["source"],
        extra={**{k: meta[k] for k in ("url", "lang") if meta[k] is not None}, **extra},
    )
    if IGNORE_FIELD in record:
        article.ignore, bad = _ignore_codes(record[IGNORE_FIELD])
        if bad:
            article.error = f"{IGNORE_FIELD}: {bad!r} is not a rule code or prefix (MT101, MT1)"
    if text is None:
        article.error = f"no {text_col!r} field"
    elif not isinstance(text, str):
        article.error = f"{text_col!r} is {type(text).__name__}, not a string"
    elif _SURROGATE.search(text):
        article.text = clean_text(normalise_newlines(text))
        article.error = f"{text_col!r} is not valid Unicode (a lone surrogate code point)"
    else:
        article.text = normalise_newlines(text)
    return _checked(article)


def _ignore_codes(value: Any) -> tuple[tuple[str, ...], str | None]:
    """The codes of an ``mtqa_ignore`` value, and the first entry that is not one (or None)."""
    if value is None or (isinstance(value, float) and value != value):
        return (), None
    items = value if isinstance(value, (list, tuple)) else re.split(r"[\s,;]+", str(value).strip())
    codes = [str(v).strip().upper() for v in items if str(v).strip()]
    bad = next((c for c in codes if not _CODE.fullmatch(c)), None)
    return tuple(codes), bad


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (unencodable: from JSON escapes or undecodable file names) as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def plain_value(value: Any) -> Any:
    """An input field as a value every output format can hold: str, int64, float, bool or None.

    Bigger integers, dates, decimals, durations, bytes and nested values become text.
    """
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        if _INT64[0] <= value <= _INT64[1]:
            return value
        return _int_text(value)
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        try:
            return clean_text(json.dumps(value, ensure_ascii=False, default=str))
        except (ValueError, RecursionError):
            return f"<{type(value).__name__} not representable>"
    return clean_text(str(value))  # Decimal, timedelta, numpy scalars, ...


def _int_text(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # beyond Python's integer-to-text digit limit
        return f"<integer of {value.bit_length()} bits>"


def _str_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return _int_text(value)
    value = plain_value(value)
    return value if isinstance(value, str) else str(value)


def _checked(article: Article) -> Article:
    if article.error is None and not _VISIBLE.search(article.text):
        article.error = "empty article: no text" if not article.text.strip() else "empty article: only invisible or control characters"
    return article



