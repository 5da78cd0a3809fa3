"""批量审核通过 on the article list: each selected article goes through the workflow's guards on
its own, and the message says what passed and why the rest did not."""

import pytest
from django.urls import reverse

from news import workflow
from news.models import ArticleStatus
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:news_article_changelist"


@pytest.fixture
def people(db):
    SiteSettingsFactory(review_levels=1)
    return {
        "editor": RoleUserFactory(username="editor", roles=["编辑"]),
        "r1": RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1]),
    }


def submitted(people, title, author=None):
    article = ArticleFactory(
        title=title, status=ArticleStatus.DRAFT, created_by=author or people["editor"]
    )
    workflow.perform("submit", article, people["editor"])
    return article


def approve_selected(client, articles):
    data = {
        "action": "approve_selected",
        "_selected_action": [article.pk for article in articles],
    }
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_each_article_is_approved_or_refused_with_its_reason(client, people):
    first = submitted(people, "第一篇")
    second = submitted(people, "第二篇")
    own = submitted(people, "审核员自己写的", author=people["r1"])
    draft = ArticleFactory(title="还是草稿", status=ArticleStatus.DRAFT)
    client.force_login(people["r1"])

    response = approve_selected(client, [first, second, own, draft])

    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("通过 2 篇。未通过 2 篇：")
    assert "《审核员自己写的》不能审核自己撰写或修改的稿件" in message
    assert "《还是草稿》这篇文章现在不在审核中" in message
    for article in (first, second, own, draft):
        article.refresh_from_db()
    assert {a.title: a.status for a in (first, second, own, draft)} == {
        "第一篇": ArticleStatus.APPROVED,
        "第二篇": ArticleStatus.APPROVED,
        "审核员自己写的": ArticleStatus.SUBMITTED,
        "还是草稿": ArticleStatus.DRAFT,
    }
    assert first.transitions.filter(action="approve", actor=people["r1"]).count() == 1


def test_all_approved_is_a_success(client, people):
    article = submitted(people, "唯一一篇")
    client.force_login(people["r1"])

    response = approve_selected(client, [article])

    [message] = list(response.context["messages"])
    assert (str(message), message.level_tag) == ("通过 1 篇。", "success")


def test_only_reviewers_are_offered_the_action(client, people):
    client.force_login(people["editor"])
    assert "approve_selected" not in client.get(reverse(CHANGELIST)).content.decode()
    client.force_login(people["r1"])
    assert 'value="approve_selected"' in client.get(reverse(CHANGELIST)).content.decode()


def test_an_editor_cannot_post_the_action(client, people):
    article = submitted(people, "第一篇")
    client.force_login(people["editor"])

    approve_selected(client, [article])

    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
