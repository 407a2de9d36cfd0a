"""MT1xx: page furniture and scraping leftovers that should never reach published text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import CLOSERS, TERMINAL, contains_any, load_tsv, words
from mtqa.types import Document, Severity

# Every branch starts with a literal character, so the regex engine skips ahead to candidates.
_PLACEHOLDER = re.compile(
    r"\[\d{3,}\]"                      # [19659007]: numbered placeholders of some CMS exports
    r"|\{\{\s*[\w.\-]+\s*\}\}"          # {{ template_var }}
    r"|\$\{[\w.\-]+\}"                  # ${var}
    r"|%\(\w+\)[sd]"                    # %(name)s
    r"|__(?<!\w__)[A-Z][A-Z0-9_]{2,}__\b"  # __PLACEHOLDER__ (no word character before it)
    r"|\[/?(?:caption|embed|gallery|video|audio|image|tweet)\b[^\]]{0,200}\]"  # shortcodes
)
#: every _PLACEHOLDER match holds one of these (single characters where they are rare: a
#: substring test for one character costs a tenth of one for two)
_PLACEHOLDER_MARKS = ("[", "{", "_", "%(")
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,10}(?:\s[^<>]{0,200})?/?>")
_HTML_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#[xX][0-9a-fA-F]{2,6});")
_GLUED_URL = re.compile(r"(?<=[^\W_])(?:https?://|www\.)[^\s<>\"]+|(?:https?://|www\.)[^\s<>\"]*?[a-z0-9/](?=[A-Z][a-z])")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_CAPTION_DATE = re.compile(rf"(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}\s*$|\b\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}\s*$|\(\s*(?:photo|image|picture)\b[^)]*\)\s*$", re.I)


@rule("MT101", "placeholder-token", "Source/Scraping", "major")
def placeholder_token(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Template or CMS placeholders left in the text.

    Why: tokens such as ``[19659007]``, ``{{ author }}`` or ``[caption id=...]`` come from
    the scraper or the publishing system, not from the article; a reader sees garbage.
    Example: "... a historic nuclear deal. [19659007] Russia denies ..."
    """
    if not contains_any(doc.text, _PLACEHOLDER_MARKS):
        return
    for m in _PLACEHOLDER.finditer(doc.text):
        yield Hit(m.start(), m.end(), f"placeholder token {m.group()!r} left by the scraper or CMS", suggestion="remove it")


@cache
def _boilerplate() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One pattern for every row of boilerplate.tsv (branch ``b<i>`` is row i: the first row that
    matches wins, as it would one pattern at a time), and each row's ``what``."""
    rows = load_tsv("boilerplate.tsv")
    pattern = "|".join(f"(?P<b{i}>(?:{row['pattern']})\\W*)" for i, row in enumerate(rows))
    return re.compile(pattern, re.I), tuple(row["what"] for row in rows)


@rule("MT102", "boilerplate-footer", "Source/Scraping", "major")
def boilerplate_footer(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A paragraph that is page furniture: "Source link", "Read more", share and newsletter boxes.

    Why: scrapers keep the links and widgets around an article; published as body text
    they show the page was copied. The patterns live in ``mtqa/data/boilerplate.tsv``.
    Example: a last paragraph that reads only "Source link".
    """
    pattern, whats = _boilerplate()
    for p in doc.paragraphs:
        body = p.text.strip()
        if p.is_title or len(body) > 120:
            continue
        m = pattern.fullmatch(body)
        if m:
            what = whats[next(int(name[1:]) for name, value in m.groupdict().items() if value is not None)]
            start = p.start + p.text.index(body[0])
            yield Hit(start, start + len(body), f"page furniture ({what}) in the article body", suggestion="remove it")


@cache
def _credit_pattern(words: tuple[str, ...], agencies: tuple[str, ...]) -> re.Pattern[str]:
    """A credit: one of ``words`` followed by ":" or "by" ("Photo: AFP"), or an agency's name."""
    def alternatives(items: tuple[str, ...]) -> str:
        return "|".join(re.escape(w.lower()) for w in items)
    return re.compile(rf"\b(?:{alternatives(words)})s?\s*(?::|by\b)|\b(?:{alternatives(agencies)})\b")


@rule("MT103", "photo-caption", "Source/Scraping", "major")
def photo_caption(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A photo caption left in the body: a line without final punctuation that ends with a date or credit.

    Why: captions are scraped along with the text and read as a broken sentence.
    Signals: no terminal punctuation and a trailing date ("July 16, 2018"), a photo credit
    ("Photo: AFP"), or an indented line of several words.
    Example: "  US President Donald Trump and Russian President Vladimir Putin shake hands
    at their meeting in Helsinki, Finland, July 16, 2018"
    """
    credits = _credit_pattern(tuple(ctx.params["credit_words"]), tuple(ctx.params["credit_agencies"]))
    min_words = int(ctx.params["min_words"])
    for p in doc.paragraphs:
        body = p.text.strip()
        if p.is_title or not body or body.rstrip(CLOSERS)[-1:] in tuple(TERMINAL) or len(words(body)) < min_words:
            continue
        lowered = body.lower()
        tail = body[-200:]  # the date ends the line: a huge paragraph is not scanned whole
        dated = (tail[-1].isdigit() or tail[-1] == ")") and bool(_CAPTION_DATE.search(tail))  # (a year or a bracket ends each pattern)
        credited = bool(credits.search(lowered)) and (":" in body or "/" in body or "(" in body)
        indented = p.text[:1] in (" ", "\t", "\u00a0")
        if dated or credited or indented:
            why = "ends with a date" if dated else "carries a photo credit" if credited else "is indented"
            start = p.start + (len(p.text) - len(p.text.lstrip()))
            yield Hit(start, start + len(body), f"looks like a photo caption: no final punctuation and {why}",
                      suggestion="remove the caption from the body", confidence=0.9 if dated or credited else 0.6)


@rule("MT104", "related-link", "Source/Scraping", "major")
def related_link(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A "related article" link in the body: a bulleted headline or a "Read also:" line.

    Why: link lists between paragraphs are navigation, not content.
    Example: "• What were the spinoffs of Helsinki?"
    """
    bullets = str(ctx.params["bullets"])
    lead_ins = tuple(s.lower() for s in ctx.params["lead_ins"])
    max_words = int(ctx.params["max_words"])
    for p in doc.paragraphs:
        body = p.text.strip()
        if p.is_title or not body:
            continue
        lowered = body.lower()
        bulleted = body[0] in bullets and len(words(body)) <= max_words
        lead = None
        if lowered.startswith(lead_ins):  # (one C call rules out most paragraphs)
            lead = next((li for li in lead_ins if lowered.startswith(li)
                         and lowered[len(li):len(li) + 2].strip()[:1] in (":", "-", "–", "|", ">")), None)
        if bulleted or lead:
            start = p.start + (len(p.text) - len(p.text.lstrip()))
            what = f"'{lead}' link" if lead else "bulleted headline"
            yield Hit(start, start + len(body), f"related-article link in the body ({what})", suggestion="remove it")


@rule("MT105", "html-markup", "Source/Scraping", "major")
def html_markup(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """HTML tags or entities in plain text (``<br>``, ``</p>``, ``&amp;``, ``&#39;``).

    Why: markup that survived extraction shows as raw code to readers.
    Example: "Prices rose &amp; fell.<br>"

    Markup that the given source has too is minor: the translation carried it over, as
    localisation asks (MT002 flags markup that is not carried). On the train data its 18
    MLQE-PE flags were all such markup of Wikipedia sources (``<u>``, ``<nowiki/>``), which the
    post-editors kept (precision 0.11; bench/rule_precision.py).
    """
    from mtqa.detect.rules.degeneration import MODEL_TOKEN

    found = [(m, what) for pattern, what in ((_HTML_TAG, "tag"), (_HTML_ENTITY, "entity")) for m in pattern.finditer(doc.text)
             if not MODEL_TOKEN.fullmatch(m.group())]  # <unk>, </s>: MT710's, not markup
    if not found:
        return
    in_source = _markup(doc.article.source or "")
    for m, what in found:
        carried = _markup_key(m.group()) in in_source
        yield Hit(m.start(), m.end(), f"HTML {what} {m.group()!r} in plain text" + " (as in the source)" * carried,
                  suggestion="decode or strip the markup", severity=Severity.MINOR if carried else None)


def _markup_key(markup: str) -> str:
    """A tag or entity as compared with the source's: case and spaces left out (``<Nowiki/>``)."""
    return "".join(markup.split()).casefold()


def _markup(text: str) -> frozenset[str]:
    """The HTML tags and entities of a text (a source), as ``_markup_key`` writes them."""
    if "<" not in text and "&" not in text:
        return frozenset()
    return frozenset(_markup_key(m.group()) for pattern in (_HTML_TAG, _HTML_ENTITY) for m in pattern.finditer(text))


@rule("MT106", "glued-url", "Source/Scraping", "minor")
def glued_url(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A URL fused to the words around it ("visithttps://example.com", "example.comRead").

    Why: link text and link target were concatenated by the scraper.
    Example: "More information athttps://example.org/page"
    """
    if "http" not in doc.text and "www." not in doc.text:
        return
    for m in _GLUED_URL.finditer(doc.text):
        yield Hit(m.start(), m.end(), "URL glued to the surrounding words", suggestion="separate or remove the link")
