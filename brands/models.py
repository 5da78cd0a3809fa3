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

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from portal.uploads import DatedRandomPath

SLUG_MAX_LENGTH = 80
CURRENT_BRAND_CONSTRAINT = "brands_brand_one_current_per_school"


def pinyin_slug(text, max_length=SLUG_MAX_LENGTH):
    """``"青湾区第一小学"`` → ``"qing-wan-qu-di-yi-xiao-xue"``; ASCII is kept as it is."""
    words = lazy_pinyin(str(text), errors="default")
    slug = slugify("-".join(words))[:max_length].strip("-")
    return slug or "item"


def unique_slug(instance, text, field_name="slug"):
    """A pinyin slug for ``text`` not used by another row of the instance's model."""
    base = pinyin_slug(text, SLUG_MAX_LENGTH - 6)
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
    def with_schools(self):
        return self.prefetch_related(
            models.Prefetch("schools", queryset=School.objects.only("pk", "name", "slug", "stage"))
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


class SchoolQuerySet(models.QuerySet):
    def for_cards(self):
        """Everything a school card shows, in a constant number of queries."""
        return self.select_related("party_organization").prefetch_related(
            models.Prefetch(
                "brands",
                queryset=Brand.objects.filter(is_current=True).only(
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
    photo = models.ImageField(
        _("学校照片"),
        upload_to=DatedRandomPath("schools"),
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

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["stage", "name"]
        indexes = [models.Index(fields=["stage", "name"], name="brands_school_stage_name_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("brands:school_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return self.short_name or self.name

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
    def current(self):
        return self.filter(is_current=True)

    def for_cards(self):
        return self.select_related("school")


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
    logo = models.ImageField(
        _("品牌标识"),
        upload_to=DatedRandomPath("brands/logos"),
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

    objects = BrandQuerySet.as_manager()

    class Meta:
        verbose_name = _("党建品牌")
        verbose_name_plural = _("党建品牌")
        ordering = ["-status", "name"]
        indexes = [models.Index(fields=["-status", "name"], name="brands_brand_status_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_current=True),
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
        return f"“{self.name}”"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        with transaction.atomic():
            if self.is_current and self.school_id:
                Brand.objects.filter(school_id=self.school_id, is_current=True).exclude(
                    pk=self.pk
                ).update(is_current=False)
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("brands:brand_detail", kwargs={"slug": self.slug})

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
    image = models.ImageField(_("图片"), upload_to=DatedRandomPath("brands/gallery"))
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
