"""Excel/CSV import and export of schools, party organisations and awards (django-import-export).

Columns carry Chinese headers and choice fields are written as their Chinese labels, so a file
exported from the admin can be edited in Excel and imported again. Every import runs in one
transaction: if any row is wrong, the admin lists the rows with their line numbers and nothing
at all is stored.
"""

from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from news.workflow import public_refusal

from .models import (
    Award,
    AwardCategory,
    AwardLevel,
    Brand,
    Campaign,
    OrganizationKind,
    Ownership,
    PartyOrganization,
    RecipientKind,
    School,
    Stage,
    works_on_every_school,
)


class ChoicesWidget(widgets.Widget):
    """Reads a choice by its Chinese label (or its stored value) and writes the label."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip()
        for stored, label in self.choices.choices:
            if text in (str(label), str(stored)):
                return stored
        allowed = "、".join(str(label) for label in self.choices.labels)
        raise ValueError(
            _("“%(value)s”不是有效的选项，可选：%(allowed)s")
            % {
                "value": text,
                "allowed": allowed,
            }
        )

    def render(self, value, obj=None, **kwargs):
        if value is None or value == "":
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return str(value)


class CalendarDateWidget(widgets.DateWidget):
    """A date; Excel cells come back as midnight datetimes, which would never equal the stored
    date and so turn an unchanged row into an update."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row=row, **kwargs)
        return value.date() if isinstance(value, datetime) else value


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related row's name; an unknown name is a clear error."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            return super().clean(str(value).strip(), row=row, **kwargs)
        except self.model.DoesNotExist as error:
            raise ValueError(
                _("找不到“%(value)s”（%(model)s）。")
                % {"value": value, "model": self.model._meta.verbose_name}
            ) from error
        except self.model.MultipleObjectsReturned as error:
            raise ValueError(
                _("“%(value)s”对应多条%(model)s，无法确定是哪一条。")
                % {"value": value, "model": self.model._meta.verbose_name}
            ) from error


class BrandWidget(NamedForeignKeyWidget):
    """A brand by its name, looked up among the brands of the row's school when one is given."""

    def get_queryset(self, value, row, *args, **kwargs):
        school = (row or {}).get(AwardResource.SCHOOL_COLUMN)
        queryset = Brand.objects.all()
        if school and str(school).strip():
            queryset = queryset.filter(school__name=str(school).strip())
        return queryset


class AtomicModelResource(resources.ModelResource):
    """All rows or none: any row error or validation error rolls the whole import back.

    An import made by a user (the admin passes ``user``) keeps to the rows that user may work
    on: a row that changes a row outside ``in_scope`` or would create one is refused.
    """

    def import_data(self, dataset, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def in_scope(self, instance, user):
        """Whether ``user``, who works on some schools only, may store ``instance`` (with the
        row's values, not yet saved)."""
        raise NotImplementedError

    def import_instance(self, instance, row, user=None, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if user is not None and not works_on_every_school(user):
            stored = self._meta.model.objects.for_user(user)
            if (instance.pk is not None and not stored.filter(pk=instance.pk).exists()) or (
                not self.in_scope(instance, user)
            ):
                raise ValidationError(
                    {NON_FIELD_ERRORS: _("只能导入您负责的学校的数据，这一行不属于您负责的学校。")}
                )
        # What an import saves is public at once: the publication gate is asked for each row
        # (nobody can confirm a finding here; that takes the admin form).
        refusal = public_refusal(instance, user)
        if refusal:
            raise ValidationError({NON_FIELD_ERRORS: refusal})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Name each error by its column header (学段), not the model field (stage)."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            columns = {
                field.attribute: field.column_name
                for field in self.fields.values()
                if field.attribute
            }
            raise ValidationError(
                {
                    columns.get(name, name) if name != NON_FIELD_ERRORS else name: messages
                    for name, messages in error.message_dict.items()
                }
            ) from error


def _text(attribute, column):
    # Empty cells (None from Excel, "" from CSV) become "", as the model's text fields expect.
    return fields.Field(
        attribute=attribute, column_name=column, widget=widgets.CharWidget(allow_blank=True)
    )


class SchoolResource(AtomicModelResource):
    name = _text("name", "学校名称")
    short_name = _text("short_name", "简称")
    stage = fields.Field(attribute="stage", column_name="学段", widget=ChoicesWidget(Stage))
    ownership = fields.Field(
        attribute="ownership",
        column_name="办学性质",
        widget=ChoicesWidget(Ownership),
        default=Ownership.PUBLIC,
    )
    town = _text("town", "镇街")
    education_group = _text("education_group", "教育集团")
    address = _text("address", "地址")
    website = _text("website", "学校网站")
    introduction = _text("introduction", "学校简介")
    party_organization = fields.Field(
        attribute="party_organization",
        column_name="党组织",
        widget=NamedForeignKeyWidget(PartyOrganization, field="name"),
    )

    class Meta:
        model = School
        import_id_fields = ("name",)
        fields = (
            "name",
            "short_name",
            "stage",
            "ownership",
            "town",
            "education_group",
            "address",
            "website",
            "introduction",
            "party_organization",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def in_scope(self, instance, user):
        # A new school has no correspondents yet, so it is nobody's own school.
        return instance.pk is not None


class PartyOrganizationResource(AtomicModelResource):
    name = _text("name", "组织名称")
    kind = fields.Field(
        attribute="kind", column_name="组织类型", widget=ChoicesWidget(OrganizationKind)
    )
    secretary = _text("secretary", "书记")
    member_count = fields.Field(
        attribute="member_count", column_name="党员人数", widget=widgets.IntegerWidget()
    )
    founded_year = fields.Field(
        attribute="founded_year", column_name="成立年份", widget=widgets.IntegerWidget()
    )
    parent = fields.Field(
        attribute="parent",
        column_name="上级组织",
        widget=NamedForeignKeyWidget(PartyOrganization, field="name"),
    )
    schools = fields.Field(column_name="覆盖学校（只导出）", readonly=True)

    class Meta:
        model = PartyOrganization
        import_id_fields = ("name",)
        fields = ("name", "kind", "secretary", "member_count", "founded_year", "parent", "schools")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def in_scope(self, instance, user):
        return False  # an organisation may cover other schools too

    def dehydrate_schools(self, organization):
        return "、".join(school.name for school in organization.schools.all())


class AwardResource(AtomicModelResource):
    SCHOOL_COLUMN = "学校"

    id = fields.Field(attribute="id", column_name="编号", widget=widgets.IntegerWidget())
    title = _text("title", "荣誉名称")
    category = fields.Field(
        attribute="category", column_name="荣誉类别", widget=ChoicesWidget(AwardCategory)
    )
    level = fields.Field(
        attribute="level", column_name="荣誉级别", widget=ChoicesWidget(AwardLevel)
    )
    awarded_on = fields.Field(
        attribute="awarded_on", column_name="授予日期", widget=CalendarDateWidget("%Y-%m-%d")
    )
    issuing_body = _text("issuing_body", "授予单位")
    campaign = fields.Field(
        attribute="campaign",
        column_name="所属评选",
        widget=NamedForeignKeyWidget(Campaign, field="title"),
    )
    rank = fields.Field(attribute="rank", column_name="名次", widget=widgets.IntegerWidget())
    grade = _text("grade", "等次")
    recipient_kind = fields.Field(
        attribute="recipient_kind",
        column_name="获奖对象类型",
        widget=ChoicesWidget(RecipientKind),
    )
    school = fields.Field(
        attribute="school",
        column_name=SCHOOL_COLUMN,
        widget=NamedForeignKeyWidget(School, field="name"),
    )
    brand = fields.Field(
        attribute="brand", column_name="党建品牌", widget=BrandWidget(Brand, field="name")
    )
    organization = fields.Field(
        attribute="organization",
        column_name="党组织",
        widget=NamedForeignKeyWidget(PartyOrganization, field="name"),
    )
    person_name = _text("person_name", "获奖人姓名")
    announcement_url = _text("announcement_url", "公告链接")

    class Meta:
        model = Award
        import_id_fields = ("id",)
        fields = (
            "id",
            "title",
            "category",
            "level",
            "awarded_on",
            "issuing_body",
            "campaign",
            "rank",
            "grade",
            "recipient_kind",
            "school",
            "brand",
            "organization",
            "person_name",
            "announcement_url",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def in_scope(self, instance, user):
        school_id = instance.school_id or (instance.brand.school_id if instance.brand else None)
        return School.objects.for_user(user).filter(pk=school_id).exists()
