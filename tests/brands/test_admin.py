"""The admin for schools, organisations, brands, campaigns and awards (staff only for now)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from brands.models import Brand, Campaign
from tests.factories import (
    AwardFactory,
    BrandFactory,
    BrandImageFactory,
    CampaignFactory,
    SchoolFactory,
    StaffFactory,
    SuperuserFactory,
)
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db

MODELS = ["school", "partyorganization", "brand", "campaign", "award"]


@pytest.fixture
def admin_client(client):
    # Holding the last profile review level, their changes to schools and brands apply at once.
    client.force_login(SuperuserFactory(review_levels=[1]))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_admin_is_for_staff_only(client, model):
    response = client.get(reverse(f"admin:brands_{model}_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    client.force_login(StaffFactory())  # staff without permissions sees nothing
    assert client.get(reverse(f"admin:brands_{model}_changelist")).status_code == 403


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_search_and_forms_work(admin_client, model):
    school = SchoolFactory(name="青湾区实验小学")
    brand = BrandFactory(school=school, name="红烛先锋")
    BrandImageFactory(brand=brand)
    campaign = CampaignFactory()
    AwardFactory(school=school, campaign=campaign, rank=1)
    AwardFactory(recipient_kind="person", person_name="陈海燕", school=school)
    changelist = admin_client.get(reverse(f"admin:brands_{model}_changelist"))
    assert changelist.status_code == 200
    assert (
        admin_client.get(reverse(f"admin:brands_{model}_changelist") + "?q=实验").status_code == 200
    )
    assert admin_client.get(reverse(f"admin:brands_{model}_add")).status_code == 200
    obj = {"school": school, "partyorganization": school.party_organization, "brand": brand,
           "campaign": campaign, "award": campaign.awards.get()}[model]  # fmt: skip
    assert (
        admin_client.get(reverse(f"admin:brands_{model}_change", args=[obj.pk])).status_code == 200
    )


def test_campaign_admin_filters_by_derived_status(admin_client):
    today = timezone.localdate()
    CampaignFactory(title="已结束的评选")
    CampaignFactory(
        title="公示中的评选", notice_start=today, notice_end=today + datetime.timedelta(9)
    )
    html = admin_client.get(
        reverse("admin:brands_campaign_changelist") + "?status=20"
    ).content.decode()
    assert "公示中的评选" in html and "已结束的评选" not in html
    assert (
        admin_client.get(
            reverse("admin:brands_campaign_changelist") + "?status=nonsense"
        ).status_code
        == 200
    )


def test_brand_form_has_gallery_inline_and_becoming_current_demotes_the_old_brand(admin_client):
    old = BrandFactory(name="园丁先锋")
    html = admin_client.get(reverse("admin:brands_brand_add")).content.decode()
    assert "images-TOTAL_FORMS" in html  # the gallery inline
    response = admin_client.post(
        reverse("admin:brands_brand_add"),
        {
            "school": old.school.pk,
            "name": "红烛先锋",
            "kind": "organization",
            "status": 20,
            "is_current": "on",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    old.refresh_from_db()
    assert not old.is_current
    assert Brand.objects.get(name="红烛先锋").is_current


def test_campaign_admin_refuses_a_short_notice_window(admin_client):
    monday = datetime.date(2026, 11, 16)
    data = {
        "title": "2026年度党建品牌评选",
        "year": 2026,
        "organiser": "局党委",
        "result_type": "unranked",
        "notice_start": monday.isoformat(),
        "notice_end": (monday + datetime.timedelta(days=3)).isoformat(),
    }
    response = admin_client.post(reverse("admin:brands_campaign_add"), data)
    assert response.status_code == 200
    assert "至少 5 个工作日" in response.content.decode()
    assert not Campaign.objects.exists()
    data["notice_end"] = (monday + datetime.timedelta(days=4)).isoformat()
    assert admin_client.post(reverse("admin:brands_campaign_add"), data).status_code == 302
    assert Campaign.objects.get().slug == "2026-nian-du-dang-jian-pin-pai-ping-xuan"


def test_award_admin_refuses_a_second_recipient(admin_client):
    school = SchoolFactory()
    brand = BrandFactory(school=school)
    response = admin_client.post(
        reverse("admin:brands_award_add"),
        {
            "title": "优秀共产党员",
            "category": "member",
            "level": 50,
            "awarded_on": "2025-06-28",
            "issuing_body": "局党委",
            "recipient_kind": "person",
            "school": school.pk,
            "brand": brand.pk,
            "person_name": "林晓岚",
        },
    )
    assert response.status_code == 200
    assert "这一项要留空" in response.content.decode()


def test_admin_messages_quote_a_brand_once(admin_client):
    brand = BrandFactory(name="童心向阳")
    change_url = f"/admin/brands/brand/{brand.pk}/change/"
    response = admin_client.post(
        change_url, page_form_data(admin_client.get(change_url)), follow=True
    )
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    assert "党建品牌“童心向阳”" in text
    assert "““" not in text and "””" not in text
