"""置顶 and 置顶顺序: pin order only ranks pinned articles; every other article is newest first."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


def test_pin_order_without_pin_is_refused_with_a_message():
    article = ArticleFactory.build(is_pinned=False, pin_order=3)
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["channel"])
    assert "置顶" in error.value.message_dict["pin_order"][0]


def test_the_database_refuses_pin_order_without_pin():
    article = ArticleFactory()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(pin_order=2)


def test_unpinning_clears_the_pin_order(client):
    article = ArticleFactory(is_pinned=True, pin_order=4)
    client.force_login(SuperuserFactory())
    response = client.post(
        "/admin/news/article/",
        {"action": "clear_is_pinned", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.is_pinned, article.pin_order) == (False, 0)


def test_channel_page_lists_pinned_by_order_then_everything_newest_first(client):
    now = timezone.now()
    first = ArticleFactory(is_pinned=True, pin_order=1, publish_at=now - timedelta(days=40))
    channel = first.channel
    second = ArticleFactory(
        channel=channel, is_pinned=True, pin_order=2, publish_at=now - timedelta(days=2)
    )
    dated = [
        ArticleFactory(channel=channel, publish_at=now - timedelta(days=days))
        for days in (300, 1, 90, 10)
    ]
    response = client.get(channel.get_absolute_url())
    listed = list(response.context["articles"])
    newest_first = sorted(dated, key=lambda article: article.publish_at, reverse=True)
    assert listed == [first, second, *newest_first]


def test_demo_channels_are_newest_first_after_the_pinned(monkeypatch, tmp_path):
    from django.core.management import call_command

    from news.models import Channel
    from portal import demo as portal_demo

    monkeypatch.setattr(portal_demo, "CREDENTIALS_FILE", tmp_path / "credentials.txt")
    call_command("load_demo")
    assert not Article.objects.filter(is_pinned=False).exclude(pin_order=0).exists()
    for channel in Channel.objects.top_level():
        listed = list(Article.objects.published().in_channel(channel).pinned_first())
        unpinned = [article.publish_at for article in listed if not article.is_pinned]
        assert unpinned == sorted(unpinned, reverse=True), channel.name
