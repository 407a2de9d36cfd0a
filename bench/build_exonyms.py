"""Build ``mtqa/data/exonyms.tsv``: place names that other languages write differently from English (MT004).

    pip install babel==2.18.0   # build time only: mtqa reads the TSV
    python bench/build_exonyms.py [--out PATH] [--smoke]

From the Unicode CLDR data that babel ships: for each Latin-script language of
``LANGUAGES``, its names of the world's countries and territories and of the cities CLDR
names time zones after, next to the English name (Spanien / Spain, Wien / Vienna, Rzym /
Rome). Pairs that differ only in accents or case are left out: the rules fold those.
MT004 lost-name reads a source word of the table as a name whose translation must carry
the English form; MT014 name-not-in-source reads an English form of the table as a name
the source must have in some form.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import build_time_import, builder_options, write_table  # noqa: E402

#: Latin-script languages with CLDR names and wordfreq frequency lists
LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "pl", "cs", "ro", "sv", "da", "nb", "fi", "hu", "tr", "hr", "sk",
             "sl", "lt", "lv", "et", "ca")
OUT = Path(__file__).resolve().parent.parent / "mtqa" / "data" / "exonyms.tsv"


def fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))


def pairs(lang: str) -> set[tuple[str, str]]:
    """(name in ``lang``, English name) for the territories and exemplar cities whose names differ."""
    from babel import Locale

    english, local = Locale("en"), Locale(lang)
    found = {(name, english.territories[code]) for code, name in local.territories.items()
             if not code.isdigit() and code in english.territories}
    for zone, names in local.time_zones.items():
        city = names.get("city")
        if city:  # English CLDR has no exemplar cities: its city is the zone id's last part
            found.add((city, zone.rsplit("/", 1)[-1].replace("_", " ")))
    return {(a, b) for a, b in found if fold(a) != fold(b) and "\t" not in a + b}


def main() -> None:
    args, out = builder_options(OUT, "exonyms-smoke.tsv")
    babel = build_time_import("babel", "babel==2.18.0", "bench/build_exonyms.py")
    languages = LANGUAGES[:2] if args.smoke else LANGUAGES
    header = [
        "# Place names other languages write differently from English: MT004 lost-name and MT014 name-not-in-source.",
        f"# Built by `python bench/build_exonyms.py` from Unicode CLDR as shipped in babel {babel.__version__}",
        "# (CLDR data: Unicode License v3): country and territory names, and the cities CLDR names time zones",
        "# after (English: the zone id's city). Pairs equal once accents and case are folded are left out.",
        "# Columns: language, its name, the English name.",
        "lang\tname\tenglish",
    ]
    n = write_table(out, header, sorted((lang, a, b) for lang in languages for a, b in pairs(lang)))
    print(f"{n} pairs in {len(languages)} languages -> {out}")


if __name__ == "__main__":
    main()
