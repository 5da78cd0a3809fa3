"""Password rules (12 characters, three of four character classes, not like the user name, not
common), all in Chinese; the optional maximum age; generated demo passwords obey the rules."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal import demo
from portal.models import PasswordChange
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def messages_for(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "密码太短，至少需要 12 个字符。"),
        ("abcdefghijkl1", "密码至少要包含大写字母、小写字母、数字、符号中的 3 类。"),
        ("ABCDEFGHIJK!", "密码至少要包含大写字母、小写字母、数字、符号中的 3 类。"),
        ("Password1234", "这个密码太常见了。"),
        ("Zhangwei2024!", "密码跟 用户名 太相似了。"),
    ],
)
def test_each_rule_refuses_with_a_chinese_message(password, message):
    user = UserFactory.build(username="zhangwei2024")
    assert message in messages_for(password, user)


@pytest.mark.parametrize("password", ["Qing-wan-2026-dj", "qingwan#dangjian7", "QINGWAN-dangjian"])
def test_three_classes_of_twelve_characters_are_enough(password):
    assert messages_for(password, UserFactory.build(username="editor")) == []


def test_the_admin_password_change_form_explains_the_rules_in_chinese(client):
    client.force_login(StaffFactory(username="editor"))
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "密码太短，至少需要 12 个字符。" in html
    assert "This password" not in html


def test_demo_passwords_obey_the_rules(tmp_path, monkeypatch):
    credentials = tmp_path / "credentials.txt"
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", credentials)
    call_command("load_demo")
    users = get_user_model().objects.in_bulk(field_name="username")
    for line in credentials.read_text().splitlines():
        username, password, _name = line.split("\t")
        assert messages_for(password, users[username]) == [], username


@pytest.fixture
def old_password(db):
    user = StaffFactory(username="editor")
    user.date_joined = timezone.now() - timedelta(days=100)
    user.save()
    return user


def test_without_a_maximum_age_old_passwords_keep_working(client, old_password):
    client.force_login(old_password)
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_expired_password_must_be_changed_first(client, old_password, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client.force_login(old_password)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:password_change")
    assert "密码已使用超过 90 天" in response.content.decode()

    new_password = "Qing-wan-2026-dj"
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert PasswordChange.objects.get(user=old_password).changed_at > timezone.now() - timedelta(
        minutes=1
    )
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recent_password_change_counts_not_the_account_age(client, old_password, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    PasswordChange.objects.create(user=old_password, changed_at=timezone.now() - timedelta(days=10))
    client.force_login(old_password)
    assert client.get(reverse("admin:index")).status_code == 200
