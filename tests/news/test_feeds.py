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


MARKUP_SUMMARY = "<img src=x onerror=alert(1)> 党建 & 团建"


def _elements_of_html(text):
    """Tags a feed reader would find on rendering ``text`` as HTML."""
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tags, self.text = [], ""

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text += data

    collector = Collector()
    collector.feed(text)
    collector.close()
    return collector.tags, collector.text


def test_rss_description_is_text_a_reader_shows_literally(client, site, channel):
    ArticleFactory(channel=channel, title="摘要带标记", summary=MARKUP_SUMMARY)
    for url in ["/news/feed/rss/", "/news/gongzuo-dongtai/rss/"]:
        item = ET.fromstring(client.get(url).content).find("channel/item")
        # RSS readers render <description> as HTML: it must be HTML that shows the text.
        tags, text = _elements_of_html(item.findtext("description"))
        assert tags == [], url
        assert text == MARKUP_SUMMARY, url


def test_atom_summary_is_typed_text(client, site, channel):
    ArticleFactory(channel=channel, title="摘要带标记", summary=MARKUP_SUMMARY)
    for url in ["/news/feed/atom/", "/news/gongzuo-dongtai/atom/"]:
        summary = ET.fromstring(client.get(url).content).find(f"{ATOM}entry/{ATOM}summary")
        assert summary.get("type") == "text", url
        assert summary.text == MARKUP_SUMMARY, url
        assert list(summary) == [], url
