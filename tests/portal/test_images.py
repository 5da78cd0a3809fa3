"""One image pipeline for every upload (portal.images): real JPEG/PNG/WebP/GIF only, within the
byte and pixel caps, metadata removed, upright, long edge capped, random names; renditions in
<picture> on public pages; clean_images for what was stored before."""

import io
import json
import re
import struct
import zlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageFile

from brands.models import Brand
from brands.resources import AwardResource, PartyOrganizationResource, SchoolResource
from news.models import Article
from portal import held_uploads, images
from portal.images import PictureField, make_renditions, prepared_image, renditions
from portal.models import SiteSettings
from tests.factories import ArticleFactory, BrandFactory, SuperuserFactory
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MODEL = 0x0110
MEDIA_URL_NAME = re.compile(r"/media/([^\s\"']+)")


def phone_photo(size=(4000, 3000)):
    """A phone's JPEG: GPS position, camera model, taken sideways (orientation 6)."""
    image = Image.new("RGB", size, "white")
    image.paste((200, 0, 0), (0, 0, size[0] // 2, size[1]))  # red left half: tells the rotation
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MODEL] = "Phone X Pro"
    exif[GPS_IFD] = {1: "N", 2: (22.0, 30.0, 15.0), 3: "E", 4: (113.0, 20.0, 5.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"taken at home", quality=80)
    return buffer.getvalue()


def picture_bytes(image_format, size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "red").save(buffer, image_format)
    return buffer.getvalue()


def png_declaring(width, height):
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def assert_clean_photo(data_or_file):
    """Upright (sideways 4000×3000 → 1920×2560 after the 2560 cap), no EXIF, no GPS."""
    with Image.open(data_or_file) as image:
        assert image.format == "JPEG"
        assert image.size == (1920, 2560)
        exif = image.getexif()
        assert not exif
        assert not exif.get_ifd(GPS_IFD)
        assert "comment" not in image.info and "exif" not in image.info
        # Turned clockwise: the red left half is now the top half.
        assert image.getpixel((960, 100))[0] > 150 and image.getpixel((960, 100))[1] < 80
        assert image.getpixel((960, 2400)) > (200, 200, 200)


def is_chinese(message):
    return any("\u4e00" <= char <= "\u9fff" for char in message)


@pytest.fixture
def admin_client(client):
    client.force_login(SuperuserFactory(username="root"))
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


# --- Refusals ------------------------------------------------------------------------------------

REFUSED = {
    "text renamed .jpg": ("photo.jpg", "这不是图片".encode(), "不是有效的图片"),
    "HTML behind a PNG header": (
        "photo.png",
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
        "不是有效的图片",
    ),
    "SVG": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "不是有效的图片",
    ),
    "BMP as .png": ("photo.png", picture_bytes("BMP"), "只支持 JPEG、PNG、WebP、GIF"),
    "TIFF as .jpg": ("photo.jpg", picture_bytes("TIFF"), "只支持 JPEG、PNG、WebP、GIF"),
    "decompression bomb": ("bomb.png", png_declaring(30000, 30000), "像素过大"),
    "over the pixel cap": ("big.png", png_declaring(8000, 8000), "像素过大"),
}


@pytest.mark.parametrize(("name", "data", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_files(name, data, message, monkeypatch):
    def no_decoding(self):
        raise AssertionError("a refused picture must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ValidationError) as refusal:
        prepared_image(SimpleUploadedFile(name, data))
    assert message in refusal.value.messages[0]


def test_a_file_over_the_byte_cap_is_refused(settings):
    data = phone_photo((400, 300))
    settings.IMAGE_MAX_BYTES = len(data) - 1
    with pytest.raises(ValidationError) as refusal:
        prepared_image(SimpleUploadedFile("photo.jpg", data))
    assert "文件超过" in refusal.value.messages[0]


def test_the_editor_refuses_a_bomb_with_400_not_500(admin_client):
    bomb = SimpleUploadedFile("bomb.png", png_declaring(30000, 30000))
    response = admin_client.post("/ckeditor5/image_upload/", {"upload": bomb})
    assert response.status_code == 400
    message = json.loads(response.content)["error"]["message"]
    assert "像素过大" in message and is_chinese(message)


# --- What comes out ------------------------------------------------------------------------------


def test_a_phone_photo_comes_out_upright_capped_and_without_metadata():
    prepared = prepared_image(SimpleUploadedFile("IMG_0001.PNG", phone_photo()))
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", prepared.name)  # the real format's extension
    assert_clean_photo(prepared)


@pytest.mark.parametrize("image_format", ["PNG", "WEBP", "GIF"])
def test_other_formats_stay_in_their_format(image_format):
    exif = Image.Exif()
    exif[MODEL] = "Phone X Pro"
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 1000), "blue").save(buffer, image_format, exif=exif)
    prepared = prepared_image(SimpleUploadedFile("x.jpg", buffer.getvalue()))
    assert prepared.name.endswith({"PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}[image_format])
    with Image.open(prepared) as image:
        assert image.format == image_format
        assert image.size == (2560, 853)
        assert not image.getexif()


def test_a_transparent_png_keeps_its_transparency():
    prepared = prepared_image(SimpleUploadedFile("logo.png", picture_bytes("PNG", mode="RGBA")))
    with Image.open(prepared) as image:
        assert image.mode == "RGBA"


def test_an_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (60, 40), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    prepared = prepared_image(SimpleUploadedFile("a.gif", buffer.getvalue()))
    with Image.open(prepared) as image:
        assert image.n_frames == 3


# --- Every path ----------------------------------------------------------------------------------


def test_the_article_form_cover(admin_client):
    article = ArticleFactory(status="draft", cover="")
    page = admin_client.get(change_url(article))
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in page.content.decode()
    upload = SimpleUploadedFile("我家门口.jpg", phone_photo(), content_type="image/jpeg")
    data = page_form_data(page, cover=upload, cover_alt="学生在校门口合影")
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert re.fullmatch(r"news/covers/\d{4}/\d\d/[0-9a-f]{32}\.jpg", article.cover.name)
    assert_clean_photo(article.cover)


def test_the_article_form_refuses_a_bomb_on_the_field(admin_client):
    article = ArticleFactory(status="draft", cover="")
    page = admin_client.get(change_url(article))
    bomb = SimpleUploadedFile("bomb.png", png_declaring(30000, 30000))
    response = admin_client.post(change_url(article), page_form_data(page, cover=bomb))
    assert response.status_code == 200
    assert "像素过大" in response.context["adminform"].form.errors["cover"][0]


def test_the_editor_endpoint(admin_client):
    upload = SimpleUploadedFile("我家门口.jpg", phone_photo())
    response = admin_client.post("/ckeditor5/image_upload/", {"upload": upload})
    assert response.status_code == 200
    name = MEDIA_URL_NAME.search(response.json()["url"]).group(1)
    assert re.fullmatch(r"editor/\d{4}/\d\d/[0-9a-f]{32}\.jpg", name)
    with default_storage.open(name) as stored:
        assert_clean_photo(stored)


def test_the_brand_logo_and_gallery(client):
    # Holding the last profile review level, the change applies at once.
    client.force_login(SuperuserFactory(review_levels=[1]))
    brand = BrandFactory(logo="", logo_alt="")
    page = client.get(change_url(brand))
    data = page_form_data(
        page,
        logo=SimpleUploadedFile("标识.jpg", phone_photo()),
        logo_alt="红色圆环中间一颗五角星",
        **{
            "images-0-image": SimpleUploadedFile("活动.jpg", phone_photo()),
            "images-0-caption": "主题党日活动",
        },
    )
    response = client.post(change_url(brand), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    brand = Brand.objects.get(pk=brand.pk)
    assert_clean_photo(brand.logo)
    image = brand.images.get().image
    assert re.fullmatch(r"brands/gallery/\d{4}/\d\d/[0-9a-f]{32}\.jpg", image.name)
    assert_clean_photo(image)


def test_the_psb_icon_gets_a_random_name(admin_client):
    settings_row = SiteSettings.load()
    settings_row.save()
    page = admin_client.get(change_url(settings_row))
    icon = SimpleUploadedFile("公安备案图标-张三.jpg", phone_photo())
    response = admin_client.post(change_url(settings_row), page_form_data(page, psb_icon=icon))
    assert response.status_code == 302
    stored = SiteSettings.load().psb_icon
    assert re.fullmatch(r"site/\d{4}/\d\d/[0-9a-f]{32}\.jpg", stored.name)
    assert_clean_photo(stored)


def test_code_that_saves_a_file_directly_goes_through_the_pipeline():
    article = ArticleFactory(cover="", cover_alt="封面")
    article.cover.save("x.jpg", ContentFile(phone_photo()))
    assert_clean_photo(article.cover)


# --- Alt text ------------------------------------------------------------------------------------


def test_a_cover_or_logo_needs_its_alt_text():
    article = ArticleFactory.build(cover="news/covers/a.jpg", cover_alt=" ")
    with pytest.raises(ValidationError) as refusal:
        article.clean()
    assert "封面图说明" in refusal.value.message_dict["cover_alt"][0]
    brand = BrandFactory.build(logo="brands/logos/a.png", logo_alt="")
    with pytest.raises(ValidationError) as refusal:
        brand.clean()
    assert "替代文字" in refusal.value.message_dict["logo_alt"][0]


# --- Renditions ----------------------------------------------------------------------------------


def test_rendition_names_are_worked_out_once_per_picture_and_follow_the_settings(
    settings, monkeypatch
):
    from easy_thumbnails import files

    article = ArticleFactory(cover="news/covers/2026/12/abc.jpg")
    images._names_of.cache_clear()  # saving the article looked for its renditions
    asked = []
    name_of = files.Thumbnailer.get_thumbnail_name
    monkeypatch.setattr(
        files.Thumbnailer,
        "get_thumbnail_name",
        lambda self, *args, **kwargs: asked.append(1) or name_of(self, *args, **kwargs),
    )
    first = renditions(article.cover, "card", "webp")
    assert renditions(article.cover, "card", "webp") == first
    assert len(asked) == 3  # one per width, for the first page that showed the card

    settings.THUMBNAIL_BASEDIR = "other-renditions"
    assert "/other-renditions/" in renditions(article.cover, "card", "webp")[0].url


def test_public_pages_show_renditions(client):
    article = ArticleFactory(is_carousel=True, cover="", cover_alt="学生在纪念馆前重温入队誓词")
    article.cover.save("c.jpg", ContentFile(phone_photo((1600, 900))))
    html = client.get("/").content.decode()
    slide = html[html.index('class="carousel__slide"') :]
    slide = slide[: slide.index("</picture>")]
    assert '<source type="image/webp" srcset="' in slide
    assert 'srcset="' in slide and 'width="960" height="540"' in slide
    assert 'alt="学生在纪念馆前重温入队誓词"' in slide
    assert 'loading="lazy"' not in slide  # the first slide is above the fold
    names = MEDIA_URL_NAME.findall(slide)
    assert any(name.endswith(".webp") for name in names)
    assert all(default_storage.exists(name) for name in names), names
    with default_storage.open(renditions(article.cover, "carousel", "webp")[0].url[7:]) as webp:
        assert Image.open(webp).size == (640, 360)

    listing = client.get(article.channel.get_absolute_url()).content.decode()
    card = listing[listing.index('class="article-list__cover"') :]
    card = card[: card.index("</picture>")]
    assert 'loading="lazy"' in card and 'type="image/webp"' in card
    assert all(default_storage.exists(name) for name in MEDIA_URL_NAME.findall(card))


# --- Existing uploads ----------------------------------------------------------------------------


def test_clean_images_fixes_stored_files_in_place_and_is_idempotent():
    stored = default_storage.save("news/covers/2020/01/old.jpg", ContentFile(phone_photo()))
    article = ArticleFactory(cover=stored, cover_alt="旧封面")
    editor = default_storage.save("editor/2020/01/body.jpg", ContentFile(phone_photo()))
    foreign = default_storage.save("editor/2020/01/scan.png", ContentFile(picture_bytes("BMP")))

    out = StringIO()
    call_command("clean_images", "--dry-run", stdout=out, stderr=StringIO())
    assert "需要处理 3 张" in out.getvalue()
    with default_storage.open(stored) as file:
        assert Image.open(file).getexif()  # a dry run changes nothing

    out = StringIO()
    call_command("clean_images", stdout=out, stderr=StringIO())
    assert "已处理 3 张" in out.getvalue() and "失败 0 张" in out.getvalue()
    with default_storage.open(stored) as file:
        assert_clean_photo(file)
    with default_storage.open(editor) as file:
        assert_clean_photo(file)
    with default_storage.open(foreign) as file:
        assert Image.open(file).format == "PNG"  # what its name promises
    cover = Article.objects.get(pk=article.pk).cover
    assert cover.name == stored
    assert all(default_storage.exists(r.url[7:]) for r in renditions(cover, "card", "webp"))

    out = StringIO()
    call_command("clean_images", stdout=out, stderr=StringIO())
    assert "已处理 0 张，无需处理 3 张" in out.getvalue()


def test_clean_images_reports_missing_files_and_goes_on():
    ArticleFactory(cover="news/covers/gone.jpg", cover_alt="没了")
    out, err = StringIO(), StringIO()
    call_command("clean_images", stdout=out, stderr=err)
    assert "失败 1 张" in out.getvalue()
    assert "news/covers/gone.jpg" in err.getvalue()


def test_make_renditions_counts_every_width_and_format():
    article = ArticleFactory(cover="", cover_alt="封面")
    article.cover.save("c.jpg", ContentFile(phone_photo((800, 600))))
    assert make_renditions(article.cover) == 2 * (3 + 3)  # card and carousel, WebP and JPEG


def test_a_held_file_is_already_clean(admin_client):
    article = ArticleFactory(status="draft", cover="")
    page = admin_client.get(change_url(article))
    upload = SimpleUploadedFile("我家门口.jpg", phone_photo())
    response = admin_client.post(change_url(article), page_form_data(page, title="", cover=upload))
    assert response.status_code == 200  # refused for the empty title: the cover is held
    [name] = held_uploads.held_names()
    with default_storage.open(name) as held:
        assert_clean_photo(held)


def test_imports_carry_no_pictures():
    picture_fields = {
        field.name
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, PictureField)
    }
    for resource in (SchoolResource, PartyOrganizationResource, AwardResource):
        attributes = {field.attribute for field in resource().fields.values()}
        assert not attributes & picture_fields, resource
