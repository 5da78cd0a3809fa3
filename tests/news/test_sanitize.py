"""portal.sanitize: the one allow-list every rich-text field goes through."""

import pytest

from portal.sanitize import clean_html, sanitize


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["dangjian.example.cn", "localhost", "127.0.0.1", "testserver"]


@pytest.mark.parametrize(
    ("dirty", "expected"),
    [
        ("<p>正文<script>alert(1)</script></p>", "<p>正文</p>"),
        ("<style>p{display:none}</style><p>正文</p>", "<p>正文</p>"),
        ('<p onclick="steal()" onmouseover="x">正文</p>', "<p>正文</p>"),
        ('<iframe src="https://evil.example/"></iframe><p>正文</p>', "<p>正文</p>"),
        ('<p style="color:red">正文</p>', "<p>正文</p>"),
        ('<a href="javascript:alert(1)">链接</a>', '<a rel="noopener noreferrer">链接</a>'),
        ("<!-- 注释 --><p>正文</p>", "<p>正文</p>"),
        ('<form action="/x"><input name="a"></form><p>正文</p>', "<p>正文</p>"),
    ],
)
def test_dangerous_markup_removed(dirty, expected):
    assert clean_html(dirty) == expected


def test_links_get_rel_and_keep_http_and_mailto():
    html = clean_html(
        '<a href="https://www.moe.gov.cn/" target="_blank">教育部</a>'
        '<a href="mailto:dj@example.cn">邮件</a><a href="/news/">站内</a>'
    )
    assert '<a href="https://www.moe.gov.cn/" rel="noopener noreferrer">教育部</a>' in html
    assert 'href="mailto:dj@example.cn"' in html
    assert 'href="/news/"' in html
    assert "target" not in html


def test_hidden_spam_links_cannot_stay_hidden():
    # 暗链: spam links hidden with inline styles. The style goes, so nothing stays invisible.
    html = clean_html('<div style="display:none"><a href="http://spam.example/">广告</a></div>')
    assert "display" not in html
    assert "style" not in html


def test_captioned_figures_and_tables_survive():
    figure = (
        '<figure class="image image-style-side"><img src="/media/editor/2026/11/a.jpg" '
        'alt="党员教师重温入党誓词"><figcaption>▲ 党员教师重温入党誓词</figcaption></figure>'
    )
    assert clean_html(figure) == figure
    table = '<table><tbody><tr><td colspan="2">单元格</td></tr></tbody></table>'
    assert clean_html(table) == table
    assert clean_html('<p class="text-center evil">居中</p>') == '<p class="text-center">居中</p>'


def test_word_file_images_removed_and_counted():
    result = sanitize(
        '<p>正文</p><figure class="image"><img src="file:///C:/Users/a/image001.png">'
        '<figcaption>▲ 图</figcaption></figure><p><img src="FILE:///D:/b.jpg"></p>'
    )
    assert result.removed_local_images == 2
    assert "file:" not in result.html.lower()
    assert "<img" not in result.html
    assert "<figure" not in result.html
    assert result.html == "<p>正文</p><p></p>"


def test_images_only_from_this_site():
    result = sanitize(
        '<img src="/media/a.jpg" alt="本站">'
        '<img src="https://dangjian.example.cn/media/b.jpg" alt="本站绝对地址">'
        '<img src="https://other.example/c.jpg" alt="外站">'
        '<img src="//other.example/d.jpg" alt="协议相对">'
        '<img src="data:image/png;base64,AAAA" alt="内嵌">'
    )
    assert 'src="/media/a.jpg"' in result.html
    assert 'src="https://dangjian.example.cn/media/b.jpg"' in result.html
    assert "other.example" not in result.html
    assert "data:" not in result.html
    assert result.removed_foreign_images == 3
    assert result.removed_local_images == 0


def test_cleaning_is_idempotent():
    once = clean_html(
        '<p>正文<a href="https://a.example/">链接</a></p>'
        '<figure class="image"><img src="/m.jpg"><figcaption>图</figcaption></figure>'
    )
    assert clean_html(once) == once


def test_empty_input():
    assert clean_html("") == ""
    assert clean_html(None) == ""


# Image addresses a browser fetches from another host, though they look relative or local:
# browsers parse URLs by the WHATWG rules (backslashes are slashes, tabs and newlines vanish,
# ``\@`` ends the host), and a page served over http reads ``https:host`` as absolute.
FOREIGN_IMAGE_SOURCES = [
    r"\\evil.example/x.png",
    r"/\evil.example/x.png",
    r"\/evil.example/x.png",
    r"http://evil.example\@127.0.0.1/x.png",
    r"https://evil.example:443\@dangjian.example.cn/x.png",
    "//evil.example/x.png",
    "https:evil.example/x.png",
    "https:/evil.example/x.png",
    "/\t/evil.example/x.png",
    "/\n/evil.example/x.png",
    "ht\ntps://evil.example/x.png",
    "HTTPS://EVIL.EXAMPLE/x.png",
    "https://ev%69l.example/x.png",
    "https://еvil.example/x.png",
    "https://dangjian.example.cn.evil.example/x.png",
    "https://dangjian.example.cn@evil.example/x.png",
    "&#92;&#92;evil.example/x.png",
    "/&#x5C;evil.example/x.png",
    "&#x2F;&#x2F;evil.example/x.png",
    "ftp://dangjian.example.cn/x.png",
    "javascript:alert(1)",
    "java\tscript:alert(1)",
]
SITE_IMAGE_SOURCES = [
    "/media/a.jpg",
    "media/a.jpg",
    "?x=1",
    "https://dangjian.example.cn/media/b.jpg",
    "HTTPS://DANGJIAN.EXAMPLE.CN/media/b.jpg",
    "https://dangjian.example.cn:443/media/b.jpg",
    "http://localhost:8000/media/b.jpg",
]


@pytest.mark.parametrize("src", FOREIGN_IMAGE_SOURCES)
def test_foreign_images_refused_however_written(src):
    result = sanitize(f'<p>正文</p><p><img src="{src}" alt="图"></p>')
    assert "<img" not in result.html
    assert "evil" not in result.html
    assert result.removed_foreign_images == 1


@pytest.mark.parametrize("src", SITE_IMAGE_SOURCES)
def test_site_images_kept_however_written(src):
    result = sanitize(f'<p><img src="{src}" alt="图"></p>')
    assert f'src="{src}"' in result.html
    assert result.removed_foreign_images == 0


@pytest.mark.parametrize(
    "href", ["java\tscript:alert(1)", "JAVASCRIPT:alert(1)", "java&#10;script:x"]
)
def test_link_scheme_check_sees_what_a_browser_sees(href):
    assert clean_html(f'<a href="{href}">链接</a>') == '<a rel="noopener noreferrer">链接</a>'


def test_article_save_and_public_page_refuse_foreign_images(client, db):
    from tests.factories import ArticleFactory

    body = "<p>正文</p>" + "".join(
        f'<p><img src="{src}" alt="图"></p>' for src in FOREIGN_IMAGE_SOURCES
    )
    article = ArticleFactory(body=body + '<p><img src="/media/ok.jpg" alt="本站"></p>')
    article.refresh_from_db()
    assert "evil" not in article.body
    assert article.body.count("<img") == 1
    html = client.get(article.get_absolute_url()).content.decode()
    assert "evil.example" not in html
    assert 'src="/media/ok.jpg"' in html
