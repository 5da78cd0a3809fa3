"""Public pages accept GET and HEAD; any other method gets 405 with ``Allow: GET, HEAD``.

They are also exempt from the CSRF check, which runs before the view and would answer a POST
with 403 before the view could say 405. A view that refuses every unsafe method has nothing the
check protects.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def safe_methods_only(view):
    """For function views, and for views we route but do not write (feeds, the site map)."""
    return csrf_exempt(require_safe(view))


class SafeMethodsOnlyMixin:
    """For class-based views: their own 405 for what ``http_method_names`` leaves out."""

    http_method_names = ["get", "head"]

    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)
