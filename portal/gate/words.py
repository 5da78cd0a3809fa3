"""Sensitive words and serious misstatements (``SensitiveWord``, ``WordingError``).

All the words of both tables are in one Aho–Corasick automaton (``pyahocorasick``): a text is
read once, however many thousand words there are. Texts and words are compared in their
normal form (``portal.gate.normalize``), so spaces, zero-width characters, full-width letters
or another case inside a word do not hide it; a finding quotes the text as the editor wrote it.

Building the automaton takes a while for a long list, so each process keeps the one it built
and builds it again only when the tables have changed. Whether they have is asked of the
database, the one thing every worker process on every server shares, by a fingerprint
``(count, latest updated_at)`` of each table: two cheap aggregate queries per check, and checks
run when an editor saves or submits, not when the public reads. An addition or a deletion
changes the count, an edit (the admin, ``save()``) or a bulk import (``bulk_create`` fills
``auto_now`` too) the latest time. A version token in the cache would need no query, but the
default cache is a file cache on each server's own disk that loses writes on a full disk by
design (``portal.caches``): a lost bump would leave a worker enforcing yesterday's list. The
fingerprint assumes what the rest of the site does, that the servers' clocks are synchronised,
and that nobody changes the tables with ``QuerySet.update()`` without setting ``updated_at``.
"""

from typing import NamedTuple

import ahocorasick
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from .findings import Finding, Level
from .normalize import normal_form, normalize
from .text import readable_texts

SENSITIVE_WORD = "sensitive_word"
WORDING_ERROR = "wording_error"


class _Entry(NamedTuple):
    kind: str
    level: Level
    correct: str
    note: str


# (fingerprint, automaton) of this process; replaced whole, so threads never see half of one.
_built = None


def _fingerprint():
    from portal.models import SensitiveWord, WordingError

    return tuple(
        tuple(model.objects.aggregate(count=Count("pk"), latest=Max("updated_at")).values())
        for model in (SensitiveWord, WordingError)
    )


def _build():
    from portal.models import SensitiveWord, WordingError

    entries = {}
    for word, level, note in SensitiveWord.objects.values_list("word", "level", "note"):
        entries.setdefault(normal_form(word), []).append(
            _Entry(SENSITIVE_WORD, Level(level), "", note)
        )
    for wrong, correct, note in WordingError.objects.values_list("wrong", "correct", "note"):
        entries.setdefault(normal_form(wrong), []).append(
            _Entry(WORDING_ERROR, Level.BLOCK, correct, note)
        )
    automaton = ahocorasick.Automaton()
    for key, key_entries in entries.items():
        if key:
            automaton.add_word(key, (len(key), tuple(key_entries)))
    automaton.make_automaton()
    return automaton


def automaton():
    """The automaton of the word lists as they are now."""
    global _built
    # The fingerprint is read first: a change made while building is then newer than the
    # fingerprint kept, and the next check builds again.
    fingerprint = _fingerprint()
    if _built is None or _built[0] != fingerprint:
        _built = (fingerprint, _build())
    return _built[1]


def check(content):
    """Findings of the word lists in ``content``'s texts and the plain text of its rich text."""
    words = automaton()
    if len(words) == 0:
        return []
    return [
        finding
        for label, text in readable_texts(content)
        for finding in _findings(words, label, text)
    ]


def _findings(words, label, text):
    normalized = normalize(text)
    findings, seen = [], set()
    for end, (length, entries) in words.iter(normalized.text):
        start = end + 1 - length
        matched = normalized.matched(start, end + 1)
        for entry in entries:
            if (entry.kind, matched) in seen:
                continue
            seen.add((entry.kind, matched))
            findings.append(
                Finding(
                    level=entry.level,
                    kind=entry.kind,
                    field=label,
                    matched=matched,
                    context=normalized.context(start, end + 1),
                    message=_message(entry, matched),
                )
            )
    return findings


def _message(entry, matched):
    values = {"matched": matched, "correct": entry.correct, "note": ""}
    if entry.note:
        values["note"] = _("（%(note)s）") % {"note": entry.note}
    if entry.kind == WORDING_ERROR:
        return _("“%(matched)s”应为“%(correct)s”%(note)s。") % values
    if entry.level == Level.BLOCK:
        return _("含有禁止发布的敏感词“%(matched)s”%(note)s，请删除或改写。") % values
    return _("含有敏感词“%(matched)s”%(note)s，需审核员确认无误并填写理由后方可通过。") % values
