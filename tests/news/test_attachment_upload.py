"""Attachments uploaded through the admin by a school correspondent: what is kept, what is
refused and what the editor is told."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.models import Article, ArticleAttachment
from tests import samples
from tests.factories import (
    ArticleAttachmentFactory,
    ArticleFactory,
    RoleUserFactory,
    SchoolFactory,
)
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    return SchoolFactory(name="滨江小学")


@pytest.fixture
def correspondent(client, school):
    user = RoleUserFactory(username="tongxunyuan", roles=["学校通讯员"], schools=[school])
    client.force_login(user)
    return user


def _add_with_attachment(client, channel, school, name, data, title=""):
    url = reverse("admin:news_article_add")
    data = page_form_data(
        client.get(url),
        title="带附件的稿件",
        body="<p>正文</p>",
        channel=str(channel.pk),
        schools=[str(school.pk)],
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": title,
            "attachments-0-order": "0",
            "attachments-0-file": SimpleUploadedFile(name, data),
        },
    )
    return client.post(url, data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("通知.html", samples.HTML, "附件只能是"),
        ("图标.svg", samples.SVG, "附件只能是"),
        ("通知.pdf", samples.HTML, "文件内容与扩展名 .pdf 不符"),
        ("通知.doc", samples.EXE, "文件内容与扩展名 .doc 不符"),
    ],
)
def test_unsafe_or_disguised_files_are_refused_in_the_form(
    client, correspondent, channel, school, name, data, message
):
    response = _add_with_attachment(client, channel, school, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.filter(title="带附件的稿件").exists()
    assert not ArticleAttachment.objects.exists()


def test_oversized_file_is_refused(client, correspondent, channel, school, settings):
    settings.ATTACHMENT_MAX_MB = 1
    response = _add_with_attachment(
        client, channel, school, "汇编.pdf", samples.PDF + bytes(1024 * 1024)
    )
    assert response.status_code == 200
    assert "附件不能超过 1 MB，请压缩或拆分后再上传。" in response.content.decode()
    assert not ArticleAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [("2026年党建工作要点.pdf", samples.PDF), ("活动方案（修订稿）.docx", samples.docx())],
)
def test_real_documents_are_kept_under_a_random_name_with_the_original_one(
    client, correspondent, channel, school, name, data
):
    response = _add_with_attachment(client, channel, school, name, data)
    assert response.status_code == 302, response.content.decode()
    attachment = ArticleAttachment.objects.get()
    extension = name.rsplit(".", 1)[1]
    assert re.fullmatch(
        rf"news/attachments/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}", attachment.file.name
    )
    assert attachment.original_name == name
    assert attachment.title == name  # a blank title becomes the original name
    with attachment.file.open("rb") as stored:
        assert stored.read() == data


def test_a_given_title_is_kept(client, correspondent, channel, school):
    _add_with_attachment(client, channel, school, "scan001.pdf", samples.PDF, title="会议通知")
    attachment = ArticleAttachment.objects.get()
    assert (attachment.title, attachment.original_name) == ("会议通知", "scan001.pdf")


def test_the_form_tells_editors_what_they_may_attach(client, correspondent):
    html = client.get(reverse("admin:news_article_add")).content.decode()
    assert "可上传的文件：PDF" in html and "不超过 50 MB" in html


def test_saving_an_article_does_not_recheck_files_already_stored(client, channel, school):
    """An attachment kept before the allow-list (or whose file has gone) does not block edits."""
    article = ArticleFactory(channel=channel, draft=True, title="旧稿件")
    article.schools.set([school])
    legacy = ArticleAttachmentFactory(
        article=article, file=ContentFile(samples.HTML, name="旧页面.html")
    )
    missing = ArticleAttachmentFactory(article=article)
    missing.file.storage.delete(missing.file.name)
    client.force_login(RoleUserFactory(roles=["编辑"]))
    url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(url, page_form_data(client.get(url), title="改过的旧稿件"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "改过的旧稿件"
    assert set(article.attachments.all()) == {legacy, missing}
