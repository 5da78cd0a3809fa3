"""The word lists in the admin: who manages them, the list, adding, 批量导入 of text files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditLogEntry, SensitiveWord
from portal.word_list_import import MAX_FILE_SIZE
from tests.factories import RoleUserFactory, SensitiveWordFactory, WordingErrorFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:portal_sensitiveword_changelist")
IMPORT = reverse("admin:portal_sensitiveword_import")


@pytest.fixture
def manager_client(client):
    client.force_login(RoleUserFactory(username="guanliyuan", roles=["管理员"]))
    return client


def upload(client, data, level="block", name="words.txt"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), "level": level})


def words():
    return dict(SensitiveWord.objects.values_list("word", "level"))


# --- list and add ----------------------------------------------------------------------------


def test_the_manager_sees_the_list_with_the_import_button(manager_client):
    SensitiveWordFactory(word="列表中的词", note="为什么列入")
    html = manager_client.get(CHANGELIST).content.decode()
    assert "列表中的词" in html and "为什么列入" in html and "禁止发布" in html
    assert IMPORT in html and "批量导入" in html
    filtered = manager_client.get(CHANGELIST, {"level__exact": "confirm"}).content.decode()
    assert "列表中的词" not in filtered
    assert "列表中的词" in manager_client.get(CHANGELIST, {"q": "列表"}).content.decode()


def test_the_manager_adds_a_word_stored_in_its_normal_form(manager_client):
    response = manager_client.post(
        reverse("admin:portal_sensitiveword_add"),
        {"word": " ＡＢＣ 词 ", "level": "confirm", "note": ""},
    )
    assert response.status_code == 302
    assert words() == {"abc词": "confirm"}
    # The same word written another way is the same word.
    response = manager_client.post(
        reverse("admin:portal_sensitiveword_add"), {"word": "abc 词", "level": "block"}
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_a_word_of_invisible_characters_only_is_refused(manager_client):
    response = manager_client.post(
        reverse("admin:portal_sensitiveword_add"), {"word": "\u200b\u200b", "level": "block"}
    )
    assert "不能只有空格或不可见字符" in response.content.decode()
    assert words() == {}


def test_the_manager_lists_and_adds_wording_errors(manager_client):
    WordingErrorFactory(wrong="示例错写", correct="示例正写")
    changelist = reverse("admin:portal_wordingerror_changelist")
    html = manager_client.get(changelist, {"q": "示例"}).content.decode()
    assert "示例错写" in html and "示例正写" in html
    response = manager_client.post(
        reverse("admin:portal_wordingerror_add"),
        {"wrong": "共产", "correct": "中国共产党", "note": ""},
    )
    assert "错误写法不能是正确写法的一部分" in response.content.decode()


@pytest.mark.parametrize("roles", [["编辑"], ["审核员"], ["学校通讯员"]])
def test_other_roles_get_403(client, roles):
    client.force_login(RoleUserFactory(roles=roles))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:portal_wordingerror_changelist")).status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert upload(client, "禁词".encode()).status_code == 403
    assert words() == {}


# --- 批量导入 ---------------------------------------------------------------------------------


def test_the_import_page_shows_the_form(manager_client):
    html = manager_client.get(IMPORT).content.decode()
    assert 'enctype="multipart/form-data"' in html and "未注明级别的词" in html


def test_a_utf8_file_with_levels_blank_lines_and_duplicates(manager_client):
    SensitiveWordFactory(word="已有词", level="confirm")
    text = (
        "新词甲\n\n新词乙\t需审核员确认\n已有词\t禁止发布\n新词甲\n  \n"
        "新词丙 confirm\r\n新词丁\tblock\n"
    )
    response = upload(manager_client, text.encode("utf-8"), level="block")
    assert response.status_code == 302
    assert words() == {
        "新词甲": "block",
        "新词乙": "confirm",
        "已有词": "confirm",  # kept as it was
        "新词丙": "confirm",
        "新词丁": "block",
    }
    messages = [str(m) for m in manager_client.get(CHANGELIST).context["messages"]]
    assert messages == ["导入完成：新增 4 个，已存在 1 个，忽略 3 行。"]
    assert AuditLogEntry.objects.filter(comment__contains="批量导入敏感词").exists()


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("gbk", "国内词一\r\n国内词二\r\n"),
        # 𠀀 is in GB18030 (four bytes), not in GBK.
        ("gb18030", "国内词一\n国内词二𠀀\n"),
        ("utf-8-sig", "国内词一\n国内词二\n"),  # with a byte order mark
        ("utf-16", "国内词一\r\n国内词二\r\n"),  # Notepad's “Unicode”
    ],
)
def test_files_saved_by_chinese_windows_are_read(manager_client, encoding, text):
    response = upload(manager_client, text.encode(encoding), level="confirm")
    assert response.status_code == 302
    assert words() == dict.fromkeys(text.split(), "confirm")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "这不是文本文件"),
        (b"PK\x03\x04\x14\x00\x06\x00", "这不是文本文件"),
        (b"abc\x80def\n", "无法识别文件的编码"),
        (b"a" * (MAX_FILE_SIZE + 1), "文件超过 2 MB"),
        ("好词\n坏词\t随便\n".encode(), "第 2 行无法导入"),
        (("长" * 101).encode(), "第 1 行无法导入"),
    ],
    ids=["png", "docx", "undecodable", "too-large", "unknown-level", "too-long"],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_saved(manager_client, data, message):
    response = upload(manager_client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert words() == {}


def test_an_empty_upload_is_a_form_error(manager_client):
    response = upload(manager_client, b"")
    assert response.status_code == 200
    assert words() == {}
