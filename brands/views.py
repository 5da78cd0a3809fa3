"""Public pages: school directory, brand gallery, honours and campaign results, statistics.

Every page runs a fixed number of SQL queries whatever the amount of data (tests measure it).
News items come through the reverse relations ``school.articles`` / ``brand.articles`` that the
news app defines; this module never imports ``news``.
"""

from itertools import groupby

from django.db.models import Count, F, Prefetch
from django.db.models.functions import ExtractYear
from django.views.generic import DetailView, ListView, TemplateView

from portal.http_methods import SafeMethodsOnlyMixin

from .charts import bar_chart
from .forms import AwardFilterForm, BrandFilterForm, SchoolFilterForm
from .models import (
    Award,
    AwardLevel,
    Brand,
    BrandStatus,
    Campaign,
    CampaignStatus,
    OrganizationKind,
    PartyOrganization,
    ResultType,
    School,
    Stage,
)

LATEST_ARTICLES = 10


def published_articles(obj, limit=LATEST_ARTICLES):
    """The newest published articles about ``obj``, through the news app's reverse relation."""
    return list(obj.articles.published()[:limit])


class FilteredListMixin(SafeMethodsOnlyMixin):
    """Shared by the list pages: a GET filter form and forgiving pagination.

    ``?page=`` that is not a number gives the first page, one past the end the last page.
    """

    paginate_by = 24
    filter_form_class = None

    def get_filter_form_kwargs(self):
        return {}

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            self._filter_form = self.filter_form_class(
                self.request.GET, **self.get_filter_form_kwargs()
            )
        return self._filter_form

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        return context


class SchoolListView(FilteredListMixin, ListView):
    template_name = "brands/school_list.html"
    context_object_name = "schools"
    filter_form_class = SchoolFilterForm

    def get_filter_form_kwargs(self):
        pairs = School.objects.order_by().values_list("town", "education_group").distinct()
        pairs = list(pairs)
        return {
            "towns": sorted({town for town, _ in pairs if town}),
            "groups": sorted({group for _, group in pairs if group}),
        }

    def get_queryset(self):
        filters = self.get_filter_form().filters
        queryset = School.objects.for_cards()
        if "stage" in filters:
            queryset = queryset.filter(stage=filters["stage"])
        if "town" in filters:
            queryset = queryset.filter(town=filters["town"])
        if "group" in filters:
            queryset = queryset.filter(education_group=filters["group"])
        return queryset


class SchoolDetailView(SafeMethodsOnlyMixin, DetailView):
    template_name = "brands/school_detail.html"
    context_object_name = "school"

    def get_queryset(self):
        return School.objects.select_related("party_organization").prefetch_related(
            Prefetch(
                "party_organization__schools",
                queryset=School.objects.only("name", "slug", "party_organization_id"),
            ),
            Prefetch(
                "brands",
                queryset=Brand.objects.public().order_by("-is_current", "-founded_year"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.object
        brands = list(school.brands.all())
        awards = list(Award.objects.public().for_school(school).with_recipients())
        organization = school.party_organization
        context.update(
            current_brand=next((brand for brand in brands if brand.is_current), None),
            past_brands=[brand for brand in brands if not brand.is_current],
            partner_schools=[s for s in organization.schools.all() if s.pk != school.pk]
            if organization
            else [],
            awards=awards,
            award_years=[(year, list(items)) for year, items in groupby(awards, _award_year)],
            articles=published_articles(school),
        )
        return context


def _award_year(award):
    return award.awarded_on.year


class BrandListView(FilteredListMixin, ListView):
    template_name = "brands/brand_list.html"
    context_object_name = "brands"
    filter_form_class = BrandFilterForm

    def get_queryset(self):
        filters = self.get_filter_form().filters
        queryset = Brand.objects.for_cards()
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        return queryset


class BrandDetailView(SafeMethodsOnlyMixin, DetailView):
    template_name = "brands/brand_detail.html"
    context_object_name = "brand"

    def get_queryset(self):
        return (
            Brand.objects.public()
            .select_related("school__party_organization")
            .prefetch_related("images")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        brand = self.object
        context.update(
            images=list(brand.images.all()),
            awards=list(Award.objects.public().for_brand(brand).with_recipients()),
            other_brands=list(brand.school.brands.public().exclude(pk=brand.pk)),
            articles=published_articles(brand),
        )
        return context


class AwardListView(FilteredListMixin, ListView):
    """Honours, newest year first, each year's campaign results grouped together."""

    template_name = "brands/award_list.html"
    context_object_name = "awards"
    filter_form_class = AwardFilterForm
    paginate_by = 50

    def get_filter_form_kwargs(self):
        years = [day.year for day in Award.objects.public().dates("awarded_on", "year", "DESC")]
        schools = School.objects.order_by("stage", "name").values_list("slug", "name")
        return {"years": years, "schools": list(schools)}

    def get_queryset(self):
        filters = self.get_filter_form().filters
        queryset = Award.objects.public().with_recipients()
        if "year" in filters:
            queryset = queryset.filter(awarded_on__year=filters["year"])
        if "level" in filters:
            queryset = queryset.filter(level=filters["level"])
        if "category" in filters:
            queryset = queryset.filter(category=filters["category"])
        if "school" in filters:
            school = School.objects.filter(slug=filters["school"]).first()
            queryset = queryset.for_school(school) if school else queryset.none()
        return queryset.annotate(year=ExtractYear("awarded_on")).order_by(
            "-year",
            F("campaign__year").desc(nulls_last=True),
            F("campaign_id").asc(nulls_last=True),
            F("rank").asc(nulls_last=True),
            "-awarded_on",
            "level",
            "pk",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = award_groups(context["awards"])
        context["open_campaigns"] = (
            Campaign.objects.with_status()
            .exclude(status_value=CampaignStatus.PUBLISHED)
            .order_by("-year", "title")
        )
        return context


def award_groups(awards):
    """Consecutive awards of one campaign (or one year's honours outside any campaign)."""
    groups = []
    for (year, _campaign_id), items in groupby(awards, lambda a: (a.year, a.campaign_id)):
        items = list(items)
        campaign = items[0].campaign
        if campaign and campaign.result_type == ResultType.GRADED:
            items = sort_by_grade(items, campaign)
        groups.append({"year": year, "campaign": campaign, "awards": items})
    return groups


def sort_by_grade(awards, campaign):
    order = {grade: index for index, grade in enumerate(campaign.grade_list)}
    return sorted(awards, key=lambda award: (order.get(award.grade, len(order)), award.pk))


class CampaignDetailView(SafeMethodsOnlyMixin, DetailView):
    template_name = "brands/campaign_detail.html"
    context_object_name = "campaign"
    queryset = Campaign.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        awards = []
        if campaign.results_visible:
            awards = campaign.awards.with_recipients()
            if campaign.result_type == ResultType.RANKED:
                awards = awards.order_by(F("rank").asc(nulls_last=True), "pk")
            else:
                awards = awards.order_by("pk")
            awards = list(awards)
        grade_groups = []
        if campaign.result_type == ResultType.GRADED:
            ordered = sort_by_grade(awards, campaign)
            grade_groups = [
                (grade, list(items)) for grade, items in groupby(ordered, lambda a: a.grade)
            ]
        context.update(awards=awards, grade_groups=grade_groups, statuses=CampaignStatus)
        return context


class StatsView(SafeMethodsOnlyMixin, TemplateView):
    template_name = "brands/stats.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org_counts = _counts(PartyOrganization.objects, "kind")
        stage_counts = _counts(School.objects, "stage")
        status_counts = _counts(Brand.objects.public(), "status")
        organizations = [(label, org_counts.get(v, 0)) for v, label in OrganizationKind.choices]
        stages = [(label, stage_counts.get(v, 0)) for v, label in Stage.choices]
        statuses = [(label, status_counts.get(v, 0)) for v, label in BrandStatus.choices]

        per_year_level = (
            Award.objects.public()
            .annotate(year=ExtractYear("awarded_on"))
            .order_by()
            .values_list("year", "level")
            .annotate(total=Count("pk"))
        )
        table = {}
        for year, level, total in per_year_level:
            table.setdefault(year, {})[level] = total
        levels = AwardLevel.choices
        honour_rows = [
            (f"{year}年", [table[year].get(value, 0) for value, _label in levels])
            for year in sorted(table)
        ]
        level_totals = [sum(row[1][i] for row in honour_rows) for i in range(len(levels))]

        context.update(
            organization_chart=bar_chart("党组织（按类型）", organizations),
            stage_chart=bar_chart("学校（按学段）", stages),
            brand_chart=bar_chart("党建品牌（按状态）", statuses),
            honour_chart=bar_chart(
                "荣誉（按年份和级别）", honour_rows, series=[label for _v, label in levels]
            ),
            level_labels=[label for _v, label in levels],
            level_totals=level_totals,
            honour_total=sum(level_totals),
        )
        return context


def _counts(manager, field):
    return dict(manager.order_by().values_list(field).annotate(total=Count("pk")))
