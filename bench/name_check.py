"""Would a check for lost or replaced names pay? Measured on the TRAIN part before building one (issue 12).

    python bench/name_check.py [--rows 3000] [--smoke] [--demetr]

MQM zh-en and MLQE-PE ne/si/ru have no Latin-script source; MLQE-PE ro-en train is the one
train part where a name of the source is written as the translation writes it. The check
tried: a capitalised word of the source, not at a sentence start, that the translation does
not contain (case and accents folded; a shared four-letter stem or a close spelling counts
as carried over: Artur/Arthur, Italia/Italy). Candidates can be limited to words that are
rare in the source language (wordfreq Zipf below ``t_src``: common nouns in a name, "America
de Sud", "Camera Reprezentanților", drop out) and known to English (Zipf at least ``t_en``).

* false alarms: share of human post-edits with a lost name (they keep every name);
* recall: a capitalised word that the post-edit shares with the source is removed from the
  post-edit (seeded), and the check must notice.

Two more checks (seventh session), same measures:

* lost, cross-lingual words: a capitalised source word that English uses about as often as
  the source language does (Zipf in English at least the source's minus ``margin``: names
  and brands, not the source's own common words), missing from the translation;
* replaced: a capitalised word of the translation, not at a sentence start and rarer in
  English than ``t_en`` (a name, not "Team" or "Ministry"), that no source word carries;
  recall: a shared name of the post-edit replaced by a rare capitalised word of another.

``--demetr`` also reports, on DEMETR (a test part, so only to report), both new checks
together on the Latin-script sources (cs, de, es, fr, it, pl): recall of the ne_removed and
ne_replaced perturbations and the share of human references flagged.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL, _rows  # noqa: E402

CAPITALISED = re.compile(r"(?<![\w-])([A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-žșțăâî'’-]{2,})")
WORD = re.compile(r"\w+")
SETTINGS = ((99.0, 0.0), (4.0, 0.0), (3.5, 0.0), (3.0, 0.0), (3.5, 1.0), (3.5, 2.0))


def fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def at_sentence_start(text: str, i: int) -> bool:
    before = text[:i].rstrip()
    return not before or before[-1] in ".!?:\"«“„(–—-"


def names(text: str, lang: str, t_src: float, t_en: float) -> list[str]:
    from wordfreq import zipf_frequency

    return [m.group(1) for m in CAPITALISED.finditer(text) if not at_sentence_start(text, m.start())
            and zipf_frequency(m.group(1).lower(), lang) < t_src and zipf_frequency(m.group(1).lower(), "en") >= t_en]


def carried(name: str, target_words: set[str]) -> bool:
    f = fold(name)
    return any(f == t or (len(f) >= 4 and f[:4] == t[:4]) or SequenceMatcher(None, f, t).ratio() >= 0.75 for t in target_words)


def lost(source: str, target: str, t_src: float, t_en: float) -> list[str]:
    words = {fold(w) for w in WORD.findall(target)}
    return [n for n in names(source, "ro", t_src, t_en) if not carried(n, words)]


def cross_lingual_names(text: str, lang: str, margin: float) -> list[str]:
    from wordfreq import zipf_frequency

    from mtqa.detect.textutil import zipf_in

    return [m.group(1) for m in CAPITALISED.finditer(text) if not at_sentence_start(text, m.start())
            and zipf_frequency(m.group(1).lower(), "en") >= zipf_in(m.group(1).lower(), lang) - margin]


def lost_cross_lingual(source: str, target: str, lang: str, margin: float) -> list[str]:
    words = {fold(w) for w in WORD.findall(target)}
    return [n for n in cross_lingual_names(source, lang, margin) if not carried(n, words)]


def unsupported(source: str, target: str, t_en: float) -> list[str]:
    from wordfreq import zipf_frequency

    words = {fold(w) for w in WORD.findall(source)}
    return [m.group(1) for m in CAPITALISED.finditer(target) if not at_sentence_start(target, m.start())
            and zipf_frequency(m.group(1).lower(), "en") < t_en and not carried(m.group(1), words)]


def shared_names(r: dict[str, str]) -> list[re.Match[str]]:
    return [m for m in CAPITALISED.finditer(r["pe"]) if not at_sentence_start(r["pe"], m.start()) and fold(m.group(1)) in fold(r["source"])]


def second_checks(rows: list[dict[str, str]], smoke: bool) -> None:
    from wordfreq import zipf_frequency

    print("\n| check | setting | false alarms (post-edits) | recall |")
    print("|---|---|---|---|")
    for margin in (1.0,) if smoke else (0.5, 1.0, 1.5):
        rng, trials, found = random.Random(1), 0, 0
        for r in rows:
            if shared := shared_names(r):
                m = rng.choice(shared)
                trials += 1
                found += bool(lost_cross_lingual(r["source"], (r["pe"][:m.start()] + r["pe"][m.end():]).replace("  ", " "), "ro", margin))
        false_alarms = sum(bool(lost_cross_lingual(r["source"], r["pe"], "ro", margin)) for r in rows)
        print(f"| lost, cross-lingual | margin {margin:g} | {false_alarms / len(rows):.4f} | {found / max(trials, 1):.3f} ({trials} pairs) |")
    pool = [m.group(1) for r in rows for m in CAPITALISED.finditer(r["pe"])
            if not at_sentence_start(r["pe"], m.start()) and zipf_frequency(m.group(1).lower(), "en") < 3]
    for t_en in (3.0,) if smoke else (2.5, 3.0, 3.5):
        rng, trials, found = random.Random(1), 0, 0
        for r in rows:
            if (shared := shared_names(r)) and pool:
                m = rng.choice(shared)
                trials += 1
                found += bool(unsupported(r["source"], r["pe"][:m.start()] + rng.choice(pool) + r["pe"][m.end():], t_en))
        false_alarms = sum(bool(unsupported(r["source"], r["pe"], t_en)) for r in rows)
        print(f"| replaced | English Zipf below {t_en:g} | {false_alarms / len(rows):.4f} | {found / max(trials, 1):.3f} ({trials} pairs) |")


def demetr(margin: float, t_en: float, limit: int | None) -> None:
    import pandas as pd

    langs = {"czech": "cs", "french": "fr", "german": "de", "italian": "it", "polish": "pl", "spanish": "es"}
    base = pd.read_csv(EVAL / "demetr" / "demetr_base.tsv", sep="\t", quoting=3, keep_default_na=False)
    base = base[base.lang_tag.isin(langs)].head(limit)
    pert = pd.read_csv(EVAL / "demetr" / "demetr_perturbations.tsv.gz", sep="\t", quoting=3, keep_default_na=False)
    pert = pert[pert.pert_check.astype(str) == "True"].merge(base, on="id")

    def flagged(source: str, target: str, lang: str) -> bool:
        return bool(lost_cross_lingual(source, target, langs[lang], margin) or unsupported(source, target, t_en))

    print(f"\nDEMETR, Latin-script sources ({len(base)} sentences), both checks (margin {margin:g}, English Zipf below {t_en:g}):")
    for name in ("critical_id25_ne_removed", "critical_id9_ne_replaced"):
        rows = pert[pert.pert_name == name]
        print(f"  {name}: recall {sum(flagged(r.src_sent, r.pert_sent, r.lang_tag) for r in rows.itertuples()) / max(len(rows), 1):.3f} ({len(rows)})")
    print(f"  human references flagged: {sum(flagged(r.src_sent, r.eng_sent, r.lang_tag) for r in base.itertuples()) / max(len(base), 1):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--smoke", action="store_true", help="a few rows (CI)")
    ap.add_argument("--demetr", action="store_true", help="also report the new checks on DEMETR (test: to report only)")
    args = ap.parse_args()
    rows = list(_rows(EVAL / "mlqe_pe" / "mlqepe_ro-en.train.tsv.gz"))
    random.Random(0).shuffle(rows)
    rows = rows[:20 if args.smoke else args.rows]
    print(f"MLQE-PE ro-en train, {len(rows)} post-edits")
    print("| source Zipf below | English Zipf at least | false alarms (post-edits) | recall (a name removed) |")
    print("|---|---|---|---|")
    for t_src, t_en in SETTINGS[:2] if args.smoke else SETTINGS:
        false_alarms = sum(bool(lost(r["source"], r["pe"], t_src, t_en)) for r in rows)
        rng, trials, found = random.Random(1), 0, 0
        for r in rows:
            shared = [m for m in CAPITALISED.finditer(r["pe"])
                      if not at_sentence_start(r["pe"], m.start()) and fold(m.group(1)) in fold(r["source"])]
            if not shared:
                continue
            m = rng.choice(shared)
            trials += 1
            found += bool(lost(r["source"], (r["pe"][:m.start()] + r["pe"][m.end():]).replace("  ", " "), t_src, t_en))
        print(f"| {t_src:g} | {t_en:g} | {false_alarms / len(rows):.4f} | {found / max(trials, 1):.3f} ({trials} pairs) |")
    second_checks(rows, args.smoke)
    if args.demetr:
        demetr(1.0, 2.5, 20 if args.smoke else None)


if __name__ == "__main__":
    main()
