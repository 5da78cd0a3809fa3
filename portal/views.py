import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control, never_cache

from brands.models import Brand, Campaign, School, Stage
from news.channels import channel_tree
from news.models import Article

from . import page_cache
from .http_methods import safe_methods_only
from .outage import retry_later

logger = logging.getLogger(__name__)


HOME_CAROUSEL_SIZE = 5
HOME_HEADLINES = 3
HOME_PER_CHANNEL = 6
HOME_BRANDS = 6
HOME_CAMPAIGNS = 3


@safe_methods_only
def home(request):
    """The front page: carousel, headlines, the newest articles of each top-level channel,
    and the way into the schools' brands and the honours."""
    return render(request, "portal/home.html", page_cache.cached("home", _render_home))


def _render_home():
    """The home page's sections, rendered once until anything public changes."""
    blocks = _home_blocks()
    return {
        "sections": mark_safe(render_to_string("portal/home_sections.html", blocks)),
        "has_carousel": bool(blocks["carousel_articles"]),
    }


def _home_blocks():
    published = Article.objects.published().for_listing()
    channels = channel_tree().top_level()
    latest = {channel.pk: [] for channel in channels}
    for article in published.latest_per_channel(HOME_PER_CHANNEL):
        latest.get(article.top_channel_id, []).append(article)
    return {
        "carousel_articles": list(
            published.filter(is_carousel=True).exclude(cover="")[:HOME_CAROUSEL_SIZE]
        ),
        "headline_articles": list(published.filter(is_headline=True)[:HOME_HEADLINES]),
        "channel_blocks": [
            (channel, latest[channel.pk]) for channel in channels if latest[channel.pk]
        ],
        "featured_brands": list(Brand.objects.current().for_cards()[:HOME_BRANDS]),
        "recent_campaigns": list(Campaign.objects.results_visible()[:HOME_CAMPAIGNS]),
    }


@safe_methods_only
def site_map(request):
    """网站地图: every channel, the archive, schools by stage, brands, evaluations and the other
    pages, for readers (search engines have sitemap.xml)."""
    tree = channel_tree()
    schools = list(School.objects.only("name", "slug", "stage"))
    context = {
        "channels": [(channel, tree.children(channel)) for channel in tree.top_level()],
        "stages": [
            (label, [school for school in schools if school.stage == value])
            for value, label in Stage.choices
        ],
        "brands": list(Brand.objects.current().select_related("school")),
        "campaigns": list(Campaign.objects.results_visible()),
    }
    return render(request, "portal/site_map.html", context)


@safe_methods_only
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("django.contrib.sitemaps.views.sitemap"))
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "Disallow: /ckeditor5/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@safe_methods_only
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page links to."""
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@never_cache
@safe_methods_only
def healthz(request):
    """For load balancers: does this app server reach its database?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return retry_later(JsonResponse({"database": "unavailable"}, status=503))
    return JsonResponse({"database": "ok"})
