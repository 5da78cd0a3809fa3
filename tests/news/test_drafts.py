"""Drafts and scheduled articles never leak; staff preview them on the real URL."""

import pytest
from django.utils import timezone

from news.models import ArticleStatus, ArticleViewDay
from tests.factories import ArticleFactory, StaffFactory, SuperuserFactory

pytestmark = pytest.mark.django_db

SECRET_WORDS = ["草稿不应出现", "定时不应出现", "待审不应出现", "退回不应出现", "撤稿不应出现"]


@pytest.fixture
def hidden_articles(channel):
    """Unpublished articles with every flag set, shared tags, top views: tempting every list."""
    tempting = {
        "is_headline": True,
        "is_recommended": True,
        "is_carousel": True,
        "is_pinned": True,
        "view_count": 10**6,
        "cover": "news/covers/secret.jpg",
        "tags": ["共同标签", "秘密标签"],
        "channel": channel,
    }
    hidden = [
        ArticleFactory(title=SECRET_WORDS[0], status=ArticleStatus.DRAFT, **tempting),
        ArticleFactory(title=SECRET_WORDS[1], scheduled=True, **tempting),
        ArticleFactory(title=SECRET_WORDS[2], status=ArticleStatus.SUBMITTED, **tempting),
        ArticleFactory(title=SECRET_WORDS[3], status=ArticleStatus.REJECTED, **tempting),
        ArticleFactory(title=SECRET_WORDS[4], status=ArticleStatus.WITHDRAWN, **tempting),
    ]
    # Top of 点击排行 too (say, views before it was withdrawn).
    ArticleViewDay.objects.bulk_create(
        ArticleViewDay(article=article, day=timezone.localdate(), views=10**6) for article in hidden
    )
    return hidden


@pytest.fixture
def public_article(channel):
    return ArticleFactory(channel=channel, title="公开的文章", tags=["共同标签"])


def public_urls(public_article, channel):
    month = timezone.localtime(public_article.publish_at)
    return [
        "/",
        channel.get_absolute_url(),
        f"{channel.get_absolute_url()}?year={month.year}",
        f"{channel.get_absolute_url()}?page=1",
        public_article.get_absolute_url(),  # prev/next, related, sidebar
        "/news/tags/gong-tong-biao-qian/",
        "/news/archive/",
        f"/news/archive/{month:%Y}/{month:%m}/",
        "/news/feed/rss/",
        "/news/feed/atom/",
        f"{channel.get_absolute_url()}rss/",
        f"{channel.get_absolute_url()}atom/",
        "/sitemap.xml",
        "/search/",  # hot tags
        "/search/?q=不应出现",
        "/search/?q=秘密",
        "/search/?q=公开",  # results
    ]


def test_unpublished_never_appear_anywhere(client, site, channel, hidden_articles, public_article):
    for url in public_urls(public_article, channel):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for word in SECRET_WORDS:
            assert word not in html, (url, word)
        for hidden in hidden_articles:
            assert hidden.get_absolute_url() not in html, (url, hidden.title)
            assert f"/news/{hidden.pk}/" not in html, (url, hidden.title)
        assert "秘密标签" not in html, url


def test_unpublished_article_urls_are_404_for_the_public(client, site, hidden_articles):
    for hidden in hidden_articles:
        assert client.get(hidden.get_absolute_url()).status_code == 404, hidden.title
        assert client.get(f"/news/{hidden.pk}/").status_code == 404
        assert client.get(f"/news/{hidden.pk}/qrcode.svg").status_code == 404
        assert client.post(f"/news/{hidden.pk}/view/").status_code == 404
    # A tag only unpublished articles carry has no public page either.
    assert client.get("/news/tags/mi-mi-biao-qian/").status_code == 404


def test_staff_without_change_permission_cannot_preview(client, site, hidden_articles):
    client.force_login(StaffFactory())
    assert client.get(hidden_articles[0].get_absolute_url()).status_code == 404


def test_editor_previews_draft_on_real_url_with_banner_and_no_cache(client, site, hidden_articles):
    client.force_login(SuperuserFactory())
    draft, scheduled = hidden_articles[0], hidden_articles[1]
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "预览：这篇文章尚未公开。" in html
    assert "当前状态为“草稿”" in html
    assert "no-store" in response["Cache-Control"]
    assert "data-view-beacon" not in html  # a preview never counts as a view
    assert '<meta name="robots" content="noindex, nofollow">' in html
    scheduled_html = client.get(scheduled.get_absolute_url()).content.decode()
    assert "将于" in scheduled_html and "自动发布" in scheduled_html


def test_published_page_has_no_preview_banner(client, site, public_article):
    response = client.get(public_article.get_absolute_url())
    assert "预览" not in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")
