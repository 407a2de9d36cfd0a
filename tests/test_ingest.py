"""Ingest: every format, encodings, and bad input that must not be lost."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from typing import Any

import pandas as pd
import pytest

from mtqa.errors import UsageError
from mtqa.ingest import IngestOptions, discover, read_articles
from mtqa.ingest.readers import Limits
from mtqa.segment import segment
from mtqa.types import Article


def read(*paths: Path, **kw: Any) -> list[Article]:
    opts = IngestOptions(**kw)
    return list(read_articles(discover([str(p) for p in paths], opts), opts))


def test_txt_title_and_offsets(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("My title\n\nFirst sentence. Second one.\n", encoding="utf-8")
    [a] = read(p)
    assert a.title == "My title" and a.error is None
    doc = segment(a)
    assert [s.text for s in doc.sentences] == ["My title", "First sentence.", "Second one."]
    assert all(a.text[s.start:s.end] == s.text for s in doc.sentences)
    assert doc.sentences[0].is_title


@pytest.mark.parametrize(("encoding", "prefix"), [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_boms_and_crlf(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(prefix + "Café title\r\n\r\nIt was déçu.\r\n".encode(encoding))
    [a] = read(p)
    assert a.text == "Café title\n\nIt was déçu.\n"
    assert a.title == "Café title"


def test_undecodable_and_empty_files_are_kept_as_errors(tmp_path: Path) -> None:
    garbage = bytes(b for b in range(256) if b not in b"\r\n")  # no encoding reads it
    (tmp_path / "bad.txt").write_bytes(b"fine line\nbad " + garbage + b" bytes\n")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "ok.txt").write_text("A good article.")
    arts = {a.id.rsplit("/", 1)[-1]: a for a in read(tmp_path)}
    assert arts["bad.txt"].error and "UTF-8" in arts["bad.txt"].error and arts["bad.txt"].line == 2
    assert arts["empty.txt"].error == "empty article: no text"
    assert arts["ok.txt"].error is None


def test_windows_1252_is_read_and_the_guess_recorded(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Title\n\nHe was “déçu” – the talks failed.\n".encode("cp1252"))
    (tmp_path / "b.jsonl").write_bytes(b'{"id": "u", "text": "Plain line."}\n' + '{"id": "c", "text": "Le café, he said."}\n'.encode("cp1252"))
    (tmp_path / "c.csv").write_bytes("id,text\nx,The café opened – at last.\n".encode("cp1252"))
    (tmp_path / "d.tsv").write_bytes("id\ttext\nr\tМосква заявила о переговорах в Женеве.\n".encode("cp1251"))
    arts = {a.id.rsplit("/", 1)[-1]: a for a in read(tmp_path)}
    assert arts["a.txt"].text.endswith("He was “déçu” – the talks failed.\n") and arts["a.txt"].extra["encoding_detected"] == "cp1252"
    assert "encoding_detected" not in arts["u"].extra  # UTF-8 lines are UTF-8
    assert arts["c"].text == "Le café, he said." and arts["c"].extra["encoding_detected"] == "cp1252"
    assert arts["x"].text == "The café opened – at last." and arts["x"].extra["encoding_detected"] == "cp1252"
    assert arts["r"].text.startswith("Москва") and arts["r"].extra["encoding_detected"] == "cp1251"
    assert not any(a.error for a in arts.values())


def test_jsonl_bad_lines_and_extras(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "a1", "text": "Hello there.", "source_lang": "FR", "site": "x"}\n'
                 "not json\n\n"
                 '{"title": "no text"}\n'
                 '[1, 2]\n'
                 '{"text": "No id here."}\n', encoding="utf-8")
    arts = read(p)
    assert [a.id for a in arts] == ["a1", f"{p.as_posix()}:2", f"{p.as_posix()}:4", f"{p.as_posix()}:5", f"{p.as_posix()}:6"]
    assert arts[0].source_lang == "fr" and arts[0].extra == {"site": "x"}
    assert "not valid JSON" in arts[1].error and arts[1].line == 2
    assert arts[2].error == "no 'text' field"
    assert "JSON object" in arts[3].error
    assert arts[4].error is None


def test_gzip_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "z", "text": "Zipped text."}) + "\n")
    [a] = read(p)
    assert a.id == "z" and a.text == "Zipped text."


def test_csv_tsv_quoted_newlines_and_ragged_rows(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text('id,text,reference\n1,"Line one.\nLine two.",Ref.\n2,too,many,fields\n3,,\n', encoding="utf-8")
    arts = read(p)
    assert arts[0].text == "Line one.\nLine two." and arts[0].reference == "Ref."
    assert "fields" in arts[1].error and arts[1].line == 4
    assert arts[2].error == "empty article: no text"
    t = tmp_path / "t.tsv"
    t.write_text("doc\tbody\nx\tTab text.\n", encoding="utf-8")
    [a] = read(t, text_column="body", id_column="doc")
    assert (a.id, a.text) == ("x", "Tab text.")


def test_missing_column_is_an_error_row_for_that_file(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("id,body\n1,x\n")
    ok = tmp_path / "d.csv"
    ok.write_text("id,text\n1,Fine text.\n")
    bad, good = read(p, ok)
    assert bad.error is not None and "no 'text' column (found: 'id', 'body')" in bad.error
    assert good.error is None and good.text == "Fine text."


def test_parquet(tmp_path: Path) -> None:
    p = tmp_path / "c.parquet"
    pd.DataFrame({"id": ["p1", "p2"], "text": ["Parquet text.", None], "url": ["u", "v"]}).to_parquet(p)
    arts = read(p)
    assert arts[0].text == "Parquet text." and arts[0].extra == {"url": "u"}
    assert arts[1].error == "no 'text' field"


def test_unknown_extension_and_missing_path(tmp_path: Path) -> None:
    p = tmp_path / "x.docx"
    p.write_text("x")
    with pytest.raises(UsageError, match="unknown extension"):
        read(p)
    with pytest.raises(UsageError, match="no such file"):
        read(tmp_path / "nope.txt")


def test_folder_walk_sorted_hidden_skipped_and_reported(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("B text.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("A text.")
    (tmp_path / ".hidden.txt").write_text("H.")
    (tmp_path / "notes.docx").write_text("x")
    (tmp_path / "README.md").write_text("readme")
    opts = IngestOptions()
    inv = discover([str(tmp_path)], opts)
    assert [f.path.name for f in inv.files] == ["b.txt", "a.md"]
    assert any("notes.docx (unknown extension)" in s for s in inv.skipped)
    assert any("README.md (excluded)" in s for s in inv.skipped)


def test_duplicate_ids_made_unique(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "x", "text": "One."}\n{"id": "x", "text": "Two."}\n')
    assert [a.id for a in read(p)] == ["x", "x#2"]


def test_large_single_line_article(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("word " * 2_000_000)  # 10 MB, one line, no punctuation
    [a] = read(p, limits=Limits(article_chars=20_000_000))
    doc = segment(a)
    assert doc.sentences and doc.sentences[-1].end <= len(a.text)
    [too_big] = read(p)  # the default limit: an error row, not minutes of scoring
    assert too_big.error and "max-article-chars" in too_big.error and too_big.text == ""


def test_a_parallel_source_file_gets_one_language_guess() -> None:
    """``-s SRC.txt`` without a language: one langdetect guess for the file, kept as a guess; a line
    that alone reads as another language (short Russian as Bulgarian) gets the file's."""
    from mtqa.ingest import file_language, with_parallel

    russian = ["Цены выросли на два процента в прошлом году.", "Правительство ушло в отставку после долгих переговоров.",
               "Биржа закрылась раньше обычного.", "Аналитики ожидают рецессию.", "Компания подтвердила цифры в понедельник.",
               "Да."] * 4
    out = list(with_parallel([Article(id=str(i), text="Text.", path="t") for i in range(len(russian))], None, russian))
    assert {a.source_lang for a in out} == {"ru"} and all(a.extra["source_lang_detected"] == "ru" for a in out)
    given = list(with_parallel([Article(id="0", text="Text.", path="t", source_lang="uk")], None, russian[:1]))
    assert given[0].source_lang == "uk" and "source_lang_detected" not in given[0].extra
    mixed = ["Die Preise stiegen im letzten Jahr deutlich.", "Les prix ont fortement augmenté l'année dernière."] * 10
    assert file_language(mixed) is None and file_language(["", " "]) is None
