"""Posting admin forms the way a browser would: every field of the rendered form, as shown."""

from django.forms import CheckboxInput, ModelMultipleChoiceField, MultiWidget


def form_data(response, **overrides):
    """The POST data of the admin add/change page in ``response`` (a GET), with ``overrides``.

    Built from the form the page rendered, so hidden fields added by mixins (a version for
    edit conflicts) and the inline management forms are sent as a browser would send them.
    Read-only fields are not in the form and so are not sent.
    """
    context = response.context
    form = context["adminform"].form
    data = {}
    for name, bound in form.fields.items():
        _add_field(data, form.add_prefix(name), bound, form[name].value())
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for inline_form in formset.forms:
            for name, field in inline_form.fields.items():
                _add_field(data, inline_form.add_prefix(name), field, inline_form[name].value())
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _add_field(data, name, field, value):
    widget = field.widget
    if getattr(widget, "input_type", None) == "file":
        return
    if isinstance(widget, MultiWidget):
        parts = widget.decompress(value) if not isinstance(value, list) else value
        for index, part in enumerate(parts):
            data[f"{name}_{index}"] = "" if part is None else str(part)
        return
    if isinstance(widget, CheckboxInput):
        if value:
            data[name] = "on"
        return
    if isinstance(field, ModelMultipleChoiceField):
        data[name] = [str(getattr(item, "pk", item)) for item in value or []]
        return
    if hasattr(widget, "format_value") and not isinstance(value, (str, int)):
        value = widget.format_value(value)
    data[name] = "" if value is None else value
