"""factory_boy factories shared by every test module."""

import factory
from django.contrib.auth import get_user_model

from portal.models import SiteSettings


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")
    is_staff = False


class StaffFactory(UserFactory):
    is_staff = True


class SuperuserFactory(StaffFactory):
    is_superuser = True


class SiteSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteSettings

    site_name = "测试区教育系统党建网"
    sponsor = "中共测试区教育局委员会"


class AuditLogEntryFactory(factory.django.DjangoModelFactory):
    """An audit log row written directly (the code writes them through portal.audit.record)."""

    class Meta:
        model = "portal.AuditLogEntry"

    action = "other"
    actor_username = factory.Sequence(lambda n: f"actor{n}")
    comment = "测试记录"
    ip_address = "192.0.2.10"


class AuditorFactory(StaffFactory):
    """A staff member in the 审计员 group that portal's data migration creates."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def auditor_group(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            obj.groups.add(Group.objects.get(name="审计员"))
