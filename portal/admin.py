from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["site_name", "sponsor", "organizer", "contact", "address"]}),
        ("备案与标识", {"fields": ["icp_number", "psb_number", "psb_icon", "site_code"]}),
        ("版权", {"fields": ["copyright"]}),
    ]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # There is only ever one row: go straight to its form.
        settings_row = SiteSettings.objects.first()
        if settings_row is None:
            return redirect(reverse("admin:portal_sitesettings_add"))
        return redirect(reverse("admin:portal_sitesettings_change", args=[settings_row.pk]))
