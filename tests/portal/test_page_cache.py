"""Whole public pages from the shared cache: who gets them, what ends them, what they carry."""

from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path
from django.utils import timezone

from news import workflow
from news.models import Article, ArticleStatus
from portal import page_cache
from portal.page_cache import public_page
from tests.factories import (
    ArticleFactory,
    AwardFactory,
    BrandFactory,
    ChannelFactory,
    RoleUserFactory,
    SiteSettingsFactory,
)

pytestmark = pytest.mark.django_db


class District:
    """One channel, a school with its brand, two articles about them, every page that shows them."""

    def __init__(self):
        self.settings = SiteSettingsFactory(site_name="测试区教育系统党建网", review_levels=1)
        self.channel = ChannelFactory(name="工作动态", slug="gongzuo-dongtai")
        self.brand = BrandFactory(name="红烛先锋")
        self.school = self.brand.school
        self.article = self.publish("红烛先锋进社区", hours_ago=2)
        self.other = self.publish("另一篇文章", hours_ago=3)

    def publish(self, title, hours_ago=1, **fields):
        article = ArticleFactory(
            title=title,
            channel=self.channel,
            brand=self.brand,
            tags=["志愿服务"],
            publish_at=timezone.now() - timedelta(hours=hours_ago),
            **fields,
        )
        article.schools.add(self.school)
        return article

    def pages(self):
        """Every page that shows the first article: {name: URL}."""
        return {
            "home": "/",
            "channel": self.channel.get_absolute_url(),
            "article": self.article.get_absolute_url(),
            "tag": "/news/tags/zhi-yuan-fu-wu/",
            "school": self.school.get_absolute_url(),
            "brand": self.brand.get_absolute_url(),
            "sidebar on another article": self.other.get_absolute_url(),
        }


@pytest.fixture
def district():
    return District()


@pytest.fixture(params=[True, False], ids=["pages cached", "blocks only"])
def page_cache_mode(request, settings):
    """With the page cache on, and off (the blocks and list items are still kept)."""
    settings.PAGE_CACHE_ENABLED = request.param


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def warm(client, district):
    """Every page requested once, so that the next request would come from the cache."""
    for url in district.pages().values():
        html(client, url)


def test_an_anonymous_page_comes_from_the_cache_with_validators(
    client, district, django_assert_num_queries
):
    first = client.get("/")
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert "Last-Modified" in again
    assert "public" in again["Cache-Control"]
    assert "max-age=10" in again["Cache-Control"]

    unchanged = client.get("/", HTTP_IF_NONE_MATCH=again["ETag"])
    assert unchanged.status_code == 304
    assert unchanged.content == b""


def test_a_cached_page_says_its_length(client, district):
    client.get("/")
    again = client.get("/")
    # Without it the server sends the page in chunks.
    assert again["Content-Length"] == str(len(again.content))


def test_a_cached_page_answers_conditional_requests_itself(
    client, district, django_assert_num_queries
):
    first = client.get("/")
    with django_assert_num_queries(0):
        by_date = client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        other = client.get("/", HTTP_IF_NONE_MATCH='"something-else"')
        changed = client.get("/", HTTP_IF_MATCH='"something-else"')
    assert by_date.status_code == 304 and by_date.content == b""
    assert other.status_code == 200 and other.content == first.content
    assert changed.status_code == 412


def test_a_page_built_without_the_page_cache_answers_conditional_requests(
    client, district, settings
):
    settings.PAGE_CACHE_ENABLED = False
    first = client.get("/")
    assert first["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_parameters_a_page_does_not_read_share_its_entry(
    client, district, django_assert_num_queries
):
    for n in range(25):
        district.publish(f"翻页文章{n}")
    url = district.channel.get_absolute_url()
    html(client, f"{url}?page=2")
    with django_assert_num_queries(0):
        shared = client.get(f"{url}?page=2&from=singlemessage&isappinstalled=0")
    body = shared.content.decode()
    assert "翻页文章" in body
    # The page never saw the tracking parameters, so its links do not spread them.
    assert "singlemessage" not in body
    # A parameter the page reads is a different page.
    assert "翻页文章24" in html(client, url)


def change_unseen(district, title):
    """Change the article without telling the cache (``update()`` sends no signal)."""
    type(district.article).objects.filter(pk=district.article.pk).update(title=title)


def test_staff_get_fresh_pages_and_fill_nothing(client, district, monkeypatch):
    staff = Client()
    staff.force_login(RoleUserFactory(username="editor", roles=["编辑"]))
    url = district.article.get_absolute_url()
    html(client, url)  # cached for the public
    change_unseen(district, "编辑刚改的标题")
    assert "编辑刚改的标题" not in html(client, url)  # the public copy

    stored = []
    monkeypatch.setattr(page_cache, "_freeze", lambda response: stored.append(response))
    staff_page = staff.get(url)
    assert "编辑刚改的标题" in staff_page.content.decode()
    assert "private" in staff_page["Cache-Control"]
    assert "public" not in staff_page["Cache-Control"]
    assert stored == []


def test_a_messages_cookie_is_served_fresh(client, district):
    url = district.article.get_absolute_url()
    stored = client.get(url)
    assert "Last-Modified" in stored and "public" in stored["Cache-Control"]
    client.cookies["messages"] = "anything"
    fresh = client.get(url)
    # Built for this reader (the page cache sets Last-Modified on what it keeps), kept by nobody.
    assert "Last-Modified" not in fresh and "private" in fresh["Cache-Control"]
    assert fresh.content == stored.content


def change_publish(district):
    district.publish("新发布的文章", hours_ago=0)
    return "新发布的文章", True


def change_withdraw(district):
    district.article.status = ArticleStatus.WITHDRAWN
    district.article.save()
    return "红烛先锋进社区", False


def change_edit(district):
    district.article.title = "红烛先锋走进社区"
    district.article.save()
    return "红烛先锋走进社区", True


def change_flag_in_bulk(district):
    type(district.article).objects.filter(pk=district.article.pk).set_placement(is_recommended=True)
    return None, None


def change_approved_pending(district):
    author = RoleUserFactory(username="author", roles=["编辑"])
    reviewer = RoleUserFactory(username="final", roles=["审核员"], review_levels=[1])
    content = {"title": "修改稿通过后的标题", "tags": "志愿服务"}
    workflow.propose_change(district.article, author, content)
    workflow.perform("approve", district.article, reviewer)
    return "修改稿通过后的标题", True


CHANGES = [change_publish, change_withdraw, change_edit, change_approved_pending]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_an_article_change_shows_on_every_page_at_once(client, district, change, page_cache_mode):
    pages = district.pages()
    warm(client, district)
    title, shown = change(district)
    if not shown:
        pages.pop("article")  # withdrawn: its own page is gone (404)
        assert client.get(district.article.get_absolute_url()).status_code == 404
    for name, url in pages.items():
        if title == "新发布的文章" and name == "article":
            continue  # another article's page does not list it
        assert (title in html(client, url)) is shown, name


def test_a_bulk_flag_change_shows_at_once(client, district):
    html(client, "/news/archive/")
    assert "热点推荐" in html(client, "/news/archive/")
    before = html(client, district.other.get_absolute_url())
    change_flag_in_bulk(district)
    after = html(client, district.other.get_absolute_url())
    recommended = after.split("热点推荐", 1)[1]
    assert "红烛先锋进社区" in recommended
    assert before != after


def test_a_scheduled_article_appears_when_its_time_comes(client, district, monkeypatch):
    now = timezone.now()
    district.publish("定时发布的文章", hours_ago=-1)  # an hour from now
    warm(client, district)
    assert "定时发布的文章" not in html(client, "/")

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1, seconds=1))
    for name, url in district.pages().items():
        if name == "article":
            continue
        assert "定时发布的文章" in html(client, url), name


def test_nothing_is_kept_beyond_the_next_scheduled_publication(district):
    when = timezone.now() + timedelta(minutes=3)
    ArticleFactory(channel=district.channel, publish_at=when)
    page_cache.bump()
    generation = page_cache.current_generation()
    assert generation.ends_at == when
    assert generation.seconds_left() <= 180


def rename_channel(district):
    district.channel.name = "党建动态"
    district.channel.save()
    return "党建动态", ["home", "channel", "article", "school", "brand"]


def rename_tag(district):
    tag = district.article.tags.get()
    tag.name = "志愿者服务"
    tag.save()
    return "志愿者服务", ["article", "tag", "sidebar on another article"]


def rename_school(district):
    district.school.name = "测试区实验小学"
    district.school.save()
    return "测试区实验小学", ["article", "school", "brand"]


def edit_brand(district):
    district.brand.slogan = "一名党员一面旗"
    district.brand.save()
    return "一名党员一面旗", ["home", "brand", "school"]


def add_award(district):
    AwardFactory(school=district.school, title="全区党建工作示范校")
    return "全区党建工作示范校", ["school"]


def change_footer(district):
    district.settings.icp_number = "测ICP备12345678号"
    district.settings.save()
    return "测ICP备12345678号", list(district.pages())


@pytest.mark.parametrize(
    "change",
    [rename_channel, rename_tag, rename_school, edit_brand, add_award, change_footer],
    ids=lambda change: change.__name__,
)
def test_other_public_changes_show_at_once(client, district, change, page_cache_mode):
    warm(client, district)
    text, names = change(district)
    pages = district.pages()
    if change is rename_tag:
        pages["tag"] = "/news/tags/zhi-yuan-fu-wu/"
    for name in names:
        assert text in html(client, pages[name]), name


def test_a_draft_saved_leaves_the_cache_alone(client, district):
    html(client, "/")
    before = page_cache.current_generation().token
    draft = ArticleFactory(channel=district.channel, draft=True)
    draft.title = "还在写的稿子"
    draft.save()
    assert page_cache.current_generation().token == before


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, settings, tmp_path):
    """Two app servers' views of one shared cache: two connections to one store."""
    if request.param == "file":
        settings.CACHES = {
            "default": {"BACKEND": "portal.caches.FileBasedCache", "LOCATION": str(tmp_path)}
        }
    else:
        redis = pytest.importorskip("redis")
        url = "redis://127.0.0.1:6379/15"
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            pytest.fail("Redis is not answering on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": request.node.nodeid,
            }
        }
    own = caches["default"]
    servers = [caches.create_connection("default") for _ in range(2)]
    yield servers
    servers[0].clear()
    on_server(own)


def on_server(server):
    """Route this process's cache through one server's connection."""
    caches._connections.default = server


def test_two_app_servers_agree(district, shared_cache, django_assert_num_queries):
    first, second = shared_cache
    url = district.article.get_absolute_url()
    on_server(first)
    html(Client(), url)
    on_server(second)
    with django_assert_num_queries(0):
        html(Client(), url)  # the first server's page, from the shared store
    district.article.title = "第二台服务器上改的标题"
    district.article.save()
    on_server(first)
    assert "第二台服务器上改的标题" in html(Client(), url)


def test_every_model_is_watched_or_declared_private():
    """A new model must say whether public pages show it: watched (portal.page_cache.watch in
    its app's ready()) or listed in the app's ``private_models``."""
    from django.apps import apps
    from django.db.models.signals import post_save

    for label in ("news", "brands", "portal"):
        config = apps.get_app_config(label)
        for model in config.get_models():
            uid = f"portal.page_cache.{model._meta.label_lower}.save"
            watched = any(entry[0][0] == uid for entry in post_save.receivers)
            assert watched != (model.__name__ in config.private_models), model._meta.label


def csrf_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


urlpatterns = [path("form/", public_page(csrf_form))]


@pytest.mark.urls(__name__)
def test_a_page_with_a_csrf_token_is_never_stored():
    first = Client().get("/form/")
    second = Client().get("/form/")
    assert first.content != second.content
    assert "csrftoken" in second.cookies


def test_list_items_are_rendered_once_per_generation(client, district, settings):
    settings.PAGE_CACHE_ENABLED = False
    item = "includes/article_item.html"
    first = client.get(district.channel.get_absolute_url())
    assert item in [template.name for template in first.templates]

    again = client.get(district.channel.get_absolute_url())

    assert item not in [template.name for template in again.templates]
    assert "红烛先锋进社区" in again.content.decode()


def test_honours_are_rendered_once_per_generation(client, district, settings):
    settings.PAGE_CACHE_ENABLED = False
    AwardFactory(school=district.school, title="先进基层党组织")
    item = "includes/award_item.html"
    first = client.get("/awards/")
    assert item in [template.name for template in first.templates]

    school_page = client.get(district.school.get_absolute_url())  # the same honour, elsewhere

    assert item not in [template.name for template in school_page.templates]
    assert "先进基层党组织" in school_page.content.decode()


def test_a_filter_form_is_rendered_once_per_generation_and_set_of_values(
    client, district, settings
):
    settings.PAGE_CACHE_ENABLED = False
    form = "includes/filter_form.html"
    rendered = [t.name for t in client.get("/awards/").templates]
    assert form in rendered
    assert form not in [t.name for t in client.get("/awards/").templates]

    chosen = client.get("/awards/", {"school": district.school.slug})

    assert form in [t.name for t in chosen.templates]
    assert f'<option value="{district.school.slug}" selected>' in chosen.content.decode()


def test_an_article_page_is_built_from_one_lookup_per_generation(
    client, district, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    url = district.article.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert "红烛先锋进社区" in again.content.decode()


def test_a_request_reads_the_generation_once(client, district, settings, monkeypatch):
    settings.PAGE_CACHE_ENABLED = False
    url = district.article.get_absolute_url()
    client.get(url)
    asked = []
    stored = page_cache._stored_generation
    monkeypatch.setattr(page_cache, "_stored_generation", lambda: asked.append(1) or stored())
    client.get(url)  # site settings, channels, the article, the sidebar: blocks of one generation
    assert len(asked) == 1


def test_a_request_looks_up_each_block_once(client, district, settings, monkeypatch):
    settings.PAGE_CACHE_ENABLED = False
    url = district.channel.get_absolute_url()
    client.get(url)
    looked_up = []

    class Spy:
        def __getattr__(self, name):
            return getattr(cache, name)

        def get(self, key, *args):
            looked_up.append(key)
            return cache.get(key, *args)

    monkeypatch.setattr(page_cache, "cache", Spy())
    assert "红烛先锋进社区" in client.get(url).content.decode()
    # The channel tree is asked for by the view, the navigation and the list's sub-channels.
    blocks = [key for key in looked_up if key.startswith("portal:block:")]
    assert blocks and len(blocks) == len(set(blocks))


def test_a_channel_page_is_built_from_kept_blocks_without_building_its_query(
    client, district, settings, monkeypatch, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    url = district.channel.get_absolute_url()
    client.get(url)
    monkeypatch.setattr(
        Article.objects, "published", lambda: pytest.fail("the list's query was built")
    )
    with django_assert_num_queries(0):
        again = client.get(url)
    assert "红烛先锋进社区" in again.content.decode()


def test_a_change_during_a_request_is_seen_by_the_rest_of_it(district):
    memo = page_cache._request_memo.set(page_cache._Memo())
    try:
        before = page_cache.current_generation()
        page_cache.bump()
        assert page_cache.current_generation().token != before.token
    finally:
        page_cache._request_memo.reset(memo)


def test_the_header_marks_the_current_entry_and_is_rendered_once_per_entry(
    client, district, settings
):
    settings.PAGE_CACHE_ENABLED = False
    channel_url = district.channel.get_absolute_url()
    current = f'<a href="{channel_url}" aria-current="page">工作动态</a>'
    first = client.get(channel_url)
    assert current in first.content.decode()
    assert "includes/header.html" in [t.name for t in first.templates]

    article = client.get(district.article.get_absolute_url())
    assert 'aria-current="page">' not in article.content.decode().split("</nav>")[0]
    assert f'<a href="{channel_url}">工作动态</a>' in article.content.decode()

    again = client.get(channel_url, {"page": 1})
    assert "includes/header.html" not in [t.name for t in again.templates]
    assert current in again.content.decode()
    assert "includes/footer.html" not in [t.name for t in again.templates]
    assert "测试区教育系统党建网" in again.content.decode().split('class="site-footer"')[1]


def test_an_error_page_without_the_request_leaves_the_kept_header_and_footer_alone(
    client, district, settings, rf
):
    from django.views.defaults import server_error

    settings.PAGE_CACHE_ENABLED = False
    error = server_error(rf.get("/"))  # rendered without the request and its context
    assert error.status_code == 500
    assert "首页" in error.content.decode()

    html = client.get(district.channel.get_absolute_url()).content.decode()
    assert "测试区教育系统党建网" in html.split('class="site-footer"')[1]
    assert f'<a href="{district.channel.get_absolute_url()}" aria-current="page">' in html


def test_an_articles_main_block_is_kept_for_readers_and_built_for_a_preview(
    client, district, settings
):
    settings.PAGE_CACHE_ENABLED = False
    url = district.article.get_absolute_url()
    assert "红烛先锋进社区" in html(client, url)
    change_unseen(district, "没有告诉缓存的标题")
    assert "没有告诉缓存的标题" not in html(client, url).split('class="news-layout"')[1]

    district.article.title = "告诉了缓存的标题"
    district.article.save()
    assert "告诉了缓存的标题" in html(client, url).split('class="news-layout"')[1]

    draft = district.publish("草稿的标题", status=ArticleStatus.DRAFT)
    staff = Client()
    staff.force_login(RoleUserFactory(username="editor", roles=["编辑"]))
    preview = staff.get(draft.get_absolute_url()).content.decode()
    assert "预览：这篇文章尚未公开" in preview
    type(draft).objects.filter(pk=draft.pk).update(title="草稿改过的标题")
    assert "草稿改过的标题" in staff.get(draft.get_absolute_url()).content.decode()
