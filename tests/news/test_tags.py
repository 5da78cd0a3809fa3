"""Tag slugs: every tag has a non-empty, unique slug and a page, whatever its name."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from taggit.models import Tag

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PUNCTUATION_TAGS = ["%}", "！！", "——", "【】"]


@pytest.mark.parametrize("name", PUNCTUATION_TAGS)
def test_article_with_a_punctuation_tag_leaves_every_page_working(client, site, channel, name):
    article = ArticleFactory(channel=channel, title="带标点标签的文章", tags=[name])
    ArticleFactory(channel=channel, title="另一篇文章", tags=["主题党日"])
    tag = Tag.objects.get(name=name)
    assert tag.slug
    month = timezone.localtime(article.publish_at)
    for url in [
        "/",
        article.get_absolute_url(),
        channel.get_absolute_url(),
        "/news/archive/",
        f"/news/archive/{month:%Y}/{month:%m}/",
        f"/news/tags/{tag.slug}/",
        "/news/tags/zhu-ti-dang-ri/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/news/tags/{tag.slug}/"' in html
    assert "带标点标签的文章" in client.get(f"/news/tags/{tag.slug}/").content.decode()


def test_all_punctuation_tags_together_get_distinct_slugs(client, site, channel):
    ArticleFactory(channel=channel, tags=PUNCTUATION_TAGS)
    slugs = list(Tag.objects.filter(name__in=PUNCTUATION_TAGS).values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 4
    assert all(slug.startswith("tag") for slug in slugs)


def test_new_tags_get_pinyin_slugs():
    ArticleFactory(tags=["主题党日", "Party Day", "志愿服务2026"])
    assert dict(Tag.objects.values_list("name", "slug")) == {
        "主题党日": "zhu-ti-dang-ri",
        "Party Day": "party-day",
        "志愿服务2026": "zhi-yuan-fu-wu-2026",
    }


def test_names_with_the_same_pinyin_get_distinct_slugs():
    ArticleFactory(tags=["党日", "党-日", "党 日"])
    slugs = sorted(Tag.objects.values_list("slug", flat=True))
    assert slugs == ["dang-ri", "dang-ri-2", "dang-ri-3"]


def test_a_renamed_tag_keeps_its_address():
    tag = Tag.objects.create(name="主题党日")
    tag.name = "主题党日活动"
    tag.save()
    tag.refresh_from_db()
    assert tag.slug == "zhu-ti-dang-ri"


def test_a_tag_without_a_slug_is_shown_without_a_link(client, site, channel):
    """Tags are created with a slug; one a change for review would add has none yet."""
    article = ArticleFactory(channel=channel, tags=["主题党日"])
    Tag.objects.filter(name="主题党日").update(slug="")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<span>主题党日</span>" in html
    assert 'href="/news/tags//"' not in html


def test_migration_gives_every_slugless_tag_a_slug():
    migration = importlib.import_module("news.migrations.0008_tag_slugs")
    for number, name in enumerate(PUNCTUATION_TAGS):
        Tag.objects.create(name=name)
        # As taggit left them: the first empty, the others numbered after it.
        Tag.objects.filter(name=name).update(slug=f"_{number}" if number else "")
    Tag.objects.create(name="主题党日")
    Tag.objects.filter(name="主题党日").update(slug="主题党日")
    migration.fix_tag_slugs(apps, None)
    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs.pop("主题党日") == "主题党日"
    assert sorted(slugs.values()) == ["tag", "tag-2", "tag-3", "tag-4"]
