"""`mtqa score`: wire ingest, pipeline, aggregation, outputs and the gate together."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtqa import signature
from mtqa.aggregate import Collector
from mtqa.baseline import Baseline
from mtqa.config import Settings
from mtqa.gate import decide
from mtqa.ingest import IngestOptions, discover, read_articles
from mtqa.pipeline import Pipeline
from mtqa.report.tables import write_outputs


@dataclass
class RunResult:
    summary: dict[str, Any]
    frames: dict[str, Any]
    out_dir: Path | None


def score(paths: list[str], settings: Settings, *, input_format: str | None = None, write: bool = True,
          progress: bool = False, on_error: Any = None, baseline: str | None = None,
          write_baseline: str | None = None) -> RunResult:
    """Score a corpus; returns the summary (with signature and gate) and the tables."""
    options = IngestOptions(settings.text_column, settings.id_column, input_format, settings.exclude)
    inventory = discover(paths, options)
    fluency = None
    if settings.fluency:
        from mtqa.score.fluency import load_scorer

        fluency = load_scorer(settings)
    pipeline = Pipeline(settings, fluency, Baseline.load(baseline) if baseline else None)
    if write_baseline:
        pipeline.finding_keys = []
    collector = Collector()
    articles = read_articles(inventory, options)
    bar = _progress_bar(progress)
    for result in pipeline.run(articles):
        collector.add(result)
        if result.status == "error" and on_error is not None:
            on_error(result)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    frames = collector.frames()
    summary = collector.summary()
    summary["skipped_files"] = inventory.skipped
    summary["reference"] = pipeline.references.corpus()
    summary["fluency"] = fluency.corpus_summary(frames["sentences"]) if fluency else {"enabled": False, "reason": "--no-fluency"}
    summary["baseline"] = {"file": baseline, "suppressed": pipeline.baseline.suppressed} if pipeline.baseline else None
    summary["gate"] = decide(dict(collector.status), settings).as_dict()
    if write_baseline and pipeline.finding_keys is not None:
        from mtqa import baseline as baseline_file

        baseline_file.write(write_baseline, pipeline.finding_keys)
    summary["signature"] = signature.build(settings, pipeline.rules, fluency.signature() if fluency else None)
    out_dir = Path(settings.out) if write else None
    result = RunResult(summary, frames, out_dir)
    if out_dir is not None:
        from mtqa.report import html

        write_outputs(out_dir, frames, summary, html.render(result, collector.worst_texts()))
    return result


def _progress_bar(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc="mtqa", unit=" articles", file=sys.stderr, dynamic_ncols=True)
