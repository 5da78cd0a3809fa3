"""Who may use the staff area (the admin and the editor's upload), and for how long.

* ``AdminNetworkMiddleware``: only addresses in ``ADMIN_ALLOWED_NETWORKS`` reach it.
* ``StaffSessionMiddleware``: a session ends after ``STAFF_SESSION_IDLE_MINUTES`` without a
  request and ``STAFF_SESSION_MAX_HOURS`` after the login.
* ``StaffVerificationMiddleware``: a staff user who has a second factor, or must have one
  (``ADMIN_REQUIRE_2FA``), confirms it before the staff area opens (``portal.two_factor``);
  then an expired password (``PASSWORD_MAX_AGE_DAYS``) must be changed first.
"""

import ipaddress
import time

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from .audit import client_ip
from .passwords import password_expired

LOGIN_AT = "staff_login_at"
LAST_SEEN = "staff_last_seen"
# A session is written at most this often just to note that its user is still there.
_LAST_SEEN_GRANULARITY = 60


def is_staff_area(path):
    return path.startswith((f"/{settings.ADMIN_URL}", "/ckeditor5/"))


def address_allowed(request):
    networks = settings.ADMIN_ALLOWED_NETWORKS
    if not networks:
        return True
    address = client_ip(request)
    if address is None:
        return False
    address = ipaddress.ip_address(address)
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


class AdminNetworkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_area(request.path_info) and not address_allowed(request):
            raise PermissionDenied("管理后台只允许从单位内部网络访问。")
        return self.get_response(request)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked user name and address: 429, the attempts are refused."""
    context = {
        **admin.site.each_context(request),
        "title": "登录已被暂时锁定",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/login_locked.html", context, status=429)


def note_login(sender, request, user, **kwargs):
    """user_logged_in receiver: the absolute session lifetime counts from here."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now


def session_expired(session, now):
    login_at = session.get(LOGIN_AT, now)
    last_seen = session.get(LAST_SEEN, now)
    return (
        now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60
        or now - login_at > settings.STAFF_SESSION_MAX_HOURS * 3600
    )


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if session_expired(request.session, now):
                logout(request)
                if is_staff_area(request.path_info):
                    return redirect_to_login(request.get_full_path())
            else:
                request.session.setdefault(LOGIN_AT, now)
                if now - request.session.get(LAST_SEEN, 0) >= _LAST_SEEN_GRANULARITY:
                    request.session[LAST_SEEN] = now
        return self.get_response(request)


def second_factor_needed(user):
    """Whether this signed-in user must still confirm a second factor."""
    if not user.is_staff or user.is_verified():
        return False
    return settings.ADMIN_REQUIRE_2FA or user_has_device(user)


# Pages a half-signed-in user may see: leaving, and the second-factor steps themselves.
_VERIFICATION_PAGES = {"admin:logout", "two_factor:verify", "two_factor:enrol"}
_PASSWORD_CHANGE_PAGES = {"admin:logout", "admin:password_change", "admin:password_change_done"}


def _url_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None


class StaffVerificationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and second_factor_needed(user)
            and not is_staff_area(request.path_info)
        ):
            # Outside the staff area (draft previews on the public site) a password alone does
            # not count as signed in.
            request.user = AnonymousUser()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not is_staff_area(request.path_info):
            return None
        name = _url_name(request)
        if second_factor_needed(user):
            if name in _VERIFICATION_PAGES:
                return None
            step = "two_factor:verify" if user_has_device(user) else "two_factor:enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        if name not in _PASSWORD_CHANGE_PAGES and password_expired(user):
            messages.warning(
                request,
                f"密码已使用超过 {settings.PASSWORD_MAX_AGE_DAYS} 天，请先修改密码再继续工作。",
            )
            return redirect("admin:password_change")
        return None
