"""Chunked streaming, --resume, Parquet output and the Dask engine give the results of one plain run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mtqa import engine
from mtqa.app import RunOptions, score
from mtqa.config import Settings
from mtqa.errors import UsageError
from tests.conftest import TINY_CORPUS

TABLES = ("articles", "sentences", "findings")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Nine articles of mixed quality, one unreadable line, an input column of mixed types."""
    path = tmp_path / "c.jsonl"
    texts = [
        "The minister said on Tuesday that talks would continue.\n\nThe talks were held in Geneva, he told reporters.",
        "Russia had been ingested in the elections, officials said. Source link",
        "The the the the government said so.\n\nmillion.",
        "Die Regierung hat am Dienstag neue Regeln beschlossen, die ab Januar gelten sollen.",
        "Prices rose by 3 % in May,while wages fell .",
        "The president met his counterpart in Paris on Monday. They discussed trade and security.",
        "[19659002] The company reported higher profits.",
        "He was deceived by the result , the coach said.",
        "The talks will resume next week in Paris.",
    ]
    lines = [json.dumps({"id": f"a{i}", "text": t, "year": 2020 if i % 2 else "n/a"}) for i, t in enumerate(texts)]
    lines.insert(4, "{broken")
    path.write_text("\n".join(lines) + "\n")
    return path


def run(corpus: Path, out: Path, **options: object) -> dict:
    """One run in this process unless ``jobs`` says otherwise (the tests patch score_chunk here)."""
    options.setdefault("jobs", 1)
    settings = Settings(fluency=False, out=str(out))
    for key in ("model", "fluency"):
        if key in options:
            setattr(settings, key, options.pop(key))
    return score([str(corpus)], settings, RunOptions(**options)).summary  # type: ignore[arg-type]


def tables(out: Path, ext: str = "csv") -> dict[str, pd.DataFrame]:
    read = pd.read_csv if ext == "csv" else pd.read_parquet
    return {name: read(out / f"{name}.{ext}") for name in TABLES}


def same_results(a: dict, b: dict) -> None:
    for key in ("articles", "sentences", "words", "findings", "quality", "errors", "gate", "signature", "reference"):
        assert a[key] == b[key], key


def test_chunk_size_does_not_change_results(corpus: Path, tmp_path: Path) -> None:
    whole = run(corpus, tmp_path / "whole")
    for size in (1, 3):
        summary = run(corpus, tmp_path / f"c{size}", chunk_size=size)
        same_results(summary, whole)
        assert summary["engine"]["chunks"] == -(-10 // size)
        for name, frame in tables(tmp_path / f"c{size}").items():
            pd.testing.assert_frame_equal(frame, tables(tmp_path / "whole")[name], obj=name)
    assert not (tmp_path / "whole" / ".mtqa-parts").exists(), "parts are removed when the run is complete"


def test_resume_scores_only_unfinished_chunks_and_equals_a_full_run(corpus: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    full = run(corpus, tmp_path / "full", chunk_size=3)
    real = engine.score_chunk
    scored: list[int] = []

    def interrupted(settings, baseline, index, articles, keep_keys=False, on_progress=None):  # type: ignore[no-untyped-def]
        if index == 2 and not scored.count(-1):
            scored.append(-1)
            raise KeyboardInterrupt
        scored.append(index)
        return real(settings, baseline, index, articles, keep_keys)

    monkeypatch.setattr(engine, "score_chunk", interrupted)
    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        run(corpus, out, chunk_size=3)
    assert scored == [0, 1, -1] and (out / ".mtqa-parts").is_dir()
    scored.clear()
    scored.append(-1)  # no more interruptions
    summary = run(corpus, out, chunk_size=3, resume=True)
    assert scored == [-1, 2, 3], "finished chunks were scored again"
    assert summary["engine"]["resumed_chunks"] == 2
    same_results(summary, full)
    for name, frame in tables(out).items():
        pd.testing.assert_frame_equal(frame, tables(tmp_path / "full")[name], obj=name)


def test_resume_refuses_a_different_run(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def stop(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "score_chunk", stop)
    with pytest.raises(KeyboardInterrupt):
        run(corpus, tmp_path / "o", chunk_size=3)
    with pytest.raises(UsageError, match="chunk_articles"):
        run(corpus, tmp_path / "o", chunk_size=4, resume=True)
    with pytest.raises(UsageError, match="nothing to resume"):
        run(corpus, tmp_path / "empty", resume=True)


def test_parquet_output_has_the_csv_rows_with_types(corpus: Path, tmp_path: Path) -> None:
    run(corpus, tmp_path / "o", chunk_size=2, output_format="both")
    csv, parquet = tables(tmp_path / "o"), tables(tmp_path / "o", "parquet")
    for name in TABLES:
        assert list(parquet[name].columns) == list(csv[name].columns)
        assert len(parquet[name]) == len(csv[name])
    arts = parquet["articles"]
    assert arts.words.dtype.kind == "i" and arts.quality.dtype.kind == "f"
    assert arts.year.tolist()[:2] == ["n/a", "2020"], "a column of mixed types becomes text"
    run(corpus, tmp_path / "o", output_format="parquet")
    assert not (tmp_path / "o" / "articles.csv").exists(), "a previous run's CSV would look current"


def test_dask_local_cluster_equals_local_engine(tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setenv("MTQA_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "tiny.jsonl"
    rows = [{"id": f"t{i}", "text": f"{TINY_CORPUS[i % 4]} {TINY_CORPUS[(i + 1) % 4]}"} for i in range(12)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    common = {"chunk_size": 2, "model": str(tiny_model_dir), "fluency": True}
    local = run(corpus, tmp_path / "local", **common)
    dask = run(corpus, tmp_path / "dask", engine="dask", workers=2, jobs=None, **common)
    same_results(dask, local)
    for name, frame in tables(tmp_path / "dask").items():
        pd.testing.assert_frame_equal(frame, tables(tmp_path / "local")[name], obj=name)
    assert tables(tmp_path / "dask")["sentences"].slor.notna().all()
    assert dask["engine"]["chunks"] == 6
    assert dask["fluency"]["processes"] == 2, "both workers scored chunks"
    assert dask["fluency"]["model_loads"] == 2, "the model is loaded once per worker, not per task"


def test_worker_processes_give_the_results_of_one_process(corpus: Path, tmp_path: Path) -> None:
    one = run(corpus, tmp_path / "one", chunk_size=2)
    two = run(corpus, tmp_path / "two", chunk_size=2, jobs=2)
    same_results(two, one)
    for name, frame in tables(tmp_path / "two").items():
        pd.testing.assert_frame_equal(frame, tables(tmp_path / "one")[name], obj=name)
        # the workers render the parts' CSV too: the files are the same bytes, one header row
        assert (tmp_path / "two" / f"{name}.csv").read_bytes() == (tmp_path / "one" / f"{name}.csv").read_bytes()
    assert two["engine"]["chunks"] == 5


def test_jobs_default_and_validation() -> None:
    assert engine.default_jobs(fluency=True) == 1
    assert engine.default_jobs(fluency=False) >= 1
    with pytest.raises(UsageError, match="--jobs"):
        engine.make_engine("local", Settings(fluency=False), None, False, jobs=0)
    with pytest.raises(UsageError, match="--jobs"):
        engine.make_engine("dask", Settings(fluency=False), None, False, jobs=2)


def test_progress_bar_knows_the_total_and_starts_after_resumed_chunks(corpus: Path) -> None:
    import io

    from mtqa.app import _progress_bar
    from mtqa.ingest import IngestOptions, discover
    from mtqa.progress import Progress

    ingest = IngestOptions()
    inventory = discover([str(corpus)], ingest)
    stream = io.StringIO()
    _progress_bar(Progress(True, stream), inventory, ingest, initial=3).close()
    assert "3/10" in stream.getvalue()  # every line is an article, the unreadable one too
    stream = io.StringIO()
    _progress_bar(Progress(False, stream), inventory, ingest, 0).close()
    assert stream.getvalue() == ""


def test_dask_model_error_is_one_line_and_exit_3(corpus: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    from mtqa.cli import main

    code = main(["score", str(corpus), "--engine", "dask", "--workers", "1", "--model", str(tmp_path / "missing.gguf"),
                 "--out", str(tmp_path / "o"), "--no-progress"])
    err = capfd.readouterr().err  # file-descriptor level: the worker processes' logs too
    assert code == 3 and err.strip().count("\n") == 0 and "missing.gguf" in err, err


def test_interrupted_run_exits_130_and_says_how_to_resume(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from mtqa.cli import main

    def stop(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "score_chunk", stop)
    assert main(["score", str(corpus), "--no-fluency", "--jobs", "1", "--out", str(tmp_path / "o")]) == 130
    assert "--resume" in capsys.readouterr().err
