"""全部新闻 (/news/): every channel's published articles, newest first, linked from every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, ChannelFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return [article.title for article in response.context["articles"]]


def test_lists_every_channel_newest_first_without_drafts(client, site, channel):
    other = ChannelFactory(name="通知公告", slug="tongzhi-gonggao")
    now = timezone.now()
    ArticleFactory(channel=channel, title="旧的", publish_at=now - timedelta(days=3))
    ArticleFactory(channel=other, title="新的", publish_at=now - timedelta(days=1))
    ArticleFactory(channel=other, title="草稿", draft=True)
    ArticleFactory(channel=other, title="定时", scheduled=True)
    response = client.get("/news/")
    assert response.status_code == 200
    assert titles(response) == ["新的", "旧的"]


def test_year_filter_and_bad_input(client, site, channel):
    now = timezone.now()
    ArticleFactory(channel=channel, title="今年", publish_at=now - timedelta(hours=1))
    ArticleFactory(channel=channel, title="往年", publish_at=now.replace(year=now.year - 2))
    response = client.get(f"/news/?year={now.year - 2}")
    assert titles(response) == ["往年"]
    assert f'<option value="{now.year - 2}" selected>' in response.content.decode()
    assert client.get("/news/?year=abc").status_code == 404
    assert client.get("/news/?page=99").status_code == 404


def test_linked_from_the_navigation_the_sidebar_and_the_footer(client, site, channel):
    ArticleFactory(channel=channel)
    html = client.get(channel.get_absolute_url()).content.decode()
    assert html.count('href="/news/"') >= 3
    assert 'href="/news/archive/"' in html
