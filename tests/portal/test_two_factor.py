"""Two-factor authentication for staff: enrolment with a QR code drawn here, the code after the
password, one-time recovery codes, and ADMIN_REQUIRE_2FA sending staff to enrolment first."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.models import ArticleStatus
from portal.models import AuditLogEntry
from tests.factories import (
    ArticleFactory,
    ChannelFactory,
    RoleUserFactory,
    StaffFactory,
    SuperuserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client, username):
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.fixture
def require_2fa(settings):
    settings.ADMIN_REQUIRE_2FA = True


@pytest.fixture
def no_wait_after_a_wrong_code(settings):
    """django-otp makes the next try wait a second after a wrong code; these tests do not."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def enrolled(db):
    """A staff user with a confirmed authenticator and two recovery codes."""
    user = StaffFactory(username="enrolled")
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="恢复码")
    recovery.token_set.create(token="abcd2345")
    recovery.token_set.create(token="efgh6789")
    return user, device


def test_when_required_staff_without_a_device_are_sent_to_enrolment(client, require_2fa):
    client.force_login(StaffFactory(username="newcomer"))
    for url in [
        reverse("admin:index"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:password_change"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor:enrol") + "?next=")


def test_enrolment_shows_a_qr_code_and_confirms_with_a_correct_code(
    client, require_2fa, no_wait_after_a_wrong_code
):
    user = StaffFactory(username="newcomer")
    client.force_login(user)
    key_before = client.session.session_key
    page = client.get(reverse("two_factor:enrol"), {"next": reverse("admin:index")})
    html = page.content.decode()
    assert page.status_code == 200
    assert "启用两步验证" in html and "<svg" in html and "扫描下面的二维码" in html
    assert "本站要求所有工作人员使用两步验证" in html
    assert page["Cache-Control"].startswith("max-age=0")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get(reverse("two_factor:enrol")).context["secret"] == page.context["secret"]

    wrong = client.post(reverse("two_factor:enrol"), {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    done = client.post(
        reverse("two_factor:enrol"), {"code": code_for(device), "next": reverse("admin:index")}
    )
    html = done.content.decode()
    assert done.status_code == 200
    assert "恢复码只显示这一次" in html
    device.refresh_from_db()
    assert device.confirmed
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in html for code in codes)
    assert client.session.session_key != key_before
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditLogEntry.objects.filter(action="two_factor", actor=user).exists()
    # The codes are never shown again.
    assert codes[0] not in client.get(reverse("two_factor:enrol")).content.decode()


def test_login_asks_for_the_code_after_the_password(client, enrolled, no_wait_after_a_wrong_code):
    _user, device = enrolled
    page = password_login(client, "enrolled")
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("two_factor:verify"))
    verify_url = page["Location"]
    html = client.get(verify_url).content.decode()
    assert "6 位验证码" in html
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 302

    wrong = client.post(verify_url, {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    response = client.post(verify_url, {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_makes_the_next_try_wait(client, enrolled):
    _user, device = enrolled
    password_login(client, "enrolled")
    client.post(reverse("two_factor:verify"), {"code": "000000"})
    response = client.post(reverse("two_factor:verify"), {"code": code_for(device)})
    assert "多次输错后需稍等片刻再试" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    entry = AuditLogEntry.objects.filter(action="two_factor").first()
    assert entry.comment == "两步验证失败：验证码错误"


def test_a_recovery_code_works_once(client, enrolled):
    password_login(client, "enrolled")
    response = client.post(reverse("two_factor:verify"), {"code": "ABCD 2345"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert "剩余 1 个" in AuditLogEntry.objects.filter(action="two_factor").last().comment
    client.post(reverse("admin:logout"))

    password_login(client, "enrolled")
    again = client.post(reverse("two_factor:verify"), {"code": "abcd2345"})
    assert again.status_code == 200
    assert "验证码不正确或已使用过" in again.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_next_address_elsewhere_is_not_followed(client, enrolled):
    _user, device = enrolled
    password_login(client, "enrolled")
    response = client.post(
        reverse("two_factor:verify"), {"code": code_for(device), "next": "https://example.com/"}
    )
    assert response["Location"] == reverse("admin:index")


def test_a_device_is_asked_for_even_when_not_required(client, enrolled, settings):
    settings.ADMIN_REQUIRE_2FA = False
    assert password_login(client, "enrolled").status_code == 302


def test_when_not_required_staff_without_a_device_may_work_and_may_enrol(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    client.force_login(StaffFactory(username="newcomer"))
    assert client.get(reverse("admin:index")).status_code == 200
    page = client.get(reverse("two_factor:enrol"))
    assert page.status_code == 200
    assert "本站要求" not in page.content.decode()


def test_the_password_alone_does_not_preview_drafts(client, enrolled):
    user, device = enrolled
    user.is_superuser = True
    user.save()
    draft = ArticleFactory(channel=ChannelFactory(), status=ArticleStatus.DRAFT)
    password_login(client, "enrolled")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.post(reverse("two_factor:verify"), {"code": code_for(device)})
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_editor_upload_needs_the_second_factor(client, enrolled):
    password_login(client, "enrolled")
    response = client.post(reverse("ck_editor_5_upload_file"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:verify"))


def test_a_site_manager_can_reset_a_colleagues_devices_without_seeing_the_secret(client, enrolled):
    _user, device = enrolled
    client.force_login(RoleUserFactory(username="manager", roles=["管理员"]))
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()


def test_superusers_are_staff_too(client, require_2fa):
    client.force_login(SuperuserFactory(username="chief"))
    assert client.get(reverse("admin:index")).status_code == 302


def test_every_admin_page_links_to_the_enrolment(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    client.force_login(StaffFactory())
    html = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("two_factor:enrol")}">两步验证</a>' in html


@pytest.mark.parametrize("code", ["", "12\x0034", "9" * 100])
def test_a_malformed_code_gets_a_chinese_message(client, enrolled, code):
    password_login(client, "enrolled")
    response = client.post(reverse("two_factor:verify"), {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "Ensure" not in response.content.decode() and "Null" not in response.content.decode()
