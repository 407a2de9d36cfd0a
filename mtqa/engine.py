"""Engines: where chunks of articles are scored.

``local`` scores them in this process (``jobs=1``) or in worker processes on this machine
(``jobs>1``); ``dask`` sends each chunk to a ``dask.distributed`` cluster as a task. All
run the same :func:`score_chunk`, on the same chunks, so their results are identical.
The language model is loaded once per process (the local one, each worker process or
each Dask worker) and reused by every chunk that process scores.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import Any

from mtqa.baseline import Baseline
from mtqa.config import Settings
from mtqa.errors import UsageError
from mtqa.pipeline import CHUNK, Pipeline
from mtqa.rows import ChunkOutput, chunk_output
from mtqa.types import Article

ENGINES = ("local", "dask")
#: the scorer this process loaded: (model settings, scorer); one model at a time
_SCORER: tuple[tuple[Any, ...], Any] | None = None
#: how many times this process loaded a model (the Dask test checks once per worker)
MODEL_LOADS = 0


def chunks(articles: Iterable[Article], size: int = CHUNK) -> Iterator[tuple[int, list[Article]]]:
    """Numbered chunks of ``size`` articles, in input order (the unit of work and of resume)."""
    it = iter(articles)
    index = 0
    while chunk := list(islice(it, size)):
        yield index, chunk
        index += 1


def process_scorer(settings: Settings) -> Any:
    """This process's fluency scorer for the settings' model, loaded on first use."""
    global _SCORER, MODEL_LOADS
    key = (settings.model, settings.device, settings.dtype, settings.batch_size, settings.batch_tokens, settings.compile_lm)
    if _SCORER is None or _SCORER[0] != key:
        from mtqa.scoring.fluency import load_scorer

        _SCORER = None  # free the old model before loading another
        _SCORER = (key, load_scorer(settings))
        MODEL_LOADS += 1
    return _SCORER[1]


def score_chunk(settings: Settings, baseline: Baseline | None, index: int, articles: list[Article],
                keep_keys: bool = False, on_progress: Callable[[float], None] | None = None) -> ChunkOutput:
    """Score one chunk: the task every engine runs (``on_progress``: see ``Pipeline.run_chunk``)."""
    fluency = process_scorer(settings) if settings.fluency else None
    hits, misses = (fluency.cache.hits, fluency.cache.misses) if fluency is not None and fluency.cache else (0, 0)
    results = Pipeline(settings, fluency, baseline).run_chunk(articles, on_progress)
    model = None
    if fluency is not None:
        model = {"enabled": True, "model": fluency.lm.info["name"], "calibrated": fluency.calibration is not None,
                 "signature": fluency.signature(), "load_seconds": fluency.lm.info.get("load_seconds"),
                 "cache_hits": fluency.cache.hits - hits if fluency.cache else 0,
                 "cache_misses": fluency.cache.misses - misses if fluency.cache else 0,
                 "process": f"{socket.gethostname()}:{os.getpid()}", "loads_in_process": MODEL_LOADS}
    return chunk_output(index, results, keep_keys, model)


def _in_articles(within: Callable[[float], None] | None, articles: int) -> Callable[[float], None] | None:
    """The pipeline's progress (a share of the chunk's sentences) as articles of the chunk done."""
    if within is None:
        return None
    return lambda share: within(share * articles)


class _MapsHere:
    @staticmethod
    def imap(fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``fn`` over ``items``, in order, in this process (the assembly's per-part work)."""
        return map(fn, items)


class LocalEngine(_MapsHere):
    """Scores chunks one after another in this process; the only engine that reports
    progress inside a chunk (``within``: articles of the chunk under way done so far)."""

    startup_seconds = 0.0

    def __init__(self, settings: Settings, baseline: Baseline | None, keep_keys: bool) -> None:
        self.args = (settings, baseline)
        self.keep_keys = keep_keys

    def map(self, work: Iterable[tuple[int, list[Article]]], within: Callable[[float], None] | None = None) -> Iterator[ChunkOutput]:
        for index, articles in work:
            yield score_chunk(*self.args, index, articles, self.keep_keys, _in_articles(within, len(articles)))

    def close(self) -> None:
        """Nothing to release."""


def default_jobs(fluency: bool) -> int:
    """All cores for the rules; one process for the language model, which already uses
    every core through torch's threads (two processes of one thread were slower:
    bench/RESULTS.md, Dask section)."""
    if fluency:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _worker_init(threads: int) -> None:
    """A worker leaves Ctrl-C to the parent and shares the cores with its siblings."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_NUM_THREADS"] = str(threads)  # read by torch when (and if) it is imported


class ProcessEngine:
    """Scores chunks in ``jobs`` worker processes on this machine.

    A corpus of one chunk is scored in this process (no start-up cost); otherwise progress
    arrives per chunk (``within`` is not called). At most two
    chunks per worker are in flight, so input is read only as fast as it is scored;
    results arrive in completion order and the part store puts them back in input order.
    """

    def __init__(self, settings: Settings, baseline: Baseline | None, keep_keys: bool, jobs: int) -> None:
        self.args = (settings, baseline)
        self.keep_keys = keep_keys
        self.jobs = jobs
        self.pool: Any = None
        self.startup_seconds = 0.0

    def map(self, work: Iterable[tuple[int, list[Article]]], within: Callable[[float], None] | None = None) -> Iterator[ChunkOutput]:
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from multiprocessing import get_context

        it = iter(work)
        head = list(islice(it, 2))
        if len(head) < 2:
            for index, articles in head:  # one chunk: in this process, with progress inside it
                yield score_chunk(*self.args, index, articles, self.keep_keys, _in_articles(within, len(articles)))
            return
        started = time.perf_counter()
        threads = max(1, (os.cpu_count() or 1) // self.jobs)
        # spawn: a fresh interpreter per worker, safe whatever threads this process started
        self.pool = ProcessPoolExecutor(self.jobs, mp_context=get_context("spawn"), initializer=_worker_init, initargs=(threads,))
        self.startup_seconds = round(time.perf_counter() - started, 2)
        queue = chain(head, it)
        pending = {self._submit(*item) for item in islice(queue, 2 * self.jobs)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: f.index):  # type: ignore[attr-defined]
                yield future.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(self._submit(*nxt))

    def imap(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``fn`` over ``items`` in the worker processes that scored the chunks (in this process when
        none were started), results in input order, at most two items per worker in flight."""
        if self.pool is None:
            yield from map(fn, items)
            return
        it = iter(items)
        window = deque(self.pool.submit(fn, item) for item in islice(it, 2 * self.jobs))
        while window:
            result = window.popleft().result()
            window.extend(self.pool.submit(fn, item) for item in islice(it, 1))
            yield result

    def _submit(self, index: int, articles: list[Article]) -> Any:
        future = self.pool.submit(score_chunk, *self.args, index, articles, self.keep_keys)
        future.index = index
        return future

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class DaskEngine(_MapsHere):
    """Scores chunks as tasks on a ``dask.distributed`` cluster (a LocalCluster when no address is given).

    At most two tasks per worker thread are in flight, so the client reads the corpus only as
    fast as the cluster scores it. Results arrive in completion order; the part store puts
    them back in input order. Progress arrives per chunk (``within`` is not called).
    """

    def __init__(self, settings: Settings, baseline: Baseline | None, keep_keys: bool,
                 scheduler: str | None = None, workers: int | None = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--engine dask needs dask.distributed: pip install 'mtqa[dask]'") from None
        started = time.perf_counter()
        if scheduler:
            self.cluster = None
            self.client = Client(scheduler, timeout="30s")
        else:
            # silence_logs: a failing task (a model that cannot load) is reported once, as mtqa's one-line error
            self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL)
            self.client = Client(self.cluster)
        self.startup_seconds = round(time.perf_counter() - started, 2)
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads
        self.settings = self.client.scatter(settings, broadcast=True)
        self.baseline = self.client.scatter(baseline, broadcast=True) if baseline is not None else None
        self.keep_keys = keep_keys

    def map(self, work: Iterable[tuple[int, list[Article]]], within: Callable[[float], None] | None = None) -> Iterator[ChunkOutput]:
        from dask.distributed import as_completed

        it = iter(work)
        pending = as_completed()
        for index, articles in islice(it, self.window):
            pending.add(self._submit(index, articles))
        for future in pending:
            out = future.result()
            future.release()
            nxt = next(it, None)
            if nxt is not None:
                pending.add(self._submit(*nxt))
            yield out

    def _submit(self, index: int, articles: list[Article]) -> Any:
        return self.client.submit(score_chunk, self.settings, self.baseline, index, articles, self.keep_keys,
                                  key=f"mtqa-chunk-{index}-{id(self)}", pure=False)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(name: str, settings: Settings, baseline: Baseline | None, keep_keys: bool,
                scheduler: str | None = None, workers: int | None = None,
                jobs: int | None = None) -> LocalEngine | ProcessEngine | DaskEngine:
    if name == "local":
        if scheduler or workers:
            raise UsageError("--scheduler and --workers need --engine dask")
        jobs = default_jobs(settings.fluency) if jobs is None else jobs
        if jobs < 1:
            raise UsageError(f"--jobs must be at least 1, not {jobs}")
        return LocalEngine(settings, baseline, keep_keys) if jobs == 1 else ProcessEngine(settings, baseline, keep_keys, jobs)
    if jobs is not None:
        raise UsageError("--jobs is for --engine local (a Dask cluster has its own --workers)")
    if name == "dask":
        return DaskEngine(settings, baseline, keep_keys, scheduler, workers)
    raise UsageError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
