"""The one pagination partial every list uses."""

import re

import pytest

from tests.factories import ArticleFactory, ChannelFactory


@pytest.mark.django_db
def test_pagination_shows_ends_neighbours_and_ellipsis(client):
    channel = ChannelFactory()
    ArticleFactory.create_batch(200, channel=channel)  # 10 pages of 20
    html = client.get(channel.get_absolute_url() + "?page=5").content.decode()
    assert re.findall(r'aria-label="第 (\d+) 页"', html) == ["1", "2", "3", "4", "6", "7", "10"]
    assert '<span aria-current="page">5</span>' in html
    assert html.count("…") == 1  # between 7 and 10
