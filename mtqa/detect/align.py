"""Sentence alignment of an article with its source: Gale-Church, anchored on numbers and names.

Gale and Church (1993) align sentences by length alone: a source sentence of ``l1``
characters is translated by ``c * l1`` characters, give or take ``sqrt(l1 * s2)``, and
dynamic programming picks the likeliest sequence of beads (1-1, 1-0, 0-1, 2-1, 1-2, 2-2).
Here ``c`` and ``s2`` are those of human translations from the source language
(``mtqa/data/length_ratio.json``, fitted on train data by ``bench/calibrate_length_ratio.py``;
a language without train data gets its script group's); beads up to 1-4 are allowed;
paragraphs are aligned first (when both sides have several) and sentences within aligned
paragraphs, as in the original; and a bead whose sentences share the numbers (and, for a
non-Latin source, the Latin-script names) that both texts have costs less, one that shares
none costs more. A 1-0 bead is a source sentence with no translation (an omission), a 0-1
bead a target sentence with no source (an addition): the rules MT007 and MT008 report those
no neighbouring bead can absorb.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mtqa.detect.numerals import has_digits, numbers
from mtqa.types import Document

#: (source sentences, target sentences) of a bead, with prior probabilities: Gale and
#: Church's, plus 1-3, 3-1, 1-4 and 4-1 (a long Chinese sentence is often translated by
#: three or four English ones; without these moves the extra sentences would be "additions")
MOVES = ((1, 1, 0.89), (1, 0, 0.0099), (0, 1, 0.0099), (2, 1, 0.089), (1, 2, 0.089), (2, 2, 0.011),
         (1, 3, 0.01), (3, 1, 0.01), (1, 4, 0.003), (4, 1, 0.003))
#: cost added to a bead whose sentences share no anchor (taken off when they share them all)
ANCHOR = 2.0
#: a pair scored alone (:func:`pair_cost`) with anchors on one side only costs this share of ``ANCHOR``
ONE_SIDED = 0.5
#: an omission or addition is reported only when merging it into a neighbouring bead would
#: put that bead's length this many standard deviations off (bench/align_eval.py)
ABSORB = 3.0
#: beyond this many cells the DP keeps to a band around the diagonal
FULL_DP_CELLS = 40_000
#: a cell of the dynamic programme no move reached
NO_MOVE = 255
_SQRT2 = math.sqrt(2.0)

_CJK_END = "。！？!?；"
_CLOSERS = re.escape("\"'”’»)]」』】）")
_END = re.compile(rf"[.!?…]+[{_CLOSERS}]*\s+|[{_CJK_END}।؟۔][{_CLOSERS}]*\s*|\s*\n\s*")
#: ``_END`` for a text without a line break, written to start with a character set so the
#: engine skips ahead to candidates (the usual one-line source: a third of ``_END``'s time)
_END_IN_LINE = re.compile(rf"[.!?…{_CJK_END}।؟۔](?:(?<=[.!?…])[.!?…]*[{_CLOSERS}]*\s+|(?<=[{_CJK_END}।؟۔])[{_CLOSERS}]*\s*)")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_ABBREVIATION = re.compile(r"(?:\b\w{1,2}|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Nr|No|vs|etc|ca|bzw|usw|Hr|Fr|Sr|Jr|Abs|Art|Bd|Jh))\.$")


@dataclass(frozen=True, slots=True)
class Span:
    """A source sentence: character offsets into the source text, and its paragraph."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Bead:
    """Source and target sentence indices aligned together (either may be empty)."""

    source: tuple[int, ...]
    target: tuple[int, ...]


@dataclass(slots=True)
class Alignment:
    source: str
    sentences: list[Span]
    beads: list[Bead]
    #: expected target characters per source character and Gale-Church's variance (calibrated per language)
    ratio: float
    variance: float
    #: sentence lengths (characters without whitespace) of the source and the target
    source_lengths: list[int]
    target_lengths: list[int]

    def text(self, indices: Sequence[int]) -> str:
        return " ".join(self.source[self.sentences[i].start:self.sentences[i].end] for i in indices)

    def unaligned(self) -> list[int]:
        """Indices of the 1-0 and 0-1 beads that a neighbouring bead cannot absorb: adding the
        sentence to the bead before or after it would take that bead's length difference beyond
        ``ABSORB`` standard deviations (else it is more likely a translator's split or merge)."""
        out = []
        for k, bead in enumerate(self.beads):
            if bead.source and bead.target:
                continue
            extra_src = sum(self.source_lengths[i] for i in bead.source)
            extra_tgt = sum(self.target_lengths[j] for j in bead.target)
            absorbed = False
            for n in (k - 1, k + 1):
                if 0 <= n < len(self.beads) and self.beads[n].source and self.beads[n].target:
                    src = sum(self.source_lengths[i] for i in self.beads[n].source) + extra_src
                    tgt = sum(self.target_lengths[j] for j in self.beads[n].target) + extra_tgt
                    absorbed |= abs(tgt - src * self.ratio) / math.sqrt(max(src, 1) * self.variance) <= ABSORB
            if not absorbed:
                out.append(k)
        return out

    def source_of_target(self, count: int) -> list[str]:
        """For each of the ``count`` target sentences, the source text aligned with it ("" for none)."""
        out = [""] * count
        for b in self.beads:
            for t in b.target:
                out[t] = self.text(b.source)
        return out


_LATIN_LETTER = re.compile(r"[A-Za-z]")
_LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b|\b[A-Z][a-z]{2,}\b")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@cache
def length_calibration() -> dict[str, Any]:
    return json.loads(resources.files("mtqa.data").joinpath("length_ratio.json").read_text("utf-8"))


def expected_ratio(lang: str | None, source: str) -> dict[str, float]:
    """The calibrated English/source length ratio and its human range (log) for ``lang``,
    or its script group's when the language has no train data."""
    cal = length_calibration()
    if lang in cal["languages"]:
        return cal["languages"][lang]
    cjk = lang in cal["cjk"] if lang else len(_CJK_CHAR.findall(source)) > 0.3 * max(len(source), 1)
    return cal["groups"]["cjk" if cjk else "other"]


def chars(text: str) -> int:
    """Characters without whitespace: the length the ratios are measured in."""
    return len("".join(text.split()))


def split_source(text: str) -> list[Span]:
    """Sentences of a source text in any language: a line break ends one (a blank line also a
    paragraph); ``.!?`` end a
    sentence before a space and a character that is not lower case (short abbreviations
    excepted); ``。！？`` and the Devanagari and Arabic full stops end one anywhere."""
    spans: list[Span] = []
    paragraph, start = 0, 0

    def add(end: int) -> None:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append(Span(start + lead, start + lead + len(stripped), paragraph))

    for m in (_END if "\n" in text else _END_IN_LINE).finditer(text):
        cut = m.end()
        if m.group()[0] in ".!?…" and "\n" not in m.group():
            following = text[cut:cut + 1]
            if following.islower() or (m.group()[0] == "." and _ABBREVIATION.search(text[start:m.start() + 1])):
                continue
        add(m.start() + len(m.group().rstrip()))
        if _BLANK_LINE.search(m.group()):
            paragraph += 1
        start = cut
    add(len(text))
    return spans


def _prefix(lengths: Sequence[int]) -> list[int]:
    out = [0]
    for value in lengths:
        out.append(out[-1] + value)
    return out


def _unions(anchors: Sequence[frozenset[str]], widest: int) -> list[list[frozenset[str]]]:
    """``out[d][i]``: the anchors of units ``i - d`` to ``i - 1`` together (for every bead width ``d``)."""
    out: list[list[frozenset[str]]] = [[]]
    for d in range(1, widest + 1):
        out.append([frozenset().union(*anchors[i - d:i]) if i >= d else frozenset() for i in range(len(anchors) + 1)])
    return out


def gale_church(src: Sequence[int], tgt: Sequence[int], ratio: float, variance: float,
                src_numbers: Sequence[frozenset[str]] | None = None,
                tgt_numbers: Sequence[frozenset[str]] | None = None) -> list[Bead]:
    """The cheapest beads for units of lengths ``src`` and ``tgt`` (in order).

    A bead costs minus the log of its prior times the probability of its length difference
    (Gale-Church). A 1-0 or 0-1 bead costs its prior alone: with the length term (against a
    zero-length counterpart) a long omitted sentence would rather be merged into its
    neighbour's bead. A bead with sentences on both sides gets from ``-ANCHOR`` (they have the
    same numbers and names) to ``+ANCHOR`` (they share none), by the Jaccard overlap of its
    two sides' anchors; nothing when a side has none. Long inputs are aligned within a band
    around the diagonal, and only the band is kept in memory."""
    n, m = len(src), len(tgt)
    if n <= 1 and m <= 1:  # nothing to choose (the usual case: one segment a line)
        return [Bead(tuple(range(n)), tuple(range(m)))] if n or m else []
    src_sum, tgt_sum = _prefix(src), _prefix(tgt)
    widest = max(max(di, dj) for di, dj, _ in MOVES)
    anchored = src_numbers is not None and tgt_numbers is not None and any(src_numbers) and any(tgt_numbers)
    src_union = _unions(list(src_numbers or ()), widest) if anchored else []
    tgt_union = _unions(list(tgt_numbers or ()), widest) if anchored else []
    moves = [(k, di, dj, -math.log(prior)) for k, (di, dj, prior) in enumerate(MOVES)]
    band = None if (n + 1) * (m + 1) <= FULL_DP_CELLS else max(10, (n + m) // 10)
    inf, log, erfc, sqrt = float("inf"), math.log, math.erfc, math.sqrt
    starts: list[int] = []  # per row i: the first column j it keeps; costs[i][j - starts[i]]
    costs: list[list[float]] = []
    backs: list[bytearray] = []  # the move that reached the cell (index into MOVES), NO_MOVE for none
    for i in range(n + 1):
        centre = i * m / n if n else 0
        lo, hi = (0, m) if band is None else (max(0, int(centre) - band), min(m, int(centre) + band))
        row, back = [inf] * (hi - lo + 1), bytearray([NO_MOVE]) * (hi - lo + 1)
        starts.append(lo)
        costs.append(row)
        backs.append(back)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best, step = inf, NO_MOVE
            for k, di, dj, penalty in moves:
                if di > i or dj > j:
                    continue
                previous_row, first = costs[i - di], starts[i - di]
                if not first <= j - dj < first + len(previous_row) or previous_row[j - dj - first] == inf:
                    continue
                src_len, tgt_len = src_sum[i] - src_sum[i - di], tgt_sum[j] - tgt_sum[j - dj]
                if src_len == 0 or tgt_len == 0:  # an omission or an addition: no lengths to compare
                    c = previous_row[j - dj - first] + penalty
                else:  # (length_cost, written out: this is the innermost loop, and a call costs)
                    delta = (tgt_len - src_len * ratio) / sqrt(src_len * variance)
                    c = previous_row[j - dj - first] + (penalty - log(max(erfc(abs(delta) / _SQRT2), 1e-300)))
                if di and dj and anchored:  # (anchor_cost, written out too)
                    s_any, t_any = src_union[di][i], tgt_union[dj][j]
                    if s_any and t_any:
                        c += ANCHOR * (1.0 - 2.0 * len(s_any & t_any) / len(s_any | t_any))
                if c < best:
                    best, step = c, k
            row[j - lo], back[j - lo] = best, step
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        first = starts[i]
        step = backs[i][j - first] if first <= j < first + len(backs[i]) else NO_MOVE
        if step == NO_MOVE:  # outside the band: nothing better than one bead for the rest
            beads.append(Bead(tuple(range(i)), tuple(range(j))))
            break
        di, dj, _ = MOVES[step]
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    return beads[::-1]


def length_cost(src_len: int, tgt_len: int, ratio: float, variance: float) -> float:
    """Gale-Church's length term: minus the log of the chance that a source of ``src_len``
    characters (at least 1) is translated by ``tgt_len``, at ``ratio`` give or take ``variance``."""
    delta = (tgt_len - src_len * ratio) / math.sqrt(src_len * variance)
    return -math.log(max(math.erfc(abs(delta) / _SQRT2), 1e-300))


def anchor_cost(source: frozenset[str], target: frozenset[str]) -> float:
    """From ``-ANCHOR`` (the two sides have the same anchors) to ``+ANCHOR`` (they share none), by
    their Jaccard overlap; 0 when a side has none."""
    if not source or not target:
        return 0.0
    return ANCHOR * (1.0 - 2.0 * len(source & target) / len(source | target))


def pair_cost(src_len: int, tgt_len: int, expected: dict[str, float], anchors: tuple[frozenset[str], frozenset[str]]) -> float:
    """The cost of a target of ``tgt_len`` characters (:func:`chars`) as the translation of a source of
    ``src_len`` in one 1-1 bead, as :func:`gale_church` scores it (without the bead's prior): the
    length term of the source's calibration (:func:`expected_ratio`), and the anchor term of the
    two sides' ``anchors`` (:func:`text_anchors`)."""
    cost = length_cost(max(src_len, 1), tgt_len, float(expected["ratio"]), float(expected["variance"]))
    source_anchors, target_anchors = anchors
    if bool(source_anchors) != bool(target_anchors):  # a number or name on one side only
        return cost + ONE_SIDED * ANCHOR
    return cost + anchor_cost(source_anchors, target_anchors)


def is_latin(source: str) -> bool:
    """Whether ``source`` is written in Latin script (else its Latin-script names are anchors)."""
    return len(_LATIN_LETTER.findall(source)) >= 0.3 * max(chars(source), 1)


def text_anchors(text: str, lang: str | None, names: bool) -> frozenset[str]:
    """A text's written numbers and, with ``names``, its Latin-script names and acronyms (in a
    non-Latin source they are names the translation keeps: "Peter Sams", "JD")."""
    # (a written number always has a digit: a text without one is not read for numbers)
    found = {f"#{round(n.value, 6):g}" for n in numbers(text, lang) if n.written} if has_digits(text) else set()
    if names:
        found |= {w.lower() for w in _LATIN_NAME.findall(text)}
    return frozenset(found)


def _lengths(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    return [chars(text[a:b]) for a, b in spans]


def _anchors(text: str, spans: Sequence[tuple[int, int]], lang: str | None, names: bool) -> list[frozenset[str]]:
    """Per sentence: :func:`text_anchors`."""
    return [text_anchors(text[a:b], lang, names) for a, b in spans]


def alignment_of(doc: Document) -> Alignment | None:
    """The document's alignment with its source, computed once (the rules and the tables share it)."""
    if doc.alignment is None:
        doc.alignment = align(doc) or False
    return doc.alignment or None


def align(doc: Document) -> Alignment | None:
    """The sentence alignment of an article with its source, or None without a source."""
    source = doc.article.source
    if not source or not source.strip() or not doc.sentences:
        return None
    spans = split_source(source)
    if not spans:
        return None
    src_spans = [(s.start, s.end) for s in spans]
    tgt_spans = [(s.start, s.end) for s in doc.sentences]
    src_len, tgt_len = _lengths(source, src_spans), _lengths(doc.text, tgt_spans)
    expected = expected_ratio(doc.article.source_lang, source)
    ratio, variance = float(expected["ratio"]), float(expected["variance"])
    if len(src_spans) == 1 and len(tgt_spans) == 1:  # one sentence a side (one segment a line): nothing to choose
        return Alignment(source, spans, [Bead((0,), (0,))], ratio, variance, src_len, tgt_len)
    if min(len(src_spans), len(tgt_spans)) > 1:
        names = not is_latin(source)
        src_num = _anchors(source, src_spans, doc.article.source_lang, names)
        tgt_num = _anchors(doc.text, tgt_spans, None, names)
        # only what both texts have anchors ("The" starts English sentences; an added year is no anchor)
        shared = frozenset().union(*src_num) & frozenset().union(*tgt_num)
        src_num, tgt_num = [a & shared for a in src_num], [a & shared for a in tgt_num]
    else:  # one sentence on a side: nothing for the numbers to decide
        src_num, tgt_num = [frozenset()] * len(src_spans), [frozenset()] * len(tgt_spans)
    beads: list[Bead] = []
    for group in _paragraph_groups(spans, doc, src_len, tgt_len, ratio, variance):
        s_idx, t_idx = group
        for b in gale_church([src_len[i] for i in s_idx], [tgt_len[j] for j in t_idx], ratio, variance,
                             [src_num[i] for i in s_idx], [tgt_num[j] for j in t_idx]):
            beads.append(Bead(tuple(s_idx[i] for i in b.source), tuple(t_idx[j] for j in b.target)))
    return Alignment(source, spans, beads, ratio, variance, src_len, tgt_len)


def _paragraph_groups(spans: list[Span], doc: Document, src_len: list[int], tgt_len: list[int],
                      ratio: float, variance: float) -> list[tuple[list[int], list[int]]]:
    """Sentence index groups to align separately: one per aligned paragraph bead, or the
    whole article when either side has a single paragraph."""
    src_paras = _group(range(len(spans)), [s.paragraph for s in spans])
    tgt_paras = _group(range(len(doc.sentences)), [s.paragraph for s in doc.sentences])
    if len(src_paras) < 2 or len(tgt_paras) < 2:
        return [(list(range(len(spans))), list(range(len(doc.sentences))))]
    beads = gale_church([sum(src_len[i] for i in p) for p in src_paras], [sum(tgt_len[j] for j in p) for p in tgt_paras], ratio,
                        variance)
    return [([i for p in b.source for i in src_paras[p]], [j for p in b.target for j in tgt_paras[p]]) for b in beads]


def _group(indices: range, keys: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i in indices:
        groups.setdefault(keys[i], []).append(i)
    return list(groups.values())
