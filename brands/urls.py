from django.urls import path

from portal.page_cache import public_page

from . import views

# The filter forms' fields are the parameters of the list pages.
SCHOOL_LIST = ["stage", "town", "group", "page"]
BRAND_LIST = ["kind", "status", "page"]
AWARD_LIST = ["year", "level", "category", "school", "page"]

app_name = "brands"

urlpatterns = [
    path(
        "schools/",
        public_page(views.SchoolListView.as_view(), query=SCHOOL_LIST),
        name="school_list",
    ),
    path(
        "schools/<slug:slug>/", public_page(views.SchoolDetailView.as_view()), name="school_detail"
    ),
    path(
        "brands/", public_page(views.BrandListView.as_view(), query=BRAND_LIST), name="brand_list"
    ),
    path("brands/<slug:slug>/", public_page(views.BrandDetailView.as_view()), name="brand_detail"),
    path(
        "awards/", public_page(views.AwardListView.as_view(), query=AWARD_LIST), name="award_list"
    ),
    path(
        "awards/campaigns/<slug:slug>/",
        public_page(views.CampaignDetailView.as_view()),
        name="campaign_detail",
    ),
    path("stats/", public_page(views.StatsView.as_view()), name="stats"),
]
