"""Long lists: a deep page costs what the first costs, counts and years come from the block
cache and follow every publication, 相关阅读 keeps its order."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from news.models import Article
from tests.factories import ArticleFactory, ChannelFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def building_pages(settings):
    """Every request builds its page: what is measured is the page, not the page cache."""
    settings.PAGE_CACHE_ENABLED = False


def bulk_articles(channel, count):
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"第{n}篇",
            channel=channel,
            status="published",
            publish_at=now - timedelta(hours=n + 1),
            source="学校供稿",
        )
        for n in range(count)
    )


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


def test_deep_page_costs_as_many_queries_as_the_first(client, site, channel, building_pages):
    bulk_articles(channel, 10_010)  # page 501 has 10
    client.get("/news/gongzuo-dongtai/?page=2")  # the block caches of this generation are filled
    first = queries_of(client, "/news/gongzuo-dongtai/")
    deep = queries_of(client, "/news/gongzuo-dongtai/?page=500")
    assert len(deep) == len(first)
    assert not [sql for sql in deep if "COUNT(" in sql]
    assert len(queries_of(client, "/news/gongzuo-dongtai/?page=501")) == len(first)
    assert client.get("/news/gongzuo-dongtai/?page=502").status_code == 404


def test_list_page_read_again_in_a_generation_runs_no_query(
    client, site, channel, building_pages, django_assert_num_queries
):
    bulk_articles(channel, 45)
    for url in ("/news/gongzuo-dongtai/", "/news/gongzuo-dongtai/?page=3", "/news/"):
        titles = [article.title for article in client.get(url).context["articles"]]
        with django_assert_num_queries(0):
            again = client.get(url)
        assert [article.title for article in again.context["articles"]] == titles
    newest = ArticleFactory(channel=channel, title="刚发布的文章")
    assert newest in client.get("/news/gongzuo-dongtai/").context["articles"]
    # Everything moved one place down: page 3 starts one article earlier than before.
    assert client.get("/news/gongzuo-dongtai/?page=3").context["articles"][0].title == "第39篇"


def test_tag_page_read_again_in_a_generation_runs_no_query(
    client, site, channel, building_pages, django_assert_num_queries
):
    ArticleFactory(channel=channel, title="有标签的文章", tags=["主题党日"])
    ArticleFactory(channel=channel, title="草稿", draft=True, tags=["只在草稿里"])
    url = "/news/tags/zhu-ti-dang-ri/"
    assert "有标签的文章" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        assert "有标签的文章" in client.get(url).content.decode()
    draft_tag = Tag.objects.get(name="只在草稿里")
    assert client.get(f"/news/tags/{draft_tag.slug}/").status_code == 404


def test_page_queries_do_not_grow_with_the_articles(client, site, channel, building_pages):
    bulk_articles(channel, 45)
    small = [len(queries_of(client, f"/news/gongzuo-dongtai/?page={n}")) for n in (1, 3)]
    bulk_articles(channel, 400)
    cache.clear()  # bulk_create sends no signal: a new generation by hand
    client.get("/news/gongzuo-dongtai/?page=1")
    large = [len(queries_of(client, f"/news/gongzuo-dongtai/?page={n}")) for n in (2, 20)]
    assert small[1] == large[0] == large[1]


def test_deep_page_has_the_right_rows(client, site, channel, building_pages):
    bulk_articles(channel, 450)
    pinned = ArticleFactory(channel=channel, title="置顶的文章", is_pinned=True)
    articles = client.get("/news/gongzuo-dongtai/?page=12").context["articles"]
    # Page 1 starts with the pinned article, so page 12 starts one later.
    assert [article.title for article in articles] == [f"第{n}篇" for n in range(219, 239)]
    assert pinned not in articles


def test_sub_channel_articles_count_for_the_parent(client, site, channel, building_pages):
    child = ChannelFactory(slug="zhuti-dangri", parent=channel)
    ArticleFactory(channel=channel, title="本栏目的")
    ArticleFactory(channel=child, title="子栏目的")
    html = client.get("/news/gongzuo-dongtai/").content.decode()
    assert "本栏目的" in html and "子栏目的" in html


def test_years_and_count_follow_a_publication(
    client, site, channel, building_pages, django_capture_on_commit_callbacks
):
    this_year = timezone.localtime().year
    ArticleFactory(channel=channel)
    ArticleFactory(channel=channel)
    # The list of years is called by the template when it renders the list.
    assert client.get("/news/gongzuo-dongtai/").context["years"]() == [this_year]
    old = ArticleFactory(
        channel=channel, draft=True, publish_at=timezone.now() - timedelta(days=3 * 366)
    )
    old.status = "published"
    with django_capture_on_commit_callbacks(execute=True):
        old.save()
    response = client.get("/news/gongzuo-dongtai/")
    assert response.context["years"]() == [this_year, old.local_publish_date.year]
    assert f'<option value="{old.local_publish_date.year}">' in response.content.decode()
    assert response.context["paginator"].count == 3
    response = client.get(f"/news/gongzuo-dongtai/?year={old.local_publish_date.year}")
    assert response.context["paginator"].count == 1


def test_counts_are_kept_until_something_public_changes(client, site, channel, building_pages):
    ArticleFactory(channel=channel)
    client.get("/news/gongzuo-dongtai/")
    ArticleFactory(channel=channel, draft=True)  # not public: the count stays
    assert not [sql for sql in queries_of(client, "/news/gongzuo-dongtai/") if "COUNT(" in sql]
    ArticleFactory(channel=channel)
    assert client.get("/news/gongzuo-dongtai/").context["paginator"].count == 2


def test_tag_and_month_lists_count_from_the_block_cache(client, site, channel, building_pages):
    article = ArticleFactory(channel=channel, tags=["基层党建"])
    month = timezone.localtime(article.publish_at)
    for url in ("/news/tags/ji-ceng-dang-jian/", f"/news/archive/{month:%Y}/{month:%m}/"):
        client.get(url)
        assert client.get(url).context["paginator"].count == 1
        assert not [sql for sql in queries_of(client, url) if "COUNT(" in sql]


def hot_tags_shown(client):
    html = client.get("/news/gongzuo-dongtai/").content.decode()
    cloud = html.split('<ul class="tag-cloud">')[1].split("</ul>")[0]
    return re.findall(r">([^<>（]+)<span", cloud)


def test_hot_tags_follow_a_publication(client, site, channel, django_capture_on_commit_callbacks):
    ArticleFactory(channel=channel, tags=["志愿服务"])
    assert hot_tags_shown(client) == ["志愿服务"]
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(channel=channel, tags=["红色研学", "志愿服务"])
    assert hot_tags_shown(client) == ["志愿服务", "红色研学"]


# --- 相关阅读 ---------------------------------------------------------------------------------


def test_related_order_tags_then_schools_then_channel(channel):
    other = ChannelFactory(slug="other")
    school, second_school = SchoolFactory(), SchoolFactory()
    article = ArticleFactory(channel=channel, tags=["党史学习", "红色研学"])
    article.schools.set([school, second_school])
    now = timezone.now()

    def make(title, days, tags=(), schools=(), at=other, **kwargs):
        made = ArticleFactory(
            channel=at,
            title=title,
            tags=list(tags),
            publish_at=now - timedelta(days=days),
            **kwargs,
        )
        made.schools.set(schools)
        return made

    two_tags = make("两个标签", 30, ["党史学习", "红色研学"])
    one_tag_new = make("一个标签（新）", 2, ["红色研学"], [school, second_school])
    one_tag_old = make("一个标签（旧）", 20, ["党史学习"])
    two_schools = make("两所学校", 40, schools=[school, second_school])
    one_school = make("一所学校", 1, schools=[school])
    same_channel = make("同栏目", 3, at=channel)
    make("同栏目较旧", 50, at=channel)
    make("草稿", 1, ["党史学习", "红色研学"], [school], draft=True)
    make("定时", -1, ["党史学习", "红色研学"])  # published tomorrow
    make("无关", 1)

    related = Article.objects.published().related_to(article)
    assert related == [two_tags, one_tag_new, one_tag_old, two_schools, one_school, same_channel]


def test_related_falls_back_to_the_channel_and_never_shows_itself(channel):
    article = ArticleFactory(channel=channel)
    newer = [ArticleFactory(channel=channel) for _ in range(8)]
    related = Article.objects.published().related_to(article)
    assert article not in related
    assert related == sorted(newer, key=lambda a: (a.publish_at, a.pk), reverse=True)[:6]
