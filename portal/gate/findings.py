"""What the publication gate reads and what it reports.

``Content`` is the part of a school, brand, honour or article that the public reads, as the
checks see it: plain text by field label, and rich text (HTML as submitted, before
sanitising, so that what the sanitiser removes can be reported) by field label. A
``Finding`` is one problem in it, in words an editor understands.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    """How a finding stops a step: a block always, a confirmation until a reviewer confirms
    it with a reason, a note never (it is shown to the reviewer)."""

    BLOCK = "block"
    CONFIRM = "confirm"
    NOTE = "note"


LEVEL_LABELS = {Level.BLOCK: "禁止发布", Level.CONFIRM: "需审核员确认", Level.NOTE: "提示"}


@dataclass(frozen=True)
class Content:
    texts: dict[str, str] = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    level: Level
    # A stable code of the check: "sensitive_word", "wording_error", "id_number", "mobile",
    # "hidden_link", "removed", "foreign_link", …
    kind: str
    # The label of the field it was found in, as the form shows it (“正文”, “标题”).
    field: str
    # The text that matched, as written in the content.
    matched: str
    # A few characters either side of the match, for the editor to find it.
    context: str
    # One sentence in Chinese: what is wrong and what to do.
    message: str

    @property
    def key(self):
        """What a reviewer's confirmation is about: the same kind, field and text. A
        confirmation stays valid while these stay the same, whatever else changes."""
        return f"{self.kind}:{self.field}:{self.matched}"

    @property
    def level_label(self):
        return LEVEL_LABELS[self.level]


def content_of(obj, texts=(), html=(), extra=None):
    """The ``Content`` of model instance ``obj``: the named text and rich-text fields under
    their verbose names, plus ``extra`` (label → text) for what is not a field of its own."""
    label = lambda name: str(obj._meta.get_field(name).verbose_name)  # noqa: E731
    return Content(
        texts={label(name): getattr(obj, name) or "" for name in texts} | (extra or {}),
        html={label(name): getattr(obj, name) or "" for name in html},
    )
