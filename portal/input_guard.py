"""Addresses with control characters are refused with 400 before any view reads them.

No page of the site has a control character (NUL, line breaks, DEL…) in its path or query
parameters, and they cannot reach the database: PostgreSQL refuses NUL in text, so a view
looking up ``/news/tags/主题党日%00/`` failed with a 500. One guard in front of every view
instead of a check in each of them; the 400 page (``templates/400.html``) says what went wrong.
"""

import re

from django.core.exceptions import BadRequest

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(request):
    """True if the decoded path, or a decoded query parameter name or value, has one."""
    if _CONTROL_CHARACTERS.search(request.path):
        return True
    return any(
        _CONTROL_CHARACTERS.search(key) or any(_CONTROL_CHARACTERS.search(v) for v in values)
        for key, values in request.GET.lists()
    )


def reject_control_characters(get_response):
    def middleware(request):
        if has_control_characters(request):
            raise BadRequest("Control character in the path or query string")
        return get_response(request)

    return middleware
