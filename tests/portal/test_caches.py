"""A cache that fails costs speed, never a page: Redis down or a broken cache folder."""

import os
import time
from unittest import mock

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


def _file_cache(tmp_path):
    from portal.caches import FileBasedCache

    return FileBasedCache(str(tmp_path), {})


def _age(path, seconds):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))


def _rewrite_in_place(path, old, new):
    """Another value of the same size written into the same file with the same times: a
    change that stat() cannot see."""
    stat = path.stat()
    path.write_bytes(path.read_bytes().replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_stable_value_is_read_once_while_its_file_stays_the_same(tmp_path):
    reader = _file_cache(tmp_path)
    reader.set("generation", ("token-a", 1))
    (stored,) = tmp_path.glob("*.djcache")
    _age(stored, 5)
    assert reader.get_stable("generation") == ("token-a", 1)

    _rewrite_in_place(stored, b"token-a", b"token-b")
    # Not read again: the file looks the same to stat().
    assert reader.get_stable("generation") == ("token-a", 1)
    assert reader.get("generation") == ("token-b", 1)


def test_stable_value_replaced_by_another_process_is_seen_at_once(tmp_path):
    reader, writer = _file_cache(tmp_path), _file_cache(tmp_path)
    writer.set("generation", ("token-a", 1))
    (stored,) = tmp_path.glob("*.djcache")
    _age(stored, 5)
    assert reader.get_stable("generation") == ("token-a", 1)
    writer.set("generation", ("token-b", 2))
    assert reader.get_stable("generation") == ("token-b", 2)
    writer.delete("generation")
    assert reader.get_stable("generation", "gone") == "gone"


def test_stable_value_written_within_the_last_second_is_read_every_time(tmp_path):
    # A file replaced within the clock's resolution can look unchanged (same inode reused, same
    # size, same coarse mtime): a value that new is never trusted from its stat().
    reader = _file_cache(tmp_path)
    reader.set("generation", ("token-a", 1))
    (stored,) = tmp_path.glob("*.djcache")
    assert reader.get_stable("generation") == ("token-a", 1)
    _rewrite_in_place(stored, b"token-a", b"token-b")
    assert reader.get_stable("generation") == ("token-b", 1)


def test_stable_value_that_expired_is_a_miss(tmp_path):
    reader = _file_cache(tmp_path)
    reader.set("generation", ("token-a", 1), timeout=1)
    (stored,) = tmp_path.glob("*.djcache")
    _age(stored, 5)
    assert reader.get_stable("generation") == ("token-a", 1)
    with mock.patch("time.time", return_value=time.time() + 5):
        assert reader.get_stable("generation", "expired") == "expired"


def test_page_cache_generation_is_read_from_the_file_cache_without_opening_it(
    settings, tmp_path, client, published
):
    settings.CACHES = {
        "default": {"BACKEND": "portal.caches.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    client.get("/")  # the generation and the page are stored
    for stored in tmp_path.glob("*.djcache"):
        _age(stored, 5)
    client.get("/")  # the generation is read once more, and remembered
    opened = []
    real_open = open

    def counting_open(path, *args, **kwargs):
        opened.append(path)
        return real_open(path, *args, **kwargs)

    with mock.patch("builtins.open", counting_open):
        assert client.get("/").status_code == 200
    assert len(opened) == 1  # the page only


def test_file_cache_lists_its_folder_for_culling_only_now_and_then(tmp_path):
    from portal.caches import FileBasedCache

    small = FileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    listed = []
    real_list = small._list_cache_files

    def counting_list():
        listed.append(1)
        return real_list()

    small._list_cache_files = counting_list
    for n in range(30):
        small.set(f"key{n}", n)
    # Listing a folder of thousands of entries took 20 ms, on every write.
    assert len(listed) == 1
    assert len(list(tmp_path.glob("*.djcache"))) == 30
    with mock.patch("time.monotonic", return_value=time.monotonic() + 3600):
        small.set("one-more", 1)
    assert len(listed) == 2
    assert len(list(tmp_path.glob("*.djcache"))) <= 10


def test_file_cache_incr_keeps_the_entry_and_its_expiry(tmp_path):
    one, other = _file_cache(tmp_path), _file_cache(tmp_path)
    one.set("views", 0, None)
    for _ in range(3):
        one.incr("views")
        other.incr("views", 2)
    with mock.patch("time.time", return_value=time.time() + 3600):
        # Django's file cache wrote the new value with the default timeout (5 minutes).
        assert one.get("views") == 9
    one.set("soon", 1, 60)
    assert one.incr("soon", -1) == 0
    with mock.patch("time.time", return_value=time.time() + 120):
        assert one.get("soon") is None
        with pytest.raises(ValueError):
            one.incr("soon")
    with pytest.raises(ValueError):
        one.incr("never-set")
