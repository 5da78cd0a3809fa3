"""Sensitive words and serious misstatements: what fires, at which level, however it is written,
quoted as written; the seeded misstatements; the automaton follows the tables."""

from importlib import import_module

import pytest

from portal import gate
from portal.gate import Content, Level, words
from portal.gate.normalize import normal_form, normalize
from portal.models import SensitiveWord, WordingError
from tests.factories import (
    ArticleAttachmentFactory,
    ArticleFactory,
    SensitiveWordFactory,
)

pytestmark = pytest.mark.django_db

SEED = import_module("portal.migrations.0007_wording_errors").WORDING_ERRORS


def findings_in(text, label="标题"):
    return words.check(Content(texts={label: text}))


# --- hits and misses -------------------------------------------------------------------------


def test_a_seeded_wording_error_blocks_and_names_the_correct_form():
    [finding] = findings_in("热烈庆祝中华人名共和国成立75周年")
    assert finding.level == Level.BLOCK
    assert finding.kind == "wording_error"
    assert finding.field == "标题"
    assert finding.matched == "中华人名共和国"
    assert finding.message == "“中华人名共和国”应为“中华人民共和国”（国名）。"


def test_correct_official_wording_finds_nothing():
    text = (
        "中华人民共和国成立以来，在以习近平同志为核心的党中央坚强领导下，全国人民代表大会常务"
        "委员会、中国人民政治协商会议全国委员会和国务院办公厅……学校坚持立德树人，深入学习"
        "习近平新时代中国特色社会主义思想和党的二十大、二十届三中全会精神，践行社会主义核心价值观。"
    )
    assert findings_in(text) == []


def test_a_sensitive_word_blocks_or_asks_for_confirmation_by_its_level():
    SensitiveWordFactory(word="禁词甲", level="block", note="测试用")
    SensitiveWordFactory(word="待确认乙", level="confirm")
    block, confirm = findings_in("这里有禁词甲，那里有待确认乙。")
    assert (block.kind, block.level, block.matched) == ("sensitive_word", Level.BLOCK, "禁词甲")
    assert "禁止发布" in block.message and "测试用" in block.message
    assert (confirm.level, confirm.matched) == (Level.CONFIRM, "待确认乙")
    assert "审核员确认" in confirm.message


def test_no_words_no_findings():
    SensitiveWord.objects.all().delete()
    WordingError.objects.all().delete()
    assert findings_in("中华人名共和国") == []


# --- however it is written, quoted as written ------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "中华人 名共和国",  # a space
        "中华人\u3000名共和国",  # an ideographic space
        "中华人\xa0名共和国",  # &nbsp;
        "中华\u200b人\u200d名\ufeff共\u2060和\xad国",  # zero-width characters, soft hyphen
    ],
)
def test_inserted_spaces_and_invisible_characters_do_not_hide_a_word(written):
    [finding] = findings_in(f"热烈庆祝{written}成立")
    assert finding.matched == written
    assert finding.context == f"热烈庆祝{written}成立"


def test_full_width_forms_and_case_do_not_hide_a_word():
    SensitiveWordFactory(word="BadWord9")
    assert SensitiveWord.objects.get().word == "badword9"
    [finding] = findings_in("前文 ＢＡＤ ｗｏｒｄ９ 后文")
    assert finding.matched == "ＢＡＤ ｗｏｒｄ９"


def test_context_is_fifteen_original_characters_either_side():
    before, after = "甲" * 20, "乙" * 20
    [finding] = findings_in(f"{before}中华人　名共和国{after}")
    assert finding.context == f"{'甲' * 15}中华人　名共和国{'乙' * 15}"


def test_a_word_is_not_read_across_two_paragraphs():
    html = "<p>我们的国家中华人</p><p>名共和国</p>"
    assert words.check(Content(html={"正文": html})) == []


def test_rich_text_is_read_with_inline_tags_captions_and_alt_text():
    SensitiveWordFactory(word="图片禁词")
    html = (
        "<p>学习<strong>中国共产</strong>当章程</p>"
        '<figure class="image"><img src="/m/a.jpg" alt="图片禁词">'
        "<figcaption>中国共惨党</figcaption></figure><script>中华人名共和国</script>"
    )
    found = {(f.field, f.matched) for f in words.check(Content(html={"正文": html}))}
    assert found == {("正文", "中国共产当"), ("正文", "图片禁词"), ("正文", "中国共惨党")}


def test_each_matched_text_is_reported_once_per_field_with_its_first_context():
    SensitiveWordFactory(word="禁词")
    text = "第一处禁词。" + "第二处禁词。" * 50
    [finding] = findings_in(text)
    assert finding.context.startswith("第一处禁词")
    other_field = words.check(Content(texts={"标题": "禁词", "摘要": "禁词"}))
    assert sorted(f.field for f in other_field) == ["摘要", "标题"]


def test_overlapping_words_are_each_reported():
    SensitiveWordFactory(word="甲乙丙")
    SensitiveWordFactory(word="乙丙丁")
    assert {f.matched for f in findings_in("甲乙丙丁")} == {"甲乙丙", "乙丙丁"}


# --- the seeded list -------------------------------------------------------------------------


def test_at_least_thirty_wording_errors_are_seeded():
    assert len(SEED) >= 30
    assert WordingError.objects.filter(wrong__in=[wrong for wrong, _c, _n in SEED]).count() == len(
        SEED
    )


def test_no_seeded_wrong_form_is_part_of_a_correct_form():
    correct_forms = {correct for _w, correct, _n in SEED}
    for wrong, _correct, _note in SEED:
        assert normal_form(wrong) == wrong
        assert not [correct for correct in correct_forms if wrong in correct], wrong


@pytest.mark.parametrize(("wrong", "correct"), [(wrong, correct) for wrong, correct, _n in SEED])
def test_each_seeded_wrong_form_is_found_in_a_sentence(wrong, correct):
    findings = findings_in(f"我校组织师生学习{wrong}的有关精神。")
    assert [(f.matched, f.level) for f in findings] == [(wrong, Level.BLOCK)]
    assert f"应为“{correct}”" in findings[0].message


def test_a_wrong_form_inside_its_correct_form_is_refused():
    error = WordingError(wrong="人民", correct="中华人民共和国")
    with pytest.raises(Exception, match="正确写法的一部分"):
        error.full_clean()


# --- the automaton follows the tables --------------------------------------------------------


def test_a_word_added_or_changed_is_checked_at_once():
    assert findings_in("新添禁词") == []
    word = SensitiveWordFactory(word="新添禁词", level="confirm")
    [finding] = findings_in("新添禁词")
    assert finding.level == Level.CONFIRM
    word.level = "block"
    word.save()
    [finding] = findings_in("新添禁词")
    assert finding.level == Level.BLOCK
    word.delete()
    assert findings_in("新添禁词") == []


def test_the_automaton_is_built_once_while_the_tables_stay_the_same():
    SensitiveWordFactory(word="不变")
    first = words.automaton()
    assert words.automaton() is first


def test_a_change_made_by_another_process_is_seen(django_assert_num_queries):
    """Another worker's change reaches this one through the database alone: no signal runs
    here, nothing is in this process's cache (bulk_create sends no signals)."""
    words.automaton()
    SensitiveWord.objects.bulk_create([SensitiveWord(word="别处添加")])
    [finding] = findings_in("别处添加")
    assert finding.matched == "别处添加"
    SensitiveWord.objects.filter(word="别处添加").delete()
    assert findings_in("别处添加") == []
    # While nothing changes, a check costs the two fingerprint queries and no rebuild.
    with django_assert_num_queries(2):
        findings_in("别处添加")


# --- through the gate ------------------------------------------------------------------------


def test_inspect_finds_a_wording_error_in_an_article_body_and_an_id_number_in_an_attachment():
    article = ArticleFactory(body="<p>学习中国共产当章程。</p>")
    ArticleAttachmentFactory(article=article, title="名单 440304200002291236.xlsx")
    findings = gate.inspect(article.gate_content())
    assert [(f.kind, f.field, f.level) for f in findings] == [
        ("wording_error", "正文", Level.BLOCK),
        ("id_number", "附件名称", Level.CONFIRM),
    ]


def test_normalize_maps_every_character_back_to_the_original():
    normalized = normalize("Ａ\u200bｂ c")
    assert normalized.text == "abc"
    assert normalized.matched(0, 3) == "Ａ\u200bｂ c"
    assert normalize("1 2\n3", spaces=True).text == "1 2\n3"
