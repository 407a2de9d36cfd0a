"""Precision of each rule on the shared TRAIN data, the evidence for its default severity.

    python bench/rule_precision.py [--mlqepe-rows 7000] [--with-source]

Rules only (no language model). A finding counts as correct when it overlaps an error
the annotators marked:

* MQM newstest2020 zh-en (all 20,000 system-segments, MT systems only): a target error span;
* MLQE-PE train (ro, ne, si, ru -> en; ``--mlqepe-rows`` of each): a token tagged BAD by
  the post-edit alignment.

Policy (docs/EVALUATION.md): a rule's major and critical findings must have a pooled
precision of at least 0.6 over at least 10 of them; with fewer there is no evidence
either way. ``--with-source`` gives mtqa each segment's source, so the source rules
(MT001-MT013) are measured too; the cross-lingual check MT006 stays off (it needs the
embedding model; bench/calibrate_crosslingual.py measures it). (Findings carry their own severity where a lexicon entry sets it, so the
verdict looks at the findings' severities, not only the rule's default.) Test parts (newstest2021, TED, MLQE-PE dev-test) are
not used here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EVAL  # noqa: E402
from mtqa.eval.common import is_human, score_texts  # noqa: E402
from mtqa.eval.mlqepe import flag_tokens  # noqa: E402
from mtqa.eval.mqm import read_mqm  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.detect import all_rules  # noqa: E402
from mtqa.types import Finding  # noqa: E402


def _major(f: Finding) -> bool:
    return f.severity.value != "minor"


def mqm_counts(settings: Settings, segments: int | None = None, with_source: bool = False) -> tuple[Counter[str], Counter[str]]:
    rows = [r for r in read_mqm(str(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz"), segments, 0)
            if not is_human(r.system)]
    sources = dict(sources=[r.source for r in rows], source_langs=["zh"] * len(rows)) if with_source else {}
    flags, hits = Counter(), Counter()
    for row, scored in zip(rows, score_texts([r.target for r in rows], settings, **sources)):
        for f in scored["findings"]:
            hit = any(a < f.end and f.start < b for a, b, _ in row.spans)
            for key in (f.code, f"{f.code}+") if _major(f) else (f.code,):
                flags[key] += 1
                hits[key] += hit
    return flags, hits


def mlqepe_counts(settings: Settings, limit: int, with_source: bool = False) -> tuple[Counter[str], Counter[str]]:
    flags, hits = Counter(), Counter()
    for path in sorted((EVAL / "mlqe_pe").glob("mlqepe_*.train.tsv.gz")):
        df = pd.read_csv(path, sep="\t", quoting=3, keep_default_na=False).head(limit)
        lang = path.name.split("_")[1].split("-")[0]  # mlqepe_ro-en.train.tsv.gz
        sources = dict(sources=df.source.tolist(), source_langs=[lang] * len(df)) if with_source else {}
        scored_rows = score_texts(df.mt.tolist(), settings, **sources)
        for mt, toks, tags, scored in zip(df.mt, df.mt_tok, df.mt_word_tags, scored_rows):
            tokens, gold = toks.split(), tags.split()
            for f in scored["findings"]:
                covered = flag_tokens(mt, tokens, [f])
                hit = any(c and g == "BAD" for c, g in zip(covered, gold))
                for key in (f.code, f"{f.code}+") if _major(f) else (f.code,):
                    flags[key] += 1
                    hits[key] += hit
    return flags, hits


def human_major_counts(settings: Settings, segments: int | None, limit: int, with_source: bool) -> tuple[Counter[str], int]:
    """Per rule, the human translations (MQM 2020 Human-A/B, MLQE-PE train post-edits) with a
    major or critical finding of it: the false alarms a gate would raise; and their number."""
    texts, sources, langs = [], [], []
    for r in read_mqm(str(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz"), segments, 0):
        if is_human(r.system):
            texts.append(r.target), sources.append(r.source), langs.append("zh")
    for path in sorted((EVAL / "mlqe_pe").glob("mlqepe_*.train.tsv.gz")):
        df = pd.read_csv(path, sep="\t", quoting=3, keep_default_na=False).head(limit)
        texts += df.pe.tolist()
        sources += df.source.tolist()
        langs += [path.name.split("_")[1].split("-")[0]] * len(df)
    given = dict(sources=sources, source_langs=langs) if with_source else {}
    flagged: Counter[str] = Counter()
    for scored in score_texts(texts, settings, **given):
        flagged.update({f.code for f in scored["findings"] if _major(f)})
    return flagged, len(texts)


def cell(flags: int, hits: int) -> str:
    return f"{hits / flags:.2f}" if flags else "-"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mlqepe-rows", type=int, default=7000)
    ap.add_argument("--mqm-segments", type=int, help="a seeded sample of MQM segments (default: all)")
    ap.add_argument("--with-source", action="store_true", help="give each segment its source: the source rules run too")
    args = ap.parse_args()
    settings = Settings(fluency=False, crosslingual=False)
    mqm_f, mqm_h = mqm_counts(settings, args.mqm_segments, args.with_source)
    ml_f, ml_h = mlqepe_counts(settings, args.mlqepe_rows, args.with_source)
    human, n_human = human_major_counts(settings, args.mqm_segments, args.mlqepe_rows, args.with_source)
    table = {}
    print(f"| rule | severity | MQM 2020 flags | precision | MLQE-PE train flags | precision | pooled precision | major+ flags | "
          f"their precision | human translations with a major+ flag (of {n_human}) | verdict |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in all_rules():
        n, h = mqm_f[r.code] + ml_f[r.code], mqm_h[r.code] + ml_h[r.code]
        if not n:
            continue
        p = h / n
        nm, hm = mqm_f[r.code + "+"] + ml_f[r.code + "+"], mqm_h[r.code + "+"] + ml_h[r.code + "+"]
        verdict = "keep" if nm < 10 or hm / nm >= 0.6 else "demote to minor"
        table[r.code] = {"flags": n, "precision": round(p, 3), "major_flags": nm,
                         "major_precision": round(hm / nm, 3) if nm else None,
                         "human_major_rate": round(human[r.code] / n_human, 5), "verdict": verdict}
        print(f"| {r.code} | {r.severity.value} | {mqm_f[r.code]} | {cell(mqm_f[r.code], mqm_h[r.code])} | {ml_f[r.code]} | "
              f"{cell(ml_f[r.code], ml_h[r.code])} | {p:.2f} | {nm} | {cell(nm, hm)} | "
              f"{human[r.code]} ({100 * human[r.code] / n_human:.2f}%) | {verdict} |")
    print(json.dumps(table))


if __name__ == "__main__":
    main()
