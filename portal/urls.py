from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import editor_upload, media, views
from .http_methods import safe_methods_only
from .page_cache import public_page
from .sitemaps import sitemaps

# A database outage answers 503 with Retry-After; every other error the 500 page.
handler500 = "portal.outage.server_error"

admin.site.site_header = "党建新闻门户管理后台"
admin.site.site_title = "党建新闻门户管理后台"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("sitemap/", public_page(views.site_map), name="site_map"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        public_page(safe_methods_only(sitemap)),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(f"{settings.ADMIN_URL}2fa/", include("portal.two_factor_views")),
    path(settings.ADMIN_URL, admin.site.urls),
    # Ours before the package's: same address, portal.images' checks, Chinese messages.
    path("ckeditor5/image_upload/", editor_upload.upload_image, name="editor_image_upload"),
    path("ckeditor5/", include("django_ckeditor_5.urls")),
    path("", include("news.urls")),
    path("", include("brands.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        path(
            f"{urlsplit(settings.MEDIA_URL).path.strip('/')}/<path:path>",
            media.serve,
            name="media",
        ),
    ]
