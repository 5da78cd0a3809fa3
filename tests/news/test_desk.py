"""The desk on the admin home: 待我审核, 待审核的学校和品牌资料, 我的退回稿件, 我的草稿, 已定时
发布, each user's own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brands.models import School, Stage
from news import workflow
from news.models import Article, ArticleStatus, ArticleTransition, PendingChange, ProfileChange
from tests.factories import ArticleFactory, RoleUserFactory, SchoolFactory, SiteSettingsFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture
def people(db):
    SiteSettingsFactory(review_levels=2)
    return {
        "editor": RoleUserFactory(
            username="editor", first_name="明", last_name="张", roles=["编辑"]
        ),
        "r1": RoleUserFactory(username="r1", roles=["审核员", "编辑"], review_levels=[1]),
        "r2": RoleUserFactory(username="r2", roles=["审核员"], review_levels=[2]),
        "correspondent": RoleUserFactory(username="school", roles=["学校通讯员"]),
    }


def waiting(author, title, hours_ago, level=1, levels=2, **fields):
    """An article in review at ``level``, submitted ``hours_ago`` hours ago."""
    article = ArticleFactory(
        title=title,
        status=ArticleStatus.SUBMITTED if level == 1 else ArticleStatus.IN_REVIEW,
        review_level=level,
        review_levels=levels,
        review_round=1,
        created_by=author,
        **fields,
    )
    ArticleTransition.objects.create(
        article=article,
        actor=author,
        action="submit",
        from_state="draft",
        to_state="submitted",
        level=1,
        levels=levels,
        round=1,
        time=timezone.now() - timedelta(hours=hours_ago),
    )
    return article


def panel(response, work):
    panels = {p.work: p for p in response.context["panels"]}
    return panels.get(work)


def titles(found):
    return [row.article.title for row in found.rows]


def test_reviewer_sees_what_waits_at_their_level_oldest_first(client, people):
    school = SchoolFactory(name="青湾实验小学")
    newer = waiting(people["editor"], "较新的送审稿", hours_ago=1)
    older = waiting(people["editor"], "较早的送审稿", hours_ago=30)
    older.schools.add(school)
    waiting(people["r1"], "审核员自己的稿件", hours_ago=50)
    waiting(people["editor"], "等待第2级的稿件", hours_ago=60, level=2)
    client.force_login(people["r1"])

    response = client.get(INDEX)

    review = panel(response, "review")
    assert titles(review) == ["较早的送审稿", "较新的送审稿"]
    assert review.count == 2
    html = response.content.decode()
    assert "待我审核" in html
    assert reverse("admin:news_article_change", args=[older.pk]) in html
    submitted = older.transitions.get().time
    assert f"送审时间：{timezone.localtime(submitted):%Y-%m-%d %H:%M}" in html
    assert "作者：明 张" in html  # Django's get_full_name, as the timeline shows it
    assert "青湾实验小学" in html
    assert "初审" in html  # level 1 of 2
    assert "审核员自己的稿件" not in html and "等待第2级的稿件" not in html
    assert newer.title in html
    assert f'href="{reverse("admin:news_article_changelist")}?work=review">全部 2 篇' in html


def test_pending_change_of_a_published_article_waits_too(client, people):
    article = ArticleFactory(title="已发布的文章", created_by=people["editor"])
    workflow.propose_change(article, people["editor"], {"title": "改后的标题"})
    client.force_login(people["r1"])
    review = panel(client.get(INDEX), "review")
    assert titles(review) == ["已发布的文章"]
    assert review.rows[0].is_change
    assert review.rows[0].article.submitted_at is not None


def test_article_without_creator_waits_with_no_author(client, people):
    waiting(None, "导入的稿件", hours_ago=3)
    client.force_login(people["r1"])
    response = client.get(INDEX)
    assert titles(panel(response, "review")) == ["导入的稿件"]
    assert "作者：—" in response.content.decode()


def test_correspondent_sees_no_review_panel(client, people):
    client.force_login(people["correspondent"])
    response = client.get(INDEX)
    assert panel(response, "review") is None
    assert "待我审核" not in response.content.decode()
    assert panel(response, "drafts") is not None


def test_empty_panel_says_so(client, people):
    client.force_login(people["r1"])
    assert "暂无待审核的稿件。" in client.get(INDEX).content.decode()


def test_rejected_article_shows_the_comment(client, people):
    article = waiting(people["editor"], "被退回的稿件", hours_ago=2)
    workflow.perform("reject", article, people["r1"], comment="请补充活动时间和地点。")
    waiting(people["r1"], "别人的退回稿件", hours_ago=2)
    client.force_login(people["editor"])

    response = client.get(INDEX)

    rejected = panel(response, "rejected")
    assert titles(rejected) == ["被退回的稿件"]
    html = response.content.decode()
    assert "退回意见：请补充活动时间和地点。" in html
    assert "审核员 r1" in html


def test_rejected_pending_change_is_listed_for_whoever_made_it(client, people):
    article = ArticleFactory(title="已发布的文章", created_by=people["r1"])
    workflow.propose_change(article, people["editor"], {"title": "改后的标题"})
    workflow.perform("reject", article, people["r1"], comment="标题不准确。")
    assert PendingChange.objects.get().status == ArticleStatus.REJECTED
    client.force_login(people["editor"])
    rejected = panel(client.get(INDEX), "rejected")
    assert titles(rejected) == ["已发布的文章"]
    assert rejected.rows[0].is_change
    assert rejected.rows[0].rejection.comment == "标题不准确。"


def test_drafts_are_the_users_own_newest_edit_first(client, people):
    older = ArticleFactory(title="早些的草稿", draft=True, created_by=people["editor"])
    ArticleFactory(title="新些的草稿", draft=True, created_by=people["editor"])
    ArticleFactory(title="别人的草稿", draft=True, created_by=people["r1"])
    ArticleFactory(title="已发布的稿件", created_by=people["editor"])
    Article.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timedelta(days=1))
    client.force_login(people["editor"])
    assert titles(panel(client.get(INDEX), "drafts")) == ["新些的草稿", "早些的草稿"]


def test_scheduled_lists_future_publications_the_user_may_see(client, people):
    school = SchoolFactory()
    people["correspondent"].correspondent_schools.add(school)
    mine = ArticleFactory(title="本校定时稿", scheduled=True)
    mine.schools.add(school)
    ArticleFactory(title="外校定时稿", scheduled=True)
    ArticleFactory(title="已公开的稿件")
    client.force_login(people["correspondent"])
    assert titles(panel(client.get(INDEX), "scheduled")) == ["本校定时稿"]
    client.force_login(people["editor"])
    assert sorted(titles(panel(client.get(INDEX), "scheduled"))) == ["外校定时稿", "本校定时稿"]


def test_panel_shows_ten_rows_and_links_to_all(client, people):
    for n in range(12):
        ArticleFactory(title=f"草稿{n}", draft=True, created_by=people["editor"])
    client.force_login(people["editor"])
    response = client.get(INDEX)
    drafts = panel(response, "drafts")
    assert (len(drafts.rows), drafts.count) == (10, 12)
    listing = client.get(drafts.changelist_url)
    assert listing.context["cl"].result_count == 12


def test_review_queue_changelist_is_oldest_first_with_author_and_time(client, people):
    waiting(people["editor"], "较新的送审稿", hours_ago=1)
    waiting(people["editor"], "较早的送审稿", hours_ago=30)
    client.force_login(people["r1"])
    response = client.get(reverse("admin:news_article_changelist") + "?work=review")
    assert [a.title for a in response.context["cl"].result_list] == ["较早的送审稿", "较新的送审稿"]
    html = response.content.decode()
    assert "送审时间" in html and "作者" in html


def test_rejected_article_form_shows_the_comment_at_the_top(client, people):
    article = waiting(people["editor"], "被退回的稿件", hours_ago=2)
    workflow.perform("reject", article, people["r1"], comment="请补充活动时间和地点。")
    client.force_login(people["editor"])
    html = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    notice = html.index('class="rejection-notice"')
    assert notice < html.index('id="article_form"')
    assert "请补充活动时间和地点。" in html[notice : html.index('id="article_form"')]
    assert "审核员 r1" in html[notice : html.index('id="article_form"')]


def test_resubmitted_article_form_has_no_notice(client, people):
    article = waiting(people["editor"], "被退回的稿件", hours_ago=2)
    workflow.perform("reject", article, people["r1"], comment="请补充。")
    workflow.perform("submit", article, people["editor"])
    client.force_login(people["editor"])
    html = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert 'class="rejection-notice"' not in html


def build(count, people):
    """``count`` articles in every panel's states, with their transitions, made in bulk."""
    channel = ArticleFactory(title="种子", created_by=people["editor"]).channel
    schools = SchoolFactory.create_batch(2)
    now = timezone.now()
    states = [
        # (status, author, publish time)
        (ArticleStatus.SUBMITTED, people["editor"], now),
        (ArticleStatus.REJECTED, people["r1"], now),
        (ArticleStatus.DRAFT, people["r1"], now),
        (ArticleStatus.PUBLISHED, people["editor"], now + timedelta(days=2)),
    ]
    articles = Article.objects.bulk_create(
        Article(
            title=f"稿件{n}",
            channel=channel,
            status=status,
            created_by=author,
            publish_at=publish_at,
            review_level=1 if status == ArticleStatus.SUBMITTED else 0,
            review_levels=2,
            review_round=1,
            source="学校供稿",
        )
        for n, (status, author, publish_at) in ((n, states[n % 4]) for n in range(count))
    )
    ArticleTransition.objects.bulk_create(
        ArticleTransition(
            article=article,
            actor=people["editor"] if article.status == ArticleStatus.SUBMITTED else people["r2"],
            action="submit" if article.status == ArticleStatus.SUBMITTED else "reject",
            from_state="draft",
            to_state=article.status,
            round=1,
            comment="请修改。",
            time=now - timedelta(minutes=n),
        )
        for n, article in enumerate(articles)
        if article.status in (ArticleStatus.SUBMITTED, ArticleStatus.REJECTED)
    )
    Article.schools.through.objects.bulk_create(
        Article.schools.through(article=article, school=school)
        for article in articles
        if article.status == ArticleStatus.SUBMITTED
        for school in schools
    )


def build_profile_changes(count, author):
    """Changes to ``count`` schools' profiles waiting for review, made in bulk."""
    schools = School.objects.bulk_create(
        School(name=f"待审学校{n}", slug=f"daishen-{n}", stage=Stage.PRIMARY, town="文昌街道")
        for n in range(count)
    )
    ProfileChange.objects.bulk_create(
        ProfileChange(school=school, content={"introduction": "新的简介"}, created_by=author)
        for school in schools
    )


# Measured, the same at 100 and at 10,000 articles. Every admin page: session and user 2, the
# two-factor devices 4, the user's permissions 2, the unread notices in the header 1; review
# levels 1.
# Admin home: 待我审核 count, rows and their schools 3; 我的退回稿件 count, rows and the
# rejections 3; 待审核的学校和品牌资料 count and rows 2; 我的草稿 2; 已定时发布 2; 最近动作 1.
DESK_BUDGET = 23
# Review queue: the filters' channels and schools 2, count and page 2, the date hierarchy 2,
# and the savepoint around the changelist 2.
REVIEW_QUEUE_BUDGET = 18


@pytest.mark.parametrize("count", [100, 10000])
def test_desk_and_review_queue_run_a_constant_number_of_queries(
    client, people, django_assert_max_num_queries, count
):
    build(count, people)
    build_profile_changes(count // 20, people["correspondent"])
    client.force_login(people["r1"])
    with django_assert_max_num_queries(DESK_BUDGET, info=f"admin home, {count} articles"):
        response = client.get(INDEX)
    assert panel(response, "review").count == count // 4
    assert panel(response, "profiles").count == count // 20
    assert len(panel(response, "profiles").rows) == min(count // 20, 10)
    assert len(panel(response, "rejected").rows) == 10
    queue = reverse("admin:news_article_changelist") + "?work=review"
    with django_assert_max_num_queries(REVIEW_QUEUE_BUDGET, info=f"review queue, {count}"):
        response = client.get(queue)
    assert len(response.context["cl"].result_list) == min(count // 4, 100)
