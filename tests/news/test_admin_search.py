"""The admin's article search: the short fields by their characters, the body of published
articles through the Chinese full-text index, the body of the others by its characters."""

import pytest
from django.urls import reverse

from news.models import Article, ArticleStatus
from tests.factories import ArticleFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the index follows on commit
        return {
            "published": ArticleFactory(
                title="秋季运动会", body="<p>各年级在家校共育活动中展示风采。</p>"
            ),
            "draft": ArticleFactory(
                status=ArticleStatus.DRAFT, title="草稿一篇", body="<p>推进家校共育工作。</p>"
            ),
            "byline": ArticleFactory(title="升旗仪式", authors="王小明", source="文昌小学"),
            "other": ArticleFactory(title="消防演练", body="<p>全体师生参加疏散演练。</p>"),
        }


def found(text):
    return set(Article.objects.holding_text(text).values_list("title", flat=True))


def test_the_body_is_searched_by_words_when_published_and_by_characters_otherwise(articles):
    assert found("家校共育") == {"秋季运动会", "草稿一篇"}
    assert found("王小明") == {"升旗仪式"}
    assert found("文昌小学") == {"升旗仪式"}
    assert found("  ") == set(Article.objects.values_list("title", flat=True))


def test_a_published_body_is_found_from_the_index_not_by_reading_it(articles):
    # Taken out of the index (as a rebuild in progress would leave it), the published article's
    # body is no longer searched: the index answers, not a scan of every body.
    from news import search

    search.remove(articles["published"].pk)
    assert found("家校共育") == {"草稿一篇"}


def test_the_changelist_search_box(client, articles):
    client.force_login(SuperuserFactory(username="root"))
    response = client.get(reverse("admin:news_article_changelist"), {"q": "家校共育"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "秋季运动会" in html and "草稿一篇" in html and "消防演练" not in html
    assert "按标题、作者、来源、摘要或正文查找" in html
