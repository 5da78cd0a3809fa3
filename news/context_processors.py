from django.utils.functional import SimpleLazyObject

from .channels import channel_tree


def navigation(request):
    """The channels of the main navigation, from the cached channel tree; read only when a page
    shows them."""
    return {"nav_channels": SimpleLazyObject(lambda: channel_tree().navigation())}
