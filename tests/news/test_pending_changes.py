"""A change to a published article goes back through review; the public keeps the published text."""

import pytest
from django.urls import reverse

from news import workflow
from news.models import ArticleStatus, PendingChange
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory
from tests.page_forms import page_form_data as form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    SiteSettingsFactory(review_levels=3)
    return {
        "editor": RoleUserFactory(username="editor", roles=["编辑"]),
        "r1": RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1]),
        "r2": RoleUserFactory(username="r2", roles=["审核员"], review_levels=[2]),
        "r3": RoleUserFactory(username="r3", roles=["审核员"], review_levels=[3]),
        # A final-level reviewer who also edits.
        "chief": RoleUserFactory(username="chief", roles=["审核员", "编辑"], review_levels=[3]),
    }


@pytest.fixture
def published(channel):
    return ArticleFactory(
        channel=channel,
        title="已发布的标题",
        body="<p>已发布的正文。</p>",
        tags=["基层党建"],
        first_published_at="2026-01-01T00:00:00Z",
    )


def edit(client, user, article, **changes):
    client.force_login(user)
    url = reverse("admin:news_article_change", args=[article.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_data(page, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_editor_change_waits_for_review_and_the_public_keeps_the_old_text(
    client, people, published
):
    edit(client, people["editor"], published, title="修改后的标题", tags="基层党建, 新标签")
    published.refresh_from_db()
    assert published.title == "已发布的标题"
    assert sorted(published.tags.names()) == ["基层党建"]
    change = PendingChange.objects.get(article=published)
    assert change.content["title"] == "修改后的标题"
    assert (change.status, change.review_level, change.created_by) == (
        ArticleStatus.SUBMITTED,
        1,
        people["editor"],
    )
    client.logout()
    html = client.get(published.get_absolute_url()).content.decode()
    assert "已发布的标题" in html and "修改后的标题" not in html

    # The form shows the pending text, with a notice; the preview shows it with a banner.
    client.force_login(people["editor"])
    form_html = client.get(
        reverse("admin:news_article_change", args=[published.pk])
    ).content.decode()
    assert 'value="修改后的标题"' in form_html and "待审的修改稿" in form_html
    response = client.get(published.get_absolute_url())
    preview = response.content.decode()
    assert "预览：待审核的修改稿" in preview and "修改后的标题" in preview
    assert "no-store" in response["Cache-Control"]


def test_final_approval_replaces_the_published_content(client, people, published):
    edit(client, people["editor"], published, title="修改后的标题", tags="基层党建, 新标签")
    assert "approve" not in workflow.allowed_actions(published, people["editor"])
    for reviewer in ("r1", "r2"):
        workflow.perform("approve", published, people[reviewer])
        published.refresh_from_db()
        assert published.title == "已发布的标题"
    assert published in workflow.awaiting_review(people["r3"])
    workflow.perform("approve", published, people["r3"])
    published.refresh_from_db()
    assert published.title == "修改后的标题"
    assert sorted(published.tags.names()) == ["基层党建", "新标签"]
    assert published.status == ArticleStatus.PUBLISHED
    assert not PendingChange.objects.filter(article=published).exists()
    client.logout()
    assert "修改后的标题" in client.get(published.get_absolute_url()).content.decode()
    actions = list(published.transitions.values_list("action", "on_change"))
    assert actions == [("revise", True), ("approve", True), ("approve", True), ("approve", True)]


def test_the_author_of_a_change_may_not_approve_it(client, people, published):
    author_reviewer = RoleUserFactory(roles=["编辑", "审核员"], review_levels=[1])
    edit(client, author_reviewer, published, title="再改一次")
    with pytest.raises(workflow.TransitionError, match="不能审核自己"):
        workflow.perform("approve", published, author_reviewer)


def test_rejected_change_goes_back_and_a_new_save_restarts_review(client, people, published):
    edit(client, people["editor"], published, title="第一次修改")
    workflow.perform("approve", published, people["r1"])
    workflow.perform("reject", published, people["r2"], comment="标题不准确")
    change = PendingChange.objects.get(article=published)
    assert change.status == ArticleStatus.REJECTED
    published.refresh_from_db()
    assert published.title == "已发布的标题"
    edit(client, people["editor"], published, title="第二次修改")
    change.refresh_from_db()
    assert (change.status, change.review_level, change.content["title"]) == (
        ArticleStatus.SUBMITTED,
        1,
        "第二次修改",
    )
    # A new round: r1 may approve level 1 again.
    workflow.perform("approve", published, people["r1"])


def test_saving_placement_only_does_not_restart_review(client, people, published):
    edit(client, people["editor"], published, title="修改后的标题")
    workflow.perform("approve", published, people["r1"])
    edit(client, people["editor"], published, is_pinned="on", pin_order="5")
    change = PendingChange.objects.get(article=published)
    assert change.review_level == 2  # unchanged content: review goes on
    published.refresh_from_db()
    assert published.pin_order == 5 and published.title == "已发布的标题"


def test_final_level_reviewer_changes_apply_at_once(client, people, published):
    edit(client, people["chief"], published, title="终审人员直接修改")
    published.refresh_from_db()
    assert published.title == "终审人员直接修改"
    assert not PendingChange.objects.filter(article=published).exists()
    assert published.transitions.get().action == "revise"


def test_withdrawing_keeps_the_pending_change(client, people, published):
    manager = RoleUserFactory(roles=["管理员"])
    edit(client, people["editor"], published, title="待审的修改")
    workflow.perform("withdraw", published, manager, comment="暂时撤下")
    published.refresh_from_db()
    assert published.status == ArticleStatus.WITHDRAWN
    assert published.title == "待审的修改"
    assert not PendingChange.objects.filter(article=published).exists()
