"""manage.py scan_content: every public object and its page, exit status 1 on a block."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from news.models import Article
from tests.factories import ArticleFactory, BrandFactory, SchoolFactory

pytestmark = pytest.mark.django_db

SPAM_BODY = '<p>正文</p><div style="display:none"><a href="http://spam.example/">博彩</a></div>'


def scan(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("scan_content", "--no-progress", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def stored_as_is(article, body):
    """``body`` in the database past the sanitiser, as content from before it or from a
    compromised database would be."""
    Article.objects.filter(pk=article.pk).update(body=body)


def test_clean_site_exits_0():
    ArticleFactory(title="干净的文章")
    BrandFactory(school=SchoolFactory())
    status, output = scan()
    assert status == 0
    assert "禁止发布 0 条" in output
    assert "共检查 3 个公开对象、3 个页面" in output


def test_hidden_link_in_a_published_article_exits_1_and_is_named():
    article = ArticleFactory(title="被篡改的文章")
    stored_as_is(article, SPAM_BODY)
    status, output = scan()
    assert status == 1
    assert "被篡改的文章" in output
    assert article.get_absolute_url() in output
    assert f"/admin/news/article/{article.pk}/change/" in output
    assert "[禁止发布] 正文：隐藏链接（暗链）" in output
    assert "http://spam.example/" in output


def test_hidden_link_found_on_the_rendered_page_too():
    article = ArticleFactory(title="页面上的暗链")
    pixel = '<img src="/static/x.gif" width="1" alt="">'
    stored_as_is(article, f'<p>正文<a href="http://spam.example/">{pixel}</a></p>')
    status, output = scan("--json")
    assert status == 1
    findings = json.loads(output)["objects"][0]["findings"]
    assert {(f["field"], f["kind"]) for f in findings if f["level"] == "block"} == {
        ("正文", "hidden_link"),
        ("页面", "hidden_link"),
    }


def test_no_pages_skips_rendering():
    article = ArticleFactory()
    stored_as_is(article, '<p><a href="/no-such-page/">失效</a></p>')
    status, output = scan("--no-pages")
    assert status == 0
    assert "失效的站内链接" not in output
    assert "0 个页面" in output


def test_dead_internal_links_and_images_without_alt_reported():
    draft = ArticleFactory(draft=True)
    school = SchoolFactory()
    article = ArticleFactory(
        title="有失效链接的文章",
        body=(
            f'<p><a href="/no-such-page/">失效</a><a href="{draft.get_absolute_url()}">草稿</a>'
            f'<a href="{school.get_absolute_url()}">学校</a>'
            '<a href="https://testserver.invalid/x/">站外</a></p>'
            '<p><img src="/media/missing.jpg"></p>'
        ),
    )
    status, output = scan("--json")
    assert status == 0
    data = json.loads(output)
    (flagged,) = [obj for obj in data["objects"] if obj["title"] == "有失效链接的文章"]
    assert flagged["url"] == article.get_absolute_url()
    dead = {f["matched"] for f in flagged["findings"] if f["kind"] == "dead_link"}
    assert dead == {"/no-such-page/", draft.get_absolute_url(), "/media/missing.jpg"}
    alt = [f for f in flagged["findings"] if f["kind"] == "image_alt"]
    assert [f["matched"] for f in alt] == ["/media/missing.jpg"]
    assert data["summary"]["block"] == 0


def test_existing_upload_is_no_dead_link(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("editor/ok.jpg", ContentFile(b"x"))
    ArticleFactory(title="有图片", body=f'<p><img src="/media/{name}" alt="说明"></p>')
    status, output = scan("--json")
    assert status == 0
    assert json.loads(output)["objects"] == []


def test_drafts_and_scheduled_articles_not_scanned():
    draft = ArticleFactory(title="草稿文章", draft=True)
    scheduled = ArticleFactory(title="定时文章", scheduled=True)
    for article in (draft, scheduled):
        stored_as_is(article, SPAM_BODY)
    status, output = scan()
    assert status == 0
    assert "草稿文章" not in output
    assert "定时文章" not in output


def test_json_has_summary_and_findings():
    article = ArticleFactory(title="JSON 文章")
    stored_as_is(article, SPAM_BODY)
    status, output = scan("--json")
    assert status == 1
    data = json.loads(output)
    assert data["summary"]["objects"] == 1
    assert data["summary"]["block"] >= 1
    (obj,) = data["objects"]
    assert obj["kind"] == "文章"
    assert obj["title"] == "JSON 文章"
    finding = next(f for f in obj["findings"] if f["kind"] == "hidden_link")
    assert finding["level_label"] == "禁止发布"
    assert finding["matched"] == "http://spam.example/"
