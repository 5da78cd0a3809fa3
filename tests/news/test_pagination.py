"""Channel lists: 20 a page, numbered pages, bad page numbers and years are 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(channel):
    now = timezone.now()
    return [
        ArticleFactory(
            channel=channel, title=f"第{n:02d}篇", publish_at=now - timedelta(hours=n + 1)
        )
        for n in range(45)
    ]


def titles(response):
    return [article.title for article in response.context["articles"]]


def test_first_page_has_twenty_newest(client, site, channel, many):
    response = client.get("/news/gongzuo-dongtai/")
    assert titles(response) == [f"第{n:02d}篇" for n in range(20)]
    html = response.content.decode()
    assert '<span aria-current="page">1</span>' in html
    assert 'href="?page=3"' in html
    assert 'rel="next"' in html and 'rel="prev"' not in html
    assert "共 45 篇，第 1/3 页" in html


def test_last_page_and_last_keyword(client, site, channel, many):
    response = client.get("/news/gongzuo-dongtai/?page=3")
    assert titles(response) == [f"第{n:02d}篇" for n in range(40, 45)]
    assert 'rel="next"' not in response.content.decode()
    assert titles(client.get("/news/gongzuo-dongtai/?page=last")) == titles(response)


@pytest.mark.parametrize("page", ["0", "4", "-1", "abc", "1.5", "99999999999999999999"])
def test_bad_page_numbers_are_404(client, site, channel, many, page):
    assert client.get(f"/news/gongzuo-dongtai/?page={page}").status_code == 404


def test_empty_channel_page_one_is_fine(client, site, channel):
    response = client.get("/news/gongzuo-dongtai/")
    assert response.status_code == 200
    assert "暂无文章" in response.content.decode()
    assert client.get("/news/gongzuo-dongtai/?page=2").status_code == 404


def test_year_filter(client, site, channel):
    now = timezone.localtime()
    ArticleFactory(channel=channel, title="今年的文章")
    ArticleFactory(channel=channel, title="前年的文章", publish_at=now.replace(year=now.year - 2))
    response = client.get(f"/news/gongzuo-dongtai/?year={now.year - 2}")
    assert titles(response) == ["前年的文章"]
    html = response.content.decode()
    assert f'<option value="{now.year - 2}" selected>' in html
    # Pagination links keep the year.
    assert client.get(f"/news/gongzuo-dongtai/?year={now.year}").status_code == 200


@pytest.mark.parametrize("year", ["abc", "20x6", "0", "-2020", "99999"])
def test_malformed_year_is_404(client, site, channel, year):
    assert client.get(f"/news/gongzuo-dongtai/?year={year}").status_code == 404


def test_pagination_keeps_year_filter(client, site, channel):
    mid_last_year = timezone.localtime().replace(month=6, day=15) - timedelta(days=365)
    for n in range(25):
        ArticleFactory(channel=channel, publish_at=mid_last_year - timedelta(hours=n))
    ArticleFactory(channel=channel)
    html = client.get(f"/news/gongzuo-dongtai/?year={mid_last_year.year}").content.decode()
    assert f'href="?year={mid_last_year.year}&amp;page=2"' in html
