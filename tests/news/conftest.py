import pytest

from tests.factories import ArticleFactory, ChannelFactory, SiteSettingsFactory


@pytest.fixture
def site(db):
    return SiteSettingsFactory(site_name="测试区教育系统党建网")


@pytest.fixture
def channel(db):
    return ChannelFactory(name="工作动态", slug="gongzuo-dongtai")


@pytest.fixture
def article(channel):
    return ArticleFactory(channel=channel, title="区教育局召开党建工作会议", tags=["基层党建"])
