from django.contrib.sitemaps import Sitemap

from .models import Article, Channel


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return Article.objects.published().only("pk", "publish_at", "updated_at").order_by("-pk")

    def lastmod(self, item):
        return item.updated_at


class ChannelSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Channel.objects.all()
