"""Sentence alignment with the source (Gale-Church anchored on numbers)."""

from __future__ import annotations

import pytest

from mtqa.detect.align import Bead, alignment_of, gale_church, split_source
from mtqa.segment import segment
from mtqa.types import Article


def test_split_source_in_several_scripts() -> None:
    text = "Der Preis stieg um 1,5 Prozent. Dr. Müller sagte es, z.B. im Mai.\n\nNeuer Absatz! und klein.\n北京发布了消息。另一个句子！最后"
    got = [(s.paragraph, text[s.start:s.end]) for s in split_source(text)]
    assert got == [(0, "Der Preis stieg um 1,5 Prozent."), (0, "Dr. Müller sagte es, z.B. im Mai."),
                   (1, "Neuer Absatz! und klein."), (1, "北京发布了消息。"), (1, "另一个句子！"), (1, "最后")]


def test_gale_church_finds_merges_and_omissions() -> None:
    # source lengths 30, 60 (translated by two sentences), 50 (dropped), 20
    beads = gale_church([30, 60, 50, 20], [31, 28, 33, 21], 1.0, 2.0)
    assert beads == [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2,), ()), Bead((3,), (3,))]


def test_a_long_article_is_aligned_within_its_band() -> None:
    # 400 x 399 units are past FULL_DP_CELLS: the band keeps the diagonal and still finds the
    # dropped sentence in the middle
    lengths = [40 + (7 * i) % 53 for i in range(400)]
    beads = gale_church(lengths, lengths[:200] + lengths[201:], 1.0, 2.0)
    assert len(beads) == 400 and beads[200] == Bead((200,), ())
    assert all(b.source == b.target == (i,) for i, b in enumerate(beads[:200]))


def test_numbers_anchor_the_alignment() -> None:
    # equal lengths: only the numbers say which source sentence has no translation
    lengths = [30, 30, 30]
    numbers = [frozenset({"#1"}), frozenset({"#2"}), frozenset({"#3"})]
    first = gale_church(lengths, lengths[:2], 1.0, 2.0, numbers, [frozenset({"#2"}), frozenset({"#3"})])
    last = gale_church(lengths, lengths[:2], 1.0, 2.0, numbers, [frozenset({"#1"}), frozenset({"#2"})])
    assert first[0] == Bead((0,), ()) and last[-1] == Bead((2,), ())


@pytest.mark.parametrize("lang", ["zh", None])
def test_alignment_of_an_article_and_the_source_column(lang: str | None) -> None:
    source = "中国经济增长了5%。出口在今年前十个月增加了很多，进口也有所上升，贸易顺差创下历史新高。政府表示将继续支持企业发展和创新。"
    target = "China's economy grew by 5%. The government said it would continue to support business development and innovation."
    doc = segment(Article(id="a", text=target, path="a", source=source, source_lang=lang))
    alignment = alignment_of(doc)
    assert alignment is not None and alignment is alignment_of(doc)  # computed once
    assert [b for b in alignment.beads if not b.target] == [Bead((1,), ())]  # the exports sentence is omitted
    assert alignment.source_of_target(2) == ["中国经济增长了5%。", "政府表示将继续支持企业发展和创新。"]
    assert [f.code for f in __import__("mtqa").check(target, source=source, source_lang=lang, select=["MT007"])] == ["MT007"]
