"""load_bench: benchmark data that is added, never duplicated, and kept apart from real content."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from brands.models import Award, Brand, School
from news.models import Article, ArticleViewDay, Channel
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def load(**options):
    call_command("load_bench", no_progress=True, **options)


def test_loads_articles_schools_brands_and_honours_and_pages_render(client):
    load(articles=120, schools=12)
    assert Article.objects.count() == 120
    assert Article.objects.published().count() > 110
    assert School.objects.count() == 12
    assert Brand.objects.exists() and Award.objects.exists()
    article = Article.objects.published().first()
    assert len(re.sub(r"<[^>]+>", "", article.body)) >= 1000 and "<h2>" in article.body
    assert article.tags.exists() and article.schools.exists()
    for url in ["/", article.get_absolute_url(), article.channel.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    assert client.get(School.objects.first().get_absolute_url()).status_code == 200


def test_running_again_adds_only_what_is_missing():
    load(articles=60, schools=5)
    first_titles = list(Article.objects.order_by("title").values_list("title", flat=True))
    load(articles=60, schools=5)
    assert Article.objects.count() == 60 and School.objects.count() == 5
    load(articles=80, schools=5)
    titles = set(Article.objects.values_list("title", flat=True))
    assert Article.objects.count() == 80 and set(first_titles) <= titles


def test_refuses_a_database_with_other_content_unless_forced():
    ChannelFactory(slug="gongzuo-dongtai", name="工作动态")
    with pytest.raises(CommandError, match="--force"):
        load(articles=10, schools=2)
    assert not Article.objects.exists()
    load(articles=10, schools=2, force=True)
    assert Article.objects.count() == 10
    assert Channel.objects.filter(slug="gongzuo-dongtai").exists()


def test_recent_articles_have_daily_views_that_add_up_to_their_count():
    load(articles=120, schools=3)  # 45 minutes apart: about four days
    assert Article.objects.published().most_viewed().count() > 100
    assert not ArticleViewDay.objects.exclude(article__in=Article.objects.published()).exists()
    sums = Article.objects.annotate(total=Sum("view_days__views")).filter(total__isnull=False)
    assert sums.count() > 100
    assert all(article.view_count == article.total for article in sums)
