"""Security response headers that Django does not set itself.

The site-wide Content-Security-Policy lives in settings (``CONTENT_SECURITY_POLICY``, django-csp);
this module loosens it for the admin only, whose third-party templates need it, and adds
``Cross-Origin-Resource-Policy``.
"""

import base64
import hashlib

from csp.constants import UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

CKEDITOR_URL_PREFIX = "/ckeditor5/"

# django-import-export's export form wires its "select all" box with this inline handler; allowing
# its hash keeps that one handler working without allowing inline scripts in general.
IMPORT_EXPORT_SELECT_ALL_HANDLER = "onSelectToggleChange(event)"


def _hash_source(script):
    digest = hashlib.sha256(script.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


ADMIN_POLICY_UPDATE = {
    # Templates of Django's admin (change list), django-import-export (export form) and
    # django-reversion-compare (history, compare) carry <style> blocks and style attributes.
    "style-src": [UNSAFE_INLINE],
    "script-src-attr": [UNSAFE_HASHES, _hash_source(IMPORT_EXPORT_SELECT_ALL_HANDLER)],
}


def admin_url_prefixes():
    admin_url = getattr(settings, "ADMIN_URL", "admin/")
    return ("/" + admin_url.strip("/") + "/", CKEDITOR_URL_PREFIX)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's additions on the admin's paths only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(admin_url_prefixes()):
            parts.update = {**ADMIN_POLICY_UPDATE, **(parts.update or {})}
        return parts


class CrossOriginResourcePolicyMiddleware:
    """Other sites may link to our pages but not embed our pages, images or scripts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
