"""网站地图: a page for readers listing every part of the site."""

import pytest
from django.urls import reverse

from tests.factories import (
    BrandFactory,
    CampaignFactory,
    ChannelFactory,
    SchoolFactory,
    SiteSettingsFactory,
)

pytestmark = pytest.mark.django_db


def test_site_map_lists_channels_schools_brands_and_honours(client):
    SiteSettingsFactory()
    top = ChannelFactory(name="工作动态", slug="gongzuo-dongtai")
    ChannelFactory(name="主题党日", slug="zhuti-dangri", parent=top)
    school = SchoolFactory(name="青湾区星河小学")
    brand = BrandFactory(school=school, name="星火", is_current=True)
    campaign = CampaignFactory()
    response = client.get("/sitemap/")
    assert response.status_code == 200
    html = response.content.decode()
    for url in (
        top.get_absolute_url(),
        "/news/zhuti-dangri/",
        reverse("news:all"),
        reverse("news:archive_index"),
        school.get_absolute_url(),
        brand.get_absolute_url(),
        campaign.get_absolute_url(),
        reverse("brands:award_list"),
        reverse("brands:stats"),
    ):
        assert f'href="{url}"' in html, url
    assert "青湾区星河小学" in html and "“星火”" in html


def test_every_page_links_the_site_map(client):
    SiteSettingsFactory()
    assert 'href="/sitemap/"' in client.get("/").content.decode()
