"""Site map entries of the school, brand and evaluation pages (registered in portal.sitemaps)."""

from django.contrib.sitemaps import Sitemap

from .models import Brand, Campaign, School


class SchoolSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return School.objects.only("slug").order_by("pk")


class BrandSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Brand.objects.only("slug").order_by("pk")


class CampaignSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Campaign.objects.only("slug").order_by("-year", "pk")
