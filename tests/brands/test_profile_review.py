"""Schools' profiles and brands go through review: a correspondent's change waits for a
reviewer of the profile levels (one by default) before the public sees it; a reviewer of the
last level changes them directly (news.workflow.profiles, brands.admin, brands.profile_review)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from brands.models import Brand, BrandImage
from news.models import ProfileChange, ProfileTransition, TransitionAction
from news.workflow import profiles
from portal.models import AuditLogEntry, SiteSettings
from tests.factories import (
    BrandFactory,
    BrandImageFactory,
    RoleUserFactory,
    SchoolFactory,
    SensitiveWordFactory,
)
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    return SchoolFactory(name="青湾区实验小学", introduction="原来的简介。")


@pytest.fixture
def correspondent(school):
    return RoleUserFactory(username="tongxunyuan", roles=["学校通讯员"], schools=[school])


@pytest.fixture
def reviewer(db):
    return RoleUserFactory(username="shenheyuan", roles=["审核员"], review_levels=[1])


@pytest.fixture
def publisher(db):
    """District staff who write and hold the last profile level: their changes apply at once."""
    return RoleUserFactory(username="quju", roles=["编辑", "审核员"], review_levels=[1])


def _school_url(school):
    return reverse("admin:brands_school_change", args=[school.pk])


def _brand_url(brand):
    return reverse("admin:brands_brand_change", args=[brand.pk])


def _review_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[obj.pk])


def _save(client, url, **changes):
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, page_form_data(page, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def _photo(name="phone.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_correspondents_change_to_the_profile_waits_for_review(client, school, correspondent):
    client.force_login(correspondent)
    _save(client, _school_url(school), introduction="新的简介：红色教育进课堂。")

    school.refresh_from_db()
    assert school.introduction == "原来的简介。"  # the public still reads this
    public = client.get(school.get_absolute_url()).content.decode()
    assert "原来的简介" in public and "红色教育进课堂" not in public
    change = ProfileChange.objects.get(school=school)
    assert change.content["introduction"] == "新的简介：红色教育进课堂。"
    assert (change.status, change.review_level, change.review_levels) == ("submitted", 1, 1)
    step = ProfileTransition.objects.get(school=school)
    assert (step.action, step.actor) == (TransitionAction.SUBMIT, correspondent)
    assert AuditLogEntry.objects.filter(object_id=str(school.pk), action="transition").exists()

    # Opened again, the form goes on from the change, and says where it stands.
    page = client.get(_school_url(school))
    assert page.context["adminform"].form.initial["introduction"] == "新的简介：红色教育进课堂。"
    assert "正在审核" in page.content.decode()


def test_saving_unchanged_content_sends_nothing_to_review(client, school, correspondent):
    client.force_login(correspondent)
    _save(client, _school_url(school))
    assert not ProfileChange.objects.exists()
    assert not ProfileTransition.objects.exists()


def test_a_reviewer_approves_and_the_public_sees_the_change(
    client, school, correspondent, reviewer
):
    client.force_login(correspondent)
    _save(client, _school_url(school), introduction="新的简介。", address="文昌路 1 号")

    client.force_login(reviewer)
    home = client.get(reverse("admin:index")).content.decode()
    assert "待审核的学校和品牌资料" in home and _review_url(school) in home
    page = client.get(_review_url(school))
    html = page.content.decode()
    assert page.status_code == 200
    assert "原来的简介。" in html and "新的简介。" in html and "文昌路 1 号" in html
    assert "审核通过" in html

    response = client.post(_review_url(school), {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.introduction, school.address) == ("新的简介。", "文昌路 1 号")
    assert not ProfileChange.objects.exists()
    assert list(
        ProfileTransition.objects.filter(school=school).values_list("action", flat=True)
    ) == [TransitionAction.SUBMIT, TransitionAction.APPROVE]
    client.logout()
    assert "新的简介。" in client.get(school.get_absolute_url()).content.decode()


def test_a_rejection_goes_back_with_its_comment_and_saving_again_resubmits(
    client, school, correspondent, reviewer
):
    client.force_login(correspondent)
    _save(client, _school_url(school), introduction="草率的简介")
    client.force_login(reviewer)
    response = client.post(_review_url(school), {"decision": "reject", "comment": ""})
    assert response.status_code == 200
    assert "请填写退回意见" in response.content.decode()
    assert ProfileChange.objects.get().status == "submitted"
    client.post(_review_url(school), {"decision": "reject", "comment": "请补充党建特色。"})
    assert ProfileChange.objects.get().status == "rejected"

    client.force_login(correspondent)
    page = client.get(_school_url(school)).content.decode()
    assert "退回意见" in page and "请补充党建特色。" in page
    _save(client, _school_url(school), introduction="补充后的简介：党建带队建。")
    change = ProfileChange.objects.get()
    assert (change.status, change.review_round) == ("submitted", 2)
    assert change.content["introduction"] == "补充后的简介：党建带队建。"
    school.refresh_from_db()
    assert school.introduction == "原来的简介。"


def test_the_review_rules_are_the_articles(client, school, correspondent, reviewer):
    client.force_login(correspondent)
    _save(client, _school_url(school), introduction="新的简介。")
    change = ProfileChange.objects.get()
    # Not assigned a level, not a reviewer, or their own change: refused, on the server.
    unassigned = RoleUserFactory(roles=["审核员"])
    assert "没有被分配" in profiles.review_refusal(change, unassigned)
    assert profiles.review_refusal(change, correspondent) == "您没有审核权限。"
    client.force_login(unassigned)
    client.post(_review_url(school), {"decision": "approve"})
    assert ProfileChange.objects.exists()
    author = RoleUserFactory(roles=["编辑", "审核员"], review_levels=[1])
    change.created_by = author
    change.save()
    assert profiles.review_refusal(change, author) == "不能审核自己修改的资料。"
    assert not profiles.awaiting_review(author).exists()
    assert list(profiles.awaiting_review(reviewer)) == [change]
    assert profiles.review_refusal(change, reviewer) is None


def test_two_levels_need_two_reviewers(client, school, correspondent, reviewer):
    SiteSettings.objects.update_or_create(pk=1, defaults={"profile_review_levels": 2})
    both = RoleUserFactory(roles=["审核员"], review_levels=[1, 2])
    final = RoleUserFactory(roles=["审核员"], review_levels=[2])
    client.force_login(correspondent)
    _save(client, _school_url(school), introduction="两级审核的简介。")
    change = ProfileChange.objects.get()
    assert change.review_levels == 2
    profiles.approve(change, both)
    change.refresh_from_db()
    assert (change.status, change.review_level) == ("in_review", 2)
    school.refresh_from_db()
    assert school.introduction == "原来的简介。"
    assert "另一级" in profiles.review_refusal(change, both)
    profiles.approve(change, final)
    school.refresh_from_db()
    assert school.introduction == "两级审核的简介。"


def test_a_reviewer_of_the_last_level_changes_directly_and_settles_a_waiting_change(
    client, school, correspondent, publisher
):
    client.force_login(correspondent)
    _save(client, _school_url(school), introduction="通讯员的简介。")
    client.force_login(publisher)
    page = client.get(_school_url(school))
    assert page.context["adminform"].form.initial["introduction"] == "通讯员的简介。"
    _save(client, _school_url(school), introduction="区里改定的简介。")
    school.refresh_from_db()
    assert school.introduction == "区里改定的简介。"
    assert not ProfileChange.objects.exists()
    step = ProfileTransition.objects.filter(school=school).last()
    assert step.action == TransitionAction.PUBLISH and "待审的修改已一并生效" in step.comment


def test_a_correspondents_new_brand_is_public_only_after_review(
    client, school, correspondent, reviewer
):
    current = BrandFactory(school=school, name="园丁先锋", is_current=True)
    client.force_login(correspondent)
    page = client.get(reverse("admin:brands_brand_add"))
    data = page_form_data(
        page, school=str(school.pk), name="红烛先锋", kind="organization", is_current="on"
    )
    data["images-TOTAL_FORMS"] = "1"
    data["images-0-caption"] = "党员教师志愿服务"
    data["images-0-order"] = "0"
    response = client.post(reverse("admin:brands_brand_add"), {**data, "images-0-image": _photo()})
    assert response.status_code == 302, response.content.decode()[:3000]

    brand = Brand.objects.get(name="红烛先锋")
    assert not brand.published and brand.images.count() == 1
    current.refresh_from_db()
    assert current.is_current  # the public brand keeps its place until the new one is public
    client.logout()
    assert client.get(brand.get_absolute_url()).status_code == 404
    assert "红烛先锋" not in client.get(reverse("brands:brand_list")).content.decode()
    assert "红烛先锋" not in client.get(school.get_absolute_url()).content.decode()

    client.force_login(reviewer)
    page = client.get(_review_url(brand)).content.decode()
    assert "新建的" in page and "党员教师志愿服务" in page
    client.post(_review_url(brand), {"decision": "approve"})
    brand.refresh_from_db()
    current.refresh_from_db()
    assert brand.published and brand.is_current and not current.is_current
    client.logout()
    assert client.get(brand.get_absolute_url()).status_code == 200


def test_a_change_to_a_public_brands_gallery_waits_for_review(
    client, school, correspondent, reviewer
):
    brand = BrandFactory(school=school, name="童心向阳")
    kept = BrandImageFactory(brand=brand, caption="升旗仪式", order=1)
    BrandImageFactory(brand=brand, caption="要删掉的照片", order=2)
    client.force_login(correspondent)
    page = client.get(_brand_url(brand))
    data = page_form_data(page, slogan="新的口号")
    data["images-0-caption"] = "升旗仪式（改）"
    data["images-1-DELETE"] = "on"
    data["images-2-caption"] = "新的照片"
    data["images-2-order"] = "3"
    response = client.post(_brand_url(brand), {**data, "images-2-image": _photo()})
    assert response.status_code == 302, response.content.decode()[:3000]

    brand.refresh_from_db()
    assert brand.slogan != "新的口号"
    assert sorted(brand.images.values_list("caption", flat=True)) == ["升旗仪式", "要删掉的照片"]
    gallery = ProfileChange.objects.get(brand=brand).content["images"]
    assert [item["caption"] for item in gallery] == ["升旗仪式（改）", "新的照片"]
    assert gallery[0]["image"] == kept.image.name
    assert gallery[1]["image"] != kept.image.name

    # Opened again, the gallery is the one waiting for review, and saving keeps it.
    page = client.get(_brand_url(brand))
    html = page.content.decode()
    assert "升旗仪式（改）" in html and "新的照片" in html and "要删掉的照片" not in html
    client.post(_brand_url(brand), page_form_data(page))
    assert ProfileChange.objects.get(brand=brand).content["images"] == gallery

    client.force_login(reviewer)
    review = client.get(_review_url(brand)).content.decode()
    assert "修改后的图片" in review and "新的口号" in review
    client.post(_review_url(brand), {"decision": "approve"})
    brand.refresh_from_db()
    assert brand.slogan == "新的口号"
    assert [(i.caption, i.image.name) for i in brand.images.all()] == [
        ("升旗仪式（改）", kept.image.name),
        ("新的照片", gallery[1]["image"]),
    ]


def test_the_gate_blocks_at_submission_and_a_reviewer_confirms_at_approval(
    client, school, correspondent, reviewer
):
    SensitiveWordFactory(word="违禁词甲", level="block")
    client.force_login(correspondent)
    page = client.get(_school_url(school))
    response = client.post(_school_url(school), page_form_data(page, introduction="有违禁词甲"))
    assert response.status_code == 200
    assert "不能公开的内容" in response.content.decode()
    assert "有违禁词甲" in response.content.decode()  # what was typed stays
    assert not ProfileChange.objects.exists()

    # A mobile number needs a reviewer's confirmation: it may be sent, not published unseen.
    _save(client, _school_url(school), introduction="联系电话 13912345678")
    client.force_login(reviewer)
    response = client.post(_review_url(school), {"decision": "approve"})
    assert response.status_code == 200
    assert "确认" in response.content.decode()
    school.refresh_from_db()
    assert "13912345678" not in school.introduction
    client.post(_review_url(school), {"decision": "approve", "gate_reason": "学校公开的办公电话"})
    school.refresh_from_db()
    assert "13912345678" in school.introduction


def test_placement_applies_at_once(client, school, publisher):
    """Where a school belongs is not content: an editor's change of it applies at once."""
    editor = RoleUserFactory(roles=["编辑"])
    client.force_login(editor)
    _save(client, _school_url(school), town="文昌街道", introduction="编辑改的简介")
    school.refresh_from_db()
    assert school.town == "文昌街道"
    assert school.introduction == "原来的简介。"
    assert ProfileChange.objects.get(school=school).content["introduction"] == "编辑改的简介"


def test_brand_image_rows_are_replaced_only_when_the_gallery_changes(school):
    brand = BrandFactory(school=school)
    image = BrandImageFactory(brand=brand)
    brand.replace_gallery(brand.gallery())
    assert list(BrandImage.objects.values_list("pk", flat=True)) == [image.pk]


def test_a_new_school_photo_waits_for_review_stored_and_prepared(client, school, correspondent):
    client.force_login(correspondent)
    page = client.get(_school_url(school))
    response = client.post(_school_url(school), {**page_form_data(page), "photo": _photo()})
    assert response.status_code == 302, response.content.decode()[:3000]
    school.refresh_from_db()
    assert not school.photo  # the public page has no new photo yet
    name = ProfileChange.objects.get(school=school).content["photo"]
    assert name.startswith("schools/") and name.endswith(".jpg") and "phone" not in name
    assert school.photo.storage.exists(name)


def test_two_people_changing_the_same_waiting_profile_do_not_overwrite_each_other(
    client, school, correspondent
):
    colleague = RoleUserFactory(username="tongxunyuan2", roles=["学校通讯员"], schools=[school])
    client.force_login(colleague)
    their_form = client.get(_school_url(school))
    client.force_login(correspondent)
    _save(client, _school_url(school), introduction="通讯员甲写的简介。")

    client.force_login(colleague)
    response = client.post(
        _school_url(school), page_form_data(their_form, introduction="通讯员乙写的简介。")
    )

    assert response.status_code == 200
    assert "保存失败：您打开这个表单之后" in response.content.decode()
    assert ProfileChange.objects.get(school=school).content["introduction"] == "通讯员甲写的简介。"


def test_an_article_does_not_show_a_brand_nobody_has_published_yet(client, school):
    from tests.factories import ArticleFactory

    brand = BrandFactory(school=school, name="红烛引航", published=False)
    article = ArticleFactory(brand=brand)

    page = client.get(article.get_absolute_url()).content.decode()

    assert "红烛引航" not in page
    brand.published = True
    brand.save()
    assert "红烛引航" in client.get(article.get_absolute_url()).content.decode()
