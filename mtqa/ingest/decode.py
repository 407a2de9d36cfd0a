"""Turn raw bytes into text: BOMs, UTF-16, legacy encodings, CRLF, and precise decode errors.

UTF-8 is expected. Bytes that are not UTF-8 are decoded with a guessed legacy encoding
(:func:`guess_legacy`) and the guess is recorded on the article (``encoding_detected``);
only bytes that no encoding reads plausibly are an error.
"""

from __future__ import annotations

import codecs
import unicodedata


class DecodeError(ValueError):
    """Bytes that are not valid text; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; normalise newlines to ``\\n``."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom):], name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DecodeError(
            f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x} at offset {exc.start})", line
        ) from None
    return normalise_newlines(text)


def decode_guessing(data: bytes) -> tuple[str, str | None]:
    """:func:`decode_bytes`, or for bytes that are not UTF-8, the text in the guessed legacy
    encoding and that encoding's name; raises the UTF-8 error when there is no guess."""
    try:
        return decode_bytes(data), None
    except DecodeError:
        guess = guess_legacy(data)
        if guess is None:
            raise
        return normalise_newlines(data.decode(guess)), guess


#: up to this share of non-ASCII letters, Latin text that reads as Windows-1252 is taken to be it
_LATIN_SHARE = 0.5


def guess_legacy(data: bytes) -> str | None:
    """The legacy encoding of bytes that are not UTF-8, or None.

    English text saved by Windows tools is the common case: bytes that read as mostly-ASCII
    Latin text in Windows-1252 (a few accented letters, curly quotes, dashes, the euro
    sign) are taken as ``cp1252``; short samples are too ambiguous for statistics, and
    charset-normalizer then often prefers a Central European code page. Anything else
    (a Cyrillic or CJK code page, mostly non-ASCII) gets charset-normalizer's best guess.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text:
        high = [c for c in text if ord(c) > 127]
        letters = sum(c.isalpha() for c in text)
        latin = all(unicodedata.name(c, "").startswith("LATIN") or unicodedata.category(c)[0] in "PSZ" for c in high)
        if latin and sum(c.isalpha() for c in high) <= _LATIN_SHARE * max(letters, 1):
            return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return best.encoding if best is not None else None


def sniff_legacy(sample: bytes) -> str | None:
    """The legacy encoding of a file whose first bytes (``sample``) are not UTF-8, or None
    when they are (a multi-byte character cut at the sample's end is still UTF-8)."""
    if sample.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        sample.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return None
        return guess_legacy(sample[:exc.start + 4096])


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, as Python's universal newlines do."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
