"""Every public page is the same for a reader, a search engine's spider and a visitor who
arrives from a search: anything that tells them apart (cloaking) shows up here."""

import pytest
from django.core.cache import cache

from tests.public_pages import public_page_urls

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
VISITORS = {
    "browser": {"User-Agent": BROWSER},
    "baiduspider": {
        "User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
    },
    "from_search": {
        "User-Agent": BROWSER,
        "Referer": "https://www.baidu.com/s?wd=%E5%85%9A%E5%BB%BA%E5%93%81%E7%89%8C",
    },
}


def test_public_pages_are_identical_for_browsers_spiders_and_search_visitors(client):
    for url in public_page_urls().values():
        seen = {}
        for visitor, headers in VISITORS.items():
            cache.clear()  # a cached page would hide what the view itself does
            response = client.get(url, headers=headers)
            seen[visitor] = (response.status_code, response.content)
        assert seen["baiduspider"] == seen["browser"], url
        assert seen["from_search"] == seen["browser"], url
