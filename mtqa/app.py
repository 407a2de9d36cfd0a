"""`mtqa score`: wire ingest, the engine, the part store, assembly, outputs and the gate together.

Articles stream through in chunks: each chunk is scored (here or on a Dask cluster) and
written to the part store at once, so memory does not grow with the corpus; the final
tables and reports are assembled from the parts (see :mod:`mtqa.aggregate`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from itertools import chain
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from mtqa import signature
from mtqa._version import __version__
from mtqa.aggregate import DETAIL_LIMIT, TABLE_LIMIT, RunResult, assemble
from mtqa.baseline import Baseline
from mtqa.config import Settings
from mtqa.detect import select_rules
from mtqa.engine import DaskEngine, LocalEngine, ProcessEngine, chunks, make_engine, process_scorer
from mtqa.errors import UsageError
from mtqa.gate import Policy, decide
from mtqa.ingest import IngestOptions, Inventory, discover, mark_out_of_step, prepare, raw_articles, with_parallel
from mtqa.ingest.readers import Limits, read_parallel
from mtqa.pipeline import CHUNK
from mtqa.progress import Bar, Progress
from mtqa.report import html
from mtqa.report.tables import TableWriter, publish, staging_folder, unify, write_reports
from mtqa.rows import CORE_SCHEMAS, TABLES, TEXT, chunk_output
from mtqa.scoring.reference import ReferenceScorer
from mtqa.store import PARTS, OutputLock, PartStore
from mtqa.types import Article


@dataclass
class RunOptions:
    """How a run is carried out (what it computes is in :class:`Settings`)."""

    input_format: str | None = None
    write: bool = True
    output_format: str = "csv"
    progress: bool = False
    resume: bool = False
    engine: str = "local"
    scheduler: str | None = None
    workers: int | None = None
    #: worker processes of the local engine; None: all cores without the model, 1 with it
    jobs: int | None = None
    #: articles per chunk: the unit of work, of Dask tasks and of --resume
    chunk_size: int = CHUNK
    baseline: str | None = None
    write_baseline: str | None = None
    #: full tables kept in memory for stdout formats that list every row (e.g. ``findings`` for SARIF)
    keep_tables: tuple[str, ...] = ()
    on_error: Callable[[dict[str, Any]], None] | None = None
    #: articles to score instead of reading ``paths`` (the Python API)
    articles: Iterable[Article] | None = None
    #: line-aligned reference and source files (``-r``, ``-s``): line N belongs to segment N
    references_file: str | None = None
    sources_file: str | None = None
    #: the language of sources given without one (``--source-lang``); None: guessed
    source_lang: str | None = None


def score(paths: list[str], settings: Settings, options: RunOptions | None = None) -> RunResult:
    """Score a corpus; returns the summary (with signature and gate) and the report views.

    With an output folder, the run holds its lock (a second run there stops with exit 2)
    and writes its outputs to a staging folder, published only when the run completes.
    """
    opts = options or RunOptions()
    if opts.chunk_size < 1:
        raise UsageError(f"--chunk-size must be at least 1, not {opts.chunk_size}")
    out_dir = Path(settings.out) if opts.write else None
    if out_dir is not None and not settings.out.strip():
        raise UsageError("--out must name a folder")
    lock = OutputLock(out_dir) if out_dir is not None else None
    try:
        return _score(paths, settings, opts, out_dir)
    finally:
        if lock is not None:
            lock.release()


def _score(paths: list[str], settings: Settings, opts: RunOptions, out_dir: Path | None) -> RunResult:
    ingest = IngestOptions(settings.text_column, settings.id_column, opts.input_format, settings.exclude,
                           plain_text_lines=bool(opts.references_file or opts.sources_file), source_lang=_language(opts.source_lang),
                           skip=(out_dir,) if out_dir is not None else (),
                           limits=Limits(settings.max_article_chars, settings.max_file_bytes))
    inventory = discover(paths, ingest) if opts.articles is None else Inventory()
    rules = select_rules(settings.select, settings.ignore)
    if not rules:
        raise UsageError(f"--select {','.join(settings.select)} --ignore {','.join(settings.ignore)} leaves no rule to run")
    store = PartStore(out_dir / PARTS if out_dir else None)
    if opts.resume and any(f.path == Path("-") for f in inventory.files):
        raise UsageError("-: a run reading stdin cannot be resumed")
    done = store.start(_manifest(settings, rules, inventory, opts), opts.resume)
    baseline = Baseline.load(opts.baseline) if opts.baseline else None

    progress = Progress(opts.progress)
    engine = make_engine(opts.engine, settings, baseline, bool(opts.write_baseline), opts.scheduler, opts.workers, opts.jobs)
    try:
        _score_chunks(engine, store, inventory, ingest, opts, done, progress)
        if not store.indexes():
            store.write(chunk_output(0, []))  # an empty corpus still gets its (empty) tables
        staging = staging_folder(out_dir) if out_dir is not None else None
        schemas = _table_schemas(store)
        writer = TableWriter(staging, schemas, opts.output_format) if staging is not None else None
        policy = Policy.from_settings(settings)
        bar = progress.bar("mtqa: assembling", 2 * len(store.indexes()), " parts")
        try:  # the engine's worker processes render the parts' tables side by side
            view = assemble(store, writer, policy, table_limit=TABLE_LIMIT, detail_limit=DETAIL_LIMIT, keep_tables=opts.keep_tables,
                            on_part=lambda: bar.update(1), imap=engine.imap)
        finally:
            bar.close()
    finally:
        engine.close()
    summary = view.summary
    summary["skipped_files"] = inventory.skipped
    summary["reference"] = ReferenceScorer().corpus(view.reference)
    if settings.fluency:
        summary["fluency"] = {k: v for k, v in (view.fluency_model or {"enabled": True, "model": settings.model}).items() if k != "signature"}
    else:
        summary["fluency"] = {"enabled": False, "reason": "--no-fluency"}
    summary["baseline"] = {"file": opts.baseline, "suppressed": view.suppressed} if baseline else None
    summary["ignored_in_input"] = view.ignored
    summary["gate"] = decide({k: summary["articles"][k] for k in ("pass", "warn", "fail", "error")}, policy).as_dict()
    summary["engine"] = {"name": opts.engine, "chunk_articles": opts.chunk_size, "chunks": len(store.indexes()),
                         "resumed_chunks": len(done), "startup_seconds": engine.startup_seconds}
    if opts.write_baseline:
        from mtqa import baseline as baseline_file

        baseline_file.write(opts.write_baseline, view.baseline_entries or [])
    model_sig = (view.fluency_model or {}).get("signature") if settings.fluency else None
    summary["signature"] = signature.build(settings, rules, model_sig or ({"name": settings.model} if settings.fluency else None))
    result = RunResult(summary, view, out_dir, view.tables, schemas)
    if out_dir is not None and staging is not None:
        write_reports(staging, summary, html.render(result, TABLE_LIMIT, DETAIL_LIMIT))
        publish(staging, out_dir)
    store.remove()  # the run is complete: its outputs replace the parts
    return result


def _score_chunks(engine: LocalEngine | ProcessEngine | DaskEngine, store: PartStore, inventory: Inventory, ingest: IngestOptions,
                  opts: RunOptions, done: set[int], progress: Progress) -> None:
    """Score every chunk not already in the store, writing each as it finishes.

    With progress on: the model is prepared first (for the local engine, under its own
    status line), then the bar counts articles, moving by sentence batch inside a chunk."""
    source = raw_articles(inventory, ingest) if opts.articles is None else opts.articles
    if opts.references_file or opts.sources_file:
        source = with_parallel(source, _lines(opts.references_file, ingest), _lines(opts.sources_file, ingest),
                               (f"-r {opts.references_file}", f"-s {opts.sources_file}"), ingest.source_lang)
    source = mark_out_of_step(prepare(source, ingest.limits, ingest.source_lang))
    work = ((i, chunk) for i, chunk in chunks(source, opts.chunk_size) if i not in done)
    settings = engine.args[0] if isinstance(engine, LocalEngine) else None
    if settings is not None and settings.fluency:
        first = next(work, None)
        if first is not None:
            with progress.waiting(f"mtqa: preparing model {settings.model}"):
                process_scorer(settings)
            work = chain([first], work)
    bar = _progress_bar(progress, inventory, ingest, sum(store.meta(i)["articles"] for i in done))
    try:
        for out in engine.map(work, bar.within if progress.enabled else None):
            store.write(out)
            if opts.on_error is not None:
                arts = out.tables["articles"]
                for row in arts[arts.status == "error"].to_dict("records"):
                    opts.on_error(row)
            bar.update(len(out.tables["articles"]))
    finally:
        bar.close()


def _language(code: str | None) -> str | None:
    """``--source-lang``, checked: a language code (``de``, ``pt-BR``), lower-cased."""
    if code is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?", code.strip()):
        raise UsageError(f"--source-lang: {code!r} is not a language code (ISO 639-1, e.g. de)")
    return code.strip().lower().replace("_", "-")


def _lines(path: str | None, ingest: IngestOptions) -> list[str] | None:
    if path is None:
        return None
    try:
        return read_parallel(Path(path), ingest.limits)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None


def _table_schemas(store: PartStore) -> dict[str, pa.Schema]:
    """The output tables' schemas: the union of the parts', without the article text, with the corpus rank."""
    indexes = store.indexes()
    schemas = {name: unify([store.schema(i, name) for i in indexes], CORE_SCHEMAS[name]) for name in TABLES}
    articles, sentences = schemas["articles"], schemas["sentences"]
    schemas["articles"] = articles.remove(articles.get_field_index(TEXT))
    schemas["sentences"] = sentences.insert(sentences.get_field_index("rank_in_article") + 1, pa.field("rank_in_corpus", pa.int64()))
    return schemas


def _manifest(settings: Settings, rules: list[Any], inventory: Inventory, opts: RunOptions) -> dict[str, Any]:
    """What must be the same for a run to be resumed: settings, rules, inputs, chunking."""
    files = []
    for f in inventory.files:
        stat = f.path.stat() if f.path != Path("-") else None
        files.append([f.path.as_posix(), stat.st_size if stat else None, stat.st_mtime_ns if stat else None])
    # the policy is applied at assembly, so a resumed run may change it
    config = {k: v for k, v in asdict(settings).items()
              if k not in ("out", "source", "fail_on", "min_quality", "max_failing_articles")}
    baseline = hashlib.sha256(Path(opts.baseline).read_bytes()).hexdigest() if opts.baseline and Path(opts.baseline).is_file() else None
    return {
        "mtqa": __version__, "data": signature.data_hash(), "settings": _jsonable(config),
        "rules": [r.code for r in rules], "inputs": files, "input_format": opts.input_format,
        "chunk_articles": opts.chunk_size, "baseline": baseline, "write_baseline": bool(opts.write_baseline),
        "parallel": [_file_stamp(p) for p in (opts.references_file, opts.sources_file)],
    }


def _file_stamp(path: str | None) -> list[Any] | None:
    if path is None:
        return None
    stat = Path(path).stat() if Path(path).is_file() else None
    return [path, stat.st_size if stat else None, stat.st_mtime_ns if stat else None]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return getattr(value, "value", value)


def _progress_bar(progress: Progress, inventory: Inventory, ingest: IngestOptions, initial: int) -> Bar:
    """The articles bar; its total comes from a quick count of the articles (no scoring)."""
    if not progress.enabled:
        return Bar()
    total = None
    if all(f.path != Path("-") for f in inventory.files):
        total = sum(1 for _ in raw_articles(inventory, ingest))  # (as read: one row an article, no language guess)
    bar = progress.bar("mtqa: scoring", total, " articles")
    bar.update(initial)
    return bar
