"""After a reviewer's 审核通过 or 退回 the admin opens the next article waiting for them (who
waited longest first), or the 待我审核 list once nothing is left."""

import datetime

import pytest
from django.urls import reverse

from news import workflow
from news.models import ArticleStatus, ArticleTransition
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    SiteSettingsFactory(review_levels=1)
    return {
        "editor": RoleUserFactory(username="editor", roles=["编辑"]),
        "r1": RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1]),
    }


def submitted(people, title, days_ago):
    article = ArticleFactory(title=title, status=ArticleStatus.DRAFT, created_by=people["editor"])
    step = workflow.perform("submit", article, people["editor"])
    sent = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days_ago)
    ArticleTransition.objects.filter(pk=step.pk).update(time=sent)
    return article


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def decide(client, article, action, comment=""):
    data = {"_workflow": action, f"_workflow_comment_{action}": comment}
    return client.post(change_url(article), data)


def messages_after(client, response):
    return [str(m) for m in client.get(response.url).context["messages"]]


def test_approving_opens_the_article_that_waited_longest(client, people):
    decided = submitted(people, "今天要审的稿件", days_ago=3)
    newer = submitted(people, "昨天送审的稿件", days_ago=1)
    oldest = submitted(people, "上周送审的稿件", days_ago=7)
    client.force_login(people["r1"])

    response = decide(client, decided, "approve")

    assert response.status_code == 302
    assert response.url == change_url(oldest)
    [message] = messages_after(client, response)
    assert "已审核通过" in message and "下一篇待审稿件：《上周送审的稿件》" in message
    decided.refresh_from_db()
    assert decided.status == ArticleStatus.APPROVED
    assert newer.title not in message


def test_rejecting_also_moves_on(client, people):
    decided = submitted(people, "要退回的稿件", days_ago=2)
    following = submitted(people, "下一篇", days_ago=1)
    client.force_login(people["r1"])

    response = decide(client, decided, "reject", comment="请补充照片说明")

    assert response.url == change_url(following)
    [message] = messages_after(client, response)
    assert "已退回" in message and "下一篇待审稿件：《下一篇》" in message


def test_the_last_decision_goes_to_the_emptied_queue(client, people):
    decided = submitted(people, "最后一篇", days_ago=1)
    client.force_login(people["r1"])

    response = decide(client, decided, "approve")

    assert response.url == reverse("admin:news_article_changelist") + "?work=review"
    page = client.get(response.url)
    [message] = [str(m) for m in page.context["messages"]]
    assert "待我审核的稿件已全部处理。" in message
    # The message still links the decided article: that settles its form's local draft.
    assert f'href="{change_url(decided)}"' in message


def test_articles_the_reviewer_may_not_decide_are_skipped(client, people):
    decided = submitted(people, "要审的稿件", days_ago=1)
    # Waiting longer, but written by the reviewer: not theirs to decide.
    own = ArticleFactory(title="自己写的稿件", status=ArticleStatus.DRAFT, created_by=people["r1"])
    workflow.perform("submit", own, people["editor"])
    client.force_login(people["r1"])

    response = decide(client, decided, "approve")

    assert response.url.startswith(reverse("admin:news_article_changelist"))


def test_a_refused_decision_stays_on_the_article(client, people):
    article = submitted(people, "要审的稿件", days_ago=1)
    submitted(people, "另一篇", days_ago=2)
    client.force_login(people["r1"])

    response = decide(client, article, "reject", comment="")

    assert response.url == change_url(article)
