"""RSS, Atom, sitemap.xml and robots.txt: valid XML, published articles only."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, ChannelFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def articles(channel):
    other = ChannelFactory(name="基层风采", slug="jiceng-fengcai")
    return {
        "here": ArticleFactory(channel=channel, title="工作动态的文章", summary="摘要一"),
        "there": ArticleFactory(channel=other, title="基层风采的文章"),
        "draft": ArticleFactory(channel=channel, title="草稿", draft=True),
    }


def test_site_rss(client, site, articles):
    response = client.get("/news/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "测试区教育系统党建网"
    items = channel.findall("item")
    assert {item.findtext("title") for item in items} == {"工作动态的文章", "基层风采的文章"}
    here = next(item for item in items if item.findtext("title") == "工作动态的文章")
    assert here.findtext("link") == f"http://testserver{articles['here'].get_absolute_url()}"
    assert here.findtext("description") == "摘要一"
    assert here.findtext("pubDate")


def test_site_atom(client, site, articles):
    response = client.get("/news/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = {entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")}
    assert titles == {"工作动态的文章", "基层风采的文章"}


def test_channel_feeds(client, site, articles):
    rss = ET.fromstring(client.get("/news/gongzuo-dongtai/rss/").content)
    assert [item.findtext("title") for item in rss.iter("item")] == ["工作动态的文章"]
    assert rss.find("channel").findtext("title").startswith("工作动态")
    atom = ET.fromstring(client.get("/news/gongzuo-dongtai/atom/").content)
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["工作动态的文章"]


def test_sitemap_lists_channels_and_published_articles(client, site, articles):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    base = "http://testserver"
    assert base + articles["here"].get_absolute_url() in locations
    assert base + articles["there"].get_absolute_url() in locations
    assert base + articles["draft"].get_absolute_url() not in locations
    assert base + "/news/gongzuo-dongtai/" in locations
    assert base + "/news/jiceng-fengcai/" in locations


def test_robots_points_at_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text
    assert f"Disallow: {reverse('admin:index')}" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
