"""Mixins shared by the apps' ModelAdmins."""

from django import forms


class LocalDraftAdminMixin:
    """Keep an unsaved copy of the change form in the browser (issue 5, "nothing lost").

    ``static/js/admin-draft.js`` saves the form's fields to localStorage while the user types
    and, when the form is opened again with different values (a closed tab, an expired login, a
    crash), offers "恢复未保存的内容". The draft is removed once the admin confirms the save.

    Put the mixin before ``admin.ModelAdmin``::

        class ArticleAdmin(LocalDraftAdminMixin, admin.ModelAdmin):
            local_draft_version_field = "updated_at"

    ``local_draft_version_field`` names a field that changes on every save; when set, a draft
    made before somebody else saved the object is still offered, with a warning to compare.
    """

    local_draft_version_field = None

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/admin-draft.js"], css={"all": ["css/admin-draft.css"]}
        )

    def get_local_draft_config(self, request, obj=None):
        """What the script needs: a storage key for this user and form, and the object's
        version. None turns the draft off (a read-only form has nothing to lose)."""
        if obj is None:
            if not self.has_add_permission(request):
                return None
        elif not self.has_change_permission(request, obj):
            return None
        version = ""
        if obj is not None and self.local_draft_version_field:
            value = getattr(obj, self.local_draft_version_field, None)
            if value is not None:
                version = value.isoformat() if hasattr(value, "isoformat") else str(value)
        # One draft per user and form URL: a shared office computer never offers one
        # colleague's text to another.
        return {"key": f"admin-draft:{request.user.pk}:{request.path}", "version": version}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["local_draft"] = self.get_local_draft_config(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
