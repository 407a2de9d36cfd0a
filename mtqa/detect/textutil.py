"""Small text helpers and packaged-data loaders shared by the rules."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache, wraps
from importlib import resources
from itertools import chain
from typing import TypeVar

from mtqa.types import Document, Sentence

T = TypeVar("T")
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
#: WORD for ASCII text, where it matches the same and runs faster (no Unicode category lookups)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")
_ASCII_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)*")
TERMINAL = ".!?…"
#: the letters of Latin script beyond ASCII (Latin-1 to Latin Extended-B, Latin Extended
#: Additional: é, ș, ł), and all of them, for character classes
ACCENTED_LATIN = "À-ÖØ-öø-ɏḀ-ỿ"
LATIN_LETTERS = "A-Za-z" + ACCENTED_LATIN
CLOSERS = "\"'”’»)]"
_TRAILING = " \t\n\u00a0" + CLOSERS


def data_text(name: str) -> str:
    return resources.files("mtqa.data").joinpath(name).read_text("utf-8")


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a packaged TSV file (header row, no quoting; lines starting with ``#`` before it
    say where the data comes from)."""
    lines = data_text(name).splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    reader = csv.DictReader(io.StringIO("".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple(reader)


@cache
def word_set(name: str) -> frozenset[str]:
    """Whitespace-separated words of a packaged text file; ``#`` starts a comment line."""
    lines = (ln for ln in data_text(name).splitlines() if not ln.lstrip().startswith("#"))
    return frozenset(w.lower() for ln in lines for w in ln.split())


def english_function_words() -> frozenset[str]:
    return word_set("english_function_words.txt")


def per_document(compute: Callable[[Document], T]) -> Callable[[Document], T]:
    """Compute a value from a document once and keep it on the document, for every rule that asks."""
    key = f"{compute.__module__}.{compute.__qualname__}"

    @wraps(compute)
    def shared(doc: Document) -> T:
        if key not in doc.derived:
            doc.derived[key] = compute(doc)
        return doc.derived[key]  # type: ignore[no-any-return]

    return shared


def whole_words(words: Iterable[str]) -> str:
    """A pattern for ``\\b(?:w1|w2|...)`` (longer words first; the caller adds the closing
    boundary), written with a literal first letter and the boundary checked after it, so the
    regex engine skips ahead to candidate letters instead of trying every position."""
    by_first: dict[str, list[str]] = {}
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        by_first.setdefault(w[0], []).append(re.escape(w[1:]))
    return "(?:" + "|".join(f"{re.escape(c)}(?<!\\w{re.escape(c)})(?:{'|'.join(rest)})" for c, rest in sorted(by_first.items())) + ")"


def contains_any(text: str, needles: Iterable[str]) -> bool:
    """True when any needle occurs in ``text``: a substring test at C speed that lets a rule
    skip its regular expression on the many texts that cannot match it."""
    return any(map(text.__contains__, needles))


@per_document
def body_sentences(doc: Document) -> list[Sentence]:
    """Sentences outside the title (a list kept on the document: most rules walk it)."""
    return [s for s in doc.sentences if not s.is_title]


def lowered_words(words: Iterable[str]) -> frozenset[str]:
    """A rule parameter's word list in lower case (cached: the rules ask on every article)."""
    return _lowered_words(tuple(words))


@lru_cache(maxsize=256)
def _lowered_words(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with terminal punctuation (closing quotes/brackets allowed after it)."""
    stripped = text.rstrip(_TRAILING)
    return bool(stripped) and stripped[-1] in TERMINAL


def find_words(text: str) -> list[str]:
    """The words and numbers of ``text`` (``WORD``; for ASCII text its faster ASCII twin)."""
    return (_ASCII_WORD if text.isascii() else WORD).findall(text)


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """:func:`find_words`, cached, since several rules ask for the same sentence."""
    return tuple(find_words(text))


def zipf_from_frequency(frequency: float) -> float:
    """wordfreq's Zipf scale of a word frequency (log10 of uses per billion words); 0: unlisted."""
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


@cache
def _frequencies(lang: str | None) -> dict[str, float]:
    from wordfreq import available_languages, get_frequency_dict

    # (called as wordfreq calls it inside ``zipf_frequency``, so that its cache holds one table a
    # language for both: called as ``get_frequency_dict(lang)``, the English one was built twice)
    return get_frequency_dict(lang, "best") if lang in available_languages() else {}


def has_word_list(lang: str | None) -> bool:
    """Whether wordfreq has frequencies for ``lang`` (else :func:`zipf_in` says 0 for every word)."""
    return bool(_frequencies(lang))


def zipf_in(word: str, lang: str | None) -> float:
    """How often ``lang`` uses ``word`` (wordfreq Zipf; 0 for a language wordfreq lacks), read
    as a table: wordfreq's own lookup would tokenise, which needs extra packages for zh and ja."""
    return zipf_from_frequency(_frequencies(lang).get(word, 0.0))


@lru_cache(maxsize=1 << 16)
def english_zipf(word: str) -> float:
    """wordfreq's ``zipf_frequency(word, "en")``, the same to the last digit: read from the table
    for a word of ASCII letters (wordfreq's tokenizer, slow on every word it has not seen, would
    only lower-case it), asked of wordfreq for any other (it splits and folds: "e-mail", "groß")."""
    if word.isascii() and word.isalpha():
        return round(zipf_from_frequency(_frequencies("en").get(word.lower(), 0.0)), 2)
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@per_document
def ascii_tokens(doc: Document) -> frozenset[str]:
    """The article's lower-cased words of ASCII letters, hyphenated ones whole ("well-known"):
    the lexicons' trigger words are looked up among them.

    Taken from the sentences' words (a token lies inside one word: "don't" gives "don" and
    "t"), so the text is not scanned again; a scan of the text when a sentence starts right
    where the one before ends, or letters lie outside every sentence."""
    sentences, text = doc.sentences, doc.text
    ends = [0, *(s.end for s in sentences)]
    if any(s.start <= end or text[end:s.start].strip() for s, end in zip(sentences[1:], ends[1:])) or (
            sentences and (text[:sentences[0].start].strip() or text[sentences[-1].end:].strip())):
        return frozenset(_ASCII_TOKEN.findall(text.lower()))
    found = set(article_words(doc))
    mixed = [w for w in found if not (w.isalpha() and w.isascii())]
    found.difference_update(mixed)
    found.update(chain.from_iterable(map(_ASCII_TOKEN.findall, mixed)))
    return frozenset(found)


@per_document
def article_words(doc: Document) -> frozenset[str]:
    """Every lower-cased word of the article's sentences, once: a rule that looks for rare
    words tests these and skips an article that has none."""
    return frozenset(chain.from_iterable(sentence_words(doc)))


@per_document
def ascii_runs(doc: Document) -> frozenset[str]:
    """The article's lower-cased runs of ASCII letters (``[a-z]+``: "well-known" gives "well"
    and "known"), taken from ``ascii_tokens`` instead of a second scan of the text."""
    tokens = ascii_tokens(doc)
    hyphenated = [t for t in tokens if "-" in t]
    return tokens.difference(hyphenated).union(part for t in hyphenated for part in t.split("-"))


@per_document
def lowered_text(doc: Document) -> str:
    """The article in lower case, character for character, so offsets into it are offsets into
    the text (a letter whose lower case is longer, "İ", keeps its first character)."""
    lowered = doc.text.lower()
    return lowered if len(lowered) == len(doc.text) else "".join(ch.lower()[0] for ch in doc.text)


@per_document
def sentence_words(doc: Document) -> list[list[str]]:
    """Lower-cased words and numbers of each sentence, by sentence index (shared by the rules).

    The article is lower-cased once and its ASCII sentences scanned in it (ASCII letters
    lower-case one to one, so the words are the same); other sentences word by word, as
    lower-casing can change what counts as a letter ("İ" becomes "i" and a combining dot)."""
    lowered, find = lowered_text(doc), _ASCII_WORD.findall
    return [find(lowered, s.start, s.end) if s.text.isascii() else list(map(str.lower, words(s.text)))
            for s in doc.sentences]
