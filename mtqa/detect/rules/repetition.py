"""MT7xx: repetition: doubled words, repeated phrases, looping output, duplicate sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from operator import eq

import numpy as np
from numpy.lib.stride_tricks import as_strided

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import (
    WORD, body_sentences, english_function_words, english_zipf, lowered_words, per_document, sentence_words, word_set,
)
from mtqa.types import Document, Severity

#: a word (hyphenated ones whole: "ex-husband", "Covid-19"), or a number ("1970 1970", "2.5 2.5"),
#: then the same again; a closing bracket or quote may follow each copy ("(in 10 minutes) minutes)")
_DOUBLED = re.compile(r"\b([^\W\d_]+(?:-[^\W_]+)*|\d+(?:[.,]\d+)*)([)\]\"”’]?)\s+\1\2(?![\w-])(?!(?<=\d)[.,]\d)",
                      re.IGNORECASE)
_THOUSANDS_BEFORE = re.compile(r"\d[ \u00a0\u202f]$")
_NUMBER_SIZES = frozenset((2, 3))
_RUN = re.compile(rb"\x01+")


#: the longest n-gram whose back-to-back repeats the rules look for (MT702's and MT703's max_n are at most this)
_MAX_N = 6


#: what follows the last sentence, so that every token has ``_MAX_N`` after it: ints that
#: hash to themselves and equal no sentinel (a sentence's is its index)
_PAD = tuple(range(-2, -3 - _MAX_N, -1))
_COLUMNS = np.arange(_MAX_N)
#: for n = 1.._MAX_N, how far before its sentence's sentinel a position must be to compare only tokens of it
_SPAN = np.array([n + (n > 1) for n in range(1, _MAX_N + 1)])


@per_document
def _repeat_sizes(doc: Document) -> list[frozenset[int]]:
    """For each sentence, the n-gram sizes (1.._MAX_N) that may repeat back to back in it.

    One vectorised comparison of every token of the article with the ``_MAX_N`` tokens after
    it, by hash (sentences joined by sentinels that equal no token): a repeat of n >= 2
    words needs two neighbouring tokens that each equal the token ``n`` places later; a
    doubled word (n = 1) needs one. Equal hashes of unequal words can only add a size; the
    rules then compare the words themselves.
    """
    flat: list[object] = []
    ends: list[int] = []  # flat index of each sentence's sentinel, plus one
    for i, tokens in enumerate(sentence_words(doc)):
        flat.extend(tokens)
        flat.append(i)
        ends.append(len(flat))
    flat.extend(_PAD)
    hashes = np.fromiter(map(hash, flat), dtype=np.int64, count=len(flat))
    window = as_strided(hashes, shape=(len(hashes) - _MAX_N, _MAX_N + 1), strides=(8, 8), writeable=False)
    same = window[:, 1:] == window[:, :1]  # [p, n - 1]: token p equals token p + n
    found = same[:-1] & same[1:]  # n >= 2: tokens p and p + 1 both do
    found[:, 0] = same[:-1, 0]  # n = 1: token p does
    if not found.any():
        return [frozenset()] * len(ends)
    # per sentence, how many positions p in it compare only tokens of it (p + n, and p + n + 1
    # for n >= 2, before its sentinel), counted with prefix sums: no loop over positions
    sentinel = np.array(ends, dtype=np.int64) - 1
    first = np.concatenate(([0], sentinel[:-1] + 1))
    counts = np.zeros((len(found) + 1, _MAX_N), dtype=np.int64)
    np.cumsum(found, axis=0, out=counts[1:])
    last = np.maximum(first[:, None], sentinel[:, None] - _SPAN)  # [sentence, n - 1]: positions p < last qualify
    hit = counts[last, _COLUMNS] > counts[first[:, None], _COLUMNS]
    sizes: list[set[int]] = [set() for _ in ends]
    for i, col in zip(*(a.tolist() for a in np.nonzero(hit))):
        sizes[i].add(col + 1)
    return [frozenset(s) for s in sizes]


@lru_cache(maxsize=64)
def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased tokens with their offsets, computed only for sentences that may repeat
    (cached: MT702 and MT703 both read a looping sentence's)."""
    return [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text)]


def _repeats(words: list[str], n: int) -> Iterator[tuple[int, int]]:
    """``(start, repeats)`` for each maximal run where an n-gram repeats back to back.

    Linear: a run of k tokens equal to the token n places later is an n-gram
    repeated ``k // n + 1`` times.
    """
    same = bytes(map(eq, words, words[n:]))  # 1 where a token equals the token n places later
    for m in _RUN.finditer(same):
        run = m.end() - m.start()
        if run >= n:
            yield m.start(), run // n + 1


def _joined(text: str, toks: list[tuple[str, int, int]], i: int, j: int) -> bool:
    """True when only spaces separate every token from ``i`` to ``j`` (no punctuation: not a list)."""
    return all(not text[toks[k][2]:toks[k + 1][1]].strip() for k in range(i, j))


@rule("MT701", "doubled-word", "Fluency/Grammar", "major")
def doubled_word(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The same word or number twice in a row ("the exhibition exhibition", "the the", "in 2010 2010").

    Why: a decoder stutter. Legitimate doubles ("had had", "that that", "Wagga Wagga") are
    allowed in rules.toml, and so are reduplicated names: a Pinyin syllable, as Chinese given
    names repeat one ("Li Li", "Ni Ni"), a double the source has too, and, when there is no
    source to ask, two capitalised words that English rarely uses alone (wordfreq Zipf below
    ``name_max_zipf``; "Spain Spain" is flagged). With a source, "in Graz Graz" is flagged.
    A name followed by its capitals ("Swiss Omega OMEGA watch", WMT22 general, train) is a gloss.
    Hyphenated words double whole ("ex-husband ex-husband"), and a closing bracket may follow
    each copy ("(10 minutes) minutes)"). A doubled number ("in 2010 2010") is flagged too,
    except digit groups ("1 000 000") and a double the source has as well: train data has no
    MT example, and the one train human translation with a doubled number copies its source.
    A doubled content word is major: on train MT 99.6% of 747 such flags overlap an
    annotated error (``python bench/rule_precision.py``; with sources 969 flags, 99.7%), and
    0.03% of train human translations have one (0.05% with sources). A doubled function word
    ("the the", "and and") is minor: it is the typo people make too (16 of the 26 doubles in
    train human translations, 31 of the 642 in MT).
    Example: "He visited the exhibition exhibition on Monday." (major), "He said that the the plan failed." (minor)
    """
    allow = lowered_words(ctx.params["allow"])
    name_max_zipf = float(ctx.params["name_max_zipf"])
    function_words = english_function_words()
    for m in _doubles(doc):
        word = m.group(1).lower()
        if f"{word} {word}" in allow:
            continue
        first, second = m.group().split()[0], m.group().split()[-1]
        if first[0].isupper() and second[0].isupper() and word not in function_words and (
                first.isupper() != second.isupper() or _reduplicated_name(word, doc.article.source, name_max_zipf)):
            continue  # ("Omega OMEGA": a brand glossed in capitals, as Chinese product names are)
        if word[0].isdigit() and (_THOUSANDS_BEFORE.search(doc.text, max(0, m.start() - 2), m.start())
                                  or _doubled_in_source(word, doc.article.source)):
            continue  # "1 000 000": groups of digits; or the source has the number twice too
        yield Hit(m.start(), m.end(), f"'{m.group(1)}' twice in a row", replacements=(m.group(1) + m.group(2),),
                  severity=Severity.MINOR if word in function_words else None)


def _doubles(doc: Document) -> Iterator[re.Match[str]]:
    """_DOUBLED's matches in the sentences where the repeat pass allows one: a doubled word
    repeats one token ("fat's s" is two different ones); a doubled number one, two ("2.5 2.5")
    or three ("1.234.567")."""
    lowered = sentence_words(doc)
    for s, sizes in zip(doc.sentences, _repeat_sizes(doc)):
        numbers = not sizes.isdisjoint(_NUMBER_SIZES) and any(map(str.isdigit, lowered[s.index]))
        if 1 in sizes or numbers:
            for m in _DOUBLED.finditer(doc.text, s.start, s.end):
                if 1 in sizes or m.group(1)[0].isdigit():
                    yield m


def _reduplicated_name(word: str, source: str | None, name_max_zipf: float) -> bool:
    """Two capitalised ``word``s in a row read as a name: a Pinyin syllable (Chinese given
    names repeat one: "Li Li"), a double the source has too, or, without a source, a word
    English rarely uses alone ("Wagga Wagga")."""
    if word in word_set("pinyin_syllables.txt") or _doubled_in_source(word, source):
        return True
    return not source and english_zipf(word) < name_max_zipf


def _doubled_in_source(word: str, source: str | None) -> bool:
    """True when ``source`` has ``word`` (any case) twice in a row."""
    if not source:
        return False
    w = re.escape(word)
    return re.search(rf"(?<!\w){w}\s+{w}(?!\w)", source, re.IGNORECASE) is not None


@rule("MT702", "repeated-phrase", "Fluency/Grammar", "major")
def repeated_phrase(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A phrase of several words repeated immediately ("in the city in the city").

    Why: NMT decoders repeat phrases when attention fails; the repeat is never meant.
    Example: "The talks will resume next week will resume next week."
    Not flagged: a two-word repeat made by a reduplication idiom ("... and more and more",
    "one by one by ..."): the word before or after the connector repeats it.
    """
    min_n, max_n = int(ctx.params["min_n"]), int(ctx.params["max_n"])
    connectors = frozenset(ctx.params["reduplication_connectors"])
    function_words = frozenset(ctx.params["function_words"])
    lowered, repeat_sizes = sentence_words(doc), _repeat_sizes(doc)
    for s in body_sentences(doc):
        possible = repeat_sizes[s.index]
        sizes = [n for n in range(max_n, min_n - 1, -1) if n in possible] if possible else None
        if not sizes:
            continue
        words_only = lowered[s.index]
        toks: list[tuple[str, int, int]] = []  # with offsets, once a repeat is found
        taken: set[int] = set()
        for n in sizes:
            for i, reps in _repeats(words_only, n):
                if reps != 2 or i in taken:
                    continue  # three or more repeats are MT703's
                toks = toks or _tokens(s.text)
                if not _joined(s.text, toks, i, i + 2 * n - 1):
                    continue
                if n == 2 and _reduplication(words_only[i], words_only[i + 1], connectors, function_words):
                    continue
                taken.update(range(i, i + 2 * n))
                phrase = s.text[toks[i][1]:toks[i + n - 1][2]]
                yield Hit(s.start + toks[i + n][1], s.start + toks[i + 2 * n - 1][2], f"'{phrase}' repeated immediately",
                          suggestion="remove the repeat")


def _reduplication(first: str, second: str, connectors: frozenset[str], function_words: frozenset[str]) -> bool:
    """A repeated bigram "C W" or "W C" (C a connector, W a content word) holds the idiom "W C W"."""
    for c, w in ((first, second), (second, first)):
        if c in connectors and w not in function_words and w not in connectors:
            return True
    return False


@rule("MT703", "looping-output", "Fluency/Grammar", "critical")
def looping_output(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Degenerate, looping output: a word or short phrase repeated three or more times, or a
    long sentence made of very few distinct words.

    Why: a known NMT failure (hallucinated loops) that turns a sentence into noise.
    Example: "the the the the the" or "and the people and the people and the people ..."
    """
    min_repeats, max_n = int(ctx.params["min_repeats"]), int(ctx.params["max_n"])
    punctuated_repeats = int(ctx.params["min_repeats_punctuated"])
    min_tokens, max_ratio = int(ctx.params["min_tokens"]), float(ctx.params["max_distinct_ratio"])
    lowered, repeat_sizes = sentence_words(doc), _repeat_sizes(doc)
    for s in body_sentences(doc):
        words_only, possible = lowered[s.index], repeat_sizes[s.index]
        found = _loop(words_only, min_repeats, [n for n in range(1, max_n + 1) if n in possible]) if possible else None
        if found is not None:
            toks = _tokens(s.text)
            i, n, reps = found
            last = i + n * reps - 1
            if reps >= punctuated_repeats or _joined(s.text, toks, i, last):
                yield Hit(s.start + toks[i][1], s.start + toks[last][2],
                          f"'{' '.join(t[0] for t in toks[i:i + n])}' repeated {reps} times in a row (looping output)")
                continue
        if len(words_only) < min_tokens:
            continue
        distinct = len(set(words_only))
        if distinct <= max_ratio * len(words_only):
            yield Hit(s.start, s.end, f"{distinct} distinct words in {len(words_only)}: looping output")


def _loop(tokens: list[str], min_repeats: int, sizes: list[int]) -> tuple[int, int, int] | None:
    """(start, n, repeats) of the longest run of an n-gram (n in ``sizes``) repeated at least ``min_repeats`` times."""
    best: tuple[int, int, int] | None = None
    for n in sizes:
        for i, reps in _repeats(tokens, n):
            if reps >= min_repeats and (best is None or reps * n > best[1] * best[2]):
                best = (i, n, reps)
    return best


@rule("MT704", "duplicate-sentence", "Fluency/Grammar", "minor")
def duplicate_sentence(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The same sentence twice in one article.

    Why: scrapers duplicate paragraphs (teasers, pull quotes) and MT repeats sentences.
    Example: the lead paragraph repeated at the end of the article.
    """
    min_words = int(ctx.params["min_words"])
    seen: dict[tuple[str, ...], int] = {}
    lowered = sentence_words(doc)
    for s in body_sentences(doc):
        tokens = lowered[s.index]
        if len(tokens) < min_words:
            continue
        key = tuple(tokens)
        if key in seen:
            yield Hit(s.start, s.end, f"duplicate of sentence {seen[key]}", suggestion="remove the duplicate")
        else:
            seen[key] = s.index
