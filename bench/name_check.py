"""Would a check for lost names pay? Measured on the TRAIN part before building one (issue 12).

    python bench/name_check.py [--rows 3000] [--smoke]

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--smoke", action="store_true", help="a few rows (CI)")
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


if __name__ == "__main__":
    main()
