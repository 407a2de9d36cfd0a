"""Ingest: find input files, pick a reader by extension, yield :class:`Article` records.

Formats (gzip accepted as ``*.gz``): ``.txt``/``.md`` (one article per file),
``.jsonl``/``.ndjson``, ``.csv``/``.tsv``, ``.parquet``. ``-`` reads stdin.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.errors import UsageError
from mtqa.ingest.readers import (
    Limits,
    cannot_read,
    clean_text,
    read_delimited,
    read_jsonl,
    read_lines,
    read_parquet,
    read_text,
    too_long,
)
from mtqa.ingest.out_of_step import mark_out_of_step
from mtqa.langid import detect_language, iso_639_1
from mtqa.types import Article

FORMATS = ("txt", "md", "jsonl", "ndjson", "csv", "tsv", "parquet")


@dataclass
class IngestOptions:
    text_column: str = "text"
    id_column: str = "id"
    input_format: str | None = None
    exclude: Sequence[str] = ("README*", "LICENSE*", "NOTICE*")
    #: plain text (``.txt``, text on stdin) is one segment a line, as with ``--input-format lines``:
    #: set when line-aligned ``-s``/``-r`` files come with it and no format is forced
    plain_text_lines: bool = False
    #: the language of sources given without one (``--source-lang``); None: guessed (langdetect)
    source_lang: str | None = None
    #: folders never read as input (the run's own output folder)
    skip: Sequence[Path] = ()
    limits: Limits = field(default_factory=Limits)


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


def detect_format(path: Path, options: IngestOptions) -> str | None:
    """The format ``options`` force, or the one the extension names (``.gz`` stripped); ``.txt``
    is ``lines`` with ``options.plain_text_lines``."""
    if options.input_format:
        return options.input_format
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext == "txt" and options.plain_text_lines:
        return "lines"
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
            fmt = detect_format(path, options)
            if fmt is None:
                raise UsageError(f"{arg}: unknown extension (supported: {', '.join(FORMATS)}, optionally .gz)")
            inv.files.append(InputFile(path, display(path), fmt))
        elif not path.is_dir():  # a FIFO, /dev/stdin, a process substitution: read as a stream, like -
            inv.files.append(InputFile(path, display(path), detect_format(path, options) or "auto"))
        else:
            _walk(path, options, inv)
    return inv


def _walk(folder: Path, options: IngestOptions, inv: Inventory) -> None:
    """The files under ``folder`` (sorted; hidden entries and ``options.skip`` left out).

    Whatever cannot be read as a file is listed in ``inv.skipped`` with the reason: broken
    links, FIFOs and other special files, unreadable folders, links to files outside
    ``folder`` (not followed: a corpus folder should not reach elsewhere).
    """
    root = folder.resolve()
    skip = {p.resolve() for p in options.skip}

    def unreadable(exc: OSError) -> None:
        inv.skipped.append(f"{display(exc.filename or folder)} (unreadable folder: {exc.strerror or exc})")

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and (here / d).resolve() not in skip)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            child = here / name
            shown = display(child)
            reason = _not_a_corpus_file(child, root)
            if reason:
                inv.skipped.append(f"{shown} ({reason})")
            elif any(fnmatch.fnmatch(name, pat) for pat in options.exclude):
                inv.skipped.append(f"{shown} (excluded)")
            elif (fmt := detect_format(child, options)) is None:
                inv.skipped.append(f"{shown} (unknown extension)")
            else:
                inv.files.append(InputFile(child, shown, fmt))


def _not_a_corpus_file(path: Path, root: Path) -> str | None:
    """Why ``path`` is not read as input, or None."""
    try:
        info = path.stat()
    except OSError:
        return "broken link" if path.is_symlink() else "cannot be read"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (FIFO, socket or device)"
    if path.is_symlink() and not path.resolve().is_relative_to(root):
        return "link to a file outside the input folder, not followed"
    return None


def display(path: Path | str) -> str:
    """A path as text that every output can hold (bytes of a non-UTF-8 name as U+FFFD)."""
    return clean_text(Path(path).as_posix())


def read_articles(inv: Inventory, options: IngestOptions) -> Iterator[Article]:
    """Yield every article of every file, in order (see :func:`prepare`), segments out of step
    with their sources marked (:mod:`mtqa.ingest.out_of_step`).

    A file that fails while it is read ends there with an error row naming it; the next
    file is read as usual.
    """
    return mark_out_of_step(prepare(raw_articles(inv, options), options.limits, options.source_lang))


def raw_articles(inv: Inventory, options: IngestOptions) -> Iterator[Article]:
    """Every file's articles as read, before :func:`prepare`."""
    return (a for item in inv.files for a in _guarded(item, options))


def with_parallel(articles: Iterable[Article], references: Sequence[str] | None = None, sources: Sequence[str] | None = None,
                  names: tuple[str, str] = ("-r", "-s"), source_lang: str | None = None) -> Iterator[Article]:
    """Give the Nth article the Nth reference and/or source line (``-r REF.txt``, ``-s SRC.txt``).

    The counts must agree: otherwise a usage error naming both counts (raised as soon as
    one side runs out, so a run over stdin is stopped too). Without a ``source_lang`` for the
    run (:func:`prepare` gives it), a source line of an article without one gets the language
    of the source file (:func:`file_language`), recorded as a guess in ``extra["source_lang_detected"]``.
    """
    guess = file_language(sources) if sources is not None and source_lang is None else None
    n = 0
    for article in articles:
        for lines, attr, flag in ((references, "reference", names[0]), (sources, "source", names[1])):
            if lines is None:
                continue
            if n >= len(lines):
                raise UsageError(f"{flag}: {len(lines)} line(s), but the input has more segments than that")
            if lines[n].strip():
                setattr(article, attr, lines[n])
            elif attr == "source":
                article.source = ""  # given but blank: MT012 reports it
        if guess is not None and article.source and not article.source_lang:
            article.source_lang = article.extra["source_lang_detected"] = guess
        n += 1
        yield article
    for lines, flag in ((references, names[0]), (sources, names[1])):
        if lines is not None and len(lines) != n:
            hint = " (one segment a line: --input-format lines)" if n == 1 else ""
            raise UsageError(f"{flag}: {len(lines)} line(s), but the input has {n} segment(s); they must be line-aligned{hint}")


#: lines of a source file that langdetect reads to name the file's language
LANGUAGE_SAMPLES = 20


def file_language(lines: Sequence[str]) -> str | None:
    """The language of most of a line-aligned source file: langdetect's guess for each of
    ``LANGUAGE_SAMPLES`` lines spread through it, and the guess of more than half of them. None
    when no language has that many (a file of mixed languages: each line is then guessed alone).

    One guess for the file is far faster than one a line (langdetect takes about 2 ms a text)
    and more often right: alone, 9% of MLQE-PE's Russian train sources read as Bulgarian,
    Macedonian or Ukrainian, and 5% of newstest2020's Chinese ones as Korean or Vietnamese."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return None
    count = min(LANGUAGE_SAMPLES, len(filled))
    picks = [filled[i * len(filled) // count] for i in range(count)]
    votes = Counter(iso_639_1(lang) for lang, _ in map(detect_language, picks) if lang != "unknown")
    if not votes:
        return None
    lang, votes_for = votes.most_common(1)[0]
    return lang if votes_for > len(picks) / 2 else None


def prepare(articles: Iterable[Article], limits: Limits, source_lang: str | None = None) -> Iterator[Article]:
    """Articles as every output can hold them: ids unique (``#n`` added), text that Unicode
    can encode, an error row for an article over ``limits.article_chars``, and for a source
    given without a language, ``source_lang`` or else a langdetect guess."""
    used: set[str] = set()
    last: dict[str, int] = {}
    for article in articles:
        article.id, article.path = clean_text(article.id), clean_text(article.path)
        if article.error is None and len(article.text) > limits.article_chars:
            article.text, article.error = "", too_long(len(article.text), limits)
        if article.title is not None:
            article.title = clean_text(article.title)
        if article.source and article.source.strip() and not article.source_lang and source_lang is not None:
            article.source_lang = source_lang
        if article.source and article.source.strip() and not article.source_lang and article.error is None:
            guess, _ = detect_language(article.source)
            if guess != "unknown":  # recorded, so a reader can tell a guess from a given language
                article.source_lang = article.extra["source_lang_detected"] = iso_639_1(guess)
        if article.id in used:
            base, n = article.id, last.get(article.id, 2)
            while f"{base}#{n}" in used:
                n += 1
            last[base] = n
            article.id = f"{base}#{n}"
        used.add(article.id)
        yield article


def _guarded(item: InputFile, options: IngestOptions) -> Iterator[Article]:
    """The file's articles; an error while reading becomes one error row for the rest of it."""
    count = 0
    try:
        for article in _read_file(item, options):
            count += 1
            yield article
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure stays inside this file
        yield Article(id=f"{item.article_id}:?", text="", path=item.article_id,
                      error=f"{cannot_read(exc)} (after {count} article(s) of this file)")


def _read_file(item: InputFile, options: IngestOptions) -> Iterator[Article]:
    fmt, stream = item.fmt, None
    if item.path == Path("-") or fmt == "auto":
        # stdin or a pipe given by name: streamed, never read whole; the format sniffed when not given
        stream = sys.stdin.buffer if item.path == Path("-") else open(item.path, "rb", buffering=1 << 16)  # noqa: SIM115
        if fmt == "auto":
            head = stream.peek(1 << 16) if hasattr(stream, "peek") else b""
            fmt = "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "lines" if options.plain_text_lines else "txt"
    tc, ic, limits = options.text_column, options.id_column, options.limits
    if fmt == "lines":
        return read_lines(item.path, item.article_id, stream, limits)
    if fmt in ("txt", "md"):
        return read_text(item.path, item.article_id, stream, limits)
    if fmt in ("jsonl", "ndjson"):
        return read_jsonl(item.path, item.article_id, tc, ic, stream, limits)
    if fmt in ("csv", "tsv"):
        return read_delimited(item.path, item.article_id, tc, ic, "\t" if fmt == "tsv" else ",", stream, limits)
    if fmt == "parquet":
        if stream is not None:
            raise UsageError("-: parquet cannot be read from stdin; pass a file")
        return read_parquet(item.path, item.article_id, tc, ic)
    raise UsageError(f"{item.path}: unknown input format {fmt!r} (supported: {', '.join(FORMATS)})")
