"""Readers download an attachment under the name it was uploaded with, from the article page."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from news.models import ArticleAttachment
from tests import samples
from tests.factories import ArticleAttachmentFactory, ArticleFactory, RoleUserFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _download(client, attachment):
    return client.get(reverse("news:attachment", args=[attachment.pk]))


def test_the_article_page_links_to_the_download(client, article):
    attachment = ArticleAttachmentFactory(article=article, title="活动方案")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/news/attachments/{attachment.pk}/"' in html
    assert ">活动方案</a>" in html


def test_download_carries_the_original_chinese_name(client, article):
    attachment = ArticleAttachmentFactory(
        article=article,
        title="工作要点",
        file=ContentFile(samples.PDF, name="2026年党建工作要点.pdf"),
    )
    assert attachment.original_name == "2026年党建工作要点.pdf"
    response = _download(client, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.lower() == (
        "attachment; filename*=utf-8''" + quote("2026年党建工作要点.pdf").lower()
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_picture_attachment_is_a_download_too(client, article):
    attachment = ArticleAttachmentFactory(
        article=article, file=ContentFile(samples.picture("PNG"), name="合影.png")
    )
    response = _download(client, attachment)
    assert response["Content-Disposition"].startswith("attachment; filename*=")


def test_attachments_kept_before_original_names_use_the_title(client, article):
    attachment = ArticleAttachmentFactory(article=article, title="会议通知")
    ArticleAttachment.objects.filter(pk=attachment.pk).update(original_name="")
    disposition = _download(client, attachment)["Content-Disposition"]
    assert disposition.lower().endswith(quote("会议通知.pdf").lower())
    ArticleAttachment.objects.filter(pk=attachment.pk).update(title="会议通知.PDF")
    disposition = _download(client, attachment)["Content-Disposition"]
    assert disposition.lower().endswith(quote("会议通知.PDF").lower())


def test_draft_attachments_only_for_staff_who_may_see_the_draft(client, channel):
    mine, theirs = SchoolFactory(name="本校"), SchoolFactory(name="他校")
    draft = ArticleFactory(channel=channel, draft=True)
    draft.schools.set([theirs])
    attachment = ArticleAttachmentFactory(article=draft)
    assert _download(client, attachment).status_code == 404
    client.force_login(RoleUserFactory(roles=["学校通讯员"], schools=[mine]))
    assert _download(client, attachment).status_code == 404
    client.force_login(RoleUserFactory(roles=["编辑"]))
    assert _download(client, attachment).status_code == 200


def test_missing_attachment_or_file_is_not_found(client, article):
    assert client.get("/news/attachments/999999/").status_code == 404
    attachment = ArticleAttachmentFactory(article=article)
    attachment.file.storage.delete(attachment.file.name)
    assert _download(client, attachment).status_code == 404


def test_download_is_get_or_head_only(client, article):
    attachment = ArticleAttachmentFactory(article=article)
    url = reverse("news:attachment", args=[attachment.pk])
    assert client.head(url).status_code == 200
    assert Client(enforce_csrf_checks=True).post(url).status_code == 405
