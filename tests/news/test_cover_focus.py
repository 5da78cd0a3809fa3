"""The cover's focal point: the 16:9 crops of lists and the carousel are cut around it."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from news import workflow
from news.models import PendingChange
from portal import images
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory, SuperuserFactory
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 0, 0), (0, 0, 220)


def portrait(size=(900, 1600)):
    """A portrait photo: a red band across the top fifth (the faces), blue below."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0], size[1] // 5))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def crop_colour(cover, purpose="card"):
    """The colour in the middle of ``cover``'s JPEG rendition of ``purpose``."""
    name = images._rendition_names(cover, purpose, "jpg")[1]
    with default_storage.open(name) as file, Image.open(file) as crop:
        return crop.convert("RGB").getpixel((crop.width // 2, crop.height // 2))


def is_near(colour, target):
    return all(abs(a - b) < 40 for a, b in zip(colour, target, strict=True))


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def test_crops_are_cut_around_the_focal_point():
    centred = ArticleFactory(cover="")
    centred.cover.save("p.jpg", ContentFile(portrait()))
    focused = ArticleFactory(cover="", cover_focus_y=10)
    focused.cover.save("p.jpg", ContentFile(portrait()))

    assert is_near(crop_colour(centred.cover), BLUE)  # the middle of a portrait: no faces
    for purpose in ("card", "carousel"):
        assert is_near(crop_colour(focused.cover, purpose), RED)


def test_moving_the_point_makes_new_crops_and_the_pages_show_them(client):
    article = ArticleFactory(cover="", is_carousel=True, cover_alt="学生在纪念馆前合影")
    article.cover.save("p.jpg", ContentFile(portrait()))
    centred = images.renditions(article.cover, "carousel", "jpg")[1].url
    assert centred in client.get("/").content.decode()

    article.cover_focus_y = 10
    article.save()

    article.refresh_from_db()
    moved = images.renditions(article.cover, "carousel", "jpg")[1].url
    assert moved != centred
    assert is_near(crop_colour(article.cover, "carousel"), RED)
    html = client.get("/").content.decode()
    assert moved in html and centred not in html


def test_a_missing_cover_file_does_not_stop_a_save():
    article = ArticleFactory(cover="news/covers/2020/01/gone.jpg")
    article.cover_focus_x = 20
    article.save()  # logged for clean_images to report; the article is saved
    article.refresh_from_db()
    assert article.cover_focus_x == 20


def test_the_form_sets_the_point_and_refuses_one_off_the_picture(client):
    client.force_login(SuperuserFactory(username="root"))
    article = ArticleFactory(status="draft", cover="")
    page = client.get(change_url(article))
    html = page.content.decode()
    assert 'name="cover_focus_x"' in html and 'name="cover_focus_y"' in html
    assert "js/admin-cover-focus" in html

    upload = SimpleUploadedFile("合影.jpg", portrait(), content_type="image/jpeg")
    data = page_form_data(page, cover=upload, cover_alt="学生合影", cover_focus_y="10")
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert (article.cover_focus_x, article.cover_focus_y) == (50, 10)
    assert is_near(crop_colour(article.cover), RED)  # the upload's crops use the new point

    page = client.get(change_url(article))
    response = client.post(change_url(article), page_form_data(page, cover_focus_y="120"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cover_focus_y" in errors and "100" in errors["cover_focus_y"][0]
    assert 'value="120"' in response.content.decode()  # what was typed stays


def test_a_form_without_the_point_keeps_it(client):
    client.force_login(SuperuserFactory(username="root"))
    article = ArticleFactory(status="draft", cover_focus_x=30, cover_focus_y=70)
    page = client.get(change_url(article))
    data = page_form_data(page, title="改过的标题")
    del data["cover_focus_x"], data["cover_focus_y"]
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert (article.title, article.cover_focus_x, article.cover_focus_y) == ("改过的标题", 30, 70)


def test_a_new_point_on_a_published_article_waits_for_review(client, channel):
    SiteSettingsFactory(review_levels=1)
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    reviewer = RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1])
    article = ArticleFactory(
        channel=channel, cover="", cover_alt="学生合影", first_published_at="2026-01-01T00:00:00Z"
    )
    article.cover.save("p.jpg", ContentFile(portrait()))
    client.force_login(editor)
    page = client.get(change_url(article))
    response = client.post(change_url(article), page_form_data(page, cover_focus_y="10"))
    assert response.status_code == 302, response.context["adminform"].form.errors

    article.refresh_from_db()
    assert article.cover_focus_y == 50  # the public keeps the published crop
    assert PendingChange.objects.get(article=article).content["cover_focus_y"] == 10

    workflow.perform("approve", article, reviewer)
    article.refresh_from_db()
    assert article.cover_focus_y == 10
    assert is_near(crop_colour(article.cover), RED)
