from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def site(request):
    # Lazy: admin pages and JSON views that never show the header or footer skip the query.
    return {"site_settings": SimpleLazyObject(SiteSettings.load)}
