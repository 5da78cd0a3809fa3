"""搜索: Chinese words found by their parts and in any context, only in public articles, on
SQLite and on PostgreSQL alike (run this module with DATABASE_URL for the second)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news import search
from news.models import Article, ArticleStatus, PendingChange
from tests.factories import (
    ArticleFactory,
    BrandFactory,
    ChannelFactory,
    SchoolFactory,
    SiteSettingsFactory,
)

pytestmark = pytest.mark.django_db

# key: (title, summary, body, tags)
CORPUS = {
    "jiaxiao": ("家校共育推进会召开", "", "各校交流在家校共育方面的做法。", ["家校共育"]),
    "jiaxiao2": ("家长学校开学", "", "今年秋季开展家校共育系列讲座。", []),
    "kehou": ("课后服务全覆盖", "", "全区小学课后服务实现全覆盖，学生自愿参加。", []),
    "jituan": ("集团化办学三周年", "", "集团化办学让优质资源共享。", []),
    "dangjian": ("党建引领学校发展", "", "坚持党建引领，落实立德树人根本任务。", []),
    "sanhui": ("严格落实三会一课制度", "", "各支部按时召开支委会和党员大会。", ["三会一课"]),
    "zhuti": ("开展主题党日活动", "", "党员走进社区参加志愿服务。", []),
    "shuangjian": ("双减政策落地见效", "", "作业总量和时长明显减少。", []),
    "sizheng": ("思政课一体化建设研讨", "", "大中小学思政课教师同台说课。", []),
    "hongse": ("红色研学之旅", "", "学生赴革命纪念馆开展红色研学。", []),
    "ai": ("AI课堂走进校园", "", "人工智能课程在四年级开设。", []),
    "shuxiang": ("书香校园建设", "", "开展经典诵读和阅读推广活动。", []),
    "anquan": ("开展消防演练", "", "全体师生参加应急疏散演练。", []),
    "laodong": ("劳动教育基地揭牌", "", "学生在基地种植蔬菜。", []),
    "shide": ("师德师风专题培训", "", "全体教师签订师德承诺书。", []),
    "school": ("文昌小学举行升旗仪式", "", "少先队员在国旗下讲话。", []),
    # Names the school in full, without being linked to it.
    "wenchang": ("青湾区文昌小学开展主题党日活动", "", "党员教师重温入党誓词。", []),
    "brand": ("红烛先锋岗启动", "", "党员教师亮身份作表率。", []),
    "v3": ("数学教研活动", "", "围绕新课标开展同课异构，共 3 节课。", []),
}

# query → keys that must all be found (and nothing else among the first five)
RELEVANCE = {
    "家校共育": {"jiaxiao", "jiaxiao2"},
    "在家校共育": {"jiaxiao", "jiaxiao2"},
    "家校共育推进会": {"jiaxiao"},
    "课后服务": {"kehou"},
    "课后": {"kehou"},
    "集团化办学": {"jituan"},
    "集团化": {"jituan"},
    "党建引领": {"dangjian"},
    "立德树人": {"dangjian"},
    "三会一课": {"sanhui"},
    "支委会": {"sanhui"},
    "主题党日": {"zhuti", "wenchang"},
    "志愿服务": {"zhuti"},
    "双减": {"shuangjian"},
    "双减 作业": {"shuangjian"},
    "思政课": {"sizheng"},
    "思政课 一体化": {"sizheng"},
    "红色研学": {"hongse"},
    "革命纪念馆": {"hongse"},
    "AI 课堂": {"ai"},
    "ai": {"ai"},
    "ＡＩ": {"ai"},
    "ＡＩ课堂": {"ai"},
    "人工智能": {"ai"},
    "书香校园": {"shuxiang"},
    "经典诵读": {"shuxiang"},
    "阅读推广": {"shuxiang"},
    "消防演练": {"anquan"},
    "应急": {"anquan"},
    "劳动教育": {"laodong"},
    "蔬菜": {"laodong"},
    "师德师风": {"shide"},
    "师德": {"shide"},
    "青湾区文昌小学": {"school", "wenchang"},
    "文昌小学": {"school", "wenchang"},
    # 文昌小学, a name in the dictionary, is found inside the full name (a longer word).
    "文昌小学 主题党日": {"wenchang"},
    "升旗仪式": {"school"},
    "红烛先锋岗": {"brand"},
    "红烛先锋岗！": {"brand"},
    "“党建引领”，": {"dangjian"},
    "新课标 同课异构": {"v3"},
    "教研活动": {"v3"},
    "少先队员": {"school"},
}


@pytest.fixture
def corpus(django_capture_on_commit_callbacks):
    SiteSettingsFactory()
    channel = ChannelFactory(name="工作动态", slug="gongzuo-dongtai")
    with django_capture_on_commit_callbacks(execute=True):
        school = SchoolFactory(name="青湾区文昌小学", short_name="文昌小学")
        brand = BrandFactory(school=SchoolFactory(), name="红烛先锋岗")
        articles = {}
        for key, (title, summary, body, tags) in CORPUS.items():
            articles[key] = ArticleFactory(
                channel=channel, title=title, summary=summary, body=f"<p>{body}</p>", tags=tags
            )
        articles["school"].schools.add(school)
        articles["brand"].brand = brand
        articles["brand"].save()
    return articles


def found(query, **kwargs):
    page = search.results_page(query, Article.objects.published(), **kwargs)
    return [article.pk for article in page.object_list]


def keys(articles, pks):
    by_pk = {article.pk: key for key, article in articles.items()}
    return [by_pk.get(pk, pk) for pk in pks]


def test_relevance_set(corpus):
    assert len(RELEVANCE) >= 40
    failures = {}
    for query, wanted in RELEVANCE.items():
        got = keys(corpus, found(query))
        if not wanted <= set(got) or not set(got[:5]) <= wanted:
            failures[query] = got
    assert failures == {}


def test_unrelated_words_find_nothing(corpus):
    for query in ["航天", "足球联赛", "xyz", "<script>", "，。！", ""]:
        assert found(query) == [], query


def test_title_ranks_above_body(corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        in_body = ArticleFactory(title="学校新闻", body="<p>提到一次课后服务。</p>")
    pks = found("课后服务")
    assert pks.index(corpus["kehou"].pk) < pks.index(in_body.pk)


def test_newest_sort(corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        older = ArticleFactory(title="课后服务调研", publish_at=timezone.now() - timedelta(days=9))
    assert found("课后服务", newest=True) == [corpus["kehou"].pk, older.pk]


def test_only_the_newest_matches_are_ranked(
    corpus, django_capture_on_commit_callbacks, monkeypatch
):
    """Past RANK_LIMIT matches, the older ones follow the ranked ones, newest first."""
    from news.search import backends

    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        oldest_best = ArticleFactory(title="课后服务", publish_at=now - timedelta(days=30))
        old = ArticleFactory(
            title="学校新闻", body="<p>课后服务</p>", publish_at=now - timedelta(days=20)
        )
    # Ranked: the two with it in the title first, though one is the oldest.
    assert set(found("课后服务")[:2]) == {oldest_best.pk, corpus["kehou"].pk}
    monkeypatch.setattr(backends, "RANK_LIMIT", 1)
    assert found("课后服务") == [corpus["kehou"].pk, old.pk, oldest_best.pk]
    page = search.results_page("课后服务", Article.objects.published(), number=2)
    assert (page.number, page.paginator.count) == (1, 3)  # past the last page: the last


def test_unpublished_never_found(corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="草稿里的航天课", draft=True)
        ArticleFactory(title="定时发布的航天课", scheduled=True)
        ArticleFactory(title="撤稿的航天课", status=ArticleStatus.WITHDRAWN)
        PendingChange.objects.create(
            article=corpus["kehou"], content={"title": "待审的航天课", "body": "<p>航天</p>"}
        )
        corpus["kehou"].save()
    assert found("航天") == []


def test_published_found_and_withdrawn_gone_at_once(corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="航天科普进校园", draft=True)
    assert found("航天") == []
    with django_capture_on_commit_callbacks(execute=True):
        article.status = ArticleStatus.PUBLISHED
        article.save()
    assert found("航天") == [article.pk]
    # Withdrawn without the index being told (no signal): the query itself leaves it out.
    Article.objects.filter(pk=article.pk).update(status=ArticleStatus.WITHDRAWN)
    assert found("航天") == []


def test_scheduled_found_when_its_time_comes(corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="航天科普进校园", scheduled=True)
    assert found("航天") == []
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert found("航天") == [article.pk]


def test_stale_index_never_shows_unpublished(corpus):
    """Even when the index still holds them (a change the signals missed), the query's own
    ``published()`` leaves unpublished articles out."""
    hidden = [
        ArticleFactory(title="草稿里的航天课", draft=True),
        ArticleFactory(title="定时发布的航天课", scheduled=True),
        ArticleFactory(title="撤稿的航天课", status=ArticleStatus.WITHDRAWN),
    ]
    for article in hidden:
        search.backend().index(article.pk, *search.document(article))
    assert found("航天") == []
    Article.objects.filter(pk=hidden[1].pk).update(publish_at=timezone.now())
    assert found("航天") == [hidden[1].pk]


def test_renamed_school_is_found_by_its_new_name(corpus, django_capture_on_commit_callbacks):
    school = corpus["school"].schools.get()
    with django_capture_on_commit_callbacks(execute=True):
        school.name, school.short_name = "青湾未来学校", "未来实小"
        school.save()
    assert keys(corpus, found("青湾未来学校")) == ["school"]
    assert keys(corpus, found("未来实小")) == ["school"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_reindex_command(corpus, jobs):
    from django.core.management import call_command

    search.backend().clear()
    assert found("课后服务") == []
    # With worker processes, which cut with this process's dictionary (the school's name).
    call_command("reindex_search", jobs=jobs, verbosity=0)
    assert keys(corpus, found("课后服务")) == ["kehou"]
    assert set(keys(corpus, found("文昌小学"))) == {"school", "wenchang"}


def test_page_highlights_escaped(client, corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="<b>课后服务</b>的做法", body="<p>谈&lt;script&gt;课后服务</p>")
    response = client.get("/search/", {"q": "课后服务"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>课后服务</mark>全覆盖" in html
    assert "&lt;b&gt;<mark>课后服务</mark>&lt;/b&gt;" in html
    assert "&lt;script&gt;<mark>课后服务</mark>" in html
    assert "<script>课后服务" not in html
    assert "找到 2 篇" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "课后服务" * 200},
        {"q": "<script>alert(1)</script>"},
        {"q": "！@#￥%……&*（）"},
        {"q": "ＡＩ　课堂"},
        {"q": "12345"},
        {"q": "\"') OR 1=1 --"},
        {"q": "NEAR(a b) AND * ^"},
        {"q": "课后", "page": "999"},
        {"q": "课后", "page": "-1"},
        {"q": "课后", "page": "²"},
        {"q": "课后", "page": "9" * 5000},
        {"q": "课后", "page": "０"},
        {"q": "课后", "from": "2026-13-40", "to": "yesterday", "channel": "nope", "sort": "x"},
        {"q": "课后", "from": "2000-01-01", "to": "9999-12-31", "sort": "newest"},
        {},
    ],
)
def test_bad_input_gives_200(client, corpus, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_no_results_page(client, corpus):
    html = client.get("/search/", {"q": "航天"}).content.decode()
    assert "没有找到" in html and "减少关键词" in html
    assert corpus["v3"].title in html  # the newest articles


def test_empty_query_shows_hot_tags(client, corpus):
    html = client.get("/search/").content.decode()
    assert "热门标签" in html and "三会一课" in html


def test_filters(client, corpus, django_capture_on_commit_callbacks):
    other = ChannelFactory(name="通知公告", slug="tongzhi")
    with django_capture_on_commit_callbacks(execute=True):
        notice = ArticleFactory(
            channel=other, title="课后服务收费公示", publish_at=timezone.now() - timedelta(days=40)
        )
    assert found("课后服务") != [notice.pk]
    html = client.get("/search/", {"q": "课后服务", "channel": "tongzhi"}).content.decode()
    assert "找到 1 篇" in html and "收费公示" in html
    day = timezone.localdate(notice.publish_at).isoformat()
    html = client.get("/search/", {"q": "课后服务", "from": day, "to": day}).content.decode()
    assert "找到 1 篇" in html and "收费公示" in html


def test_header_search_box_on_every_page(client, corpus):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html


# The same queries whether 1 or 31 articles match: a count, the ranked page's keys, its rows,
# the matching schools, the matching brands. The search log writes nothing per search (it is
# flushed in batches, news.search.log).
SEARCH_PAGE_QUERIES = 5


@pytest.mark.parametrize("extra", [0, 30])
def test_query_budget(
    client, corpus, django_capture_on_commit_callbacks, django_assert_max_num_queries, extra
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(extra):
            ArticleFactory(title=f"课后服务第{n}期", tags=["课后服务"])
    # Fills the dictionary and the page's cached blocks; another page of the same query is not
    # in the page cache.
    client.get("/search/", {"q": "课后服务"})
    for params in ({"sort": "newest"}, {"page": "1"}):
        with django_assert_max_num_queries(SEARCH_PAGE_QUERIES):
            response = client.get("/search/", {"q": "课后服务", **params})
        assert response.status_code == 200


def test_rate_limited(client, corpus, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    statuses = [client.get("/search/", {"q": f"课后{n}"}).status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_schools_and_brands_come_first_when_their_name_matches(client, corpus):
    html = client.get("/search/", {"q": "文昌小学"}).content.decode()
    assert "学校与党建品牌" in html
    names = html.index("学校与党建品牌")
    assert names < html.index("找到")
    assert corpus["wenchang"].title in html
    html = client.get("/search/", {"q": "红烛先锋"}).content.decode()
    assert "“红烛先锋”" in html[html.index("学校与党建品牌") :]
    html = client.get("/search/", {"q": "课后服务"}).content.decode()
    assert "学校与党建品牌" not in html


def test_school_filter_and_quick_date_choices(client, corpus, django_capture_on_commit_callbacks):
    school = SchoolFactory(name="青湾区星河小学", slug="xinghe")
    with django_capture_on_commit_callbacks(execute=True):
        old = ArticleFactory(title="课后服务回顾", publish_at=timezone.now() - timedelta(days=100))
        mine = ArticleFactory(title="星河小学课后服务开班")
        mine.schools.add(school)
    html = client.get("/search/", {"q": "课后服务", "school": "xinghe"}).content.decode()
    assert "找到 1 篇" in html and mine.get_absolute_url() in html
    html = client.get("/search/", {"q": "课后服务", "within": "month"}).content.decode()
    assert old.get_absolute_url() not in html and mine.get_absolute_url() in html
    html = client.get("/search/", {"q": "课后服务", "within": "year"}).content.decode()
    assert old.get_absolute_url() in html
    assert "用时" in html


def test_searches_are_logged_even_from_the_page_cache_and_feed_popular_searches(
    client, corpus, settings
):
    from news.models import SearchLog
    from news.search import log as search_log

    settings.PAGE_CACHE_ENABLED = True
    for _ in range(3):
        client.get("/search/", {"q": "课后服务", "utm_source": "wechat"})
    client.get("/search/", {"q": "课后服务", "page": "2"})  # the same search, another page
    client.get("/search/", {"q": "航天"})
    search_log.flush()  # the first search flushed at once; the others wait for the interval
    rows = list(SearchLog.objects.order_by("pk").values_list("query", "results"))
    assert rows == [("课后服务", 1)] * 3 + [("航天", 0)]
    assert {field.name for field in SearchLog._meta.concrete_fields} == {
        "id",
        "query",
        "results",
        "searched_at",
    }
    html = client.get("/search/").content.decode()
    assert "热门搜索" in html and "课后服务" in html[html.index("热门搜索") :]
    assert "航天" not in html  # found nothing: for the editors' report, not for readers


def test_a_dictionary_term_added_by_staff_finds_the_articles_already_published(
    client, corpus, django_capture_on_commit_callbacks
):
    from news.models import SearchTerm
    from news.search.segment import query_words

    with django_capture_on_commit_callbacks(execute=True):
        older = ArticleFactory(title="少先队员做讲解", body="<p>学校培养了二十名红领巾讲解员。</p>")
    assert "红领巾讲解员" not in query_words("红领巾讲解员")
    with django_capture_on_commit_callbacks(execute=True):
        SearchTerm.objects.create(term="红领巾讲解员")
    assert "红领巾讲解员" in query_words("红领巾讲解员")
    assert found("红领巾讲解员") == [older.pk]


def test_editors_keep_the_dictionary_and_correspondents_do_not(client, corpus):
    from django.urls import reverse

    from news.models import SearchTerm
    from tests.factories import RoleUserFactory

    url = reverse("admin:news_searchterm_add")
    client.force_login(RoleUserFactory(roles=["编辑"]))
    response = client.post(url, {"term": " 研学 旅行 ", "note": "读者常搜"})
    assert response.status_code == 302
    assert SearchTerm.objects.get().term == "研学旅行"
    assert client.post(url, {"term": "学"}).status_code == 200  # too short: the form says so
    client.force_login(RoleUserFactory(roles=["学校通讯员"]))
    assert client.get(url).status_code == 403


def test_the_index_tells_its_size(corpus):
    assert search.backend().size() == len(CORPUS)


def test_counting_stops_at_the_limit_and_the_page_says_more(
    client, corpus, monkeypatch, django_capture_on_commit_callbacks
):
    from news.search import backends

    monkeypatch.setattr(backends, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            ArticleFactory(title=f"课后服务第{n}期")
    html = client.get("/search/", {"q": "课后服务"}).content.decode()
    assert "找到 2 多篇与" in html
