"""Every kind of public page, with the data it needs, for tests that go over all of them."""

from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    AwardFactory,
    BrandFactory,
    CampaignFactory,
    ChannelFactory,
    SiteSettingsFactory,
)


def public_page_urls():
    """Create a small district and return {page name: URL} for every public page."""
    SiteSettingsFactory()
    channel = ChannelFactory(name="工作动态", slug="gongzuo-dongtai")
    brand = BrandFactory()
    article = ArticleFactory(channel=channel, brand=brand, tags=["基层党建"])
    article.schools.add(brand.school)
    campaign = CampaignFactory()
    AwardFactory(school=brand.school, campaign=campaign, rank=1)
    month = timezone.localtime(article.publish_at)
    return {
        "home": "/",
        "all_news": "/news/",
        "channel": channel.get_absolute_url(),
        "article": article.get_absolute_url(),
        "tag": reverse("news:tag", kwargs={"tag": article.tags.get().slug}),
        "search": "/search/?q=党建",
        "archive_index": "/news/archive/",
        "archive_month": f"/news/archive/{month:%Y}/{month:%m}/",
        "feed_rss": "/news/feed/rss/",
        "feed_atom": "/news/feed/atom/",
        "channel_feed_rss": f"{channel.get_absolute_url()}rss/",
        "sitemap": "/sitemap.xml",
        "site_map": "/sitemap/",
        "robots": "/robots.txt",
        "school_list": "/schools/",
        "school": brand.school.get_absolute_url(),
        "brand_list": "/brands/",
        "brand": brand.get_absolute_url(),
        "award_list": "/awards/",
        "campaign": campaign.get_absolute_url(),
        "stats": "/stats/",
        "not_found": "/no-such-page/",
        "healthz": "/healthz",
    }
