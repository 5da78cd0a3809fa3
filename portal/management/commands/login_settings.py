"""Show where the admin is and how staff logins are protected, as this configuration has it."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "显示管理后台地址和工作人员登录的安全设置（两步验证、登录锁定、会话时长、访问网段）。"

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="站点地址，例如 http://127.0.0.1:8000")

    def handle(self, *args, base_url="", **options):
        if settings.ADMIN_REQUIRE_2FA:
            two_factor = "所有工作人员必须启用（ADMIN_REQUIRE_2FA 已开启）"
        else:
            two_factor = "未强制（ADMIN_REQUIRE_2FA 未开启），可在后台右上角“两步验证”自行启用"
        networks = "、".join(settings.ADMIN_ALLOWED_NETWORKS) or "不限"
        max_age = settings.PASSWORD_MAX_AGE_DAYS
        lines = [
            f"管理后台: {base_url.rstrip('/')}/{settings.ADMIN_URL}",
            f"两步验证: {two_factor}",
            f"登录锁定: 同一用户名在同一地址连续失败 {settings.AXES_FAILURE_LIMIT} 次，"
            f"锁定 {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟",
            f"会话时长: 空闲 {settings.STAFF_SESSION_IDLE_MINUTES} 分钟或登录 "
            f"{settings.STAFF_SESSION_MAX_HOURS} 小时后须重新登录",
            f"密码有效期: {f'{max_age} 天' if max_age else '不限'}",
            f"允许访问后台的网段: {networks}",
        ]
        self.stdout.write("\n".join(lines))
