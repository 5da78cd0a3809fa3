from django.utils.functional import SimpleLazyObject

from . import page_cache
from .models import SiteSettings


def site(request):
    # Lazy: admin pages and JSON views that never show the header or footer skip it. Cached with
    # the pages: the footer changes when the settings are saved, which ends the generation.
    return {"site_settings": SimpleLazyObject(lambda: page_cache.cached("site", SiteSettings.load))}
