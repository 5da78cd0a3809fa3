from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("新闻")
    # Rows no public page shows: saving them leaves the page cache alone (portal.page_cache).
    # View counts are shown, but a flush every minute must not end every cached page: 点击排行
    # and the counts follow when the generation ends (PAGE_CACHE_TIMEOUT at the latest).
    private_models = [
        "ReviewerAssignment",
        "ArticleTransition",
        "PendingChange",
        # Content waiting for review; approving it saves the school or brand, which are watched.
        "ProfileChange",
        "ProfileTransition",
        "ArticleViewDay",
        # The search index follows articles, which are watched.
        "SearchDocument",
        "SearchLog",
        "SearchTerm",
        "Notification",
        "NotificationPreference",
    ]

    def ready(self):
        import reversion
        from django.db.models.signals import pre_save
        from taggit.models import Tag

        from portal import page_cache
        from portal.audit import register_action

        from . import role_guards, search, tags, word_import
        from .models import Article, ArticleAttachment, Channel, TaggedArticle

        pre_save.connect(tags.give_slug, sender=Tag, dispatch_uid="news.tags.give_slug")

        # Revisions (portal.revisions): an article's version carries its attachments and tag
        # links, so restoring it brings them back too. Registered here, before the admin's
        # autodiscover (news comes before django.contrib.admin in INSTALLED_APPS).
        reversion.register(ArticleAttachment)
        reversion.register(TaggedArticle)
        reversion.register(Article, follow=["attachments", "tagged_items"])

        # The workflow's and the Word import's own audit actions; the others are built in.
        register_action("publish_time", _("修改发布时间"))
        register_action(word_import.AUDIT_ACTION, _("从 Word 导入"))

        # Their tallies (portal.tallies) are made on import, for manage.py flush_tallies to find.
        from . import view_counts  # noqa: F401
        from .search import log  # noqa: F401

        role_guards.connect()
        search.connect_signals()
        # A pending change goes public by being applied to its article, which is watched.
        page_cache.watch(Channel, Article, ArticleAttachment, TaggedArticle, Tag)
