"""管理员 may unlock locked logins (django-axes) and reset a colleague's two-factor devices
(django-otp): a frozen copy of what ``news.roles.ROLES`` gained for that."""

from importlib import import_module

from django.db import migrations

SITE_MANAGER = "管理员"
PERMISSIONS = [
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("otp_totp", "view_totpdevice"),
    ("otp_totp", "delete_totpdevice"),
    ("otp_static", "view_staticdevice"),
    ("otp_static", "delete_staticdevice"),
]

ensure_permissions = import_module("news.migrations.0003_roles").ensure_permissions


def _permissions(apps, db):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]


def grant(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    db = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(db).get(name=SITE_MANAGER)
    group.permissions.add(*_permissions(apps, db))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(db).get(name=SITE_MANAGER)
    group.permissions.remove(*_permissions(apps, db))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0006_reviewer_levels_for_reviewers"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
