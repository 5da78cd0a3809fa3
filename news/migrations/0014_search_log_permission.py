"""编辑, 审核员 and 管理员 read the search log (搜索记录): a frozen copy of what
``news.roles.ROLES`` gained for that."""

from importlib import import_module

from django.db import migrations

GROUPS = ["编辑", "审核员", "管理员"]
PERMISSION = ("news", "view_searchlog")

ensure_permissions = import_module("portal.migrations.0003_auditor_group").ensure_permissions


def _groups_and_permission(apps, db):
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.using(db).get(
        content_type__app_label=PERMISSION[0], codename=PERMISSION[1]
    )
    groups = apps.get_model("auth", "Group").objects.using(db).filter(name__in=GROUPS)
    return groups, permission


def grant(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    groups, permission = _groups_and_permission(apps, schema_editor.connection.alias)
    for group in groups:
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    groups, permission = _groups_and_permission(apps, schema_editor.connection.alias)
    for group in groups:
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0013_search_log"),
        ("portal", "0003_auditor_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
