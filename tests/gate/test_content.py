"""What the publication gate reads of each public object."""

import pytest

from portal import gate
from portal.gate import Content, Finding, Level
from tests.factories import (
    ArticleAttachmentFactory,
    ArticleFactory,
    AwardFactory,
    BrandFactory,
    BrandImageFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def test_content_values_of_has_text_fields_body_and_attachment_names():
    article = ArticleFactory(title="标题文字", summary="摘要文字", body="<p>正文文字</p>")
    ArticleAttachmentFactory(article=article, title="附件甲.pdf")
    content = article.gate_content()
    assert content.texts["标题"] == "标题文字"
    assert content.texts["摘要"] == "摘要文字"
    assert content.html == {"正文": "<p>正文文字</p>"}
    assert "附件甲.pdf" in content.texts["附件名称"]


def test_school_brand_and_honour_content():
    school = SchoolFactory(introduction="学校简介文字")
    assert school.gate_content().texts["学校简介"] == "学校简介文字"
    brand = BrandFactory(school=school, concept="品牌内涵文字")
    BrandImageFactory(brand=brand, caption="图片说明文字")
    texts = brand.gate_content().texts
    assert texts["品牌内涵"] == "品牌内涵文字"
    assert texts["图片说明"] == "图片说明文字"
    award = AwardFactory(school=school, title="荣誉名称文字")
    assert award.gate_content().texts["荣誉名称"] == "荣誉名称文字"


def test_inspect_runs_every_check_and_puts_blocks_first(monkeypatch):
    note = Finding(Level.NOTE, "n", "正文", "x", "x", "提示")
    block = Finding(Level.BLOCK, "b", "标题", "y", "y", "禁止")
    monkeypatch.setattr(gate, "CHECKS", [lambda content: [note], lambda content: [block]])
    assert gate.inspect(Content(texts={"标题": "y"})) == [block, note]
