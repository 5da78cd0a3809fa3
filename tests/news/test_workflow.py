"""The review workflow: each step and guard, the timeline, 待我审核, the locked publish time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news import workflow
from news.models import Article, ArticleStatus, ArticleTransition, TransitionAction
from portal.models import AuditLogEntry, SiteSettings
from tests.factories import (
    ArticleFactory,
    RoleUserFactory,
    SchoolFactory,
    SiteSettingsFactory,
)
from tests.page_forms import page_form_data as form_data
from tests.page_forms import workflow_click

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    return SiteSettingsFactory(review_levels=3)


@pytest.fixture
def people(site):
    return {
        "editor": RoleUserFactory(username="editor", roles=["编辑"]),
        "r1": RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1]),
        "r2": RoleUserFactory(username="r2", roles=["审核员"], review_levels=[2]),
        "r3": RoleUserFactory(username="r3", roles=["审核员"], review_levels=[3]),
        "manager": RoleUserFactory(username="manager", roles=["管理员"]),
    }


@pytest.fixture
def draft(people, channel):
    return ArticleFactory(
        channel=channel,
        title="待送审的稿件",
        status=ArticleStatus.DRAFT,
        created_by=people["editor"],
    )


def step(action, article, user, comment=""):
    workflow.perform(action, article, user, comment=comment)
    article.refresh_from_db()
    return article


def refusal_of(action, article, user, comment=""):
    with pytest.raises(workflow.TransitionError) as caught:
        workflow.perform(action, article, user, comment=comment)
    article.refresh_from_db()
    return caught.value


def through_review(article, people):
    step("submit", article, people["editor"])
    for reviewer in ("r1", "r2", "r3"):
        step("approve", article, people[reviewer])
    return article


# --- The path and its records --------------------------------------------------------------


def test_three_levels_from_draft_to_published(draft, people):
    article = step("submit", draft, people["editor"])
    assert (article.status, article.review_level, article.review_levels) == ("submitted", 1, 3)
    article = step("approve", article, people["r1"])
    assert (article.status, article.review_level) == ("in_review", 2)
    article = step("approve", article, people["r2"])
    assert (article.status, article.review_level) == ("in_review", 3)
    article = step("approve", article, people["r3"])
    assert (article.status, article.review_level) == ("approved", 0)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    article = step("publish", article, people["r3"])
    assert article.status == "published" and article.first_published_at is not None
    assert Article.objects.published().filter(pk=article.pk).exists()

    steps = list(article.transitions.values_list("action", "from_state", "to_state", "level"))
    assert steps == [
        ("submit", "draft", "submitted", 1),
        ("approve", "submitted", "in_review", 1),
        ("approve", "in_review", "in_review", 2),
        ("approve", "in_review", "approved", 3),
        ("publish", "approved", "published", 0),
    ]
    assert list(article.transitions.values_list("actor__username", flat=True)) == [
        "editor",
        "r1",
        "r2",
        "r3",
        "r3",
    ]
    audit = AuditLogEntry.objects.filter(
        content_type__model="article", object_id=str(article.pk)
    ).order_by("pk")
    assert [entry.action for entry in audit] == ["transition"] * 4 + ["publish"]
    assert audit[1].from_state == "待审核（第1级/共3级·初审）"
    assert audit[1].to_state == "审核中（第2级/共3级·复审）"
    assert audit[1].actor_username == "r1"


@pytest.mark.parametrize(("levels", "names"), [(1, ["终审"]), (2, ["初审", "终审"])])
def test_number_of_levels_comes_from_site_settings(draft, people, levels, names):
    SiteSettings.objects.filter(pk=1).update(review_levels=levels)
    article = step("submit", draft, people["editor"])
    assert article.review_levels == levels
    assert workflow.state_label(article.status, 1, levels).endswith(f"·{names[0]}）")
    for number in range(1, levels + 1):
        reviewer = RoleUserFactory(roles=["审核员"], review_levels=[number])
        article = step("approve", article, reviewer)
    assert article.status == ArticleStatus.APPROVED


def test_changing_the_setting_does_not_strand_an_article_in_review(draft, people):
    article = step("submit", draft, people["editor"])
    SiteSettings.objects.filter(pk=1).update(review_levels=1)
    article = step("approve", article, people["r1"])
    assert (article.status, article.review_level) == ("in_review", 2)  # still three levels


# --- Guards ----------------------------------------------------------------------------------


def test_one_person_may_not_approve_two_levels(draft, people):
    both = RoleUserFactory(username="both", roles=["审核员"], review_levels=[1, 2])
    article = step("submit", draft, people["editor"])
    step("approve", article, both)
    error = refusal_of("approve", article, both)
    assert "同一人不能审核同一稿件的两级" in error.message
    assert (article.status, article.review_level) == ("in_review", 2)
    assert article not in workflow.awaiting_review(both)
    step("approve", article, people["r2"])  # somebody else may
    assert article.review_level == 3


def test_an_author_may_not_approve_their_own_article(people, channel):
    author = RoleUserFactory(username="author", roles=["编辑", "审核员"], review_levels=[1])
    article = ArticleFactory(channel=channel, status="draft", created_by=author)
    step("submit", article, author)
    error = refusal_of("approve", article, author)
    assert "不能审核自己" in error.message
    assert article.status == ArticleStatus.SUBMITTED
    assert article not in workflow.awaiting_review(author)


def test_only_the_assigned_level_may_decide(draft, people):
    article = step("submit", draft, people["editor"])
    for user in (people["r2"], people["r3"]):
        assert "第1级" in refusal_of("approve", article, user).message
        assert "第1级" in refusal_of("reject", article, user, comment="不行").message
    assert article.status == ArticleStatus.SUBMITTED
    for user in (people["editor"], people["manager"]):
        assert refusal_of("approve", article, user).message == "您没有审核权限。"


def test_reject_needs_a_comment_and_goes_back_to_the_author(draft, people):
    article = step("submit", draft, people["editor"])
    error = refusal_of("reject", article, people["r1"], comment="   ")
    assert error.status == 400 and "退回意见" in error.message
    assert article.status == ArticleStatus.SUBMITTED
    article = step("reject", article, people["r1"], comment="请补充活动时间。")
    assert article.status == ArticleStatus.REJECTED
    assert article.transitions.last().comment == "请补充活动时间。"
    # The author edits and submits again: a new round, reviewed afresh from level 1.
    article = step("submit", article, people["editor"])
    assert (article.status, article.review_level, article.review_round) == ("submitted", 1, 2)
    step("approve", article, people["r1"])
    assert article.review_level == 2


def test_publishing_needs_the_final_approval(draft, people):
    assert "终审" in refusal_of("publish", draft, people["manager"]).message
    article = step("submit", draft, people["editor"])
    step("approve", article, people["r1"])
    assert "终审" in refusal_of("publish", article, people["manager"]).message
    assert refusal_of("publish", article, people["editor"]).message == "您没有发布和撤稿的权限。"
    step("approve", article, people["r2"])
    step("approve", article, people["r3"])
    step("publish", article, people["manager"])
    assert article.status == ArticleStatus.PUBLISHED


def test_withdraw_needs_a_reason(draft, people, client, site):
    article = step("publish", through_review(draft, people), people["r3"])
    error = refusal_of("withdraw", article, people["manager"])
    assert error.status == 400 and "撤稿原因" in error.message
    step("withdraw", article, people["manager"], comment="信息有误")
    assert article.status == ArticleStatus.WITHDRAWN
    assert client.get(article.get_absolute_url()).status_code == 404
    entry = AuditLogEntry.objects.get(action="withdraw")
    assert "信息有误" in entry.comment and entry.actor_username == "manager"


def test_publishing_an_old_draft_publishes_it_now(draft, people):
    Article.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - timedelta(days=20))
    draft.refresh_from_db()
    article = step("publish", through_review(draft, people), people["r3"])
    assert timezone.now() - article.publish_at < timedelta(minutes=1)


# --- Scheduled publishing: a query-time rule ---------------------------------------------------


def test_scheduled_article_appears_by_itself_at_its_time(draft, people, client, monkeypatch):
    publish_at = timezone.now() + timedelta(hours=2)
    Article.objects.filter(pk=draft.pk).update(publish_at=publish_at)
    draft.refresh_from_db()
    article = step("publish", through_review(draft, people), people["r3"])
    assert article.status == ArticleStatus.PUBLISHED and article.publish_at == publish_at
    assert "定时发布" in article.transitions.last().comment
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/news/feed/rss/").content.decode()

    later = publish_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert Article.objects.published().filter(pk=article.pk).exists()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and article.title in response.content.decode()


# --- Locked publish time ---------------------------------------------------------------------


def _published(draft, people):
    return step("publish", through_review(draft, people), people["r3"])


def test_publish_time_is_locked_after_publication(draft, people, client):
    article = _published(draft, people)
    before = article.publish_at
    client.force_login(people["editor"])
    url = reverse("admin:news_article_change", args=[article.pk])
    page = client.get(url)
    assert "publish_at_0" not in page.content.decode()  # shown, not editable
    response = client.post(url, form_data(page, publish_at_0="2020-01-01", publish_at_1="08:00:00"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.publish_at == before
    assert not AuditLogEntry.objects.filter(action="publish_time").exists()


def test_administrator_changes_publish_time_and_it_is_logged(draft, people, client):
    article = _published(draft, people)
    client.force_login(people["manager"])
    url = reverse("admin:news_article_change", args=[article.pk])
    page = client.get(url)
    assert "publish_at_0" in page.content.decode()
    response = client.post(url, form_data(page, publish_at_0="2026-01-05", publish_at_1="08:30:00"))
    assert response.status_code == 302
    article.refresh_from_db()
    local = timezone.localtime(article.publish_at)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == ("2026-01-05", "08:30")
    entry = AuditLogEntry.objects.get(action="publish_time")
    assert entry.actor_username == "manager"
    assert "改为 2026-01-05 08:30:00" in entry.comment
    assert article.transitions.last().action == TransitionAction.PUBLISH_TIME
    assert not hasattr(article, "pending_change") or article.pending_change is None


# --- The admin: buttons, messages, timeline, 待我审核 ------------------------------------------


def transition(client, article, action, comment=""):
    url = reverse("admin:news_article_change", args=[article.pk])
    return workflow_click(client, url, action, comment)


def shown_messages(client, response):
    return [str(m) for m in client.get(response.url).context["messages"]]


def test_buttons_are_checked_again_on_the_server(client, draft, people):
    client.force_login(people["editor"])
    page = client.get(reverse("admin:news_article_change", args=[draft.pk])).content.decode()
    assert "workflow-action--submit" in page
    assert "workflow-action--approve" not in page and "workflow-action--publish" not in page
    # The editor cannot approve or publish, whatever they post: their form is saved, the
    # step refused with the reason.
    response = transition(client, draft, "approve")
    assert response.status_code == 302
    assert any(
        "已保存，但“审核通过”没有完成：您没有审核权限。" in m
        for m in shown_messages(client, response)
    )
    assert any(
        "您没有发布和撤稿的权限" in m
        for m in shown_messages(client, transition(client, draft, "publish"))
    )
    assert transition(client, draft, "nonsense").status_code == 404
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT
    response = transition(client, draft, "submit")
    assert response.status_code == 302
    assert any(
        "送审" in m and "待审核（第1级/共3级·初审）" in m for m in shown_messages(client, response)
    )
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.SUBMITTED


def test_reject_without_comment_explains_and_then_rejects(client, draft, people):
    step("submit", draft, people["editor"])
    client.force_login(people["r1"])
    page = client.get(reverse("admin:news_article_change", args=[draft.pk])).content.decode()
    assert "workflow-action--approve" in page and "退回意见（必填）" in page
    response = transition(client, draft, "reject", comment="")
    assert response.status_code == 302
    assert any("退回时必须填写退回意见" in m for m in shown_messages(client, response))
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.SUBMITTED
    response = transition(client, draft, "reject", comment="请补充照片说明")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.REJECTED


def test_refused_step_keeps_the_typed_comment(client, draft, people):
    step("submit", draft, people["editor"])
    client.force_login(people["r2"])  # wrong level
    response = transition(client, draft, "reject", comment="我写的退回意见")
    assert response.status_code == 302
    [message] = shown_messages(client, response)
    assert "没有被分配这一级" in message and "我写的退回意见" in message


def test_timeline_on_the_change_page_in_chinese_newest_last(client, draft, people):
    through_review(draft, people)
    client.force_login(people["manager"])
    html = client.get(reverse("admin:news_article_change", args=[draft.pk])).content.decode()
    assert "流转记录" in html
    timeline = html[html.index("流转记录") :]
    positions = [timeline.index(word) for word in ["送审", "草稿 → 待审核", "审核中 → 已通过"]]
    assert positions == sorted(positions)
    assert "第3级/共3级" in timeline
    assert "workflow-action--publish" in html  # the manager publishes what passed review
    assert "workflow-action--approve" not in html


def test_awaiting_my_review_lists_what_i_may_decide(client, people, channel):
    def waiting(title, level, author=people["editor"]):
        return ArticleFactory(
            channel=channel,
            title=title,
            status="submitted" if level == 1 else "in_review",
            review_level=level,
            review_levels=3,
            review_round=1,
            created_by=author,
        )

    waiting("第一级的稿件", 1)
    waiting("第二级的稿件", 2)
    waiting("自己写的第二级稿件", 2, author=people["r2"])
    done_by_me = waiting("我审过第一级的稿件", 2)
    ArticleTransition.objects.create(
        article=done_by_me, actor=people["r2"], action="approve", from_state="submitted",
        to_state="in_review", level=1, levels=3, round=1,
    )  # fmt: skip
    client.force_login(people["r2"])
    html = client.get(reverse("admin:news_article_changelist"), {"work": "review"}).content.decode()
    assert "待我审核" in html
    assert "第二级的稿件" in html
    for title in ["第一级的稿件", "自己写的第二级稿件", "我审过第一级的稿件"]:
        assert title not in html, title


def test_my_articles_filter_and_state_column(client, people, channel):
    ArticleFactory(channel=channel, title="别人的稿件", status="draft")
    mine = ArticleFactory(
        channel=channel, title="我的稿件甲", status="draft", created_by=people["editor"]
    )
    step("submit", mine, people["editor"])
    step("approve", mine, people["r1"])
    client.force_login(people["editor"])
    html = client.get(reverse("admin:news_article_changelist"), {"work": "mine"}).content.decode()
    assert "我的稿件甲" in html and "别人的稿件" not in html
    assert "审核中（第2级/共3级·复审）" in html


def test_articles_in_review_are_read_only_for_writers(client, draft, people):
    step("submit", draft, people["editor"])
    client.force_login(people["editor"])
    url = reverse("admin:news_article_change", args=[draft.pk])
    page = client.get(url)
    assert "稿件正在审核中，不能修改" in page.content.decode()
    assert client.post(url, form_data(page, title="偷偷改")).status_code == 403
    draft.refresh_from_db()
    assert draft.title == "待送审的稿件"


def test_correspondent_preview_only_for_their_schools(client, site, channel):
    mine, theirs = SchoolFactory(), SchoolFactory()
    correspondent = RoleUserFactory(roles=["学校通讯员"], schools=[mine])
    own_draft = ArticleFactory(channel=channel, status="draft", title="本校草稿")
    own_draft.schools.set([mine])
    other_draft = ArticleFactory(channel=channel, status="draft", title="他校草稿")
    other_draft.schools.set([theirs])
    other_public = ArticleFactory(channel=channel, title="他校已发布")
    other_public.schools.set([theirs])
    client.force_login(correspondent)
    response = client.get(own_draft.get_absolute_url())
    assert response.status_code == 200 and "预览" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert client.get(other_draft.get_absolute_url()).status_code == 404
    assert client.get(f"/news/{other_draft.pk}/").status_code == 404
    assert client.get(other_public.get_absolute_url()).status_code == 200
