"""The values rules share and the faster patterns they use give what the plain versions give."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from operator import and_, eq

import pytest

from mtqa.config import Settings
from mtqa.detect.rules.repetition import _MAX_N, _repeat_sizes
from mtqa.detect.textutil import ascii_runs, ascii_tokens, contains_any, per_document, sentence_words, whole_words, words
from mtqa.pipeline import Pipeline
from mtqa.segment import segment
from mtqa.types import Article, Document

TRICKY = ("The two-thirds rule, twofold and two, Two; xtwo two_x two-year-old zwei dwóch "
          "dvacet dva twenty-two. Ninety nine 'two' twentytwo tWo")


def test_whole_words_matches_what_a_plain_boundary_pattern_matches() -> None:
    vocabulary = ["two", "twenty", "twenty-two", "ninety", "nine", "dvacet dva", "dvacet", "dwóch", "t"]
    plain = re.compile(r"\b(?:" + "|".join(sorted(vocabulary, key=len, reverse=True)) + r")\b")
    fast = re.compile(whole_words(vocabulary) + r"\b")
    for text in (TRICKY, TRICKY.lower(), "t t-t ät tä"):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _sizes_one_sentence(tokens: list[str]) -> frozenset[int]:
    """The per-sentence computation the article-wide pass replaced."""
    found = set()
    for n in range(1, _MAX_N + 1):
        same = list(map(eq, tokens, tokens[n:]))
        if any(same) if n == 1 else any(map(and_, same, same[1:])):
            found.add(n)
    return frozenset(found)


def test_repeats_found_per_article_equal_those_found_per_sentence() -> None:
    text = ("The talks the talks went on. On and on and on it went. It went well.\n\n"
            "Yes yes. A b c a b c a b c. Nothing repeats here at all.\n\n"
            "in the city in the city. City in the. Word")
    doc = segment(Article(id="a", text=text, path="t"))
    assert _repeat_sizes(doc) == [_sizes_one_sentence(t) for t in sentence_words(doc)]
    # a repeat across a sentence boundary ("... it went. It went well.") counts for neither sentence
    assert sentence_words(doc)[2] == ["it", "went", "well"] and _repeat_sizes(doc)[2] == frozenset()


def test_repeats_found_per_article_equal_those_found_per_sentence_on_random_articles() -> None:
    rng = random.Random(0)
    for _ in range(300):
        sentences = [" ".join(rng.choice("ab") for _ in range(rng.randint(1, 9))).capitalize() + "." for _ in range(rng.randint(1, 6))]
        doc = segment(Article(id="r", text=" ".join(sentences), path="t"))
        assert _repeat_sizes(doc) == [_sizes_one_sentence(t) for t in sentence_words(doc)]


def test_shared_values_are_computed_once_and_dropped_after_scoring() -> None:
    calls = []

    @per_document
    def counted(doc: Document) -> int:
        calls.append(doc.article.id)
        return len(doc.sentences)

    doc = segment(Article(id="a", text="One. Two.", path="t"))
    assert counted(doc) == counted(doc) == 2 and calls == ["a"]
    assert sentence_words(doc) == [list(map(str.lower, words(s.text))) for s in doc.sentences]

    result = Pipeline(Settings(fluency=False)).run_chunk([Article(id="b", text="The the talks ended.", path="t")])[0]
    assert result.findings and result.doc is not None and result.doc.derived == {}


def test_ascii_runs_taken_from_the_tokens_equal_a_scan_of_the_text() -> None:
    texts = (TRICKY, "well-known--odd -lead trail- a-b-c x2-ingested colour-coded İstanbul café's naïve-ish",
             "Straße ĳ ﬁne ǅ Ǆ-x e\u0301t\u00e9 re-\nentry UPPER-Case", "")
    for text in texts:
        doc = segment(Article(id="t", text=text, path="t"))
        assert ascii_tokens(doc) == frozenset(re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower()))
        assert ascii_runs(doc) == frozenset(re.findall(r"[a-z]+", text.lower()))


def _gated_patterns() -> list[tuple[re.Pattern[str], Callable[[str], bool], str]]:
    """(pattern, the test a rule makes before running it, the characters of texts that match it)."""
    from mtqa.detect.rules import degeneration, scraping, typography

    def marks(found: Iterable[str]) -> Callable[[str], bool]:
        return lambda text: contains_any(text, found)

    return [
        (degeneration.MODEL_TOKEN, marks(degeneration._MODEL_TOKEN_MARKS), "<>[]unkspad/|_@\u2581 UNK"),
        (scraping._PLACEHOLDER, marks(scraping._PLACEHOLDER_MARKS), "[]0123{}$%()_ABCsd /captionw."),
        (typography._MOJIBAKE, marks(typography._MOJIBAKE_MARKS), "ÃâÂÐ€\ufffd\u0080\u00a9\u00bf\u00a0™œ©¨ "),
        (typography._GUILLEMETS, marks(typography._GUILLEMET_MARKS), "«»‹› a"),
        (typography._FULLWIDTH, marks(typography._FULLWIDTH_MARKS), "，。：「」、 a"),
        (typography._DETOKENISED, typography._maybe_detokenised, " ,.)'n't(sre"),
        (typography._OPEN_PAREN_SPACE, typography._maybe_detokenised, "( w"),
    ]


@pytest.mark.parametrize("index", range(7))
def test_a_text_the_gate_rules_out_has_no_match_of_the_pattern(index: int) -> None:
    pattern, gate, alphabet = _gated_patterns()[index]
    rng = random.Random(index)
    alphabet += "ax1 "
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    matched = [t for t in texts if pattern.search(t)]
    assert matched, "the generated texts should exercise the pattern"
    assert all(map(gate, matched))
