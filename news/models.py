"""Channels (栏目), articles and their attachments.

``Article.objects.published()`` is the one definition of what the public may see: every view,
feed, sitemap, sidebar and template tag goes through it. Scheduled publishing falls out of it
(an article with a future publish time appears by itself), with no cron job.
"""

import copy
import re
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.fields import CKEditor5Field
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from portal import page_cache
from portal.attachments import validate_attachment
from portal.gate import content_of
from portal.images import PictureField
from portal.plain_text import plain_text
from portal.sanitize import clean_html
from portal.uploads import DatedRandomPath

from .roles import REVIEWER

EXCERPT_LENGTH = 120
# Where the cover's 16:9 crops are centred, in percent from the left and the top.
COVER_FOCUS_FIELDS = ("cover_focus_x", "cover_focus_y")
# The plain-text fields of an article that readers see, checked by the publication gate.
GATE_TEXT_FIELDS = [
    "kicker",
    "title",
    "subtitle",
    "summary",
    "authors",
    "source",
    "print_edition",
    "cover_alt",
]
# What a list's item (includes/article_item.html) shows of an article and of its channel.
LIST_ITEM_FIELDS = (
    "title",
    "excerpt",
    "publish_at",
    "is_pinned",
    "cover",
    *COVER_FOCUS_FIELDS,
    "channel__name",
    "channel__slug",
)
# The short text fields staff search in the admin, besides the body (ArticleQuerySet.holding_text).
STAFF_SEARCH_FIELDS = ("title", "subtitle", "kicker", "authors", "source", "summary")
# First path segments under /news/ that are not channels.
RESERVED_CHANNEL_SLUGS = {
    "archive",
    "attachments",
    "tags",
    "tag",
    "feed",
    "feeds",
    "rss",
    "atom",
    "view",
}


class ChannelKind(models.TextChoices):
    NEWS = "news", _("新闻类")
    NOTICE = "notice", _("通知公告类")


class ChannelQuerySet(models.QuerySet):
    def in_navigation(self):
        return self.filter(show_in_nav=True, parent__isnull=True)

    def top_level(self):
        return self.filter(parent__isnull=True)


class Channel(models.Model):
    name = models.CharField(_("栏目名称"), max_length=40, unique=True)
    slug = models.SlugField(
        _("网址名"),
        max_length=40,
        unique=True,
        help_text=_("栏目网址中的英文部分，如 gongzuo-dongtai；只能用小写字母、数字和连字符"),
    )
    description = models.TextField(
        _("栏目简介"), blank=True, help_text=_("显示在栏目页顶部，也用于搜索引擎摘要")
    )
    kind = models.CharField(
        _("栏目类型"),
        max_length=10,
        choices=ChannelKind.choices,
        default=ChannelKind.NEWS,
        help_text=_("新闻类栏目应至少每两周更新，通知公告类至少每半年更新（网站自查标准）"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级栏目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("留空为一级栏目；只支持两级"),
    )
    order = models.PositiveSmallIntegerField(
        _("排序"), default=100, help_text=_("数字小的排在前面")
    )
    show_in_nav = models.BooleanField(
        _("显示在主导航"), default=True, help_text=_("只有一级栏目会显示在主导航")
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["order", "pk"]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    def get_absolute_url(self):
        return reverse("news:channel", kwargs={"channel": self.slug})

    def family_ids(self):
        """This channel's pk and its sub-channels', from the cached channel tree."""
        from .channels import channel_tree

        return [self.pk, *(child.pk for child in channel_tree().children(self))]

    def published_years(self):
        """The years, newest first, in which this channel or a sub-channel has public articles
        (the year filter of its list; kept in the block cache)."""

        def years():
            return Article.objects.published().in_channel(self).years()

        return page_cache.cached("channel_years", years, self.pk)

    def clean(self):
        if self.slug in RESERVED_CHANNEL_SLUGS or (self.slug and self.slug.isdigit()):
            raise ValidationError({"slug": _("这个网址名已被系统使用，请换一个。")})
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("栏目不能是自己的上级栏目。")})
            if self.parent.parent_id:
                raise ValidationError({"parent": _("只支持两级栏目：上级栏目必须是一级栏目。")})
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("这个栏目有下级栏目，不能再设为其他栏目的下级。")}
                )


class ArticleStatus(models.TextChoices):
    """Every state of the editorial workflow; only PUBLISHED is ever public."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    IN_REVIEW = "in_review", _("审核中")
    APPROVED = "approved", _("已通过")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("退回")
    WITHDRAWN = "withdrawn", _("已撤稿")


# Waiting for a reviewer: SUBMITTED is level 1, IN_REVIEW a later level (``review_level``).
REVIEW_STATES = (ArticleStatus.SUBMITTED, ArticleStatus.IN_REVIEW)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and the publish time has come."""
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__lte=timezone.now())

    def holding_text(self, text):
        """Articles whose title, kicker, subtitle, summary, byline or source holds ``text``, or
        whose body does: a published article's body by the words of the search index (no read
        of every body), the others' (drafts, work under review: not in the index) by the
        characters. What staff search in the admin."""
        from .search import backend, query_words

        text = text.strip()
        if not text:
            return self
        in_fields = Q()
        for name in STAFF_SEARCH_FIELDS:
            in_fields |= Q(**{f"{name}__icontains": text})
        unindexed_body = ~Q(status=ArticleStatus.PUBLISHED) & Q(body__icontains=text)
        words = query_words(text)
        if words:
            indexed = backend().matching(Article.objects.all(), words).values("pk")
            return self.filter(in_fields | unindexed_body | Q(pk__in=indexed))
        return self.filter(in_fields | Q(body__icontains=text))

    def next_scheduled_publication(self, after):
        """When the next article scheduled for later than ``after`` goes public, or None."""
        return (
            self.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=after)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )

    def set_placement(self, **changes):
        """Change placement flags (头条, 置顶…) of many articles at once; returns how many.

        ``update()`` sends no signals, so the public pages are told here."""
        if changes.get("is_pinned") is False:
            changes["pin_order"] = 0
        updated = self.update(**changes)
        if updated:
            page_cache.bump()
        return updated

    def visible_to(self, user):
        """The articles ``user`` may see in the admin and preview: none without the view or
        change permission; a school correspondent only those about their schools or written
        by them (``brands.all_schools`` lifts that limit)."""
        from brands.models import ALL_SCHOOLS_PERMISSION

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if not (user.has_perm("news.view_article") or user.has_perm("news.change_article")):
            return self.none()
        if user.has_perm(ALL_SCHOOLS_PERMISSION):
            return self
        mine = Article.objects.filter(Q(schools__correspondents=user) | Q(created_by=user))
        return self.filter(pk__in=mine.values("pk"))

    def previewable_by(self, user):
        """What ``user`` may open on the public site: published articles, plus the unpublished
        ones they may see in the admin (the staff preview)."""
        if not (user.is_authenticated and user.is_active):
            return self.published()
        if user.has_perm("brands.all_schools") and (
            user.has_perm("news.view_article") or user.has_perm("news.change_article")
        ):
            return self
        return self.filter(
            Q(status=ArticleStatus.PUBLISHED, publish_at__lte=timezone.now())
            | Q(pk__in=Article.objects.visible_to(user).values("pk"))
        )

    def rejected_back_to(self, user):
        """我的退回稿件: ``user``'s articles, and their changes to published ones, that a
        reviewer sent back and that wait for them to edit and submit again."""
        return self.filter(
            Q(status=ArticleStatus.REJECTED, created_by=user)
            | Q(
                status=ArticleStatus.PUBLISHED,
                pending_change__status=ArticleStatus.REJECTED,
                pending_change__created_by=user,
            )
        )

    def drafts_of(self, user):
        """我的草稿: the drafts ``user`` started."""
        return self.filter(status=ArticleStatus.DRAFT, created_by=user)

    def scheduled(self):
        """已定时发布: published, but the publish time is still to come."""
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=timezone.now())

    def with_submitted_at(self):
        """Each article with ``submitted_at``: when the current review round began (the time of
        its 送审, or of the change to a published article that started it); None before any."""
        started = ArticleTransition.objects.filter(
            article=OuterRef("pk"),
            round=OuterRef("review_round"),
            action__in=[TransitionAction.SUBMIT, TransitionAction.REVISE],
        ).order_by("-time", "-pk")
        return self.annotate(submitted_at=Subquery(started.values("time")[:1]))

    def with_rejection_id(self):
        """Each article with ``rejection_id``: the latest 退回 of its current round (the one
        whose comment the author has to answer); None when there is none."""
        rejected = ArticleTransition.objects.filter(
            article=OuterRef("pk"),
            round=OuterRef("review_round"),
            action=TransitionAction.REJECT,
        ).order_by("-time", "-pk")
        return self.annotate(rejection_id=Subquery(rejected.values("pk")[:1]))

    def for_listing(self):
        """The columns a list needs (no body), with the channel in the same query."""
        return self.select_related("channel").defer("body")

    def for_list_items(self):
        """Only the columns ``includes/article_item.html`` shows, with its channel: a page of a
        numbered list builds its rows in half the time of ``for_listing()``'s."""
        return self.select_related("channel").only(*LIST_ITEM_FIELDS)

    def pinned_first(self):
        return self.order_by("-is_pinned", "pin_order", "-publish_at", "-pk")

    def in_channel(self, channel):
        """Articles of ``channel`` and of its sub-channels.

        By a list of channel ids, which the channel indexes serve; a join to the channel's parent
        would make PostgreSQL read every row of the table."""
        return self.filter(channel_id__in=channel.family_ids())

    def most_viewed(self, days=30):
        """点击排行: the articles with the most views in the last ``days`` days (today
        included), summed from their daily buckets as ``recent_views``; ties go to the newest.
        Articles without views in that time are left out. One query, whose cost follows the
        buckets of those days, not the number of articles."""
        since = timezone.localdate() - timezone.timedelta(days=days)
        return (
            self.filter(view_days__day__gt=since)
            .annotate(recent_views=Sum("view_days__views"))
            .order_by("-recent_views", "-publish_at", "-pk")
        )

    def years(self):
        """The years these articles were published in, newest first (a list)."""
        return [day.year for day in self.dates("publish_at", "year", order="DESC")]

    def with_recent_views(self, days=30):
        """Each article with ``recent_views``: its views in the last ``days`` days (today
        included), from its daily buckets; 0 without any."""
        since = timezone.localdate() - timezone.timedelta(days=days)
        views = (
            ArticleViewDay.objects.filter(article=OuterRef("pk"), day__gt=since)
            .order_by()
            .values("article")
            .annotate(total=Sum("views"))
            .values("total")
        )
        return self.annotate(recent_views=Coalesce(Subquery(views[:1]), 0))

    def latest_per_channel(self, per_channel):
        """The newest ``per_channel`` articles of each top-level channel (sub-channels count
        for their parent), in one query; ``top_channel_id`` tells which block each is for."""
        top = Coalesce(F("channel__parent_id"), F("channel_id"))
        return (
            self.annotate(
                top_channel_id=top,
                channel_rank=Window(
                    RowNumber(),
                    partition_by=top,
                    order_by=[F("publish_at").desc(), F("pk").desc()],
                ),
            )
            .filter(channel_rank__lte=per_channel)
            .order_by("top_channel_id", "channel_rank")
        )

    def rows_of(self, *key_lists):
        """The rows of several short key lists (sliced ``values("pk")`` querysets) in one
        query: a UNION ALL of one index lookup each. Not ``pk IN (…) OR pk IN (…)``, which
        PostgreSQL answers by reading the whole table (measured at 100,000 articles: 80–440 ms
        against 1 ms). A row in several lists comes once for each."""
        first, *rest = [self.order_by().filter(pk__in=keys) for keys in key_lists]
        return list(first.union(*rest, all=True) if rest else first)

    def related_to(self, article, tag_ids=None, school_ids=None, limit=6):
        """相关阅读, a list of up to ``limit``: the articles sharing the most of ``tag_ids`` (the
        article's tags, read when not given), then those sharing the most of ``school_ids``,
        then the newest of the same channel; newest first among equals.

        One query: each group's first ``limit`` keys (from the link rows' and the channel
        index's first entries, never a count over the whole channel) bring their rows with the
        shared counts, and the groups are filled here; a group's first ``limit`` always leave
        enough once the articles of the groups before are taken.
        """
        if tag_ids is None or school_ids is None:
            tags, schools = article.tags_and_schools()
            tag_ids, school_ids = [tag.pk for tag in tags], [school.pk for school in schools]
        others = self.exclude(pk=article.pk)
        by_shared = ["-shared", "-publish_at", "-pk"]
        groups = [others.filter(channel_id=article.channel_id).order_by("-publish_at", "-pk")]
        if tag_ids:
            sharing = others.filter(tagged_items__tag_id__in=tag_ids).annotate(shared=Count("pk"))
            groups.append(sharing.order_by(*by_shared))
        if school_ids:
            sharing = others.filter(schools__in=school_ids).annotate(shared=Count("pk"))
            groups.append(sharing.order_by(*by_shared))
        candidates = (
            self.only("pk", "title", "publish_at", "channel_id")
            .annotate(
                shared_tags=_count_links(TaggedArticle, "content_object", "tag_id", tag_ids),
                shared_schools=_count_links(
                    Article.schools.through, "article", "school_id", school_ids
                ),
            )
            .rows_of(*(group.values("pk")[:limit] for group in groups))
        )
        newest_first = sorted(set(candidates), key=lambda a: (a.publish_at, a.pk), reverse=True)
        chosen = []
        same_channel = lambda a: a.channel_id == article.channel_id  # noqa: E731
        for shares in (lambda a: a.shared_tags, lambda a: a.shared_schools, same_channel):
            group = [a for a in newest_first if shares(a) and a not in chosen]
            group.sort(key=shares, reverse=True)  # stable: newest first among equals
            chosen.extend(group[: limit - len(chosen)])
        return chosen


def _count_links(through, owner, target, ids):
    """How many of ``ids`` the outer article links to through ``through`` (a subquery)."""
    if not ids:
        return Value(0)
    links = through.objects.filter(**{owner: OuterRef("pk"), f"{target}__in": ids})
    return Coalesce(
        Subquery(links.order_by().values(owner).annotate(n=Count("pk")).values("n")[:1]),
        0,
    )


class TaggedArticle(TaggedItemBase):
    """The tag links of articles, with a real foreign key (joins instead of generic lookups)."""

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("文章标签")
        verbose_name_plural = _("文章标签")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="news_unique_tag")
        ]
        # 相关阅读 counts the articles of a few tags from this index alone.
        indexes = [models.Index(fields=["tag", "content_object"], name="news_tagged_by_tag")]


class Article(models.Model):
    # Title block
    kicker = models.CharField(
        _("引题"), max_length=100, blank=True, help_text=_("标题上方的一行小字，可不填")
    )
    title = models.CharField(_("标题"), max_length=120)
    subtitle = models.CharField(
        _("副标题"), max_length=120, blank=True, help_text=_("标题下方的一行，可不填")
    )
    summary = models.TextField(
        _("摘要"),
        max_length=300,
        blank=True,
        help_text=_("用于列表、订阅和搜索引擎；留空时自动取正文开头约 120 字"),
    )
    excerpt = models.TextField(_("列表摘要"), blank=True, editable=False)
    # Body
    body = CKEditor5Field(_("正文"), config_name="default", blank=True)
    # Byline and origin
    authors = models.CharField(
        _("作者"),
        max_length=100,
        blank=True,
        help_text=_("按稿件署名填写，多人用空格分隔，如：张明 李华"),
    )
    source = models.CharField(
        _("来源"), max_length=100, blank=True, help_text=_("留空时为本网站名称")
    )
    print_edition = models.CharField(
        _("刊发信息"),
        max_length=150,
        blank=True,
        help_text=_("稿件最初刊发的报刊、日期和版面，如：《青湾日报》2026年11月20日第5版"),
    )
    original_url = models.URLField(
        _("原文链接"), blank=True, help_text=_("转载稿件的原始网址，可不填")
    )
    # Classification
    channel = models.ForeignKey(
        Channel, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(
        _("标签"),
        through=TaggedArticle,
        blank=True,
        help_text=_("多个标签用英文逗号分隔，如：主题党日,志愿服务"),
    )
    schools = models.ManyToManyField(
        "brands.School",
        verbose_name=_("相关学校"),
        related_name="articles",
        blank=True,
        help_text=_("稿件涉及的学校，文章会出现在学校主页上"),
    )
    brand = models.ForeignKey(
        "brands.Brand",
        verbose_name=_("相关党建品牌"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    # Cover
    cover = PictureField(
        _("封面图"),
        upload_to=DatedRandomPath("news/covers"),
        purposes=("card", "carousel"),
        focus=COVER_FOCUS_FIELDS,
        blank=True,
        help_text=_("列表和幻灯片使用的图片，建议横图 16:9，宽度不小于 960 像素"),
    )
    # Where the 16:9 crops of the cover are centred (a portrait photo keeps the faces).
    cover_focus_x = models.PositiveSmallIntegerField(
        _("封面焦点（横向）"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("裁成 16:9 时保留的中心：离左边的百分比，0 为最左，50 为居中，100 为最右"),
    )
    cover_focus_y = models.PositiveSmallIntegerField(
        _("封面焦点（纵向）"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("离上边的百分比，0 为最上，50 为居中，100 为最下"),
    )
    cover_alt = models.CharField(
        _("封面图说明"),
        max_length=150,
        blank=True,
        help_text=_("给看不到图片的读者的文字说明，如：学生在纪念馆前重温入队誓词"),
    )
    # Publication
    publish_at = models.DateTimeField(
        _("发布时间"),
        default=timezone.now,
        help_text=_("设为将来的时间即为定时发布，到时自动出现在网站上"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    is_headline = models.BooleanField(_("头条"), default=False, help_text=_("显示在首页头条位置"))
    is_recommended = models.BooleanField(
        _("推荐"), default=False, help_text=_("显示在“热点推荐”中")
    )
    is_carousel = models.BooleanField(
        _("幻灯"), default=False, help_text=_("有封面图时显示在首页幻灯片中")
    )
    is_pinned = models.BooleanField(_("置顶"), default=False, help_text=_("在栏目列表中排在最前"))
    pin_order = models.PositiveSmallIntegerField(
        _("置顶顺序"), default=0, help_text=_("多篇置顶时数字小的在前；不置顶的文章保持 0")
    )
    view_count = models.PositiveIntegerField(_("浏览次数"), default=0, editable=False)
    # Review workflow (see news/workflow/); changed only by the workflow, never by a form.
    review_level = models.PositiveSmallIntegerField(
        _("待审级别"), default=0, editable=False, help_text=_("正在等待第几级审核；0 为不在审核中")
    )
    review_levels = models.PositiveSmallIntegerField(
        _("审核级数"), default=0, editable=False, help_text=_("送审时站点设置的审核级数")
    )
    review_round = models.PositiveIntegerField(_("送审轮次"), default=0, editable=False)
    first_published_at = models.DateTimeField(
        _("首次发布时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("首次发布后，发布时间只有管理员可以修改，并记入审计日志"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-publish_at", "-pk"]
        get_latest_by = "publish_at"
        permissions = [
            ("submit_article", _("可以送审文章")),
            ("approve_article", _("可以审核文章（按分配的审核级别）")),
            ("publish_article", _("可以发布和撤稿文章")),
            ("change_publish_time", _("可以修改已发布文章的发布时间")),
        ]
        indexes = [
            # The ``-id`` at the end of each: every list breaks ties by it, and with it a page's
            # keys come from the index alone (``portal.pagination``).
            models.Index(fields=["status", "-publish_at", "-id"], name="news_public_latest"),
            models.Index(
                fields=["channel", "status", "-is_pinned", "pin_order", "-publish_at", "-id"],
                name="news_channel_list",
            ),
            # Previous/next in the channel, the channel feed, 相关阅读's same-channel rows.
            models.Index(
                fields=["channel", "status", "-publish_at", "-id"], name="news_channel_latest"
            ),
            # The admin's list: every article, newest first.
            models.Index(fields=["-publish_at", "-id"], name="news_latest"),
        ]
        constraints = [
            # Pin order ranks pinned articles among themselves; on any other article it would
            # push it out of date order in the channel list.
            models.CheckConstraint(
                condition=Q(is_pinned=True) | Q(pin_order=0),
                name="news_pin_order_only_when_pinned",
                violation_error_message=_("只有置顶的文章才有置顶顺序。"),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        self.summary = self.summary.strip()
        if not self.is_pinned:
            self.pin_order = 0
        self.excerpt = self.summary or excerpt_from_html(self.body)
        if not self.source.strip():
            from portal.models import SiteSettings

            self.source = SiteSettings.load().site_name
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "body",
                "excerpt",
                "source",
                "pin_order",
            }
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def get_absolute_url(self):
        day = self.local_publish_date
        return reverse(
            "news:article",
            kwargs={"year": day.year, "month": f"{day:%m}", "day": f"{day:%d}", "pk": self.pk},
        )

    def gate_content(self):
        """What the publication gate checks of this article (``portal.gate``): the text fields,
        the body as stored, and the attachments' names."""
        names = [name for a in self.attachments.all() for name in (a.title, a.original_name)]
        label = str(ArticleAttachment._meta.get_field("title").verbose_name)
        return content_of(
            self, texts=GATE_TEXT_FIELDS, html=["body"], extra={label: "\n".join(names)}
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def changes_public_pages(self):
        """Whether saving or deleting this article changes what the public sees: it is published
        (or scheduled), or was when it was loaded or last saved. Drafts show nowhere."""
        published = ArticleStatus.PUBLISHED
        return self.status == published or getattr(self, "_loaded_status", None) == published

    def clean(self):
        errors = {}
        if self.pin_order and not self.is_pinned:
            errors["pin_order"] = _(
                "置顶顺序只对置顶的文章有效：请勾选“置顶”，或把置顶顺序设为 0。"
            )
        if self.cover and not self.cover_alt.strip():
            errors["cover_alt"] = _(
                "有封面图时必须填写封面图说明，写清楚图里是什么，给看不到图片的读者。"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def local_publish_date(self):
        return timezone.localdate(self.publish_at)

    @property
    def is_public(self):
        return self.status == ArticleStatus.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def flag_labels(self):
        return [
            label
            for flag, label in (
                (self.is_headline, _("头条")),
                (self.is_recommended, _("推荐")),
                (self.is_carousel, _("幻灯")),
                (self.is_pinned, _("置顶")),
            )
            if flag
        ]

    def tags_and_schools(self):
        """(tags, schools) of this article, with the names and slugs their links need, in one
        query instead of one for each; schools in their usual order, tags by name."""
        from taggit.models import Tag

        from brands.models import School

        tags = Tag.objects.filter(news_taggedarticle_items__content_object=self)
        schools = School.objects.filter(articles=self)
        rows = (
            tags.order_by()
            .annotate(is_school=Value(False), stage=Value(0))
            .values_list("pk", "name", "slug", "is_school", "stage")
            .union(
                schools.order_by()
                .annotate(is_school=Value(True))
                .values_list("pk", "name", "slug", "is_school", "stage"),
                all=True,
            )
        )
        tags, schools = [], []
        for pk, name, slug, is_school, stage in sorted(rows, key=lambda row: (row[4], row[1])):
            if is_school:
                schools.append(School(pk=pk, name=name, slug=slug, stage=stage))
            else:
                tags.append(Tag(pk=pk, name=name, slug=slug))
        return tags, schools

    def neighbours_in_channel(self):
        """(上一篇, 下一篇): the published articles of the same channel just before and after this
        one in date order, or None; one query of two index lookups."""
        published = Article.objects.published().filter(channel_id=self.channel_id)
        # Not one OR of two ranges each: an index range starts at this article's time.
        before = (
            published.filter(publish_at__lte=self.publish_at)
            .exclude(publish_at=self.publish_at, pk__gte=self.pk)
            .order_by("-publish_at", "-pk")
        )
        after = (
            published.filter(publish_at__gte=self.publish_at)
            .exclude(publish_at=self.publish_at, pk__lte=self.pk)
            .order_by("publish_at", "pk")
        )
        found = Article.objects.only("pk", "title", "publish_at").rows_of(
            before.values("pk")[:1], after.values("pk")[:1]
        )
        previous = following = None
        for article in found:
            if (article.publish_at, article.pk) < (self.publish_at, self.pk):
                previous = article
            else:
                following = article
        return previous, following


class ArticleViewDay(models.Model):
    """浏览统计: how often an article was read on one day (local date), written only by
    ``news.view_counts.flush`` from the views the beacon gathered in the cache."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("文章"),
        on_delete=models.CASCADE,
        related_name="view_days",
        # The unique (article, day) index starts with the article and serves its lookups.
        db_index=False,
    )
    day = models.DateField(_("日期"))
    views = models.PositiveIntegerField(_("浏览次数"), default=0)

    class Meta:
        verbose_name = _("浏览统计")
        verbose_name_plural = _("浏览统计")
        ordering = ["-day", "article"]
        get_latest_by = "day"
        constraints = [
            # flush() adds to the day's row with INSERT … ON CONFLICT (article_id, day).
            models.UniqueConstraint(fields=["article", "day"], name="news_view_day_unique"),
        ]
        indexes = [
            # 点击排行 reads the rows of the last days, and can take their views from this index.
            models.Index(fields=["day", "article", "views"], name="news_view_day_recent"),
        ]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views}"


class SearchDocument(models.Model):
    """The segmented words of a published article, for full-text search on PostgreSQL
    (``news.search.backends``). On SQLite an FTS5 table holds them instead and this table
    stays empty; the GIN index and the FTS5 table are made by migration 0011, each on its own
    database only."""

    article = models.OneToOneField(
        Article,
        verbose_name=_("文章"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    vector = SearchVectorField(_("检索词"), null=True)

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")

    def __str__(self):
        return str(self.article_id)


class SearchTerm(models.Model):
    """A word of the search dictionary (检索词典) added by staff: a term readers search for that
    the shipped dictionary (``news/search/terms.txt``) and the names of schools, brands,
    channels and tags do not hold, so that it is kept whole (``news.search.segment``)."""

    term = models.CharField(
        _("词语"),
        max_length=20,
        unique=True,
        help_text=_("2 到 20 个字，如：红领巾讲解员。加入后新发布和已有的文章都能按这个词找到。"),
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检索词")
        verbose_name_plural = _("检索词典")
        ordering = ["term"]

    def __str__(self):
        return self.term

    def clean(self):
        # A term is one word: spaces typed in it are dropped.
        self.term = "".join(self.term.split())
        if len(self.term) < 2:
            raise ValidationError({"term": _("检索词至少要有 2 个字。")})


class SearchLog(models.Model):
    """One search of the public site: what was asked and how many articles it found, nothing
    about who asked (no address, no user). 热门搜索 and the editors' reports come from it."""

    query = models.CharField(_("搜索词"), max_length=100)
    results = models.PositiveIntegerField(_("结果数"))
    searched_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("搜索记录")
        verbose_name_plural = _("搜索记录")
        ordering = ["-searched_at"]
        get_latest_by = "searched_at"
        indexes = [
            # The reports count the queries of the last days.
            models.Index(fields=["searched_at", "query"], name="news_search_log_recent"),
        ]

    def __str__(self):
        return self.query


class ArticleAttachmentQuerySet(models.QuerySet):
    def previewable_by(self, user):
        """Attachments of the articles ``user`` may open on the public site."""
        return self.filter(article__in=Article.objects.previewable_by(user))


class ArticleAttachment(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(
        _("附件名称"),
        max_length=150,
        blank=True,
        help_text=_("读者看到的名称，如：2026年党建工作要点.pdf；留空则用上传的文件名"),
    )
    file = models.FileField(
        _("文件"), upload_to=DatedRandomPath("news/attachments"), validators=[validate_attachment]
    )
    # Stored under a random name (portal.uploads); readers download it under this one.
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ArticleAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # Before saving, the file still has the uploader's name; storage replaces it.
            self.original_name = PurePosixPath(self.file.name).name[:255]
        if not self.title:
            self.title = self.original_name[:150]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:attachment", args=[self.pk])

    @property
    def extension(self):
        name = self.file.name or ""
        return name.rsplit(".", 1)[-1].upper() if "." in name else ""

    @property
    def download_name(self):
        """The file name a download gets: the uploader's own; for files kept before it was
        recorded, the title with the stored file's extension."""
        if self.original_name:
            return self.original_name
        suffix = PurePosixPath(self.file.name).suffix
        if self.title.lower().endswith(suffix.lower()):
            return self.title
        return f"{self.title}{suffix}"


# --- Editorial workflow (rules in news/workflow/) ---------------------------------------------


class ReviewLevel(models.IntegerChoices):
    FIRST = 1, _("第1级")
    SECOND = 2, _("第2级")
    THIRD = 3, _("第3级")


class ReviewerAssignment(models.Model):
    """One review level a reviewer (审核员) may decide at. A person may hold several levels, but
    the workflow never lets them approve two levels of the same article."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核员"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
        limit_choices_to={"groups__name": REVIEWER},
        error_messages={"invalid": _("审核级别只能分配给“审核员”用户组的成员。")},
        help_text=_("需属于“审核员”用户组"),
    )
    level = models.PositiveSmallIntegerField(
        _("审核级别"),
        choices=ReviewLevel.choices,
        help_text=_(
            "第1级为初审；三级审核时第2级为复审、第3级为终审，两级审核时第2级为终审，"
            "一级审核时第1级即终审（级数在站点设置中设定）"
        ),
    )

    class Meta:
        verbose_name = _("审核员分级")
        verbose_name_plural = _("审核员分级")
        ordering = ["level", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "level"], name="news_unique_reviewer_level")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_level_display()}"


class TransitionAction(models.TextChoices):
    SUBMIT = "submit", _("送审")
    APPROVE = "approve", _("审核通过")
    REJECT = "reject", _("退回")
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("撤稿")
    REVISE = "revise", _("修改已发布文章")
    PUBLISH_TIME = "publish_time", _("修改发布时间")
    CONFIRM = "confirm", _("确认内容检查")
    RESTORE = "restore", _("恢复历史版本")
    RECOVER = "recover", _("恢复已删除的文章")


class ReviewStep(models.Model):
    """One step of a review, of an article or of a school's or brand's profile."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人用户名"), max_length=150, blank=True)
    time = models.DateTimeField(_("时间"), default=timezone.now)
    action = models.CharField(_("操作"), max_length=20, choices=TransitionAction.choices)
    level = models.PositiveSmallIntegerField(_("审核级别"), default=0)
    levels = models.PositiveSmallIntegerField(_("审核级数"), default=0)
    round = models.PositiveIntegerField(_("送审轮次"), default=0)
    comment = models.TextField(_("意见"), blank=True)
    # The publication gate's findings the step was taken with (for 确认内容检查: confirmed).
    findings = models.JSONField(_("内容检查"), default=list, blank=True)

    class Meta:
        abstract = True


class ArticleTransition(ReviewStep):
    """One step of an article's way through the workflow: the timeline on its admin page."""

    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("原状态"), max_length=12, choices=ArticleStatus.choices)
    to_state = models.CharField(_("新状态"), max_length=12, choices=ArticleStatus.choices)
    on_change = models.BooleanField(
        _("针对修改稿"), default=False, help_text=_("针对已发布文章的待审修改，而非文章本身")
    )

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["time", "pk"]
        get_latest_by = "time"
        indexes = [
            models.Index(fields=["article", "round", "action"], name="news_transition_round")
        ]

    def __str__(self):
        return f"{self.article} · {self.get_action_display()}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A step of the workflow told to someone it concerns (``news.notifications``): shown in
    the admin (通知, with the unread count in the header) and sent by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="news_notifications",
    )
    # Of an article's step (article and transition), or of a profile review's (profile_step).
    article = models.ForeignKey(
        Article,
        verbose_name=_("文章"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    transition = models.ForeignKey(
        ArticleTransition,
        verbose_name=_("流转记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    profile_step = models.ForeignKey(
        "ProfileTransition",
        verbose_name=_("资料审核记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The header's unread count on every admin page.
            models.Index(fields=["recipient", "read_at"], name="news_notification_unread"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, transition__isnull=False, profile_step=None)
                | Q(article=None, transition=None, profile_step__isnull=False),
                name="news_notification_one_step",
            )
        ]

    def __str__(self):
        return self.message

    def get_admin_url(self):
        """The admin page the notice leads to: the article's, or the school's or brand's."""
        if self.article_id:
            return reverse("admin:news_article_change", args=[self.article_id])
        step = self.profile_step
        if step.school_id:
            return reverse("admin:brands_school_change", args=[step.school_id])
        return reverse("admin:brands_brand_change", args=[step.brand_id])


class NotificationPreference(models.Model):
    """Whether a user gets workflow notifications by e-mail as well (the admin always shows
    them). Without a row: yes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="news_notification_preference",
    )
    email = models.BooleanField(_("同时发送电子邮件"), default=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self):
        return str(self.user)


# Every editable field of an article is exactly one of these (a test holds it to that).
# Content goes through review on a published article (a ``PendingChange``) and through the
# publication gate; placement applies at once.
CONTENT_FIELDS = [
    "kicker",
    "title",
    "subtitle",
    "summary",
    "body",
    "cover",
    "cover_alt",
    *COVER_FOCUS_FIELDS,
    "authors",
    "source",
    "print_edition",
    "original_url",
    "tags",
]
PLACEMENT_FIELDS = [
    "channel",
    "schools",
    "brand",
    "publish_at",
    "is_headline",
    "is_recommended",
    "is_carousel",
    "is_pinned",
    "pin_order",
]


class ChangeUnderReview(models.Model):
    """New content of something the public already sees, kept apart until its review passes."""

    content = models.JSONField(_("修改后的内容"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.SUBMITTED
    )
    review_level = models.PositiveSmallIntegerField(_("待审级别"), default=1)
    review_levels = models.PositiveSmallIntegerField(_("审核级数"), default=1)
    review_round = models.PositiveIntegerField(_("送审轮次"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("送审时间"), auto_now=True)

    class Meta:
        abstract = True


class PendingChange(ChangeUnderReview):
    """Changed content of a published article, waiting for review (see news/workflow/).

    ``content`` maps each of ``CONTENT_FIELDS`` to its new value: text as text, the cover as
    the stored file's name, tags as the editor's comma-separated string.
    """

    article = models.OneToOneField(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="pending_change"
    )

    class Meta:
        verbose_name = _("待审修改")
        verbose_name_plural = _("待审修改")

    def __str__(self):
        return f"{self.article}（待审修改）"

    def gate_content(self):
        """What the publication gate checks of this change: its article as the change would
        leave it."""
        article = copy.copy(self.article)
        self.apply_to(article)
        return article.gate_content()

    def apply_to(self, article):
        """Put the pending content on ``article`` (not saved); returns the tag names."""
        from taggit.utils import parse_tags

        for name in CONTENT_FIELDS:
            if name == "tags" or name not in self.content:
                continue
            setattr(article, name, self.content[name])
        return parse_tags(self.content.get("tags", ""))


_SPACE = re.compile(r"\s+")


def plain_text_from_html(body):
    """The running text of ``body`` on one line: figure captions and image descriptions are not
    part of it."""
    return _SPACE.sub(" ", plain_text(body, captions=False)).strip()


def excerpt_from_html(body, length=EXCERPT_LENGTH):
    """Plain text from the start of ``body``, cut at ``length`` characters with an ellipsis."""
    text = plain_text_from_html(body)
    if len(text) <= length:
        return text
    return text[: length - 1].rstrip() + "…"


class ProfileSubject(models.Model):
    """What a profile review is about: a school's profile or a brand (exactly one of them)."""

    school = models.ForeignKey(
        "brands.School",
        verbose_name=_("学校"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    brand = models.ForeignKey(
        "brands.Brand",
        verbose_name=_("党建品牌"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.school if self.school_id else self.brand


def _one_subject(name):
    return models.CheckConstraint(
        condition=Q(school__isnull=False, brand__isnull=True)
        | Q(school__isnull=True, brand__isnull=False),
        name=name,
    )


class ProfileChange(ProfileSubject, ChangeUnderReview):
    """A change to a school's profile or to a brand and its gallery, waiting for review
    (``news.workflow.profiles``): the public keeps seeing the profile as it was until the
    change passes the last of ``SiteSettings.profile_review_levels``.

    ``content`` maps each content field of the profile (``PROFILE_FIELDS``) to its new value
    (a picture as the stored file's name) and, for a brand, ``images`` to its whole gallery
    (``Brand.gallery()``). A brand added by somebody who does not publish directly is not
    public yet (``Brand.published``): its change keeps no content, the brand is what is
    reviewed."""

    school = models.OneToOneField(
        "brands.School",
        verbose_name=_("学校"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_change",
    )
    brand = models.OneToOneField(
        "brands.Brand",
        verbose_name=_("党建品牌"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_change",
    )

    class Meta:
        verbose_name = _("待审的资料修改")
        verbose_name_plural = _("待审的资料修改")
        ordering = ["updated_at", "pk"]
        constraints = [_one_subject("news_profilechange_one_subject")]

    def __str__(self):
        return _("%(subject)s（待审修改）") % {"subject": self.subject}


class ProfileTransition(ProfileSubject, ReviewStep):
    """One step of a profile change's review: 审核记录 on the school's or brand's admin page."""

    class Meta:
        verbose_name = _("资料审核记录")
        verbose_name_plural = _("资料审核记录")
        ordering = ["time", "pk"]
        constraints = [_one_subject("news_profiletransition_one_subject")]

    def __str__(self):
        return f"{self.subject} · {self.get_action_display()}"
