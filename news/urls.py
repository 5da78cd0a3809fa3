from django.urls import path

from portal.http_methods import safe_methods_only
from portal.page_cache import public_page

from . import feeds, views
from .forms import SearchForm
from .search import log as search_log

app_name = "news"

urlpatterns = [
    path(
        "news/feed/rss/",
        public_page(safe_methods_only(feeds.LatestArticlesFeed())),
        name="feed_rss",
    ),
    path(
        "news/feed/atom/",
        public_page(safe_methods_only(feeds.LatestArticlesAtomFeed())),
        name="feed_atom",
    ),
    path(
        "search/",
        public_page(
            safe_methods_only(views.search),
            query=SearchForm.PARAMETERS,
            on_response=search_log.record,
        ),
        name="search",
    ),
    path("news/", public_page(views.AllArticleList.as_view(), query=["page", "year"]), name="all"),
    path("news/archive/", public_page(views.ArchiveIndex.as_view()), name="archive_index"),
    path(
        "news/archive/<int:year>/<int:month>/",
        public_page(views.MonthArchive.as_view(), query=["page"]),
        name="archive_month",
    ),
    path(
        "news/tags/<str:tag>/",
        public_page(views.TagArticleList.as_view(), query=["page"]),
        name="tag",
    ),
    path(
        "news/<int:year>/<int:month>/<int:day>/<int:pk>/",
        public_page(views.article_detail),
        name="article",
    ),
    path("news/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    # Old and short forms of an article address: all redirect to the canonical one.
    path("news/<int:pk>/", views.article_redirect, name="article_short"),
    path("news/<slug:channel>/<int:pk>/", views.article_redirect, name="article_legacy"),
    path("news/<int:pk>/view/", views.count_view, name="article_view"),
    path("news/<int:pk>/qrcode.svg", views.article_qrcode, name="article_qrcode"),
    path(
        "news/<slug:channel>/",
        public_page(views.ChannelArticleList.as_view(), query=["page", "year"]),
        name="channel",
    ),
    path(
        "news/<slug:channel>/rss/",
        public_page(safe_methods_only(feeds.ChannelFeed())),
        name="channel_feed_rss",
    ),
    path(
        "news/<slug:channel>/atom/",
        public_page(safe_methods_only(feeds.ChannelAtomFeed())),
        name="channel_feed_atom",
    ),
]
