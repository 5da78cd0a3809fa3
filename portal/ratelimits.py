"""Rate limits per client address, on the shared cache (django-ratelimit).

Decorate a view with ``@rate_limit("search")`` and add ``"search": "30/m"`` to
``settings.RATE_LIMITS``; a client over the limit gets 429 with ``Retry-After`` and the Chinese
429 page. Addresses are the audit log's (``portal.audit.client_ip``), IPv6 grouped by /64.
"""

import functools

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django_ratelimit.core import get_usage

from .audit import client_ip


def rate_limit(group):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            # Without an address clients cannot be told apart; one shared limit would lock out all.
            if client_ip(request) is not None:
                usage = get_usage(
                    request, group=group, key="ip", rate=settings.RATE_LIMITS[group], increment=True
                )
                if usage is not None and usage["should_limit"]:
                    return too_many_requests(usage["time_left"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(retry_after):
    # Rendered without context processors: answering a flood must not cost database queries.
    response = HttpResponse(loader.render_to_string("429.html"), status=429)
    response["Retry-After"] = str(max(retry_after, 1))
    return response
