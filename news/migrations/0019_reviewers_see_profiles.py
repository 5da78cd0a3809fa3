"""审核员 open the schools and brands whose changes they review: a frozen copy of what
``news.roles.ROLES`` gained for that."""

from importlib import import_module

from django.db import migrations

GRANTS = {
    "审核员": [("brands", "view_school"), ("brands", "view_brand"), ("brands", "view_brandimage")]
}

role_grants = import_module("news.migrations.0015_search_permissions").role_grants


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0018_profile_review"),
        ("brands", "0006_profile_review"),
        ("portal", "0003_auditor_group"),
    ]

    operations = [role_grants(GRANTS)]
