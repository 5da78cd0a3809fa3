"""管理员 manages the publication gate's word lists (敏感词, 严重表述错误): a frozen copy of
what ``news.roles.ROLES`` gained for that."""

from importlib import import_module

from django.db import migrations

SITE_MANAGER = "管理员"
PERMISSIONS = [
    ("portal", f"{action}_{model}")
    for model in ("sensitiveword", "wordingerror")
    for action in ("view", "add", "change", "delete")
]

ensure_permissions = import_module("portal.migrations.0003_auditor_group").ensure_permissions


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
        ("portal", "0007_wording_errors"),
        ("news", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
