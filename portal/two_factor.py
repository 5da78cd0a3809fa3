"""Two-factor authentication for staff (django-otp): one TOTP app per user, plus ten one-time
recovery codes for the day the phone is lost.

Enrolment creates an unconfirmed TOTP device; the first correct code from the app confirms it,
replaces any earlier devices of the user and issues the recovery codes. The staff area's
gatekeeper is ``portal.staff_access.StaffVerificationMiddleware``; the pages are
``portal.two_factor_views``.
"""

import re
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"
_TOTP_CODE = re.compile(r"\d{6}")


def pending_totp_device(user):
    """The user's unconfirmed TOTP device, created on first call; the same one on reload, so
    the QR code already scanned stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(device):
    """The device's otpauth:// address as an inline SVG QR code, drawn here."""
    code = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    return code.to_string(encoding="unicode")


def secret_text(device):
    """The secret in base32, in groups of four, for apps that cannot scan."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise(code):
    return re.sub(r"[\s-]", "", code or "").lower()


@transaction.atomic
def confirm_enrolment(request, device, code):
    """Confirm ``device`` with the first code from the app. Returns the new recovery codes, or
    None when the code is wrong. The request counts as verified afterwards."""
    if not device.verify_token(_normalise(code)):
        return None
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    _mark_verified(request, device)
    audit.record("two_factor", request=request, comment="启用两步验证（身份验证器和恢复码）")
    return codes


def verify(request, code):
    """Check a code from the app, or one recovery code (used up by this). True on success."""
    user = request.user
    code = _normalise(code)
    model = TOTPDevice if _TOTP_CODE.fullmatch(code) else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(code):
        audit.record("two_factor", request=request, comment="两步验证失败：验证码错误")
        return False
    _mark_verified(request, device)
    if model is StaticDevice:
        left = device.token_set.count()
        audit.record("two_factor", request=request, comment=f"使用恢复码登录，剩余 {left} 个")
    return True


def _mark_verified(request, device):
    django_otp.login(request, device)
    # More rights than a moment ago: a new session id, as at the password step.
    request.session.cycle_key()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": "请输入验证码。"},
    )
