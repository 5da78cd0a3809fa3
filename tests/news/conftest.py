import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory, ChannelFactory, SiteSettingsFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The view-count throttle and cached pages live in the cache: start each test empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    return SiteSettingsFactory(site_name="测试区教育系统党建网")


@pytest.fixture
def channel(db):
    return ChannelFactory(name="工作动态", slug="gongzuo-dongtai")


@pytest.fixture
def article(channel):
    return ArticleFactory(channel=channel, title="区教育局召开党建工作会议", tags=["基层党建"])
