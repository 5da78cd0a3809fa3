"""When the database cannot be reached: 503 with ``Retry-After``, not a 500.

The handler for uncaught exceptions (``handler500``) sees every error, from a view or a
middleware; those that mean "no database connection" get the 503 page, which, like the 500 page,
is rendered without context processors and so without queries. Recovery needs nothing here:
Django closes a broken connection at the end of the request and ``CONN_HEALTH_CHECKS`` checks a
kept one before reuse, so the first request after the database is back opens a new connection.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.views import defaults


def database_unreachable(exception):
    """Whether ``exception`` means a database could not be reached (connection refused or
    lost), rather than that one query failed."""
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    return any(
        connection.connection is None or not connection.is_usable()
        for connection in connections.all(initialized_only=True)
    )


def retry_later(response):
    response["Retry-After"] = str(settings.DATABASE_OUTAGE_RETRY_AFTER)
    return response


def server_error(request):
    # Django calls the handler while it handles the exception, so this is the one that got here.
    if database_unreachable(sys.exception()):
        return retry_later(HttpResponse(loader.render_to_string("503.html"), status=503))
    return defaults.server_error(request)
