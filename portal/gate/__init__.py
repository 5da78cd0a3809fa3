"""The publication gate's checks: everything that must not reach the public.

``inspect(content)`` runs every check on a ``Content`` and returns the findings, blocks
first. The checks are plain functions ``check(content) -> list[Finding]`` listed in
``CHECKS``; the workflow decides what a finding stops (``news.workflow``).
"""

from . import links, personal, words
from .findings import Content, Finding, Level, content_of

CHECKS = [words.check, personal.check, links.check]

_ORDER = {Level.BLOCK: 0, Level.CONFIRM: 1, Level.NOTE: 2}


def inspect(content):
    """Every finding of every check on ``content`` (a ``Content``), blocks first."""
    findings = [finding for check in CHECKS for finding in check(content)]
    return sorted(findings, key=lambda finding: _ORDER[finding.level])


__all__ = ["CHECKS", "Content", "Finding", "Level", "content_of", "inspect"]
