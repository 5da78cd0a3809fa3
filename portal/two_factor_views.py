"""The second-factor pages under the admin's address: enrolment and the code asked after the
password. The rules are in ``portal.two_factor``."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import user_has_device

from . import two_factor

app_name = "two_factor"


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


def _context(request, **extra):
    return {**admin.site.each_context(request), "next": _next_url(request), **extra}


@never_cache
@staff_member_required
@sensitive_post_parameters("code")
def enrol(request):
    user = request.user
    if user_has_device(user) and not user.is_verified():
        # Replacing a device needs the old one first.
        return redirect("two_factor:verify")
    device = two_factor.pending_totp_device(user)
    form = two_factor.CodeForm(request.POST or None)
    if form.is_valid():
        codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            # Shown this once, in the answer to the confirming post: never again on a GET.
            return render(
                request,
                "admin/two_factor/recovery_codes.html",
                _context(request, title="两步验证已启用", codes=codes),
            )
        form.add_error("code", "验证码不正确，请核对手机上当前显示的 6 位数字后重试。")
    return render(
        request,
        "admin/two_factor/enrol.html",
        _context(
            request,
            title="启用两步验证",
            require_2fa=settings.ADMIN_REQUIRE_2FA,
            form=form,
            qr_code=two_factor.qr_code_svg(device),
            secret=two_factor.secret_text(device),
        ),
    )


@never_cache
@staff_member_required
@sensitive_post_parameters("code")
def verify(request):
    if not user_has_device(request.user):
        return redirect("two_factor:enrol")
    form = two_factor.CodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", "验证码不正确或已使用过。多次输错后需稍等片刻再试。")
    return render(
        request, "admin/two_factor/verify.html", _context(request, title="两步验证", form=form)
    )


urlpatterns = [
    path("enrol/", enrol, name="enrol"),
    path("verify/", verify, name="verify"),
]
