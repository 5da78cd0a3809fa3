"""Every public news page renders with the elements readers expect."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleAttachmentFactory, ArticleFactory, ChannelFactory

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def main_column(html):
    """The page without its sidebar (which lists the newest articles of the whole site)."""
    return html.split('<aside class="news-sidebar"')[0]


def test_home_has_carousel_headlines_and_channel_blocks(client, site, channel):
    slide = ArticleFactory(
        channel=channel,
        title="幻灯文章",
        is_carousel=True,
        cover="news/covers/x.jpg",
        cover_alt="学生参观纪念馆",
    )
    ArticleFactory(channel=channel, title="没有封面的幻灯文章", is_carousel=True)
    ArticleFactory(channel=channel, title="头条文章", is_headline=True, summary="头条摘要")
    notices = ChannelFactory(name="通知公告", slug="tongzhi-gonggao", kind="notice")
    ArticleFactory(channel=notices, title="关于开展评选工作的通知")
    html = html_of(client.get("/"))
    assert "data-carousel" in html
    assert 'alt="学生参观纪念馆"' in html
    assert slide.get_absolute_url() in html
    assert "没有封面的幻灯文章" not in html.split("data-carousel-slides")[1].split("</ul>")[0]
    assert "头条文章" in html and "头条摘要" in html
    assert "关于开展评选工作的通知" in html
    assert 'href="/news/tongzhi-gonggao/"' in html
    assert "/static/js/carousel.js" in html
    assert "<script>" not in html  # behaviour only from static files
    assert "{% block home_links %}" not in html


def test_navigation_lists_top_level_channels_in_order(client, site):
    ChannelFactory(name="第二栏目", slug="second", order=20)
    first = ChannelFactory(name="第一栏目", slug="first", order=10)
    ChannelFactory(name="隐藏栏目", slug="hidden", show_in_nav=False)
    ChannelFactory(name="子栏目", slug="sub", parent=first)
    nav = html_of(client.get("/")).split('aria-label="主导航"')[1].split("</nav>")[0]
    assert nav.index("第一栏目") < nav.index("第二栏目")
    assert "隐藏栏目" not in nav and "子栏目" not in nav


def test_channel_page(client, site, channel):
    channel.description = "区教育系统党建工作的部署和进展。"
    channel.save()
    ArticleFactory(
        channel=channel,
        title="置顶的旧文章",
        is_pinned=True,
        publish_at=timezone.now() - timedelta(days=400),
    )
    ArticleFactory(channel=channel, title="最新的文章")
    html = html_of(client.get("/news/gongzuo-dongtai/"))
    assert '<h1 class="channel-header__title">工作动态</h1>' in html
    assert "区教育系统党建工作的部署和进展。" in html
    assert html.index("置顶的旧文章") < html.index("最新的文章")
    assert '<span class="badge">置顶</span>' in html
    assert 'name="year"' in html  # two years of articles: the filter is offered
    assert "/news/gongzuo-dongtai/rss/" in html


def test_parent_channel_lists_sub_channel_articles(client, site, channel):
    child = ChannelFactory(name="主题党日", slug="zhuti-dangri", parent=channel)
    ArticleFactory(channel=child, title="子栏目里的文章")
    html = html_of(client.get("/news/gongzuo-dongtai/"))
    assert "子栏目里的文章" in html
    assert 'href="/news/zhuti-dangri/"' in html
    child_html = html_of(client.get("/news/zhuti-dangri/"))
    assert 'href="/news/gongzuo-dongtai/">工作动态</a>' in child_html  # breadcrumb to parent


def test_article_page_elements(client, site, channel):
    previous = ArticleFactory(
        channel=channel, title="上一篇文章", publish_at=timezone.now() - timedelta(days=2)
    )
    article = ArticleFactory(
        channel=channel,
        kicker="党建引领",
        title="滨江学校开展主题党日活动",
        subtitle="党员教师走进社区",
        authors="张明 李华",
        source="青湾日报",
        print_edition="《青湾日报》2026年11月20日第5版",
        body=(
            '<p>正文第一段。</p><figure class="image"><img src="/media/editor/a.jpg" alt="活动">'
            "<figcaption>▲ 活动现场</figcaption></figure>"
        ),
        tags=["主题党日", "志愿服务"],
        view_count=321,
        publish_at=timezone.now() - timedelta(days=1),
    )
    following = ArticleFactory(channel=channel, title="下一篇文章")
    related = ArticleFactory(
        channel=ChannelFactory(slug="other"), title="同标签的文章", tags=["志愿服务"]
    )
    ArticleAttachmentFactory(article=article, title="活动方案.pdf")
    html = html_of(client.get(article.get_absolute_url()))
    for expected in [
        '<p class="article__kicker">党建引领</p>',
        '<h1 class="article__title">滨江学校开展主题党日活动</h1>',
        '<p class="article__subtitle">党员教师走进社区</p>',
        "发布时间：",
        "作者：张明 李华",
        "来源：青湾日报",
        "浏览次数：321",
        'data-font-size="large"',
        'data-font-size="medium"',
        'data-font-size="small"',
        "data-print",
        "<summary>分享</summary>",
        f'src="/news/{article.pk}/qrcode.svg"',
        "data-copy-link",
        ">返回</a>",
        "<figcaption>▲ 活动现场</figcaption>",
        '<p class="article__print-edition">《青湾日报》2026年11月20日第5版</p>',
        "附件下载",
        "活动方案.pdf",
        " download>",
        'href="/news/tags/zhu-ti-dang-ri/"',
        f'href="{previous.get_absolute_url()}" rel="prev"',
        f'href="{following.get_absolute_url()}" rel="next"',
        "相关阅读",
        related.get_absolute_url(),
        "最新发布",
        "点击排行",
        "热门标签",
        "热点推荐",
        f'data-view-beacon="/news/{article.pk}/view/"',
        "/static/js/article.js",
    ]:
        assert expected in html, expected
    assert "<script>" not in html
    assert "onclick" not in html


def test_article_meta_canonical_and_open_graph(client, site, channel):
    article = ArticleFactory(
        channel=channel, title="开放图谱测试", summary="这是摘要", cover="news/covers/c.jpg"
    )
    html = html_of(client.get(article.get_absolute_url()))
    canonical = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="开放图谱测试">' in html
    assert '<meta property="og:description" content="这是摘要">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    # The carousel's JPEG rendition (portal.images), never the upload itself.
    og_image = "http://testserver/media/renditions/news/covers/c.jpg.960x540_q85_crop.jpg"
    assert f'property="og:image" content="{og_image}"' in html
    assert '<meta name="description" content="这是摘要">' in html


def test_share_qr_code_is_svg_of_the_article_address(client, channel):
    article = ArticleFactory(channel=channel)
    response = client.get(f"/news/{article.pk}/qrcode.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") or b"<svg" in response.content[:200]
    assert (
        client.get(f"/news/{ArticleFactory(channel=channel, draft=True).pk}/qrcode.svg").status_code
        == 404
    )


def test_tag_page(client, site, channel):
    ArticleFactory(channel=channel, title="带标签的文章", tags=["红色研学"])
    ArticleFactory(channel=channel, title="别的文章", tags=["志愿服务"])
    html = main_column(html_of(client.get("/news/tags/hong-se-yan-xue/")))
    assert "标签：红色研学" in html
    assert "带标签的文章" in html
    assert "别的文章" not in html
    assert client.get("/news/tags/没有这个标签/").status_code == 404


def test_archive_index_and_month(client, site, channel):
    moment = timezone.now().replace(year=2025, month=3, day=15)
    ArticleFactory(channel=channel, title="三月的文章", publish_at=moment)
    ArticleFactory(channel=channel, title="现在的文章")
    index = html_of(client.get("/news/archive/"))
    assert 'href="/news/archive/2025/03/"' in index
    month = main_column(html_of(client.get("/news/archive/2025/03/")))
    assert "2025年3月文章归档" in month
    assert "三月的文章" in month
    assert "现在的文章" not in month
    assert client.get("/news/archive/2025/04/").status_code == 404  # empty month
    assert client.get("/news/archive/2025/13/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/news/no-such-channel/",
        "/news/no-such-channel/rss/",
        "/news/999999/",
        "/news/2026/11/22/999999/",
        "/news/999999/qrcode.svg",
        "/news/archive/2026/00/",
    ],
)
def test_unknown_things_are_404(client, site, url):
    assert client.get(url).status_code == 404
