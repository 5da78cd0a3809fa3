"""The demo district's schools part: complete, consistent and safe to load twice."""

import io

import pytest
from django.core.management.base import OutputWrapper

from brands import demo
from brands.models import (
    Award,
    Brand,
    BrandImage,
    Campaign,
    CampaignStatus,
    OrganizationKind,
    PartyOrganization,
    School,
)
from portal.management.commands import load_demo

pytestmark = pytest.mark.django_db


class FakeCommand:
    def __init__(self):
        self.buffer = io.StringIO()
        self.stdout = OutputWrapper(self.buffer)


def _counts():
    return (
        School.objects.count(),
        PartyOrganization.objects.count(),
        Brand.objects.count(),
        BrandImage.objects.count(),
        Campaign.objects.count(),
        Award.objects.count(),
    )


def test_brands_demo_loads_once_and_is_idempotent():
    command = FakeCommand()
    demo.load(command)
    first = _counts()
    assert "30 所学校" in command.buffer.getvalue()
    demo.load(FakeCommand())
    assert _counts() == first

    schools, organizations, brands, images, campaigns, awards = first
    assert images >= 2 * brands
    assert schools == 30
    assert organizations == 30  # 28 schools' own, one joint branch, the bureau committee
    assert 15 <= brands <= 16
    assert campaigns == 2
    assert awards > 40
    assert {s.stage for s in School.objects.all()} == set(range(10, 90, 10))
    assert School.objects.filter(ownership="private").count() >= 3
    groups = School.objects.exclude(education_group="").values("education_group").distinct()
    assert groups.count() == 3
    joint = PartyOrganization.objects.get(kind=OrganizationKind.JOINT_BRANCH)
    assert joint.schools.count() == 2
    for brand in Brand.objects.prefetch_related("images"):
        assert brand.logo and brand.logo_alt
        assert 2 <= len(brand.images.all()) <= 4
        assert all(image.caption for image in brand.images.all())
    assert Brand.objects.current().count() == Brand.objects.values("school").distinct().count()
    years = {day.year for day in Award.objects.dates("awarded_on", "year")}
    assert years == {2024, 2025, 2026}


def test_demo_campaigns_one_finished_and_ranked_one_in_its_notice_window():
    demo.load(FakeCommand())
    ranked = Campaign.objects.get(result_type="ranked")
    unranked = Campaign.objects.get(result_type="unranked")
    assert ranked.status == CampaignStatus.PUBLISHED
    assert list(ranked.awards.order_by("rank").values_list("rank", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert unranked.status == CampaignStatus.NOTICE
    for campaign in (ranked, unranked):
        campaign.full_clean()  # the notice windows satisfy the 5-working-day rule
    for award in Award.objects.select_related("campaign", "brand"):
        award.full_clean()


def test_demo_pages_render(client):
    demo.load(FakeCommand())
    for url in ["/schools/", "/brands/", "/awards/", "/stats/"]:
        assert client.get(url).status_code == 200
    for obj in [School.objects.first(), Brand.objects.first(), *Campaign.objects.all()]:
        assert client.get(obj.get_absolute_url()).status_code == 200


def test_load_demo_runs_brands_before_news():
    modules = load_demo.DEMO_MODULES
    assert "brands.demo" in modules
    assert modules.index("brands.demo") == modules.index("portal.demo") + 1
    if "news.demo" in modules:
        assert modules.index("brands.demo") < modules.index("news.demo")
