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
    """``review_levels=[1]`` assigns the user review levels (news.ReviewerAssignment)."""

    is_staff = True

    @factory.post_generation
    def review_levels(obj, create, extracted, **kwargs):
        if create and extracted:
            from news.models import ReviewerAssignment

            for level in extracted:
                ReviewerAssignment.objects.create(user=obj, level=level)


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


class SensitiveWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portal.SensitiveWord"

    word = factory.Sequence(lambda n: f"测试敏感词{n}")
    level = "block"


class WordingErrorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portal.WordingError"

    wrong = factory.Sequence(lambda n: f"错误写法{n}号")
    correct = factory.Sequence(lambda n: f"正确写法{n}号")


# --- News (news app) ---
def _hours_from_now(hours):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(hours=hours)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.Channel"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")
    kind = "news"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article (publish time an hour ago) unless told otherwise."""

    class Meta:
        model = "news.Article"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"测试文章标题{n}")
    body = factory.Sequence(lambda n: f"<p>第{n}篇测试文章的正文，讲述学校党建工作。</p>")
    authors = "张明 李华"
    source = "学校供稿"
    channel = factory.SubFactory(ChannelFactory)
    status = "published"
    publish_at = factory.LazyFunction(lambda: _hours_from_now(-1))

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)

    class Params:
        draft = factory.Trait(status="draft")
        scheduled = factory.Trait(publish_at=factory.LazyFunction(lambda: _hours_from_now(48)))


class ArticleAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.ArticleAttachment"

    article = factory.SubFactory(ArticleFactory)
    title = "党建工作要点.pdf"
    file = factory.django.FileField(filename="要点.pdf", data=b"%PDF-1.4 test")


# --- end of News ---


# --- Brands (brands app) ---
class PartyOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "brands.PartyOrganization"

    name = factory.Sequence(lambda n: f"中共测试区第{n}学校支部委员会")
    kind = 30  # 党支部
    secretary = "王晓岚"
    member_count = 18
    founded_year = 2001


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "brands.School"

    name = factory.Sequence(lambda n: f"测试区第{n}小学")
    short_name = factory.Sequence(lambda n: f"第{n}小学")
    stage = 20  # 小学
    town = "文昌街道"
    party_organization = factory.SubFactory(PartyOrganizationFactory)


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "brands.Brand"

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"红烛{n}号")
    slogan = "燃烧自己，照亮童心"
    concept = "党员教师在教书育人一线当先锋。"
    status = 30  # 已命名
    is_current = True


class BrandImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "brands.BrandImage"

    brand = factory.SubFactory(BrandFactory)
    image = factory.django.ImageField(width=32, height=18, format="JPEG")
    caption = factory.Sequence(lambda n: f"党员教师开展志愿服务{n}")
    order = factory.Sequence(lambda n: n)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "brands.Campaign"

    title = factory.Sequence(lambda n: f"2025年度最优党建品牌评选{n}")
    organiser = "中共测试区教育局委员会"
    year = 2025
    result_type = "ranked"
    # A finished evaluation by default: the notice ran from 30 to 20 days ago.
    notice_start = factory.LazyFunction(lambda: _days_from_today(-30))
    notice_end = factory.LazyFunction(lambda: _days_from_today(-20))


def _days_from_today(days):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)


class AwardFactory(factory.django.DjangoModelFactory):
    """A school's honour; pass recipient_kind with brand/organization/person_name for others."""

    class Meta:
        model = "brands.Award"

    title = factory.Sequence(lambda n: f"测试区教育系统先进集体{n}")
    category = "other"
    level = 40  # 区县级
    awarded_on = factory.LazyFunction(lambda: _days_from_today(-10))
    issuing_body = "中共测试区教育局委员会"
    recipient_kind = "school"
    school = factory.SubFactory(SchoolFactory)


# --- end of Brands ---


# --- Editorial roles (news/roles.py) ---
class RoleUserFactory(StaffFactory):
    """A staff member in editorial role groups (created by migrations), e.g.
    ``RoleUserFactory(roles=["审核员"], review_levels=[1])`` or
    ``RoleUserFactory(roles=["学校通讯员"], schools=[school])``."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            groups = list(Group.objects.filter(name__in=extracted))
            assert len(groups) == len(extracted), extracted
            obj.groups.add(*groups)

    @factory.post_generation
    def schools(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.correspondent_schools.add(*extracted)
