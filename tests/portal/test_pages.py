"""Site-wide pages: footer facts, error pages, health check, the Chinese admin."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import SiteSettingsFactory

pytestmark = pytest.mark.django_db


def test_footer_renders_filing_numbers_with_links(client):
    SiteSettingsFactory(
        sponsor="中共青湾区教育局委员会",
        icp_number="粤ICP备20260001号-1",
        psb_number="粤公网安备44078402000123号",
        site_code="4407840001",
        copyright="版权所有 © 青湾区教育局",
    )
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="https://beian.miit.gov.cn/"' in html
    assert "粤ICP备20260001号-1" in html
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=44078402000123" in html
    assert "粤公网安备44078402000123号" in html
    assert "/static/img/psb-badge" in html
    assert "网站标识码：4407840001" in html
    assert "主办单位：中共青湾区教育局委员会" in html
    assert "版权所有 © 青湾区教育局" in html


def test_footer_leaves_out_missing_values(client):
    SiteSettingsFactory(icp_number="", psb_number="", site_code="", contact="")
    html = client.get("/").content.decode()
    assert "beian.miit.gov.cn" not in html
    assert "beian.mps.gov.cn" not in html
    assert "网站标识码" not in html
    assert "联系方式" not in html


def test_footer_works_before_settings_are_saved(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "区教育系统党建网" in response.content.decode()


def test_404_page_is_chinese(client):
    SiteSettingsFactory(site_name="青湾区教育系统党建网")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "页面不存在" in html
    assert "青湾区教育系统党建网" in html


def test_500_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "服务暂时不可用" in response.content.decode()


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_database_unreachable(client):
    with mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}


def test_admin_login_is_chinese(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名" in html
    assert "登录" in html


def test_favicon_is_served_from_our_static_files(client):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/img/favicon' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/img/favicon")
