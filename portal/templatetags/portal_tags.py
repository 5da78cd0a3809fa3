"""Template helpers shared by every app."""

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal import page_cache
from portal.navigation import main_navigation

register = template.Library()


@register.simple_tag
def each_kept(template_name, objects, name, **switches):
    """``template_name`` rendered for each of ``objects`` (as ``name``, with the yes/no
    ``switches``), each kept until anything public changes: the pages of a generation that show
    an item share it (``{% each_kept "includes/award_item.html" awards "award" %}``)."""
    switches = sorted((key, bool(value)) for key, value in switches.items())
    objects = list(objects)

    def render_each():
        items = page_cache.cached_each(
            template_name,
            objects,
            lambda obj: (obj.pk, *switches),
            lambda obj: render_to_string(template_name, {name: obj, **dict(switches)}),
        )
        return mark_safe("".join(items))

    # The whole run is kept too: a list page reads one entry instead of one per item.
    return page_cache.cached(
        f"{template_name}:run", render_each, [obj.pk for obj in objects], switches
    )


class KeptNode(template.Node):
    def __init__(self, nodelist, name, parts, unless):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts
        self.unless = unless

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        return page_cache.cached(
            self.name.resolve(context),
            lambda: mark_safe(self.nodelist.render(context)),
            *(part.resolve(context) for part in self.parts),
        )


@register.tag
def kept(parser, token):
    """``{% kept "article_main" article.pk canonical_url unless=preview %}…{% endkept %}``: the
    block rendered once per generation for each set of values after its name, and kept until
    anything public changes; rendered every time when ``unless`` is true (a staff preview).
    The block must show nothing but what those values decide."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("kept needs a name")
    unless = None
    if bits[-1].startswith("unless="):
        unless = parser.compile_filter(bits.pop()[len("unless=") :])
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    name, *parts = (parser.compile_filter(bit) for bit in bits)
    return KeptNode(nodelist, name, parts, unless)


@register.simple_tag(takes_context=True)
def filter_form(context, form, label=""):
    """``includes/filter_form.html`` for ``form``, kept until anything public changes for each
    set of values asked for: its selects list every school, and rendering them took most of a
    list page's time."""
    request = context["request"]
    values = [(name, form.data.getlist(name)) for name in form.fields]
    return page_cache.cached(
        "filter_form",
        lambda: render_to_string(
            "includes/filter_form.html", {"form": form, "label": label, "request": request}
        ),
        request.path,
        label,
        type(form).__name__,
        values,
    )


@register.simple_tag(takes_context=True)
def site_header(context):
    """``includes/header.html``, the same on every page but for the navigation entry marked as
    the current page: rendered once per generation for each entry, and once for the pages that
    are none (articles, tags, schools…)."""
    request = context.get("request")
    if request is None:
        # An error page rendered without the request (500, 429): nothing read, nothing kept.
        return render_to_string("includes/header.html", {"nav_links": main_navigation(())})
    links = page_cache.cached("navigation", lambda: main_navigation(context["nav_channels"]))
    current = request.path if any(url == request.path for url, _ in links) else ""
    return page_cache.cached(
        "site_header",
        lambda: render_to_string(
            "includes/header.html",
            {"site_settings": context["site_settings"], "nav_links": links, "current": current},
        ),
        current,
    )


@register.simple_tag(takes_context=True)
def site_footer(context):
    """``includes/footer.html``: the same on every page, rendered once per generation."""
    if context.get("request") is None:  # see site_header
        return render_to_string("includes/footer.html")
    return page_cache.cached(
        "site_footer",
        lambda: render_to_string(
            "includes/footer.html", {"site_settings": context["site_settings"]}
        ),
    )


@register.simple_tag
def elided_page_range(page):
    """The page numbers a pagination bar shows: the ends, the neighbours, … between."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.inclusion_tag("admin/includes/error_summary.html")
def admin_error_summary(form, inline_admin_formsets=()):
    """Every error of an admin change form and its inlines, each linked to its field.

    The form's own non-field errors are left out: the admin shows them just above."""
    entries = _form_errors(form, "")
    for inline in inline_admin_formsets:
        formset = inline.formset
        name = inline.opts.verbose_name
        entries += [{"label": name, "message": error} for error in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            entries += _form_errors(row, f"{name} {number}", with_non_field=True)
    return {"entries": entries}


def _form_errors(form, prefix, with_non_field=False):
    entries = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            if with_non_field:
                entries += [{"label": prefix, "message": error} for error in errors]
            continue
        field = form[name]
        label = f"{prefix} · {field.label}" if prefix else field.label
        anchor = field.id_for_label or field.auto_id
        entries += [{"label": label, "anchor": anchor, "message": error} for error in errors]
    return entries
