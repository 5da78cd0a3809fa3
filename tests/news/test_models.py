"""The model rules: what is public, summaries, sources, channel levels, URLs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from news.models import Article, ArticleStatus, Channel
from tests.factories import ArticleFactory, ChannelFactory, SiteSettingsFactory

pytestmark = pytest.mark.django_db


def test_published_is_status_published_and_time_come(channel):
    visible = ArticleFactory(channel=channel)
    ArticleFactory(channel=channel, scheduled=True)
    for status in ArticleStatus.values:
        if status != ArticleStatus.PUBLISHED:
            ArticleFactory(channel=channel, status=status)
    assert list(Article.objects.published()) == [visible]
    # Related managers share the same definition.
    assert list(channel.articles.published()) == [visible]


def test_scheduled_article_appears_when_its_time_comes(channel):
    article = ArticleFactory(channel=channel, scheduled=True)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_every_workflow_state_exists():
    assert set(ArticleStatus.labels) == {
        "草稿",
        "待审核",
        "审核中",
        "已通过",
        "已发布",
        "退回",
        "已撤稿",
    }


def test_excerpt_generated_from_body_when_summary_empty(channel):
    body = "<p>" + "党员教师走进社区开展志愿服务。" * 20 + "</p>"
    article = ArticleFactory(channel=channel, summary="", body=body)
    assert article.excerpt.startswith("党员教师走进社区开展志愿服务。")
    assert article.excerpt.endswith("…")
    assert len(article.excerpt) == 120
    assert "<" not in article.excerpt


def test_excerpt_leaves_out_captions_and_uses_summary_when_given(channel):
    body = (
        '<figure class="image"><img src="/media/a.jpg" alt="">'
        "<figcaption>▲ 图注</figcaption></figure><p>正文开头。</p>"
    )
    assert ArticleFactory(channel=channel, body=body).excerpt == "正文开头。"
    assert ArticleFactory(channel=channel, summary=" 编辑写的摘要 ").excerpt == "编辑写的摘要"


def test_source_defaults_to_site_name(channel):
    SiteSettingsFactory(site_name="青湾区教育系统党建网")
    article = ArticleFactory(channel=channel, source="")
    assert article.source == "青湾区教育系统党建网"
    assert ArticleFactory(channel=channel, source="青湾日报").source == "青湾日报"


def test_body_is_sanitised_on_every_save(channel):
    article = ArticleFactory(
        channel=channel, body='<p onclick="x()">正文<script>alert(1)</script></p>'
    )
    article.refresh_from_db()
    assert article.body == "<p>正文</p>"


def test_absolute_url_uses_local_publish_date_zero_padded(channel):
    # 2026-03-04 20:30 UTC is already 5 March in Beijing.
    moment = datetime(2026, 3, 4, 20, 30, tzinfo=ZoneInfo("UTC"))
    article = ArticleFactory(channel=channel, publish_at=moment)
    assert article.get_absolute_url() == f"/news/2026/03/05/{article.pk}/"


def test_channel_one_level_only():
    top = ChannelFactory(slug="top")
    child = ChannelFactory(slug="child", parent=top)
    grandchild = Channel(name="孙栏目", slug="grandchild", parent=child)
    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()
    assert "parent" in error.value.message_dict
    top.parent = ChannelFactory(slug="other")
    with pytest.raises(ValidationError):
        top.full_clean()


@pytest.mark.parametrize("slug", ["archive", "tags", "feed", "2026"])
def test_channel_slug_cannot_shadow_news_paths(slug):
    with pytest.raises(ValidationError) as error:
        Channel(name="栏目", slug=slug).full_clean()
    assert "slug" in error.value.message_dict


def test_channel_kind_defaults_to_news():
    assert ChannelFactory().kind == "news"


def test_pinned_first_then_newest(channel):
    old_pinned = ArticleFactory(
        channel=channel, is_pinned=True, publish_at=timezone.now() - timedelta(days=30)
    )
    newest = ArticleFactory(channel=channel)
    second_pin = ArticleFactory(
        channel=channel, is_pinned=True, pin_order=5, publish_at=timezone.now() - timedelta(days=3)
    )
    ordered = list(Article.objects.published().pinned_first())
    assert ordered == [old_pinned, second_pin, newest]


def test_related_prefers_shared_tags_then_channel(channel):
    other_channel = ChannelFactory(slug="other")
    article = ArticleFactory(channel=channel, tags=["红色研学"])
    same_tag = ArticleFactory(
        channel=other_channel, tags=["红色研学"], publish_at=timezone.now() - timedelta(days=9)
    )
    same_channel = ArticleFactory(channel=channel)
    ArticleFactory(channel=other_channel)  # unrelated
    ArticleFactory(channel=channel, tags=["红色研学"], draft=True)  # never public
    related = list(Article.objects.published().related_to(article))
    assert related == [same_tag, same_channel]


def test_latest_per_channel_counts_sub_channels_for_parent(channel):
    child = ChannelFactory(slug="child", parent=channel)
    other = ChannelFactory(slug="other")
    for _ in range(3):
        ArticleFactory(channel=child)
        ArticleFactory(channel=other)
    rows = list(Article.objects.published().latest_per_channel(2))
    assert [row.top_channel_id for row in rows].count(channel.pk) == 2
    assert [row.top_channel_id for row in rows].count(other.pk) == 2
