"""The server side of the admin's local draft: which forms opt in, and with what key.

The browser behaviour itself is tested in tests/browser/test_local_draft.py."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from portal.admin_mixins import LocalDraftAdminMixin
from portal.models import SiteSettings
from tests.factories import SiteSettingsFactory, StaffFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


def test_the_site_settings_form_carries_the_draft_script_and_key(client):
    row = SiteSettingsFactory()
    user = SuperuserFactory()
    client.force_login(user)
    url = reverse("admin:portal_sitesettings_change", args=[row.pk])

    html = client.get(url).text

    assert "js/admin-draft.js" in html
    assert "css/admin-draft.css" in html
    assert f'data-draft-key="admin-draft:{user.pk}:{url}"' in html
    assert "<script>" not in html.split("</head>")[0]  # no inline script added


def test_a_read_only_form_has_no_draft(client):
    row = SiteSettingsFactory()
    viewer = StaffFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_sitesettings"))
    client.force_login(viewer)

    response = client.get(reverse("admin:portal_sitesettings_change", args=[row.pk]))

    assert response.status_code == 200
    assert "data-local-draft" not in response.text


def test_forms_without_the_mixin_are_untouched(admin_client):
    response = admin_client.get(reverse("admin:auth_group_add"))

    assert response.status_code == 200
    assert "data-local-draft" not in response.text
    assert "admin-draft.js" not in response.text


def test_the_mixin_keeps_its_script_when_the_admin_has_its_own_media():
    class WithOwnMedia(LocalDraftAdminMixin, admin.ModelAdmin):
        local_draft_version_field = "site_name"

        class Media:
            js = ["js/other.js"]

    model_admin = WithOwnMedia(SiteSettings, admin.site)
    scripts = str(model_admin.media)

    assert "js/admin-draft.js" in scripts
    assert "js/other.js" in scripts


def test_the_version_field_is_passed_to_the_script(rf):
    class Versioned(LocalDraftAdminMixin, admin.ModelAdmin):
        local_draft_version_field = "site_name"

    row = SiteSettingsFactory(site_name="第三版")
    path = reverse("admin:portal_sitesettings_change", args=[1])
    request = rf.get(path)
    request.user = SuperuserFactory()

    config = Versioned(SiteSettings, admin.site).get_local_draft_config(request, row)

    assert config == {
        "key": f"admin-draft:{request.user.pk}:{path}",
        "version": "第三版",
    }
