"""Bad and hostile input never stops a run, never loses an article and never corrupts an output.

Each test generates the input of one defect found by fault injection (issue 14); the
property test at the end feeds generated malformed files of every format.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import xml.dom.minidom
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mtqa.cli import main
from mtqa.store import OutputLock

GOOD = "The president met his counterpart in Paris on Monday. They discussed trade and security."


def run(tmp_path: Path, *args: str, out: str = "out") -> int:
    return main(["score", "--no-fluency", "--jobs", "1", "--no-progress", "--out", str(tmp_path / out), *args])


def articles(tmp_path: Path, out: str = "out") -> pd.DataFrame:
    return pd.read_csv(tmp_path / out / "articles.csv", keep_default_na=False)


def jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def assert_outputs_valid(out: Path, expected_articles: int) -> None:
    """Every table parses to its row count, the JSON files parse, no physical CSV line starts a formula."""
    frame = pd.read_csv(out / "articles.csv", keep_default_na=False)
    assert len(frame) == expected_articles
    for name in ("articles", "sentences", "findings"):
        raw = (out / f"{name}.csv").read_bytes().decode("utf-8")
        with io.StringIO(raw, newline="") as fh:
            rows = list(csv.reader(fh))
        assert len(rows) - 1 == len(pd.read_csv(out / f"{name}.csv")), name
        for physical in raw.split("\r\n"):
            assert not physical.startswith(("=", "+", "@")), f"{name}: a line starts a formula: {physical[:40]!r}"
    json.loads((out / "summary.json").read_text("utf-8"))


# --- 1. whole-run aborts become error rows ----------------------------------------------

def test_lone_surrogates_in_any_field(tmp_path: Path) -> None:
    corpus = jsonl(tmp_path / "s.jsonl", [
        '{"id": "t", "text": "Bad \\ud800 text."}',
        '{"id": "i\\ud800d", "text": "%s"}' % GOOD,
        '{"id": "x", "text": "%s", "title": "T\\udfff", "note": "n\\ud800"}' % GOOD,
        {"id": "ok", "text": GOOD},
    ])
    assert run(tmp_path, str(corpus)) == 3
    a = articles(tmp_path)
    assert len(a) == 4 and a.status.tolist().count("error") == 1
    assert "lone surrogate" in a.set_index("article_id").loc["t", "reason"]
    assert "i\ufffdd" in set(a.article_id)
    assert_outputs_valid(tmp_path / "out", 4)


def test_non_utf8_file_name_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(GOOD)
    with open(os.path.join(os.fsencode(folder), b"bad-\xff.txt"), "w") as fh:
        fh.write(GOOD)
    assert run(tmp_path, str(folder)) == 0
    a = articles(tmp_path)
    assert len(a) == 2 and any("\ufffd" in p for p in a.path)
    assert_outputs_valid(tmp_path / "out", 2)


def test_deep_nesting_huge_integers_and_huge_ids(tmp_path: Path) -> None:
    corpus = jsonl(tmp_path / "n.jsonl", [
        '{"id": "deep", "text": "x", "extra": ' + "[" * 1200 + "]" * 1200 + "}",
        {"id": "big", "text": GOOD, "count": 2**70},
        '{"id": ' + "7" * 5000 + ', "text": "%s"}' % GOOD,
        {"id": "ok", "text": GOOD},
    ])
    assert run(tmp_path, str(corpus)) == 3
    a = articles(tmp_path)
    assert len(a) == 4
    assert a.status.tolist().count("error") == 2  # the deep line and the 5000-digit id
    assert str(2**70) in set(a["count"].astype(str))
    assert_outputs_valid(tmp_path / "out", 4)


def test_truncated_and_corrupt_gzip_in_a_folder_of_40(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(36):
        (folder / f"ok{i:02d}.txt").write_text(GOOD)
    whole = gzip.compress(((GOOD + "\n") * 200).encode())
    (folder / "cut.txt.gz").write_bytes(whole[: len(whole) // 2])
    (folder / "cut.md.gz").write_bytes(whole[: len(whole) // 2])
    (folder / "cut.csv.gz").write_bytes(gzip.compress(b"id,text\n" + b"a,hello there.\n" * 500)[:60])
    bad = bytearray(gzip.compress(b'{"text": "hello"}\n' * 500))
    bad[20:30] = b"\xff" * 10
    (folder / "corrupt.jsonl.gz").write_bytes(bytes(bad))
    assert run(tmp_path, str(folder)) == 3
    a = articles(tmp_path)
    assert (a.status != "error").sum() == 36
    assert {Path(p).name for p in a[a.status == "error"].path} == {"cut.txt.gz", "cut.md.gz", "cut.csv.gz", "corrupt.jsonl.gz"}
    assert_outputs_valid(tmp_path / "out", len(a))


def test_parquet_extra_types_and_corrupt_pages(tmp_path: Path) -> None:
    import datetime as dt
    from decimal import Decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "id": ["a", "b"], "text": [GOOD, GOOD],
        "when": pa.array([dt.datetime(2024, 1, 1), None], pa.timestamp("us")),
        "day": pa.array([dt.date(2024, 1, 1), dt.date(2024, 1, 2)]),
        "price": pa.array([Decimal("1.50"), Decimal("2.25")], pa.decimal128(5, 2)),
        "blob": pa.array([b"\x00\x01", b"\xff"]),
        "took": pa.array([dt.timedelta(seconds=3), dt.timedelta(0)], pa.duration("s")),
    })
    pq.write_table(table, tmp_path / "types.parquet")
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(3000)], "text": [GOOD] * 3000}), tmp_path / "big.parquet",
                   compression="NONE", row_group_size=1000)
    data = bytearray((tmp_path / "big.parquet").read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4000] = os.urandom(4000)
    (tmp_path / "big.parquet").write_bytes(bytes(data))
    code = run(tmp_path, str(tmp_path / "types.parquet"), str(tmp_path / "big.parquet"))
    a = articles(tmp_path)
    assert a.set_index("article_id").loc["a", "day"] == "2024-01-01" and a.set_index("article_id").loc["a", "price"] == "1.50"
    assert code in (0, 3) and {"a", "b"} <= set(a.article_id)
    assert_outputs_valid(tmp_path / "out", len(a))


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        fh.write(json.dumps({"id": "ok", "text": GOOD}).encode() + b"\n")
        block = b"0" * (1 << 20)
        for _ in range(40):  # 40 MB of one runaway line
            fh.write(block)
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * (8 << 20)))
    assert run(tmp_path, str(bomb), str(tmp_path / "bomb.txt.gz"), "--max-file-bytes", "20000000",
               "--max-article-chars", "1000000") == 3
    a = articles(tmp_path).set_index("article_id")
    assert a.loc["ok", "status"] == "pass"
    reasons = " ".join(a[a.status == "error"].reason)
    assert "max-file-bytes" in reasons and "max-article-chars" in reasons


# --- 2. CSV corruption and the formula guard ----------------------------------------------

def test_carriage_returns_and_formula_headers(tmp_path: Path) -> None:
    corpus = jsonl(tmp_path / "cr.jsonl", [
        {"id": "a\r=1+1", "title": "t\r=2+2", "url": "u\r@SUM(1)", "text": GOOD, "=cmd|' /C calc'!A0": "x\r+3"},
    ])
    run(tmp_path, str(corpus))
    assert_outputs_valid(tmp_path / "out", 1)
    header = (tmp_path / "out" / "articles.csv").read_text("utf-8").split("\r\n")[0]
    assert "'=cmd" in header


# --- 3, 4. runs cannot collide; links are never followed when cleaning --------------------

def test_a_second_run_on_the_same_out_exits_2_naming_the_holder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    lock = OutputLock(tmp_path / "out")
    try:
        assert run(tmp_path, str(tmp_path / "a.txt")) == 2
        assert f"pid {os.getpid()}" in capsys.readouterr().err
    finally:
        lock.release()
    assert run(tmp_path, str(tmp_path / "a.txt")) == 0


def test_symlinked_parts_folder_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".mtqa-parts").symlink_to(precious)
    (tmp_path / "a.txt").write_text(GOOD)
    assert run(tmp_path, str(tmp_path / "a.txt")) == 2
    assert (precious / "keep.txt").read_text() == "mine"


# --- 5. quotes never merge rows silently --------------------------------------------------

def test_unbalanced_quotes_are_error_rows(tmp_path: Path) -> None:
    (tmp_path / "q.tsv").write_text('id\ttext\na\t"hello world\nb\tsecond row\nc\tthird\n')
    (tmp_path / "q.csv").write_text('id,text\na,"unterminated\nb,second\nc,third\n')
    (tmp_path / "ok.csv").write_text('id,text\na,"A quoted\nmultiline text."\nb,Plain text.\n')
    assert run(tmp_path, str(tmp_path / "q.tsv"), str(tmp_path / "q.csv"), str(tmp_path / "ok.csv")) == 3
    a = articles(tmp_path)
    errors = a[a.status == "error"]
    assert {Path(p).name for p in errors.path} == {"q.tsv", "q.csv"}
    assert all("quote" in r for r in errors.reason)
    assert (a[a.path.str.endswith("ok.csv")].status != "error").all() and (a.path.str.endswith("ok.csv")).sum() == 2


# --- 6, 7. the gate never passes on nothing; the output folder is not input ---------------

@pytest.mark.parametrize("make", ["empty-folder", "empty-jsonl", "nul-file", "zero-width"])
def test_nothing_to_score_does_not_pass(tmp_path: Path, make: str) -> None:
    target = tmp_path / "in"
    target.mkdir()
    if make == "empty-jsonl":
        (target / "e.jsonl").write_text("")
    elif make == "nul-file":
        (target / "z.txt").write_bytes(b"\x00" * 1000)
    elif make == "zero-width":
        (target / "z.txt").write_text("\u200b\u200b\ufeff\u2060 \n")
    assert run(tmp_path, str(target)) == 3


def test_scoring_a_folder_skips_its_own_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["score", ".", "--no-fluency", "--jobs", "1", "-q"]) == 0
    assert main(["score", ".", "--no-fluency", "--jobs", "1", "-q"]) == 0
    assert len(pd.read_csv(tmp_path / "reports" / "articles.csv")) == 1


# --- 8. a failed run never leaves a mixture -----------------------------------------------

def test_a_failing_write_leaves_the_previous_outputs_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mtqa import app

    (tmp_path / "a.txt").write_text(GOOD)
    assert run(tmp_path, str(tmp_path / "a.txt")) == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file() and not p.name.startswith(".")}
    for i in range(3):
        (tmp_path / f"b{i}.txt").write_text(GOOD)

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(app, "write_reports", full)
    assert run(tmp_path, str(tmp_path)) == 3  # internal error
    after = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file() and not p.name.startswith(".")}
    assert after == before


# --- 9, 10, 11. ids, machine formats, terminal and CI injection ---------------------------

def test_duplicate_ids_become_unique_and_ci_formats_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = jsonl(tmp_path / "d.jsonl", [{"id": i, "text": "The the minister said (it was fine."} for i in ("a", "a", "a#2", "a#3", "a")])
    run(tmp_path, str(corpus))
    ids = articles(tmp_path).article_id.tolist()
    assert len(set(ids)) == 5 and ids[:2] == ["a", "a#2"]
    for fmt in ("sarif", "github", "junit", "jsonl"):
        capsys.readouterr()
        run(tmp_path, str(corpus), "-f", fmt)
        out = capsys.readouterr().out
        if fmt == "sarif":
            json.loads(out)
        elif fmt == "junit":
            xml.dom.minidom.parseString(out)
        elif fmt == "jsonl":
            rows = [json.loads(line) for line in out.splitlines()]  # NaN would not parse
            assert rows and all("suggestion" in r for r in rows)


def test_control_characters_cannot_forge_lines_or_break_xml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = jsonl(tmp_path / "e.jsonl", [
        {"id": "ok\n::warning file=README.md,line=1::x", "text": "The the minister said so.\x1b]0;pwned\x07"},
        {"id": "ctl\x01\x1b[31m", "title": "\x0b\x0c", "text": "broken"},
        "{not json \x1b]0;title\x07",
    ])
    for fmt in ("text", "github", "junit"):
        capsys.readouterr()
        run(tmp_path, str(corpus), "-f", fmt)
        captured = capsys.readouterr()
        for stream in (captured.out, captured.err):
            assert "\x1b" not in stream and "\x07" not in stream
            assert not any(line.startswith("::warning file=README.md") for line in stream.splitlines())
        if fmt == "junit":
            xml.dom.minidom.parseString(captured.out)


# --- 12. a damaged part is rescored on resume ----------------------------------------------

def test_a_corrupt_part_is_scored_again_on_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mtqa import engine

    corpus = jsonl(tmp_path / "c.jsonl", [{"id": f"a{i}", "text": GOOD} for i in range(6)])
    assert run(tmp_path, str(corpus), "--chunk-size", "2", out="full") == 0
    real = engine.score_chunk

    def stop_at_2(settings, baseline, index, arts, keep_keys=False, on_progress=None):  # type: ignore[no-untyped-def]
        if index == 2:
            raise KeyboardInterrupt
        return real(settings, baseline, index, arts, keep_keys)

    monkeypatch.setattr(engine, "score_chunk", stop_at_2)
    assert run(tmp_path, str(corpus), "--chunk-size", "2") == 130
    part = tmp_path / "out" / ".mtqa-parts" / "00000001.findings.parquet"
    part.write_bytes(part.read_bytes()[:20])
    monkeypatch.setattr(engine, "score_chunk", real)
    assert run(tmp_path, str(corpus), "--chunk-size", "2", "--resume") == 0
    pd.testing.assert_frame_equal(articles(tmp_path), articles(tmp_path, "full"))


# --- 13. the smaller ones -----------------------------------------------------------------

def test_special_files_are_listed_as_skipped_and_mixed_case_gz_is_gunzipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.TxT.gZ").write_bytes(gzip.compress(GOOD.encode()))
    (folder / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(folder / "pipe.txt")
    (tmp_path / "outside.txt").write_text(GOOD)
    (folder / "escape.txt").symlink_to(tmp_path / "outside.txt")
    assert run(tmp_path, str(folder)) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    skipped = " ".join(summary["skipped_files"])
    assert "broken link" in skipped and "not a regular file" in skipped and "outside the input folder" in skipped
    a = articles(tmp_path)
    assert len(a) == 1 and a.words[0] > 5


@pytest.mark.parametrize("setting", ["min-quality = true", "batch-size = true", 'severity = { MT999 = "major" }', 'out = ""'])
def test_config_rejects_nonsense(tmp_path: Path, setting: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mtqa.toml").write_text(setting + "\n")
    (tmp_path / "a.txt").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["score", "a.txt", "--no-fluency", "-q"]) == 2


def test_an_unrelated_broken_pyproject_in_a_parent_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = broken")
    work = tmp_path / "w"
    work.mkdir()
    (work / "a.txt").write_text(GOOD)
    monkeypatch.chdir(work)
    assert main(["score", "a.txt", "--no-fluency", "-q", "--jobs", "1"]) == 0


def test_an_internal_error_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from mtqa import app

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(app, "assemble", boom)
    (tmp_path / "a.txt").write_text(GOOD)
    assert run(tmp_path, str(tmp_path / "a.txt")) == 3
    assert "internal error" in capsys.readouterr().err


def test_one_article_that_breaks_a_rule_is_an_error_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mtqa import pipeline

    real = pipeline.detect

    def fragile(doc, rules, overrides=None):  # type: ignore[no-untyped-def]
        if "explode" in doc.text:
            raise ValueError("rule bug")
        return real(doc, rules, overrides)

    monkeypatch.setattr(pipeline, "detect", fragile)
    corpus = jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": GOOD}, {"id": "b", "text": "Please explode."}])
    assert run(tmp_path, str(corpus)) == 3
    a = articles(tmp_path).set_index("article_id")
    assert a.loc["a", "status"] == "pass" and "rule bug" in a.loc["b", "reason"]


def test_report_csp_allows_only_its_own_script(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    run(tmp_path, str(tmp_path / "a.txt"))
    page = (tmp_path / "out" / "report.html").read_text()
    assert "script-src 'sha256-" in page and "'unsafe-inline'; img" not in page.split("script-src")[1][:80]


# --- the property: any malformed file of any format ---------------------------------------

def _valid_sample(fmt: str) -> bytes:
    rows = [{"id": "a", "text": GOOD, "title": "T"}, {"id": "b", "text": "The the minister said (it was fine."}]
    if fmt in ("txt", "md"):
        return ("Title\n\n" + GOOD + "\n").encode()
    if fmt == "jsonl":
        return "".join(json.dumps(r) + "\n" for r in rows).encode()
    if fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        return ("id" + sep + "text\n" + "".join(f'{r["id"]}{sep}"{r["text"]}"\n' for r in rows)).encode()
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), sink)
    return sink.getvalue()


def _mutate(data: bytes, ops: list[tuple[str, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for op, at, chunk in ops:
        at = at % (len(buf) + 1)
        if op == "insert":
            buf[at:at] = chunk
        elif op == "overwrite":
            buf[at:at + len(chunk)] = chunk
        elif op == "truncate":
            del buf[at:]
        else:  # delete
            del buf[at:at + len(chunk) + 1]
    return bytes(buf)


def test_any_malformed_file_of_any_format_is_accounted_for(tmp_path_factory: pytest.TempPathFactory) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from mtqa.ingest import IngestOptions, discover, read_articles

    schema_file = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    schema = json.loads(schema_file.read_text()) if schema_file.is_file() else None
    nasty = st.sampled_from([b'"', b"\n", b"\r", b"\x00", b"\xff\xfe", b"\\ud800", b"{", b"\t", b"=1+1", b"\xe2\x80", b"[" * 50])
    op = st.tuples(st.sampled_from(["insert", "overwrite", "truncate", "delete"]), st.integers(0, 10_000),
                   st.one_of(nasty, st.binary(min_size=1, max_size=8)))
    fmt = st.sampled_from(["txt", "md", "jsonl", "csv", "tsv", "parquet"])
    files = st.lists(st.tuples(fmt, st.booleans(), st.lists(op, max_size=4)), min_size=1, max_size=3)

    @settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "30")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(files)
    def check(spec: list[tuple[str, bool, list[tuple[str, int, bytes]]]]) -> None:
        tmp = tmp_path_factory.mktemp("prop")
        folder = tmp / "in"
        folder.mkdir()
        for i, (kind, zipped, ops) in enumerate(spec):
            data = _mutate(_valid_sample(kind), ops)
            name = f"f{i}.{kind}" + (".gz" if zipped and kind != "parquet" else "")
            (folder / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        opts = IngestOptions()
        read = list(read_articles(discover([str(folder)], opts), opts))
        for fmt_name in ("sarif", "junit"):
            buffer = io.StringIO()
            import contextlib

            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()) as err:
                code = main(["score", str(folder), "--no-fluency", "--jobs", "1", "--no-progress", "-f", fmt_name,
                             "--out", str(tmp / "out")])
            assert code in (0, 1, 3), err.getvalue()
            assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue(), err.getvalue()
            if fmt_name == "sarif" and schema is not None:
                import jsonschema

                jsonschema.validate(json.loads(buffer.getvalue()), schema)
            if fmt_name == "junit":
                xml.dom.minidom.parseString(buffer.getvalue())
        out = tmp / "out"
        assert_outputs_valid(out, len(read))
        if not read:
            assert code == 3  # nothing readable never passes
        frame = pd.read_csv(out / "articles.csv", keep_default_na=False)
        assert sorted(frame.article_id) == sorted(a.id for a in read)

    check()


def test_a_named_pipe_is_read_as_a_stream_and_an_empty_one_does_not_pass(tmp_path: Path) -> None:
    import threading

    def feed(path: Path, data: bytes) -> threading.Thread:
        def write() -> None:
            with open(path, "wb") as fh:
                fh.write(data)

        thread = threading.Thread(target=write)
        thread.start()
        return thread

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writer = feed(pipe, (json.dumps({"id": "p", "text": GOOD}) + "\n").encode())
    assert run(tmp_path, str(pipe)) == 0
    writer.join()
    assert articles(tmp_path).article_id.tolist() == ["p"]
    writer = feed(pipe, b"")
    assert run(tmp_path, str(pipe)) == 3
    writer.join()
