"""Stable article addresses: wrong dates and old forms redirect to the canonical URL."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ArticleFactory, ChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated_article(channel):
    return ArticleFactory(
        channel=channel, publish_at=datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    )


def test_canonical_url_renders(client, site, dated_article):
    url = f"/news/2026/11/20/{dated_article.pk}/"
    assert dated_article.get_absolute_url() == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "template",
    [
        "/news/2026/11/19/{pk}/",  # publish date changed
        "/news/2026/1/20/{pk}/",  # not zero-padded
        "/news/2020/01/01/{pk}/",
        "/news/{pk}/",  # short form
        "/news/gongzuo-dongtai/{pk}/",  # old form with the channel
        "/news/old-channel-name/{pk}/",  # channel renamed or article moved
    ],
)
def test_old_forms_redirect_permanently(client, site, dated_article, template):
    response = client.get(template.format(pk=dated_article.pk))
    assert response.status_code == 301
    assert response["Location"] == f"/news/2026/11/20/{dated_article.pk}/"


def test_moving_to_another_channel_keeps_the_url(client, site, dated_article):
    before = dated_article.get_absolute_url()
    dated_article.channel = ChannelFactory(slug="jiceng-fengcai")
    dated_article.title = "改过的标题"
    dated_article.save()
    assert dated_article.get_absolute_url() == before
    assert client.get(before).status_code == 200


def test_digit_only_channel_segment_is_not_an_article_address(client, site, dated_article):
    assert client.get(f"/news/2026/{dated_article.pk}/").status_code == 404
