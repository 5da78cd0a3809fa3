"""Every path to the public goes through the publication gate (news.workflow.go_public).

The checks here are two stand-ins registered for the test: “违禁示例” blocks, “待核实示例” needs a
reviewer's confirmation. The real checks (portal.gate) have tests of their own.
"""

import ast
from pathlib import Path

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from brands.models import School
from news import workflow
from news.models import (
    CONTENT_FIELDS,
    PLACEMENT_FIELDS,
    Article,
    ArticleStatus,
    ArticleTransition,
    PendingChange,
    ReviewerAssignment,
    TransitionAction,
)
from portal import gate
from portal.gate import Finding, Level
from portal.models import AuditLogEntry
from tests.factories import ArticleFactory, RoleUserFactory, SchoolFactory, SiteSettingsFactory
from tests.page_forms import page_form_data as form_data

pytestmark = pytest.mark.django_db

BLOCKED = "违禁示例"
TO_CONFIRM = "待核实示例"


def _marker_check(content):
    findings = []
    texts = {**content.texts, **content.html}
    for field, text in texts.items():
        for marker, level in ((BLOCKED, Level.BLOCK), (TO_CONFIRM, Level.CONFIRM)):
            if marker in (text or ""):
                findings.append(Finding(level, "test", field, marker, marker, f"发现“{marker}”"))
    return findings


@pytest.fixture(autouse=True)
def marker_check(monkeypatch):
    monkeypatch.setattr(gate, "CHECKS", [_marker_check])


@pytest.fixture
def people(db):
    SiteSettingsFactory(review_levels=2)
    return {
        "editor": RoleUserFactory(username="editor", roles=["编辑"]),
        "r1": RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1]),
        "r2": RoleUserFactory(username="r2", roles=["审核员"], review_levels=[2]),
        "chief": RoleUserFactory(username="chief", roles=["审核员", "编辑"], review_levels=[2]),
        "manager": RoleUserFactory(username="manager", roles=["管理员"], is_superuser=True),
    }


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def post_form(client, user, url, **changes):
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page, **changes))


def form_errors(response):
    assert response.status_code == 200, "the form was expected back with an error"
    return " ".join(response.context["adminform"].form.non_field_errors())


# --- The steps ---------------------------------------------------------------------------------


def test_submit_is_refused_by_a_blocking_finding(people, channel):
    draft = ArticleFactory(draft=True, channel=channel, body=f"<p>{BLOCKED}</p>")
    draft.created_by = people["editor"]
    draft.save()
    with pytest.raises(workflow.TransitionError, match=BLOCKED) as refused:
        workflow.perform("submit", draft, people["editor"])
    assert refused.value.findings[0].matched == BLOCKED
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


def test_a_finding_to_confirm_does_not_stop_submit_but_every_approval_until_confirmed(
    people, channel
):
    draft = ArticleFactory(draft=True, channel=channel, title=f"标题{TO_CONFIRM}")
    workflow.perform("submit", draft, people["editor"])
    with pytest.raises(workflow.TransitionError, match="确认理由"):
        workflow.perform("approve", draft, people["r1"])
    workflow.perform("approve", draft, people["r1"], reason="学校已核实，可以公开")
    confirmation = ArticleTransition.objects.get(article=draft, action=TransitionAction.CONFIRM)
    assert confirmation.comment == "学校已核实，可以公开"
    assert confirmation.actor == people["r1"]
    assert [item["matched"] for item in confirmation.findings] == [TO_CONFIRM]
    assert AuditLogEntry.objects.filter(comment__contains="学校已核实").exists()
    # Confirmed in this round: the next level and 发布 pass without asking again.
    workflow.perform("approve", draft, people["r2"])
    workflow.perform("publish", draft, people["r2"])
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED


def test_the_publish_step_runs_the_gate(people, channel):
    approved = ArticleFactory(status=ArticleStatus.APPROVED, channel=channel, summary=BLOCKED)
    with pytest.raises(workflow.TransitionError, match=BLOCKED):
        workflow.perform("publish", approved, people["r2"])
    approved.refresh_from_db()
    assert approved.status == ArticleStatus.APPROVED
    assert not ArticleTransition.objects.filter(action=TransitionAction.PUBLISH).exists()


def test_the_final_approval_of_a_pending_change_runs_the_gate(people, channel):
    published = ArticleFactory(channel=channel, title="已发布的标题")
    content = workflow.content_values_of(published) | {"title": f"新标题{BLOCKED}"}
    PendingChange.objects.create(
        article=published,
        content=content,
        status=ArticleStatus.IN_REVIEW,
        review_level=2,
        review_levels=2,
        created_by=people["editor"],
    )
    with pytest.raises(workflow.TransitionError, match=BLOCKED):
        workflow.perform("approve", published, people["r2"])
    published.refresh_from_db()
    assert published.title == "已发布的标题"
    assert PendingChange.objects.filter(article=published).exists()


def test_bulk_approve_checks_the_gate_for_each_article(people, channel):
    clean = ArticleFactory(draft=True, channel=channel, title="干净的稿件")
    blocked = ArticleFactory(draft=True, channel=channel, title="另一篇")
    for article in (clean, blocked):
        workflow.perform("submit", article, people["editor"])
    Article.objects.filter(pk=blocked.pk).update(body=f"<p>{BLOCKED}</p>")
    approved, refused = workflow.approve_each(
        Article.objects.filter(pk__in=[clean.pk, blocked.pk]).order_by("pk"), people["r1"]
    )
    assert approved == [clean]
    assert [(article, BLOCKED in reason) for article, reason in refused] == [(blocked, True)]


# --- The admin's paths ---------------------------------------------------------------------------


def test_a_final_reviewers_direct_edit_runs_the_gate_and_keeps_the_form(client, people, channel):
    published = ArticleFactory(channel=channel, title="已发布的标题")
    response = post_form(
        client, people["chief"], change_url(published), title=f"改后的标题{BLOCKED}"
    )
    assert BLOCKED in form_errors(response)
    assert f'value="改后的标题{BLOCKED}"' in response.text  # nothing typed is lost
    published.refresh_from_db()
    assert published.title == "已发布的标题"


def test_a_final_reviewer_confirms_in_the_form_and_the_edit_goes_public(client, people, channel):
    published = ArticleFactory(channel=channel, title="已发布的标题")
    url = change_url(published)
    response = post_form(client, people["chief"], url, title=f"改后{TO_CONFIRM}")
    assert "确认理由" in form_errors(response)
    response = post_form(
        client, people["chief"], url, title=f"改后{TO_CONFIRM}", gate_reason="电话为学校公开电话"
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == f"改后{TO_CONFIRM}"
    steps = list(published.transitions.values_list("action", "comment"))
    assert (TransitionAction.CONFIRM, "电话为学校公开电话") in steps
    timeline = client.get(url).content.decode()
    timeline = timeline[timeline.index("流转记录") :]
    assert "确认内容检查" in timeline and f"标题：发现“{TO_CONFIRM}”" in timeline
    assert any(action == TransitionAction.REVISE for action, _comment in steps)


def test_a_change_sent_to_review_is_refused_when_it_blocks(client, people, channel):
    published = ArticleFactory(channel=channel, title="已发布的标题")
    response = post_form(client, people["editor"], change_url(published), summary=BLOCKED)
    assert BLOCKED in form_errors(response)
    assert not PendingChange.objects.filter(article=published).exists()


def test_the_panel_lists_the_findings_with_field_and_text(client, people, channel):
    draft = ArticleFactory(draft=True, channel=channel, title=f"标题{TO_CONFIRM}")
    workflow.perform("submit", draft, people["editor"])
    client.force_login(people["r1"])
    page = client.get(change_url(draft))
    assert "内容检查（1 项）" in page.text
    assert f"标题：发现“{TO_CONFIRM}”" in page.text
    assert 'name="gate_reason"' in page.text


def _history_with_blocked_version(editor, channel):
    article = ArticleFactory(channel=channel, title=f"旧标题{BLOCKED}")
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.add_to_revision(article)
    Article.objects.filter(pk=article.pk).update(title="现在的标题")
    article.refresh_from_db()
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.add_to_revision(article)
    old = Version.objects.get_for_object(article).order_by("pk").first()
    return article, reverse("admin:news_article_revision", args=[article.pk, old.pk])


def test_restoring_an_old_version_of_a_published_article_runs_the_gate(client, people, channel):
    article, url = _history_with_blocked_version(people["manager"], channel)
    response = post_form(client, people["chief"], url)
    assert BLOCKED in form_errors(response)
    article.refresh_from_db()
    assert article.title == "现在的标题"


def test_a_restore_by_a_non_final_editor_goes_to_review_not_to_the_public(client, people, channel):
    article = ArticleFactory(channel=channel, title="旧标题")
    with reversion.create_revision():
        reversion.add_to_revision(article)
    Article.objects.filter(pk=article.pk).update(title="现在的标题")
    old = Version.objects.get_for_object(article).first()
    url = reverse("admin:news_article_revision", args=[article.pk, old.pk])
    response = post_form(client, people["editor"], url)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status) == ("现在的标题", ArticleStatus.PUBLISHED)
    change = PendingChange.objects.get(article=article)
    assert change.content["title"] == "旧标题"


def test_recovering_a_deleted_published_article_runs_the_gate(client, people, channel):
    article = ArticleFactory(channel=channel, title=f"被删的文章{BLOCKED}")
    pk = article.pk
    client.force_login(people["manager"])
    delete_url = reverse("admin:news_article_delete", args=[pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    [deleted] = Version.objects.get_deleted(Article)
    response = post_form(
        client, people["manager"], reverse("admin:news_article_recover", args=[deleted.pk])
    )
    assert BLOCKED in form_errors(response)
    assert not Article.objects.filter(pk=pk).exists()


def test_a_recovered_clean_article_is_on_record(client, people, channel):
    article = ArticleFactory(channel=channel, title="被删的文章")
    pk = article.pk
    client.force_login(people["manager"])
    client.post(reverse("admin:news_article_delete", args=[pk]), {"post": "yes"})
    [deleted] = Version.objects.get_deleted(Article)
    response = post_form(
        client, people["manager"], reverse("admin:news_article_recover", args=[deleted.pk])
    )
    assert response.status_code == 302
    assert ArticleTransition.objects.filter(article_id=pk, action=TransitionAction.RECOVER)


def test_a_school_saved_in_the_admin_runs_the_gate(client, people):
    # Holding the last (only) profile review level, the manager's changes apply at once.
    ReviewerAssignment.objects.create(user=people["manager"], level=1)
    school = SchoolFactory(introduction="原来的简介")
    url = reverse("admin:brands_school_change", args=[school.pk])
    response = post_form(client, people["manager"], url, introduction=f"简介{BLOCKED}")
    assert BLOCKED in form_errors(response)
    school.refresh_from_db()
    assert school.introduction == "原来的简介"
    response = post_form(client, people["manager"], url, introduction=f"简介{TO_CONFIRM}")
    assert "确认理由" in form_errors(response)
    response = post_form(
        client,
        people["manager"],
        url,
        introduction=f"简介{TO_CONFIRM}",
        gate_reason="已与学校核实",
    )
    assert response.status_code == 302
    assert School.objects.get(pk=school.pk).introduction == f"简介{TO_CONFIRM}"
    assert AuditLogEntry.objects.filter(comment__contains="已与学校核实").exists()


def test_a_school_import_runs_the_gate_for_each_row(people):
    from tablib import Dataset

    from brands.resources import SchoolResource

    school = SchoolFactory(introduction="原来的简介")
    resource = SchoolResource()
    dataset = resource.export(School.objects.filter(pk=school.pk))
    rows = Dataset(headers=dataset.headers)
    row = list(dataset[0])
    row[dataset.headers.index("学校简介")] = f"导入的简介{BLOCKED}"
    rows.append(row)
    result = resource.import_data(rows, user=people["manager"])
    assert result.has_validation_errors()
    messages = str([error.error for error in result.invalid_rows])
    assert BLOCKED in messages
    school.refresh_from_db()
    assert school.introduction == "原来的简介"


# --- The design ------------------------------------------------------------------------------


def test_every_editable_article_field_is_content_or_placement_exactly_once():
    from news.forms import ArticleAdminForm

    editable = {
        field.name
        for field in Article._meta.get_fields()
        if field.name == "tags"
        or (getattr(field, "editable", False) and field.concrete and not field.primary_key)
    }
    # The state is the workflow's: no form edits it.
    editable.discard("status")
    assert not set(CONTENT_FIELDS) & set(PLACEMENT_FIELDS)
    assert set(CONTENT_FIELDS) | set(PLACEMENT_FIELDS) == editable
    assert set(ArticleAdminForm._meta.fields) == editable


def test_the_review_queue_and_the_approve_check_agree(people, channel):
    articles = [ArticleFactory(draft=True, channel=channel) for _ in range(3)]
    for article in articles:
        workflow.perform("submit", article, people["editor"])
    workflow.perform("approve", articles[0], people["r1"])  # now at level 2
    own = ArticleFactory(draft=True, channel=channel)
    own.created_by = people["chief"]
    own.save()
    workflow.perform("submit", own, people["chief"])
    workflow.perform("approve", own, people["r1"])
    for user in (people["r1"], people["r2"], people["chief"]):
        queue = set(workflow.awaiting_review(user))
        allowed = {
            article
            for article in Article.objects.all()
            if workflow.refusal(TransitionAction.APPROVE, article, user) is None
        }
        assert queue == allowed, user
    assert own not in set(workflow.awaiting_review(people["chief"]))
    assert articles[0] in set(workflow.awaiting_review(people["r2"]))


def test_the_models_do_not_import_the_workflow():
    tree = ast.parse(Path("news/models.py").read_text())
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any("workflow" in name for name in imported)


def test_the_editor_is_told_by_name_what_the_sanitiser_removed(
    client, people, channel, monkeypatch
):
    from portal.gate import links

    monkeypatch.setattr(gate, "CHECKS", [links.check])
    draft = ArticleFactory(draft=True, channel=channel)
    body = '<p onclick="steal()">活动</p><script>alert(1)</script><legend id="x1">广告</legend>'
    response = post_form(client, people["editor"], change_url(draft), body=body)
    assert response.status_code == 302
    told = " ".join(str(message) for message in response.wsgi_request._messages)
    assert "保存时已从正文中删除" in told
    for name in ("<script>", "onclick", "<legend>"):
        assert name in told, name
    draft.refresh_from_db()
    assert "script" not in draft.body and "onclick" not in draft.body


def test_a_brand_gallery_caption_is_checked_with_the_brand_form(client, people):
    from brands.models import BrandImage
    from tests.factories import BrandFactory, BrandImageFactory

    brand = BrandFactory()
    image = BrandImageFactory(brand=brand, caption="原来的说明")
    url = reverse("admin:brands_brand_change", args=[brand.pk])
    client.force_login(people["manager"])
    page = client.get(url)
    data = form_data(page)
    caption_field = next(name for name in data if name.endswith("-caption") and data[name])
    response = client.post(url, form_data(page, **{caption_field: f"说明{BLOCKED}"}))
    assert response.status_code == 200
    assert BLOCKED in response.content.decode()
    assert BrandImage.objects.get(pk=image.pk).caption == "原来的说明"


def test_an_attachment_name_saved_with_a_published_article_is_checked(client, people, channel):
    from news.models import ArticleAttachment
    from tests.factories import ArticleAttachmentFactory

    published = ArticleFactory(channel=channel)
    attachment = ArticleAttachmentFactory(article=published, title="名单.pdf")
    client.force_login(people["chief"])
    page = client.get(change_url(published))
    data = form_data(page)
    title_field = next(name for name in data if name.endswith("-title") and data[name])
    response = client.post(change_url(published), form_data(page, **{title_field: BLOCKED}))
    assert response.status_code == 200
    assert ArticleAttachment.objects.get(pk=attachment.pk).title == "名单.pdf"
