"""A tiny random-weight causal LM with a word-level tokenizer, for tests and benchmark smoke runs."""

from __future__ import annotations

from pathlib import Path

#: the tiny model's vocabulary comes from these sentences
TINY_CORPUS = [
    "the president met the minister in paris on monday .",
    "the minister said the talks were useful .",
    "russia had interfered in the elections , officials said .",
    "the talks will resume next week in paris .",
]


def save_tiny_model(folder: Path) -> Path:
    """A 1-layer GPT-2 (seeded random weights) saved as safetensors with its tokenizer in ``folder``."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    vocab = {"<s>": 0, "<pad>": 1, "<unk>": 2}
    for sentence in TINY_CORPUS:
        for w in sentence.split():
            vocab.setdefault(w, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    hf_tok = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="<s>", pad_token="<pad>", unk_token="<unk>")
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(vocab), n_positions=64, n_embd=32, n_layer=1, n_head=2))
    model.save_pretrained(folder, safe_serialization=True)
    hf_tok.save_pretrained(folder)
    return folder
