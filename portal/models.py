import re

from django.db import models
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

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
    psb_icon = models.ImageField(
        _("公安备案图标"),
        upload_to="site/",
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
