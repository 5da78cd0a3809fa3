import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gate.findings import Level
from .gate.normalize import normal_form
from .images import PictureField
from .uploads import DatedRandomPath

MIIT_FILING_URL = "https://beian.miit.gov.cn/"
MPS_FILING_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"


class SiteSettings(models.Model):
    """The one row of site-wide facts shown in every page's header and footer."""

    site_name = models.CharField(_("网站名称"), max_length=100, default="区教育系统党建网")
    sponsor = models.CharField(
        _("主办单位"), max_length=100, blank=True, help_text=_("例如：××区教育局党委")
    )
    organizer = models.CharField(
        _("承办单位"), max_length=100, blank=True, help_text=_("负责网站日常运维的单位，可不填")
    )
    contact = models.CharField(
        _("联系方式"), max_length=200, blank=True, help_text=_("电话或电子邮箱，显示在页脚")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    icp_number = models.CharField(
        _("ICP备案号"),
        max_length=50,
        blank=True,
        help_text=_("例如：粤ICP备12345678号-1，页脚会链接到工业和信息化部备案管理系统"),
    )
    psb_number = models.CharField(
        _("公安机关备案号"),
        max_length=50,
        blank=True,
        help_text=_("例如：粤公网安备44078402000123号，页脚会链接到全国互联网安全管理服务平台"),
    )
    psb_icon = PictureField(
        _("公安备案图标"),
        upload_to=DatedRandomPath("site"),
        blank=True,
        help_text=_("可上传官方备案图标；不上传时使用站点自带的图标"),
    )
    site_code = models.CharField(
        _("网站标识码"), max_length=20, blank=True, help_text=_("政府网站标识码，可不填")
    )
    copyright = models.CharField(
        _("版权声明"),
        max_length=200,
        blank=True,
        help_text=_("例如：版权所有 ©××区教育局 未经授权禁止转载"),
    )

    review_levels = models.PositiveSmallIntegerField(
        _("审核级数"),
        choices=[
            (1, _("一级（终审）")),
            (2, _("两级（初审、终审）")),
            (3, _("三级（初审、复审、终审）")),
        ],
        default=3,
        help_text=_(
            "稿件发布前要经过几级审核。每一级由不同的审核员通过，最后一级为终审；"
            "修改只影响之后送审的稿件。"
        ),
    )
    profile_review_levels = models.PositiveSmallIntegerField(
        _("学校和品牌资料审核级数"),
        choices=[
            (1, _("一级（终审）")),
            (2, _("两级（初审、终审）")),
            (3, _("三级（初审、复审、终审）")),
        ],
        default=1,
        help_text=_(
            "学校通讯员等修改学校简介、党建品牌和品牌图片后，要经过几级审核才在网站上显示；"
            "第N级由分配了第N级的审核员审核，最后一级的审核员修改时直接生效。"
        ),
    )

    class Meta:
        verbose_name = _("站点设置")
        verbose_name_plural = _("站点设置")

    def __str__(self):
        return self.site_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The settings row; an unsaved default when nobody has filled it in yet."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def psb_url(self):
        code = "".join(re.findall(r"\d", self.psb_number))
        return MPS_FILING_URL.format(code=code) if code else ""

    @property
    def icp_url(self):
        return MIIT_FILING_URL

    @property
    def psb_icon_url(self):
        return self.psb_icon.url if self.psb_icon else static("img/psb-badge.svg")


# --- Audit log -----------------------------------------------------------------------------------


class AuditAction(models.TextChoices):
    """The actions every part of the portal records. Apps add their own with
    ``portal.audit.register_action`` (no migration needed: the field's choices are a callable)."""

    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    TRANSITION = "transition", _("状态流转")
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("撤稿")
    DELETE = "delete", _("删除")
    RESTORE = "restore", _("恢复")
    USER_CHANGE = "user_change", _("用户变更")
    PERMISSION_CHANGE = "permission_change", _("权限变更")
    OTHER = "other", _("其他")


# Actions registered by apps at start-up (AppConfig.ready), in addition to AuditAction.
_EXTRA_AUDIT_ACTIONS = {}


def audit_action_choices():
    """Choices of AuditLogEntry.action: the built-in actions, then the registered ones."""
    return [*AuditAction.choices, *_EXTRA_AUDIT_ACTIONS.items()]


class AuditLogImmutableError(Exception):
    """Raised on any attempt to change or delete an audit log row."""


class AuditLogQuerySet(models.QuerySet):
    """Refuses bulk changes: the audit log only ever grows.

    Old rows leave only through ``_purge_older_than``, which the ``purge_audit_log`` command calls
    after checking the legal retention period.
    """

    def update(self, **kwargs):
        raise AuditLogImmutableError(_("审计日志只能追加，不能修改。"))

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutableError(_("审计日志只能追加，不能修改。"))

    def delete(self):
        raise AuditLogImmutableError(_("审计日志只能追加，不能删除。"))

    delete.alters_data = True
    delete.queryset_only = True

    def _purge_older_than(self, cutoff):
        """Delete the rows written before ``cutoff``. Only for the retention command."""
        return models.QuerySet.delete(self.filter(time__lt=cutoff))


class AuditLogEntry(models.Model):
    """One security-relevant event: who did what to which object, when and from where.

    Rows are written through ``portal.audit.record`` and never changed afterwards.
    """

    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_log_entries",
        help_text=_("用户被删除后此处为空，操作人用户名仍保留"),
    )
    actor_username = models.CharField(
        _("操作人用户名"),
        max_length=150,
        blank=True,
        help_text=_("记录时的用户名；登录失败时为尝试登录所用的用户名"),
    )
    action = models.CharField(_("操作"), max_length=40, choices=audit_action_choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(
        _("对象"), max_length=200, blank=True, help_text=_("记录时对象的名称，对象删除后仍保留")
    )
    target = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-time", "-pk"]
        get_latest_by = "time"
        # Nobody may be granted add, change or delete: the log is written by the code only.
        default_permissions = ("view",)
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "time"], name="portal_audit_object_idx"
            ),
        ]

    def __str__(self):
        when = timezone.localtime(self.time).strftime("%Y-%m-%d %H:%M:%S") if self.time else ""
        parts = [when, self.actor_username or "—", str(self.get_action_display())]
        if self.object_repr:
            parts.append(self.object_repr)
        return " ".join(parts)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutableError(_("审计日志只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutableError(_("审计日志只能追加，不能删除。"))


class PasswordChange(models.Model):
    """When a user last set their password: what ``PASSWORD_MAX_AGE_DAYS`` is measured from."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="password_change",
        verbose_name=_("用户"),
    )
    changed_at = models.DateTimeField(_("修改密码时间"), default=timezone.now)

    class Meta:
        verbose_name = _("密码修改时间")
        verbose_name_plural = _("密码修改时间")

    def __str__(self):
        return f"{self.user} {self.changed_at:%Y-%m-%d %H:%M}"


# --- Word lists of the publication gate (portal.gate.words) --------------------------------------

_NORMALISED_HELP = _("保存时去掉空格和不可见字符，全角转为半角，英文字母转为小写。")


class SensitiveWordQuerySet(models.QuerySet):
    def add_missing(self, levels):
        """Create the words of ``levels`` (normal form → level) that are not there yet; those
        that are keep their level. Returns (added, existing) counts."""
        words = list(levels)
        with transaction.atomic(using=self.db):
            existing = set()
            for start in range(0, len(words), 500):
                chunk = words[start : start + 500]
                existing.update(self.filter(word__in=chunk).values_list("word", flat=True))
            new = [
                self.model(word=word, level=levels[word]) for word in words if word not in existing
            ]
            self.bulk_create(new, batch_size=500)
        return len(new), len(existing)


class SensitiveWord(models.Model):
    """A word that must not be published (block) or only after a reviewer confirms it."""

    LEVELS = [
        (Level.BLOCK.value, _("禁止发布")),
        (Level.CONFIRM.value, _("需审核员确认并填写理由")),
    ]

    word = models.CharField(_("敏感词"), max_length=100, unique=True, help_text=_NORMALISED_HELP)
    level = models.CharField(
        _("处理方式"),
        max_length=10,
        choices=LEVELS,
        default=Level.BLOCK.value,
        help_text=_(
            "“禁止发布”的稿件改正前不能送审和发布；“需审核员确认”的由审核员确认并填写理由后方可通过。"
        ),
    )
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("为什么列入，可不填")
    )
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = SensitiveWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["word"]
        get_latest_by = "updated_at"

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.word = normal_form(self.word)
        super().save(*args, **kwargs)

    def clean(self):
        self.word = normal_form(self.word or "")
        if not self.word:
            raise ValidationError({"word": _("敏感词不能只有空格或不可见字符。")})


class WordingError(models.Model):
    """A serious misstatement (the country's, the Party's or a state body's name written wrong,
    a political formula garbled): it always blocks, and the finding shows the correct form."""

    wrong = models.CharField(_("错误写法"), max_length=100, unique=True, help_text=_NORMALISED_HELP)
    correct = models.CharField(_("正确写法"), max_length=100)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("严重表述错误")
        verbose_name_plural = _("严重表述错误")
        ordering = ["wrong"]
        get_latest_by = "updated_at"

    def __str__(self):
        return f"{self.wrong} → {self.correct}"

    def save(self, *args, **kwargs):
        self.wrong = normal_form(self.wrong)
        super().save(*args, **kwargs)

    def clean(self):
        self.wrong = normal_form(self.wrong or "")
        self.correct = (self.correct or "").strip()
        if not self.wrong:
            raise ValidationError({"wrong": _("错误写法不能只有空格或不可见字符。")})
        # Otherwise every text that is written correctly would be blocked.
        if self.wrong in normal_form(self.correct):
            raise ValidationError({"wrong": _("错误写法不能是正确写法的一部分。")})
