"""MT015: segments out of step with their sources, read across neighbouring segments at ingest."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from mtqa.ingest import out_of_step
from mtqa.ingest.out_of_step import mark_out_of_step
from mtqa.types import OUT_OF_STEP, Article

PAIRS = [
    ("Der Preis stieg im Mai um 2 Prozent.", "The price rose by 2 percent in May."),
    ("Die Börse schloss am Freitag deutlich früher als sonst, weil die Technik ausfiel.",
     "The stock exchange closed much earlier than usual on Friday because the technology failed."),
    ("Analysten erwarten 2024 eine Rezession.", "Analysts expect a recession in 2024."),
    ("Das Unternehmen bestätigte die Zahlen am Montag in einer kurzen Mitteilung an seine Aktionäre und an die Presse.",
     "The company confirmed the figures on Monday in a short statement to its shareholders and to the press."),
    ("Es gab 300 Entlassungen.", "There were 300 layoffs."),
    ("Die Aktie fiel daraufhin um 5 Prozent und erholte sich erst gegen Abend wieder ein wenig.",
     "The share then fell by 5 percent and only recovered a little towards the evening."),
    ("Der Chef trat zurück.", "The boss resigned."),
    ("Ein Nachfolger soll nach Angaben des Aufsichtsrats bis Ende Juni gefunden werden, sagte ein Sprecher in Berlin.",
     "According to the supervisory board, a successor is to be found by the end of June, a spokesman said in Berlin."),
    ("Der Umsatz lag bei 12 Milliarden Euro.", "Turnover was 12 billion euros."),
    ("Im Vorjahr waren es noch 14 Milliarden Euro gewesen, vor allem wegen des starken Geschäfts in Asien und Amerika.",
     "In the previous year it had still been 14 billion euros, mainly because of strong business in Asia and America."),
    ("Die Gewerkschaft protestierte.", "The union protested."),
    ("Sie kündigte für den 15. Juli einen Streik in allen 40 Werken des Konzerns an, falls es keine Einigung gebe.",
     "It announced a strike in all 40 plants of the group for 15 July if there was no agreement."),
    ("Die Regierung schwieg.", "The government was silent."),
    ("Ein Sprecher des Wirtschaftsministeriums sagte lediglich, man beobachte die Lage sehr genau und sei mit allen im Gespräch.",
     "A spokesman for the economics ministry merely said that they were watching the situation very closely and talking to everyone."),
    ("Die Zeitung berichtete von 7 Treffen.", "The newspaper reported 7 meetings."),
    ("Ein Ergebnis wird frühestens im Herbst erwartet, wenn der neue Vorstand seine Strategie vorgestellt hat.",
     "A result is expected in the autumn at the earliest, when the new board has presented its strategy."),
]


def articles(pairs: list[tuple[str, str]], path: str = "f") -> list[Article]:
    return [Article(id=f"{path}:{i}", text=t, path=path, source=s, source_lang="de") for i, (s, t) in enumerate(pairs)]


def moved(pairs: list[tuple[str, str]], lo: int, hi: int, step: int) -> list[tuple[str, str]]:
    """Translations ``lo`` to ``hi`` each taken from the segment ``step`` away (as a lost line leaves them)."""
    return [(s, pairs[i + step][1] if lo <= i < hi else t) for i, (s, t) in enumerate(pairs)]


def marked(arts: list[Article]) -> dict[int, int]:
    return {i: a.extra[OUT_OF_STEP] for i, a in enumerate(mark_out_of_step(arts)) if OUT_OF_STEP in a.extra}


def test_a_run_out_of_step_is_marked_and_its_direction_named() -> None:
    assert marked(articles(PAIRS)) == {}
    ahead = marked(articles(moved(PAIRS, 3, 13, 1)))
    assert set(ahead.values()) == {1} and len(set(ahead) & set(range(3, 13))) >= 8, ahead
    behind = marked(articles(moved(PAIRS, 3, 13, -1)))
    # (where lengths alternate long and short, as here, both neighbours can fit a moved translation; the closer fit decides)
    assert sum(behind.get(i) == -1 for i in range(3, 13)) >= 8 and set(behind) <= set(range(2, 14)), behind


def test_marks_keep_to_one_file_and_pass_every_article_in_order() -> None:
    """A file's run is not compared with the next file's; articles without a source pass through."""
    first, second = articles(moved(PAIRS, 3, 13, 1), "a"), articles(PAIRS, "b")
    plain = Article(id="plain", text="No source here.", path="b")
    out = list(mark_out_of_step([*first, plain, *second]))
    assert [a.id for a in out] == [a.id for a in [*first, plain, *second]]
    assert any(OUT_OF_STEP in a.extra for a in first) and not any(OUT_OF_STEP in a.extra for a in [plain, *second])


def test_blocks_give_the_marks_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long file is decided a block at a time; the marks are those of reading it whole."""
    pairs = PAIRS * 2 + moved(PAIRS, 2, 14, 1) + PAIRS + moved(PAIRS, 1, 12, -1) + PAIRS
    whole = marked(articles(pairs))
    monkeypatch.setattr(out_of_step, "BLOCK", 5)
    assert marked(articles(pairs)) == whole and whole


def test_cli_reports_mt015_on_parallel_files(tmp_path: Path) -> None:
    src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
    src.write_text("\n".join(s for s, _ in PAIRS) + "\n")
    tgt.write_text("\n".join(t for _, t in moved(PAIRS, 3, 13, 1)) + "\n")
    done = subprocess.run([sys.executable, "-m", "mtqa", "score", "-s", str(src), str(tgt), "--no-fluency", "--select", "MT015",
                           "--no-write"], capture_output=True, text=True, cwd=tmp_path)
    lines = [int(m.group(1)) for m in re.finditer(rf"^{re.escape(str(tgt))}:(\d+):1: MT015 \[major\] .*next source", done.stdout, re.M)]
    assert set(lines) == set(range(4, 14)), done.stdout[:2000] + done.stderr  # (the file's lines 4-13: segments 3-12)
    assert "fits the next source segment (line 5, not 4)" in done.stdout  # the line it fits, named
    assert done.returncode == 1  # the gate fails on a major finding
