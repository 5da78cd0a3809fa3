"""Site map entries of the school, brand and evaluation pages (registered in portal.sitemaps).

One Sitemap, one SQL query (a UNION of the three tables' slugs), so /sitemap.xml costs the same
however many schools, brands and evaluations there are.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Value
from django.urls import reverse

from .models import Brand, Campaign, School

SECTIONS = {
    "school": ("brands:school_detail", 0.5),
    "brand": ("brands:brand_detail", 0.6),
    "campaign": ("brands:campaign_detail", 0.5),
}


class BrandsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        def slugs(model, section):
            return (
                model.objects.order_by()
                .annotate(section=Value(section))
                .values_list("section", "slug")
            )

        union = slugs(School, "school").union(
            slugs(Brand, "brand").filter(published=True), slugs(Campaign, "campaign"), all=True
        )
        return sorted(union, key=lambda item: (list(SECTIONS).index(item[0]), item[1]))

    def location(self, item):
        section, slug = item
        return reverse(SECTIONS[section][0], kwargs={"slug": slug})

    def priority(self, item):
        return SECTIONS[item[0]][1]
