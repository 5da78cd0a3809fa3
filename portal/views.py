import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "portal/home.html")


@never_cache
@require_safe
def healthz(request):
    """For load balancers: does this app server reach its database?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})
