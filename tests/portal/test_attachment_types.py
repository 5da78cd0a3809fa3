"""The attachment allow-list: by extension and by content, with a size cap."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.attachments import validate_attachment
from tests import samples


def _upload(name, data):
    return SimpleUploadedFile(name, data)


def _refusal(name, data):
    with pytest.raises(ValidationError) as caught:
        validate_attachment(_upload(name, data))
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("党建工作要点.pdf", samples.PDF),
        ("通知.PDF", samples.PDF),
        ("旧版通知.doc", samples.OLE2),
        ("名单.xls", samples.OLE2),
        ("课件.ppt", samples.OLE2),
        ("文稿.wps", samples.OLE2),
        ("表格.et", samples.OLE2),
        ("演示.dps", samples.OLE2),
        ("方案.docx", samples.docx()),
        ("统计表.xlsx", samples.xlsx()),
        ("红头文件.ofd", samples.ofd()),
        ("材料汇编.zip", samples.zip_of({"说明.txt": b"text"})),
        ("照片.png", samples.picture("PNG")),
        ("照片.jpg", samples.picture("JPEG")),
        ("照片.jpeg", samples.picture("JPEG")),
        ("动图.gif", samples.picture("GIF")),
        ("照片.webp", samples.picture("WEBP")),
    ],
)
def test_allowed_files_are_accepted(name, data):
    upload = _upload(name, data)
    validate_attachment(upload)
    assert upload.tell() == 0  # the check leaves the file ready to be stored


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("页面.html", samples.HTML),
        ("页面.htm", samples.HTML),
        ("图标.svg", samples.SVG),
        ("程序.exe", samples.EXE),
        ("脚本.js", b"alert(1)"),
        ("没有扩展名", samples.PDF),
    ],
)
def test_other_extensions_are_refused_with_the_allowed_list(name, data):
    message = _refusal(name, data)
    assert "附件只能是" in message
    assert "PDF" in message and "OFD" in message and "JPEG" in message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.pdf", samples.HTML),
        ("通知.pdf", samples.SVG),
        ("通知.doc", samples.EXE),
        ("通知.docx", samples.OLE2),
        ("通知.docx", samples.zip_of({"word/document.xml": b"<w/>"})),
        ("统计表.xlsx", samples.docx()),
        ("方案.docx", samples.xlsx()),
        ("红头文件.ofd", samples.docx()),
        ("材料.zip", samples.PDF),
        ("材料.zip", b"PK\x03\x04 not really a zip"),
        ("照片.png", samples.picture("JPEG")),
        ("照片.jpg", samples.SVG),
        ("照片.gif", samples.HTML),
    ],
)
def test_content_must_agree_with_the_extension(name, data):
    message = _refusal(name, data)
    assert "文件内容与扩展名" in message and "不符" in message


def test_a_broken_picture_is_refused():
    truncated = samples.picture("PNG")[:40]
    assert "不是有效的图片" in _refusal("照片.png", truncated)


def test_size_cap_comes_from_the_setting(settings):
    settings.ATTACHMENT_MAX_MB = 1
    data = samples.PDF + bytes(1024 * 1024)
    assert "附件不能超过 1 MB" in _refusal("大文件.pdf", data)
    validate_attachment(_upload("刚好.pdf", data[: 1024 * 1024]))


def test_default_cap_is_fifty_megabytes(settings):
    assert settings.ATTACHMENT_MAX_MB == 50
