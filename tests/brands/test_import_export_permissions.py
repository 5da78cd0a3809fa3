"""Who may import and export through the admin, and which rows: the role's permissions on the
model, and a school correspondent's own schools only."""

import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from brands.models import Award, School
from brands.resources import AwardResource, PartyOrganizationResource, SchoolResource
from tests.factories import (
    AwardFactory,
    PartyOrganizationFactory,
    RoleUserFactory,
    SchoolFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

CSV_FORMAT = "0"
IMPORTABLE = ["school", "partyorganization", "award"]
AWARD_CSV = (
    "编号,荣誉名称,荣誉类别,荣誉级别,授予日期,授予单位,所属评选,名次,等次,获奖对象类型,"
    "学校,党建品牌,党组织,获奖人姓名,公告链接\n"
    ",冒领的荣誉,其他,区县级,2025-06-01,区教育局,,,,学校,{school},,,,\n"
)
ORGANIZATION_CSV = (
    "组织名称,组织类型,书记,党员人数,成立年份,上级组织\n{name},党支部,张三,99,2001,\n"
)
SCHOOL_HEADER = "学校名称,简称,学段,办学性质,镇街,教育集团,地址,学校网站,学校简介,党组织\n"
SCHOOL_ROW = "{name},,小学,公办,文昌街道,,,,被导入改写的简介,\n"
SCHOOL_CSV = SCHOOL_HEADER + SCHOOL_ROW


@pytest.fixture
def schools(db):
    return SchoolFactory(name="本校小学"), SchoolFactory(name="他校小学")


@pytest.fixture
def correspondent(schools):
    return RoleUserFactory(username="tongxunyuan", roles=["学校通讯员"], schools=[schools[0]])


def _upload(text):
    return SimpleUploadedFile("rows.csv", text.encode("utf-8"), content_type="text/csv")


def _import(client, model, text):
    return client.post(
        f"/admin/brands/{model}/import/",
        {"import_file": _upload(text), "format": CSV_FORMAT, "resource": "0"},
    )


def _confirm(client, model):
    """A forged confirmation: the file name a preview would have handed back."""
    return client.post(
        f"/admin/brands/{model}/process_import/",
        {"import_file_name": "x.csv", "original_file_name": "x.csv", "format": CSV_FORMAT,
         "resource": "0"},
    )  # fmt: skip


def _export(client, model):
    page = client.get(f"/admin/brands/{model}/export/")
    if page.status_code != 200:
        return page
    data = {"format": CSV_FORMAT, "resource": "0"}
    checked = re.findall(r'<input type="checkbox" name="([^"]+)"[^>]*checked', page.text)
    data |= dict.fromkeys(checked, "on")
    return client.post(f"/admin/brands/{model}/export/", data)


def _exported_text(response):
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return b"".join(getattr(response, "streaming_content", [response.content])).decode("utf-8")


def test_correspondent_cannot_create_an_honour_by_import(client, schools, correspondent):
    client.force_login(correspondent)
    response = _import(client, "award", AWARD_CSV.format(school="本校小学"))
    assert response.status_code == 403
    assert _confirm(client, "award").status_code == 403
    assert not Award.objects.exists()


def test_correspondent_may_not_export_honours_or_organisations(client, schools, correspondent):
    AwardFactory(school=schools[1])
    client.force_login(correspondent)
    assert _export(client, "award").status_code == 403
    assert _export(client, "partyorganization").status_code == 403
    changelist = client.get("/admin/brands/school/").text
    assert "/admin/brands/school/import/" not in changelist


def test_correspondent_exports_only_their_own_schools(client, schools, correspondent):
    client.force_login(correspondent)
    text = _exported_text(_export(client, "school"))
    assert "本校小学" in text
    assert "他校小学" not in text


def test_correspondent_cannot_import_schools(client, schools, correspondent):
    client.force_login(correspondent)
    assert _import(client, "school", SCHOOL_CSV.format(name="本校小学")).status_code == 403
    assert _confirm(client, "school").status_code == 403


@pytest.mark.parametrize("role", ["审计员", "审核员"])
@pytest.mark.parametrize("model", IMPORTABLE)
def test_auditors_and_reviewers_cannot_import(client, schools, role, model):
    organization = PartyOrganizationFactory(name="中共测试支部委员会", member_count=18)
    client.force_login(RoleUserFactory(roles=[role]))
    csv = {
        "school": SCHOOL_CSV.format(name="他校小学"),
        "partyorganization": ORGANIZATION_CSV.format(name=organization.name),
        "award": AWARD_CSV.format(school="他校小学"),
    }[model]
    assert _import(client, model, csv).status_code == 403
    assert _confirm(client, model).status_code == 403
    organization.refresh_from_db()
    assert organization.member_count == 18
    assert School.objects.get(name="他校小学").introduction == ""
    assert not Award.objects.exists()


def test_auditor_may_not_export_party_organisations(client):
    PartyOrganizationFactory(name="中共测试支部委员会", secretary="王晓岚")
    client.force_login(RoleUserFactory(roles=["审计员"]))
    assert _export(client, "partyorganization").status_code == 403


def test_staff_without_any_role_can_neither_import_nor_export(client, schools):
    client.force_login(StaffFactory())
    for model in IMPORTABLE:
        assert _import(client, model, "x\n").status_code == 403
        assert _export(client, model).status_code == 403


def test_editor_imports_and_exports_every_school(client, schools):
    client.force_login(RoleUserFactory(roles=["编辑"]))
    text = _exported_text(_export(client, "school"))
    assert "本校小学" in text and "他校小学" in text
    response = _import(client, "award", AWARD_CSV.format(school="他校小学"))
    assert response.status_code == 200
    assert 'name="import_file_name"' in response.text  # the preview offers the confirmation


def test_import_of_another_schools_row_is_refused_row_by_row(schools, correspondent):
    """Whoever holds the add and change permissions without ``brands.all_schools`` imports
    only rows of their own schools; the check is the resource's, not only the admin's."""
    other_award = AwardFactory(school=schools[1], title="他校的荣誉")
    schools_result = SchoolResource().import_data(
        tablib.Dataset().load(
            SCHOOL_HEADER + SCHOOL_ROW.format(name="他校小学") + SCHOOL_ROW.format(name="新建小学"),
            format="csv",
        ),
        dry_run=False,
        user=correspondent,
    )
    assert [row.number for row in schools_result.invalid_rows] == [1, 2]
    assert "只能导入您负责的学校" in str(schools_result.invalid_rows[0].error_dict)
    assert School.objects.get(name="他校小学").introduction == ""
    assert not School.objects.filter(name="新建小学").exists()

    dataset = tablib.Dataset().load(AWARD_CSV.format(school="他校小学"), format="csv")
    awards_result = AwardResource().import_data(dataset, dry_run=False, user=correspondent)
    assert [row.number for row in awards_result.invalid_rows] == [1]
    assert "只能导入您负责的学校" in str(awards_result.invalid_rows[0].error_dict)
    assert list(Award.objects.all()) == [other_award]


def test_import_of_own_schools_row_is_accepted(schools, correspondent):
    dataset = tablib.Dataset().load(AWARD_CSV.format(school="本校小学"), format="csv")
    result = AwardResource().import_data(dataset, dry_run=False, user=correspondent)
    assert not result.has_validation_errors() and not result.has_errors()
    assert Award.objects.get().school == schools[0]


def test_party_organisations_import_needs_every_school(correspondent):
    organization = PartyOrganizationFactory(name="中共测试支部委员会", member_count=18)
    dataset = tablib.Dataset().load(ORGANIZATION_CSV.format(name=organization.name), format="csv")
    result = PartyOrganizationResource().import_data(dataset, dry_run=False, user=correspondent)
    assert [row.number for row in result.invalid_rows] == [1]
    organization.refresh_from_db()
    assert organization.member_count == 18
