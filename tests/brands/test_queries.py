"""Every public page runs a fixed number of SQL queries, however much data there is.

Each page is requested with a small district and again after schools, brands, gallery images,
awards and news have grown tenfold; the number of queries must not change and stays within
the stated limit. The limits include the two queries every page makes for the site settings
and the navigation channels.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ArticleFactory,
    AwardFactory,
    BrandFactory,
    BrandImageFactory,
    CampaignFactory,
    PartyOrganizationFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

# page -> the most queries it may run with the cache empty (measured: the same number at both
# sizes); each includes the page-cache generation 1 (the next scheduled publication) and, for
# HTML pages, the site settings 1 and the channel tree 1.
LIMITS = {
    "school_list": 7,
    "school_list_filtered": 7,
    "school_detail": 9,
    "brand_list": 5,
    "brand_detail": 9,
    "award_list": 9,
    "award_list_by_school": 10,
    "campaign_detail": 6,
    "stats": 7,
    # news channels and articles (count + list each) + one UNION query for schools, brands and
    # evaluations + the generation; no site settings or navigation here
    "sitemap": 5 + 1,
}


class District:
    """A district that can grow; one school, brand and campaign stay the pages under test."""

    def __init__(self):
        self.joint = PartyOrganizationFactory(kind=40)
        self.school = SchoolFactory(party_organization=self.joint, education_group="文昌教育集团")
        SchoolFactory(party_organization=self.joint)
        self.brand = BrandFactory(school=self.school)
        self.campaign = CampaignFactory(result_type="ranked")
        self.rank = 0

    def grow(self, count):
        for _ in range(count):
            school = SchoolFactory(town=f"镇{count % 7}", education_group="文昌教育集团")
            brand = BrandFactory(school=school)
            BrandImageFactory(brand=brand)
            AwardFactory(school=school)
            AwardFactory(recipient_kind="person", person_name="林晓岚", school=school)
            AwardFactory(recipient_kind="brand", brand=brand, school=None)
            AwardFactory(
                recipient_kind="organization", organization=school.party_organization, school=None
            )
            self.rank += 1
            if self.rank % 2:
                AwardFactory(campaign=self.campaign, rank=self.rank, school=school)
            else:
                AwardFactory(
                    campaign=self.campaign,
                    rank=self.rank,
                    recipient_kind="organization",
                    organization=school.party_organization,
                    school=None,
                )
            # The pages under test get longer too.
            BrandImageFactory(brand=self.brand)
            AwardFactory(school=self.school)
            AwardFactory(recipient_kind="brand", brand=self.brand, school=None)
            AwardFactory(recipient_kind="organization", organization=self.joint, school=None)
            article = ArticleFactory(brand=self.brand)
            article.schools.add(self.school)

    def urls(self):
        return {
            "school_list": "/schools/",
            "school_list_filtered": "/schools/?stage=20&group=文昌教育集团",
            "school_detail": self.school.get_absolute_url(),
            "brand_list": "/brands/",
            "brand_detail": self.brand.get_absolute_url(),
            "award_list": "/awards/",
            "award_list_by_school": f"/awards/?school={self.school.slug}&year=2026",
            "campaign_detail": self.campaign.get_absolute_url(),
            "stats": "/stats/",
            "sitemap": "/sitemap.xml",
        }


def _count(client, url):
    cache.clear()  # measure the work behind the page, not the page cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_stay_constant_when_data_grows_tenfold(client, django_assert_max_num_queries):
    district = District()
    district.grow(3)
    small = {name: _count(client, url) for name, url in district.urls().items()}
    district.grow(27)  # 3 -> 30 schools with everything that hangs off them
    for name, url in district.urls().items():
        cache.clear()
        with django_assert_max_num_queries(LIMITS[name]):
            response = client.get(url)
        assert response.status_code == 200
        assert _count(client, url) == small[name], name
    # The pages did get bigger: the growth was real.
    html = client.get(district.brand.get_absolute_url()).content.decode()
    assert html.count("<figcaption>") == 30


def test_cached_pages_run_no_query(client, django_assert_num_queries):
    district = District()
    district.grow(3)
    for name, url in district.urls().items():
        first = client.get(url)
        with django_assert_num_queries(0, info=f"{name} from the cache"):
            again = client.get(url)
        assert again.content == first.content, name
