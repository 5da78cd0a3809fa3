"""编辑, 审核员 and 管理员 read the search log (搜索记录); 编辑 and 管理员 keep the search
dictionary (检索词典): a frozen copy of what ``news.roles.ROLES`` gained for that."""

from importlib import import_module

from django.db import migrations

LOG = [("news", "view_searchlog")]
TERMS = [("news", f"{action}_searchterm") for action in ("view", "add", "change", "delete")]
GRANTS = {"编辑": LOG + TERMS, "审核员": LOG, "管理员": LOG + TERMS}

ensure_permissions = import_module("portal.migrations.0003_auditor_group").ensure_permissions


def role_grants(grants):
    """The operation that gives role groups (``{name: [(app, codename), …]}``) permissions,
    and takes them back when unapplied; later migrations use it too."""

    def _grants(apps, db):
        Permission = apps.get_model("auth", "Permission")
        Group = apps.get_model("auth", "Group")
        for name, codes in grants.items():
            permissions = [
                Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
                for app, codename in codes
            ]
            yield Group.objects.using(db).get(name=name), permissions

    def grant(apps, schema_editor):
        ensure_permissions(apps, schema_editor)
        for group, permissions in _grants(apps, schema_editor.connection.alias):
            group.permissions.add(*permissions)

    def revoke(apps, schema_editor):
        for group, permissions in _grants(apps, schema_editor.connection.alias):
            group.permissions.remove(*permissions)

    return migrations.RunPython(grant, revoke)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0014_search_terms"),
        ("portal", "0003_auditor_group"),
    ]

    operations = [role_grants(GRANTS)]
