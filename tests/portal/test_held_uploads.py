"""A form refused for another field keeps the files already chosen (held under MEDIA_ROOT,
named by a signed reference), and lists every error at the top with a link to its field."""

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from brands.models import Brand
from news.models import Article
from portal import held_uploads
from tests import samples
from tests.factories import ArticleFactory, BrandFactory, SchoolFactory, SuperuserFactory
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db

HELD_INPUT = re.compile(r'<input type="hidden" name="([^"]+__held)" value="([^"]+)"')


@pytest.fixture
def admin_client(client):
    # Holding the last profile review level, their school and brand changes apply at once.
    client.force_login(SuperuserFactory(username="root", review_levels=[1]))
    return client


@pytest.fixture
def draft(db):
    return ArticleFactory(status="draft", title="原来的标题", cover="")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def jpeg(name="封面 照片(1).jpg"):
    return SimpleUploadedFile(name, samples.picture("JPEG"), content_type="image/jpeg")


def with_attachment(**changes):
    return {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-title": "",
        "attachments-0-order": "0",
        "attachments-0-file": SimpleUploadedFile("工作要点.pdf", samples.PDF),
        **changes,
    }


def refused_with_files(client, article):
    page = client.get(change_url(article))
    data = page_form_data(page, title="", cover=jpeg(), cover_alt="封面", **with_attachment())
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    return response


def test_a_refused_form_keeps_the_chosen_cover_and_attachment(admin_client, draft):
    response = refused_with_files(admin_client, draft)
    html = response.content.decode()
    assert "已选择：<strong>封面 照片(1).jpg</strong>（保存时上传）" in html
    assert "已选择：<strong>工作要点.pdf</strong>（保存时上传）" in html
    held = dict(HELD_INPUT.findall(html))
    assert set(held) == {"cover__held", "attachments-0-file__held"}

    data = page_form_data(response, title="补上的标题")
    assert data["cover__held"] == held["cover__held"]
    again = admin_client.post(change_url(draft), data)

    assert again.status_code == 302, again.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.title == "补上的标题"
    assert draft.cover.name.startswith("news/covers/")
    with Image.open(draft.cover) as cover:  # prepared by portal.images, same picture
        assert (cover.format, cover.size) == ("JPEG", Image.open(jpeg()).size)
    [attachment] = draft.attachments.all()
    assert attachment.original_name == "工作要点.pdf"
    assert attachment.file.read() == samples.PDF


def test_held_files_survive_a_second_refusal(admin_client, draft):
    response = refused_with_files(admin_client, draft)
    token = dict(HELD_INPUT.findall(response.content.decode()))["cover__held"]
    second = admin_client.post(change_url(draft), page_form_data(response, title=""))
    assert second.status_code == 200
    assert dict(HELD_INPUT.findall(second.content.decode()))["cover__held"] == token


def test_a_new_choice_replaces_the_held_file(admin_client, draft):
    response = refused_with_files(admin_client, draft)
    data = page_form_data(response, title="标题", cover=jpeg("新的封面.jpg"))
    assert admin_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.cover.name.startswith("news/covers/")


def test_a_file_refused_by_its_validator_is_not_held(admin_client, draft):
    page = admin_client.get(change_url(draft))
    fake = SimpleUploadedFile("封面.jpg", samples.HTML)
    response = admin_client.post(change_url(draft), page_form_data(page, title="", cover=fake))
    html = response.content.decode()
    assert "cover__held" not in html and "已选择：" not in html
    assert response.context["adminform"].form.errors["cover"]


@pytest.mark.parametrize("token", ["forged", "cover:tmp/held/../../secret.txt"])
def test_a_tampered_reference_is_refused_in_chinese(admin_client, draft, token):
    response = refused_with_files(admin_client, draft)
    real = dict(HELD_INPUT.findall(response.content.decode()))["cover__held"]
    data = page_form_data(response, title="补上的标题", cover__held=token)
    again = admin_client.post(change_url(draft), data)
    assert again.status_code == 200
    assert "所选的文件已失效，请重新选择文件。" in again.content.decode()
    assert real not in again.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.cover.name) == ("原来的标题", "")


def test_a_reference_is_bound_to_its_field(admin_client, draft):
    response = refused_with_files(admin_client, draft)
    held = dict(HELD_INPUT.findall(response.content.decode()))
    data = page_form_data(
        response, title="补上的标题", cover__held=held["attachments-0-file__held"]
    )
    again = admin_client.post(change_url(draft), data)
    assert again.status_code == 200
    assert "所选的文件已失效" in again.content.decode()


def test_an_expired_reference_asks_for_the_file_again(admin_client, draft, monkeypatch):
    response = refused_with_files(admin_client, draft)
    monkeypatch.setattr(held_uploads, "MAX_AGE", timedelta(seconds=-1))
    again = admin_client.post(change_url(draft), page_form_data(response, title="补上的标题"))
    assert again.status_code == 200
    assert "所选的文件已失效" in again.content.decode()


def test_the_error_summary_links_to_each_field(admin_client, draft):
    page = admin_client.get(change_url(draft))
    bad_row = with_attachment(**{"attachments-0-file": SimpleUploadedFile("x.exe", samples.EXE)})
    response = admin_client.post(change_url(draft), page_form_data(page, title="", **bad_row))
    html = response.content.decode()
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#id_title">标题：这个字段是必填项。</a>' in summary
    assert '<a href="#id_attachments-0-file">附件 1 · 文件：' in summary


def test_brand_logo_and_gallery_are_held_too(admin_client):
    brand = BrandFactory(name="红烛先锋", logo="")
    page = admin_client.get(change_url(brand))
    data = page_form_data(
        page,
        name="",
        logo=jpeg("标识.jpg"),
        logo_alt="红色标识",
        **{"images-0-image": jpeg("活动.jpg"), "images-0-caption": "活动照片"},
    )
    response = admin_client.post(change_url(brand), data)
    assert response.status_code == 200
    held = dict(HELD_INPUT.findall(response.content.decode()))
    assert set(held) == {"logo__held", "images-0-image__held"}
    again = admin_client.post(change_url(brand), page_form_data(response, name="红烛先锋"))
    assert again.status_code == 302
    brand = Brand.objects.get(pk=brand.pk)
    assert brand.logo.name.startswith("brands/logos/")
    assert brand.images.get().image.name.startswith("brands/gallery/")


def test_old_held_files_are_purged(admin_client, draft, monkeypatch):
    refused_with_files(admin_client, draft)
    assert held_uploads.held_names()
    call_command("purge_held_uploads", "--dry-run")
    assert held_uploads.held_names()
    monkeypatch.setattr(held_uploads, "MAX_AGE", timedelta(seconds=-1))
    call_command("purge_held_uploads")
    assert not held_uploads.held_names()
    assert default_storage.listdir(held_uploads.HELD_DIR) == ([], [])
    assert Article.objects.get(pk=draft.pk).cover.name == ""


def test_a_school_photo_is_held_too(admin_client):
    school = SchoolFactory(name="滨江小学", photo="")
    page = admin_client.get(change_url(school))
    response = admin_client.post(
        change_url(school), page_form_data(page, name="", photo=jpeg("校门.jpg"))
    )
    assert "已选择：<strong>校门.jpg</strong>（保存时上传）" in response.content.decode()
    again = admin_client.post(change_url(school), page_form_data(response, name="滨江小学"))
    assert again.status_code == 302
    school.refresh_from_db()
    assert school.photo.name.startswith("schools/")
