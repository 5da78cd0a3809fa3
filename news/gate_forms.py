"""The publication gate in admin inlines: rows saved with their parent (a brand's gallery
captions, an article's attachment names) are checked with the parent's form, so a refusal
keeps everything typed instead of failing after the parent was saved."""

from django.forms.models import BaseInlineFormSet

from portal.gate import Content

from . import workflow


class GatedInlineFormSet(BaseInlineFormSet):
    """Checks ``gate_fields`` of each new or changed row for ``gate_user`` (set by
    ``gated_formset``), with the confirmation reason typed in the parent form."""

    gate_user = None
    gate_fields = ()
    gate_refusal = staticmethod(workflow.public_refusal)

    def clean(self):
        super().clean()
        reason = self.data.get("gate_reason", "")
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            cleaned = getattr(form, "cleaned_data", {})
            texts = {
                str(form.fields[name].label): cleaned.get(name) or ""
                for name in self.gate_fields
                if name in form.fields
            }
            refusal = self.gate_refusal(form.instance, self.gate_user, Content(texts=texts), reason)
            if refusal:
                form.add_error(None, refusal)


def gated_formset(formset, user, fields, refusal=workflow.public_refusal):
    """``formset`` (a class) checking ``fields`` of its rows for ``user`` with ``refusal``
    (default: the check of what is public at once)."""
    attributes = {"gate_user": user, "gate_fields": fields, "gate_refusal": staticmethod(refusal)}
    return type(formset.__name__, (GatedInlineFormSet, formset), attributes)
