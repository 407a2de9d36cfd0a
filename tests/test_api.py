"""The Python API as a notebook or pipeline user calls it, checked against the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import mtqa
from mtqa.cli import main
from mtqa.api import pandas_type
from mtqa.errors import UsageError
from tests.conftest import SEED

TEXTS = [
    "The president met his counterpart in Paris on Monday. They discussed trade and security.",
    "Russia had been ingested in the elections, officials said.\n\nSource link",
    "The the minister said so. [19659002]",
    "",
]


def test_check_returns_findings_of_one_text() -> None:
    found = mtqa.check("Russia had been ingested in the elections, officials said.")
    assert [f.code for f in found] == ["MT301"] and found[0].text == "ingested"
    assert found[0].severity is mtqa.Severity.MAJOR
    assert mtqa.check("The talks were useful.") == []
    assert mtqa.check("Russia had been ingested in the elections.", ignore=["MT3"]) == []
    with pytest.raises(UsageError):
        mtqa.check("x", select=["XX9"])


def test_check_with_a_source_runs_the_source_rules() -> None:
    found = mtqa.check("The company sold 25 cars.", source="Das Unternehmen verkaufte 35 Autos.", source_lang="de")
    assert [(f.code, f.text) for f in found] == [("MT001", "25")]
    assert mtqa.check("The company sold 35 cars.", source="Das Unternehmen verkaufte 35 Autos.", source_lang="de") == []
    assert mtqa.check("The company sold 25 cars.") == []  # no source: no source rule


def test_scorer_tables_equal_the_command_line_files(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": t, "topic": i}) + "\n" for i, t in enumerate(TEXTS)))
    assert main(["score", str(corpus), "--no-fluency", "--jobs", "1", "-q", "--output-format", "parquet", "--out", str(tmp_path / "o")]) == 3
    frame = pd.DataFrame({"id": [f"a{i}" for i in range(len(TEXTS))], "text": TEXTS, "topic": range(len(TEXTS))})
    result = mtqa.Scorer(model=None).score(frame)
    for name in ("articles", "sentences", "findings"):
        from_file = pq.read_table(tmp_path / "o" / f"{name}.parquet")
        from_api = getattr(result, name)
        assert list(from_api.columns) == from_file.schema.names, name
        expected = from_file.to_pandas(types_mapper=pandas_type)
        if name == "articles":  # the path names the input: a file there, <api> here
            expected, from_api = expected.drop(columns=["path", "line"]), from_api.drop(columns=["path", "line"])
        pd.testing.assert_frame_equal(from_api, expected, obj=name)
    assert result.summary["articles"]["error"] == 1 and result.gate().exit_code == 3


def test_score_accepts_text_lists_and_dicts_and_keeps_input_order() -> None:
    by_list = mtqa.score(TEXTS[:3], model=None)
    by_dicts = mtqa.score([{"text": t, "id": str(i)} for i, t in enumerate(TEXTS[:3])], model=None)
    assert by_list.articles.article_id.tolist() == ["0", "1", "2"]
    pd.testing.assert_frame_equal(by_list.findings, by_dicts.findings)
    assert set(by_list.findings.code) >= {"MT301", "MT101", "MT701"}
    assert mtqa.score("One text only.", model=None).articles.shape[0] == 1


def test_gate_under_another_policy_without_rescoring() -> None:
    result = mtqa.score(TEXTS[:3], model=None)
    assert result.gate().exit_code == 1
    lenient = mtqa.Policy(fail_on="critical", max_failing_articles="50%")
    assert result.gate(lenient).passed
    regated = result.with_policy(mtqa.Policy(fail_on="never"))
    assert set(regated.articles.status) <= {"pass", "warn"} and regated.summary["gate"]["exit_code"] == 0
    with pytest.raises(Exception, match="fail-on"):
        mtqa.Policy(fail_on="sometimes")


def test_empty_findings_table_keeps_its_types() -> None:
    clean = mtqa.score([TEXTS[0]], model=None)
    dirty = mtqa.score([TEXTS[2]], model=None)
    assert clean.findings.empty
    assert dict(clean.findings.dtypes) == dict(dirty.findings.dtypes)


def test_per_partition_in_dask(tmp_path: Path) -> None:
    dd = pytest.importorskip("dask.dataframe")
    frame = pd.DataFrame({"id": [f"a{i}" for i in range(6)], "text": [TEXTS[i % 3] for i in range(6)]})
    ddf = dd.from_pandas(frame, npartitions=3)

    def worst_status(part: pd.DataFrame) -> pd.DataFrame:
        return mtqa.Scorer(model=None).score(part).articles[["article_id", "status", "quality"]]

    got = ddf.map_partitions(worst_status, meta={"article_id": "object", "status": "object", "quality": "float64"}).compute(
        scheduler="synchronous")
    whole = mtqa.score(frame, model=None).articles[["article_id", "status", "quality"]]
    pd.testing.assert_frame_equal(got.reset_index(drop=True), whole.reset_index(drop=True), check_dtype=False)


def test_gate_command_regates_a_finished_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o"
    assert main(["score", str(SEED), "--no-fluency", "-q", "--out", str(out)]) == 1
    assert main(["gate", str(out)]) == 1
    assert main(["gate", str(out), "--fail-on", "never"]) == 0
    assert "PASSED" in capsys.readouterr().out
    assert main(["gate", str(tmp_path / "nothing")]) == 2


def test_resume_accepts_a_changed_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mtqa import engine

    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": TEXTS[i % 3]}) + "\n" for i in range(6)))
    real = engine.score_chunk

    def stop(settings, baseline, index, arts, keep_keys=False, on_progress=None):  # type: ignore[no-untyped-def]
        if index == 1:
            raise KeyboardInterrupt
        return real(settings, baseline, index, arts, keep_keys)

    args = ["score", str(corpus), "--no-fluency", "--jobs", "1", "-q", "--chunk-size", "3", "--out", str(tmp_path / "o")]
    monkeypatch.setattr(engine, "score_chunk", stop)
    assert main(args) == 130
    monkeypatch.setattr(engine, "score_chunk", real)
    assert main([*args, "--resume", "--fail-on", "never"]) == 0


def test_readme_python_example_runs() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
    assert scope["result"].gate().exit_code == 1


def test_rules_run_without_the_lm_packages_and_fluency_asks_for_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    from mtqa import engine

    for name in ("torch", "transformers"):
        monkeypatch.setitem(sys.modules, name, None)  # as if the lm extra were not installed
    monkeypatch.setattr(engine, "_SCORER", None)
    assert mtqa.score([TEXTS[0]], model=None).articles.status.tolist() == ["pass"]
    assert main(["score", str(SEED), "--no-write", "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "pip install 'mtqa[lm]'" in err


@pytest.mark.parametrize("kind", ["example", "empty", "errors"])
def test_summary_json_matches_its_schema(kind: str, tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads((Path(mtqa.__file__).parent / "data" / "summary.schema.json").read_text())
    if kind == "example":
        summary = json.loads((Path(__file__).resolve().parent.parent / "reports" / "example" / "summary.json").read_text())
    else:
        corpus = tmp_path / "c.jsonl"
        corpus.write_text("" if kind == "empty" else '{"id": "a", "text": "Fine text."}\nbroken\n')
        main(["score", str(corpus), "--no-fluency", "-q", "--jobs", "1", "--out", str(tmp_path / "o")])
        summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    jsonschema.validate(summary, schema)


def test_gate_defaults_to_the_policy_the_result_was_scored_with() -> None:
    lenient = mtqa.Scorer(model=None, policy=mtqa.Policy(fail_on="never")).score(TEXTS[:3])
    assert set(lenient.articles.status) <= {"pass", "warn"} and lenient.gate().passed
    assert not lenient.gate(mtqa.Policy()).passed


def test_min_quality_reason_and_status() -> None:
    from mtqa.gate import apply_policy

    table = pd.DataFrame({"status": ["scored", "scored", "error"], "reason": ["", "", "unreadable"],
                          "critical": [0, 0, 0], "major": [0, 0, 0], "minor": [1, 0, 0], "quality": [99.0, 40.0, None]})
    gated = apply_policy(table, mtqa.Policy(min_quality=50))
    assert gated.status.tolist() == ["warn", "fail", "error"]
    assert gated.reason.tolist() == ["minor findings below fail-on=major", "quality 40.0 < min-quality 50", "unreadable"]
