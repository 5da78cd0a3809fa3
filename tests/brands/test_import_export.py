"""Excel/CSV import and export from the admin: all rows or none, errors named by row."""

import io
import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from brands.models import Award, PartyOrganization, School
from brands.resources import AwardResource, PartyOrganizationResource, SchoolResource
from tests.factories import (
    AwardFactory,
    BrandFactory,
    CampaignFactory,
    PartyOrganizationFactory,
    SchoolFactory,
    SuperuserFactory,
)

pytestmark = pytest.mark.django_db

SCHOOL_HEADER = "学校名称,简称,学段,办学性质,镇街,教育集团,地址,学校网站,学校简介,党组织\n"
CSV_FORMAT = "0"  # the first of the admin's import formats


def _upload(text, name="schools.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _row_number_cells(html):
    return [int(n) for n in re.findall(r"<td>\s*(\d+)\s*</td>", html)]


@pytest.fixture
def admin_client(client):
    client.force_login(SuperuserFactory())
    return client


def test_admin_import_with_one_bad_row_names_the_row_and_imports_nothing(admin_client):
    PartyOrganizationFactory(name="中共甲校支部委员会")
    csv = SCHOOL_HEADER + (
        "甲校,甲,小学,公办,文昌街道,,,,,中共甲校支部委员会\n"
        "乙校,乙,大学,公办,文昌街道,,,,,\n"
        "丙校,丙,初中,民办,白沙镇,,,,,\n"
    )
    response = admin_client.post(
        reverse("admin:brands_school_import"),
        {"import_file": _upload(csv), "format": CSV_FORMAT, "resource": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _row_number_cells(html) == [2]
    assert "“大学”不是有效的选项" in html
    assert "学段" in html
    assert 'name="import_file_name"' not in html  # no confirm step is offered
    assert School.objects.count() == 0


def test_admin_import_unknown_organisation_is_reported(admin_client):
    csv = SCHOOL_HEADER + "甲校,甲,小学,公办,文昌街道,,,,,不存在的党组织\n"
    response = admin_client.post(
        reverse("admin:brands_school_import"),
        {"import_file": _upload(csv), "format": CSV_FORMAT, "resource": "0"},
    )
    html = response.content.decode()
    assert "找不到“不存在的党组织”" in html
    assert School.objects.count() == 0


def test_admin_import_of_a_good_file_after_confirmation(admin_client):
    joint = PartyOrganizationFactory(name="中共镇街幼儿园联合支部委员会", kind=40)
    csv = SCHOOL_HEADER + (
        "白沙镇中心幼儿园,白沙幼,幼儿园,公办,白沙镇,,,,,中共镇街幼儿园联合支部委员会\n"
        "莲塘镇中心幼儿园,莲塘幼,幼儿园,,莲塘镇,,,,,中共镇街幼儿园联合支部委员会\n"
    )
    response = admin_client.post(
        reverse("admin:brands_school_import"),
        {"import_file": _upload(csv), "format": CSV_FORMAT, "resource": "0"},
    )
    html = response.content.decode()
    confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    assert "import_file_name" in confirm
    assert School.objects.count() == 0  # the preview stores nothing
    response = admin_client.post(reverse("admin:brands_school_process_import"), confirm)
    assert response.status_code == 302
    schools = School.objects.order_by("name")
    assert [s.slug for s in schools] == ["bai-sha-zhen-zhong-xin-you-er-yuan",
                                         "lian-tang-zhen-zhong-xin-you-er-yuan"]  # fmt: skip
    assert all(s.party_organization == joint and s.stage == 10 for s in schools)
    assert schools[1].ownership == "public"  # empty cell: the default


def test_a_second_school_on_a_plain_branch_fails_the_whole_import():
    PartyOrganizationFactory(name="中共甲校支部委员会", kind=30)
    dataset = tablib.Dataset().load(
        SCHOOL_HEADER + "甲校,,小学,公办,文昌街道,,,,,中共甲校支部委员会\n"
        "乙校,,小学,公办,文昌街道,,,,,中共甲校支部委员会\n",
        format="csv",
    )
    result = SchoolResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert "联合党支部" in str(result.invalid_rows[0].error_dict)
    assert School.objects.count() == 0


def _award_dataset(rows):
    headers = ["编号", "荣誉名称", "荣誉类别", "荣誉级别", "授予日期", "授予单位", "所属评选",
               "名次", "等次", "获奖对象类型", "学校", "党建品牌", "党组织", "获奖人姓名",
               "公告链接"]  # fmt: skip
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row.get(header, "") for header in headers])
    return dataset


def test_award_import_checks_recipients_and_is_all_or_nothing():
    school = SchoolFactory(name="青湾区实验小学")
    BrandFactory(school=school, name="红烛先锋")
    BrandFactory(school=SchoolFactory(name="别的学校"), name="红烛先锋", is_current=True)
    campaign = CampaignFactory(title="2025年度最优党建品牌评选")
    common = {"荣誉级别": "系统内", "授予日期": "2026-01-22", "授予单位": "局党委"}
    rows = [
        {**common, "荣誉名称": "最优党建品牌", "荣誉类别": "最优党建品牌",
         "所属评选": campaign.title, "名次": 1, "获奖对象类型": "党建品牌",
         "学校": "青湾区实验小学", "党建品牌": "红烛先锋"},
        {**common, "荣誉名称": "优秀共产党员", "荣誉类别": "优秀共产党员", "获奖对象类型": "个人",
         "获奖人姓名": "林晓岚"},  # a person without their school
        {**common, "荣誉名称": "先进集体", "荣誉类别": "其他", "获奖对象类型": "学校",
         "学校": "青湾区实验小学"},
    ]  # fmt: skip
    result = AwardResource().import_data(_award_dataset(rows), dry_run=False)
    assert [row.number for row in result.invalid_rows] == [2]
    assert "学校" in result.invalid_rows[0].error_dict
    assert Award.objects.count() == 0

    del rows[1]
    result = AwardResource().import_data(_award_dataset(rows), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    brand_award = Award.objects.get(recipient_kind="brand")
    assert brand_award.brand.school == school  # the brand of the named school, not the other
    assert brand_award.campaign == campaign and brand_award.rank == 1
    assert Award.objects.count() == 2


def test_award_import_with_unknown_category_reports_the_row():
    SchoolFactory(name="青湾区实验小学")
    good = {"荣誉名称": "先进集体", "荣誉类别": "其他", "荣誉级别": "区县级",
            "授予日期": "2025-06-01", "授予单位": "局党委", "获奖对象类型": "学校",
            "学校": "青湾区实验小学"}  # fmt: skip
    rows = [good, good, {**good, "荣誉类别": "不存在的类别"}]
    result = AwardResource().import_data(_award_dataset(rows), dry_run=False)
    assert [row.number for row in result.invalid_rows] == [3]
    assert Award.objects.count() == 0


def test_organisations_import_from_excel():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["组织名称", "组织类型", "书记", "党员人数", "成立年份", "上级组织"])
    sheet.append(["中共青湾区教育局委员会", "党委", "王建华", 46, 1984, None])
    sheet.append(
        ["中共青湾区实验小学支部委员会", "党支部", None, 21, 2003, "中共青湾区教育局委员会"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    dataset = tablib.Dataset().load(buffer.getvalue(), format="xlsx")
    result = PartyOrganizationResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    branch = PartyOrganization.objects.get(name="中共青湾区实验小学支部委员会")
    assert branch.kind == 30 and branch.secretary == "" and branch.member_count == 21
    assert branch.parent.name == "中共青湾区教育局委员会"


def test_export_uses_chinese_headers_and_labels_and_reimports_unchanged(admin_client):
    organization = PartyOrganizationFactory(name="中共甲校支部委员会")
    SchoolFactory(name="甲校", stage=30, ownership="private", party_organization=organization)
    exported = SchoolResource().export()
    csv = exported.csv
    assert csv.splitlines()[0].startswith("学校名称,简称,学段,办学性质")
    assert "甲校" in csv and "初中" in csv and "民办" in csv and "中共甲校支部委员会" in csv
    result = SchoolResource().import_data(tablib.Dataset().load(csv, format="csv"))
    assert not result.has_validation_errors()
    assert School.objects.count() == 1

    AwardFactory(title="导出测试荣誉", level=20)
    awards_csv = AwardResource().export().csv
    assert "导出测试荣誉" in awards_csv and "省级" in awards_csv
    orgs_csv = PartyOrganizationResource().export().csv
    assert "甲校" in orgs_csv  # the schools it covers

    response = admin_client.get(reverse("admin:brands_award_export"))
    assert response.status_code == 200
