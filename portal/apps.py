from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("站点设置")
    # Rows no public page shows: saving them leaves the page cache alone (portal.page_cache).
    private_models = ["AuditLogEntry", "PasswordChange", "SensitiveWord", "WordingError"]

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from . import audit, page_cache, passwords, staff_access
        from .models import SiteSettings

        audit.register_action("login_locked", _("登录锁定"))
        audit.register_action("two_factor", _("两步验证"))
        audit.connect()
        user_logged_in.connect(staff_access.note_login, dispatch_uid="portal.staff_access.login")
        post_save.connect(
            passwords.record_password_change,
            sender=get_user_model(),
            dispatch_uid="portal.passwords.changed",
        )
        page_cache.watch(SiteSettings)
