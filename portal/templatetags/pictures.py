"""``{% picture %}``: an uploaded picture as ``<picture>`` with WebP and fallback renditions."""

from django import template

from portal.images import PURPOSES, preview_link, rendition_url, renditions

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, purpose, alt="", lazy=True, css_class=""):
    """``{% picture article.cover "card" alt=article.cover_alt lazy=False %}``.

    ``width``/``height`` are the purpose's, so the page keeps its place while pictures load;
    ``lazy`` is for pictures below the fold (the first carousel slide passes False).
    """
    if not image:
        return {"image": None}
    spec = PURPOSES[purpose]
    fallback = renditions(image, purpose, spec.fallback)
    return {
        "image": image,
        "webp_srcset": _srcset(renditions(image, purpose, "webp")),
        "srcset": _srcset(fallback),
        "src": next(r.url for r in fallback if r.width == spec.width),
        "sizes": spec.sizes,
        "width": spec.width,
        "height": spec.height_for(spec.width),
        "alt": alt,
        "lazy": lazy,
        "css_class": css_class,
    }


@register.simple_tag
def picture_url(image, purpose):
    """The address of one rendition (``og:image``); empty for no image."""
    return rendition_url(image, purpose)


def _srcset(candidates):
    return ", ".join(f"{r.url} {r.width}w" for r in candidates)


@register.simple_tag
def picture_preview(image, alt=""):
    """``{% picture_preview item.picture alt=item.caption %}``: the picture small, linked to
    the full one, for staff pages (portal.images.preview); its name when it cannot be shown,
    nothing for no image."""
    return (preview_link(image, alt) or image.name) if image else ""
