"""A cache that fails costs speed, never a page: Redis down or a broken cache folder."""

import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory, ChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    return ArticleFactory(channel=ChannelFactory(slug="gongzuo-dongtai"), title="缓存故障也能看")


@pytest.mark.parametrize("broken_cache", ["dead_redis", "broken_file_cache"])
def test_pages_are_served_uncached(request, client, published, broken_cache):
    request.getfixturevalue(broken_cache)
    for url in ["/", "/sitemap.xml", published.get_absolute_url(), "/news/feed/rss/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert published.get_absolute_url() in client.get("/sitemap.xml").content.decode()


@pytest.mark.usefixtures("broken_file_cache")
def test_broken_file_cache_reads_as_misses():
    assert cache.add("key", 1) is False
    cache.set("key", 1)
    assert cache.get("key", "missing") == "missing"
    assert cache.has_key("key") is False
    assert cache.delete("key") is False
    cache.clear()


def test_damaged_cache_file_reads_as_a_miss(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "portal.caches.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    cache.set("key", "value")
    (damaged,) = tmp_path.glob("*.djcache")
    damaged.write_bytes(damaged.read_bytes()[:-3])
    assert cache.get("key") is None


def test_sitemap_is_cached_in_the_shared_cache_until_an_article_is_published(
    settings, tmp_path, client, published, django_assert_num_queries
):
    settings.CACHES = {
        "default": {"BACKEND": "portal.caches.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        client.get("/sitemap.xml")
    later = ArticleFactory(channel=published.channel, title="刚发布的文章")
    assert later.get_absolute_url() in client.get("/sitemap.xml").content.decode()
