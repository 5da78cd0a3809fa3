#!/usr/bin/env bash
# make bench: the portal beside the Wagtail peer and Django's ceiling, in one run, on this machine.
#
#   bench/run.sh                  # 100,000 articles, 500 schools
#   ARTICLES=20000 bench/run.sh   # a quicker run
#
# Uses the ready-made tools in ../shared/bench (see its README): a throwaway PostgreSQL cluster on
# 127.0.0.1:55433, a virtualenv with the Wagtail peer and the ceiling app in /tmp/bench/venv, and
# load.sh (gunicorn with 3 sync workers, wrk -t2 -c16 -d15s per page). Loads both databases to
# ARTICLES articles when they hold a different number, then measures the ceiling, the peer and
# the portal back to back and prints one table with the ratios. Only ratios from one run mean
# anything: absolute numbers drift by ±30% between runs on these machines.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
ARTICLES=${ARTICLES:-100000}
SCHOOLS=${SCHOOLS:-500}
VENV=/tmp/bench/venv
RESULTS=${RESULTS:-/tmp/bench/results/portal-$(date +%Y%m%d-%H%M%S)}
PG_URL=postgres://pgbench@127.0.0.1:55433
mkdir -p "$RESULTS"

[ -d "$SHARED" ] || { echo "no shared bench tools at $SHARED (set SHARED_BENCH)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# Peer and ceiling: their own virtualenv, as ../shared/bench/README.md sets it up.
if [ ! -x "$VENV/bin/gunicorn" ] || ! "$VENV/bin/python" -c "import wagtail" 2>/dev/null; then
  python3.11 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$SHARED/requirements.txt"
fi
if ! "$SHARED/pg.sh" status >/dev/null 2>&1; then
  [ -d /tmp/bench/pg/data ] && "$SHARED/pg.sh" start || "$SHARED/pg.sh" init
fi
"$SHARED/pg.sh" createdb portal_bench >/dev/null 2>&1 || true

# Data: the peer's loader and ours, each only when the count differs.
peer_count=$(cd "$SHARED/peer_wagtail" && DATABASE_URL=$PG_URL/wagtail_bench "$VENV/bin/python" \
  manage.py shell -c "from news.models import NewsPage; print(NewsPage.objects.count())" 2>/dev/null | tail -1 || echo 0)
if [ "$peer_count" != "$ARTICLES" ]; then
  echo "=== loading the Wagtail peer with $ARTICLES articles"
  "$SHARED/pg.sh" dropdb wagtail_bench >/dev/null 2>&1 || true
  "$SHARED/pg.sh" createdb wagtail_bench
  (cd "$SHARED/peer_wagtail" && export DATABASE_URL=$PG_URL/wagtail_bench &&
    "$VENV/bin/python" manage.py migrate --noinput -v0 &&
    "$VENV/bin/python" manage.py load_news --count "$ARTICLES")
fi

export DATABASE_URL=$PG_URL/portal_bench DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost
# wrk asks from one address: the per-address search limit would answer 429.
export RATE_LIMIT_SEARCH=100000000/m
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
make -s .venv/.runtime-installed
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_bench --articles "$ARTICLES" --schools "$SCHOOLS"
# The search index (load_bench's bulk inserts pass no signals): built when it is empty.
.venv/bin/python bench/search.py --repeat 20 | tee "$RESULTS/search.txt"
.venv/bin/python manage.py collectstatic --noinput -v0

# The pages to load: the biggest channel's first and 500th page, its middle article, a tag,
# a school and a brand, chosen by the data itself.
mapfile -t PAGES < <(.venv/bin/python manage.py shell -v 0 -c "
from django.db.models import Count
from brands.models import Brand, School
from news.models import Article, Channel
from taggit.models import Tag
published = Article.objects.published()
channel = Channel.objects.annotate(n=Count('articles')).order_by('-n').first()
in_channel = published.in_channel(channel).order_by('-publish_at')
middle = in_channel[in_channel.count() // 2]
tag = Tag.objects.filter(slug__startswith='bench-').annotate(n=Count('news_taggedarticle_items')).order_by('-n').first()
print('/')
print(channel.get_absolute_url())
print(channel.get_absolute_url() + '?page=' + str(min(500, max(1, in_channel.count() // 20))))
print(middle.get_absolute_url())
print('/news/tags/%s/' % tag.slug)
print(School.objects.filter(slug__startswith='bench-').order_by('pk').first().get_absolute_url())
print(Brand.objects.filter(slug__startswith='bench-').order_by('pk').first().get_absolute_url())
print('/awards/')
print('/stats/')
print('/search/?q=%E5%85%9A%E5%BB%BA')
print('/search/?q=%E8%88%AA%E5%A4%A9%E7%A7%91%E6%99%AE')
" | grep '^/')
PEER_PAGES=(/ /news/ "/news/?page=500" "/news/a$(printf '%06d' $((ARTICLES / 2)))/")

echo "=== ceiling"
"$SHARED/load.sh" app:application "$SHARED/baseline" /fixed/ | tee "$RESULTS/ceiling.txt"
echo "=== Wagtail peer"
DATABASE_URL=$PG_URL/wagtail_bench "$SHARED/load.sh" newsite.wsgi:application \
  "$SHARED/peer_wagtail" "${PEER_PAGES[@]}" | tee "$RESULTS/peer.txt"
# Cached: anonymous pages from the page cache (the embedded file cache unless CACHE_URL says
# otherwise). Cold: the page cache off, the block caches (sidebar, channel tree…) warm.
export CACHE_URL=${CACHE_URL:-filecache:///tmp/bench/portal-cache}
rm -rf /tmp/bench/portal-cache
echo "=== portal, pages cached ($CACHE_URL)"
GUNICORN=$ROOT/.venv/bin/gunicorn "$SHARED/load.sh" portal.wsgi:application "$ROOT" \
  "${PAGES[@]}" | tee "$RESULTS/portal.txt"
echo "=== portal, page cache off"
PAGE_CACHE=off GUNICORN=$ROOT/.venv/bin/gunicorn "$SHARED/load.sh" portal.wsgi:application \
  "$ROOT" "${PAGES[@]}" | tee "$RESULTS/portal-cold.txt"

echo
echo "=== $ARTICLES articles; results in $RESULTS"
python3 bench/summary.py "$RESULTS" "${PAGES[@]:0:4}" -- "${PEER_PAGES[@]}"
