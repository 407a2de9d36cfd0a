"""Every rule: a true positive (with the exact span) and a clean negative."""

from __future__ import annotations

import pytest

from mtqa.detect import all_rules, get_rule
from mtqa.types import Severity
from tests.conftest import run_rules

# code, text that must be flagged, the flagged span, clean text that must not be flagged
CASES = [
    ("MT101", "It was a historic deal. [19659007] Russia denies it.", "[19659007]", "It was deal number [12] in the list."),
    ("MT101", "Written by {{ author_name }} for the site.", "{{ author_name }}", "The set {1, 2} is small."),
    # the placeholder needs no word character before it
    ("MT101", "See __AUTHOR_NAME__ below.", "__AUTHOR_NAME__", "The file x__AUTHOR_NAME__ is old."),
    ("MT102", "The talks ended.\n\nSource link", "Source link", "The source of the leak is unknown.\n\nRead more about it in our report on Monday."),
    ("MT102", "The talks ended.\n\nRead more", "Read more", "The talks ended.\n\nMore talks are planned."),
    ("MT103", "Text.\n\n  US President Donald Trump and Russian President Vladimir Putin shake hands in Helsinki, Finland, July 16, 2018\n\nMore text.",
     "US President Donald Trump and Russian President Vladimir Putin shake hands in Helsinki, Finland, July 16, 2018",
     "The leaders met in Helsinki on July 16, 2018.\n\nThey shook hands."),
    # a quoted paragraph ends with its closing quote: the full stop inside counts
    ("MT103", "Text.\n\nXinhua News Agency (Photo by Mo Jingna)\n\nMore text.", "Xinhua News Agency (Photo by Mo Jingna)",
     "Text.\n\n\"The work ran until 4:30 am. I forgot to take a photo with it, which is a pity.\"\n\nMore text."),
    ("MT104", "Text here.\n\n  • What were the spinoffs of Helsinki?\n\nMore.", "• What were the spinoffs of Helsinki?", "He asked: what were the results? Nobody knew."),
    ("MT104", "Text.\n\nRead also: Five things to know about the summit\n\nMore.", "Read also: Five things to know about the summit", "Read the report: it is long."),
    ("MT105", "Prices rose &amp; fell.<br>", "&amp;", "Prices rose and fell by 5 < 6 units."),
    ("MT106", "More information athttps://example.org/page today.", "https://example.org/page", "More information at https://example.org/page today."),
    ("MT201", "The deal was signed.\n\nmillion. Bolton went to Moscow.", "million.", "The deal was signed.\n\nIt cost a million. Bolton went to Moscow."),
    ("MT202", "The talks failed.\n\n. They should meet in Paris next month.", ".", "The talks failed... They should meet in Paris next month."),
    ("MT203", "Intro.\n\nmet several times on the sidelines of international meetings but held one summit.", "met",
     "Intro.\n\niPhone sales rose sharply in the third quarter of the year."),
    ("MT204", "Intro.\n\nThey met several times on the sidelines of international meetings. Then they held one summit in Helsinki in July",
     "July", "Intro.\n\nThey met several times. Then they held one summit in Helsinki in July."),
    ("MT205", "Intro.\n\nRussia denies the allegations that it violated the", "the", "Intro.\n\nRussia denies the allegations that it violated the treaty."),
    ("MT301", "Trump questioned claims that Russia had been ingested in the 2016 elections.", "ingested",
     "The dog had ingested in the afternoon a large amount of poison."),
    ("MT301", "This prompted him to admit that he had been deceived.", "deceived", "He had been deceived by his business partner."),
    ("MT302", "This prompted Mr. Trump to rarely confess that he was wrong.", "rarely confess", "He rarely admits mistakes."),
    ("MT302", "He has lived in Paris since three years.", "since three years", "He has lived in Paris since 2019."),
    ("MT710", "The <unk> minister said so.", "<unk>", "Use a <b>bold</b> tag; x < y and y > z."),
    ("MT710", "The un@@ known man left.", "un@@", "Write to news@example.org today."),
    ("MT711", ". . .", ". . .", "OK."),
    ("MT712", "the region of the east and the region of the east and the region of the east and the region of the east and the region.",
     "the region of the east and the region of the east and the region of the east and the region of the east and the region.",
     "The president met his counterpart in Paris on Monday and they discussed trade, security and the war in the region at length."),
    ("MT401", "Mr. Putin came. Mr. Lavrov came. Mr Trump left.", "Mr", "Mr. Putin came. Mr. Trump left."),
    # an honorific starts a word: "AMr" and "HMS" are not honorifics
    ("MT401", "Mrs. May came. Mrs. Rudd came. Mrs Patel left.", "Mrs", "Mrs. May came. AMr Smith and HMs Patel left."),
    ("MT402", "The colour of the flag. The neighbour's flag. The color of the sky.", "color", "The color of the flag. The color of the sky."),
    ("MT403", '“We will go,” he said. “Now,” she said. "Fine," he said.', '"', '“We will go,” he said. “Now,” she said.'),
    ("MT404", "The budget was 3,5 million euros.", "3,5", "The budget was 3,500 euros, or 3.5 million yen."),
    ("MT404", "Some 10 000 people marched.", "10 000", "Flight 10 landed at 10:00 with 200 people."),
    ("MT404", "It cost 1.234.567 euros.", "1.234.567", "It cost 1,234,567 euros, up 1.5 percent from 1.234."),
    ("MT404", "Some 10\u00a0000 people marched.", "10\u00a0000", "Some 10,000 people marched on 10\u00a0May, 2019 000 people."),
    ("MT501", "The minister spoke. Le président a refusé de commenter la décision du tribunal.",
     "Le président a refusé de commenter la décision du tribunal.", "The minister spoke. The president refused to comment on the decision of the court."),
    ("MT502", "The 赣南 region grew more fruit.", "赣南", "The Gannan region grew more fruit (20 °C, µg, π)."),
    ("MT503", "They need approval from leurs superiors for any decision.", "leurs",
     "They enjoyed the fiesta, a siesta, a sense of déjà vu and the rôle of www.elpais.com/noticias (Die Zeit)."),
    ("MT601", "What were the results ?", " ?", "What were the results? Time: 10:30."),
    ("MT602", "He called it « a historic step ».", "«", "He called it “a historic step”."),
    ("MT603", "The  government said so.", "  ", "The government said so.  Then it left."),
    ("MT604", "The treaty (signed in 1987 was abandoned.", "(", "The treaty (signed in 1987) was abandoned. Options: a) go, b) stay."),
    ("MT605", "The governmentâ€™s plan for the cafÃ© failed.", "â€™", "The government’s plan for the café failed."),
    ("MT606", "The president , who arrived on Monday , left .", " ", "The president, who arrived on Monday, left."),
    ("MT607", "The company said，it would grow。", "，", "The company said, “it would grow”."),
    ("MT701", "He said that the the plan failed.", "the the", "He said that that plan had had no chance."),
    ("MT702", "The talks will resume next week will resume next week.", "will resume next week", "The big data, big data education and more."),
    # a reduplication idiom inside a two-word repeat is English; a repeated "to the" is not
    ("MT702", "He went to the to the market.", "to the", "Sales doubled, and more and more people buy online."),
    ("MT702", "He went to the to the market.", "to the", "They left one by one by the back door."),
    ("MT703", "And the the the the the people said so.", "the the the the the", "It sounds like ding, ding, ding."),
    ("MT704", "The summit will take place in Paris next month. Other text. The summit will take place in Paris next month.",
     "The summit will take place in Paris next month.", "The summit will take place in Paris next month. The summit was planned."),
    ("MT801", "After this meeting The White House declared that it was over.", "The", "He read it in The New York Times and left."),
    ("MT801", "Before the vote, A Senate aide said no.", "A", "It was over. A Senate aide said no."),
]


# source rules: code, translation that must be flagged, the flagged span, its source, source language, a clean translation
SOURCE_CASES = [
    ("MT001", "The price rose by 2.5 percent.", "2.5", "Der Preis stieg um 1,5 Prozent.", "de", "The price rose by 1.5 percent."),
    ("MT001", "It cost 300 yuan in 2020.", "300", "2020年花了3万元。", "zh", "It cost 30,000 yuan in 2020."),
    ("MT001", "Forty-three countries give visas on arrival.", "Forty-three countries give visas on arrival.",
     "泰国、埃及等42个国家和地区给予落地签证。", "zh", "Forty-two countries and regions give visas on arrival."),
    # a number the source writes in words: the translation's English number word is checked against it
    ("MT001", "Four children were found.", "Four", "Trois enfants ont été retrouvés.", "fr", "Three children were found."),
    ("MT001", "Seven workers died.", "Seven", "Погибли двое рабочих.", "ru", "Two workers died."),
    ("MT002", "More at example.", "More at example.", "Mehr unter www.example.de", "de", "More at www.example.de"),
    ("MT003", "Die Regierung tritt heute nach der Wahl zurück.", "Die Regierung tritt heute nach der Wahl zurück.",
     "Die Regierung tritt heute nach der Wahl zurück.", "de", "The government resigns today after the election."),
    ("MT004", "The agency announced the mission.", "The agency announced the mission.", "La NASA a annoncé la mission.",
     "fr", "NASA announced the mission."),
    # a place the source language names differently: its English name must be there
    ("MT004", "So far, 272,000 infections have been registered in the country.",
     "So far, 272,000 infections have been registered in the country.",
     "Bisher wurden in Spanien 272.000 Infektionen registriert.", "de", "So far, 272,000 infections have been registered in Spain."),
    # an inflected place (Hiszpanii) and a name English uses as Polish does (Obama), in a two-sentence article
    ("MT004", "Sanchez met the president.", "Sanchez met the president.",
     "Sanchez przyjechał do Hiszpanii. Spotkał się z prezydentem Obamą.", "pl",
     "Sanchez came to Spain. He met President Obama."),
    ("MT005", "He comes tomorrow.", ".", "Vient-il demain ?", "fr", "Is he coming tomorrow?"),
    ("MT014", "The tournament in Achleiten was won by Rakoczy.", "Rakoczy", "Das Turnier in Achleiten gewann Werth.", "de",
     "The tournament in Achleiten was won by Werth."),
    ("MT014", "The talks took place in Paraguay.", "Paraguay", "Rozmowy odbyły się w Hiszpanii.", "pl",
     "The talks took place in Spain."),
    ("MT007", "The price rose by 1.5 percent. The company confirmed it on Monday.", "The price rose by 1.5 percent.",
     "Der Preis stieg um 1,5 Prozent. Die Börse schloss heute deutlich früher als üblich. Das Unternehmen bestätigte es am Montag.",
     "de", "The price rose by 1.5 percent. The stock exchange closed much earlier than usual today. "
     "The company confirmed it on Monday."),
    ("MT008", "The price rose by 1.5 percent. Analysts expect a deep recession next year, officials said. The company confirmed it.",
     "Analysts expect a deep recession next year, officials said.", "Der Preis stieg um 1,5 Prozent. Das Unternehmen bestätigte es.",
     "de", "The price rose by 1.5 percent. The company confirmed it."),
    ("MT009", "The talks ended.", "The talks ended.", "Die Gespräche endeten. Sie dauerten lange. Niemand war zufrieden. "
     "Ein neuer Termin fehlt.", "de", "The talks ended. They lasted long. Nobody was satisfied. A new date is missing."),
    ("MT010", "The talks ended.", "The talks ended.", "Die Gespräche endeten gestern nach langen Verhandlungen ohne Ergebnis.",
     "de", "The talks ended yesterday after long negotiations without a result."),
    ("MT011", "The ministrul said the talks were useful.", "ministrul", "Ministrul a declarat că discuțiile au fost utile.",
     "ro", "The minister said the talks were useful."),
]


@pytest.mark.parametrize(("code", "positive", "span", "source", "lang", "negative"), SOURCE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(SOURCE_CASES)])
def test_source_rule_true_positive_and_clean_negative(code: str, positive: str, span: str, source: str, lang: str, negative: str) -> None:
    from mtqa.detect import detect, select_rules
    from mtqa.segment import segment
    from mtqa.types import Article

    def run(text: str, src: str | None) -> list:  # type: ignore[type-arg]
        return detect(segment(Article(id="t", text=text, path="t", source=src, source_lang=lang)), select_rules([code]))

    hits = run(positive, source)
    assert span in [h.text for h in hits], f"{code}: {[h.text for h in hits]}"
    assert run(negative, source) == [], f"{code} false alarm on {negative!r}"
    assert run(positive, None) == [], "no source, no source finding"


def test_empty_source_true_positive_and_clean_negatives() -> None:
    from mtqa.detect import detect, select_rules
    from mtqa.segment import segment
    from mtqa.types import Article

    def run(source: str | None) -> list[str]:
        return [f.code for f in detect(segment(Article(id="t", text="The talks ended.", path="t", source=source)),
                                       select_rules(["MT012"]))]

    assert run("  ") == ["MT012"]
    assert run("Die Gespräche endeten.") == [] and run(None) == []


def test_source_language_mismatch_true_positives_and_clean_negatives(monkeypatch: pytest.MonkeyPatch) -> None:
    import mtqa
    import mtqa.langid

    def run(source: str, lang: str) -> list[str]:
        return [f.code for f in mtqa.check("Prices rose by two percent last year.", source=source, source_lang=lang,
                                           select=["MT013"])]

    assert run("Цены выросли на два процента в прошлом году.", "de") == ["MT013"]  # another script
    assert run("Prices rose by two percent last year, officials said.", "de") == ["MT013"]  # English
    assert run("Die Preise stiegen im letzten Jahr um zwei Prozent.", "de") == []
    assert run("Цены выросли на два процента в прошлом году, сообщает The Daily Mail.", "ru") == []  # names in it
    # many accented letters: not English, whatever its function words ("a", "are" are Romanian too),
    # so langdetect is not asked
    asked: list[str] = []
    real = mtqa.langid.detect_language
    monkeypatch.setattr(mtqa.langid, "detect_language", lambda text: asked.append(text) or real(text))
    assert run("Romanul are ca temă lumea interlopă berlineză a anilor și a războiului.", "ro") == []
    assert run("Prices rose by two percent last year, officials said.", "ro") == ["MT013"] and len(asked) == 1


@pytest.mark.parametrize(("code", "positive", "span", "negative"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_true_positive_and_clean_negative(code: str, positive: str, span: str, negative: str) -> None:
    hits = run_rules(positive, code)
    assert hits, f"{code} missed: {positive!r}"
    assert span in [h.text for h in hits], f"{code} flagged {[h.text for h in hits]}, expected {span!r}"
    for h in hits:
        assert positive[h.start:h.end] == h.text
        assert h.code == code
    assert run_rules(negative, code) == [], f"{code} false alarm on {negative!r}"


def test_every_rule_has_a_case() -> None:
    """Rules that need the language model (MT9xx) are tested in test_model.py, MT006 (embeddings) in test_crosslingual.py,
    MT015 (neighbouring segments) in test_out_of_step.py."""
    tested = {c[0] for c in CASES} | {c[0] for c in SOURCE_CASES} | {"MT006", "MT012", "MT013", "MT015"}
    assert {r.code for r in all_rules() if not r.code.startswith("MT9")} <= tested


def test_rules_have_docs_and_valid_metadata() -> None:
    for r in all_rules():
        assert r.doc and "Example" in r.doc, r.code
        assert r.name == r.name.lower() and " " not in r.name
        assert isinstance(r.severity, Severity)


def test_carried_items_end_where_chinese_text_starts() -> None:
    """A URL or e-mail written into Chinese text (WMT22 general, train) ends at the first Chinese character."""
    import mtqa

    def flagged(target: str, source: str) -> list[str]:
        return [f.message for f in mtqa.check(target, source=source, source_lang="zh", select=["MT002"])]

    source = "请访问官网（http://www.example.com/p/6047）或写信给abc@example.com，或搜索公众号。"
    assert flagged("Visit the website (http://www.example.com/p/6047) or write to abc@example.com.", source) == []
    assert flagged("Visit the website or write to abc@example.com.", source) == [
        "not carried over from the source: http://www.example.com/p/6047"]


def test_foreign_script_leaves_chinese_punctuation_alone() -> None:
    assert run_rules("Xinhua new media丨Beijing Hockey League fuels the Winter Olympics.", "MT502") == []
    assert [h.text for h in run_rules("The 赣南丨region exported more fruit.", "MT502")] == ["赣南丨"]


def test_low_compression_allows_long_lists() -> None:
    honours = "; ".join(f"Professor {a} was awarded the honorary degree of Doctor of {b}"
                        for a, b in (("Liu Zunyi", "Education"), ("Chen Kaixian", "Science"), ("Shuji Nakamura", "Science"),
                                     ("Li Lanjuan", "Medicine"), ("Li Xiaoliang", "Business Administration"),
                                     ("Zhu Lilan", "Science"), ("Jiang Chaohui", "Engineering"))) + "."
    assert run_rules(honours, "MT712") == []
    loop = "In the 1960s the number of " + "naked " * 80 + "carp declined."
    assert [h.code for h in run_rules(loop, "MT712")] == ["MT712"]


def test_photo_credit_needs_its_colon_by_or_agency() -> None:
    """Lines of WMT22 general references (train) that name a picture or credit hours are no captions."""
    for line in ("Color: as shown in the picture (color difference is inevitable in the photos, please ask us",
                 "(1) With respect to online education of registered engineers, the credit hours (see below) count",
                 "[Effect] Photo effects: I shot two outfits and it was overall nice"):
        assert run_rules(f"Text.\n\n{line}\n\nMore text.", "MT103") == [], line
    for line in ("(Apple Daily photo: the website is managed by Tao Ye)", "Protesters gather in the square / Getty Images",
                 "The minister arrives at the summit (Pictures by Mo Jingna)"):
        assert [h.code for h in run_rules(f"Text.\n\n{line}\n\nMore text.", "MT103")] == ["MT103"], line


def test_scoped_lexicon_entries_need_the_source_language() -> None:
    text = "The company actually employs 500 people."
    assert run_rules(text, "MT301") == []
    hits = run_rules(text, "MT301", source_lang="fr")
    assert [h.text for h in hits] == ["actually"]
    assert hits[0].severity is Severity.MINOR


def test_get_rule_by_name_and_code() -> None:
    assert get_rule("false-friend").code == "MT301"
    assert get_rule("mt101").name == "placeholder-token"


def test_every_parameter_a_rule_reads_has_its_one_default_in_rules_toml() -> None:
    """Rules read ``ctx.params["key"]``: the value lives in mtqa/data/rules.toml only (no second default in code)."""
    import ast
    import inspect

    for r in all_rules():
        tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(r.check)))
        keys = {node.slice.value for node in ast.walk(tree)
                if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "ctx.params" and isinstance(node.slice, ast.Constant)}
        gets = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and ast.unparse(node.func) == "ctx.params.get"]
        assert not gets, f"{r.code} reads a parameter with a default of its own"
        assert keys <= set(r.params), f"{r.code}: {keys - set(r.params)} missing from rules.toml"


def test_replacements_are_texts_for_the_span_and_advice_follows_them() -> None:
    import mtqa

    found = {f.code: f for f in mtqa.check("The the talks ended. Russia had been ingested in the elections. What were the spinoffs?")}
    assert found["MT701"].replacements == ("The",) and found["MT701"].suggestion == "replace with 'The'"
    assert found["MT301"].replacements == ("interfered",) and found["MT301"].suggestion == "interfered (in)"
    spin = [f for f in mtqa.check("What were the spinoffs of Helsinki?") if f.code == "MT301"][0]
    assert spin.replacements == ("fallout", "repercussions")
    calque = [f for f in mtqa.check("This invitation comes as relations between the two countries were tense.") if f.code == "MT302"]
    assert calque and calque[0].replacements == ()  # "…comes as relations are" rewrites more than the span
    placeholder = mtqa.check("The talks ended. [19659007] More talks followed.")[0]
    assert placeholder.replacements == () and placeholder.suggestion == "remove it"



def test_chinese_numbers_in_characters_digits_or_both() -> None:
    from mtqa.detect.numerals import numbers

    def values(text: str) -> set[float]:
        return {n.value for n in numbers(text, "zh")}

    assert 2000.0 in values("两千") and 78000.0 in values("七万八千") and 3e6 in values("三百万")
    assert 80.0 in values("八成") and 2019.0 in values("二〇一九年")
    assert [n.value for n in numbers("±1100千伏", "zh") if n.written] == [1100.0]  # kV, not thousands


def _mt001(target: str, source: str, lang: str = "zh") -> list[str]:
    """The texts of MT001's findings on ``target`` against ``source``."""
    import mtqa

    return [f.text for f in mtqa.check(target, source=source, source_lang=lang, select=["MT001"])]


def test_english_numbers_written_with_codes_scales_and_words() -> None:
    # a currency code written onto the figure, a scale word with a hyphen, a number in words with a scale
    assert _mt001("The total prize reached USD11.16 million.", "总奖金额达到1116万美元。") == []
    assert _mt001("It covers 1.6 million-mu of land.", "160万亩土地。") == []
    assert _mt001("Six companies spent more than one billion yuan.", "有6家公司回购金额超10亿元。") == []
    assert _mt001("The total prize reached USD12.16 million.", "总奖金额达到1116万美元。") == ["12.16"]


def test_chinese_ranges_lists_dates_and_spaced_scales() -> None:
    """Ways of writing numbers found on the WMT22 general zh-en references (train): each was a false alarm."""
    assert _mt001("The amount reached 1.77 trillion yuan.", "交易金额达到1.77万亿元。") == []  # 万亿
    assert _mt001("The amount reached 1.87 trillion yuan.", "交易金额达到1.77万亿元。") == ["1.87"]
    assert _mt001("The daily income exceeds 8.2 million US dollars.", "日收入超过 820 万美元。") == []  # a space before 万
    assert _mt001("The daily income exceeds 9.2 million US dollars.", "日收入超过 820 万美元。") == ["9.2"]
    assert _mt001("An income of $100 billion to $200 billion.", "每年有1,000亿到2,000亿美元的收入。") == []  # 1,000亿
    assert _mt001("70% or 80% of them can be saved.", "百分之七八十能救过来。") == []  # a range of neighbours
    assert _mt001("60% or 70% of them can be saved.", "百分之七八十能救过来。") == ["60%"]
    assert _mt001("In the 1960s and 1970s, Intel led the world.", "上世纪六七十年代，英特尔领先世界。") == []
    assert _mt001("Suitable for grades 3, 4, 5 and 6.", "适合小学生三四五六年级阅读。") == []  # a list
    assert _mt001("The fund for the June 4th orphans.", "六四孤儿教育基金。") == []  # a date
    assert _mt001("In 1989 the fund was set up.", "一九九八年设立基金。") == ["1989"]  # a year, digit by digit
    assert _mt001("A photographer born after 1995.", "摄影师是95后。") == []
    assert _mt001("A photographer born after 1996.", "摄影师是95后。") == ["1996"]
    # a date of digits: the year is checked, the day and month help; 1.77 is no clock time
    assert _mt001("On June 11, 2021, some were sold.", "2021.6.11部分售出。") == []
    assert _mt001("Some were sold.", "2021.6.11部分售出。") == ["Some were sold."]
    assert _mt001("The meeting is on 21 June 2021.", "Das Treffen ist am 20.06.2021.", "de") == ["21"]
    assert _mt001("It rose by 42.08%.", "增长42.80%。") == ["42.08%"]
    assert _mt001("The meeting starts at 9:30.", "Întâlnirea începe la ora 9.30.", "ro") == []
    # a decade written apart ("1960 s", "1980’s"), a unit written onto a figure
    assert _mt001("In the 1960 s and 1980’s, Intel led.", "上世纪六十年代和八十年代，英特尔领先。") == []
    assert _mt001("The price is 3,999yuan.", "价格：3999 元") == []
    assert _mt001("The price is 3,899yuan.", "价格：3999 元") == ["3,899"]


def test_ranges_signs_list_markers_and_english_number_words() -> None:
    """Ways of writing numbers found on the MQM newstest2020 references (train): each was a false alarm."""
    # a range whose ends share the scale, in either language; a sign only where a word may start; list
    # markers a translator adds (not an age); "seven decades", "five hundred thousand"
    assert _mt001("It will carry 60 to 85 billion kWh a year.", "年送电将达到600至850亿千瓦时。") == []
    assert _mt001("It will carry 70 to 85 billion kWh a year.", "年送电将达到600至850亿千瓦时。") == ["70"]
    assert _mt001("The goal is 2-3 million tons.", "Das Ziel sind 2-3 Mio. Tonnen.", "de") == []
    assert _mt001("It equals 15%-26% of the world economy, within +/-3%.", "相当于全球经济总量的15 % － 26 % ，波动 + / - 3%。") == []
    assert _mt001("Routes: 1) 50 minutes by car, (2) 30 minutes by train.", "开车的话50分钟就能到，地铁30分钟。") == []
    assert _mt001("A Munich resident (15) pushed him.", "Ein Münchner (17) schubste ihn.", "de") == ["15"]  # an age
    assert _mt001("China's progress in the past seven decades.", "新中国70年的发展成就。") == []
    assert _mt001("About five hundred thousand cases were handled.", "受理各类求助案件约50万起。") == []
    # "100 million+", a numeral with 几/多 before its scale (十几万: 100,000 and more)
    assert _mt001("It carried 100 million+ passengers.", "去年承运了1亿+旅客。") == []
    assert _mt001("It equals 15% -26% of the world economy.", "相当于全球经济总量的15 % － 26 %。") == []  # a dash after a space
    assert _mt001("It fell by -26% last year.", "去年增长26%。") == ["-26%"]  # a sign of its own
    assert _mt001("Call the alumni office at 8599 3119.", "可致电85993119与校友会联络。") == []  # a phone number in groups
    assert _mt001("Call the alumni office at 8599 3118.", "可致电85993119与校友会联络。") == ["8599", "3118"]
    assert _mt001("Call the alumni office at 85993118.", "可致电85993119与校友会联络。") == ["85993118"]  # no tolerance
    assert _mt001("He organised more than 100,000 people.", "王伯祥组织十几万人。") == []
    assert _mt001("He organised more than 300,000 people.", "王伯祥组织十几万人。") == ["300,000"]


def test_tokenised_times_tenths_and_roman_numerals_of_chinese() -> None:
    """Ways of writing numbers found on MQM newstest2021 (a test file: seen there, so its MT001 precision is no
    longer blind): each was a false alarm."""
    assert _mt001("At 22: 00 the best bedtime starts.", "最佳就寝时间是22时。") == []  # a time as tokenised MT writes it
    assert _mt001("Among the users, 60% are men.", "用户中，6成是男性。") == []  # 6成: six tenths
    assert _mt001("Among the users, 70% are men.", "用户中，6成是男性。") == ["70%"]
    assert _mt001("Among the users, 3 members.", "用户中，3成员。") == []  # 成员 (member) is no tenths
    assert _mt001("It moved from level 2 to level 3.", "由II级调整为Ⅲ级。") == []  # Roman numerals, Ⅲ after NFKC
    assert _mt001("It moved from level 2 to level 4.", "由II级调整为Ⅲ级。") == ["4"]


def test_doubled_word_severity_by_word_kind_and_names_left_alone() -> None:
    from mtqa.detect import detect, select_rules
    from mtqa.segment import segment
    from mtqa.types import Article

    def run(text: str, source: str | None = None) -> list[tuple[str, str]]:
        article = Article(id="t", text=text, path="t", source=source, source_lang="de" if source else None)
        return [(h.text, h.severity.value) for h in detect(segment(article), select_rules(["MT701"]))]

    assert run("He visited the exhibition exhibition on Monday.") == [("exhibition exhibition", "major")]
    assert run("He said that the the plan failed.") == [("the the", "minor")]
    assert run("More than 272,000 infections were registered in Spain Spain.") == [("Spain Spain", "major")]
    assert run("He grew up in Wagga Wagga and met Cao Cao's heirs.") == []
    assert run("The pianist Li Li and the runner Fang Fang spoke.") == []  # Chinese given names repeat a syllable
    assert run("A Swiss Omega OMEGA couple watch.") == []  # a brand glossed in capitals
    # with a source, a double is a name only if the source doubles it (or a Pinyin syllable)
    assert run("He was treated at the hospital in Graz Graz.", "Er wurde im Spital in Graz behandelt.") == [("Graz Graz", "major")]
    assert run("He was treated at the hospital in Graz Graz.", "他在格拉茨的医院接受治疗。") == [("Graz Graz", "major")]
    assert run("The pianist Li Li spoke.", "钢琴家李丽说。") == []
    assert run("He met Ms Tominaga Tominaga.", "Er traf Frau Tominaga Tominaga.") == []
    # numbers, with and without separators; digit groups are not doubles
    assert run("Its first tests began in October 1970 1970.") == [("1970 1970", "major")]
    assert run("Growth was 2.5 2.5 percent.") == [("2.5 2.5", "major")]
    assert run("Some 1 000 000 people and 10 000 000 more came; 1.5 1.50 is a typo of another kind.") == []
    assert run("10 10 Biblical characters who did strange things.", "10 10 библейских персонажей.") == []
    assert run("He spoke about her ex-husband ex-husband.") == [("ex-husband ex-husband", "major")]
    assert run("He is being tested daily for Covid-19 Covid-19.") == [("Covid-19 Covid-19", "major")]
    assert run("A well-known well-being plan.") == []
    # a closing bracket after each copy
    assert run("Wait a short while (10-60 minutes) minutes).") == [("minutes) minutes)", "major")]
    assert run("He said (in French) French was spoken.") == []


def test_lost_name_points_at_its_aligned_sentence_and_its_source_span() -> None:
    import mtqa

    source = "Die Preise stiegen letztes Jahr stark. Der Minister traf am Montag seinen Kollegen in Österreich."
    [f] = mtqa.check("The prices rose sharply last year. The minister met his colleague on Monday.", source=source,
                     source_lang="de", select=["MT004"])
    assert f.text == "The minister met his colleague on Monday."
    assert source[f.source_start:f.source_end] == "Österreich" and "(Austria)" in f.message
    # carried in its English form, inflected (Polish locative), or as it is: nothing to report
    assert not mtqa.check("He met his colleague in Austria.", source="Er traf seinen Kollegen in Österreich.", source_lang="de",
                          select=["MT004"])
    assert not mtqa.check("The talks were held in Germany with Trump.", source="Rozmowy odbyły się w Niemczech z Trumpem.",
                          source_lang="pl", select=["MT004", "MT014"])
    # a place the source names in several words; a roman numeral is a number, not a code
    assert not mtqa.check("They traded with the Netherlands in the 18th century.", source="Au făcut comerț cu Țările de Jos în secolul XVIII.",
                          source_lang="ro", select=["MT004", "MT014"])
    assert [f.code for f in mtqa.check("They traded with Paraguay in the 18th century.",
                                       source="Au făcut comerț cu Țările de Jos în secolul XVIII.", source_lang="ro",
                                       select=["MT004", "MT014"])] == ["MT004", "MT014"]
    # a town of GeoNames (a Romanian one in a Romanian source; a world city in any) is a name, carried in
    # any of its spellings; a town's name that starts a sentence may be a common word ("Vine": it comes)
    [f] = mtqa.check("The two universities include eleven faculties.", source="Cele două universități din Galați includ 11 facultăți.",
                     source_lang="ro", select=["MT004"])
    assert "Galați" in f.message
    assert not mtqa.check("The two universities in Galati include eleven faculties.",
                          source="Cele două universități din Galați includ 11 facultăți.", source_lang="ro", select=["MT004"])
    assert not mtqa.check("He travelled to Munich.", source="Pojechał do Monachium.", source_lang="pl", select=["MT004"])
    assert "(Munich)" in mtqa.check("He travelled south.", source="Pojechał do Monachium.", source_lang="pl", select=["MT004"])[0].message
    assert not mtqa.check("Spring comes late.", source="Vine primăvara târziu.", source_lang="ro", select=["MT004"])
    # starting a sentence, a word is a name when English uses it as often as the source language
    # ("Trump"), and no common English word ("Are": Romanian for "has")
    assert mtqa.check("He said he would come.", source="Trump a spus că va veni.", source_lang="ro", select=["MT004"])
    assert not mtqa.check("He has a big house.", source="Are o casă mare.", source_lang="ro", select=["MT004"])
    # with no frequencies for the source language, a capitalised word is no evidence of a name
    for lang in ("ro", None):
        assert not mtqa.check("The Ministry of Health said so.", source="Ministerul Sănătății a declarat asta.",
                              source_lang=lang, select=["MT004"])


def test_copied_source_word_severity_by_source_and_english_frequency() -> None:
    from mtqa.detect import detect, select_rules
    from mtqa.segment import segment
    from mtqa.types import Article

    def run(text: str, source: str, lang: str) -> list[tuple[str, str]]:
        article = Article(id="t", text=text, path="t", source=source, source_lang=lang)
        return [(h.text, h.severity.value) for h in detect(segment(article), select_rules(["MT011"]))]

    # a common Spanish word that English web text also has a little of: major
    assert run("He told the students this semana.", "Dijo a los estudiantes esta semana.", "es") == [("semana", "major")]
    # a word English lacks that the source language uses now and then: major
    assert run("It happened inside the nosocomio.", "Ocurrió dentro del nosocomio.", "es") == [("nosocomio", "major")]
    # a word the source language's list lacks too (a rare term, a borrowing): minor
    assert run("They kept a xoloitzcuintle.", "Tenían un xoloitzcuintle.", "es") == [("xoloitzcuintle", "minor")]
    # an English word that is in the source too: nothing
    assert run("The hotel is closed.", "El hotel está cerrado.", "es") == []
    # a language wordfreq reads only with extra packages (zh): looked up as a table, no crash
    assert run("They climb nyiragongo.", "他们攀登尼拉贡戈火山（Nyiragongo）。", "zh") == [("nyiragongo", "minor")]


def test_untranslated_leaves_out_words_english_uses_more() -> None:
    import mtqa

    def flagged(text: str, source: str, lang: str) -> bool:
        return bool(mtqa.check(text, source=source, source_lang=lang, select=["MT003"]))

    # a source that is English already, or user names and a link: copying it is right
    assert not flagged("Help in time of need and in the end.", "Help in time of need and in the end.", "ru")
    assert not flagged("See https://www.youtube.com/channel/abc - my channel", "See https://www.youtube.com/channel/abc - мой канал", "ru")
    # Romanian left as it was: the Romanian words count, the English-looking ones do not decide
    assert flagged("Convocarea era sporadică, nu regulată, iar din secolul XVI era convocată tot mai des.",
                   "Convocarea era sporadică, nu regulată, iar din secolul XVI era convocată tot mai des.", "ro")
    # no source language given: every copied word counts, as before
    copy = "Die Regierung tritt heute nach der Wahl zurück und die Partei sucht einen neuen Kandidaten."
    assert bool(mtqa.check(copy, source=copy, select=["MT003"]))


def test_markup_of_the_source_is_minor_in_the_translation() -> None:
    import mtqa

    def run(text: str, source: str | None) -> list[tuple[str, str]]:
        return [(f.text, f.severity.value) for f in mtqa.check(text, source=source, source_lang="fr", select=["MT105"])]

    # carried over from the source (case and spaces aside): minor, and said so
    assert run("<u>The origin of the language</u> &amp; more", "<U>L'origine de la langue</u> &amp; plus") == [
        ("<u>", "minor"), ("</u>", "minor"), ("&amp;", "minor")]
    # markup the source does not have, or no source at all: major
    assert run("The origin<br> of it", "<u>L'origine</u>") == [("<br>", "major")]
    assert run("The origin<br> of it", None) == [("<br>", "major")]


def test_foreign_words_one_by_one_or_as_one_clause() -> None:
    import mtqa

    def run(text: str) -> list[str]:
        return [f.text for f in mtqa.check(text, select=["MT503"])]

    assert run("The team won the partido de fútbol yesterday.") == ["partido", "fútbol"]
    # too short for MT501's language identification, too many words to list one by one
    assert run("He said que nous devons partir maintenant.") == ["nous devons partir maintenant"]
    assert run("He said we must leave now.") == []


def test_close_spellings_are_compared_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    from difflib import SequenceMatcher

    from mtqa.detect import names

    calls: list[str] = []

    class Counting(SequenceMatcher):  # type: ignore[type-arg]
        def __init__(self, isjunk: None, a: str, b: str) -> None:
            calls.append(b)
            super().__init__(isjunk, a, b)

    monkeypatch.setattr(names, "SequenceMatcher", Counting)
    index = names.WordIndex(" ".join(f"Kal{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}ow" for i in range(3000)))
    assert index.spells({"kalmarow"}, 0.75)  # a close spelling among thousands of words of its initial
    assert not index.spells({"kzzzzzzq"}, 0.75)
    assert len(calls) <= 2 * names.MAX_COMPARISONS <= 64  # not one per word of the initial
    assert index.spells({"tokyo"}, 0.75) is False and names.WordIndex("He lives in Tokio.").spells({"tokyo"}, 0.75)
