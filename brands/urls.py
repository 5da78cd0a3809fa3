from django.urls import path

from . import views

app_name = "brands"

urlpatterns = [
    path("schools/", views.SchoolListView.as_view(), name="school_list"),
    path("schools/<slug:slug>/", views.SchoolDetailView.as_view(), name="school_detail"),
    path("brands/", views.BrandListView.as_view(), name="brand_list"),
    path("brands/<slug:slug>/", views.BrandDetailView.as_view(), name="brand_detail"),
    path("awards/", views.AwardListView.as_view(), name="award_list"),
    path(
        "awards/campaigns/<slug:slug>/",
        views.CampaignDetailView.as_view(),
        name="campaign_detail",
    ),
    path("stats/", views.StatsView.as_view(), name="stats"),
]
