"""The permission matrix: every role × (own school, other school) × every action, through HTTP.

Each case signs in as one role, makes the request a browser would make in the admin (or on the
article's public address for the preview) and checks what was stored afterwards, not which
buttons were shown.
"""

import pytest
from django.urls import reverse

from news.models import Article, ArticleStatus
from tests.factories import (
    ArticleFactory,
    ChannelFactory,
    RoleUserFactory,
    SchoolFactory,
    SiteSettingsFactory,
    SuperuserFactory,
)
from tests.page_forms import page_form_data as form_data
from tests.page_forms import workflow_click

pytestmark = pytest.mark.django_db

# "own" is the school the correspondent is assigned to; "other" is any other school. The
# district roles are not tied to a school, so both columns are the same for them.
MATRIX = """
role           school  view  add  change  delete  submit  approve  publish
correspondent  own     yes   yes  yes     no      yes     no       no
correspondent  other   no    no   no      no      no      no       no
editor         own     yes   yes  yes     no      yes     no       no
editor         other   yes   yes  yes     no      yes     no       no
reviewer       own     yes   no   no      no      no      yes      yes
reviewer       other   yes   no   no      no      no      yes      yes
sitemanager    own     yes   yes  yes     yes     yes     no       yes
sitemanager    other   yes   yes  yes     yes     yes     no       yes
auditor        own     no    no   no      no      no      no       no
auditor        other   no    no   no      no      no      no       no
"""


def _cases():
    header, *rows = [line.split() for line in MATRIX.strip().splitlines()]
    actions = header[2:]
    for role, school, *answers in rows:
        for action, answer in zip(actions, answers, strict=True):
            yield pytest.param(
                role, school, action, answer == "yes", id=f"{role}-{school}-{action}"
            )


ROLE_GROUPS = {
    "correspondent": ["学校通讯员"],
    "editor": ["编辑"],
    "reviewer": ["审核员"],
    "sitemanager": ["管理员"],
    "auditor": ["审计员"],
}


@pytest.fixture
def world(db):
    SiteSettingsFactory(review_levels=3)
    own, other = SchoolFactory(name="本校小学"), SchoolFactory(name="他校小学")
    users = {
        role: RoleUserFactory(
            username=role,
            roles=groups,
            review_levels=[1] if role == "reviewer" else None,
            schools=[own] if role == "correspondent" else None,
        )
        for role, groups in ROLE_GROUPS.items()
    }
    # Articles are written by somebody else, so that no case is about approving one's own.
    writer = RoleUserFactory(username="writer", roles=["编辑"])
    return {"own": own, "other": other, "users": users, "writer": writer}


def _article(world, school, status=ArticleStatus.DRAFT, **fields):
    article = ArticleFactory(
        title=f"{school.name}的稿件",
        channel=ChannelFactory(slug="gongzuo"),
        status=status,
        created_by=world["writer"],
        **fields,
    )
    article.schools.set([school])
    return article


def _change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def _transition(client, article, action, comment=""):
    return workflow_click(client, _change_url(article), action, comment)


def _full_form(client, url, superuser):
    """The form as the user sees it, or (when they may not open it) as a superuser sees it."""
    response = client.get(url)
    if response.status_code == 200 and "adminform" in response.context:
        return response
    other = client.__class__()
    other.force_login(superuser)
    return other.get(url)


def check_view(client, world, school, user):
    article = _article(world, school)
    changelist = client.get(reverse("admin:news_article_changelist"))
    listed = changelist.status_code == 200 and article.title in changelist.content.decode()
    change = client.get(_change_url(article))
    preview = client.get(article.get_absolute_url())
    opened = change.status_code == 200 and article.title in change.content.decode()
    # The three ways of seeing a draft agree: the list, the form and the preview.
    assert listed == opened == (preview.status_code == 200), (listed, change, preview)
    if not opened:
        assert preview.status_code == 404
    return opened


def check_add(client, world, school, user):
    url = reverse("admin:news_article_add")
    page = _full_form(client, url, SuperuserFactory(username="root"))
    title = "新增的稿件"
    data = form_data(
        page,
        title=title,
        body="<p>正文</p>",
        channel=str(ChannelFactory(slug="gongzuo").pk),
        schools=[str(school.pk)],
    )
    response = client.post(url, data)
    created = Article.objects.filter(title=title).first()
    if created is None:
        assert response.status_code in (200, 403)
        return False
    assert response.status_code == 302
    assert created.created_by == user
    assert created.status == ArticleStatus.DRAFT
    assert list(created.schools.all()) == [school]
    return True


def check_change(client, world, school, user):
    article = _article(world, school)
    url = _change_url(article)
    page = _full_form(client, url, SuperuserFactory(username="root"))
    response = client.post(url, form_data(page, title="改过的标题"))
    article.refresh_from_db()
    changed = article.title == "改过的标题"
    if changed:
        assert response.status_code == 302
        assert response.url == reverse("admin:news_article_changelist")
    else:
        # 403 without the permission; an article out of their reach "does not exist".
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.url == reverse("admin:index")
    return changed


def check_delete(client, world, school, user):
    article = _article(world, school)
    response = client.post(reverse("admin:news_article_delete", args=[article.pk]), {"post": "yes"})
    deleted = not Article.objects.filter(pk=article.pk).exists()
    assert response.status_code in ((302,) if deleted else (302, 403))
    return deleted


def check_submit(client, world, school, user):
    article = _article(world, school)
    response = _transition(client, article, "submit")
    article.refresh_from_db()
    done = article.status == ArticleStatus.SUBMITTED
    if not done:
        # A refused step: the form saved, the step not (302 with the reason), or no access.
        assert response.status_code in (302, 403)
        assert article.status == ArticleStatus.DRAFT
    return done


def check_approve(client, world, school, user):
    article = _article(
        world, school, ArticleStatus.SUBMITTED, review_level=1, review_levels=3, review_round=1
    )
    response = _transition(client, article, "approve")
    article.refresh_from_db()
    done = article.status == ArticleStatus.IN_REVIEW and article.review_level == 2
    if not done:
        # A refused step: the form saved, the step not (302 with the reason), or no access.
        assert response.status_code in (302, 403)
        assert (article.status, article.review_level) == (ArticleStatus.SUBMITTED, 1)
    return done


def check_publish(client, world, school, user):
    article = _article(world, school, ArticleStatus.APPROVED, review_levels=3, review_round=1)
    response = _transition(client, article, "publish")
    article.refresh_from_db()
    done = article.status == ArticleStatus.PUBLISHED
    if not done:
        # A refused step: the form saved, the step not (302 with the reason), or no access.
        assert response.status_code in (302, 403)
        assert article.status == ArticleStatus.APPROVED
    return done


CHECKS = {
    "view": check_view,
    "add": check_add,
    "change": check_change,
    "delete": check_delete,
    "submit": check_submit,
    "approve": check_approve,
    "publish": check_publish,
}


@pytest.mark.parametrize(("role", "school", "action", "allowed"), list(_cases()))
def test_permission_matrix(client, world, role, school, action, allowed):
    user = world["users"][role]
    client.force_login(user)
    assert CHECKS[action](client, world, world[school], user) is allowed


def test_matrix_covers_every_role_school_and_action():
    cases = {(p.values[0], p.values[1], p.values[2]) for p in _cases()}
    assert len(cases) == len(ROLE_GROUPS) * 2 * len(CHECKS)
