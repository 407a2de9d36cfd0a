"""Names across a Latin-script source and its English translation (MT004 lost-name, MT014 name-not-in-source).

A capitalised word of the source is taken for a name, not a capitalised common noun, on one
of three kinds of evidence:

* the exonym table (``data/exonyms.tsv``, CLDR place names: Spanien -> Spain, Wien ->
  Vienna), read with inflected endings (Hiszpanii, Niemczech);
* the town table (``data/cities.tsv``, GeoNames: the towns of the source language's
  countries and the world's cities, each with its Latin-script spellings), read as written
  and not at a sentence start (too many towns are named like common words to guess endings);
* frequencies (wordfreq): English uses the word about as often as the source language does
  (Trump, Twitter, Achleiten: names travel unchanged), and no shorter form of it is a
  common word of the source language alone (Francezii, Vânătorii are inflected nouns).
  Starting a sentence, a word needs more: English uses it at least as often as the source
  language, and it is no common English word (Trump; not Are, Romanian for "has").
  A source language without a wordfreq list (or none given) has only its places checked.

A capitalised word of the translation is a name when English rarely uses it (Zipf below a
threshold: Werth, Rakoczy), the English form of a place of the exonym table (Paraguay) or
the name of a world city (Chicago).

Two spellings are the same name when they are equal once case, accents and a few spelling
correspondences (k/c, y/i, w/v, z/s, j/i, q/c, ph/f, th/t, ae/e) are folded, share their
first four letters (Artur/Arthur, Obamy/Obama), or are close (difflib ratio at least
``similarity``: Otoman/Ottoman). :class:`WordIndex` does the search, in time linear in the
text and the names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from mtqa.detect.textutil import LATIN_LETTERS, has_word_list, load_tsv, zipf_in

#: words of letters (one inner apostrophe: d'Arc); hyphens split ("US-Präsident": US, Präsident)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: ``_TOKEN`` for lower-cased ASCII text, where it matches the same, faster
_ASCII_LOWER_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
#: the upper-case Latin letters
_UPPER = "".join(c for c in map(chr, [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]) if c.isupper())
#: a capitalised Latin-script word (also after an apostrophe: "Italia" of "l'Italia")
_CAPITALISED = re.compile(rf"[{_UPPER}](?<![^\W\d_'’].)[{LATIN_LETTERS}]*(?:['’][{LATIN_LETTERS}]+)?(?![^\W\d_])")
#: what a sentence starts after (and spaces), besides the text's start
_SENTENCE_END = frozenset('.!?:"«“„(–—')
_SPELLING = str.maketrans({"y": "i", "k": "c", "w": "v", "z": "s", "j": "i", "q": "c"})


#: the combining marks NFKD splits off Latin letters (and the other combining blocks)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold_text(text: str) -> str:
    """Lower case without accents: "Österreich" -> "osterreich"."""
    lowered = text.lower()
    return lowered if lowered.isascii() else _COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


#: :func:`fold_text` for words, remembered (a corpus repeats its words; its texts it does not)
fold = lru_cache(maxsize=1 << 16)(fold_text)


def _spelling(folded: str) -> str:
    """A folded word with the spelling correspondences above folded too ("tokyo" -> "tocio")."""
    return folded.replace("ph", "f").replace("th", "t").replace("ae", "e").replace("ck", "c").translate(_SPELLING)


@dataclass(frozen=True, slots=True)
class Name:
    """A name of the source: where it is, the folded forms the translation may carry it in,
    and its English name where the tables give one ("Spain" for "Spanien")."""

    text: str
    start: int
    end: int
    forms: frozenset[str]
    english: str = ""


@dataclass(frozen=True, slots=True)
class _Exonyms:
    single: dict[str, frozenset[str]]  # folded one-word name -> folded English forms (a city: all its spellings)
    english: dict[str, str]  # folded one-word name -> its English name(s), to show
    cldr: frozenset[str]  # the names from CLDR (the others are towns of GeoNames)
    phrases: dict[str, frozenset[str]]  # folded names of several words ("grande-bretagne")
    phrase_pattern: re.Pattern[str] | None  # any of them, as whole words
    phrase_starts: frozenset[str]  # their first words ("grande"): no such word in a text, no phrase to look for
    by_prefix: dict[str, tuple[str, ...]]  # CLDR's one-word names (five letters or more) by their first four letters


@cache
def _exonyms(lang: str | None) -> _Exonyms:
    """The places of ``lang``: CLDR's exonyms, then the cities of ``data/cities.tsv`` (GeoNames)
    read for it; a city's one-word spellings each stand for all of them."""
    single: dict[str, set[str]] = {}
    phrases: dict[str, set[str]] = {}
    english: dict[str, set[str]] = {}
    for row in load_tsv("exonyms.tsv"):
        if row["lang"] == lang:
            name = fold(row["name"])
            (phrases if _TOKEN.fullmatch(name) is None else single).setdefault(name, set()).add(fold(row["english"]))
            english.setdefault(name, set()).add(row["english"])
    cldr = set(english)
    for row in load_tsv("cities.tsv") if lang else ():
        if row["scope"] == "*" or lang in row["scope"].split(","):
            spellings = row["names"].split("|")
            forms = {fold(s) for s in spellings}
            for name in forms:
                if len(name) >= 4 and _TOKEN.fullmatch(name) and name not in cldr:
                    single.setdefault(name, set()).update(forms)
                    english.setdefault(name, set()).add(spellings[0])
    by_prefix: dict[str, list[str]] = {}
    for name in cldr:  # (cities' names are too many to read inflected: "Țara" is not Taraz)
        if len(name) >= 5 and name in single:
            by_prefix.setdefault(name[:4], []).append(name)
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    starts = frozenset(_TOKEN.findall(p)[0] for p in phrases)
    return _Exonyms({k: frozenset(v) for k, v in single.items()}, {k: ", ".join(sorted(v)) for k, v in english.items()},
                    frozenset(cldr),
                    {k: frozenset(v) for k, v in phrases.items()},
                    re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if phrases else None, starts,
                    {k: tuple(v) for k, v in by_prefix.items()})


@cache
def english_places() -> frozenset[str]:
    """Folded one-word English place names: CLDR's (Paraguay, Vienna) and the GeoNames names of
    the world cities (Chicago, Lyon); local towns' names are too often common words."""
    cities = (row["names"].split("|", 1)[0] for row in load_tsv("cities.tsv") if row["scope"] == "*")
    return frozenset(f for name in (*(row["english"] for row in load_tsv("exonyms.tsv")), *cities) if _TOKEN.fullmatch(f := fold(name)))


@cache
def _english_forms_to_names(lang: str | None) -> dict[str, frozenset[str]]:
    """Folded English place name -> its folded names in ``lang``, of one word or several
    ("netherlands" -> {"tarile de jos"} in Romanian)."""
    out: dict[str, set[str]] = {}
    table = _exonyms(lang)
    for names in (table.single, table.phrases):
        for name, forms in names.items():
            for form in forms:
                out.setdefault(form, set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


def place(folded: str, lang: str | None) -> str | None:
    """The place of the table a source word names, inflected or not ("hiszpanii" ->
    "hiszpania"); None for any other word."""
    table = _exonyms(lang)
    if folded in table.single:
        return folded
    for name in table.by_prefix.get(folded[:4], ()):  # an ending changed or added: Hiszpania -> Hiszpanii, Niemcy -> Niemczech
        if folded.startswith(name[:-1]) and len(folded) - len(name) <= 4:
            return name
    return None


#: in a text up to this long, a name inside a longer word counts as carried ("Eurasia" has Asia);
#: longer texts are read word by word only, so that their cost stays linear
MAX_SUBSTRING_TEXT = 10_000
#: at most this many close-spelling comparisons per name (the nearest lengths first), so that
#: a huge article full of capitalised words costs time linear in its names
MAX_COMPARISONS = 16


class WordIndex:
    """A text's words (folded; hyphens split them: "corona-krise"), to ask whether it spells a
    name: inside the text (up to ``MAX_SUBSTRING_TEXT`` characters: also inside a longer
    word), the same word, the same first four letters ("Parisian" for Paris), or a close
    spelling among words of the same first letter and a near length (names keep their first
    letter, after folding). Time linear in the words and in the names asked."""

    __slots__ = ("text", "folded", "_phrases", "_prefixes", "_by_initial")

    def __init__(self, text: str) -> None:
        self.text = fold_text(text)
        self.folded = set((_ASCII_LOWER_TOKEN if self.text.isascii() else _TOKEN).findall(self.text))
        self._phrases: dict[str, bool] = {}  # a name of several words ("tarile de jos"): in the text?
        self._prefixes: set[str] | None = None
        self._by_initial: dict[str, dict[int, list[str]]] = {}

    def spells(self, forms: Iterable[str], similarity: float) -> bool:
        """Whether the text spells one of ``forms`` (folded), as it is or closely (see the module doc)."""
        if not self.folded.isdisjoint(forms):
            return True
        if len(self.text) <= MAX_SUBSTRING_TEXT and any(f in self.text for f in forms):
            return True
        if any(self._has_phrase(f) for f in forms if not f.isalpha()):
            return True
        if self._prefixes is None:
            self._prefixes = set()
            for f in self.folded:
                spelled = _spelling(f)
                if len(spelled) >= 4:
                    self._prefixes.add(spelled[:4])
                self._by_initial.setdefault(spelled[:1], {}).setdefault(len(spelled), []).append(spelled)
        return any(self._close(f, similarity) for f in forms)

    def _has_phrase(self, phrase: str) -> bool:
        """Whether the text has this name of several words: searched once per name, so a huge
        text costs one search per name of the table, not one per occurrence."""
        if phrase not in self._phrases:
            self._phrases[phrase] = phrase in self.text
        return self._phrases[phrase]

    def _close(self, form: str, similarity: float) -> bool:
        spelled = _spelling(form)
        if len(spelled) >= 4 and spelled[:4] in (self._prefixes or ()):
            return True
        by_length = self._by_initial.get(spelled[:1], {})
        # lengths the ratio allows: 2 * min / (len(a) + len(b)) >= similarity
        n = len(spelled)
        lengths = sorted((k for k in by_length if 2 * min(n, k) >= similarity * (n + k)), key=lambda k: abs(k - n))
        candidates = (w for k in lengths for w in by_length[k])
        for _, w in zip(range(MAX_COMPARISONS), candidates):
            matcher = SequenceMatcher(None, spelled, w)
            if matcher.quick_ratio() >= similarity and matcher.ratio() >= similarity:  # (an upper bound first)
                return True
        return False


def _capitalised(text: str) -> list[tuple[str, int, int, bool]]:
    """(word, start, end, whether it starts a sentence) of each capitalised Latin-script word."""
    return [(m.group(), m.start(), m.end(), starts_sentence(text, m.start())) for m in _CAPITALISED.finditer(text)]


def starts_sentence(text: str, at: int, after: Container[str] = _SENTENCE_END) -> bool:
    """Whether ``at`` starts ``text`` or follows (after spaces) a character of ``after``."""
    i = at - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in after


def _inflected_common_word(lowered: str, lang: str | None, margin: float, min_zipf: float) -> bool:
    """Dropping one to three final letters (four left) gives a word the source language uses
    at least ``min_zipf`` and English ``margin`` less: an inflected noun ("francezii")."""
    for k in (1, 2, 3):
        stem = lowered[:-k]
        if len(stem) < 4:
            return False
        in_source = zipf_in(stem, lang)
        if in_source >= min_zipf and zipf_in(stem, "en") < in_source - margin:
            return True
    return False


def source_names(source: str, lang: str | None, margin: float, common_zipf: float, max_place_zipf: float,
                 start_zipf: tuple[float, float], not_names: frozenset[str], found: Container[str] = frozenset()) -> list[Name]:
    """The names of a Latin-script source (see the module doc), in order, each once; words in
    ``found`` (folded: a translation has them as they are) are left out unread, which saves
    the look-ups. A place's name that the source language uses ``max_place_zipf`` or more is
    read as the common word it also is ("Valea": a valley, and a village). A word starting a
    sentence is a name only when English uses it as often as the source language does, with
    a Zipf in ``start_zipf`` (from, below)."""
    table = _exonyms(lang)
    by_frequency = has_word_list(lang)  # without the language's word list, only its places count
    names: dict[str, Name] = {}
    capitalised = _capitalised(source)
    if table.phrase_pattern is not None and any(fold(c[0]) in table.phrase_starts for c in capitalised):
        for m in table.phrase_pattern.finditer(fold_text(source)):
            # offsets that folding kept (a ligature before the name would shift them)
            if fold_text(source[m.start():m.end()]) == m.group():
                names.setdefault(m.group(), Name(source[m.start():m.end()], m.start(), m.end(), table.phrases[m.group()],
                                                 table.english[m.group()]))
    for word, start, end, sentence_start in capitalised:
        folded, lowered = fold(word), word.lower()
        if len(folded) < 3 or folded in not_names or folded in names or folded in found:
            continue
        key = place(folded, lang)
        # (a town's name starting a sentence may be a common word there: Romanian "Vine", it comes)
        if key is not None and (key in table.cldr or not sentence_start) and zipf_in(lowered, lang) < max_place_zipf:
            names[folded] = Name(word, start, end, table.single[key] | {folded}, table.english[key])
            continue
        if word.isupper() or lang == "de" or not by_frequency:
            continue  # German capitalises every noun; acronyms are MT004's own
        english, in_source = zipf_in(lowered, "en"), zipf_in(lowered, lang)
        if sentence_start:  # a capital says little there: only a word English uses as often, and no common one ("Putin", not "Are")
            if not (start_zipf[0] <= english < start_zipf[1] and english >= in_source):
                continue
        elif english < in_source - margin or _inflected_common_word(lowered, lang, margin, common_zipf):
            continue  # a word of the source language's own vocabulary
        names[folded] = Name(word, start, end, frozenset({folded}))
    return sorted(names.values(), key=lambda n: n.start)


def names_not_in_source(target: str, source: str, lang: str | None, max_english_zipf: float,
                        similarity: float) -> list[tuple[int, int, str]]:
    """Capitalised words of the translation, not starting a sentence, that are names (rare in
    English or a place of the table) and that no word of the source spells."""
    places, to_names = english_places(), _english_forms_to_names(lang)
    source_words: WordIndex | None = None
    out = []
    for word, start, end, sentence_start in _capitalised(target):
        folded = fold(word)
        if sentence_start or word.isupper() or len(folded) < 3:
            continue
        if folded not in places and zipf_in(word.lower(), "en") >= max_english_zipf:
            continue
        source_words = WordIndex(source) if source_words is None else source_words
        if not source_words.spells({folded} | to_names.get(folded, frozenset()), similarity):
            out.append((start, end, word))
    return out
