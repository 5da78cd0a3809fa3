"""The home page leads into the schools' brands and the honours."""

import pytest

from tests.factories import BrandFactory, CampaignFactory

pytestmark = pytest.mark.django_db


def test_home_links_brands_and_visible_campaigns(client):
    brand = BrandFactory(name="红烛", is_current=True)
    old_brand = BrandFactory(name="旧品牌", school=brand.school, is_current=False)
    finished = CampaignFactory(title="2025年度最优党建品牌评选")
    selecting = CampaignFactory(title="2027年度评选", notice_start=None, notice_end=None)
    html = client.get("/").content.decode()
    assert brand.get_absolute_url() in html
    assert old_brand.get_absolute_url() not in html
    assert finished.get_absolute_url() in html
    assert "已公布" in html
    assert selecting.title not in html
    for url in ["/brands/", "/awards/", "/schools/", "/stats/"]:
        assert f'href="{url}"' in html
