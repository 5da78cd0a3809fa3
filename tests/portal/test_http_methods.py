"""Every public address says 405 (with Allow) to a method it does not accept, never 403."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import (
    ArticleAttachmentFactory,
    ArticleFactory,
    BrandFactory,
    CampaignFactory,
    ChannelFactory,
    SiteSettingsFactory,
)

pytestmark = pytest.mark.django_db

# Staff only: the admin, its two-factor pages, the editor's uploads.
NOT_PUBLIC = {"admin", "two_factor", "ck_editor_5_upload_file", "editor_image_upload"}
UNSAFE_METHODS = ["post", "put", "patch", "delete", "trace", "options"]


@pytest.fixture
def public_urls():
    """Each public URL name with an address that exists and the status GET answers."""
    SiteSettingsFactory()
    channel = ChannelFactory(slug="gongzuo-dongtai")
    article = ArticleFactory(channel=channel, tags=["基层党建"])
    attachment = ArticleAttachmentFactory(article=article)
    brand = BrandFactory()
    campaign = CampaignFactory()
    day = timezone.localtime(article.publish_at)
    return {
        "home": ("/", 200),
        "healthz": ("/healthz", 200),
        "robots_txt": ("/robots.txt", 200),
        "favicon": ("/favicon.ico", 301),
        "django.contrib.sitemaps.views.sitemap": ("/sitemap.xml", 200),
        "site_map": ("/sitemap/", 200),
        "news:search": (reverse("news:search") + "?q=党建", 200),
        "news:feed_rss": (reverse("news:feed_rss"), 200),
        "news:feed_atom": (reverse("news:feed_atom"), 200),
        "news:all": (reverse("news:all"), 200),
        "news:archive_index": (reverse("news:archive_index"), 200),
        "news:archive_month": (f"/news/archive/{day:%Y}/{day:%m}/", 200),
        "news:tag": (reverse("news:tag", kwargs={"tag": article.tags.get().slug}), 200),
        "news:attachment": (reverse("news:attachment", kwargs={"pk": attachment.pk}), 200),
        "media": (attachment.file.url, 200),
        "news:article": (article.get_absolute_url(), 200),
        "news:article_short": (f"/news/{article.pk}/", 301),
        "news:article_legacy": (f"/news/{channel.slug}/{article.pk}/", 301),
        "news:article_qrcode": (f"/news/{article.pk}/qrcode.svg", 200),
        "news:channel": (channel.get_absolute_url(), 200),
        "news:channel_feed_rss": (f"{channel.get_absolute_url()}rss/", 200),
        "news:channel_feed_atom": (f"{channel.get_absolute_url()}atom/", 200),
        "brands:school_list": (reverse("brands:school_list"), 200),
        "brands:school_detail": (brand.school.get_absolute_url(), 200),
        "brands:brand_list": (reverse("brands:brand_list"), 200),
        "brands:brand_detail": (brand.get_absolute_url(), 200),
        "brands:award_list": (reverse("brands:award_list"), 200),
        "brands:campaign_detail": (campaign.get_absolute_url(), 200),
        "brands:stats": (reverse("brands:stats"), 200),
        # The view-count beacon is the one public address that takes a POST.
        "news:article_view": (f"/news/{article.pk}/view/", None),
    }


def url_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in NOT_PUBLIC:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in NOT_PUBLIC:
            yield namespace + entry.name


def test_every_public_url_is_covered(public_urls):
    assert set(url_names(get_resolver().url_patterns)) == set(public_urls)


def test_safe_methods_answer(public_urls):
    client = Client()
    for name, (url, status) in public_urls.items():
        if status is None:
            continue
        assert client.get(url).status_code == status, name
        assert client.head(url).status_code == status, name


@pytest.mark.parametrize("method", UNSAFE_METHODS)
def test_other_methods_answer_405(public_urls, method):
    # CSRF checks on, as a browser meets them: they must not answer first with 403.
    client = Client(enforce_csrf_checks=True)
    for name, (url, status) in public_urls.items():
        if status is None:
            continue
        response = getattr(client, method)(url)
        assert response.status_code == 405, (name, method)
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}, name


@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "trace", "options"])
def test_beacon_takes_only_post(public_urls, method):
    url, _ = public_urls["news:article_view"]
    response = getattr(Client(enforce_csrf_checks=True), method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
