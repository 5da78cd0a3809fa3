"""批量导入 of sensitive words from a text file, one word a line.

Staff make the file in Notepad or WPS; on Chinese Windows these save GBK (or GB18030) unless
told otherwise, newer ones UTF-8, with or without a byte order mark, Notepad's “Unicode” UTF-16.
All of them are read. A line is a word, or a word, a Tab (or a space) and its level (禁止发布 /
需审核员确认, or block / confirm); lines without a level get the one chosen in the form. Blank
lines and words already listed earlier in the file are skipped. A file that is not text, too
large or has a line that cannot be read is refused as a whole, with the line numbers, and
nothing is saved.
"""

import codecs
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .gate.findings import Level
from .gate.normalize import normal_form
from .models import SensitiveWord

MAX_FILE_SIZE = 2 * 1024 * 1024
# How many bad lines the error message names.
_LINES_SHOWN = 10

_BYTE_ORDER_MARKS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Text files have none of these (Tab and line breaks apart); binary files have many.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

LEVEL_NAMES = {
    Level.BLOCK.value: Level.BLOCK.value,
    "禁止发布": Level.BLOCK.value,
    "禁止": Level.BLOCK.value,
    Level.CONFIRM.value: Level.CONFIRM.value,
    "需审核员确认并填写理由": Level.CONFIRM.value,
    "需审核员确认": Level.CONFIRM.value,
    "需确认": Level.CONFIRM.value,
    "确认": Level.CONFIRM.value,
}


def decode_text(data):
    """The text of a file's bytes (UTF-8 or UTF-16 with a byte order mark, UTF-8, GB18030 and
    so GBK); ``ValidationError`` if they are not text."""
    try:
        for mark, encoding in _BYTE_ORDER_MARKS:
            if data.startswith(mark):
                text = data.decode(encoding)
                break
        else:
            if b"\0" in data:
                raise ValidationError(_("这不是文本文件，请上传 .txt 文本文件。"))
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(
            _("无法识别文件的编码，请用记事本“另存为”UTF-8 或 ANSI（GBK）编码后再上传。")
        ) from None
    if _CONTROL_CHARACTERS.search(text):
        raise ValidationError(_("这不是文本文件，请上传 .txt 文本文件。"))
    return text


def parse_lines(text, default_level):
    """(levels, ignored): normal form → level of each word of ``text`` in file order, and how
    many lines were skipped (blank, or a word listed before). ``ValidationError`` naming the
    lines that cannot be read."""
    max_length = SensitiveWord._meta.get_field("word").max_length
    levels, ignored, bad = {}, 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        word, level_name = _split(line)
        word = normal_form(word)
        level = LEVEL_NAMES.get(level_name) if level_name else default_level
        if not word or word in levels:
            ignored += 1
        elif len(word) > max_length or level is None:
            bad.append(number)
        else:
            levels[word] = level
    if bad:
        shown = "、".join(str(number) for number in bad[:_LINES_SHOWN])
        more = _("等 %(count)d 行") % {"count": len(bad)} if len(bad) > _LINES_SHOWN else ""
        raise ValidationError(
            _(
                "第 %(lines)s 行%(more)s无法导入：每行一个词（不超过 %(max)d 个字），"
                "词后可加 Tab 键和级别“禁止发布”或“需审核员确认”。文件未导入，请修改后重新上传。"
            )
            % {"lines": shown, "more": more, "max": max_length}
        )
    return levels, ignored


def _split(line):
    """(word, level name or ""): after a Tab, or after the last space when what follows is a
    level's name (a Tab typed as spaces)."""
    word, tab, level_name = line.partition("\t")
    if not tab:
        head, _space, tail = line.strip().rpartition(" ")
        if head and tail.lower() in LEVEL_NAMES:
            word, level_name = head, tail
    return word, level_name.strip().lower()


class SensitiveWordImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("文本文件"),
        help_text=gettext_lazy(
            "每行一个词；也可在词后加 Tab 键和级别（禁止发布 / 需审核员确认）。"
            "UTF-8 或 GBK 编码的 .txt 文件，不超过 2 MB。"
        ),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("未注明级别的词"),
        choices=SensitiveWord.LEVELS,
        initial=Level.BLOCK.value,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError(_("文件超过 2 MB，请分成几个文件导入。"))
        return decode_text(upload.read())

    def clean(self):
        cleaned = super().clean()
        if "file" in cleaned and "level" in cleaned:
            try:
                cleaned["levels"], cleaned["ignored"] = parse_lines(
                    cleaned["file"], cleaned["level"]
                )
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned

    def save(self):
        """Add the new words; returns (added, existing, ignored) counts."""
        added, existing = SensitiveWord.objects.add_missing(self.cleaned_data["levels"])
        return added, existing, self.cleaned_data["ignored"]
