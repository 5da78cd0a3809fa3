"""Tag slugs: every tag has one, non-empty and unique, so every tag has a page.

django-taggit derives a slug with Django's ``slugify``, which leaves nothing of a name made
only of punctuation (``%}``, ``！！``, ``——``, ``【】``); a tag with an empty slug cannot be linked
and broke every page that lists it. New tags get the pinyin of their name instead, like schools
and brands (``主题党日`` → ``zhu-ti-dang-ri``), and ``tag``, ``tag-2``… when no letter or digit
is left. Existing slugs that have a letter or digit are kept: they are published addresses.
"""

import re

from brands.models import unique_slug

FALLBACK_SLUG = "tag"
_ASCII_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# taggit numbers a slug that is taken: ``_1`` is what it makes of a second empty one.
_TAGGIT_NUMBER = re.compile(r"_\d+$")


def needs_slug(slug, adding):
    """A slug without any letter or digit is no address; a new tag's slug is ours to choose
    unless it is already a plain ASCII one (an editor's own, or taggit's for a Latin name)."""
    if not any(char.isalnum() for char in _TAGGIT_NUMBER.sub("", slug)):
        return True
    return adding and not _ASCII_SLUG.fullmatch(slug)


def tag_slug(tag):
    """The pinyin slug of ``tag``'s name that no other tag uses."""
    return unique_slug(tag, tag.name, fallback=FALLBACK_SLUG)


def give_slug(sender, instance, **kwargs):
    """``pre_save`` of taggit's ``Tag``: runs after taggit has set its own slug."""
    if needs_slug(instance.slug, instance._state.adding):
        instance.slug = tag_slug(instance)
