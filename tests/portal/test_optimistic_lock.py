"""Edit conflicts (issue 5, "nothing lost"): a save over changes made since the form was opened
is refused with a message naming who changed it and when; the user's text stays in the form;
the refusal holds (a plain 保存 is refused again) until the user chooses 合并后保存 or
以我的版本覆盖; every version is in the history."""

import re
from html import unescape

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from news.models import Article
from tests.factories import (
    ArticleFactory,
    AwardFactory,
    BrandFactory,
    BrandImageFactory,
    SchoolFactory,
    StaffFactory,
    SuperuserFactory,
)
from tests.page_forms import page_form_data as form_data

pytestmark = pytest.mark.django_db

CONFLICT = "保存失败：您打开这个表单之后"
MERGE = {"_edit_lock_resolution": "merge"}
OVERWRITE = {"_edit_lock_resolution": "overwrite"}


def editor_client(username, full_name="", review_levels=()):
    user = SuperuserFactory(username=username, first_name=full_name, review_levels=review_levels)
    client = Client()
    client.force_login(user)
    return user, client


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def initial_revision(obj, user):
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("初始版本")
        reversion.add_to_revision(obj)


def versions(obj):
    """Oldest first."""
    return list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk"))


def errors_of(response):
    return str(response.context["adminform"].form.non_field_errors())


def textarea(html, name):
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    return unescape(match.group(1)).strip()


def test_two_editors_saving_in_turn(client):
    """The acceptance test: the second editor gets the conflict, keeps their text, nothing is
    overwritten, and after merging both editors' versions are in the history."""
    wang, wang_client = editor_client("wangfang", "王芳")
    li, li_client = editor_client("lilei", "李雷")
    article = ArticleFactory(
        draft=True, title="区教育局召开党建工作会议", body="<p>会议部署了全年工作。</p>"
    )
    initial_revision(article, wang)
    url = change_url(article)
    wang_form = wang_client.get(url)
    li_form = li_client.get(url)

    first = wang_client.post(url, form_data(wang_form, title="区教育局召开2026年党建工作会议"))
    assert first.status_code == 302
    li_body = "<p>会议部署了全年工作。</p><p>李雷补充：各校要在三月底前报送计划。</p>"
    second = li_client.post(url, form_data(li_form, body=li_body))

    # Refused, naming the first editor and the time of their save.
    assert second.status_code == 200
    message = errors_of(second)
    wang_save = versions(article)[-1].revision
    assert CONFLICT in message
    assert "王芳（wangfang）" in message
    when = date_format(timezone.localtime(wang_save.date_created), "Y年n月j日 H:i")
    assert when in message
    assert "/history/compare/" in message  # a link to what the other editor changed
    # Nothing was overwritten.
    article.refresh_from_db()
    assert article.title == "区教育局召开2026年党建工作会议"
    assert article.body == "<p>会议部署了全年工作。</p>"
    assert len(versions(article)) == 2
    # The second editor's text is still in the form.
    assert textarea(second.text, "body") == li_body
    assert 'value="区教育局召开党建工作会议"' in second.text  # their (old) title, to merge

    # They merge the other editor's title into their form and choose 合并后保存.
    merged = form_data(second, title="区教育局召开2026年党建工作会议", **MERGE)
    third = li_client.post(url, merged)

    assert third.status_code == 302
    article.refresh_from_db()
    assert article.title == "区教育局召开2026年党建工作会议"
    assert article.body == li_body
    history = versions(article)
    assert [v.revision.user for v in history] == [wang, wang, li]
    assert history[1].field_dict["title"] == "区教育局召开2026年党建工作会议"
    assert history[1].field_dict["body"] == "<p>会议部署了全年工作。</p>"
    assert history[2].field_dict["body"] == li_body
    page = li_client.get(reverse("admin:news_article_history", args=[article.pk])).text
    assert "wangfang" in page and "lilei" in page


def test_saving_again_from_a_fresh_form_is_no_conflict(client):
    _user, editor = editor_client("wangfang")
    article = ArticleFactory(draft=True)
    url = change_url(article)

    for title in ("第一次修改", "第二次修改"):
        response = editor.post(url, form_data(editor.get(url), title=title))
        assert response.status_code == 302

    article.refresh_from_db()
    assert article.title == "第二次修改"


def test_the_form_carries_the_token_and_the_draft_version(client):
    _user, editor = editor_client("wangfang")
    article = ArticleFactory(draft=True)

    html = editor.get(change_url(article)).text

    token = re.search(r'name="_edit_lock" value="([^"]*)"', html).group(1)
    fingerprint = token.partition(":")[2]
    assert len(fingerprint) == 32
    assert f'data-draft-version="{fingerprint}"' in html


def test_a_change_made_outside_the_admin_is_a_conflict_too(client):
    """QuerySet.update() leaves no revision and runs no save(): still not overwritten."""
    _user, editor = editor_client("wangfang")
    article = ArticleFactory(draft=True, title="原标题")
    url = change_url(article)
    form = editor.get(url)
    Article.objects.filter(pk=article.pk).update(subtitle="别处改的副标题")

    response = editor.post(url, form_data(form, title="我的标题"))

    assert response.status_code == 200
    assert CONFLICT in errors_of(response)
    assert "其他用户" in errors_of(response)
    article.refresh_from_db()
    assert (article.title, article.subtitle) == ("原标题", "别处改的副标题")


def test_readers_raising_the_view_count_cause_no_conflict(client):
    _user, editor = editor_client("wangfang")
    article = ArticleFactory(draft=True)
    url = change_url(article)
    form = editor.get(url)
    Article.objects.filter(pk=article.pk).update(view_count=500)

    response = editor.post(url, form_data(form, title="我的标题"))

    assert response.status_code == 302


# Schools, brands and awards: a model, a field the form edits, 王芳's value and 李雷's.
OTHER_LOCKED_MODELS = pytest.mark.parametrize(
    ("make", "field", "theirs", "mine"),
    [
        (SchoolFactory, "introduction", "他们写的简介。", "我写的简介。"),
        (BrandFactory, "slogan", "他们的口号", "我的口号"),
        (AwardFactory, "issuing_body", "中共测试市委教育工委", "测试区教育局"),
    ],
    ids=["school", "brand", "award"],
)


def refused_after_colleague(make, field, theirs, mine):
    """李雷 opens ``make()``'s form, 王芳 saves ``theirs``, then 李雷 saves ``mine``: his answer.
    Both hold the last profile review level: their changes apply at once."""
    _wang, wang_client = editor_client("wangfang", "王芳", review_levels=[1])
    _li, li_client = editor_client("lilei", review_levels=[1])
    obj = make()
    url = change_url(obj)
    li_form = li_client.get(url)
    assert (
        wang_client.post(url, form_data(wang_client.get(url), **{field: theirs})).status_code == 302
    )
    return obj, url, li_client, li_client.post(url, form_data(li_form, **{field: mine}))


@OTHER_LOCKED_MODELS
def test_schools_brands_and_awards_are_locked_too(make, field, theirs, mine):
    obj, _url, _li_client, response = refused_after_colleague(make, field, theirs, mine)

    assert response.status_code == 200
    assert "王芳（wangfang）" in errors_of(response)
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs


def test_a_changed_gallery_photo_is_a_conflict_for_the_brand(client):
    _wang, wang_client = editor_client("wangfang", review_levels=[1])
    _li, li_client = editor_client("lilei", review_levels=[1])
    brand = BrandFactory()
    photo = BrandImageFactory(brand=brand, caption="原来的说明")
    url = change_url(brand)
    li_form = li_client.get(url)
    wang_data = form_data(wang_client.get(url))
    caption_key = next(key for key, value in wang_data.items() if value == "原来的说明")
    wang_data[caption_key] = "王芳改的说明"
    assert wang_client.post(url, wang_data).status_code == 302

    response = li_client.post(url, form_data(li_form, slogan="李雷的口号"))

    assert response.status_code == 200
    assert CONFLICT in errors_of(response)
    photo.refresh_from_db()
    assert photo.caption == "王芳改的说明"


def test_restoring_an_old_revision_is_not_blocked(client):
    user, editor = editor_client("wangfang")
    article = ArticleFactory(draft=True, title="第一版")
    initial_revision(article, user)
    url = change_url(article)
    assert editor.post(url, form_data(editor.get(url), title="第二版")).status_code == 302
    first = versions(article)[0]
    revision_url = reverse("admin:news_article_revision", args=[article.pk, first.pk])

    response = editor.post(revision_url, form_data(editor.get(revision_url)))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "第一版"


def district_editor(username):
    from django.contrib.auth.models import Group

    user = StaffFactory(username=username)
    user.groups.add(Group.objects.get(name="编辑"))
    client = Client()
    client.force_login(user)
    return user, client


def test_a_change_waiting_for_review_is_not_overwritten(client):
    """A published article's change goes to review (news.PendingChange) and the form shows
    it: a second editor's form opened before it was made must not replace it."""
    _wang, wang_client = district_editor("wangfang")
    _li, li_client = district_editor("lilei")
    article = ArticleFactory(title="已发布的标题", body="<p>已发布的正文。</p>")
    url = change_url(article)
    li_form = li_client.get(url)
    wang_saved = wang_client.post(url, form_data(wang_client.get(url), title="王芳送审的标题"))
    assert wang_saved.status_code == 302
    article.refresh_from_db()
    assert article.title == "已发布的标题"  # the public still sees the published version
    assert article.pending_change.content["title"] == "王芳送审的标题"

    response = li_client.post(url, form_data(li_form, body="<p>李雷改的正文。</p>"))

    assert response.status_code == 200
    assert CONFLICT in errors_of(response)
    article.pending_change.refresh_from_db()
    assert article.pending_change.content["title"] == "王芳送审的标题"


# --- The refusal holds until the user chooses 合并后保存 or 以我的版本覆盖 ----------------------

THEIR_TITLE = "王芳改的标题"
MY_BODY = "<p>李雷写的正文。</p>"


@pytest.fixture
def refused():
    """李雷's save refused because 王芳 saved after he opened the form: (article, client,
    url, the refused response)."""
    wang, wang_client = editor_client("wangfang", "王芳")
    _li, li_client = editor_client("lilei", "李雷")
    article = ArticleFactory(draft=True, title="原标题", body="<p>原正文。</p>")
    initial_revision(article, wang)
    url = change_url(article)
    li_form = li_client.get(url)
    assert (
        wang_client.post(url, form_data(wang_client.get(url), title=THEIR_TITLE)).status_code == 302
    )
    response = li_client.post(url, form_data(li_form, body=MY_BODY))
    assert response.status_code == 200
    assert CONFLICT in errors_of(response)
    return article, li_client, url, response


def stored(article):
    article.refresh_from_db()
    return article.title, article.body


def test_a_second_plain_save_after_a_refusal_is_refused_again(refused):
    article, li_client, url, response = refused

    again = li_client.post(url, form_data(response))

    assert again.status_code == 200
    message = errors_of(again)
    assert CONFLICT in message and "王芳（wangfang）" in message
    assert "/history/compare/" in message
    assert stored(article) == (THEIR_TITLE, "<p>原正文。</p>")
    assert textarea(again.text, "body") == MY_BODY  # nothing typed is lost
    third = li_client.post(url, form_data(again))
    assert third.status_code == 200
    assert stored(article) == (THEIR_TITLE, "<p>原正文。</p>")


def test_the_refused_form_offers_merge_and_overwrite(refused):
    _article, _client, _url, response = refused
    html = response.text

    assert re.search(
        r'<button[^>]*name="_edit_lock_resolution"[^>]*value="merge"[^>]*>合并后保存', html
    )
    assert re.search(
        r'<button[^>]*name="_edit_lock_resolution"[^>]*value="overwrite"[^>]*>以我的版本覆盖', html
    )
    assert "合并后保存" in errors_of(response) and "以我的版本覆盖" in errors_of(response)
    # Enter in a text field still means the plain 保存 (the first button of the form).
    assert html.index('name="_save"') < html.index('name="_edit_lock_resolution"')


def test_a_form_without_a_conflict_offers_no_resolution(client):
    _user, editor = editor_client("wangfang")
    article = ArticleFactory(draft=True)

    html = editor.get(change_url(article)).text

    assert "_edit_lock_resolution" not in html and "_edit_lock_seen" not in html


def test_merge_saves_the_merged_form(refused):
    article, li_client, url, response = refused

    saved = li_client.post(url, form_data(response, title=THEIR_TITLE, **MERGE))

    assert saved.status_code == 302
    assert stored(article) == (THEIR_TITLE, MY_BODY)
    assert "以我的版本覆盖" not in versions(article)[-1].revision.comment


def test_overwrite_saves_and_the_history_records_it(refused):
    article, li_client, url, response = refused

    saved = li_client.post(url, form_data(response, **OVERWRITE))

    assert saved.status_code == 302
    assert stored(article) == ("原标题", MY_BODY)
    comment = versions(article)[-1].revision.comment
    wang_save = versions(article)[-2].revision
    when = date_format(timezone.localtime(wang_save.date_created), "Y年n月j日 H:i")
    assert f"以我的版本覆盖了王芳（wangfang） 于 {when} 的修改" in comment
    history = li_client.get(reverse("admin:news_article_history", args=[article.pk])).text
    assert "以我的版本覆盖了王芳（wangfang）" in history


@pytest.mark.parametrize("resolution", [MERGE, OVERWRITE], ids=["merge", "overwrite"])
def test_a_third_save_meanwhile_refuses_merge_and_overwrite(refused, resolution):
    article, li_client, url, response = refused
    _zhang, zhang_client = editor_client("zhangwei", "张伟")
    assert (
        zhang_client.post(url, form_data(zhang_client.get(url), title="张伟的标题")).status_code
        == 302
    )

    again = li_client.post(url, form_data(response, **resolution))

    assert again.status_code == 200
    message = errors_of(again)
    assert CONFLICT in message and "张伟（zhangwei）" in message
    assert stored(article) == ("张伟的标题", "<p>原正文。</p>")
    assert textarea(again.text, "body") == MY_BODY
    # Still refused for a plain 保存; having seen 张伟's version too, the choice goes through.
    assert li_client.post(url, form_data(again)).status_code == 200
    assert li_client.post(url, form_data(again, **resolution)).status_code == 302
    assert article.__class__.objects.get(pk=article.pk).body == MY_BODY


@OTHER_LOCKED_MODELS
def test_schools_brands_and_awards_hold_the_refusal_until_overwrite(make, field, theirs, mine):
    obj, url, li_client, refused = refused_after_colleague(make, field, theirs, mine)
    assert refused.status_code == 200

    again = li_client.post(url, form_data(refused))

    assert again.status_code == 200
    assert CONFLICT in errors_of(again)
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs
    assert li_client.post(url, form_data(again, **OVERWRITE)).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == mine
    assert "以我的版本覆盖了王芳（wangfang）" in versions(obj)[-1].revision.comment
