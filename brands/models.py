"""Schools, their party organisations and party-building brands, honours and evaluations.

This app knows nothing of ``news``: the news app points at ``School`` and ``Brand``
(``Article.schools`` / ``Article.brand`` with ``related_name="articles"``), and pages here list
articles through those reverse relations only.

Design notes
------------
* Party organisation ↔ school: the foreign key lives on ``School`` (``School.party_organization``).
  A school therefore has at most one organisation, and one organisation may cover several
  schools — which is allowed only for a 联合党支部 (checked in ``School.clean``).
* Current brand: ``Brand.is_current`` with a partial unique constraint (one current brand per
  school, enforced by the database); saving a brand as current clears the flag on the school's
  other brands, so editors never hit the constraint in normal use.
* Announcements: an award or campaign may link to its announcement article by URL
  (``announcement_url``) because this app must not import ``news``.
"""

import functools
import operator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.gate import content_of
from portal.images import PictureField
from portal.uploads import DatedRandomPath

SLUG_MAX_LENGTH = 80
CURRENT_BRAND_CONSTRAINT = "brands_brand_one_current_per_school"


def pinyin_slug(text, max_length=SLUG_MAX_LENGTH, fallback="item"):
    """``"青湾区第一小学"`` → ``"qing-wan-qu-di-yi-xiao-xue"``; ASCII is kept as it is;
    ``fallback`` when nothing is left (a text of punctuation only)."""
    # pypinyin loads its dictionaries on import, some 50 MiB: only saving a name needs them, so
    # a gunicorn worker serving pages never holds them.
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(str(text), errors="default")
    slug = slugify("-".join(words))[:max_length].strip("-")
    return slug or fallback


def unique_slug(instance, text, field_name="slug", fallback="item"):
    """A pinyin slug for ``text`` not used by another row of the instance's model."""
    base = pinyin_slug(text, SLUG_MAX_LENGTH - 6, fallback)
    model = type(instance)
    others = model._default_manager.exclude(pk=instance.pk) if instance.pk else None
    others = others if others is not None else model._default_manager.all()
    taken = set(
        others.filter(**{f"{field_name}__startswith": base}).values_list(field_name, flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


class Stage(models.IntegerChoices):
    """School stages, numbered so that ordering by the value gives the usual order."""

    KINDERGARTEN = 10, _("幼儿园")
    PRIMARY = 20, _("小学")
    JUNIOR = 30, _("初中")
    NINE_YEAR = 40, _("九年一贯制")
    SENIOR = 50, _("高中")
    COMPLETE = 60, _("完全中学")
    VOCATIONAL = 70, _("职业学校")
    SPECIAL = 80, _("特殊教育")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


class OrganizationKind(models.IntegerChoices):
    COMMITTEE = 10, _("党委")
    GENERAL_BRANCH = 20, _("党总支")
    BRANCH = 30, _("党支部")
    JOINT_BRANCH = 40, _("联合党支部")


class PartyOrganizationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The organisations ``user`` may work on in the admin: all of them with
        ``brands.all_schools``, otherwise none (an organisation may cover other schools too)."""
        return self if works_on_every_school(user) else self.none()

    def with_schools(self):
        return self.prefetch_related(
            models.Prefetch(
                "schools",
                queryset=School.objects.only("name", "slug", "stage", "party_organization_id"),
            )
        )


class PartyOrganization(models.Model):
    """A school's party organisation; a 联合党支部 may cover several small schools."""

    kind = models.PositiveSmallIntegerField(
        _("组织类型"),
        choices=OrganizationKind.choices,
        default=OrganizationKind.BRANCH,
        help_text=_("只有“联合党支部”可以同时覆盖多所学校。"),
    )
    name = models.CharField(
        _("组织名称"),
        max_length=100,
        unique=True,
        help_text=_("全称，例如：中共青湾区实验小学支部委员会。"),
    )
    secretary = models.CharField(
        _("书记"), max_length=50, blank=True, help_text=_("只填写姓名，不填写其他个人信息。")
    )
    member_count = models.PositiveIntegerField(
        _("党员人数"), null=True, blank=True, help_text=_("在册党员人数，可不填。")
    )
    founded_year = models.PositiveSmallIntegerField(_("成立年份"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("例如区教育局党委；可不填。"),
    )

    objects = PartyOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "name"], name="brands_org_kind_name_idx")]

    def __str__(self):
        return self.name

    def gate_content(self):
        """What the publication gate checks of this party organisation (``portal.gate``)."""
        return content_of(self, texts=["name", "secretary"])

    @property
    def is_joint(self):
        return self.kind == OrganizationKind.JOINT_BRANCH

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级组织不能是它自己。")})
        if self.pk and not self.is_joint and self.schools.count() > 1:
            raise ValidationError(
                {"kind": _("这个组织覆盖了多所学校，只有联合党支部可以这样设置。")}
            )


# A user with this permission works on every school; without it, only on the schools they are
# a correspondent (学校通讯员) of. News uses the same rule for articles.
ALL_SCHOOLS_PERMISSION = "brands.all_schools"


def works_on_every_school(user):
    """Whether ``user`` holds ``brands.all_schools``; without it (学校通讯员) they work on the
    schools they are a correspondent of (``School.correspondents``) only."""
    return user.is_authenticated and user.is_active and user.has_perm(ALL_SCHOOLS_PERMISSION)


def _holding_every(words, fields):
    """Rows holding each of ``words`` in at least one of ``fields`` (few rows: schools and
    brands are searched directly, not through the article index)."""
    condition = Q()
    for word in words:
        condition &= functools.reduce(
            operator.or_, (Q(**{f"{name}__icontains": word}) for name in fields)
        )
    return condition


class SchoolQuerySet(models.QuerySet):
    def matching(self, words):
        """搜索: the schools whose name, short name or introduction hold every one of ``words``."""
        if not words:
            return self.none()
        return self.filter(_holding_every(words, ["name", "short_name", "introduction"]))

    def for_user(self, user):
        """The schools ``user`` may work on in the admin: all of them with the
        ``brands.all_schools`` permission, otherwise the ones they are a correspondent of."""
        if works_on_every_school(user):
            return self
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(correspondents=user)

    def for_cards(self):
        """Everything a school card shows, in a constant number of queries."""
        return self.select_related("party_organization").prefetch_related(
            models.Prefetch(
                "brands",
                queryset=Brand.objects.current().only(
                    "pk", "school_id", "name", "slug", "kind", "status", "is_current"
                ),
                to_attr="current_brands",
            )
        )


class School(models.Model):
    name = models.CharField(
        _("学校名称"), max_length=100, unique=True, help_text=_("学校全称，例如：青湾区实验小学。")
    )
    short_name = models.CharField(
        _("简称"), max_length=30, blank=True, help_text=_("卡片和列表里显示的简称，可不填。")
    )
    slug = models.SlugField(
        _("网址标识"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text=_("留空时按校名拼音自动生成；生成后不随校名改变，以免已有链接失效。"),
    )
    stage = models.PositiveSmallIntegerField(_("学段"), choices=Stage.choices)
    ownership = models.CharField(
        _("办学性质"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    town = models.CharField(
        _("镇街"), max_length=50, help_text=_("学校所在的镇或街道，例如：文昌街道。")
    )
    education_group = models.CharField(
        _("教育集团"), max_length=100, blank=True, help_text=_("所属教育集团，没有则留空。")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    website = models.URLField(_("学校网站"), blank=True)
    introduction = models.TextField(_("学校简介"), blank=True, help_text=_("纯文本，空一行分段。"))
    photo = PictureField(
        _("学校照片"),
        upload_to=DatedRandomPath("schools"),
        purposes=("cover",),
        blank=True,
        help_text=_("校园或校门照片，横版为佳。"),
    )
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("党组织"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
        help_text=_("学校所属的党组织。几所学校共建联合党支部时，选择同一个联合党支部。"),
    )
    correspondents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="correspondent_schools",
        blank=True,
        verbose_name=_("学校通讯员"),
        help_text=_(
            "负责本校稿件和党建品牌的后台账号（需属于“学校通讯员”用户组）。"
            "通讯员只能看到和编辑所负责学校的内容。"
        ),
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["stage", "name"]
        permissions = [
            ("all_schools", _("可以处理所有学校的内容")),
            ("assign_correspondents", _("可以指定学校通讯员")),
        ]
        indexes = [models.Index(fields=["stage", "name"], name="brands_school_stage_name_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("brands:school_detail", kwargs={"slug": self.slug})

    def gate_content(self):
        """What the publication gate checks of this school (``portal.gate``)."""
        return content_of(self, texts=["name", "short_name", "address", "introduction"])

    def clean(self):
        organization = self.party_organization
        if organization is not None and not organization.is_joint:
            others = organization.schools.exclude(pk=self.pk) if organization.pk else None
            if others is not None and others.exists():
                raise ValidationError(
                    {
                        "party_organization": _(
                            "“%(org)s”已经是“%(school)s”的党组织；只有联合党支部可以覆盖多所学校。"
                        )
                        % {"org": organization, "school": others.first()}
                    }
                )


class BrandKind(models.TextChoices):
    ORGANIZATION = "organization", _("基层党组织特色品牌")
    PIONEER = "pioneer", _("优秀共产党员先锋品牌")


class BrandStatus(models.IntegerChoices):
    CULTIVATING = 10, _("培育中")
    BUILDING = 20, _("创建中")
    NAMED = 30, _("已命名")


class BrandQuerySet(models.QuerySet):
    def public(self):
        """The brands the public sees: a brand added by somebody who does not publish directly
        waits for its review first (``news.workflow.profiles``)."""
        return self.filter(published=True)

    def current(self):
        return self.public().filter(is_current=True)

    def matching(self, words):
        """搜索: the brands whose name, slogan or concept hold every one of ``words``."""
        if not words:
            return self.none()
        return self.public().filter(_holding_every(words, ["name", "slogan", "concept"]))

    def for_cards(self):
        return self.public().select_related("school")


class Brand(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="brands"
    )
    kind = models.CharField(
        _("品牌类型"), max_length=20, choices=BrandKind.choices, default=BrandKind.ORGANIZATION
    )
    name = models.CharField(
        _("品牌名称"),
        max_length=50,
        help_text=_("通常是两到四个字，不用加引号，页面上会自动加上，例如：红烛先锋。"),
    )
    slug = models.SlugField(
        _("网址标识"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text=_("留空时按品牌名称拼音自动生成；生成后不再改变。"),
    )
    slogan = models.CharField(
        _("品牌口号"), max_length=100, blank=True, help_text=_("一句话，显示在品牌卡片上。")
    )
    logo = PictureField(
        _("品牌标识"),
        upload_to=DatedRandomPath("brands/logos"),
        purposes=("logo",),
        blank=True,
        help_text=_("方形图片，PNG 为佳。"),
    )
    logo_alt = models.CharField(
        _("标识的替代文字"),
        max_length=150,
        blank=True,
        help_text=_("给看不到图片的读者的一句描述，例如：红色圆环中间一颗五角星。"),
    )
    logo_meaning = models.TextField(_("标识释义"), blank=True)
    concept = models.TextField(_("品牌内涵"), blank=True, help_text=_("纯文本，空一行分段。"))
    mechanism = models.TextField(_("工作机制"), blank=True, help_text=_("纯文本，空一行分段。"))
    carriers = models.TextField(_("活动载体"), blank=True, help_text=_("纯文本，空一行分段。"))
    results = models.TextField(_("成效与影响"), blank=True, help_text=_("纯文本，空一行分段。"))
    founded_year = models.PositiveSmallIntegerField(_("创建年份"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(
        _("品牌状态"), choices=BrandStatus.choices, default=BrandStatus.CULTIVATING
    )
    is_current = models.BooleanField(
        _("学校当前品牌"),
        default=True,
        help_text=_("每所学校只有一个当前品牌；把这个品牌设为当前品牌时，该校其他品牌会自动取消。"),
    )

    published = models.BooleanField(
        _("已公开"),
        default=True,
        editable=False,
        help_text=_("新建的品牌通过审核后才在网站上显示。"),
    )

    objects = BrandQuerySet.as_manager()

    class Meta:
        verbose_name = _("党建品牌")
        verbose_name_plural = _("党建品牌")
        ordering = ["-status", "name"]
        indexes = [models.Index(fields=["-status", "name"], name="brands_brand_status_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_current=True, published=True),
                name=CURRENT_BRAND_CONSTRAINT,
                violation_error_message=_("这所学校已经有一个当前品牌。"),
            ),
            models.UniqueConstraint(
                fields=["school", "name"],
                name="brands_brand_unique_name_per_school",
                violation_error_message=_("这所学校已经有同名的品牌。"),
            ),
        ]

    def __str__(self):
        # The admin's messages put the name in quotation marks themselves; pages use quoted_name.
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        with transaction.atomic():
            # A brand waiting for its first review takes the place when it is published.
            if self.is_current and self.school_id and self.published:
                Brand.objects.filter(school_id=self.school_id, is_current=True).exclude(
                    pk=self.pk
                ).update(is_current=False)
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("brands:brand_detail", kwargs={"slug": self.slug})

    def gate_content(self, captions=None):
        """What the publication gate checks of this brand (``portal.gate``), gallery captions
        included (``captions``: those of a gallery not saved yet)."""
        if captions is None:
            captions = [image.caption for image in self.images.all()] if self.pk else []
        captions = "\n".join(captions)
        texts = ["name", "slogan", "logo_alt", "logo_meaning", "concept", "mechanism"]
        return content_of(
            self,
            texts=[*texts, "carriers", "results"],
            extra={str(BrandImage._meta.get_field("caption").verbose_name): captions},
        )

    def clean(self):
        if self.logo and not self.logo_alt.strip():
            raise ValidationError(
                {
                    "logo_alt": _(
                        "有品牌标识时必须填写替代文字，描述标识的样子，给看不到图片的读者。"
                    )
                }
            )

    def gallery(self):
        """The gallery as a list of {image, caption, order}: how a change waiting for review
        keeps it (``news.workflow.profiles``)."""
        if self.pk is None:
            return []
        return [
            {"image": image.image.name, "caption": image.caption, "order": image.order}
            for image in self.images.all()
        ]

    def replace_gallery(self, gallery):
        """Make ``gallery`` (as ``gallery()`` gives it) this brand's photos. The files stay: an
        old version in the history may still show them."""
        if gallery == self.gallery():
            return
        self.images.all().delete()
        BrandImage.objects.bulk_create(BrandImage(brand=self, **item) for item in gallery)

    @property
    def quoted_name(self):
        return f"“{self.name}”"

    def get_constraints(self):
        # Becoming current demotes the school's other brand in save(), so model validation
        # (admin forms, imports) must not reject it; the database still enforces the rule.
        constraints = super().get_constraints()
        if not self.is_current:
            return constraints
        return [
            (model, [c for c in model_constraints if c.name != CURRENT_BRAND_CONSTRAINT])
            for model, model_constraints in constraints
        ]


class BrandImage(models.Model):
    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌"), on_delete=models.CASCADE, related_name="images"
    )
    image = PictureField(_("图片"), upload_to=DatedRandomPath("brands/gallery"), purposes=("card",))
    caption = models.CharField(
        _("图片说明"),
        max_length=200,
        help_text=_("显示在图片下方，也作为图片的替代文字，写清楚图里是什么活动。"),
    )
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面。")
    )

    class Meta:
        verbose_name = _("品牌图片")
        verbose_name_plural = _("品牌图片")
        ordering = ["brand", "order", "pk"]

    def __str__(self):
        return self.caption


def working_days(start, end):
    """Mondays to Fridays from ``start`` to ``end``, both included.

    Statutory holidays and their make-up working days are not known here; editors check them.
    """
    if start is None or end is None or end < start:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    for offset in range(rest):
        if (start.weekday() + offset) % 7 < 5:
            count += 1
    return count


MIN_NOTICE_WORKING_DAYS = 5


class ResultType(models.TextChoices):
    RANKED = "ranked", _("排名")
    GRADED = "graded", _("分等次")
    UNRANKED = "unranked", _("不分先后")


class CampaignStatus(models.IntegerChoices):
    SELECTING = 10, _("评选中")
    NOTICE = 20, _("公示中")
    PUBLISHED = 30, _("已公布")


def campaign_status(notice_start, notice_end, today):
    """The one rule: before the notice window 评选中, inside it 公示中, after it 已公布."""
    if notice_start is None or today < notice_start:
        return CampaignStatus.SELECTING
    if notice_end is None or today <= notice_end:
        return CampaignStatus.NOTICE
    return CampaignStatus.PUBLISHED


class CampaignQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Annotate ``status_value`` (a ``CampaignStatus``) computed from the notice dates."""
        today = today or timezone.localdate()
        return self.annotate(
            status_value=models.Case(
                models.When(
                    Q(notice_start__isnull=True) | Q(notice_start__gt=today),
                    then=models.Value(CampaignStatus.SELECTING.value),
                ),
                models.When(
                    Q(notice_end__isnull=True) | Q(notice_end__gte=today),
                    then=models.Value(CampaignStatus.NOTICE.value),
                ),
                default=models.Value(CampaignStatus.PUBLISHED.value),
                output_field=models.PositiveSmallIntegerField(),
            )
        )

    def results_visible(self, today=None):
        """Campaigns whose winners the public may see: from the first day of the notice."""
        today = today or timezone.localdate()
        return self.filter(notice_start__lte=today)


class Campaign(models.Model):
    """An evaluation (评选) whose winners are announced as awards."""

    title = models.CharField(
        _("评选名称"), max_length=150, help_text=_("例如：2025年度最优党建品牌评选。")
    )
    slug = models.SlugField(
        _("网址标识"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text=_("留空时按名称拼音自动生成；生成后不再改变。"),
    )
    organiser = models.CharField(
        _("主办单位"), max_length=100, help_text=_("例如：中共青湾区教育局委员会。")
    )
    year = models.PositiveSmallIntegerField(_("评选年度"))
    description = models.TextField(
        _("评选说明"), blank=True, help_text=_("评选范围、程序等，纯文本，空一行分段。")
    )
    result_type = models.CharField(
        _("结果形式"),
        max_length=10,
        choices=ResultType.choices,
        default=ResultType.RANKED,
        help_text=_("排名：按名次列出；分等次：按等次分组；不分先后：页面注明“排名不分先后”。"),
    )
    grades = models.TextField(
        _("等次"),
        blank=True,
        help_text=_("结果形式为“分等次”时填写：每行一个等次，从高到低，例如一等奖、二等奖。"),
    )
    notice_start = models.DateField(
        _("公示开始日期"),
        null=True,
        blank=True,
        help_text=_("从这一天起，评选结果在网站上公示；评选结束前可不填。"),
    )
    notice_end = models.DateField(
        _("公示结束日期"),
        null=True,
        blank=True,
        help_text=_(
            "公示期至少 5 个工作日（按周一至周五计算）。法定节假日和调休不会自动扣除，请自行核对。"
        ),
    )
    announcement_url = models.URLField(
        _("公告链接"), blank=True, help_text=_("公示或结果公告文章的网址，可不填。")
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("评选")
        verbose_name_plural = _("评选")
        ordering = ["-year", "title"]
        get_latest_by = "year"
        indexes = [models.Index(fields=["-year", "title"], name="brands_campaign_year_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("brands:campaign_detail", kwargs={"slug": self.slug})

    def gate_content(self):
        """What the publication gate checks of this campaign (``portal.gate``)."""
        return content_of(self, texts=["title", "organiser", "description", "grades"])

    def clean(self):
        start, end = self.notice_start, self.notice_end
        if (start is None) != (end is None):
            raise ValidationError(_("公示开始和结束日期要一起填写。"))
        if start and end:
            if end < start:
                raise ValidationError({"notice_end": _("公示结束日期不能早于开始日期。")})
            days = working_days(start, end)
            if days < MIN_NOTICE_WORKING_DAYS:
                raise ValidationError(
                    {
                        "notice_end": _(
                            "公示期至少 %(min)s 个工作日，现在只有 %(days)s 个（周一至周五）。"
                        )
                        % {"min": MIN_NOTICE_WORKING_DAYS, "days": days}
                    }
                )
        if self.result_type == ResultType.GRADED and not self.grade_list:
            raise ValidationError({"grades": _("分等次的评选请填写等次，每行一个。")})

    @property
    def grade_list(self):
        return [line.strip() for line in self.grades.splitlines() if line.strip()]

    @property
    def status(self):
        return campaign_status(self.notice_start, self.notice_end, timezone.localdate())

    @property
    def status_label(self):
        return CampaignStatus(self.status).label

    @property
    def in_notice(self):
        return self.status == CampaignStatus.NOTICE

    @property
    def results_visible(self):
        return self.status != CampaignStatus.SELECTING


class AwardCategory(models.TextChoices):
    ADVANCED_ORGANIZATION = "advanced_org", _("先进基层党组织")
    OUTSTANDING_MEMBER = "member", _("优秀共产党员")
    OUTSTANDING_WORKER = "worker", _("优秀党务工作者")
    BEST_BRAND = "best_brand", _("最优党建品牌")
    BRAND_NARRATOR = "narrator", _("品牌解说人")
    EDUCATION_BASE = "base", _("党性教育基地")
    MODEL_SCHOOL = "model_school", _("示范校")
    OTHER = "other", _("其他")


class AwardLevel(models.IntegerChoices):
    NATIONAL = 10, _("国家级")
    PROVINCIAL = 20, _("省级")
    MUNICIPAL = 30, _("市级")
    DISTRICT = 40, _("区县级")
    SYSTEM = 50, _("系统内")


class RecipientKind(models.TextChoices):
    SCHOOL = "school", _("学校")
    BRAND = "brand", _("党建品牌")
    ORGANIZATION = "organization", _("党组织")
    PERSON = "person", _("个人")


class AwardQuerySet(models.QuerySet):
    def for_user(self, user):
        """The awards ``user`` may work on in the admin: those of the schools they may work on
        (``SchoolQuerySet.for_user``); a brand's award counts for the brand's school."""
        if works_on_every_school(user):
            return self
        return self.filter(school__in=School.objects.for_user(user))

    def public(self, today=None):
        """Awards the public may see: campaign results only once their notice has begun."""
        today = today or timezone.localdate()
        return self.filter(Q(campaign__isnull=True) | Q(campaign__notice_start__lte=today))

    def for_school(self, school):
        """Awards of the school itself, its brands, its people and its party organisation."""
        query = Q(school=school)
        if school.party_organization_id:
            query |= Q(organization_id=school.party_organization_id)
        return self.filter(query)

    def for_brand(self, brand):
        """Awards of the brand, of its school as a whole, and of the school's organisation."""
        query = Q(brand=brand) | Q(recipient_kind=RecipientKind.SCHOOL, school_id=brand.school_id)
        if brand.school.party_organization_id:
            query |= Q(organization_id=brand.school.party_organization_id)
        return self.filter(query)

    def with_recipients(self):
        """Everything a list of awards shows, in a constant number of queries."""
        return self.select_related("school", "brand", "organization", "campaign").prefetch_related(
            models.Prefetch(
                "organization__schools",
                queryset=School.objects.only("pk", "name", "slug", "party_organization_id"),
            )
        )


class Award(models.Model):
    """An honour (荣誉). The recipient is exactly one of: a school, a brand, a party
    organisation, or a person named together with their school (no other personal data)."""

    title = models.CharField(
        _("荣誉名称"), max_length=200, help_text=_("例如：2025年度青湾区教育系统先进基层党组织。")
    )
    category = models.CharField(_("荣誉类别"), max_length=20, choices=AwardCategory.choices)
    level = models.PositiveSmallIntegerField(_("荣誉级别"), choices=AwardLevel.choices)
    awarded_on = models.DateField(_("授予日期"))
    issuing_body = models.CharField(_("授予单位"), max_length=100)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("所属评选"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        help_text=_("通过评选产生的荣誉请选择评选；评选公示开始前，荣誉不会在网站上显示。"),
    )
    rank = models.PositiveSmallIntegerField(
        _("名次"), null=True, blank=True, help_text=_("结果形式为“排名”的评选必填，1 为第一名。")
    )
    grade = models.CharField(
        _("等次"),
        max_length=30,
        blank=True,
        help_text=_("结果形式为“分等次”的评选必填，须是评选里列出的等次之一。"),
    )
    recipient_kind = models.CharField(
        _("获奖对象类型"),
        max_length=20,
        choices=RecipientKind.choices,
        default=RecipientKind.SCHOOL,
        help_text=_(
            "学校：选择学校；党建品牌：选择品牌（学校自动带出）；党组织：选择党组织；"
            "个人：填写姓名并选择所在学校。"
        ),
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        help_text=_("获奖学校，或个人所在的学校。"),
    )
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("党建品牌"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    person_name = models.CharField(
        _("获奖人姓名"),
        max_length=50,
        blank=True,
        help_text=_("只填写姓名；网站只显示姓名和学校，不保存其他个人信息。"),
    )
    announcement_url = models.URLField(
        _("公告链接"), blank=True, help_text=_("表彰公告文章的网址，可不填。")
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-awarded_on", "level", "pk"]
        get_latest_by = "awarded_on"
        indexes = [
            models.Index(fields=["-awarded_on", "level"], name="brands_award_date_level_idx"),
        ]

    def __str__(self):
        return f"{self.title}：{self.recipient_label}"

    def save(self, *args, **kwargs):
        if self.recipient_kind == RecipientKind.BRAND and self.brand_id:
            self.school_id = self.brand.school_id
        super().save(*args, **kwargs)

    def gate_content(self):
        """What the publication gate checks of this honour (``portal.gate``)."""
        return content_of(self, texts=["title", "issuing_body", "grade", "person_name"])

    def clean(self):
        errors = {}
        kind = self.recipient_kind
        if kind == RecipientKind.BRAND:
            if not self.brand_id:
                errors["brand"] = _("获奖对象是党建品牌时，请选择品牌。")
            elif self.school_id and self.school_id != self.brand.school_id:
                errors["school"] = _("学校要与品牌所属的学校一致，也可以留空自动带出。")
        elif kind == RecipientKind.ORGANIZATION:
            if not self.organization_id:
                errors["organization"] = _("获奖对象是党组织时，请选择党组织。")
        elif kind in (RecipientKind.SCHOOL, RecipientKind.PERSON):
            if not self.school_id:
                errors["school"] = _("请选择学校（个人获奖请选择其所在学校）。")
            if kind == RecipientKind.PERSON and not self.person_name.strip():
                errors["person_name"] = _("个人获奖请填写姓名。")
        unexpected = {
            "brand": bool(self.brand_id) and kind != RecipientKind.BRAND,
            "organization": bool(self.organization_id) and kind != RecipientKind.ORGANIZATION,
            "person_name": bool(self.person_name.strip()) and kind != RecipientKind.PERSON,
            "school": bool(self.school_id) and kind == RecipientKind.ORGANIZATION,
        }
        for field, is_unexpected in unexpected.items():
            if is_unexpected:
                errors.setdefault(
                    field,
                    _("获奖对象类型是“%(kind)s”，这一项要留空。")
                    % {"kind": RecipientKind(kind).label},
                )
        if self.campaign_id:
            campaign = self.campaign
            if campaign.result_type == ResultType.RANKED and not self.rank:
                errors["rank"] = _("这次评选按排名公布，请填写名次。")
            if campaign.result_type == ResultType.GRADED and self.grade not in campaign.grade_list:
                errors["grade"] = _("请填写评选里列出的等次之一：%(grades)s。") % {
                    "grades": "、".join(campaign.grade_list)
                }
        if errors:
            raise ValidationError(errors)

    @property
    def recipient(self):
        """The school, brand or organisation that received the award (None for a person)."""
        return {
            RecipientKind.SCHOOL: self.school,
            RecipientKind.BRAND: self.brand,
            RecipientKind.ORGANIZATION: self.organization,
        }.get(self.recipient_kind)

    @property
    def recipient_label(self):
        if self.recipient_kind == RecipientKind.PERSON:
            school = self.school.name if self.school_id else ""
            return f"{self.person_name}（{school}）" if school else self.person_name
        if self.recipient_kind == RecipientKind.BRAND and self.brand_id:
            # school is copied from the brand on save, so no extra query is needed here
            school = self.school.name if self.school_id else ""
            return f"{school}{self.brand.quoted_name}"
        return str(self.recipient or "")
