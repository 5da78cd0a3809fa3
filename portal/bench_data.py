"""Benchmark data: a district with years of articles, for load tests and query plans.

``manage.py load_bench`` calls :func:`load`. Everything it creates is marked by the ``bench-``
prefix of its slug (channels, schools, brands, campaigns), so a run can tell bench content from
real content, add only what is missing, and refuse a database that holds anything else.

Published articles of the last ``news.demo.VIEW_DAYS`` days get daily view rows (浏览统计), as
many as a site keeping them for that long would have; their 浏览次数 is the sum of those rows,
while older articles keep a lifetime count from before the rows were kept.

The text comes from the demo district's vocabulary (``news.demo``), drawn from a seeded random
generator per article, so the same article number always gets the same text on any machine.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import reset_queries, transaction
from django.utils import timezone
from taggit.models import Tag

from brands.models import (
    Award,
    AwardCategory,
    AwardLevel,
    Brand,
    BrandStatus,
    Campaign,
    OrganizationKind,
    PartyOrganization,
    RecipientKind,
    ResultType,
    School,
    Stage,
)
from news import demo
from news.models import (
    Article,
    ArticleStatus,
    ArticleViewDay,
    Channel,
    TaggedArticle,
    excerpt_from_html,
)
from portal import page_cache

PREFIX = "bench-"
BATCH = 2000
ARTICLE_INTERVAL = timedelta(minutes=45)
# Share of the articles in each channel: the first channel is large enough for deep pages
# (page 500 of 20 a page needs 10,000 articles).
CHANNEL_WEIGHTS = [0.5, 0.15, 0.1, 0.1, 0.1, 0.05]
TAG_COUNT = 300
AWARDS_PER_SCHOOL = 4

TOWNS = ["文昌街道", "滨江街道", "桂园街道", "海晏镇", "东湖镇", "新城街道", "青山镇", "白沙镇"]
STAGE_NAMES = {
    Stage.KINDERGARTEN: "幼儿园",
    Stage.PRIMARY: "小学",
    Stage.JUNIOR: "中学",
    Stage.NINE_YEAR: "学校",
    Stage.SENIOR: "高级中学",
}
BRAND_WORDS = ["红烛", "先锋", "向阳", "初心", "领航", "春晖", "匠心", "星火", "同心", "育苗"]
SECTION_TITLES = ["一、提高站位，统一思想", "二、聚焦主业，创新载体", "三、压实责任，注重实效"]
SECTION_TITLES += ["四、典型引路，示范带动", "五、总结经验，长效推进"]


class NotBenchDatabase(Exception):
    """The database holds content that ``load_bench`` did not create."""


@dataclass
class Counts:
    schools: int = 0
    articles: int = 0


def foreign_content():
    """What in the database is not bench content, as a short description (empty if none)."""
    found = []
    for label, queryset in (
        ("栏目", Channel.objects.exclude(slug__startswith=PREFIX)),
        ("学校", School.objects.exclude(slug__startswith=PREFIX)),
    ):
        count = queryset.count()
        if count:
            found.append(f"{count} 个{label}")
    return "、".join(found)


def load(articles, schools, progress, force=False):
    """Bring the bench content up to ``articles`` articles and ``schools`` schools.

    ``progress(label, total)`` returns a callable that is told how many items were added.
    """
    if not force and (found := foreign_content()):
        raise NotBenchDatabase(found)
    counts = Counts()
    counts.schools = _load_schools(schools, progress)
    channels = _load_channels()
    tags = _load_tags()
    counts.articles = _load_articles(articles, channels, tags, progress)
    # Bulk inserts send no signals: the cached pages are told here.
    page_cache.bump()
    return counts


def _load_channels():
    channels = []
    for index, (name, slug, kind, description, _parent) in enumerate(demo.CHANNELS[:6]):
        channel, _created = Channel.objects.get_or_create(
            slug=f"{PREFIX}{slug}",
            defaults={
                "name": f"{name}（测试）",
                "kind": kind,
                "description": description,
                "order": index,
            },
        )
        channels.append(channel)
    return channels


def _load_tags():
    names = list(demo.TAG_BANK) + [f"{theme}·{n}" for n in range(20) for theme in demo.THEMES]
    names = names[:TAG_COUNT]
    existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
    Tag.objects.bulk_create(
        [
            Tag(name=name, slug=f"{PREFIX}tag-{i}")
            for i, name in enumerate(names)
            if name not in existing
        ],
        ignore_conflicts=True,
    )
    by_name = {tag.name: tag.pk for tag in Tag.objects.filter(name__in=names)}
    return [by_name[name] for name in names]


def _school_name(number):
    stage = list(STAGE_NAMES)[number % len(STAGE_NAMES)]
    return f"青湾区第{number + 1}{STAGE_NAMES[stage]}", stage


def _load_schools(wanted, progress):
    have = School.objects.filter(slug__startswith=f"{PREFIX}school-").count()
    if have >= wanted:
        return 0
    advance = progress("学校", wanted - have)
    today = timezone.localdate()
    campaign, _created = Campaign.objects.get_or_create(
        slug=f"{PREFIX}campaign",
        defaults={
            "title": f"{today.year - 1}年度基层党建示范校评选（测试）",
            "organiser": "中共青湾区教育局委员会",
            "year": today.year - 1,
            "result_type": ResultType.UNRANKED,
            "notice_start": today - timedelta(days=60),
            "notice_end": today - timedelta(days=50),
        },
    )
    for start in range(have, wanted, BATCH):
        numbers = range(start, min(start + BATCH, wanted))
        with transaction.atomic():
            organizations = PartyOrganization.objects.bulk_create(
                [
                    PartyOrganization(
                        name=f"中共{_school_name(n)[0]}支部委员会（测试{n}）",
                        kind=OrganizationKind.BRANCH,
                        member_count=10 + n % 40,
                    )
                    for n in numbers
                ]
            )
            new_schools = School.objects.bulk_create(
                [
                    School(
                        name=f"{_school_name(n)[0]}（测试）",
                        slug=f"{PREFIX}school-{n}",
                        stage=_school_name(n)[1],
                        town=TOWNS[n % len(TOWNS)],
                        introduction="\n\n".join(demo.MIDDLES[n % 5 : n % 5 + 3]),
                        party_organization=organization,
                    )
                    for n, organization in zip(numbers, organizations, strict=True)
                ]
            )
            brands = Brand.objects.bulk_create(
                [
                    Brand(
                        school=school,
                        name=BRAND_WORDS[n % 10] + BRAND_WORDS[(n // 10 + 3) % 10],
                        slug=f"{PREFIX}brand-{n}",
                        slogan=demo.THEMES[n % len(demo.THEMES)],
                        concept=demo.MIDDLES[n % len(demo.MIDDLES)],
                        status=BrandStatus.values[n % 3],
                        is_current=True,
                    )
                    for n, school in zip(numbers, new_schools, strict=True)
                    if n % 5 < 3
                ]
            )
            Award.objects.bulk_create(
                [
                    Award(
                        title=f"{today.year - 1 - k}年度{AwardCategory.MODEL_SCHOOL.label}（测试）",
                        category=AwardCategory.MODEL_SCHOOL,
                        level=AwardLevel.values[(n + k) % len(AwardLevel.values)],
                        awarded_on=date(today.year - 1 - k, 6, 28),
                        issuing_body="中共青湾区教育局委员会",
                        campaign=campaign if k == 0 else None,
                        recipient_kind=RecipientKind.SCHOOL,
                        school=school,
                    )
                    for n, school in zip(numbers, new_schools, strict=True)
                    for k in range(AWARDS_PER_SCHOOL)
                ]
                + [
                    Award(
                        title=f"{today.year - 1}年度{AwardCategory.BEST_BRAND.label}（测试）",
                        category=AwardCategory.BEST_BRAND,
                        level=AwardLevel.DISTRICT,
                        awarded_on=date(today.year - 1, 12, 20),
                        issuing_body="中共青湾区教育局委员会",
                        recipient_kind=RecipientKind.BRAND,
                        brand=brand,
                        school=brand.school,
                    )
                    for brand in brands[::4]
                ]
            )
        advance(len(numbers))
    return wanted - have


def _body(rng, words):
    """About 1,000–3,000 characters: opening, headed sections with figures, a closing."""
    parts = [f"<p>{rng.choice(demo.OPENINGS).format(**words)}</p>"]
    for title in rng.sample(SECTION_TITLES, rng.randint(3, 4)):
        parts.append(f"<h2>{title}</h2>")
        for _paragraph in range(rng.randint(2, 3)):
            sentences = [*rng.sample(demo.MIDDLES, 4), rng.choice(demo.QUOTES)]
            parts.append("<p>" + "".join(sentences).format(**words) + "</p>")
        if rng.random() < 0.4:
            parts.append(
                '<figure class="image"><img src="/static/img/favicon.svg" alt="">'
                f"<figcaption>{rng.choice(demo.CAPTIONS)}</figcaption></figure>"
            )
    parts.append(f"<p>{rng.choice(demo.CLOSINGS).format(**words)}</p>")
    return "".join(parts)


def _article(number, channel, school_names, now):
    """(article, its view rows, the generator for its links)."""
    rng = random.Random(demo.SEED * 1_000_003 + number)
    publish_at = now - ARTICLE_INTERVAL * number
    status = ArticleStatus.PUBLISHED if number % 50 else ArticleStatus.DRAFT
    days = []
    if status == ArticleStatus.PUBLISHED:
        days = demo.view_days(number, publish_at, timezone.localdate(now))
    words = {
        "school": rng.choice(school_names),
        "theme": rng.choice(demo.THEMES),
        "place": rng.choice(demo.PLACES),
        "meeting": rng.choice(demo.MEETINGS),
        "lesson": rng.choice(demo.LESSONS),
        "topic": rng.choice(demo.ACTIVITIES)[0],
        "author": rng.choice(demo.AUTHORS),
        "student": rng.choice(demo.STUDENTS),
        "date": f"{timezone.localtime(publish_at):%-m月%-d日}",
    }
    title = rng.choice(
        [
            "{school}开展“{theme}”主题党日活动",
            "{school}党支部举办“{lesson}”专题党课",
            "{school}师生走进{place}开展红色研学",
            "区教育局党委召开{meeting}",
        ]
    ).format(**words)
    body = _body(rng, words)
    article = Article(
        title=f"{title}（{number}）"[:120],
        body=body,
        excerpt=excerpt_from_html(body),
        authors=words["author"],
        source=rng.choice(demo.SOURCES),
        channel=channel,
        publish_at=publish_at,
        first_published_at=publish_at,
        status=status,
        is_recommended=number % 97 == 0,
        view_count=int(math.exp(rng.gauss(5, 1.2))),
    )
    if days:
        article.view_count = sum(views for _day, views in days)
    return article, days, rng


def _load_articles(wanted, channels, tags, progress):
    bench = Article.objects.filter(channel__in=channels)
    have = bench.count()
    if have >= wanted:
        return 0
    advance = progress("文章", wanted - have)
    schools = list(School.objects.filter(slug__startswith=PREFIX).values_list("pk", "name"))
    school_names = [name for _pk, name in schools] or ["青湾区实验小学"]
    weights = CHANNEL_WEIGHTS[: len(channels)]
    now = timezone.now()
    for start in range(have, wanted, BATCH):
        batch, view_days, links = [], [], []
        for number in range(start, min(start + BATCH, wanted)):
            channel = random.Random(number).choices(channels, weights)[0]
            article, days, rng = _article(number, channel, school_names, now)
            batch.append(article)
            view_days.append(days)
            links.append(
                (
                    rng.sample(tags[:60], 1) + rng.sample(tags, rng.randint(1, 4)),
                    [pk for pk, _name in rng.sample(schools, min(2, len(schools)))],
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(batch)
            TaggedArticle.objects.bulk_create(
                [
                    TaggedArticle(content_object=article, tag_id=tag_id)
                    for article, (tag_ids, _schools) in zip(created, links, strict=True)
                    for tag_id in set(tag_ids)
                ]
            )
            ArticleViewDay.objects.bulk_create(
                [
                    ArticleViewDay(article_id=article.pk, day=day, views=views)
                    for article, days in zip(created, view_days, strict=True)
                    for day, views in days
                ],
                batch_size=BATCH,
            )
            Through = Article.schools.through
            Through.objects.bulk_create(
                [
                    Through(article_id=article.pk, school_id=school_id)
                    for article, (_tags, school_ids) in zip(created, links, strict=True)
                    for school_id in school_ids
                ]
            )
        # With DEBUG on, Django keeps every query's SQL: these are megabytes each.
        reset_queries()
        advance(len(batch))
    return wanted - have
