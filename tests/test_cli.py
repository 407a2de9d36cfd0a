"""The command line as CI and users run it: exit codes, outputs, config, formats."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mtqa.cli import main
from tests.conftest import ROOT

SEED = ROOT / "data" / "seed" / "trump-putin-invitation.txt"
CLEAN = "Title\n\nThe president met his counterpart in Paris on Monday. They discussed trade and security.\n"


def score(tmp_path: Path, *args: str) -> int:
    return main(["score", "--no-fluency", "--out", str(tmp_path / "out"), *args])


def test_seed_fails_the_default_gate_and_clean_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert score(tmp_path, str(SEED)) == 1
    assert "FAILED" in capsys.readouterr().out
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN)
    assert score(tmp_path, str(clean)) == 0


def test_outputs_written_and_loadable(tmp_path: Path) -> None:
    score(tmp_path, str(SEED))
    out = tmp_path / "out"
    articles = pd.read_csv(out / "articles.csv")
    findings = pd.read_csv(out / "findings.csv")
    sentences = pd.read_csv(out / "sentences.csv")
    summary = json.loads((out / "summary.json").read_text())
    assert articles.loc[0, "status"] == "fail" and articles.loc[0, "findings"] == len(findings)
    assert {"MT101", "MT301", "MT302"} <= set(findings.code)
    assert sentences.sentence.tolist() == list(range(len(sentences)))  # input order
    assert sorted(sentences.rank_in_corpus) == list(range(1, len(sentences) + 1))
    ranked = sentences.sort_values("rank_in_corpus")
    assert ranked.penalty.is_monotonic_decreasing  # rank 1 = the worst sentence
    assert summary["signature"]["string"].startswith("mtqa:")
    assert summary["gate"]["exit_code"] == 1
    text = SEED.read_text()
    for row in findings.itertuples():
        assert text[row.start:row.end] == str(row.text).lstrip("'") or str(row.text).startswith("'")


def test_the_signature_hashes_the_code_that_decides_results(tmp_path: Path) -> None:
    from importlib import resources

    from mtqa import signature

    code = signature._code_files(resources.files("mtqa"))
    assert {"segment.py", "detect/rules/source.py", "detect/numerals.py", "scoring/estimate.py", "ingest/out_of_step.py"} <= set(code)
    # how results are shown or read is not hashed (but MT015's reading of neighbouring segments decides findings)
    assert not any(name.startswith(("report", "ingest")) for name in code if name != "ingest/out_of_step.py")
    # a copy of the package with one rule's code changed hashes otherwise
    package = tmp_path / "pkg"
    for name in code:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_bytes(resources.files("mtqa").joinpath(name).read_bytes())
    before = signature._code_hash(package)
    (package / "detect" / "numerals.py").write_text((package / "detect" / "numerals.py").read_text() + "\n# changed\n")
    assert signature._code_hash(package) != before


def test_input_error_exit_3_and_nothing_lost(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "ok", "text": "The president met his counterpart in Paris."}\nbroken\n')
    assert score(tmp_path, str(corpus)) == 3
    err = capsys.readouterr().err
    assert f"{corpus}:2: not valid JSON" in err
    articles = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert articles.status.tolist() == ["pass", "error"]


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert score(tmp_path, str(tmp_path / "missing.txt")) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "c.csv"
    bad.write_text("id,body\n1,x\n")
    assert score(tmp_path, str(bad)) == 3  # the file is an error row; other files would be scored
    assert f"{bad}:1: no 'text' column" in capsys.readouterr().err
    assert score(tmp_path, "--select", "XX9", str(SEED)) == 2


def test_csv_formula_injection_neutralised(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "=HYPERLINK(\"http://x\")", "text": "=1+1 is a formula. [19659007] Then text."}) + "\n")
    score(tmp_path, str(corpus))
    with open(tmp_path / "out" / "articles.csv", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["article_id"].startswith("'=")
    with open(tmp_path / "out" / "sentences.csv", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    assert all(not t.startswith(("=", "+", "-", "@")) for t in texts)


def test_select_ignore_and_fail_on(tmp_path: Path) -> None:
    assert score(tmp_path, "--select", "MT6", str(SEED)) == 0  # the seed has no typography problem
    assert score(tmp_path, "--fail-on", "never", str(SEED)) == 0
    assert score(tmp_path, "--fail-on", "critical", str(SEED)) == 0
    assert score(tmp_path, "--max-failing-articles", "100%", str(SEED)) == 0


def test_config_file_and_flags_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mtqa]\nfail-on = "never"\n[tool.mtqa.severity]\nMT101 = "critical"\n')
    monkeypatch.chdir(tmp_path)
    assert score(tmp_path, str(SEED)) == 0
    findings = pd.read_csv(tmp_path / "out" / "findings.csv")
    assert findings[findings.code == "MT101"].severity.tolist() == ["critical"]
    assert score(tmp_path, "--fail-on", "major", str(SEED)) == 1
    (tmp_path / "mtqa.toml").write_text('fail-on = "sometimes"\n')
    assert score(tmp_path, str(SEED)) == 2


def test_per_path_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mtqa.toml").write_text('[per-path-ignores]\n"legacy/*" = ["MT"]\n')
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "seed.txt").write_text(SEED.read_text())
    monkeypatch.chdir(tmp_path)
    assert score(tmp_path, "legacy") == 0  # the path as typed
    assert score(tmp_path, str(legacy)) == 0  # absolute
    monkeypatch.chdir(legacy)
    assert score(tmp_path, "seed.txt") == 0  # from inside the folder: relative to the config file
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "seed.txt").write_text(SEED.read_text())
    assert score(tmp_path, str(tmp_path / "other")) == 1  # the glob does not match everything


def test_json_and_jsonl_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    score(tmp_path, "-f", "json", str(SEED))
    summary = json.loads(capsys.readouterr().out)
    assert summary["articles"]["fail"] == 1
    score(tmp_path, "-f", "jsonl", str(SEED))
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines and all({"code", "start", "end", "severity"} <= set(x) for x in lines)


def test_quiet_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert score(tmp_path, "-q", str(SEED)) == 1
    assert capsys.readouterr().out == ""


def test_results_do_not_change_between_runs(tmp_path: Path) -> None:
    score(tmp_path, str(ROOT / "data"))
    first = (tmp_path / "out" / "findings.csv").read_text()
    score(tmp_path, str(ROOT / "data"))
    assert (tmp_path / "out" / "findings.csv").read_text() == first


def test_references_add_sacrebleu_scores(tmp_path: Path) -> None:
    score(tmp_path, str(ROOT / "data" / "mqm-newstest2021-zhen.jsonl"))
    articles = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert articles[["bleu", "chrf", "ter"]].notna().all().all()
    ref = json.loads((tmp_path / "out" / "summary.json").read_text())["reference"]
    assert ref["bleu_signature"].startswith("nrefs:1")


def test_stdin_and_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "mtqa", "score", "--no-fluency", "--no-write", "-"],
                          input="Title\n\n[19659007] million. The deal was signed.\n", capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "\033[" not in proc.stdout
    # with -s, text on stdin is a segment a line, like a .txt file
    src = tmp_path / "src.txt"
    src.write_text("Der Preis stieg um 1,5 Prozent.\nDas Treffen war gut.\n")
    proc = subprocess.run([sys.executable, "-m", "mtqa", "score", "--no-fluency", "--no-crosslingual", "--no-write", "-s", str(src),
                           "-f", "json", "-"], input="The price rose by 2.5 percent.\nThe meeting was good.\n",
                          capture_output=True, text=True, env=env)
    result = json.loads(proc.stdout)
    assert proc.returncode == 1 and result["articles"]["total"] == 2 and result["findings"]["by_rule"] == {"MT001": 1}
    proc = subprocess.run([sys.executable, "-m", "mtqa", "score", "--no-fluency", "--no-write", str(tmp_path / "nope")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "-f", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert any(r["code"] == "MT301" for r in rules)
    assert main(["explain", "MT301"]) == 0
    assert "déçu" in capsys.readouterr().out
    assert main(["explain", "MT999"]) == 2


def test_readme_rules_table_is_current() -> None:
    from mtqa.cli import rules_markdown
    from mtqa.detect import all_rules

    readme = (ROOT / "README.md").read_text()
    table = readme.split("<!-- rules:start -->")[1].split("<!-- rules:end -->")[0].strip()
    assert table == rules_markdown(all_rules()), "README rules table is stale: paste `mtqa rules -f markdown`"


def test_baseline_accepts_existing_findings_and_catches_new_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    text = "Title\n\nThe talks ended. [19659007] More talks followed.\n\nRussia had been ingested in the elections."
    article.write_text(text)
    base = tmp_path / "baseline.json"
    assert score(tmp_path, "--write-baseline", str(base), str(article)) == 0  # recording the baseline is not a failure
    entries = json.loads(base.read_text())["findings"]  # readable: a reviewer sees what is accepted
    assert {(e["rule"], e["text"]) for e in entries} >= {("MT101", "[19659007]"), ("MT301", "ingested")}
    assert all(e["article"] == str(article) and e["sentence"] and len(e["key"]) == 24 for e in entries)
    assert score(tmp_path, "--baseline", str(base), str(article)) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["baseline"]["suppressed"] >= 2
    capsys.readouterr()
    score(tmp_path, "--baseline", str(base), "-f", "text", str(article))
    assert f"baseline: {summary['baseline']['suppressed']} finding(s) accepted by {base}" in capsys.readouterr().out
    article.write_text("Title\n\nAn unrelated new first paragraph.\n\n" + text.split("\n\n", 1)[1])
    assert score(tmp_path, "--baseline", str(base), str(article)) == 0, "an unrelated edit invalidated the baseline"
    article.write_text(text + "\n\nSource link")
    assert score(tmp_path, "--baseline", str(base), str(article)) == 1, "a new problem was hidden"
    (tmp_path / "bad.json").write_text("{")
    assert score(tmp_path, "--baseline", str(tmp_path / "bad.json"), str(article)) == 2


def test_mtqa_ignore_suppresses_per_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "The talks ended. [19659007] Russia had been ingested in the elections."
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "listed", "text": text, "mtqa_ignore": ["MT101", "MT3"]}) + "\n"
                                      + json.dumps({"id": "plain", "text": text}) + "\n"
                                      + json.dumps({"id": "typo", "text": text, "mtqa_ignore": "MT101, oops"}) + "\n")
    (tmp_path / "b.csv").write_text(f'id,text,mtqa_ignore\ncsv,"{text}",MT101;MT301\n')
    score(tmp_path, "-f", "text", str(tmp_path / "a.jsonl"), str(tmp_path / "b.csv"))
    out = capsys.readouterr().out
    arts = pd.read_csv(tmp_path / "out" / "articles.csv").set_index("article_id")
    assert arts.loc["listed", "findings"] == 0 and arts.loc["csv", "findings"] == 0 and arts.loc["plain", "findings"] == 2
    assert arts.loc["typo", "status"] == "error" and "'OOPS' is not a rule code" in arts.loc["typo", "reason"]
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["ignored_in_input"] == 4
    assert "ignored:  4 finding(s) suppressed by the articles' mtqa_ignore field" in out


def test_every_data_file_is_packaged() -> None:
    """A wheel carries mtqa/data only through pyproject's package-data globs: none may be missed."""
    import tomllib

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["mtqa"]
    data = ROOT / "mtqa" / "data"
    packaged = {p for g in globs for p in (ROOT / "mtqa").glob(g)}
    shipped = {p for p in data.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")}
    assert shipped <= packaged, sorted(str(p.relative_to(ROOT)) for p in shipped - packaged)


def test_corpus_reference_scores_from_summed_statistics_equal_sacrebleu() -> None:
    """Corpus BLEU/chrF are computed from per-article statistics (streaming); they must equal sacrebleu's corpus_score."""
    from sacrebleu.metrics import BLEU, CHRF

    from mtqa.scoring.reference import ReferenceScorer, ReferenceStats

    pairs = [("The cat sat on the mat.", "The cat is on the mat."), ("A dog ran in the park today.", "The dog ran in the park."),
             ("Prices rose sharply.", "Prices increased sharply in May.")]
    scorer, total = ReferenceScorer(), ReferenceStats()
    for hyp, ref in pairs:
        total.add(scorer.article(hyp, ref)[1])
    corpus = scorer.corpus(total)
    hyps, refs = [h for h, _ in pairs], [[r for _, r in pairs]]
    assert corpus is not None and corpus["segments"] == 3
    assert corpus["bleu"] == round(BLEU().corpus_score(hyps, refs).score, 2)
    assert corpus["chrf"] == round(CHRF().corpus_score(hyps, refs).score, 2)


def test_text_output_lists_findings_like_ruff_and_names_the_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert score(tmp_path, str(SEED)) == 1
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith(f"{SEED}:") and " [major] " in out and " (-> " in out
    path, line, col, rest = first.split(":", 3)
    assert line.isdigit() and col.isdigit() and rest.split()[0].startswith("MT")
    assert f"outputs:  {tmp_path / 'out'}/" in out
    assert score(tmp_path, str(SEED), "--statistics") == 1
    stats = capsys.readouterr().out.splitlines()[0].split()
    assert stats[0].isdigit() and stats[1].startswith("MT") and stats[-1].startswith("[")


def test_text_output_caps_the_list_and_show_all_lifts_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "many.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": "The the minister said so."}) + "\n" for i in range(60)))
    score(tmp_path, str(corpus))
    out = capsys.readouterr().out
    assert "... and 10 more findings" in out
    score(tmp_path, str(corpus), "--show-all")
    assert "more findings" not in capsys.readouterr().out


def test_lines_input_with_line_aligned_references_and_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hyp, ref, src = tmp_path / "hyp.txt", tmp_path / "ref.txt", tmp_path / "src.txt"
    hyp.write_text("The cat sat on the mat.\nThe the dog barked loudly.\n")
    ref.write_text("The cat sat on the mat.\nThe dog barked loudly.\n")
    src.write_text("Le chat.\n")
    assert score(tmp_path, str(hyp), "--input-format", "lines", "-r", str(ref)) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["articles"]["total"] == 2 and summary["reference"]["segments"] == 2
    assert summary["reference"]["bleu"] > 50
    capsys.readouterr()
    assert score(tmp_path, str(hyp), "--input-format", "lines", "-s", str(src)) == 2
    assert "1 line(s)" in capsys.readouterr().err
    # with -s/-r a .txt file is a segment a line, as sacrebleu and COMET read it; forced to one
    # article, the error says how to read it a segment a line
    assert score(tmp_path, str(hyp), "-r", str(ref)) == 0
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["articles"]["total"] == 2
    capsys.readouterr()
    assert score(tmp_path, str(hyp), "--input-format", "txt", "-r", str(ref)) == 2
    assert "--input-format lines" in capsys.readouterr().err


def test_source_lang_given_for_the_run_is_not_a_guess(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--source-lang`` names the language of sources that give none: no guess is made or recorded;
    without it, a ``-s`` file gets one guess, recorded as one."""
    hyp, src = tmp_path / "hyp.txt", tmp_path / "src.txt"
    hyp.write_text("The talks ended on Monday.\nPrices rose by two percent.\n")
    src.write_text("Die Gespräche endeten am Montag.\nDie Preise stiegen um zwei Prozent.\n")
    assert score(tmp_path, str(hyp), "-s", str(src), "--source-lang", "de") == 0
    arts = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert arts.source_lang.tolist() == ["de", "de"] and "source_lang_detected" not in arts
    assert score(tmp_path, str(hyp), "-s", str(src)) == 0
    arts = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert arts.source_lang.tolist() == ["de", "de"] and arts.source_lang_detected.tolist() == ["de", "de"]
    capsys.readouterr()
    assert score(tmp_path, str(hyp), "-s", str(src), "--source-lang", "German!") == 2
    assert "--source-lang: 'German!' is not a language code" in capsys.readouterr().err


def test_machine_formats_end_with_the_gate_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    score(tmp_path, str(SEED), "-f", "sarif")
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("mtqa: gate FAILED")


def test_source_lang_narrows_the_lexicons() -> None:
    import mtqa

    text = "The actual situation is serious."
    assert mtqa.check(text, source_lang="zh") == []
    [de] = mtqa.check(text, source_lang="de")
    assert "(de)" in de.message and "(es)" not in de.message and "MQM" not in de.message


def test_small_surface_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert score(tmp_path, str(SEED), "--ignore", "MT") == 2  # no rule left is a usage error, not a silent PASS
    assert "leaves no rule" in capsys.readouterr().err
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": "Source link" if i == 0 else "Fine text here."}) + "\n" for i in range(10)))
    assert score(tmp_path, str(corpus), "--max-failing-articles", "2%", "-f", "json") == 1
    assert "at most 0 allowed (max-failing-articles=2%, 2% of 10)" in json.loads(capsys.readouterr().out)["gate"]["reasons"][0]
    with pytest.raises(SystemExit):
        main(["--version"])
    assert "rules:" in capsys.readouterr().out
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "id: mtqa" in hooks and "entry: mtqa score" in hooks


def test_a_source_without_its_language_gets_a_recorded_guess(tmp_path: Path) -> None:
    hyp, src = tmp_path / "hyp.txt", tmp_path / "src.txt"
    hyp.write_text("The price rose by 2.5 percent last year.\n")
    src.write_text("Der Preis ist im letzten Jahr um 1,5 Prozent gestiegen.\n")
    assert score(tmp_path, str(hyp), "--input-format", "lines", "-s", str(src)) == 1
    articles = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert articles.loc[0, "source_lang"] == "de" and articles.loc[0, "source_lang_detected"] == "de"
    findings = pd.read_csv(tmp_path / "out" / "findings.csv")
    assert findings.code.tolist() == ["MT001"] and findings.text.tolist() == [2.5]


def test_a_tool_mtqa_table_in_mtqa_toml_and_the_config_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mtqa.toml").write_text('[tool.mtqa]\nfail-on = "never"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["score", str(SEED), "--no-fluency", "--no-write", "--jobs", "1"]) == 0
    assert "config:   " in capsys.readouterr().out


def test_explain_select_by_name_and_write_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "MT701"]) == 0
    out = capsys.readouterr().out
    assert "allow = 38 entries" in out and "function_words" not in out  # its own parameters, not [common]'s
    assert main(["explain", "MT301"]) == 0 and "mtqa/data/lexicons" in capsys.readouterr().out
    assert main(["explain", "MT010"]) == 0 and "data: mtqa/data/length_ratio.json" in capsys.readouterr().out
    assert score(tmp_path, str(SEED), "--select", "false-friend", "-f", "json") == 1
    assert set(json.loads(capsys.readouterr().out)["findings"]["by_rule"]) == {"MT301"}
    assert score(tmp_path, str(SEED), "--write-baseline", str(tmp_path / "b.json")) == 0


def test_unknown_model_is_one_line_without_network(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("transformers")
    import huggingface_hub

    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("mtqa tried to download a model")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", no_network)
    monkeypatch.setenv("MTQA_CACHE", str(tmp_path / "cache"))
    code = main(["score", str(SEED), "--model", "nonexistent-model-xyz", "--no-write", "--no-progress"])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1 and "nonexistent-model-xyz" in err


def test_worst_lines_carry_codes_and_an_ellipsis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long = "The the talks " + "went on and on in the old hall of the city " * 4 + "until late."
    (tmp_path / "a.txt").write_text(long + "\n")
    score(tmp_path, str(tmp_path / "a.txt"))
    worst = [line for line in capsys.readouterr().out.splitlines() if line.lstrip().startswith("worst:")]
    assert worst and "(MT701;" in worst[0] and worst[0].endswith("…")
    assert len(worst[0].split(") ", 1)[1]) == 90  # the sentence, cut at 89 characters and an ellipsis


def test_an_empty_source_is_a_finding_and_lines_input_points_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hyp, src = tmp_path / "hyp.txt", tmp_path / "src.txt"
    hyp.write_text("The price rose by 2 percent.\nThe the talks ended on Monday.\n")
    src.write_text("Der Preis stieg um 2 Prozent.\n\n")
    score(tmp_path, str(hyp), "--input-format", "lines", "-s", str(src), "-f", "text")
    out = capsys.readouterr().out
    assert f"{hyp}:2:1: MT012 [minor]" in out and f"{hyp}:2:1: MT701 [minor]" in out  # line 2 of the file, not 1
    assert f"{hyp}:1:" not in out
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"id": "blank", "text": "The talks ended.", "source": " "}) + "\n"
                     + json.dumps({"id": "none", "text": "The talks ended."}) + "\n")
    score(tmp_path, str(jsonl))
    found = pd.read_csv(tmp_path / "out" / "findings.csv")
    assert found[found.code == "MT012"].article_id.tolist() == ["blank"]
