"""Reviewers and authors whose form is read-only see the body rendered, never as HTML source."""

import pytest
from django.urls import reverse

from news import workflow
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

pytestmark = pytest.mark.django_db

BODY = (
    '<p>第一段讲话。</p><figure class="image"><img src="/media/editor/a.jpg" alt="会场">'
    "<figcaption>会议现场</figcaption></figure><p>第二段要求。</p>"
)


@pytest.fixture
def people(db):
    SiteSettingsFactory(review_levels=1)
    return {
        "editor": RoleUserFactory(username="editor", roles=["编辑"]),
        "r1": RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1]),
    }


def change_page(client, user, article):
    client.force_login(user)
    response = client.get(reverse("admin:news_article_change", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_reviewer_sees_the_submitted_body_rendered(client, people, channel):
    article = ArticleFactory(channel=channel, body=BODY, status="draft")
    workflow.perform("submit", article, people["editor"])
    page = change_page(client, people["r1"], article)
    assert "正文（预览）" in page
    assert "<p>第一段讲话。</p>" in page
    assert '<img src="/media/editor/a.jpg" alt="会场">' in page
    assert "&lt;p&gt;" not in page


def test_pending_change_shows_inserted_and_removed_blocks(client, people, channel):
    article = ArticleFactory(channel=channel, body=BODY, first_published_at="2026-01-01T00:00:00Z")
    new_body = BODY.replace("<p>第二段要求。</p>", "<p>第二段新要求。</p><p>新增第三段。</p>")
    workflow.propose_change(article, people["editor"], {"body": new_body})
    page = change_page(client, people["r1"], article)
    assert '<ins class="body-diff"><p>第二段新要求。</p></ins>' in page
    assert '<ins class="body-diff"><p>新增第三段。</p></ins>' in page
    assert '<del class="body-diff"><p>第二段要求。</p></del>' in page
    assert "<p>第一段讲话。</p>" in page
    assert "&lt;p&gt;" not in page


def test_preview_is_sanitised(client, people, channel):
    article = ArticleFactory(channel=channel, body="<p>正文</p>", status="draft")
    article.__class__.objects.filter(pk=article.pk).update(
        body='<p>正文</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    )
    workflow.perform("submit", article, people["editor"])
    page = change_page(client, people["r1"], article)
    assert "alert(1)" not in page
    assert "onerror=" not in page
    # The reviewer is told what the stored body held (the publication gate's findings).
    assert "事件属性 onerror" in page
