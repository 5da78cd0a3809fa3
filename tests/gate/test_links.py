"""portal.gate.links: removals are notes, hidden links block, foreign links are pointed out."""

import pytest

from portal import gate
from portal.gate import Content, Level, links


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["dangjian.example.cn", "testserver"]


def body(html):
    return Content(html={"正文": html})


def test_removal_is_a_note_naming_it_with_context():
    findings = links.check(body("<p>正文开头<script>alert(1)</script>结尾</p>"))
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.level, finding.kind, finding.field) == (Level.NOTE, "removed", "正文")
    assert finding.matched == "脚本 <script>"
    assert finding.message == "已删除脚本 <script>（1 处）：网站不会显示这些内容。"
    assert "<script>alert(1)" in finding.context


def test_hidden_link_blocks_although_the_sanitiser_drops_it():
    findings = links.check(
        body('<p>正文</p><div style="display:none"><a href="http://spam.example/">博彩</a></div>')
    )
    hidden = [f for f in findings if f.kind == "hidden_link"]
    assert len(hidden) == 1
    assert hidden[0].level == Level.BLOCK
    assert hidden[0].matched == "http://spam.example/"
    assert "隐藏链接（暗链）：读者看不到的链接指向 http://spam.example/" in hidden[0].message
    assert "spam.example" in hidden[0].context
    assert any(f.matched == "隐藏样式 display:none" for f in findings)


@pytest.mark.django_db  # the word lists are read too
def test_inspect_runs_the_links_check_blocks_first():
    html = '<p>正文<a href="http://spam.example/"> </a><b onclick="x()">b</b></p>'
    findings = gate.inspect(body(html))
    assert [f.kind for f in findings] == ["hidden_link", "removed"]


@pytest.mark.parametrize(
    "href",
    [
        "https://www.moe.gov.cn/jyb_xwfb/",
        "http://gov.cn/",
        "https://www.jyb.cn/rmtzcg/",
        "http://www.people.com.cn/",
        "https://dangjian.example.cn/news/",
        "/news/",
        "mailto:dj@example.cn",
    ],
)
def test_allowed_links_are_not_foreign(href):
    assert links.check(body(f'<p><a href="{href}">链接</a></p>')) == []


def test_foreign_link_is_a_note_with_host_and_address():
    findings = links.check(
        body(
            '<p><a href="https://shop.example.com/a?b=1">网店</a><a href="https://notgov.cn/">x</a></p>'
        )
    )
    assert [(f.level, f.kind, f.matched) for f in findings] == [
        (Level.NOTE, "foreign_link", "https://shop.example.com/a?b=1"),
        (Level.NOTE, "foreign_link", "https://notgov.cn/"),
    ]
    assert "shop.example.com" in findings[0].message
    assert "https://shop.example.com/a?b=1" in findings[0].message


def test_allowed_domains_come_from_settings(settings):
    settings.GATE_LINK_DOMAINS = ["example.com"]
    html = '<p><a href="https://shop.example.com/">网店</a><a href="https://www.moe.gov.cn/">部</a></p>'
    assert [f.matched for f in links.check(body(html))] == ["https://www.moe.gov.cn/"]


def test_clean_stored_body_has_no_findings():
    assert links.check(body('<p>正文<a href="/news/" rel="noopener noreferrer">站内</a></p>')) == []
