"""The editorial roles (学校通讯员, 编辑, 审核员, 管理员) as Django groups.

A frozen copy of ``news.roles.ROLES`` as it was when this migration was written (the 审计员 group
comes from ``portal.0003_auditor_group``). Permissions are created by post_migrate, after all
migrations, so they are created here first, as portal's auditor migration does.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "学校通讯员": [
        "news.view_article",
        "news.add_article",
        "news.change_article",
        "news.submit_article",
        "news.view_articleattachment",
        "news.add_articleattachment",
        "news.change_articleattachment",
        "news.delete_articleattachment",
        "brands.view_school",
        "brands.change_school",
        "brands.view_brand",
        "brands.add_brand",
        "brands.change_brand",
        "brands.view_brandimage",
        "brands.add_brandimage",
        "brands.change_brandimage",
        "brands.delete_brandimage",
    ],
    "编辑": [
        "news.view_article",
        "news.add_article",
        "news.change_article",
        "news.submit_article",
        "news.view_articleattachment",
        "news.add_articleattachment",
        "news.change_articleattachment",
        "news.delete_articleattachment",
        "brands.all_schools",
        "news.view_channel",
        "brands.view_school",
        "brands.add_school",
        "brands.change_school",
        "brands.view_partyorganization",
        "brands.add_partyorganization",
        "brands.change_partyorganization",
        "brands.view_brand",
        "brands.add_brand",
        "brands.change_brand",
        "brands.view_brandimage",
        "brands.add_brandimage",
        "brands.change_brandimage",
        "brands.delete_brandimage",
        "brands.view_campaign",
        "brands.add_campaign",
        "brands.change_campaign",
        "brands.view_award",
        "brands.add_award",
        "brands.change_award",
    ],
    "审核员": [
        "brands.all_schools",
        "news.view_article",
        "news.view_articleattachment",
        "news.approve_article",
        "news.publish_article",
    ],
    "管理员": [
        "news.view_article",
        "news.add_article",
        "news.change_article",
        "news.submit_article",
        "news.view_articleattachment",
        "news.add_articleattachment",
        "news.change_articleattachment",
        "news.delete_articleattachment",
        "brands.view_school",
        "brands.add_school",
        "brands.change_school",
        "brands.view_partyorganization",
        "brands.add_partyorganization",
        "brands.change_partyorganization",
        "brands.view_brand",
        "brands.add_brand",
        "brands.change_brand",
        "brands.view_brandimage",
        "brands.add_brandimage",
        "brands.change_brandimage",
        "brands.delete_brandimage",
        "brands.view_campaign",
        "brands.add_campaign",
        "brands.change_campaign",
        "brands.view_award",
        "brands.add_award",
        "brands.change_award",
        "brands.all_schools",
        "brands.assign_correspondents",
        "brands.delete_school",
        "brands.delete_partyorganization",
        "brands.delete_brand",
        "brands.delete_campaign",
        "brands.delete_award",
        "news.delete_article",
        "news.publish_article",
        "news.change_publish_time",
        "news.view_channel",
        "news.add_channel",
        "news.change_channel",
        "news.delete_channel",
        "news.view_reviewerassignment",
        "news.add_reviewerassignment",
        "news.change_reviewerassignment",
        "news.delete_reviewerassignment",
        "portal.view_sitesettings",
        "portal.add_sitesettings",
        "portal.change_sitesettings",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.view_group",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "auth.view_permission",
    ],
}


def ensure_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for name, perms in ROLES.items():
        group, _created = Group.objects.using(db).get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                Permission.objects.using(db).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0002_workflow"),
        ("brands", "0004_school_correspondents"),
        ("portal", "0004_sitesettings_review_levels"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
    ]
