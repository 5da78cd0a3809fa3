"""Personal data that must not be published by mistake: resident ID numbers and mobile numbers.

A reviewer may publish one knowingly (a school's public contact number) by confirming it with a
reason, so both are ``Level.CONFIRM``. The message masks the middle digits; ``matched`` and
``context`` keep the text as written, for the editor to find it.

An ID number (GB 11643) is only reported when it could be one: a region code starting with 1–8,
a real birth date from 1900 to today, and the ISO 7064 MOD 11-2 check character, so that order
numbers and other 18-digit codes do not fire. Numbers are read in the normal form
(``portal.gate.normalize``: full-width digits count, zero-width characters vanish) with spaces
kept, since two numbers side by side are not one.
"""

import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .findings import Finding, Level
from .normalize import normalize
from .text import readable_texts

ID_NUMBER = "id_number"
MOBILE = "mobile"
_WHAT = {ID_NUMBER: gettext_lazy("身份证号码"), MOBILE: gettext_lazy("手机号码")}

# Written in one piece or grouped 6-8-4 with spaces or hyphens; never inside a longer number.
_ID_NUMBER = re.compile(r"(?<![0-9])([1-8][0-9]{5})([ -]?)([0-9]{8})\2([0-9]{3}[0-9x])(?![0-9])")
# 1[3-9]x xxxx xxxx, in one piece or grouped 3-4-4, after an optional +86, 0086 or 86.
_MOBILE = re.compile(
    r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9])([ -]?)([0-9]{4})\2([0-9]{4})(?![0-9])"
)

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK_CHARACTERS = "10x98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)


def is_id_number(digits):
    """Whether ``digits`` (18 characters, the last may be a lower-case x) is a possible resident
    ID number: region, birth date and check character."""
    if len(digits) != 18 or digits[0] not in "12345678":
        return False
    try:
        born = date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    if not _EARLIEST_BIRTH <= born <= timezone.localdate():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits, _WEIGHTS, strict=False))
    return _CHECK_CHARACTERS[total % 11] == digits[17]


def check(content):
    """ID numbers and mobile numbers in ``content``'s texts and its rich text's plain text."""
    return [
        finding for label, text in readable_texts(content) for finding in _findings(label, text)
    ]


def _findings(label, text):
    normalized = normalize(text, spaces=True)
    # Neither kind of number may touch another digit, so no mobile number is read inside an
    # ID number.
    found = []
    for match in _ID_NUMBER.finditer(normalized.text):
        digits = "".join(match.group(1, 3, 4))
        if is_id_number(digits):
            found.append((ID_NUMBER, match, f"{digits[:6]}{'*' * 8}{digits[14:].upper()}"))
    for match in _MOBILE.finditer(normalized.text):
        digits = "".join(match.group(1, 3, 4))
        found.append((MOBILE, match, f"{digits[:3]}****{digits[7:]}"))
    findings, seen = [], set()
    for kind, match, masked in found:
        matched = normalized.matched(*match.span())
        if (kind, matched) in seen:
            continue
        seen.add((kind, matched))
        message = _(
            "发现疑似%(what)s“%(number)s”：请删除或打码；确需公开的，由审核员确认并填写理由。"
        )
        findings.append(
            Finding(
                level=Level.CONFIRM,
                kind=kind,
                field=label,
                matched=matched,
                context=normalized.context(*match.span()),
                message=message % {"what": _WHAT[kind], "number": masked},
            )
        )
    return findings
