from .models import Channel


def navigation(request):
    """The channels of the main navigation: one query, made only when a page shows them."""
    return {"nav_channels": Channel.objects.in_navigation().only("name", "slug")}
