"""The golden findings: every finding mtqa's rules give on a fixed corpus, kept in
``tests/fixtures/golden_findings.tsv``, so that a change meant to be only faster (issue 16)
can be shown to change no finding.

    python -m tests.golden          # rewrite the file after a change that is meant to change findings

The corpus: the sample articles of ``data/`` (with their sources and references) and the
MT and perturbed sentences of the eval fixtures (MQM, MLQE-PE with its source, DEMETR),
all rules but MT006 (the embeddings), no language model.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path

from mtqa.config import Settings
from mtqa.ingest import IngestOptions, discover, read_articles
from mtqa.pipeline import Pipeline
from mtqa.types import Article

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = FIXTURES / "golden_findings.tsv"
COLUMNS = ("article", "code", "severity", "start", "end", "text")


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def corpus() -> list[Article]:
    articles = list(read_articles(discover([str(ROOT / "data")], IngestOptions()), IngestOptions()))
    for a in articles:  # ids without this checkout's location (a file's id is its path)
        a.id = a.id.replace(str(ROOT) + "/", "")
    for i, r in enumerate(_tsv(FIXTURES / "eval" / "mqm_zhen_newstest2021.extract.tsv")):
        articles.append(Article(id=f"mqm:{i}", text=r["target"], path="mqm", source=r["source"], source_lang="zh"))
    for i, r in enumerate(_tsv(FIXTURES / "eval" / "mlqepe_ro-en.dev-test.extract.tsv")):
        articles.append(Article(id=f"mlqepe:{i}", text=r["mt"], path="mlqepe", source=r["source"], source_lang="ro"))
    for i, r in enumerate(_tsv(FIXTURES / "eval" / "demetr_perturbations.tsv.gz")):
        articles.append(Article(id=f"demetr:{i}", text=r["pert_sent"] or " ", path="demetr"))
    return articles


def findings() -> list[tuple[str, ...]]:
    settings = Settings(fluency=False, crosslingual=False)
    rows = []
    for r in Pipeline(settings).run_chunk(corpus()):
        rows += [(r.article.id, f.code, f.severity.value, str(f.start), str(f.end), f.text.replace("\t", " ").replace("\n", " "))
                 for f in r.findings]
    return sorted(rows)


def read() -> list[tuple[str, ...]]:
    with GOLDEN.open(encoding="utf-8", newline="") as fh:
        return [tuple(row) for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")][1:]


def write() -> None:
    with GOLDEN.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        out.writerow(COLUMNS)
        out.writerows(findings())


if __name__ == "__main__":
    write()
    print(f"wrote {GOLDEN}")
