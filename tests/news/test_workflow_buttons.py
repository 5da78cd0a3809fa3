"""The workflow buttons belong to the change form: they save what the form holds first (through
the same path as 保存, edit-conflict check included), or refuse with the form kept."""

import pytest
from django.urls import reverse
from reversion.models import Version

from news import workflow
from news.models import Article, ArticleStatus, PendingChange
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    SiteSettingsFactory(review_levels=2)
    return {
        "editor": RoleUserFactory(username="editor", roles=["编辑"]),
        "other": RoleUserFactory(username="other", roles=["编辑"]),
        "r1": RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1]),
    }


@pytest.fixture
def draft(people, channel):
    return ArticleFactory(
        channel=channel,
        title="草稿标题",
        summary="旧的摘要",
        body="<p>旧的正文。</p>",
        status=ArticleStatus.DRAFT,
        created_by=people["editor"],
    )


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def click(client, page, action, **changes):
    """Post the change form in ``page`` as a click on the workflow button ``action`` does."""
    data = page_form_data(page, **changes)
    data.pop("_save")
    data["_workflow"] = action
    return client.post(page.wsgi_request.path, data)


def messages_of(client, response):
    return [str(m) for m in client.get(response.url).context["messages"]]


@pytest.mark.parametrize("status", [ArticleStatus.DRAFT, ArticleStatus.REJECTED])
def test_submit_saves_the_typed_summary_and_body_first(client, people, draft, status):
    Article.objects.filter(pk=draft.pk).update(status=status)
    client.force_login(people["editor"])
    page = client.get(change_url(draft))
    response = click(client, page, "submit", summary="新的摘要", body="<p>新的正文。</p>")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.SUBMITTED
    assert (draft.summary, draft.body) == ("新的摘要", "<p>新的正文。</p>")
    assert any("送审" in m and "待审核" in m for m in messages_of(client, response))


def test_buttons_are_submit_buttons_of_the_change_form(client, people, draft):
    client.force_login(people["editor"])
    html = client.get(change_url(draft)).content.decode()
    form = html[
        html.index('id="article_form"') : html.index("</form>", html.index('id="article_form"'))
    ]
    assert 'name="_workflow" value="submit"' in form
    # Enter in a field still means 保存: the ordinary buttons come before the workflow ones.
    assert form.index('name="_save"') < form.index('name="_workflow"')


def test_invalid_form_refuses_the_step_and_keeps_what_was_typed(client, people, draft):
    client.force_login(people["editor"])
    page = client.get(change_url(draft))
    response = click(client, page, "submit", title="", summary="打了一半的摘要")
    assert response.status_code == 200
    html = response.content.decode()
    assert "打了一半的摘要" in html
    assert response.context["adminform"].form.errors["title"]
    draft.refresh_from_db()
    assert (draft.status, draft.title, draft.summary) == ("draft", "草稿标题", "旧的摘要")
    assert not draft.transitions.exists()


def test_edit_conflict_refuses_the_step(client, people, draft):
    client.force_login(people["editor"])
    page = client.get(change_url(draft))
    Article.objects.filter(pk=draft.pk).update(summary="同事改的摘要")
    response = click(client, page, "submit", summary="我的摘要")
    assert response.status_code == 200
    assert "保存失败" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == ("draft", "同事改的摘要")


def test_a_refused_step_keeps_the_saved_content_and_says_so(client, people, draft):
    client.force_login(people["editor"])
    page = client.get(change_url(draft))
    response = click(client, page, "approve", summary="保存下来的摘要")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == ("draft", "保存下来的摘要")
    assert any(m.startswith("已保存，但") and "审核" in m for m in messages_of(client, response))


def test_reject_without_a_comment_is_refused_with_the_form_kept(client, people, draft):
    workflow.perform("submit", draft, people["editor"])
    chief = RoleUserFactory(username="chief", roles=["审核员", "编辑"], review_levels=[1])
    client.force_login(chief)
    page = client.get(change_url(draft))
    response = click(client, page, "reject", summary="审核员改的摘要", _workflow_comment_reject=" ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "退回时必须填写退回意见" in html and "审核员改的摘要" in html
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == (ArticleStatus.SUBMITTED, "旧的摘要")


def test_a_read_only_reviewer_without_a_comment_is_told(client, people, draft):
    workflow.perform("submit", draft, people["editor"])
    client.force_login(people["r1"])
    page = client.get(change_url(draft))
    response = click(client, page, "reject", _workflow_comment_reject="")
    assert response.status_code == 302
    assert any("必须填写退回意见" in m for m in messages_of(client, response))
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.SUBMITTED


def test_a_read_only_reviewer_approves_and_rejects_without_saving(client, people, draft):
    workflow.perform("submit", draft, people["editor"])
    client.force_login(people["r1"])
    page = client.get(change_url(draft))
    assert "title" not in page.context["adminform"].form.fields  # nothing to edit
    response = click(client, page, "reject", _workflow_comment_reject="请补充照片说明")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.REJECTED
    assert draft.transitions.last().comment == "请补充照片说明"
    assert draft.title == "草稿标题"


def test_an_unknown_step_is_not_found(client, people, draft):
    client.force_login(people["editor"])
    page = client.get(change_url(draft))
    assert click(client, page, "nonsense").status_code == 404
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


def test_the_revision_names_the_save_and_the_step(client, people, draft):
    client.force_login(people["editor"])
    page = client.get(change_url(draft))
    click(client, page, "submit", summary="新的摘要")
    [latest, *_older] = Version.objects.get_for_object(draft)
    assert "摘要" in latest.revision.comment and latest.revision.comment.endswith("送审")
    assert latest.field_dict["summary"] == "新的摘要"


def test_withdrawing_a_published_article_keeps_the_edit_made_with_it(client, people, channel):
    manager = RoleUserFactory(username="manager", roles=["管理员"])
    published = ArticleFactory(
        channel=channel, title="已发布的标题", first_published_at="2026-01-01T00:00:00Z"
    )
    client.force_login(manager)
    page = client.get(change_url(published))
    response = click(
        client, page, "withdraw", title="更正后的标题", _workflow_comment_withdraw="标题有误"
    )
    assert response.status_code == 302
    published.refresh_from_db()
    # Not a final reviewer: the edit became a pending change, which withdrawing merges.
    assert (published.status, published.title) == (ArticleStatus.WITHDRAWN, "更正后的标题")
    assert not PendingChange.objects.filter(article=published).exists()


def test_a_read_only_reviewer_is_told_what_they_can_do_not_what_they_cannot(client, people, draft):
    workflow.perform("submit", draft, people["editor"])
    client.force_login(people["r1"])
    html = client.get(change_url(draft)).content.decode()
    assert (
        '<p class="workflow-panel__info">您可以审阅这篇稿件，并用下方的“审核通过”或“退回”'
        "作出决定；修改正文请退回给作者。</p>"
    ) in html
    assert "您没有修改文章的权限" not in html


def test_the_reviewer_note_is_only_for_a_decision_they_can_take(client, people, draft):
    client.force_login(people["r1"])
    html = client.get(change_url(draft)).content.decode()  # a draft: nothing to decide
    assert "workflow-panel__info" not in html
    client.force_login(people["editor"])
    workflow.perform("submit", draft, people["editor"])
    assert "workflow-panel__info" not in client.get(change_url(draft)).content.decode()
