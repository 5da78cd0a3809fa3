"""The admin's forms show each stored picture small (portal.images.preview), linked to the
full picture: the article cover, a school's photo, a brand's logo and gallery, the site's
公安备案图标, in editable and read-only forms alike, and a file held across a refused save."""

import re
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from brands.models import BrandImage, School
from news.models import Article, ProfileChange
from portal import held_uploads
from portal.images import PREVIEW_WIDTH, PURPOSES, PictureField, rendition_url, renditions
from portal.models import SiteSettings
from tests import samples
from tests.factories import (
    ArticleFactory,
    BrandFactory,
    BrandImageFactory,
    RoleUserFactory,
    SchoolFactory,
    SuperuserFactory,
)
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db

PREVIEW = re.compile(r'<a href="([^"]+)"><img src="([^"]+)" width="(\d+)" height="(\d+)" alt="')
HELD_PREVIEW = re.compile(r'<p class="held-upload"><img src="([^"]+)"')


@pytest.fixture
def admin_client(client):
    client.force_login(SuperuserFactory(username="root", review_levels=[1]))
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def review_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_review", args=[obj.pk])


def stored_name(url):
    return unquote(url.removeprefix("/media/"))


def previews(page):
    """(full picture, preview) storage names of every picture the page shows small."""
    html = page.content.decode()
    found = []
    for full, small, width, _height in PREVIEW.findall(html):
        assert int(width) <= PREVIEW_WIDTH
        found.append((stored_name(full), stored_name(small)))
    return found


def with_picture(field_file, name="picture.jpg"):
    field_file.save(name, ContentFile(samples.picture("JPEG")))
    return field_file


def first_rendition(image):
    """The storage name of the smallest rendition of the field's first purpose."""
    purpose = image.field.purposes[0]
    return stored_name(renditions(image, purpose, PURPOSES[purpose].fallback)[0].url)


def assert_shown_small(page, image):
    shown = dict(previews(page))
    assert image.name in shown, f"{image.name} is not shown small"
    assert shown[image.name] == first_rendition(image)
    assert shown[image.name] != image.name
    assert default_storage.exists(shown[image.name])  # the address resolves to a real file


def test_an_article_cover(admin_client):
    article = ArticleFactory(status="draft", cover_alt="合影")
    with_picture(article.cover)
    article.save()
    page = admin_client.get(change_url(article))
    assert_shown_small(page, article.cover)
    assert rendition_url(article.cover, "card").startswith("/media/")


def test_a_cover_with_a_focal_point_shows_its_own_crop(admin_client):
    article = ArticleFactory(status="draft", cover_alt="合影")
    with_picture(article.cover)
    article.cover_focus_x, article.cover_focus_y = 20, 80
    article.save()
    page = admin_client.get(change_url(article))
    assert_shown_small(page, article.cover)  # the name of the crop around the point


def test_a_school_photo_and_a_brand_logo_and_gallery(admin_client):
    school = SchoolFactory()
    with_picture(school.photo)
    school.save()
    assert_shown_small(admin_client.get(change_url(school)), school.photo)

    brand = BrandFactory(school=school, logo_alt="五角星")
    with_picture(brand.logo, "logo.png")
    brand.save()
    images = [BrandImageFactory(brand=brand) for _ in range(2)]
    page = admin_client.get(change_url(brand))
    for image in (brand.logo, *(row.image for row in images)):
        assert_shown_small(page, image)


def test_a_picture_without_renditions_is_shown_itself_scaled(admin_client):
    settings_row = SiteSettings.load()
    with_picture(settings_row.psb_icon)
    settings_row.save()
    page = admin_client.get(change_url(settings_row))
    assert (settings_row.psb_icon.name, settings_row.psb_icon.name) in previews(page)


def test_a_form_without_pictures_shows_none(admin_client):
    article = ArticleFactory(status="draft", cover="")
    page = admin_client.get(change_url(article))
    assert "picture-preview" not in page.content.decode()


def test_a_missing_file_shows_its_name_not_a_broken_picture(admin_client):
    article = ArticleFactory(status="draft", cover="news/covers/2020/01/gone.jpg")
    html = admin_client.get(change_url(article)).content.decode()
    assert "news/covers/2020/01/gone.jpg" in html
    assert "picture-preview" not in html


def test_a_read_only_form_shows_the_picture_small(client):
    # An author cannot change an article waiting for review: the form is read-only.
    author = RoleUserFactory(username="author", roles=["编辑"])
    article = ArticleFactory(status="submitted", cover_alt="合影", created_by=author)
    with_picture(article.cover)
    article.save()
    client.force_login(author)
    page = client.get(change_url(article))
    assert 'name="cover"' not in page.content.decode()
    assert_shown_small(page, article.cover)


def test_a_held_picture_is_shown_and_saved(admin_client):
    article = ArticleFactory(status="draft", cover="")
    page = admin_client.get(change_url(article))
    upload = SimpleUploadedFile("活动.jpg", samples.picture("JPEG"))
    refused = admin_client.post(change_url(article), page_form_data(page, title="", cover=upload))
    assert refused.status_code == 200
    [held] = held_uploads.held_names()
    [shown] = HELD_PREVIEW.findall(refused.content.decode())
    assert stored_name(shown) == held
    assert "已选择：<strong>活动.jpg</strong>（保存时上传）" in refused.content.decode()

    saved = admin_client.post(
        change_url(article), page_form_data(refused, title="补上的标题", cover_alt="合影")
    )
    assert saved.status_code == 302
    assert Article.objects.get(pk=article.pk).cover.name.startswith("news/covers/")


def test_a_held_attachment_shows_no_picture(admin_client):
    article = ArticleFactory(status="draft")
    page = admin_client.get(change_url(article))
    data = page_form_data(
        page,
        title="",
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": SimpleUploadedFile("要点.pdf", samples.PDF),
        },
    )
    refused = admin_client.post(change_url(article), data)
    assert "已选择：<strong>要点.pdf</strong>" in refused.content.decode()
    assert not HELD_PREVIEW.findall(refused.content.decode())


def test_every_image_field_is_a_picture_field():
    # The small picture comes with PictureField's values: a plain ImageField would show a name.
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, models.ImageField):
                assert isinstance(field, PictureField), f"{model.__name__}.{field.name}"


def test_pictures_waiting_for_review_are_shown_small_in_the_form_and_the_review(client):
    school = SchoolFactory()
    brand = BrandFactory(school=school)
    correspondent = RoleUserFactory(roles=["学校通讯员"], schools=[school])
    client.force_login(correspondent)
    page = client.get(change_url(school))
    photo = SimpleUploadedFile("校门.jpg", samples.picture("JPEG"))
    assert (
        client.post(change_url(school), {**page_form_data(page), "photo": photo}).status_code == 302
    )
    page = client.get(change_url(brand))
    data = page_form_data(page, **{"images-0-caption": "主题党日"})
    data["images-0-image"] = SimpleUploadedFile("活动.jpg", samples.picture("JPEG"))
    assert client.post(change_url(brand), data).status_code == 302
    waiting_photo = School(photo=ProfileChange.objects.get(school=school).content["photo"]).photo
    [item] = ProfileChange.objects.get(brand=brand).content["images"]
    waiting_image = BrandImage(image=item["image"]).image

    # The correspondent goes on from the change waiting for review.
    assert_shown_small(client.get(change_url(school)), waiting_photo)
    assert_shown_small(client.get(change_url(brand)), waiting_image)

    client.force_login(RoleUserFactory(roles=["审核员"], review_levels=[1]))
    assert_shown_small(client.get(review_url(school)), waiting_photo)
    assert_shown_small(client.get(review_url(brand)), waiting_image)
