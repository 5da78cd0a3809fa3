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
