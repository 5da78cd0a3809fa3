"""The plain text of rich text: one line per block, inline tags leave nothing, what is never
published is left out; captions for the gate, not for excerpts and search."""

from news.models import plain_text_from_html
from portal.plain_text import plain_text

BODY = (
    "<h2>标题</h2><p>第一段<strong>加</strong>粗，\n源码换行&amp;实体&nbsp;空格</p>"
    '<figure class="image"><img src="/m/a.jpg" alt="图片说明文字">'
    "<figcaption>▲ 图注文字</figcaption></figure>"
    "<ul><li>要点一</li><li>要点二<br>续行</li></ul>"
    "<table><tr><td>单元格一</td><td>单元格二</td></tr></table>"
    "<script>alert('x')</script><style>p{}</style><embed src=x><p>最后一段</p>"
)


def test_blocks_end_lines_and_inline_tags_join():
    assert plain_text(BODY).split("\n") == [
        "标题",
        "第一段加粗， 源码换行&实体\xa0空格",
        "图片说明文字",
        "▲ 图注文字",
        "要点一",
        "要点二",
        "续行",
        "单元格一",
        "单元格二",
        "最后一段",
    ]


def test_without_captions_for_excerpts_and_search():
    text = plain_text(BODY, captions=False)
    assert "图注文字" not in text and "图片说明文字" not in text
    assert plain_text_from_html(BODY).startswith("标题 第一段加粗， 源码换行&实体 空格 要点一")


def test_empty_and_unclosed_removed_elements():
    assert plain_text("") == ""
    assert plain_text("<p>可见</p><iframe>不可见<p>仍在框内") == "可见"
