"""Workflow notices: in the admin (通知, unread count in the header) and by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from news import workflow
from news.models import Notification, NotificationPreference
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    SiteSettingsFactory(review_levels=2)
    return {
        "author": RoleUserFactory(username="author", roles=["编辑"], email="author@example.cn"),
        "r1": RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1], email="r1@x.cn"),
        "r2": RoleUserFactory(username="r2", roles=["审核员"], review_levels=[2], email="r2@x.cn"),
        "other": RoleUserFactory(username="other", roles=["审核员"], review_levels=[2]),
    }


def draft_of(author, channel):
    article = ArticleFactory(draft=True, channel=channel, title="新学期党建工作部署")
    article.created_by = author
    article.save()
    return article


def told(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_each_step_tells_those_it_concerns(people, channel, django_capture_on_commit_callbacks):
    article = draft_of(people["author"], channel)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform("submit", article, people["author"])
    assert told(people["r1"]) == ["《新学期党建工作部署》的稿件等待您审核（author）。"]
    assert told(people["r2"]) == [] and told(people["author"]) == []
    assert [message.to for message in mail.outbox] == [["r1@x.cn"]]
    assert "/admin/news/article/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform("approve", article, people["r1"])
    assert len(told(people["r2"])) == 1 and len(told(people["other"])) == 1
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform("reject", article, people["r2"], comment="请补充活动照片")
    assert told(people["author"]) == ["《新学期党建工作部署》被退回：请补充活动照片"]

    workflow.perform("submit", article, people["author"])
    workflow.perform("approve", article, people["r1"])
    workflow.perform("approve", article, people["r2"])
    assert "《新学期党建工作部署》已通过终审，可以发布。" in told(people["author"])
    assert "《新学期党建工作部署》已通过终审，可以发布。" in told(people["other"])
    assert "《新学期党建工作部署》已通过终审，可以发布。" not in told(people["r2"])  # their own
    workflow.perform("publish", article, people["r2"])
    assert told(people["author"])[0] == "《新学期党建工作部署》已发布。"


def test_email_can_be_turned_off_and_the_admin_still_shows_the_notice(
    client, people, channel, django_capture_on_commit_callbacks
):
    client.force_login(people["r1"])
    response = client.post(reverse("admin:news_notification_email"), {})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=people["r1"]).email is False
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform("submit", draft_of(people["author"], channel), people["author"])
    assert mail.outbox == []
    assert len(told(people["r1"])) == 1


def test_the_header_counts_unread_notices_and_the_list_marks_them_read(client, people, channel):
    workflow.perform("submit", draft_of(people["author"], channel), people["author"])
    client.force_login(people["r1"])
    home = client.get(reverse("admin:index")).content.decode()
    assert "通知<strong>（1）</strong>" in home
    listing = client.get(reverse("admin:news_notification_changelist")).content.decode()
    assert "等待您审核" in listing and "未读" in listing
    assert Notification.objects.get().read_at is not None
    assert "通知<strong>" not in client.get(reverse("admin:index")).content.decode()


def test_nobody_sees_anothers_notices(client, people, channel):
    workflow.perform("submit", draft_of(people["author"], channel), people["author"])
    client.force_login(people["r2"])
    listing = client.get(reverse("admin:news_notification_changelist")).content.decode()
    assert "等待您审核" not in listing


def test_profile_reviews_tell_the_reviewers_and_the_person_who_made_the_change(
    client, people, django_capture_on_commit_callbacks
):
    from brands.models import School
    from news.workflow import profiles
    from portal.models import SiteSettings
    from tests.factories import SchoolFactory

    SiteSettings.objects.update(profile_review_levels=2)
    school = SchoolFactory(name="青湾区实验小学", introduction="原来的简介。")
    correspondent = RoleUserFactory(
        username="tongxunyuan", roles=["学校通讯员"], schools=[school], email="txy@x.cn"
    )
    school.introduction = "新的简介。"
    content = profiles.content_values_of(school)
    with django_capture_on_commit_callbacks(execute=True):
        profiles.save(school, correspondent, content, lambda with_content: school.save())
    assert told(people["r1"]) == ["学校“青湾区实验小学”的资料修改等待您审核（tongxunyuan）。"]
    assert told(people["r2"]) == []
    assert [message.to for message in mail.outbox] == [["r1@x.cn"]]
    assert f"/admin/brands/school/{school.pk}/change/" in mail.outbox[0].body

    change = profiles.profile_change(school)
    profiles.approve(change, people["r1"])
    assert told(people["r2"]) == ["学校“青湾区实验小学”的资料修改等待您审核（r1）。"]
    profiles.reject(profiles.profile_change(school), people["r2"], "地址写全")
    assert told(correspondent) == ["学校“青湾区实验小学”的资料修改被退回：地址写全"]

    school = School.objects.get(pk=school.pk)
    school.introduction = "新的简介，补全了。"
    profiles.save(
        school, correspondent, profiles.content_values_of(school), lambda w: school.save()
    )
    profiles.approve(profiles.profile_change(school), people["r1"])
    profiles.approve(profiles.profile_change(school), people["r2"])
    assert told(correspondent)[0] == "学校“青湾区实验小学”的资料修改已通过审核，网站上已是新内容。"

    client.force_login(correspondent)
    listing = client.get(reverse("admin:news_notification_changelist")).content.decode()
    assert f'href="/admin/brands/school/{school.pk}/change/"' in listing
    assert "已通过审核" in listing
