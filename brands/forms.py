"""GET filter forms of the public list pages.

A value that is not one of the offered choices is ignored (the page says so) instead of
failing: a hand-edited or stale link must never give an error page.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AwardCategory, AwardLevel, BrandKind, BrandStatus, Stage


def _with_all(label, choices):
    return [("", label), *[(str(value), text) for value, text in choices]]


class FilterForm(forms.Form):
    """Keeps the valid filters and remembers whether any value had to be ignored."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data=data or None, **kwargs)
        for field in self.fields.values():
            field.required = False

    @property
    def filters(self):
        """The cleaned, non-empty values of the fields that were valid."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }

    @property
    def ignored(self):
        return self.is_bound and bool(self.errors)


class SchoolFilterForm(FilterForm):
    stage = forms.TypedChoiceField(
        label=_("学段"), coerce=int, choices=_with_all(_("全部学段"), Stage.choices)
    )
    town = forms.ChoiceField(label=_("镇街"))
    group = forms.ChoiceField(label=_("教育集团"))

    def __init__(self, data=None, *, towns=(), groups=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["town"].choices = _with_all(_("全部镇街"), [(t, t) for t in towns])
        self.fields["group"].choices = _with_all(_("全部教育集团"), [(g, g) for g in groups])


class BrandFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("品牌类型"), choices=_with_all(_("全部类型"), BrandKind.choices)
    )
    status = forms.TypedChoiceField(
        label=_("品牌状态"), coerce=int, choices=_with_all(_("全部状态"), BrandStatus.choices)
    )


class AwardFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("年份"), coerce=int)
    level = forms.TypedChoiceField(
        label=_("级别"), coerce=int, choices=_with_all(_("全部级别"), AwardLevel.choices)
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=_with_all(_("全部类别"), AwardCategory.choices)
    )
    school = forms.ChoiceField(label=_("学校"))

    def __init__(self, data=None, *, years=(), schools=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = _with_all(_("全部年份"), [(y, f"{y}年") for y in years])
        self.fields["school"].choices = _with_all(_("全部学校"), schools)
