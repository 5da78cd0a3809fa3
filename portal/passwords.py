"""Password rules beyond Django's validators, the password age, and demo passwords that obey
the rules.

The rules themselves are ``AUTH_PASSWORD_VALIDATORS`` in the settings: at least 12 characters,
three of the four character classes (``CharacterClassesValidator`` here), not like the user name,
not a common password, not only digits.
"""

import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import PasswordChange

_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda char: not char.isalnum()),
)


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _name, test in _CLASSES if any(test(char) for char in password))
        if present < self.min_classes:
            raise ValidationError(
                "密码至少要包含大写字母、小写字母、数字、符号中的 %(min_classes)d 类。",
                code="password_too_few_character_classes",
                params={"min_classes": self.min_classes},
            )

    def get_help_text(self):
        return f"密码至少要包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类。"


def generate_password(user=None):
    """A random password that passes every configured rule (for generated accounts)."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#%"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(16))
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


def password_expired(user):
    """Whether ``PASSWORD_MAX_AGE_DAYS`` is on and the user's password is older than that.

    A password set before the age was recorded counts from the day the account was created.
    """
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if not max_age:
        return False
    change = PasswordChange.objects.filter(user=user).first()
    changed_at = change.changed_at if change else user.date_joined
    return timezone.now() - changed_at > timedelta(days=max_age)


def record_password_change(sender, instance, raw=False, **kwargs):
    """post_save receiver for the user model: ``set_password()`` leaves the new raw password in
    ``_password`` until the save is done, which is how Django itself knows it changed."""
    if raw or getattr(instance, "_password", None) is None:
        return
    PasswordChange.objects.update_or_create(user=instance, defaults={"changed_at": timezone.now()})
