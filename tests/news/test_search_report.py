"""搜索记录 in the admin: 热门搜索 and searches without results, for editors."""

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import SearchLog
from tests.factories import RoleUserFactory

pytestmark = pytest.mark.django_db
REPORT = reverse("admin:news_searchlog_changelist")


def log(query, results, days_ago=0, times=1):
    for _ in range(times):
        entry = SearchLog.objects.create(query=query, results=results)
        entry.searched_at = timezone.now() - timezone.timedelta(days=days_ago)
        entry.save()


def test_editors_see_popular_searches_and_those_without_results(client):
    log("课后服务", 5, times=3)
    log("家校共育", 2, times=1)
    log("航天", 0, times=2)
    log("旧词", 4, days_ago=60)
    client.force_login(RoleUserFactory(roles=["编辑"]))
    html = client.get(REPORT).content.decode()
    popular = html[html.index("热门搜索") : html.index("没有结果的搜索")]
    assert popular.index("课后服务") < popular.index("家校共育")
    assert "<td>3</td>" in popular
    assert "旧词" not in popular  # older than the month shown by default
    assert "航天" in html[html.index("没有结果的搜索") :]
    assert "旧词" in client.get(REPORT, {"days": "365"}).content.decode()


def test_correspondents_do_not_see_the_search_log(client):
    client.force_login(RoleUserFactory(roles=["学校通讯员"]))
    assert client.get(REPORT).status_code == 403


def test_nobody_edits_the_log(client, admin_user):
    log("课后服务", 5)
    client.force_login(admin_user)
    assert client.get(reverse("admin:news_searchlog_add")).status_code == 403
