"""MT5xx: text that is not English: untranslated sentences, clauses and foreign scripts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import (
    article_words, body_sentences, data_text, english_function_words, english_zipf, lowered_words, sentence_words, word_set, words,
)
from mtqa.langid import detect_language
from mtqa.types import Document

_CLAUSE = re.compile(r"[^,;:()\"“”«»\[\]–—]+")
_SCRIPTS = (
    ("Chinese/Japanese", r"[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uf900-\ufaff]+"),
    ("Korean", r"[\uac00-\ud7af\u1100-\u11ff]+"),
    ("Cyrillic", r"[\u0400-\u04ff]{2,}"),
    ("Arabic", r"[\u0600-\u06ff\u0750-\u077f]{2,}"),
    ("Hebrew", r"[\u0590-\u05ff]{2,}"),
    ("Greek", r"[\u0370-\u03ff]{3,}"),
    ("Devanagari", r"[\u0900-\u097f]+"),
    ("Bengali", r"[\u0980-\u09ff]+"),
    ("Tamil", r"[\u0b80-\u0bff]+"),
    ("Sinhala", r"[\u0d80-\u0dff]+"),
    ("Thai", r"[\u0e00-\u0e7f]+"),
    ("Khmer", r"[\u1780-\u17ff]+"),
    ("Georgian", r"[\u10a0-\u10ff]{2,}"),
    ("Armenian", r"[\u0530-\u058f]{2,}"),
)
#: characters of those blocks used as punctuation, kept by human translators too (WMT22 general, train):
#: 丨 a bar in Chinese headlines ("Xinhua new media丨Beijing ..."), ・ a middle dot
_CJK_PUNCTUATION = "丨丶・"
_SCRIPT_RE = re.compile("|".join(f"(?P<s{i}>{pat})" for i, (_, pat) in enumerate(_SCRIPTS)))
_ANY_SCRIPT = re.compile("[" + "".join(pat[1:pat.index("]")] for _, pat in _SCRIPTS) + "]")


# Letters English does not use (no IGNORECASE: it would fold "ı" onto "i").
_FOREIGN_LETTER = re.compile(r"[À-ÖØ-öø-ÿĀ-žșțȘȚ]")


def _foreign_signal(chunk: str, lowered_words: Iterable[str] | None = None) -> bool:
    """Letters English does not use, or two different frequent foreign function words
    (``lowered_words``: the chunk's words in lower case, when they are already known)."""
    if _FOREIGN_LETTER.search(chunk):
        return True
    if lowered_words is None:
        lowered_words = map(str.lower, words(chunk))
    return len(word_set("foreign_function_words.txt").intersection(lowered_words)) >= 2


def _looks_english(tokens: tuple[str, ...], ratio: float) -> bool:
    fw = english_function_words()
    return sum(t.lower() in fw for t in tokens) >= ratio * len(tokens)


def _mostly_english_words(tokens: tuple[str, ...], ratio: float, zipf: float) -> bool:
    """True when most tokens are common English words (noun lists fool langdetect)."""
    return sum(english_zipf(t) >= zipf for t in tokens) >= ratio * len(tokens)


@rule("MT501", "wrong-language", "Non-translation", "critical")
def wrong_language(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A sentence or clause that is not English: MT left it untranslated or produced another language.

    Why: a reader of the English edition cannot read it; MQM weighs non-translation as critical.
    Cheap pre-filters first: chunks with enough common English function words, or with
    neither foreign letters nor foreign function words, skip langdetect; a non-English verdict is then dropped when most words are common
    English words (wordfreq), as in lists of nouns. Names (mostly capitalised words) and short quotes are not checked.
    langdetect runs seeded, so the result is the same on every run.
    Example: "Le président a refusé de commenter la décision du tribunal."
    """
    p = ctx.params
    min_letters, min_words = int(p["min_letters"]), int(p["min_words"])
    ratio, cap_ratio = float(p["english_function_word_ratio"]), float(p["max_capitalised_ratio"])
    min_prob, seed = float(p["min_probability"]), int(p["seed"])
    common_ratio, zipf = float(p["max_common_english_ratio"]), float(p["common_zipf"])
    if not _FOREIGN_LETTER.search(doc.text) and len(word_set("foreign_function_words.txt").intersection(article_words(doc))) < 2:
        return  # no sentence has a foreign signal (the test below, for the whole article)
    lowered = sentence_words(doc)
    for s in body_sentences(doc):
        if not _foreign_signal(s.text, lowered[s.index]):
            continue  # no clause of it can have one either
        for m in _CLAUSE.finditer(s.text):
            chunk = m.group().strip()
            tokens = words(chunk[:2000])  # the first 2,000 characters decide
            if len(tokens) < min_words or sum(map(len, tokens)) < min_letters:
                continue
            if _looks_english(tokens, ratio) or sum(t[0].isupper() for t in tokens) > cap_ratio * len(tokens):
                continue
            if not _foreign_signal(chunk):
                continue
            if _mostly_english_words(tokens, common_ratio, zipf):
                continue
            lang, prob = detect_language(chunk, seed)
            if lang not in ("en", "unknown") and prob >= min_prob:
                start = s.start + m.start() + (len(m.group()) - len(m.group().lstrip()))
                whole = len(chunk) >= 0.8 * len(s.text.strip())
                yield Hit(start, start + len(chunk), f"{'sentence' if whole else 'clause'} is not English (langdetect: {lang}, p={prob:.2f})",
                          suggestion="translate it", confidence=round(prob, 2))


@rule("MT502", "foreign-script", "Non-translation", "major")
def foreign_script(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Letters of a non-Latin script in English text (Chinese, Cyrillic, Arabic, Sinhala ...).

    Why: MT copies words it cannot translate, often names or rare terms, in the source script.
    Example: "The 赣南 region exported more fruit."
    """
    if not _ANY_SCRIPT.search(doc.text):
        return
    for m in _SCRIPT_RE.finditer(doc.text):
        if m.group().strip(_CJK_PUNCTUATION) == "":
            continue
        script = _SCRIPTS[int(m.lastgroup[1:])][0]  # type: ignore[index]
        yield Hit(m.start(), m.end(), f"{script} text left in the English output: {m.group()!r}", suggestion="translate or transliterate it")


#: a word standing alone: not part of a hyphenated or elided word, a URL, an e-mail or a handle
_STANDALONE = re.compile(r"(?<![\w'’/.@#-])[^\W\d_]+(?![\w'’/@-]|\.\w)")
_LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
                   "pl": "Polish", "cs": "Czech", "ro": "Romanian", "sv": "Swedish"}


@cache
def _foreign_words() -> dict[str, str]:
    """word -> language of ``foreign_words.tsv`` (126,000 rows: read as plain lines, not as a table of dicts)."""
    lines = data_text("foreign_words.tsv").splitlines()
    rows = (line.split("\t") for line in lines if not line.startswith("#"))
    next(rows)  # the header
    return dict(rows)  # type: ignore[arg-type]


@rule("MT503", "foreign-word", "Non-translation", "major")
def foreign_word(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A common word of another language in an English sentence: code-mixed output ("this
    semana", "approval from leurs superiors").

    Why: MT leaves single words untranslated, and the target-only checks miss them: no
    foreign script, too short for language identification. The words are those another
    Latin-script language uses often and English hardly at all (``mtqa/data/foreign_words.tsv``,
    built by ``bench/build_foreign_words.py``); lower-case words only, so names stay out.
    On train MT 94.5% of 163 flags overlap an annotated error, and 0.17% of train human
    translations have one (``python bench/rule_precision.py``). More than
    ``max_per_sentence`` of them in one sentence are one finding, an untranslated clause
    (too short for MT501's language identification: "que nous devons partir maintenant").
    A word the source also has is MT011's. Foreign words English writers use as they are
    ("déjà vu", "gracias") are allowed in rules.toml.
    Example: "He told the students this semana."
    """
    table = _foreign_words()
    if table.keys().isdisjoint(article_words(doc)):
        return  # the usual case (its words, lower-cased, include every candidate)
    allow = lowered_words(ctx.params["allow"])
    lowered = sentence_words(doc)
    source_words: set[str] | None = None
    for s in body_sentences(doc):
        if table.keys().isdisjoint(lowered[s.index]):
            continue
        found = [m for m in _STANDALONE.finditer(s.text) if m.group() in table and m.group().islower() and m.group() not in allow]
        if found and doc.article.source:
            if source_words is None:
                source_words = {w.lower() for w in _STANDALONE.findall(doc.article.source)}
            found = [m for m in found if m.group() not in source_words]
        if not found:
            continue
        if len(found) > int(ctx.params["max_per_sentence"]):
            language = _LANGUAGE_NAMES.get(table[found[0].group()], table[found[0].group()])
            yield Hit(s.start + found[0].start(), s.start + found[-1].end(),
                      f"{len(found)} common words of another language ({language} first) in an English sentence: "
                      "a clause left untranslated", suggestion="translate it")
            continue
        for m in found:
            word = m.group()
            yield Hit(s.start + m.start(), s.start + m.end(),
                      f"'{word}' is not English (a common {_LANGUAGE_NAMES.get(table[word], table[word])} word): left untranslated",
                      suggestion="translate it")
