from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from . import views

admin.site.site_header = "党建新闻门户管理后台"
admin.site.site_title = "党建新闻门户管理后台"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("news.urls")),
    path("", include("brands.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
