"""Names against the source: MT004 lost-name and MT014 name-not-in-source, measured (issue 12).

    python bench/name_check.py [--rows 7000] [--smoke] [--demetr]

Thresholds are chosen on MLQE-PE ro-en TRAIN, the one train part with a Latin-script source:

* false alarms: share of human post-edits flagged (post-editors keep every name);
* recall (synthetic): a capitalised word that the post-edit shares with its source, not at a
  sentence start, is removed (MT004 must notice) or replaced by a capitalised word of another
  post-edit (either rule may notice), seeded.

The sweep calls ``mtqa.detect.names`` with other settings; the last rows run the rules as
shipped (``mtqa.check`` with rules.toml), acronyms included. ``--demetr`` also reports, on
DEMETR (a test part: to report only, nothing is chosen on it), the Latin-script sources (cs,
de, es, fr, it, pl): recall of the ne_removed and ne_replaced perturbations and the share of
human references and of unperturbed MT flagged.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL, _rows  # noqa: E402
from mtqa.detect.names import WordIndex, fold, names_not_in_source, source_names  # noqa: E402

CAPITALISED = re.compile(r"[^\W\d_]+")
Check = Callable[[str, str, str], bool]


def sweep_check(margin: float, max_english_zipf: float, max_place_zipf: float = 5.5, similarity: float = 0.75) -> Check:
    """Either rule's name part with these settings (acronyms left out)."""
    def flagged(source: str, target: str, lang: str) -> bool:
        words = WordIndex(target)
        lost = any(not words.spells(n.forms, similarity) for n in source_names(source, lang, margin, 3.0, max_place_zipf, (2.0, 5.5), frozenset()))
        return lost or bool(names_not_in_source(target, source, lang, max_english_zipf, similarity))
    return flagged


def shipped_check(source: str, target: str, lang: str) -> bool:
    import mtqa

    return bool(mtqa.check(target, source=source, source_lang=lang, select=["MT004", "MT014"]))


def shared_names(source: str, target: str) -> list[re.Match[str]]:
    folded = fold(source)
    return [m for m in CAPITALISED.finditer(target) if m.group()[0].isupper() and m.start() > 0
            and target[:m.start()].rstrip()[-1:] not in ".!?:\"«“" and fold(m.group()) in folded]


def train(rows: list[dict[str, str]], check: Check) -> tuple[float, float, float, int]:
    """(post-edits flagged, removal recall, replacement recall, pairs) on ro-en train."""
    pool = [m.group() for r in rows for m in shared_names(r["source"], r["pe"])]
    rng, pairs, removed, replaced = random.Random(1), 0, 0, 0
    for r in rows:
        if not (shared := shared_names(r["source"], r["pe"])):
            continue
        m = rng.choice(shared)
        pairs += 1
        removed += check(r["source"], (r["pe"][:m.start()] + r["pe"][m.end():]).replace("  ", " "), "ro")
        replaced += check(r["source"], r["pe"][:m.start()] + rng.choice(pool) + r["pe"][m.end():], "ro")
    false_alarms = sum(check(r["source"], r["pe"], "ro") for r in rows) / len(rows)
    return false_alarms, removed / max(pairs, 1), replaced / max(pairs, 1), pairs


def demetr(check: Check, limit: int | None) -> None:
    import pandas as pd

    from mtqa.eval.demetr import DEMETR_LANGS, LATIN_SCRIPT

    langs = {tag: lang for tag, lang in DEMETR_LANGS.items() if lang in LATIN_SCRIPT}
    base = pd.read_csv(EVAL / "demetr" / "demetr_base.tsv", sep="\t", quoting=3, keep_default_na=False)
    base = base[base.lang_tag.isin(langs)].head(limit)
    pert = pd.read_csv(EVAL / "demetr" / "demetr_perturbations.tsv.gz", sep="\t", quoting=3, keep_default_na=False)
    pert = pert[pert.pert_check.astype(str) == "True"].merge(base, on="id")
    print(f"\nDEMETR (test, to report only), Latin-script sources, {len(base)} sentences, rules as shipped:")
    print("| rows | n | flagged | per language |\n|---|---|---|---|")
    for name, frame, column in (("ne_removed", pert[pert.pert_name == "critical_id25_ne_removed"], "pert_sent"),
                                ("ne_replaced", pert[pert.pert_name == "critical_id9_ne_replaced"], "pert_sent"),
                                ("human references", base, "eng_sent"), ("unperturbed MT", base, "mt_sent")):
        hits = [(r.lang_tag, check(r.src_sent, getattr(r, column), langs[r.lang_tag])) for r in frame.itertuples()]
        per = {lang: sum(h for g, h in hits if g == lang) / max(sum(g == lang for g, _ in hits), 1) for lang in langs}
        print(f"| {name} | {len(hits)} | {sum(h for _, h in hits) / max(len(hits), 1):.3f} | "
              + ", ".join(f"{langs[k]} {v:.2f}" for k, v in per.items()) + " |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=7000)
    ap.add_argument("--smoke", action="store_true", help="a few rows (CI)")
    ap.add_argument("--demetr", action="store_true", help="also report on DEMETR (test: to report only)")
    args = ap.parse_args()
    rows = list(_rows(EVAL / "mlqe_pe" / "mlqepe_ro-en.train.tsv.gz"))
    random.Random(0).shuffle(rows)
    rows = rows[:30 if args.smoke else args.rows]
    print(f"MLQE-PE ro-en train, {len(rows)} post-edits")
    print("| setting | post-edits flagged | recall: name removed | recall: name replaced |\n|---|---|---|---|")
    settings = [(1.0, 2.5, 5.5)] if args.smoke else [(0.5, 2.5, 5.5), (1.0, 2.5, 5.5), (1.5, 2.5, 5.5), (1.0, 2.0, 5.5),
                                                    (1.0, 3.0, 5.5), (1.0, 2.5, 5.0), (1.0, 2.5, 6.0)]
    for margin, max_english, max_place in settings:
        fa, rm, rp, pairs = train(rows, sweep_check(margin, max_english, max_place))
        print(f"| margin {margin:g}, English Zipf below {max_english:g}, places below Zipf {max_place:g} | {fa:.4f} | {rm:.3f} | "
              f"{rp:.3f} ({pairs} pairs) |")
    fa, rm, rp, pairs = train(rows, shipped_check)
    print(f"| MT004 + MT014 as shipped | {fa:.4f} | {rm:.3f} | {rp:.3f} ({pairs} pairs) |")
    if args.demetr:
        demetr(shipped_check, 20 if args.smoke else None)


if __name__ == "__main__":
    main()
