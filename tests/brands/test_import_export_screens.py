"""The admin's import and export screens: unchanged rows skipped, Chinese throughout."""

import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from brands.models import School
from tests.factories import (
    AwardFactory,
    BrandFactory,
    PartyOrganizationFactory,
    SchoolFactory,
    SuperuserFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = {"csv": "0", "xlsx": "1"}  # positions in the admin's format choices


@pytest.fixture
def admin_client(client):
    client.force_login(SuperuserFactory())
    return client


@pytest.fixture
def every_kind_of_row():
    organization = PartyOrganizationFactory(name="中共甲校支部委员会")
    school = SchoolFactory(name="甲校", party_organization=organization)
    brand = BrandFactory(school=school, name="童心向阳")
    AwardFactory(school=school)
    AwardFactory(recipient_kind="brand", brand=brand, school=None, rank=None)
    AwardFactory(recipient_kind="organization", organization=organization, school=None)
    AwardFactory(recipient_kind="person", person_name="林晓岚", school=school)


def _export(client, model, extension):
    url = reverse(f"admin:brands_{model}_export")
    form = client.get(url).context["form"]
    data = {"format": FORMATS[extension], "resource": "0"}
    data.update(
        {
            name: "on"
            for name, field in form.fields.items()
            if getattr(field, "is_selectable_field", 0)
        }
    )
    return client.post(url, data)


@pytest.mark.parametrize("extension", FORMATS)
@pytest.mark.parametrize("model", ["school", "partyorganization", "award"])
def test_reimporting_an_unchanged_export_skips_every_row(
    admin_client, every_kind_of_row, model, extension
):
    exported = _export(admin_client, model, extension)
    assert exported.status_code == 200
    versions = Version.objects.count()
    upload = SimpleUploadedFile(f"export.{extension}", exported.content)
    response = admin_client.post(
        reverse(f"admin:brands_{model}_import"),
        {"import_file": upload, "format": FORMATS[extension], "resource": "0"},
    )
    assert "result" in response.context, response.context["form"].errors
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(result.rows) > 0
    confirm = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', response.content.decode())
    )
    admin_client.post(reverse(f"admin:brands_{model}_process_import"), confirm)
    assert Version.objects.count() == versions


def test_export_file_is_named_in_chinese_with_the_local_date(admin_client, every_kind_of_row):
    response = _export(admin_client, "school", "xlsx")
    name = f"学校-{timezone.localdate():%Y年%m月%d日}.xlsx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_export_form_is_in_chinese(admin_client):
    html = admin_client.get(reverse("admin:brands_school_export")).content.decode()
    assert "Select all" not in html and "全选" in html
    assert "学校名称" in html and "Name (" not in html


def test_import_preview_shows_empty_cells_empty_and_errors_in_the_table(admin_client):
    SchoolFactory(name="甲校")
    csv = "学校名称,简称,学段,办学性质,镇街,教育集团,地址,学校网站,学校简介,党组织\n"
    csv += "乙校,,大学,公办,文昌街道,,,,,\n"
    response = admin_client.post(
        reverse("admin:brands_school_import"),
        {
            "import_file": SimpleUploadedFile("s.csv", csv.encode()),
            "format": "0",
            "resource": "0",
        },
    )
    html = response.content.decode()
    assert "某些行验数据证失败" not in html and "某些行的数据验证失败" in html
    assert "None" not in html
    # the library hides a row's errors until hovered; our stylesheet keeps them in view
    assert "css/admin_import.css" in html
    assert re.search(r"学段</span>\s*<ul>\s*<li>“大学”不是有效的选项", html)
    assert School.objects.count() == 1
