from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = _("学校与党建品牌")

    # Every model here appears on a public page (portal.page_cache watches them all).
    private_models = []

    def ready(self):
        import reversion

        from portal import page_cache

        from .models import Award, Brand, BrandImage, Campaign, PartyOrganization, School

        # Revisions (portal.revisions): a brand's version carries its photo gallery.
        # Registered before the admin's autodiscover (brands comes before django.contrib.admin).
        reversion.register(School)
        reversion.register(BrandImage)
        reversion.register(Brand, follow=["images"])
        reversion.register(Award)

        page_cache.watch(PartyOrganization, School, Brand, BrandImage, Campaign, Award)
