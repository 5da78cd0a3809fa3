"""The site map of every app, served at /sitemap.xml. Each app adds its Sitemap classes here."""

from brands.sitemaps import BrandsSitemap
from news.sitemaps import ArticleSitemap, ChannelSitemap

sitemaps = {
    "channels": ChannelSitemap,
    "articles": ArticleSitemap,
    "brands": BrandsSitemap,
}
