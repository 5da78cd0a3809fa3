"""Give every tag whose slug has no letter or digit (empty, or taggit's ``_1``) a real one."""

from django.db import migrations

from news.tags import FALLBACK_SLUG, needs_slug


def fix_tag_slugs(apps, schema_editor):
    from brands.models import unique_slug

    Tag = apps.get_model("taggit", "Tag")
    for tag in Tag.objects.order_by("pk"):
        if needs_slug(tag.slug, adding=False):
            tag.slug = unique_slug(tag, tag.name, fallback=FALLBACK_SLUG)
            tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0007_login_security_permissions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(fix_tag_slugs, migrations.RunPython.noop)]
