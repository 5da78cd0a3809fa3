"""Campaigns: the 5-working-day notice window, the status derived from dates, the results page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brands.models import Campaign, CampaignStatus, campaign_status, working_days
from tests.factories import AwardFactory, BrandFactory, CampaignFactory, SchoolFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 16)


def day(offset):
    return MONDAY + datetime.timedelta(days=offset)


def test_working_days_count_mondays_to_fridays():
    assert working_days(day(0), day(4)) == 5  # Mon–Fri
    assert working_days(day(0), day(6)) == 5  # Mon–Sun
    assert working_days(day(4), day(10)) == 5  # Fri–Thu across a weekend
    assert working_days(day(5), day(10)) == 4  # Sat–Thu
    assert working_days(day(0), day(13)) == 10
    assert working_days(day(3), day(0)) == 0


def _campaign(start, end, **fields):
    return Campaign(
        title="2025年度最优党建品牌评选", organiser="局党委", year=2025,
        notice_start=start, notice_end=end, **fields,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end"),
    [(day(0), day(4)), (day(4), day(10)), (day(2), day(8)), (day(0), day(20))],
)
def test_notice_window_of_five_working_days_is_accepted(start, end):
    _campaign(start, end).full_clean()


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [(day(0), day(3), 4), (day(5), day(10), 4), (day(4), day(8), 3), (day(1), day(1), 1)],
)
def test_notice_window_shorter_than_five_working_days_is_refused(start, end, days):
    with pytest.raises(ValidationError) as error:
        _campaign(start, end).full_clean()
    message = " ".join(error.value.message_dict["notice_end"])
    assert "至少 5 个工作日" in message
    assert f"只有 {days} 个" in message


def test_notice_window_must_be_complete_and_in_order():
    with pytest.raises(ValidationError, match="一起填写"):
        _campaign(day(0), None).full_clean()
    with pytest.raises(ValidationError) as error:
        _campaign(day(10), day(0)).full_clean()
    assert "不能早于" in str(error.value)
    _campaign(None, None).full_clean()  # still being evaluated: no window yet


def test_help_text_says_holidays_are_not_counted_automatically():
    help_text = str(Campaign._meta.get_field("notice_end").help_text)
    assert "5 个工作日" in help_text
    assert "法定节假日" in help_text


def test_graded_campaign_needs_its_grades():
    with pytest.raises(ValidationError) as error:
        _campaign(day(0), day(6), result_type="graded").full_clean()
    assert "grades" in error.value.message_dict


def test_status_follows_the_dates():
    assert campaign_status(None, None, day(0)) == CampaignStatus.SELECTING
    assert campaign_status(day(7), day(13), day(6)) == CampaignStatus.SELECTING
    assert campaign_status(day(7), day(13), day(7)) == CampaignStatus.NOTICE
    assert campaign_status(day(7), day(13), day(13)) == CampaignStatus.NOTICE
    assert campaign_status(day(7), day(13), day(14)) == CampaignStatus.PUBLISHED


def test_status_property_and_queryset_annotation_agree():
    today = timezone.localdate()
    week = datetime.timedelta(days=7)
    selecting = CampaignFactory(notice_start=None, notice_end=None)
    upcoming = CampaignFactory(notice_start=today + week, notice_end=today + 2 * week)
    notice = CampaignFactory(notice_start=today - week, notice_end=today + week)
    ends_today = CampaignFactory(notice_start=today - week, notice_end=today)
    published = CampaignFactory(notice_start=today - 3 * week, notice_end=today - week)
    expected = {
        selecting.pk: CampaignStatus.SELECTING,
        upcoming.pk: CampaignStatus.SELECTING,
        notice.pk: CampaignStatus.NOTICE,
        ends_today.pk: CampaignStatus.NOTICE,
        published.pk: CampaignStatus.PUBLISHED,
    }
    for campaign in Campaign.objects.with_status():
        assert campaign.status == expected[campaign.pk]
        assert campaign.status_value == expected[campaign.pk]
    assert notice.status_label == "公示中"
    assert published.status_label == "已公布"
    assert selecting.status_label == "评选中"


def test_ranked_results_page_lists_winners_in_rank_order(client):
    campaign = CampaignFactory(title="2025年度最优党建品牌评选", result_type="ranked")
    third = AwardFactory(campaign=campaign, rank=3, school=SchoolFactory(name="丙校"))
    first = AwardFactory(campaign=campaign, rank=1, school=SchoolFactory(name="甲校"))
    brand = BrandFactory(name="红烛先锋", school=SchoolFactory(name="乙校"))
    AwardFactory(campaign=campaign, rank=2, recipient_kind="brand", brand=brand, school=None)
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "2025年度最优党建品牌评选" in html
    assert "已公布" in html
    assert html.index("第1名") < html.index("第2名") < html.index("第3名")
    assert html.index("甲校") < html.index("乙校“红烛先锋”") < html.index("丙校")
    assert first.school.get_absolute_url() in html
    assert third.school.get_absolute_url() in html
    assert "公示期" not in html


def test_graded_results_page_groups_by_grade_in_the_campaign_order(client):
    campaign = CampaignFactory(result_type="graded", grades="一等奖\n二等奖\n三等奖")
    AwardFactory(campaign=campaign, grade="三等奖", school=SchoolFactory(name="丙校"))
    AwardFactory(campaign=campaign, grade="一等奖", school=SchoolFactory(name="甲校"))
    AwardFactory(campaign=campaign, grade="二等奖", school=SchoolFactory(name="乙校"))
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert html.index("一等奖（1个）") < html.index("甲校") < html.index("二等奖（1个）")
    assert html.index("二等奖（1个）") < html.index("乙校") < html.index("三等奖（1个）")
    assert html.index("三等奖（1个）") < html.index("丙校")


def test_unranked_campaign_in_its_notice_window_shows_window_and_status(client):
    today = timezone.localdate()
    campaign = CampaignFactory(
        title="2026年度先进基层党组织评选",
        result_type="unranked",
        notice_start=today - datetime.timedelta(days=2),
        notice_end=today + datetime.timedelta(days=7),
    )
    AwardFactory(campaign=campaign, school=SchoolFactory(name="临江小学"))
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "公示中" in html
    assert "排名不分先后" in html
    assert "公示名单" in html
    start = campaign.notice_start
    assert f"{start.year}年{start.month}月{start.day}日" in html
    assert "临江小学" in html


def test_campaign_still_being_evaluated_shows_no_winners(client):
    campaign = CampaignFactory(notice_start=None, notice_end=None)
    AwardFactory(
        campaign=campaign, rank=1, title="尚未公示的荣誉", school=SchoolFactory(name="保密学校")
    )
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "评选中" in html
    assert "评选正在进行中" in html
    assert "保密学校" not in html
    assert "尚未公示的荣誉" not in html
    # Nor do they leak through the honours page, the school page or the statistics.
    assert "尚未公示的荣誉" not in client.get("/awards/").content.decode()
    school = campaign.awards.get().school
    assert "尚未公示的荣誉" not in client.get(school.get_absolute_url()).content.decode()
    assert "0</span> 项荣誉" in client.get("/stats/").content.decode()
