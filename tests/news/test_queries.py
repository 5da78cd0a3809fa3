"""Every public page costs a constant number of SQL queries, whatever the number of articles.

The budgets (stated per page, including the 1 query for SiteSettings every page makes and the 1
for the navigation channels) are measured with 20 and with 200 articles.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleAttachmentFactory, ArticleFactory, ChannelFactory

pytestmark = pytest.mark.django_db

# Measured budgets. Every HTML page: SiteSettings 1 + navigation channels 1; pages with the
# sidebar add 4 (最新发布, 点击排行, 热门标签, 热点推荐).
#   home: top-level channels, latest per channel (one window query), carousel, headlines = 6
#   channel (any page, any year): channel, page keys, page rows, sub-channels + 2 + 4, and the
#     first time in a generation the block-cached channel family, count and years = 13
#   article: article, tags, schools, attachments, previous, next, related + 2 + 4 = 13
#   tag: tag, count, page + 2 + 4 = 9
#   archive month: count, page, previous month, next month, (month check) + 2 + 4 = 11
BUDGETS = {
    "home": 8,
    "channel": 13,
    "channel_last_page": 13,
    "channel_year": 13,
    "article": 13,
    "tag": 9,
    "archive_index": 7,
    "archive_month": 11,
    "rss": 3,
    "atom": 4,
    "channel_rss": 3,
    "sitemap": 6,
    "robots": 0,
    "qrcode": 1,
}


def build(count):
    now = timezone.now()
    top = ChannelFactory(name="工作动态", slug="gongzuo-dongtai")
    sub = ChannelFactory(name="主题党日", slug="zhuti-dangri", parent=top)
    other = ChannelFactory(name="通知公告", slug="tongzhi-gonggao", kind="notice")
    channels = [top, sub, other]
    for n in range(count):
        ArticleFactory(
            channel=channels[n % 3],
            publish_at=now - timedelta(hours=n * 7 + 1),
            tags=[f"标签{n % 12}", "基层党建"],
            is_carousel=n % 5 == 0,
            cover="news/covers/x.jpg" if n % 2 == 0 else "",
            is_headline=n % 11 == 0,
            is_recommended=n % 4 == 0,
            is_pinned=n % 30 == 0,
            view_count=n,
        )
    # Drafts cost nothing either.
    ArticleFactory.create_batch(count // 10, channel=top, draft=True)
    article = Article.objects.published().filter(channel=top).order_by("-publish_at")[5]
    ArticleAttachmentFactory.create_batch(3, article=article)
    return article


def urls(article):
    month = timezone.localtime(article.publish_at)
    return {
        "home": "/",
        "channel": "/news/gongzuo-dongtai/",
        "channel_last_page": "/news/gongzuo-dongtai/?page=last",
        "channel_year": f"/news/gongzuo-dongtai/?year={month.year}",
        "article": article.get_absolute_url(),
        "tag": "/news/tags/ji-ceng-dang-jian/",
        "archive_index": "/news/archive/",
        "archive_month": f"/news/archive/{month:%Y}/{month:%m}/",
        "rss": "/news/feed/rss/",
        "atom": "/news/feed/atom/",
        "channel_rss": "/news/gongzuo-dongtai/rss/",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "qrcode": f"/news/{article.pk}/qrcode.svg",
    }


@pytest.mark.parametrize("count", [20, 200])
def test_queries_constant(client, site, django_assert_max_num_queries, count):
    article = build(count)
    for page, url in urls(article).items():
        with django_assert_max_num_queries(BUDGETS[page], info=f"{page} with {count} articles"):
            response = client.get(url)
        assert response.status_code == 200, (page, url)
