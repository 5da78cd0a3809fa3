"""Revisions in the admin (issue 5, "nothing lost"): every save is a revision with the user and
a comment; the history lists them, compares any two and restores one as a new revision;
deleted objects come back from 恢复已删除的…; restores are in the audit log."""

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from reversion.models import Version

from brands.models import Award, Brand, BrandImage, School
from news.models import Article, ArticleAttachment
from portal.models import AuditAction, AuditLogEntry
from portal.revisions import DEFAULT_COMMENT, AdminRevisionMiddleware
from tests.factories import (
    ArticleAttachmentFactory,
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


@pytest.fixture
def editor(client):
    # Holding the last review level, their school and brand changes apply at once.
    user = SuperuserFactory(username="wangfang", first_name="王芳", review_levels=[1])
    client.force_login(user)
    return user


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def save_in_admin(client, obj, **changes):
    url = admin_url(obj, "change")
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def initial_revision(obj, user):
    """As if ``obj`` had been created in the admin."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("初始版本")
        reversion.add_to_revision(obj)


def versions(obj):
    """Newest first."""
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (lambda: ArticleFactory(draft=True), "title", "区教育局召开党建工作推进会"),
        (SchoolFactory, "introduction", "学校创办于1952年。"),
        (BrandFactory, "slogan", "一名党员一面旗"),
        (AwardFactory, "title", "市级先进基层党组织"),
    ],
    ids=["article", "school", "brand", "award"],
)
def test_a_save_in_the_admin_is_a_revision_with_user_and_comment(
    client, editor, make, field, value
):
    obj = make()

    save_in_admin(client, obj, **{field: value})

    [version] = versions(obj)
    assert version.revision.user == editor
    assert version.revision.comment  # the admin's change message, e.g. 已修改 标题。
    assert "已修改" in version.revision.comment
    assert version.field_dict[field] == value


def test_a_change_sent_to_review_is_a_revision_of_the_unchanged_profile_saying_so(client):
    client.force_login(SuperuserFactory(username="lilei"))  # no review level: changes wait
    school = SchoolFactory(introduction="原来的简介。")

    save_in_admin(client, school, introduction="学校创办于1952年。")

    [version] = versions(school)
    assert version.field_dict["introduction"] == "原来的简介。"
    assert "已送审" in version.revision.comment


def test_the_models_are_registered_with_what_they_carry():
    assert all(
        reversion.is_registered(model)
        for model in (Article, ArticleAttachment, School, Brand, BrandImage, Award)
    )


def test_an_article_revision_carries_its_attachments_and_tags(client, editor):
    article = ArticleFactory(draft=True, tags=["主题党日"])
    attachment = ArticleAttachmentFactory(article=article, title="活动方案.pdf")

    save_in_admin(client, article, title="新标题")

    revision = versions(article)[0].revision
    saved = {(v.content_type.model, v.object_id) for v in revision.version_set.all()}
    assert ("articleattachment", str(attachment.pk)) in saved
    assert any(model == "taggedarticle" for model, _pk in saved)


def test_a_brand_revision_carries_its_gallery(client, editor):
    brand = BrandFactory()
    image = BrandImageFactory(brand=brand, caption="党员先锋岗")

    save_in_admin(client, brand, slogan="新口号")

    revision = versions(brand)[0].revision
    [gallery] = revision.version_set.filter(content_type__model="brandimage")
    assert gallery.object_id == str(image.pk)
    assert gallery.field_dict["caption"] == "党员先锋岗"


def test_the_history_lists_every_revision_with_user_and_comment(client, editor):
    article = ArticleFactory(draft=True, title="第一版")
    save_in_admin(client, article, title="第二版")
    save_in_admin(client, article, title="第三版")

    response = client.get(admin_url(article, "history"))

    assert response.status_code == 200
    html = response.text
    assert html.count('name="version_id1"') == 2
    assert "wangfang" in html and "王芳" in html
    assert "已修改标题" in html
    assert "对比" in html  # the compare button, in Chinese


def test_compare_shows_the_difference_between_two_revisions(client, editor):
    article = ArticleFactory(draft=True, title="旧标题", body="<p>原来的第一段。</p>")
    initial_revision(article, editor)
    save_in_admin(client, article, title="新标题", body="<p>原来的第一段。</p><p>新加的一段。</p>")
    save_in_admin(client, article, summary="只改了摘要")
    newest, _middle, first = versions(article)

    response = client.get(
        admin_url(article, "compare"),
        {"version_id1": first.pk, "version_id2": newest.pk},
    )

    assert response.status_code == 200
    html = response.text
    assert "对比" in html and "的版本" in html
    assert "<del>- 旧标题</del>" in html and "<ins>+ 新标题</ins>" in html
    # The body is shown as escaped HTML source, block by block, never rendered.
    assert "&lt;p&gt;新加的一段。&lt;/p&gt;" in html
    assert "<p>新加的一段。</p>" not in html
    assert "只改了摘要" in html
    # Unchanged fields, timestamps and relations nobody edited are not listed.
    content = html.split('id="content"')[1]
    assert "<h3>修改时间</h3>" not in content
    assert "<h3>栏目" not in content
    assert "<h3>标题</h3>" in content


def test_compare_shows_changed_tags(client, editor):
    article = ArticleFactory(draft=True, tags=["主题党日"])
    save_in_admin(client, article, tags="主题党日")
    save_in_admin(client, article, tags="主题党日, 志愿服务")
    newest, older = versions(article)[:2]

    response = client.get(
        admin_url(article, "compare"), {"version_id1": older.pk, "version_id2": newest.pk}
    )

    assert "<ins>, 志愿服务</ins>" in response.text or "志愿服务</ins>" in response.text


def test_restoring_a_revision_saves_it_as_a_new_revision(client, editor):
    article = ArticleFactory(draft=True, title="最初的标题", body="<p>最初的正文。</p>")
    initial_revision(article, editor)
    save_in_admin(client, article, title="第一次保存")
    save_in_admin(client, article, title="第二次保存", body="<p>改过的正文。</p>")
    first_save = versions(article)[1]
    url = admin_url(article, "revision", first_save.pk)

    page = client.get(url)
    assert page.status_code == 200
    assert 'value="第一次保存"' in page.text  # the form shows the old version
    article.refresh_from_db()
    assert article.title == "第二次保存"  # looking does not restore
    response = client.post(url, form_data(page))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "第一次保存"
    assert article.body == "<p>最初的正文。</p>"
    assert len(versions(article)) == 4  # nothing replaced: one more revision
    newest = versions(article)[0]
    assert newest.field_dict["title"] == "第一次保存"
    assert newest.revision.user == editor
    assert newest.revision.comment.startswith("恢复到")
    [entry] = AuditLogEntry.objects.filter(action=AuditAction.RESTORE)
    assert entry.actor == editor
    assert entry.object_id == str(article.pk)
    assert entry.comment.startswith("恢复到")


def test_a_deleted_article_is_recovered_with_its_attachments(client, editor):
    article = ArticleFactory(draft=True, title="误删的文章")
    ArticleAttachmentFactory(article=article, title="附件一.pdf")
    article_pk = article.pk
    # Never saved since revisions were switched on: the deletion takes the snapshot.
    assert not versions(article)

    response = client.post(admin_url(article, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article_pk).exists()

    changelist = client.get(reverse("admin:news_article_changelist"))
    recover_list_url = reverse("admin:news_article_recoverlist")
    assert recover_list_url in changelist.text
    assert "恢复已删除的文章" in changelist.text
    listing = client.get(recover_list_url)
    assert "误删的文章" in listing.text
    [deleted] = Version.objects.get_deleted(Article)
    recover_url = reverse("admin:news_article_recover", args=[deleted.pk])
    assert recover_url in listing.text

    response = client.post(recover_url, form_data(client.get(recover_url)))

    assert response.status_code == 302
    recovered = Article.objects.get(pk=article_pk)
    assert recovered.title == "误删的文章"
    assert [a.title for a in recovered.attachments.all()] == ["附件一.pdf"]
    restore = AuditLogEntry.objects.get(action=AuditAction.RESTORE)
    assert restore.object_id == str(article_pk)
    assert restore.comment.startswith("恢复已删除的文章")
    assert AuditLogEntry.objects.filter(action=AuditAction.DELETE, object_id=str(article_pk))


def test_objects_deleted_with_the_bulk_action_are_recoverable(client, editor):
    """The list page's action runs inside a revision of its own: the snapshot still lands."""
    awards = AwardFactory.create_batch(2)

    response = client.post(
        reverse("admin:brands_award_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(award.pk) for award in awards],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Award.objects.exists()
    deleted = Version.objects.get_deleted(Award)
    assert {v.object_id for v in deleted} == {str(award.pk) for award in awards}
    assert all(v.revision.user == editor for v in deleted)


def test_the_import_export_list_keeps_its_buttons_and_gets_the_recover_link(client, editor):
    html = client.get(reverse("admin:brands_school_changelist")).text

    assert reverse("admin:brands_school_recoverlist") in html
    assert reverse("admin:brands_school_import") in html
    assert reverse("admin:brands_school_export") in html


def staff_with(*codenames):
    user = StaffFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_only_those_who_may_delete_may_recover(client):
    client.force_login(staff_with("view_award", "add_award", "change_award"))

    assert client.get(reverse("admin:brands_award_recoverlist")).status_code == 403
    assert "恢复已删除的" not in client.get(reverse("admin:brands_award_changelist")).text


def test_history_compare_and_restore_need_the_object_permissions(client, editor):
    article = ArticleFactory(draft=True, title="原标题")
    save_in_admin(client, article, title="第二版")
    save_in_admin(client, article, title="第三版")
    newest, older = versions(article)[:2]
    outsider = staff_with("view_award")
    client.force_login(outsider)

    compare = client.get(
        admin_url(article, "compare"), {"version_id1": older.pk, "version_id2": newest.pk}
    )
    revision_url = admin_url(article, "revision", older.pk)
    restore = client.post(revision_url, {"title": "第二版", "_save": "保存"})

    assert compare.status_code == 403
    assert client.get(admin_url(article, "history")).status_code in (302, 403)
    assert restore.status_code in (302, 403)  # not found for them, or refused
    article.refresh_from_db()
    assert article.title == "第三版"
    assert not AuditLogEntry.objects.filter(action=AuditAction.RESTORE).exists()


def test_a_viewer_may_look_at_the_history_but_not_restore(client, editor):
    award = AwardFactory(title="原名称")
    save_in_admin(client, award, title="第二版")
    save_in_admin(client, award, title="第三版")
    older = versions(award)[1]
    client.force_login(staff_with("view_award", "all_schools"))  # awards are kept to schools

    history = client.get(admin_url(award, "history"))
    restore = client.post(admin_url(award, "revision", older.pk), {"_save": "保存"})

    assert history.status_code == 200
    assert "第二版" in history.text or "已修改" in history.text
    assert restore.status_code == 403
    award.refresh_from_db()
    assert award.title == "第三版"
    assert not AuditLogEntry.objects.filter(action=AuditAction.RESTORE).exists()


def test_any_admin_post_that_saves_leaves_a_revision(editor):
    """A workflow button (or any other admin view) that saves without asking for a revision
    still leaves one, with the user and a comment."""
    article = ArticleFactory(draft=True)

    def transition_view(request):
        article.status = "submitted"
        article.save()
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().post(
        reverse("admin:news_article_change", args=[article.pk]), {"_workflow": "submit"}
    )
    request.user = editor
    AdminRevisionMiddleware(transition_view)(request)

    [version] = versions(article)
    assert version.revision.user == editor
    assert version.revision.comment == str(DEFAULT_COMMENT)
    assert version.field_dict["status"] == "submitted"


def test_public_posts_are_not_wrapped(editor):
    article = ArticleFactory()

    def view(request):
        assert not reversion.is_active()
        article.save()
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().post(f"/news/{article.pk}/view/")
    request.user = editor
    AdminRevisionMiddleware(view)(request)

    assert not versions(article)
