"""Sources and translations out of step, across neighbouring segments of one file.

In a file of segment pairs (``-s SRC.txt TGT.txt``, or JSONL rows with a source), a line lost
or added upstream, or an MT system that translated a document and split it again in other
places, leaves a run of translations that each fit the next (or the previous) source better
than their own. No check of one pair sees it; its neighbours show it.

For each segment, its own pair and its pairs with the next and the previous source are scored
as one Gale-Church bead each (:func:`mtqa.detect.align.pair_cost`: lengths, numbers and names,
and here ``MARKS`` too); the gain of a pairing is how much cheaper it is than the segment's own,
counted up to ``clip`` either way (one far-off length must not decide). When the gains of ``window`` neighbouring
segments, each paired with the next (or each with the previous) source, sum to ``threshold``
or more, the segments of that window with a gain are marked: ``extra[OUT_OF_STEP]`` is +1
(fits the next source) or -1, the direction of its larger gain; rule MT015 reports it.
``mtqa/data/out_of_step.json`` holds the window, clip and threshold (``bench/out_of_step.py``).

Only segments count: an article of up to ``MAX_CHARS`` characters a side, with a source, read
without error. The articles pass through in order, at most ``BLOCK`` plus two windows held at once.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from mtqa.detect.align import chars, expected_ratio, is_latin, pair_cost, text_anchors
from mtqa.types import OUT_OF_STEP, Article

#: longer articles are documents, not segments: not compared with their neighbours
MAX_CHARS = 2_000
#: articles decided at a time (each block re-reads one window before it)
BLOCK = 512


@cache
def calibration() -> dict[str, Any]:
    return json.loads(resources.files("mtqa.data").joinpath("out_of_step.json").read_text("utf-8"))


def checkable(article: Article) -> bool:
    """A segment with a source: compared with its neighbours."""
    return (article.error is None and bool(article.source) and bool(article.source.strip()) and bool(article.text.strip())
            and len(article.text) <= MAX_CHARS and len(article.source) <= MAX_CHARS)


#: punctuation a translation keeps, anchors here besides numbers and names (a question stays a
#: question): on the train sequences, seeded runs found 0.803 -> 0.819 at the same largest clean sum
MARKS = "?!():;"


def _marks(text: str) -> frozenset[str]:
    """The ``MARKS`` a text has (full-width ones as their ASCII forms: ？ is ?)."""
    normal = text if text.isascii() else unicodedata.normalize("NFKC", text)
    return frozenset(f"mark{c}" for c in MARKS if c in normal)


@dataclass(frozen=True, slots=True)
class _Pair:
    """What the scores need of one segment pair: lengths, the source's calibration, anchors."""

    src_len: int
    tgt_len: int
    expected: dict[str, float]
    src_anchors: frozenset[str]
    tgt_anchors: frozenset[str]

    @classmethod
    def of(cls, article: Article) -> _Pair:
        source = article.source or ""
        names = not is_latin(source)
        return cls(chars(source), chars(article.text), expected_ratio(article.source_lang, source),
                   text_anchors(source, article.source_lang, names) | _marks(source),
                   text_anchors(article.text, None, names) | _marks(article.text))

    def cost(self, source: _Pair) -> float:
        """This pair's translation as the translation of ``source``'s source."""
        return pair_cost(source.src_len, self.tgt_len, source.expected, (source.src_anchors, self.tgt_anchors))


@dataclass
class _Run:
    """Consecutive checkable articles of one file, with their scores once computed."""

    articles: list[Article] = field(default_factory=list)
    pairs: list[_Pair] = field(default_factory=list)
    own: list[float] = field(default_factory=list)  # each pair's cost as it stands
    gains: dict[tuple[int, int], float | None] = field(default_factory=dict)  # (index, step) -> gain
    offset: int = 0  # how many articles were dropped from the front (the gains' keys count them)

    def pair(self, i: int) -> _Pair:
        while len(self.pairs) <= i:
            pair = _Pair.of(self.articles[len(self.pairs)])
            self.pairs.append(pair)
            self.own.append(pair.cost(pair))
        return self.pairs[i]

    def gain(self, i: int, step: int) -> float | None:
        """How much cheaper translation ``i`` is as the translation of source ``i + step`` than of its own
        (None: no such source in the run)."""
        key = (self.offset + i, step)
        if key not in self.gains:
            j = i + step
            if not 0 <= j < len(self.articles):
                self.gains[key] = None
            else:
                mine, other = self.pair(i), self.pair(j)
                self.gains[key] = self.own[i] - mine.cost(other)
        return self.gains[key]

    def drop(self, n: int) -> None:
        """Forget the first ``n`` articles (decided and yielded)."""
        del self.articles[:n]
        del self.pairs[:n]
        del self.own[:n]
        self.offset += n
        self.gains = {k: v for k, v in self.gains.items() if k[0] >= self.offset}


@dataclass(frozen=True)
class Settings:
    """Neighbouring segments read together, the summed gain that marks them, and the most one
    segment's gain counts (one far-off length must not make a window)."""

    window: int
    threshold: float
    clip: float

    @classmethod
    def calibrated(cls) -> Settings:
        cal = calibration()
        return cls(int(cal["window"]), float(cal["threshold"]), float(cal["clip"]))


def _window_sums(run: _Run, first: int, last: int, settings: Settings, step: int) -> list[float | None]:
    """The summed, clipped gain of each window of the run starting at ``first`` to ``last - window``
    (None: a translation of the window has no source ``step`` away)."""
    clip, window = settings.clip, settings.window
    gains = [None if (g := run.gain(i, step)) is None else max(-clip, min(clip, g)) for i in range(first, last)]
    return [None if None in (values := gains[k:k + window]) else sum(v for v in values if v is not None)
            for k in range(len(gains) - window + 1)]


def window_evidence(articles: list[Article], settings: Settings, step: int) -> list[float | None]:
    """The summed, clipped gain of every window of neighbouring ``articles`` (one run, in order),
    their translations paired with the source ``step`` away (what ``threshold`` is calibrated on)."""
    return _window_sums(_Run(list(articles)), 0, len(articles), settings, step)


def _decide(run: _Run, lo: int, hi: int, settings: Settings) -> Iterator[Article]:
    """Mark articles ``lo`` to ``hi`` of the run (every window that holds one of them is read) and yield them."""
    window = settings.window
    first = max(0, lo - window + 1)
    last = min(len(run.articles), hi + window - 1)  # the gains of first..last-1 are enough
    best: dict[int, tuple[float, int]] = {}  # article -> (its larger gain, that step) over the windows that mark it
    for step in (1, -1):
        for k, total in enumerate(_window_sums(run, first, last, settings, step)):
            if total is None or total < settings.threshold:
                continue
            for i in range(max(first + k, lo), min(first + k + window, hi)):
                gain = run.gain(i, step) or 0.0
                if gain > best.get(i, (0.0, 0))[0]:  # (a window's edge may hold a segment in step: no gain)
                    best[i] = (gain, step)
    for i, (_, step) in best.items():  # (both directions can sum high where lengths alternate: the pair that fits wins)
        run.articles[i].extra[OUT_OF_STEP] = step
    yield from run.articles[lo:hi]


def mark_out_of_step(articles: Iterable[Article], settings: Settings | None = None) -> Iterator[Article]:
    """The articles, in order, those of a run out of step with their sources marked (see the module doc)."""
    settings = settings or Settings.calibrated()
    window = settings.window
    run, done = _Run(), 0  # done: the run's first articles already yielded (kept as context)
    for article in articles:
        if run.articles and not (checkable(article) and article.path == run.articles[-1].path):
            yield from _decide(run, done, len(run.articles), settings)
            run, done = _Run(), 0
        if not checkable(article):
            yield article
            continue
        run.articles.append(article)
        if len(run.articles) - done >= BLOCK + 2 * window:
            upto = len(run.articles) - 2 * window  # the windows of these are all read
            yield from _decide(run, done, upto, settings)
            keep = max(0, upto - window)  # one window before the next block, for the windows reaching back
            run.drop(keep)
            done = upto - keep
    if run.articles:
        yield from _decide(run, done, len(run.articles), settings)
