"""The editors' admin: list, form, sanitising with warnings, flags, uploads."""

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.admin import ArticleAdmin
from news.models import Article
from tests.factories import ArticleFactory, ChannelFactory, StaffFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = SuperuserFactory(username="editor")
    client.force_login(user)
    return user


def form_data(channel, **overrides):
    now = timezone.localtime()
    data = {
        "kicker": "",
        "title": "新的文章",
        "subtitle": "",
        "summary": "",
        "body": "<p>正文。</p>",
        "channel": channel.pk,
        "tags": "主题党日, 志愿服务",
        "authors": "张明",
        "source": "",
        "print_edition": "",
        "original_url": "",
        "cover_alt": "",
        "status": "published",
        "publish_at_0": now.strftime("%Y-%m-%d"),
        "publish_at_1": now.strftime("%H:%M:%S"),
        "pin_order": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_changelist_columns_filters_and_search(client, editor, channel):
    ArticleFactory(channel=channel, title="主题党日活动", is_headline=True, view_count=77)
    ArticleFactory(channel=ChannelFactory(slug="other"), title="教师培训")
    response = client.get(reverse("admin:news_article_changelist"), {"q": "党日"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "主题党日活动" in html and "教师培训" not in html
    for header in ["标题", "栏目", "状态", "发布时间", "标记", "浏览次数"]:
        assert header in html
    assert "头条" in html and "77" in html
    for facet in ["is_headline__exact", "status__exact", "channel__id__exact", "publish_at__gte"]:
        assert facet in html, facet
    assert "schools" in ArticleAdmin.list_filter  # shown once schools exist


@pytest.mark.parametrize(
    "field, value",
    [
        ("body", "<p>全体党员参观了红色教育基地。</p>"),
        ("summary", "全体党员参观了红色教育基地"),
        ("authors", "红色教育基地通讯组"),
        ("source", "红色教育基地"),
    ],
)
def test_changelist_search_finds_a_word_beyond_the_title(
    client, editor, channel, field, value, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # a published body: the index
        ArticleFactory(channel=channel, title="支部活动", **{field: value})
        ArticleFactory(channel=channel, title="教师培训")
    response = client.get(reverse("admin:news_article_changelist"), {"q": "红色教育基地"})
    html = response.content.decode()
    assert "支部活动" in html and "教师培训" not in html
    assert "按标题、作者、来源、摘要或正文查找" in html


def test_add_form_has_chinese_editor_and_fieldsets_in_order(client, editor, site):
    response = client.get(reverse("admin:news_article_add"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "django_ckeditor_5/dist/bundle.js" in html
    assert "django_ckeditor_5/dist/translations/zh-cn.js" in html
    order = [
        html.index(label)
        for label in ["引题", "正文", "栏目与关联", "封面", "发布", "作者、来源与刊发信息"]
    ]
    assert order == sorted(order)
    assert 'value="测试区教育系统党建网"' in html  # source defaults to the site's name


def test_add_form_loads_the_chinese_editor_additions(client, editor, site):
    html = client.get(reverse("admin:news_article_add")).content.decode()
    # 小标题 styles, 字数 and upload messages (static/css, static/js admin-editor), and the
    # layout for long titles and phones after Django's responsive.css.
    assert "css/admin-editor.css" in html
    assert "js/admin-editor.js" in html
    assert html.index("admin/css/responsive.css") < html.index("css/admin-layout.css")


def test_the_editor_counts_characters_not_words(settings):
    # WordCount counts a Chinese paragraph as one word; admin-editor.js counts characters.
    assert "WordCount" in settings.CKEDITOR_5_CONFIGS["default"]["removePlugins"]


def test_save_sets_creator_and_cleans_body(client, editor, channel):
    response = client.post(
        reverse("admin:news_article_add"),
        form_data(channel, body='<p onclick="x()">正文<script>alert(1)</script></p>'),
    )
    assert response.status_code == 302
    article = Article.objects.get(title="新的文章")
    assert article.created_by == editor
    assert article.body == "<p>正文</p>"
    assert sorted(article.tags.names()) == ["主题党日", "志愿服务"]


def test_word_images_removed_with_a_warning(client, editor, channel):
    body = '<p>正文</p><p><img src="file:///C:/Users/li/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg"></p>'
    response = client.post(
        reverse("admin:news_article_add"), form_data(channel, body=body), follow=True
    )
    article = Article.objects.get(title="新的文章")
    assert "file:" not in article.body
    messages = [str(m) for m in get_messages(response.wsgi_request)] or [
        m.message for m in response.context["messages"]
    ]
    assert any("1 张从 Word 粘贴的本地图片" in m and "上传图片" in m for m in messages)


def test_flag_actions(client, editor, channel):
    first, second = ArticleFactory(channel=channel), ArticleFactory(channel=channel)
    response = client.post(
        reverse("admin:news_article_changelist"),
        {"action": "set_is_carousel", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Article.objects.filter(is_carousel=True).count() == 2
    assert "已将 2 篇文章设为幻灯" in response.content.decode()
    client.post(
        reverse("admin:news_article_changelist"),
        {"action": "clear_is_carousel", "_selected_action": [first.pk]},
    )
    assert list(Article.objects.filter(is_carousel=True)) == [second]


def test_view_on_site_link(client, editor, article):
    html = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert "在站点上查看" in html


def test_channel_admin_lists_in_order(client, editor):
    ChannelFactory(name="后面", slug="later", order=20)
    ChannelFactory(name="前面", slug="earlier", order=10)
    html = client.get(reverse("admin:news_channel_changelist")).content.decode()
    assert html.index("前面") < html.index("后面")


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("活动照片.PNG", buffer.getvalue(), content_type="image/png")


def test_editor_uploads_go_to_date_folders_with_random_names(client, settings):
    client.force_login(StaffFactory())
    response = client.post("/ckeditor5/image_upload/", {"upload": _png()})
    assert response.status_code == 200
    url = response.json()["url"]
    today = timezone.localdate()
    assert re.fullmatch(rf"/media/editor/{today:%Y}/{today:%m}/[0-9a-f]{{32}}\.png", url), url
    assert (settings.MEDIA_ROOT / url.removeprefix("/media/")).exists()


def test_uploads_are_staff_only(client):
    assert client.post("/ckeditor5/image_upload/", {"upload": _png()}).status_code == 403


def test_upload_refuses_non_images(client):
    client.force_login(StaffFactory())
    fake = SimpleUploadedFile("a.png", b"<script>alert(1)</script>", content_type="image/png")
    assert client.post("/ckeditor5/image_upload/", {"upload": fake}).status_code == 400
