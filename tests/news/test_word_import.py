"""从 Word 导入: real .docx files (built with python-docx) become draft articles; files that
cannot be imported come back with a Chinese reason and leave nothing behind."""

import io
import re
import zipfile
from datetime import datetime

import docx
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from news import word_import
from news.models import Article, ArticleStatus
from news.word_import import import_draft, read_meta_line, read_publish_time
from portal.models import AuditLogEntry
from tests.factories import ChannelFactory, RoleUserFactory, SchoolFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:news_article_word_import")
CAPTION = "学生在纪念馆前重温入队誓词"


def picture(image_format, color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, image_format)
    buffer.seek(0)
    return buffer


def docx_file(build):
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def manuscript(document):
    """A correspondent's typical manuscript."""
    document.add_heading("青湾区实验小学开展主题党日活动", level=1)
    document.add_paragraph("发布时间：2026年11月20日  作者：张明 李华  来源：青湾区实验小学")
    lead = document.add_paragraph("11月18日，学校党支部组织党员教师开展")
    lead.add_run("主题党日").bold = True
    lead.add_run("活动，")
    lead.add_run("重温入党誓词").italic = True
    lead.add_run("。")
    document.add_heading("一、活动内容", level=2)
    document.add_paragraph("参观区党史教育基地", style="List Bullet")
    document.add_paragraph("开展志愿服务", style="List Bullet")
    document.add_paragraph("集合签到", style="List Number")
    document.add_paragraph("分组参观", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {
        (0, 0): "支部",
        (0, 1): "人数",
        (1, 0): "第一支部",
        (1, 1): "18",
    }.items():
        table.cell(row, column).text = text
    document.add_picture(picture("PNG"))
    document.add_paragraph(f"▲{CAPTION}")
    document.add_picture(picture("JPEG", "blue"))
    document.add_paragraph("图：党员教师开展志愿服务")
    document.add_paragraph("▲这一行前面没有图片")


def stored_files(settings):
    root = settings.MEDIA_ROOT / "editor"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def channel():
    return ChannelFactory(name="基层动态", slug="jiceng-dongtai")


@pytest.fixture
def editor(client):
    user = RoleUserFactory(username="bianji", roles=["编辑"])
    client.force_login(user)
    return user


def post(client, channel, name, data):
    return client.post(URL, {"file": SimpleUploadedFile(name, data), "channel": channel.pk})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- A manuscript becomes a draft -------------------------------------------------------------


def test_a_manuscript_becomes_a_draft_opened_in_its_form(client, editor, channel, settings):
    response = post(client, channel, "主题党日.docx", docx_file(manuscript))

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:news_article_change", args=[article.pk])
    assert messages_of(response) == [
        "已从《主题党日.docx》导入草稿，共 7 段、2 张图片；请检查后保存或送审。",
        "已从稿件的发布信息中填入作者“张明 李华”、来源“青湾区实验小学”、发布时间 2026-11-20 09:00，"
        "请核对。",
    ]
    assert article.status == ArticleStatus.DRAFT
    assert article.created_by == editor
    assert article.channel == channel
    assert article.title == "青湾区实验小学开展主题党日活动"
    assert article.authors == "张明 李华"
    assert article.source == "青湾区实验小学"
    assert timezone.localtime(article.publish_at).replace(tzinfo=None) == datetime(
        2026, 11, 20, 9, 0
    )
    assert list(article.schools.all()) == []  # district staff choose the schools themselves
    assert client.get(response["Location"]).status_code == 200


def test_the_body_keeps_the_structure(client, editor, channel, settings):
    post(client, channel, "主题党日.docx", docx_file(manuscript))
    body = Article.objects.get().body

    # The title and the meta line are fields, not body text; the title is the page's only h1.
    assert "青湾区实验小学开展主题党日活动" not in body
    assert "发布时间" not in body and "来源" not in body
    assert "<h1" not in body
    assert "<h2>一、活动内容</h2>" in body
    assert "<strong>主题党日</strong>" in body
    assert "<em>重温入党誓词</em>" in body
    assert "<ul><li>参观区党史教育基地</li><li>开展志愿服务</li></ul>" in body
    assert "<ol><li>集合签到</li><li>分组参观</li></ol>" in body
    assert re.search(r'<figure class="table"><table>.*第一支部.*</table></figure>', body)
    figure = r'<figure class="image"><img [^>]*src="([^"]+)"[^>]*><figcaption>([^<]*)</figcaption>'
    figures = re.findall(figure + "</figure>", body)
    assert [caption for _src, caption in figures] == [CAPTION, "党员教师开展志愿服务"]
    # A ▲ line with no picture before it stays an ordinary paragraph.
    assert "<p>▲这一行前面没有图片</p>" in body
    files = stored_files(settings)
    assert len(files) == 2
    for src, _caption in figures:
        assert src.startswith(settings.MEDIA_URL + "editor/")
        stored = settings.MEDIA_ROOT / src.removeprefix(settings.MEDIA_URL)
        assert stored in files
    assert {path.suffix for path in files} == {".png", ".jpg"}
    # The caption describes the picture for readers who cannot see it.
    assert f'alt="{CAPTION}"' in body


def test_a_correspondent_gets_the_draft_under_their_school(client, channel):
    school = SchoolFactory()
    SchoolFactory()  # another school, not theirs
    correspondent = RoleUserFactory(roles=["学校通讯员"], schools=[school])
    client.force_login(correspondent)

    response = post(client, channel, "稿件.docx", docx_file(manuscript))

    article = Article.objects.get()
    assert list(article.schools.all()) == [school]
    assert article.created_by == correspondent
    assert client.get(response["Location"]).status_code == 200


def test_the_import_is_in_the_audit_log_and_the_history(client, editor, channel):
    post(client, channel, "稿件.docx", docx_file(manuscript))
    article = Article.objects.get()
    entry = AuditLogEntry.objects.get(action=word_import.AUDIT_ACTION)
    assert entry.actor == editor
    assert entry.object_id == str(article.pk)
    assert "稿件.docx" in entry.comment
    history = client.get(reverse("admin:news_article_history", args=[article.pk]))
    assert "从《稿件.docx》导入" in history.content.decode()


# --- Titles and headings ----------------------------------------------------------------------


def test_a_chinese_heading_style_and_lower_headings(channel, editor):
    def build(document):
        document.styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph("党建引领促发展", style="标题 1")
        document.add_paragraph("正文段落。")
        document.add_heading("一级小标题", level=2)
        document.add_heading("二级小标题", level=3)
        document.add_heading("三级小标题", level=4)
        document.add_heading("四级小标题", level=5)

    article, _draft = import_draft(
        upload("稿.docx", docx_file(build)), channel=channel, user=editor
    )
    assert article.title == "党建引领促发展"
    assert article.body == (
        "<p>正文段落。</p><h2>一级小标题</h2><h3>二级小标题</h3><h4>三级小标题</h4>"
        "<h4>四级小标题</h4>"
    )


def test_a_title_style_leaves_heading_1_for_the_sections(channel, editor):
    def build(document):
        document.add_heading("学校党建工作总结", level=0)  # the Title style
        document.add_heading("一、基本情况", level=1)
        document.add_paragraph("全校共有党员 36 名。")

    article, _draft = import_draft(
        upload("稿.docx", docx_file(build)), channel=channel, user=editor
    )
    assert article.title == "学校党建工作总结"
    assert article.body == "<h2>一、基本情况</h2><p>全校共有党员 36 名。</p>"


def test_a_bold_first_paragraph_is_the_title_as_wps_users_make_it(channel, editor):
    def build(document):
        document.add_paragraph().add_run("文昌小学举办红色故事会").bold = True
        document.add_paragraph("文/张明　通讯员 李华")
        document.add_paragraph("本周一，学校举办红色故事会。")

    article, _draft = import_draft(
        upload("稿.docx", docx_file(build)), channel=channel, user=editor
    )
    assert article.title == "文昌小学举办红色故事会"
    assert article.authors == "张明 李华"
    assert article.body == "<p>本周一，学校举办红色故事会。</p>"


def test_without_a_title_the_file_name_is_used_and_said(client, editor, channel):
    def build(document):
        document.add_paragraph("学校开展了主题党日活动，党员教师参加。")

    response = post(client, channel, "主题党日活动.docx", docx_file(build))
    article = Article.objects.get()
    assert article.title == "主题党日活动"
    assert article.body == "<p>学校开展了主题党日活动，党员教师参加。</p>"
    assert "文档开头没有找到标题，已用文件名作标题，请修改。" in messages_of(response)


def upload(name, data):
    return SimpleUploadedFile(name, data)


# --- Meta lines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "authors", "source", "published"),
    [
        (
            "发布时间：2026年11月20日  作者：张明 李华  来源：青湾区实验小学",
            ("张明", "李华"),
            "青湾区实验小学",
            "2026年11月20日",
        ),
        (
            "发布时间:2019-07-09 作者:舒小红 熊金辉 来源:中国教育报",
            ("舒小红", "熊金辉"),
            "中国教育报",
            "2019-07-09",
        ),
        ("来源：区教育局 作者：王芳、赵强", ("王芳", "赵强"), "区教育局", ""),
        ("文/张明", ("张明",), "", ""),
        ("通讯员 李华", ("李华",), "", ""),
        ("文／张明　图／李华", ("张明", "李华"), "", ""),
    ],
)
def test_meta_lines(line, authors, source, published):
    assert read_meta_line(line) == (authors, source, published)


@pytest.mark.parametrize(
    "line",
    [
        "记者了解到，近日学校开展了主题党日活动，全体党员参加。",
        "时间过得真快",
        "会议时间：11月20日",
        "图：学生在操场上",
        "本次活动由区教育局主办。来源：区教育局",
    ],
)
def test_body_text_is_not_a_meta_line(line):
    assert read_meta_line(line) is None


def test_publish_times():
    assert timezone.localtime(read_publish_time("2026年11月20日")).replace(tzinfo=None) == datetime(
        2026, 11, 20, 9, 0
    )
    assert timezone.localtime(read_publish_time("2026-11-20 14:30")).replace(
        tzinfo=None
    ) == datetime(2026, 11, 20, 14, 30)
    assert read_publish_time("2026年2月30日") is None
    assert read_publish_time("上周五") is None


def test_a_date_that_cannot_be_read_is_said(client, editor, channel):
    def build(document):
        document.add_heading("标题", level=1)
        document.add_paragraph("日期：2026年13月40日 来源：区教育局")
        document.add_paragraph("正文。")

    response = post(client, channel, "稿.docx", docx_file(build))
    article = Article.objects.get()
    assert article.source == "区教育局"
    assert "发布时间“2026年13月40日”无法识别，请在“发布”中手动填写。" in messages_of(response)


# --- Pictures ---------------------------------------------------------------------------------


def test_a_refused_picture_is_left_out_and_reported(client, editor, channel, settings):
    def build(document):
        document.add_heading("标题", level=1)
        document.add_paragraph("正文。")
        document.add_picture(picture("TIFF"))
        document.add_paragraph("▲这张图片的格式网页不能显示")
        document.add_picture(picture("PNG"))

    response = post(client, channel, "稿.docx", docx_file(build))
    article = Article.objects.get()
    assert article.body.count("<img") == 1
    # Its caption has no picture left: it stays a paragraph, where the editor sees it.
    assert "<p>▲这张图片的格式网页不能显示</p>" in article.body
    assert len(stored_files(settings)) == 1
    assert (
        "有 1 张图片未能导入：第 1 张（只支持 JPEG、PNG、WebP、GIF 格式的图片，"
        "这个文件是 TIFF 格式）。请另行上传。" in messages_of(response)
    )
    assert "共 2 段、1 张图片" in messages_of(response)[0]


def test_an_indented_caption_and_a_subtitle(channel, editor):
    def build(document):
        document.add_heading("学校党建工作总结", level=0)
        document.add_paragraph("2026年度", style="Subtitle")
        document.add_picture(picture("PNG"))
        document.add_paragraph("\u3000\u3000▲ 首行缩进的图片说明")

    article, _draft = import_draft(
        upload("稿.docx", docx_file(build)), channel=channel, user=editor
    )
    assert article.subtitle == "2026年度"
    assert "2026年度" not in article.body
    assert "<figcaption>首行缩进的图片说明</figcaption></figure>" in article.body


def link(paragraph, address, text):
    part_id = paragraph.part.relate_to(address, RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), part_id)
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def test_links_to_the_writers_computer_keep_only_their_text(client, editor, channel):
    def build(document):
        document.add_heading("标题", level=1)
        paragraph = document.add_paragraph("详见")
        link(paragraph, "file:///C:/Users/zhang/通知.doc", "通知原文")
        link(paragraph, "https://www.moe.gov.cn/", "教育部网站")

    response = post(client, channel, "稿.docx", docx_file(build))
    body = Article.objects.get().body
    assert "file:" not in body and "通知原文" in body
    assert '<a href="https://www.moe.gov.cn/" rel="noopener noreferrer">教育部网站</a>' in body
    assert (
        "有 1 个链接的地址不安全或无法打开（如 file:// 本机文件），已去掉链接，文字保留。"
        in messages_of(response)
    )


def test_a_failure_after_storing_pictures_leaves_nothing(editor, channel, settings, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(word_import.audit, "record", fail)
    with pytest.raises(RuntimeError):
        import_draft(upload("稿.docx", docx_file(manuscript)), channel=channel, user=editor)
    assert not Article.objects.exists()
    assert stored_files(settings) == []


# --- Files that are refused -------------------------------------------------------------------


def ole_file():
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512


def zip_without_word():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "不是 Word 文档")
    return buffer.getvalue()


def docx_with_broken_xml():
    source = zipfile.ZipFile(io.BytesIO(docx_file(manuscript)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            archive.writestr(item, data)
    return buffer.getvalue()


def empty_document(document):
    document.add_paragraph("")
    document.add_paragraph("   ")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param("旧稿.doc", ole_file(), "这是旧版 Word（.doc）", id="doc"),
        pytest.param("改名.docx", "这是一段文字".encode(), "文件内容不是 Word 文档", id="text"),
        pytest.param("改名.docx", b"%PDF-1.7 ...", "文件内容不是 Word 文档", id="pdf"),
        pytest.param("稿件.pdf", b"%PDF-1.7 ...", "只能导入 Word 文档", id="pdf-name"),
        pytest.param("压缩包.docx", zip_without_word(), "这个压缩文件不是 Word 文档", id="zip"),
        pytest.param("加密.docx", ole_file(), "文档设置了打开密码", id="encrypted"),
        pytest.param("坏.docx", b"PK\x03\x04" + b"\0" * 200, "文件已损坏", id="corrupt-zip"),
        pytest.param("坏.docx", docx_with_broken_xml(), "文件已损坏", id="broken-xml"),
        pytest.param("空.docx", docx_file(empty_document), "没有可导入的正文", id="empty"),
    ],
)
def test_refused_files_come_back_with_the_reason(
    client, editor, channel, settings, name, data, message
):
    response = post(client, channel, name, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert message in response.content.decode()
    assert not Article.objects.exists()
    assert stored_files(settings) == []


def test_a_document_with_only_a_title_is_refused(editor, channel):
    def build(document):
        document.add_heading("只有标题", level=1)
        document.add_paragraph("来源：区教育局")

    with pytest.raises(ValidationError, match="没有可导入的正文"):
        import_draft(upload("稿.docx", docx_file(build)), channel=channel, user=editor)
    assert not Article.objects.exists()


def test_an_oversized_file_is_refused(client, editor, channel, settings):
    settings.WORD_IMPORT_MAX_BYTES = 1024
    response = post(client, channel, "大.docx", docx_file(manuscript))
    assert f"文件太大：最多 {filesizeformat(1024)}" in response.content.decode()
    assert not Article.objects.exists()
    assert stored_files(settings) == []


def test_a_channel_is_required(client, editor, channel):
    response = client.post(URL, {"file": upload("稿.docx", docx_file(manuscript))})
    assert "channel" in response.context["form"].errors
    assert not Article.objects.exists()


# --- Who may import, and where the button is ------------------------------------------------


def test_the_form_page(client, editor, channel):
    page = client.get(URL).content.decode()
    assert 'accept=".docx"' in page
    assert "基层动态" in page
    assert 'enctype="multipart/form-data"' in page


def test_the_changelist_and_the_add_page_show_the_button(client, editor):
    for name in ["admin:news_article_changelist", "admin:news_article_add"]:
        page = client.get(reverse(name)).content.decode()
        assert f'href="{URL}"' in page, name


def test_without_the_add_permission_there_is_no_import(client, channel):
    reviewer = RoleUserFactory(roles=["审核员"], review_levels=[1])
    client.force_login(reviewer)
    assert client.get(URL).status_code == 403
    assert post(client, channel, "稿.docx", docx_file(manuscript)).status_code == 403
    assert not Article.objects.exists()
    changelist = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert URL not in changelist
