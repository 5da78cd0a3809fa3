"""The 审计员 (auditor) role: may read the audit log and nothing else.

Permissions are normally created by the post_migrate signal, after every migration has run, so a
fresh database has no permission rows yet at this point: create them here first. The other role
groups follow the same pattern.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUDITOR_GROUP = "审计员"
AUDITOR_PERMISSIONS = [("portal", "view_auditlogentry")]


def ensure_permissions(apps, schema_editor):
    """Create the content types and permissions of every app known to this migration state."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None


def create_auditor_group(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group, _created = Group.objects.using(db).get_or_create(name=AUDITOR_GROUP)
    permissions = [
        Permission.objects.using(db).get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in AUDITOR_PERMISSIONS
    ]
    # Exactly these: the auditor must not be able to change anything.
    group.permissions.set(permissions)


def remove_auditor_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=AUDITOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_audit_log"),
    ]

    operations = [
        migrations.RunPython(create_auditor_group, remove_auditor_group),
    ]
