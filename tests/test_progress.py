"""Progress on every long step: model preparation, scoring by sentence batch, assembly, eval."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytest.importorskip("torch")

from mtqa.app import RunOptions  # noqa: E402
from mtqa.app import score as run  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.progress import Bar, Progress  # noqa: E402
from mtqa.scoring import fluency as fl  # noqa: E402
from mtqa.scoring import lm as lm_mod  # noqa: E402
from tests.conftest import TINY_CORPUS  # noqa: E402


def test_bar_within_a_group_then_the_rest() -> None:
    stream = io.StringIO()
    bar = Progress(True, stream).bar("x", 10, " articles")
    bar.within(2.5)
    bar.within(5.0)
    bar.update(10)  # the group of 10 ends: only the 5 not yet shown are added
    assert bar._bar.n == pytest.approx(10.0)
    bar.close()


def test_fluency_reports_each_model_batch(tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTQA_CACHE", str(tmp_path / "cache"))
    scorer = fl.FluencyScorer(lm_mod.load_model(str(tiny_model_dir), device="cpu"), batch_size=2)
    shares: list[float] = []
    texts = [*TINY_CORPUS, "paris ."]
    scorer.score(texts, shares.append)
    assert len(shares) == 3 and shares == sorted(shares) and shares[-1] == pytest.approx(1.0)  # 5 texts, 2 a batch
    shares.clear()
    scorer.score(texts, shares.append)  # all cached: no model batch
    assert shares == []


def test_score_shows_model_preparation_batches_and_assembly(tiny_model_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MTQA_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(f'{{"id": "{i}", "text": "{t.capitalize()}. {t.capitalize()} again."}}\n'
                              for i, t in enumerate(TINY_CORPUS[:4])))
    seen: list[float] = []
    real = Bar.within
    monkeypatch.setattr(Bar, "within", lambda self, done: (seen.append(done), real(self, done)))
    settings = Settings(model=str(tiny_model_dir), device="cpu", batch_size=2, out=str(tmp_path / "o"))
    run([str(corpus)], settings, RunOptions(progress=True))
    err = capsys.readouterr().err
    assert "mtqa: preparing model" in err and "done in" in err
    assert "mtqa: scoring" in err and "4/4" in err and "mtqa: assembling" in err
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] <= 4  # inside the one chunk of 4 articles, by batch


def test_eval_shows_a_bar_over_its_texts() -> None:
    from mtqa.eval.mlqepe import evaluate_mlqepe
    from tests.conftest import FIXTURES

    stream = io.StringIO()
    result = evaluate_mlqepe(str(FIXTURES / "eval" / "mlqepe_ro-en.dev-test.extract.tsv"), Settings(fluency=False), 20, 0,
                             Progress(True, stream))
    assert result["rows"] == 20 and "mtqa eval: scoring" in stream.getvalue() and "20/20" in stream.getvalue()
