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
from collections.abc import Iterator

import blingfire

from mtqa.types import Article, Document, Paragraph, Sentence

_BLANK_LINE = re.compile(r"\n(?:[ \t\u00a0]*\n)+")
_HARD_BREAK = re.compile(r"(?<=[.!?:\"”’)\]])[ \t]*\n|\n(?=[ \t]|[•·▪►●*\-–—] )")
_PUNCT_ONLY = re.compile(r"^[^\w\s]+$")
_CLOSING_ONLY = re.compile(r"^[)\]}\"'”’»]+$")
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
        for s, e in _split(block, _HARD_BREAK):
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


def _sentence_spans(p_text: str) -> Iterator[tuple[int, int]]:
    lead = len(p_text) - len(p_text.lstrip())
    body = p_text[lead:]
    _, offsets = blingfire.text_to_sentences_and_offsets(body)
    pieces: list[list[int]] = []
    pending: int | None = None  # start of a punctuation-only piece waiting for its sentence
    for s, e in offsets or [(0, len(body))]:
        if pieces and pending is None and _CLOSING_ONLY.match(body[s:e]):
            pieces[-1][1] = e  # a closing bracket or quote belongs to the sentence before
            continue
        if _PUNCT_ONLY.match(body[s:e]):
            pending = s if pending is None else pending
            continue
        pieces.append([pending if pending is not None else s, e])
        pending = None
    if pending is not None:
        pieces.append([pending, len(body.rstrip())])
    for s, e in pieces:
        pos = s
        for m in _PLACEHOLDER_SPLIT.finditer(body, s, e):
            yield lead + pos, lead + m.start()
            pos = m.end()
        yield lead + pos, lead + e
