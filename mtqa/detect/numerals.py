"""Numbers in any language, locale-aware: ``1,5`` is 1.5 in German, ``1.000`` is 1000,
``3 millions`` and ``3万`` are scaled, Chinese numerals and English number words count.
Shared by the number check (MT001) and the sentence alignment's anchors."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import NamedTuple

from mtqa.detect.textutil import load_tsv, whole_words


#: languages that write 1,5 for one and a half and 1.000 for a thousand
DECIMAL_COMMA = frozenset("de fr es it pt ru ro nl pl cs sk sl hr sr bg uk tr id vi da sv no nb fi et lv lt hu el ca gl eu".split())
# digits next to CJK characters count ("花了3万元"), next to Latin letters or digits they do not ("A380", "1st")
# ... and not a number inside a name ("COVID-19", "G-20")
# (a hyphen after a letter of any script joins a name: Ту-154, путча-1991)
# (a sign only where a word may start: "15%-26%" and "+/-3%" are 26% and 3%; a unit of three or more
# lower-case letters may be written onto the number: "3,999yuan")
_NUMBER_END = r"(?:(?![0-9A-Za-z])|(?=[a-z]{3,}(?![0-9A-Za-z])))"
#: (written to start with a character set, the sign or a digit, and to look behind it from there: the
#: engine then skips ahead to candidates instead of trying every position)
_NUMBER_START = (r"[-−+\d](?:(?<=[-−+])(?<![0-9A-Za-z.,][-−+])(?<![^\W\d_]-[-−+])(?<![^\s(\[{\"'“‘«][-−+])\d"
                 r"|(?<=\d)(?<![0-9A-Za-z.,]\d)(?<![^\W\d_]-\d))")
_UNITS = "(?:st|nd|rd|th|s|km|kg|cm|mm|ml|kW|kV|MW|GW|GB|MB|TB|m|g|t)?"
_NUMBER = re.compile(_NUMBER_START + r"(?:\d*(?:[.,\u00a0\u202f' ]\d{3})*(?:[.,]\d+)?%?" + _UNITS + _NUMBER_END
                     + r"|\d*(?:[.,]\d+)?%?" + _UNITS + _NUMBER_END + ")")
_A_DECADE = re.compile(r"\ba decade\b")
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9, "trillion": 1e12,
                "mio": 1e6, "mrd": 1e9, "milliard": 1e9, "milliards": 1e9, "millones": 1e6, "millón": 1e6, "milioni": 1e6,
                "milhões": 1e6, "millionen": 1e6, "milliarden": 1e9, "tausend": 1e3, "mil": 1e3, "mille": 1e3,
                "milioane": 1e6, "milion": 1e6, "miliarde": 1e9, "miliard": 1e9, "mii": 1e3, "млн": 1e6, "млрд": 1e9,
                "тыс": 1e3, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "миллиард": 1e9, "миллиарда": 1e9,
                "миллиардов": 1e9, "тысяч": 1e3, "тысячи": 1e3, "mln": 1e6, "mld": 1e9, "tys": 1e3, "miliony": 1e6,
                "milionów": 1e6, "miliardy": 1e9, "miliardów": 1e9, "milionů": 1e6, "miliard": 1e9, "tisíc": 1e3,
                "tisíce": 1e3, "tysięcy": 1e3, "tysiące": 1e3, "тысяча": 1e3, "тысячу": 1e3, "mila": 1e3, "miles": 1e3,
                # South Asian numbering (Hindi, Nepali): a lakh is 100,000, a crore 10 million
                "हजार": 1e3, "हज़ार": 1e3, "लाख": 1e5, "करोड": 1e7, "करोड़": 1e7, "अर्ब": 1e9, "अरब": 1e9, "खर्ब": 1e11}
# a standalone scale word is a number too ("тысячи МРП" = 1000), as a helper
# in lower case, capitalised or upper case, first letter literal: the engine skips to candidates
_SCALE_WORD = re.compile(whole_words({f(w) for w in _SCALE_WORDS for f in (str.lower, str.capitalize, str.upper)}) + r"(?!\w)")
# roman numerals (centuries, legions, kings: "secolul XIX", "XIVe siècle") in Latin-script sources
_ROMAN = re.compile(r"\b(?=[MDCLXVI])(M{0,3})(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?:e|er|ème|º|-?lea|-?a)?\b")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
_CJK_SCALE = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3, "百万": 1e6}
_CJK_SCALE_FIRST = frozenset(w[0] for w in _CJK_SCALE)
#: "20多万" (200,000-odd), "1.2万余": 多/余/几 between a number and its scale
_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
#: words that start with 成 after a number without it being tenths (6成 = 60%; 3成员 = 3 members)
_CHENG_WORDS = frozenset("员員为為功立本果绩績交长長都熟")
#: digits in groups of two to four apart by a space or a hyphen, as phone numbers are written
_DIGIT_GROUPS = re.compile(r"\d(?<![\d.,]\d)\d{1,3}(?:[ \u00a0-]\d{2,4})+(?!\d|[.,]\d)")  # (a digit first: fast)
#: a Roman numeral in Chinese, Japanese or Korean text (after NFKC: Ⅱ级 = II级), where no word
#: boundary separates it from the characters
_CJK_ROMAN = re.compile(r"(?<![A-Za-z])(?=[MDCLXVI])(M{0,3})(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?![A-Za-z])")
#: a number in Chinese or Japanese characters, digits or both ("七万八千", "7万8千", "1.2万", "二〇一九",
#: "1,000亿": a comma groups thousands)
_CJK_MIXED = re.compile(r"(?:[0-9.零〇一二两兩三四五六七八九十百千万萬亿億]|,(?=\d{3}))*[零〇一二两兩三四五六七八九十百千万萬亿億]"
                        r"[0-9.零〇一二两兩三四五六七八九十百千万萬亿億]*")
#: neighbouring digits in characters: a range ("七八十", 70 or 80; "十七八", 17 or 18; "两三百", 200 or 300) or,
#: with no unit, a list or a date ("三四五六年级", grades 3 to 6; "六四", June 4)
_CJK_DIGIT_RUN = re.compile(r"(十?)([一二两兩三四五六七八九]{2,})([十百千万萬亿億]*)")
#: what joins the ends of a range ("600 to 850 billion", "600至850亿", "2-3 Mio."): a scale after the
#: upper end applies to the lower one too
_RANGE_JOIN = re.compile(r"\s*(?:[-–—~～至到]|to|bis|à|a|al|do|până la)\s*")
#: a list marker a translator may add: "1)" or "(1)" standing alone where a clause starts, at most 20
#: (not an age after a noun: "ein Münchner (17)")
_LIST_MARKER = re.compile(r"(?:^|(?<=[:;,.\n])|(?<=[:;,.\n] ))\(?\d{1,2}\)(?!\S)")
#: a date of digits: 2021.6.11, 2021-06-11, 11.6.2021, 11/06/2021 (its year is checked; its day and month
#: only help, like a clock time's numbers)
_DATE = re.compile(r"\d(?<![\d.]\d)(?:\d{3}([./-])\d{1,2}\1\d{1,2}|\d?([./])\d{1,2}\2\d{4})(?![\d.]\d)")  # (a digit first: fast)
_CJK_BIG = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
#: 千 before these is the metric prefix kilo- (千伏 kV, 千米 km), not a thousand
_CJK_KILO_UNITS = "伏瓦米克焦赫"
_NEXT_WORD = re.compile(r"\s*([^\s\d.,;:!?()\[\]\"'“”+]+)")
#: a 24-hour time of four digits, when one of these follows it ("1200 GMT")
_HHMM = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
_HOURS_AFTER = re.compile(r"\s*(?:GMT|UTC|hours?\b|h\b)")
#: a currency code written onto a number ("USD11.16 million", "RMB5 billion"): blanked before numbers are read
_GLUED_CURRENCY = re.compile(r"\b(?:USD|US\$|RMB|CNY|EUR|GBP|HKD|HK\$|JPY|CHF|AUD|CAD|INR|Rs\.?)(?=\d)")
#: an ordinal or a unit written onto a number (21st, 1.92m, 50kg)
_SUFFIX = re.compile(_UNITS[:-1] + "$")


def cjk_mixed_value(text: str) -> float | None:
    """The value of a Chinese/Japanese number of any size, in characters, digits or both
    (七万八千 = 78,000, 1.2万 = 12,000, 1亿2000万 = 120,000,000, 二〇一九 = 2019, 万 = 10,000)."""
    result = section = 0.0
    number: float | None = None
    cjk_digits = False  # the number so far is CJK digits, so a next one appends (二〇一九)
    seen = False
    for run in re.findall(r"[0-9.]+|.", text.replace(",", "")):
        if run[0] in "0123456789.":
            try:
                number, cjk_digits = float(run), False
            except ValueError:
                return None
        elif run in _CJK_DIGITS:
            number = number * 10 + _CJK_DIGITS[run] if number is not None and cjk_digits else float(_CJK_DIGITS[run])
            cjk_digits = True
        elif run in _CJK_UNITS:
            section += (number if number is not None else 1) * _CJK_UNITS[run]
            number, cjk_digits = None, False
        elif run in _CJK_BIG:
            value = section + (number or 0.0)
            if _CJK_BIG[run] == 1e8:  # (万亿: ten thousand times a hundred million, a trillion)
                result = (result + value) * 1e8 if result or value else 1e8
            else:
                result += (value or 1.0) * 1e4
            section, number, cjk_digits = 0.0, None, False
        seen = True
    return result + section + (number or 0.0) if seen else None


def _cjk_digit_readings(numeral: str) -> list[float]:
    """The values of a numeral in characters read digit by digit (see ``_CJK_DIGIT_RUN``): 七八十 ->
    [70, 80], 十七八 -> [17, 18], 三四五六 -> [3, 4, 5, 6], 六四 -> [6, 4]; [] for any other numeral."""
    m = _CJK_DIGIT_RUN.fullmatch(numeral)
    if m is None:
        return []
    prefix, digits, unit = m.groups()
    values = [_CJK_DIGITS[d] for d in digits]
    if (prefix or unit) and any(b != a + 1 for a, b in zip(values, values[1:])):
        return []  # (with a unit, only neighbours make a range)
    return [v for d in digits if (v := cjk_mixed_value(prefix + d + unit)) is not None]


_ENGLISH_NUMBERS = {w: float(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split())} | {"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0, "seventy": 70.0,
                                           "eighty": 80.0, "ninety": 90.0, "hundred": 100.0, "dozen": 12.0} | {
    m: float(i) for i, m in enumerate("january february march april may june july august september october november december".split(), 1)
} | {w: float(i) for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 1)} | {
    w: 10.0 * i for i, w in enumerate("twenties thirties forties fifties sixties seventies eighties nineties".split(), 2)
} | {"midnight": 0.0, "noon": 12.0} | {
    m: float(i) for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)} | {"sept": 9.0}
# "June 20" carries the source's 6月20日, 20.06. or 20/6; "eighth" its 8回戦
#: a clock time: its numbers are checked as a time, not one by one ("9:30" for 9点半, "3:40 a.m." for 3.40 Uhr)
#: ("9.30" is a time, "1.77" or "2.50 million" is not)
_TIME = re.compile(r"\d(?<!\w\d)\d?(?::(?:\d{2}|\s[0-5]\d)\b|\.[0-5]\d\b(?!\s?(?:%|percent|per cent|thousand|[mbtr]illion|[万萬亿億]))"
                   r"|\s*(?:a\.?m\.?|p\.?m\.?|o'clock|h\b|Uhr|heures?|horas?|ore|時|时|点|點))", re.IGNORECASE)  # (a digit first: fast)


def _value(token: str, lang: str | None) -> float | None:
    """The value of a number as written in ``lang`` (English when None)."""
    if token.isdecimal():  # (digits alone, the usual token: nothing below changes them)
        return float(token)
    raw = _SUFFIX.sub("", token).replace("\u2212", "-").rstrip("%")
    raw = re.sub("[ \u00a0\u202f']", "", raw)  # space and apostrophe group thousands (1 000, 1'000)
    comma_decimal = lang in DECIMAL_COMMA
    # a separator used twice (and the other one not at all) groups thousands, in any language
    if raw.count(",") > 1 and "." not in raw:
        raw = raw.replace(",", "")
    elif raw.count(".") > 1 and "," not in raw:
        raw = raw.replace(".", "")
    if comma_decimal:
        if re.fullmatch(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
            raw = raw.replace(".", "")
        raw = raw.replace(",", ".")
    else:
        if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
            raw = raw.replace(",", "")
        elif re.fullmatch(r"[-+]?\d+,\d{1,2}", raw):  # a decimal comma kept in English text
            raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


class Number(NamedTuple):
    """A number found in a text. Only ``written`` ones (digits, scaled as written) are checked;
    the others (bare values of scaled numbers, number words, digits inside names) only
    help a written number find its match. (A named tuple: a text's numbers are many, and
    a tuple is made several times faster than a frozen dataclass.)"""

    value: float
    start: int
    end: int
    written: bool = True


_DIGITS = re.compile(r"\d+")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
#: (every tens word ends in "ty": a text without "ty-" or "ty " has no compound, and is not searched)
_ENGLISH_COMPOUND = re.compile(f"({whole_words(_TENS)})[- ](one|two|three|four|five|six|seven|eight|nine)\\b")
# matched in the lower-cased text
_ENGLISH_NUMBER_WORD = re.compile(whole_words(_ENGLISH_NUMBERS) + r"\b")
#: English words that count as written numbers when the source's own number words can be read
_CARDINALS = frozenset("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                       "seventeen eighteen nineteen".split()) | frozenset(_TENS)


@cache
def number_words() -> dict[str, dict[str, float]]:
    """Cardinal number words of source languages (``mtqa/data/number_words.tsv``): language -> word -> value."""
    table: dict[str, dict[str, float]] = {}
    for row in load_tsv("number_words.tsv"):
        table.setdefault(row["lang"], {})[row["word"]] = float(row["value"])
    return table


@cache
def _number_word_pattern(lang: str) -> re.Pattern[str]:
    return re.compile(whole_words(number_words()[lang]) + r"\b")


def has_digits(text: str) -> bool:
    """Whether ``text`` has a digit (after NFKC: full-width ones too). A number :func:`numbers`
    marks as written always has one; number words and numerals alone only help matching."""
    return _DIGITS.search(text if text.isascii() else unicodedata.normalize("NFKC", text)) is not None


def reads_number_words(lang: str | None) -> bool:
    """Whether the number words of a source in ``lang`` are read (a table of them exists). Chinese
    numerals are read too, but a Chinese source says "two" in too many other ways (双方, 立体:
    "both sides", "three-dimensional") for the English words to be checked against it."""
    return lang in number_words()


def numbers(text: str, lang: str | None, check_words: bool = False) -> list[Number]:
    """Every number in ``text``: a following scale word multiplies ("3 millions", "3万");
    the bare value of a scaled number, a decade's two digits ("1990s" = 90年代), number
    words (English, the source language's, or Chinese/Japanese numerals, also read digit by
    digit: 七八十 = 70 or 80, 六四 = 6 and 4), the day and month of a date of digits and
    digits inside names ("5G", "A380") are listed as unwritten helpers. With ``check_words``, English
    cardinals from two to ninety ("three", "forty-two") are written numbers too."""
    found = []
    has_digit = _DIGITS.search(text) is not None  # times, written numbers and digits all need one
    clock = [m.span() for m in _TIME.finditer(text)] if has_digit else []
    dates = [m.span() for m in _DATE.finditer(text)] if has_digit else []
    for a, b in dates:  # the year is checked; the day and month only help (the digits' pass below lists them)
        year = re.search(r"\d{4}", text[a:b])
        found.append(Number(float(year.group()), a + year.start(), a + year.end()))
    # 1万1000 = 11,000, 7万8千 = 78,000: digits with CJK units are one number written; the
    # digits inside only help matching; numbers in characters alone (七十) only help too
    scales: dict[int, float] = {}  # start of each written scaled number -> its scale
    if not text.isascii():
        normal = unicodedata.normalize("NFKC", text)
        for m in _CJK_MIXED.finditer(normal):
            numeral = m.group()
            following = normal[m.end():m.end() + 1]
            if numeral.endswith("千") and following and following in _CJK_KILO_UNITS:
                numeral = numeral[:-1]  # 1100千伏 is 1,100 kV
            value = cjk_mixed_value(numeral) if numeral else None
            if value is None:
                continue
            written = bool(re.search(r"\d", numeral)) and bool(re.search("[十百千万萬亿億]", numeral))
            found.append(Number(value, m.start(), m.start() + len(numeral), written=written))
            if written and (lead := re.match(r"[\d.]+", numeral.replace(",", ""))) and _float(lead.group()):
                scales[m.start()] = value / _float(lead.group())  # 850亿: 1e8
            if written:
                clock.append((m.start(), m.start() + len(numeral)))
            elif m.group() == numeral and following == "成" and value <= 10:
                found.append(Number(value * 10, m.start(), m.end() + 1, written=False))  # 八成 = 80%
            elif m.group() == numeral and following and following in "多余几" and \
                    (scale := next((v for w, v in _CJK_SCALE.items() if normal.startswith(w, m.end() + 1)), None)):
                found.append(Number(value * scale, m.start(), m.end() + 2, written=False))  # 十几万: 100,000 and more
            if not written:
                found += [Number(v, m.start(), m.end(), written=False) for v in _cjk_digit_readings(numeral)]
    previous: tuple[Number, float, int] | None = None  # the last scaled number: (it, its scale, where its word ends)
    plain: dict[int, int] = {}  # start of each written number without a scale -> its index in found
    digits_text = _GLUED_CURRENCY.sub(lambda c: " " * len(c.group()), text) if has_digit else text  # (same offsets)
    last_end: int | None = None  # where the number before ends
    for m in _NUMBER.finditer(digits_text) if has_digit else ():
        value = _value(m.group(), lang)
        if value is None or dates and any(a <= m.start() < b for a, b in dates):
            continue
        if value < 0 and last_end is not None and not text[last_end:m.start()].strip():
            found.append(Number(-value, m.start(), m.end(), written=False))  # "15% -26%": a range's dash, not minus 26
        last_end = m.end()
        if clock and any(a <= m.start() < b for a, b in clock):  # times (written too many ways) and parts of a compound
            found.append(Number(value, m.start(), m.end(), written=False))
            continue
        after = text[m.end():m.end() + 12]
        if len(m.group()) == 2 and after[:1] in "后後":  # 95后: people born after 1995
            found += [Number(v, m.start(), m.end(), written=False) for v in (value, 1900.0 + value, 2000.0 + value)]
            continue
        cjk_after = after.lstrip(" ")  # ("820 万": a space between digits and characters)
        cjk_after = cjk_after[1:] if cjk_after[:1] in "多余几" else cjk_after
        scale = next((s for w, s in _CJK_SCALE.items() if cjk_after.startswith(w)), None) if cjk_after[:1] in _CJK_SCALE_FIRST else None
        if cjk_after[:1] == "千" and cjk_after[1:2] in _CJK_KILO_UNITS:
            scale = None
        elif cjk_after[:1] == "成" and value <= 10 and cjk_after[1:2] not in _CHENG_WORDS:
            scale = 10.0  # 6成: six tenths, 60%
        word = None
        if scale is None:
            word = _NEXT_WORD.match(text, m.end())  # (letters with combining marks: लाख)
            scale = _SCALE_WORDS.get(word.group(1).lower().split("-")[0]) if word else None  # "1.6 million-mu"
        number = Number(value * (scale or 1.0), m.start(), m.end())
        if scale and word is not None and previous is not None and previous[1] > scale and m.start() - previous[2] <= 2:
            # "7 lakh 83 thousand", "2 millions 300 mille": one number written in two scaled parts
            first = previous[0]
            found[found.index(first)] = Number(first.value, first.start, first.end, written=False)
            found.append(Number(first.value + number.value, first.start, m.end()))
            number = Number(number.value, m.start(), m.end(), written=False)
        if number.written and not scale and value <= 20 and _LIST_MARKER.match(text, m.start() - (text[m.start() - 1:m.start()] == "(")):
            number = Number(value, m.start(), m.end(), written=False)  # "1)", "(2)": numbering, not a figure
        if scale:
            scales[m.start()] = scale
        elif number.written:
            plain[m.start()] = len(found)
        found.append(number)
        previous = (number, scale, word.end()) if scale and word is not None else None
        if scale:
            found.append(Number(value, m.start(), m.end(), written=False))
        decade = m.group().endswith("0s") and len(m.group()) == 5 or (
            len(m.group()) == 4 and m.group().endswith("0") and re.match(r" ?['’]?s\b", after))  # 1960s, 1960 s, 1980’s
        if decade:  # the 1850s: the '50s of the 19th century
            found.append(Number(value % 100, m.start(), m.end(), written=False))
            found.append(Number(float(int(value) // 100 + 1), m.start(), m.end(), written=False))
        if len(m.group()) == 4 and _HHMM.fullmatch(m.group()) and _HOURS_AFTER.match(after):
            found.append(Number(float(int(value) // 100), m.start(), m.end(), written=False))  # 1200 GMT: 12 h 00
        if comma_grouped(m.group(), lang):  # "10,000" in a language that writes 10.000: kept from an English text
            found.append(Number(float(m.group().replace(",", "")), m.start(), m.end(), written=False))
        if lang is None and "." in m.group() and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", m.group()):  # "408.000" kept from the source's format
            found.append(Number(float(m.group().replace(".", "")), m.start(), m.end(), written=False))
    if scales and plain:
        _share_scales(found, plain, scales, text)
    if has_digit:
        found += [Number(float(m.group()), m.start(), m.end(), written=False) for m in _DIGITS.finditer(text) if len(m.group()) < 16]
        for run in _DIGIT_GROUPS.finditer(text):  # "8599 3119" for 85993119: each group also stands for the whole
            joined = re.sub(r"\D", "", run.group())
            if 7 <= len(joined) < 16:
                found += [Number(float(joined), g.start(), g.end(), written=False) for g in _DIGITS.finditer(text, run.start(), run.end())]
    if lang not in (None, "en", "zh", "ja", "ko"):
        found += [Number(_SCALE_WORDS[m.group().lower()], m.start(), m.end(), written=False)
                  for m in _SCALE_WORD.finditer(text) if m.group().lower() in _SCALE_WORDS]
        found += [Number(v, m.start(), m.end(), written=False) for m in _ROMAN.finditer(text) if (v := roman_value(m))]
    elif lang in ("zh", "ja", "ko") and not text.isascii():  # (offsets of the normalised text: helpers only)
        found += [Number(v, m.start(), m.end(), written=False)
                  for m in _CJK_ROMAN.finditer(unicodedata.normalize("NFKC", text)) if (v := roman_value(m))]
    lowered = text.lower()
    if len(lowered) != len(text):  # (lower-casing a rare letter can change the length)
        return found
    if lang in number_words():
        table = number_words()[lang]
        found += [Number(table[m.group()], m.start(), m.end(), written=False) for m in _number_word_pattern(lang).finditer(lowered)]
    if lang in (None, "en"):
        compounds = [Number(_ENGLISH_NUMBERS[m.group(1)] + _ENGLISH_NUMBERS[m.group(2)], m.start(), m.end(), written=check_words)
                     for m in _ENGLISH_COMPOUND.finditer(lowered)] if "ty-" in lowered or "ty " in lowered else []  # forty-two
        words = [Number(_ENGLISH_NUMBERS[m.group()], m.start(), m.end(),
                        written=check_words and m.group() in _CARDINALS and not any(c.start <= m.start() < c.end for c in compounds))
                 for m in _ENGLISH_NUMBER_WORD.finditer(lowered)]
        found += words + compounds
        for n in words + compounds:  # "five billion", "forty-two thousand", "five hundred thousand", "seven decades"
            word = _NEXT_WORD.match(lowered, n.end)
            if word is None or not 1 <= n.value < 100:
                continue
            value, end = n.value, word.end()
            if word.group(1) in ("hundred", "decades"):
                value *= 100 if word.group(1) == "hundred" else 10
                found.append(Number(value, n.start, end, written=False))
                word = _NEXT_WORD.match(lowered, end)
            scale = _SCALE_WORDS.get(word.group(1).split("-")[0]) if word else None
            if scale:
                found.append(Number(value * scale, n.start, word.end(), written=False))
        if "decade" in lowered:
            found += [Number(10.0, m.start(), m.end(), written=False) for m in _A_DECADE.finditer(lowered)]
    return found


def _float(digits: str) -> float:
    try:
        return float(digits)
    except ValueError:
        return 0.0


def _share_scales(found: list[Number], plain: dict[int, int], scales: dict[int, float], text: str) -> None:
    """A written number without a scale, joined to a scaled one by a range ("600 to 850 billion"):
    it takes that scale (600 billion), and its bare value helps."""
    ends = sorted((found[i].end, i) for i in plain.values())
    for start, scale in scales.items():
        for end, i in reversed(ends):
            if end <= start:
                if scale > 1 and _RANGE_JOIN.fullmatch(text, end, start):
                    first = found[i]
                    found[i] = Number(first.value * scale, first.start, first.end)
                    found.append(Number(first.value, first.start, first.end, written=False))
                break


def roman_value(m: re.Match[str]) -> float | None:
    """The value of a roman numeral match (None for an empty match)."""
    digits = "".join(m.groups())
    if not digits:
        return None
    total = 0
    for i, ch in enumerate(digits):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(digits) and _ROMAN_VALUES[digits[i + 1]] > value else value
    return float(total)


def comma_grouped(token: str, lang: str | None) -> bool:
    """Whether ``token`` groups thousands with commas (1,000 or 20,026) in a language whose
    decimal separator is the comma."""
    return lang in DECIMAL_COMMA and "," in token and re.fullmatch(r"\d{1,3}(?:,\d{3})+", token) is not None


def same(a: float, b: float) -> bool:
    """Equal but for floating-point error (a scaled 1.77万亿 against 1.77 trillion); long numbers
    that differ in their last digits (phone numbers, account numbers) are not the same."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
