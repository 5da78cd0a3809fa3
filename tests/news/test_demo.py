import pytest
from django.core.management import call_command

from news import demo
from news.models import Article, ArticleStatus, Channel


@pytest.mark.django_db
def test_demo_news_is_complete_and_idempotent(monkeypatch, tmp_path):
    from portal import demo as portal_demo

    monkeypatch.setattr(portal_demo, "CREDENTIALS_FILE", tmp_path / "credentials.txt")
    call_command("load_demo")
    call_command("load_demo")
    top = Channel.objects.top_level()
    assert {c.name for c in top} == {
        "工作动态",
        "基层风采",
        "党史学习",
        "通知公告",
        "媒体报道",
        "专题活动",
    }
    assert Channel.objects.get(name="通知公告").kind == "notice"
    assert Channel.objects.filter(parent__isnull=False).exists()
    assert Article.objects.count() == demo.ARTICLE_COUNT + len(demo.WORKFLOW_ARTICLES)
    published = Article.objects.published()
    assert published.count() > 150
    assert Article.objects.exclude(status=ArticleStatus.PUBLISHED).exists()  # drafts etc.
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() > published.count()
    assert published.filter(is_carousel=True).exclude(cover="").exists()
    for article in Article.objects.exclude(cover=""):
        article.clean()  # every cover has its 封面图说明
    assert published.filter(is_headline=True).exists()
    assert published.filter(is_recommended=True).exists()
    assert published.filter(is_pinned=True).exists()
    assert published.exclude(print_edition="").exists()
    assert published.filter(body__contains="<figcaption>▲").exists()
    oldest = published.earliest().publish_at
    newest = published.latest().publish_at
    assert (newest - oldest).days > 2 * 365
    # 点击排行 has something to show; daily views add up to the counts of the recent articles.
    ranking = list(published.most_viewed()[:8])
    assert len(ranking) == 8
    assert all(article.recent_views == article.view_count for article in ranking)
    # The demo data's pages render.
    from django.test import Client

    client = Client()
    assert client.get("/").status_code == 200
    article = published.filter(is_carousel=True).first()
    assert client.get(article.get_absolute_url()).status_code == 200
