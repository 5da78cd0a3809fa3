"""Every public page costs a constant number of SQL queries, whatever the number of articles.

The budgets (stated per page, including the 1 query for SiteSettings every page makes and the 1
for the navigation channels) are measured with 20 and with 200 articles.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleAttachmentFactory, ArticleFactory, ChannelFactory

pytestmark = pytest.mark.django_db

# Measured budgets with the cache empty (a cold start or the first request after a change).
# Every page: the page-cache generation 1 (when the next scheduled article goes public); HTML
# pages: SiteSettings 1 + the channel tree 1; pages with the sidebar add 2 (最新发布, 点击排行
# and 热点推荐 in one; 热门标签). A page served from the cache runs none
# (test_cached_pages_run_no_query).
#   home: latest per channel (one window query), carousel, headlines, brands, campaigns = 5 + 3
#   channel or 全部新闻 (any page, any year): count, page (keys and rows in one), years + 3 + 2 = 8
#   article: article, tags with schools, attachments, previous and next, related + 3 + 2 = 10
#   tag: tag, count, page + 3 + 2 = 8
#   archive month: months, count, page, (month check) + 3 + 2 = 9
#   网站地图: schools, brands, campaigns + 3 = 6
BUDGETS = {
    "home": 8,
    "all_news": 8,
    "channel": 8,
    "channel_last_page": 8,
    "channel_year": 8,
    "article": 10,
    "tag": 8,
    "archive_index": 6,
    "archive_month": 9,
    "rss": 4,
    "atom": 5,
    "channel_rss": 5,
    "sitemap": 6,
    "site_map": 6,
    "robots": 0,
    "qrcode": 1,
}


# Not pages (an image) or not worth keeping (a static text): never in the page cache.
NOT_PUBLIC_PAGES = {"robots", "qrcode"}


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
        "all_news": "/news/",
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
        "site_map": "/sitemap/",
        "robots": "/robots.txt",
        "qrcode": f"/news/{article.pk}/qrcode.svg",
    }


@pytest.mark.parametrize("count", [20, 200])
def test_queries_constant(client, site, django_assert_max_num_queries, count):
    article = build(count)
    for page, url in urls(article).items():
        cache.clear()  # cold: nothing cached, not even the generation or the sidebar
        with django_assert_max_num_queries(BUDGETS[page], info=f"{page} with {count} articles"):
            response = client.get(url)
        assert response.status_code == 200, (page, url)


@pytest.mark.parametrize("count", [20, 200])
def test_cached_pages_run_no_query(client, site, django_assert_num_queries, count):
    article = build(count)
    for page, url in urls(article).items():
        if page in NOT_PUBLIC_PAGES:
            continue
        first = client.get(url)
        with django_assert_num_queries(0, info=f"{page} from the cache"):
            again = client.get(url)
        assert again.status_code == 200, (page, url)
        assert again.content == first.content, page
