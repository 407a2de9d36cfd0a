"""Segment: split an article into paragraphs and sentences with character offsets.

Sentences come from Blingfire (a finite-state segmenter that knows news English:
titles, initials, decimals; fast enough for millions of sentences on one core), then
two repairs keep the broken pieces that MT and scraping leave as segments of their own:

* a punctuation-only piece (``"."``) is joined to the sentence after it, so
  ``". They should meet ..."`` stays one sentence with stray leading punctuation,
  except closing brackets and quotes, which end the sentence before;
* a scraper placeholder after a full stop (``"deal. [19659007] Russia ..."``) starts
  a new sentence.

Paragraphs are separated by blank lines, or by a single newline when the line before
ends a sentence, or the next line is indented or a bullet; otherwise a single newline
is a soft wrap inside a paragraph.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any
from ctypes import byref, c_char_p, c_int, c_int32, create_string_buffer, string_at

import blingfire

from mtqa.types import Article, Document, Paragraph, Sentence

_BLANK_LINE = re.compile(r"\n(?:[ \t\u00a0]*\n)+")
_HARD_BREAK = re.compile(r"(?<=[.!?:\"”’)\]])[ \t]*\n|\n(?=[ \t]|[•·▪►●*\-–—] )")
_PUNCT_ONLY = re.compile(r"^[^\w\s]+$")
_CLOSING_ONLY = re.compile(r"^[)\]}\"'”’»]+$")
_INNER_END = re.compile(r"[.!?…][\"'”’)\]]*\s")
_PLACEHOLDER_SPLIT = re.compile(r"(?<=[.!?\"”’])\s+(?=\[\d+\])")


def segment(article: Article) -> Document:
    """Split ``article.text`` into paragraphs and sentences."""
    text = article.text
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    title = (article.title or "").strip()
    for p_start, p_end in _paragraph_spans(text):
        p_text = text[p_start:p_end]
        is_title = bool(title) and not paragraphs and p_text.strip() == title
        p_index = len(paragraphs)
        paragraphs.append(Paragraph(p_index, p_start, p_end, p_text, is_title))
        spans = list(_sentence_spans(p_text))
        for k, (s, e) in enumerate(spans):
            sentences.append(Sentence(
                index=len(sentences), paragraph=p_index, start=p_start + s, end=p_start + e,
                text=p_text[s:e], is_title=is_title,
                first_in_paragraph=k == 0, last_in_paragraph=k == len(spans) - 1,
            ))
    return Document(article, paragraphs, sentences)


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Non-empty paragraph spans; leading indentation is kept (it is evidence), trailing space is not."""
    for b_start, b_end in _split(text, _BLANK_LINE):
        block = text[b_start:b_end]
        for s, e in _split(block, _HARD_BREAK) if "\n" in block else ((0, len(block)),):
            piece = block[s:e]
            lead = len(piece) - len(piece.lstrip("\n"))
            stripped = piece.rstrip()
            if stripped.strip():
                yield b_start + s + lead, b_start + s + len(stripped)


def _split(text: str, sep: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in sep.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


_local = threading.local()


def _buffers(size: int) -> tuple[Any, Any, Any, int]:
    """Output buffers for Blingfire, reused across calls (per thread) and grown when needed."""
    cached = getattr(_local, "buffers", None)
    if cached is None or cached[3] < size:
        size = max(size, 4096)
        cached = (create_string_buffer(size), (c_int32 * size)(), (c_int32 * size)(), size)
        _local.buffers = cached
    return cached


def _blingfire_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans (character offsets) from Blingfire's C segmenter.

    Blingfire's own Python wrapper maps byte offsets to characters with a Python loop
    over every byte; here ASCII text needs no mapping and other text is mapped by
    decoding prefixes (a few C calls per paragraph).
    """
    data = text.encode("utf-8")
    out, starts, ends, size = _buffers(len(data) * 2 + 16)  # room for the newlines Blingfire inserts
    n_bytes = blingfire.blingfire.TextToSentencesWithOffsets(
        c_char_p(data), c_int(len(data)), byref(out), byref(starts), byref(ends), c_int(size))
    if n_bytes <= 0 or n_bytes > size:
        return [(0, len(text))] if text.strip() else []
    count = string_at(out, n_bytes).count(b"\n") + 1
    pairs = [(starts[i], ends[i] + 1) for i in range(count)]
    if len(data) == len(text):  # ASCII: bytes are characters
        return pairs
    return [(len(data[:b].decode("utf-8", "ignore")), len(data[:e].decode("utf-8", "ignore"))) for b, e in pairs]


def _sentence_spans(p_text: str) -> Iterator[tuple[int, int]]:
    lead = len(p_text) - len(p_text.lstrip())
    body = p_text[lead:]
    end = len(body.rstrip())
    # Fast path: no sentence-ending mark before the end means one sentence; no need to ask Blingfire.
    if not _INNER_END.search(body, 0, end):
        if "[" not in body:  # (nor a placeholder to split at)
            yield lead, lead + end
            return
        offsets = [(0, end)]
    else:
        offsets = _blingfire_spans(body)
    pieces: list[list[int]] = []
    pending: int | None = None  # start of a punctuation-only piece waiting for its sentence
    for s, e in offsets or [(0, len(body))]:
        marks = not body[s:s + 1].isalnum()  # a piece starting with a word (the usual case) is neither kind below
        if marks and pieces and pending is None and _CLOSING_ONLY.match(body[s:e]):
            pieces[-1][1] = e  # a closing bracket or quote belongs to the sentence before
            continue
        if marks and _PUNCT_ONLY.match(body[s:e]):
            pending = s if pending is None else pending
            continue
        pieces.append([pending if pending is not None else s, e])
        pending = None
    if pending is not None:
        pieces.append([pending, end])
    placeholders = "[" in body
    for s, e in pieces:
        pos = s
        for m in _PLACEHOLDER_SPLIT.finditer(body, s, e) if placeholders else ():
            yield lead + pos, lead + m.start()
            pos = m.end()
        yield lead + pos, lead + e
