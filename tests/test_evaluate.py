"""The evaluation harness on a small MQM extract: metrics checked against hand-computed values."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mtqa.cli import main
from mtqa.config import Settings
from mtqa.eval.common import is_human
from mtqa.eval.goals import check
from mtqa.eval.mqm import evaluate_mqm, mqm_frame, read_mqm
from mtqa.eval.stats import correlations, flag_rates


def write_mqm(path: Path) -> Path:
    rows = []
    for seg in (1, 2, 3):
        for system, text, score, errors in (
            ("Human-A.0", f"The talks ended well on day {seg}.", 0.0, []),
            ("SysGood", f"The talks ended on day {seg}.", -1.0, []),
            ("SysBad", f"The talks the the ended on day {seg}. [19659007]", -10.0,
             [["r1", "Major", "Fluency/Grammar", "target", 10, 17, "the the"]]),
        ):
            rows.append({"system": system, "doc": "d", "seg_id": seg, "source": "x", "target": text, "target_status": "unanimous",
                         "n_raters": 1, "mqm_score": score, "mqm_fluency_score": score, "n_errors": len(errors),
                         "errors": json.dumps(errors)})
    cols = list(rows[0])
    path.write_text("\n".join(["\t".join(cols)] + ["\t".join(str(r[c]) for c in cols) for r in rows]) + "\n")
    return path


def test_read_mqm_and_sampling(tmp_path: Path) -> None:
    path = write_mqm(tmp_path / "m.tsv")
    assert len(read_mqm(str(path), None, 0)) == 9
    sample = read_mqm(str(path), 2, 0)
    assert len({r.seg_id for r in sample}) == 2 and len(sample) == 6
    assert read_mqm(str(path), 2, 0) == sample  # seeded


def test_harness_end_to_end(tmp_path: Path) -> None:
    result = evaluate_mqm(read_mqm(str(write_mqm(tmp_path / "m.tsv")), None, 0), Settings(fluency=False))
    spans = result["spans"]["all"]
    assert spans["findings"] >= 3 and spans["recall"] == 1.0  # every "the the" error span is found
    assert result["recall_per_category"] == {"Fluency/Grammar": {"spans": 3, "found": 3, "recall": 1.0}}
    fr = result["flag_rates"]
    assert fr["human_flag_rate"] == 0.0 and fr["mt_flag_rate_max"] == 1.0
    c = result["correlations"]["quality~mqm"]
    assert c["kendall_flat"] > 0.5 and c["system_pearson"] > 0.9
    # the fixture's MQM is all fluency: the rest of it is zero, so nothing correlates with it
    assert result["correlations"]["quality~mqm_non_fluency"]["system_pearson"] is None
    means = result["system_means"]
    assert list(means) == ["Human-A.0", "SysGood", "SysBad"]  # best MQM first
    assert means["SysBad"]["mqm"] == -10.0 and means["SysBad"]["mqm_non_fluency"] == 0.0
    assert means["SysBad"]["quality"] < means["SysGood"]["quality"]


def test_correlations_match_hand_computed_values() -> None:
    frame = pd.DataFrame({"system": ["a", "b", "c", "a", "b", "c"], "seg_id": [1, 1, 1, 2, 2, 2],
                          "mqm": [1.0, 2.0, 3.0, 3.0, 2.0, 1.0], "mqm_fluency": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0],
                          "quality": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]})
    c = correlations(frame)["quality~mqm"]
    # segment 1: perfect agreement (tau 1), segment 2: perfect disagreement (tau -1) -> grouped mean 0
    assert c["kendall_grouped"] == 0.0
    assert c["system_pearson"] is None or abs(c["system_pearson"]) < 1e-9  # system means are all 2.0 vs 2.0/2.0/2.0
    assert correlations(frame)["quality~mqm_fluency"]["kendall_flat"] == 1.0


def test_flag_rates_split_human_and_mt() -> None:
    frame = pd.DataFrame({"system": ["ref-A", "ref-A", "X", "X"], "flagged": [False, True, True, True],
                          "flagged_major": [False, False, True, False]})
    fr = flag_rates(frame)
    assert fr["human_flag_rate"] == 0.5 and fr["mt_flag_rate_max"] == 1.0 and fr["mt_major_flag_rate_max"] == 0.5


def test_cli_eval_and_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_mqm(tmp_path / "m.tsv")
    assert main(["eval", "mqm", str(path), "--no-fluency", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["segments"] == 3
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\n1\t2\n")
    assert main(["eval", "mqm", str(bad), "--no-fluency"]) == 2
    assert main(["eval", "mqm", str(bad), "--no-fluency", "--debug"]) == 2  # every command takes --debug
    assert "Traceback" in capsys.readouterr().err


def test_demetr_per_perturbation(tmp_path: Path) -> None:
    import gzip

    from mtqa.eval.demetr import evaluate_demetr

    (tmp_path / "demetr_base.tsv").write_text("id\tlang_tag\tdata_source\tsrc_sent\teng_sent\tmt_sent\n"
                                              "1\tx\tx\tx\tThe cat sat.\tThe cat sat on the mat.\n"
                                              "2\tx\tx\tx\tA dog ran.\tA dog ran in the park.\n")
    with gzip.open(tmp_path / "demetr_perturbations.tsv.gz", "wt") as fh:
        fh.write("id\tpert_name\tseverity\tpert_check\tpert_sent\n"
                 "1\tminor_repeat\tminor\tTrue\tThe cat sat on the the mat.\n"
                 "2\tminor_repeat\tminor\tTrue\tA dog ran in the park.\n"
                 "1\tcritical_codemix\tcritical\tFalse\tLe chat est assis sur le tapis rouge.\n")
    result = evaluate_demetr(str(tmp_path / "demetr_base.tsv"), str(tmp_path / "demetr_perturbations.tsv.gz"),
                             Settings(fluency=False), None, 0)
    assert result["unperturbed_flag_rate"] == 0.0
    assert list(result["per_perturbation"]) == ["minor_repeat"]  # pert_check=False rows are left out
    row = result["per_perturbation"]["minor_repeat"]
    assert (row["n"], row["flagged"], row["worse_quality"]) == (2, 0.5, 0.5)


def test_auroc_counts_ordered_pairs_and_half_the_ties() -> None:
    from mtqa.eval.demetr import auroc

    assert auroc([3.0, 2.0], [1.0, 0.0]) == 1.0
    assert auroc([1.0, 0.0], [3.0, 2.0]) == 0.0
    assert auroc([1.0, 2.0], [1.0, float("nan")]) == 0.75  # (2 > 1) and a tie; NaN left out
    assert auroc([None], [1.0]) is None


def test_mlqepe_correlation_and_word_tags(tmp_path: Path) -> None:
    from mtqa.eval.mlqepe import evaluate_mlqepe, flag_tokens

    rows = [("The talks ended well .", 1.0, "OK OK OK OK OK"), ("The the talks ended .", -1.0, "BAD OK OK OK OK"),
            ("It rained on Monday .", 0.5, "OK OK OK OK OK"), ("The the rain fell .", -0.5, "BAD OK OK OK OK")]
    path = tmp_path / "m.tsv"
    path.write_text("mt\tz_mean\tmt_tok\tmt_word_tags\n" + "".join(f"{m.replace(' .', '.')}\t{z}\t{m}\t{t}\n" for m, z, t in rows))
    result = evaluate_mlqepe(str(path), Settings(fluency=False), None, 0)
    assert result["correlations"]["quality"]["pearson"] > 0.8
    # the doubled-word finding covers both "The the": tp=2, fp=2, fn=0, tn=16 -> MCC = 32 / sqrt(4*2*18*16) = 2/3
    words = result["words"]
    assert (words["precision"], words["recall"], words["mcc"]) == (0.5, 1.0, 0.6667)

    class F:
        start, end = 4, 7

    assert flag_tokens("The the talks.", ["The", "the", "talks", "."], [F()]) == [False, True, False, False]


EXTRACTS = Path(__file__).resolve().parent / "fixtures" / "eval"


def test_correlations_agree_with_scipy_on_random_data() -> None:
    import numpy as np
    from scipy.stats import kendalltau, pearsonr, spearmanr

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"system": [f"s{i % 6}" for i in range(120)], "seg_id": [i // 6 for i in range(120)],
                          "mqm": rng.normal(size=120), "quality": rng.normal(size=120)})
    frame["mqm_fluency"] = frame.mqm + rng.normal(size=120)
    c = correlations(frame)["quality~mqm"]
    grouped = np.mean([kendalltau(g.quality, g.mqm).statistic for _, g in frame.groupby("seg_id")])
    means = frame.groupby("system")[["quality", "mqm"]].mean()
    assert c["kendall_grouped"] == pytest.approx(grouped, abs=1e-4)
    assert c["kendall_flat"] == pytest.approx(kendalltau(frame.quality, frame.mqm).statistic, abs=1e-4)
    assert c["pearson"] == pytest.approx(pearsonr(frame.quality, frame.mqm).statistic, abs=1e-4)
    assert c["system_pearson"] == pytest.approx(pearsonr(means.quality, means.mqm).statistic, abs=1e-4)
    assert c["system_spearman"] == pytest.approx(spearmanr(means.quality, means.mqm).statistic, abs=1e-4)


def test_mqm_extract_rules_only() -> None:
    from scipy.stats import kendalltau

    rows = read_mqm(str(EXTRACTS / "mqm_zhen_newstest2021.extract.tsv"), None, 0)
    result = evaluate_mqm(rows, Settings(fluency=False))
    assert (result["rows"], result["segments"], result["systems"]) == (210, 14, 15)
    frame = mqm_frame(rows, Settings(fluency=False))
    c = result["correlations"]["neg_length~mqm"]
    assert c["kendall_flat"] == pytest.approx(kendalltau(frame.neg_length, frame.mqm).statistic, abs=1e-4)
    assert sum(v["findings"] for v in result["spans_per_rule"].values()) == result["spans"]["all"]["findings"]
    for v in result["spans_per_rule"].values():
        assert v["precision"] is None or 0.0 <= v["precision"] <= 1.0
    fr = result["flag_rates"]
    assert set(fr["per_system"]) == set(frame.system) and 0.0 <= fr["mt_flag_rate_mean"] <= fr["mt_flag_rate_max"] <= 1.0
    assert {"x_words", "x_major", "est_mqm"} <= set(frame.columns)


def test_mlqepe_and_demetr_extracts_rules_only() -> None:
    from mtqa.eval.demetr import evaluate_demetr
    from mtqa.eval.mlqepe import evaluate_mlqepe

    ml = evaluate_mlqepe(str(EXTRACTS / "mlqepe_ro-en.dev-test.extract.tsv"), Settings(fluency=False), None, 0)
    assert ml["rows"] == 150 and -1.0 <= ml["correlations"]["quality"]["spearman"] <= 1.0
    de = evaluate_demetr(str(EXTRACTS / "demetr_base.tsv"), str(EXTRACTS / "demetr_perturbations.tsv.gz"),
                         Settings(fluency=False), None, 0)
    per = de["per_perturbation"]
    assert de["ids"] == 12 and len(per) >= 20
    # a repeated word is what the repetition rules exist for; the unperturbed MT is mostly clean
    repeats = [v["flagged"] for k, v in per.items() if "repeat" in k]
    assert repeats and max(repeats) > de["unperturbed_flag_rate"]
    # the headline tells degenerate output from clean better than chance; SLOR needs the LM
    assert de["degenerate_auroc"]["quality"] > 0.5 and de["degenerate_auroc"]["slor"] is None
    assert de["degenerate_auroc_per_kind"]["base_id33_empty"] > 0.9
    # the name perturbations counted again on the Latin-script sources only (de, pl, cs, es, it here)
    names = evaluate_demetr(str(EXTRACTS / "demetr_base.tsv"), str(EXTRACTS / "demetr_perturbations.tsv.gz"),
                            Settings(fluency=False, crosslingual=False), None, 0, with_source=True)["names_latin_script"]
    assert names["critical_id25_ne_removed"]["n"] < per["critical_id25_ne_removed"]["n"]
    assert names["references_flagged"] is not None


def test_cli_eval_tables_for_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "mlqepe", str(EXTRACTS / "mlqepe_ro-en.dev-test.extract.tsv"), "--no-fluency"]) == 0
    assert "score ~ z_mean" in capsys.readouterr().out
    assert main(["eval", "demetr", str(EXTRACTS), "--no-fluency"]) == 0
    out = capsys.readouterr().out
    assert "minor_id2_repeat4" in out and "unperturbed MT flagged" in out
    assert main(["eval", "mqm", str(EXTRACTS / "mqm_zhen_newstest2021.extract.tsv"), "--no-fluency"]) == 0
    out = capsys.readouterr().out
    assert "est_mqm~mqm" in out and "quality~mqm_non_fluency" in out and "systems, best MQM first" in out


def goals_frame() -> pd.DataFrame:
    """4 segments x (2 MT systems + 1 human); est_mqm ranks within segments better than the plain LM."""
    rows = []
    for seg in range(4):
        for system, mqm, est, lm, flagged, major, hits in (
            ("ref-A", 0.0, -1.0, -2.0, seg == 0, 0, 0),
            ("good", -1.0, -2.0, -1.0, seg < 2, 1, 1),
            ("bad", -5.0, -6.0, -3.0, True, 1, seg % 2),
        ):
            quality = 90.0 if (system, seg) == ("good", 0) else 100 + est  # the headline errs on one segment
            rows.append({"system": system, "seg_id": seg, "mqm": mqm, "est_mqm": est, "quality": quality,
                         "lm_mean_logprob": lm, "flagged": flagged, "major_findings": major, "major_hits": hits})
    return pd.DataFrame(rows)


def test_goals_match_hand_computed_values() -> None:
    g = check(goals_frame(), is_human)
    # est_mqm orders every segment like MQM (tau 1); the LM (ref, good, bad = -2, -1, -3) gets 2 of 3 pairs
    # right (tau 1/3) -> ratio 3
    assert g["grouped_kendall_ratio"]["value"] == 3.0 and g["grouped_kendall_ratio"]["met"] is True
    assert g["system_pearson"]["value"] == 1.0 and g["system_pearson"]["ci95"] == [1.0, 1.0]
    assert g["major_precision"]["value"] == 6 / 8 and g["major_precision"]["met"] is True  # 4 of 4 + 2 of 4
    assert g["human_flag_ratio"]["value"] == 0.25 and g["human_flag_ratio"]["met"] is True  # 1/4 against 4/4
    lo, hi = g["major_precision"]["ci95"]
    assert 0.5 <= lo <= 0.75 <= hi <= 1.0
    assert check(goals_frame(), is_human) == g  # seeded bootstrap: the same interval every run
    # the headline's goals (issue 11) on the quality column: it ranks three segments like MQM (tau 1) and one
    # with one pair of three wrong (tau 1/3): mean 5/6 over the LM's 1/3 -> ratio 2.5; system means 96, 94, 99
    # against MQM -1, -5, 0
    assert g["headline_grouped_kendall_ratio"]["value"] == 2.5 and g["headline_grouped_kendall_ratio"]["at_least"] == 1.0
    expected = np.corrcoef([96.0, 94.0, 99.0], [-1.0, -5.0, 0.0])[0, 1]
    assert g["headline_system_pearson"]["value"] == pytest.approx(expected, abs=1e-4) and g["headline_system_pearson"]["met"] is True
    assert list(check(goals_frame().drop(columns="lm_mean_logprob"), is_human)) == [
        "system_pearson", "headline_system_pearson", "major_precision", "human_flag_ratio"]  # no LM: no Kendall ratio


def test_goals_report_a_miss() -> None:
    frame = goals_frame().assign(flagged=True)  # humans flagged as often as MT
    g = check(frame, is_human)["human_flag_ratio"]
    assert g["value"] == 1.0 and g["met"] is False and g["at_most"] < 0.34


def test_kendall_ratio_is_undefined_when_the_lm_tau_is_not_positive() -> None:
    frame = goals_frame()
    frame["lm_mean_logprob"] = -frame["mqm"]  # the LM ranks every segment backwards (tau -1)
    g = check(frame, is_human)["grouped_kendall_ratio"]
    assert g["value"] is None and g["met"] is None and g["ci95"] is None


ARTIFACTS = """# What to find

## Must be flagged

| line | text | what it is |
|---|---|---|
| 3 | `[19659007]` | scraper placeholder |
| 5 | `the the` | doubled word |
| 7 | `sincerely speaking` | calque nobody has a rule for |

## Should be flagged (weaker)

| line | text | what it is |
|---|---|---|
| 9 | `Source link` | footer |

## Must not be flagged
Sentences such as "The minister met the press on
Monday morning." are fine.
"""
ARTICLE = ("A title\n\nThe council met on Tuesday. [19659007]\n\nIt approved the the budget.\n\n"
           "It was, sincerely speaking, a long day.\n\nSource link\n\nThe minister met the press on Monday morning.\n")


def test_seed_eval_found_missed_and_false_flags(tmp_path: Path) -> None:
    from mtqa.eval.seed import evaluate_seed, render_seed

    (tmp_path / "ARTIFACTS.md").write_text(ARTIFACTS)
    (tmp_path / "article.txt").write_text(ARTICLE)
    result = evaluate_seed(str(tmp_path), Settings(fluency=False))
    found = {r["text"]: (r["found"], r["codes"]) for r in result["rows"]}
    assert found["[19659007]"] == (True, ["MT101"]) and found["the the"] == (True, ["MT701"])
    assert found["sincerely speaking"] == (False, [])
    assert found["Source link"][0] is True
    assert result["summary"] == {"must": {"rows": 3, "found": 2}, "should": {"rows": 1, "found": 1}}
    assert result["fine_sentences"] == 1 and result["false_flags"] == []
    assert "must 2/3 found" in render_seed(result)
    # a finding inside a must-not-be-flagged sentence is a false flag
    (tmp_path / "ARTIFACTS.md").write_text(ARTIFACTS.replace('"The minister met the press on\nMonday morning."', '"It approved the the budget."'))
    assert [f["code"] for f in evaluate_seed(str(tmp_path), Settings(fluency=False))["false_flags"]] == ["MT701"]


def test_seed_eval_on_the_shared_seed(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import SHARED_SEED

    if not SHARED_SEED.exists():
        pytest.skip("../shared/seed is not beside this checkout")
    assert main(["eval", "seed", str(SHARED_SEED.parent), "--no-fluency", "-f", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["summary"]["must"]["found"] == result["summary"]["must"]["rows"] == 11
    assert result["false_flags"] == []


def test_seed_eval_needs_a_seed_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "seed", str(tmp_path)]) == 2
    assert "not a seed folder" in capsys.readouterr().err


MQM_HEADER = "system\tdoc\tseg_id\tsource\ttarget\tmqm_score\tmqm_fluency_score\terrors\n"


@pytest.mark.parametrize(("kind", "content", "message"), [
    ("mqm", MQM_HEADER + "A\td\t1\tx\tHello there.\t0\t0\t[]\nB\td\t1\tx\tHi.\t0\t0\t[oops\n", "m.tsv:3: malformed MQM row"),
    ("mqm", MQM_HEADER + "A\td\t1\tx\tHello there.\tbad\t0\t[]\n", "m.tsv:2: malformed MQM row"),
    ("mlqepe", "mt\tz_mean\tmt_tok\tmt_word_tags\nHello .\t0.5\tHello .\tOK OK\nBye\tn/a\tBye\tOK\n", "m.tsv:3: z_mean is not a number"),
])
def test_eval_bad_rows_name_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, content: str, message: str) -> None:
    path = tmp_path / "m.tsv"
    path.write_text(content)
    assert main(["eval", kind, str(path), "--no-fluency"]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_mqm_with_source_reads_each_system_as_its_file() -> None:
    """With the source, each system's segments are read in order as ``-s`` reads a file: a run out
    of step is marked for MT015 (the rows may come in any order); the other system is not."""
    from mtqa.eval.mqm import MqmRow, _read_as_files
    from mtqa.types import OUT_OF_STEP
    from tests.test_out_of_step import PAIRS, moved

    shifted, clean = moved(PAIRS, 3, 13, 1), PAIRS
    rows = [MqmRow(system, i, target, 0.0, 0.0, [], source)
            for i in reversed(range(len(PAIRS))) for system, pairs in (("A", shifted), ("B", clean))
            for source, target in [(PAIRS[i][0], pairs[i][1])]]
    marked = {(r.system, r.seg_id) for r, extra in zip(rows, _read_as_files(rows, "de")) if extra.get(OUT_OF_STEP) == 1}
    assert {("A", i) for i in range(3, 13)} == marked
