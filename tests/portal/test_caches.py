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


def test_file_cache_stores_pages_uncompressed_and_still_reads_compressed_files(settings, tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache as DjangosFileCache

    settings.CACHES = {
        "default": {"BACKEND": "portal.caches.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    page = "<p>党建工作</p>".encode() * 2000
    cache.set("page", (page, [("Content-Type", "text/html")]))
    (stored,) = tmp_path.glob("*.djcache")
    assert page in stored.read_bytes()  # as it is: nothing to unpack on a hit
    assert cache.get("page") == (page, [("Content-Type", "text/html")])
    assert cache.touch("page", 60) and cache.get("page")[0] == page

    DjangosFileCache(str(tmp_path), {}).set("old", {"generation": "abc"})
    assert cache.get("old") == {"generation": "abc"}
    assert cache.touch("old", 60) and cache.get("old") == {"generation": "abc"}
