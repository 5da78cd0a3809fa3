"""Changes to a published article, waiting for review.

The public must keep seeing the approved text until a change to it is approved. A change made
by anybody but a final-level reviewer is therefore stored in a ``PendingChange`` (one per
article) instead of on the article: the edited content fields (``CONTENT_FIELDS``) as JSON,
with the change's own review state, level and round. It goes through the same levels and
guards; the final approval puts it on the article (through ``go_public``), a rejection sends it
back to the person who made it. Each new save of the change restarts its review. Placement
(``PLACEMENT_FIELDS``: channel, schools, flags) is not content and applies at once.

Why a separate row and not a revision of ``django-reversion``: the published article must stay
a plain row that ``Article.objects.published()`` and every public query read without knowing
about versions (and with the same number of queries); the pending content needs a review state
of its own; and reversion's history is about what *was* saved, not what is waiting. A one-to-one
row with a JSON copy of a dozen fields is the smallest thing that does this, and the admin form
simply shows it instead of the published text.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from taggit.utils import edit_string_for_tags

from ..models import CONTENT_FIELDS, Article, ArticleStatus, PendingChange, TransitionAction
from .guards import configured_levels, pending_change
from .history import record, state_of


def content_values_of(article):
    """The content of ``article`` in the shape a ``PendingChange`` keeps it."""
    content = {}
    for name in CONTENT_FIELDS:
        if name == "tags":
            content[name] = edit_string_for_tags(article.tags.all())
        elif name == "cover":
            content[name] = article.cover.name or ""
        else:
            content[name] = getattr(article, name)
    return content


def apply_change(article, change):
    """Put ``change`` on ``article`` and save it; the change is settled."""
    tags = change.apply_to(article)
    article.save()
    article.tags.set(tags)
    change.delete()


def propose_change(article, user, content, request=None):
    """Store a change to a published article for review (a non-final-level editor saved it).

    Saving again replaces the pending content and restarts its review at level 1."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        change = pending_change(article) or PendingChange(article=article)
        before = (
            state_of(change)
            if change.pk
            else (ArticleStatus.PUBLISHED, article.review_level, article.review_levels)
        )
        article.review_round += 1
        article.save(update_fields=["review_round"])
        change.content = content
        change.created_by = user
        change.status = ArticleStatus.SUBMITTED
        change.review_level = 1
        change.review_levels = configured_levels()
        change.review_round = article.review_round
        change.save()
        return record(
            TransitionAction.REVISE,
            article,
            user,
            before,
            _("修改已发布的文章，修改稿送审；网站上仍显示原内容，直到修改稿通过终审。"),
            request,
            level=1,
            levels=change.review_levels,
            round_=change.review_round,
            on_change=True,
            subject=change,
        )


def record_direct_change(article, user):
    """A final-level reviewer changed a published article: it applies at once (``go_public``
    records it). A pending change shown in their form is part of what they saved, so it is
    settled; returns the comment for the record."""
    change = pending_change(article)
    comment = _("终审人员直接修改已发布的文章，修改立即生效。")
    if change is not None:
        change.delete()
        comment += _("待审的修改稿已一并生效。")
    return comment
