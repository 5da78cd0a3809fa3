"""Caching of what the public sees: whole anonymous pages and the blocks they are made of.

One **generation** stands for "everything the public sees, as it is now". Every cached page and
block is stored under the current generation's token; anything that changes a public page
replaces the token (``bump``), and from that moment no request finds the old entries, on any
worker or app server that shares the cache. The old entries are never looked up again and age
out (their timeout, or the file cache's culling).

Why a token and not a counter: the token is a random value, so a generation entry that the
cache loses (evicted, culled, Redis restarted) is replaced by a new random one and can never
bring back pages of an older generation, as a counter starting again at 1 could.

What is public also changes with time alone: a scheduled article's publish time arrives,
campaign results and honours are shown from a date on. So a generation also ends by itself at
the next scheduled publication or the next local midnight, whichever comes first, and nothing
is stored for longer than its generation lives. No cron job is involved.

Staff never see cached pages: a request that carries a session or messages cookie is served
fresh and fills nothing (``PageCacheMiddleware``).
"""

import contextvars
import functools
import hashlib
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from .input_guard import has_control_characters

GENERATION_KEY = "portal:generation"
# Set again by the server for every response.
_HEADERS_NOT_KEPT = {"set-cookie", "date"}


class Generation:
    """The current generation: its token and the moment it ends by itself."""

    __slots__ = ("ends_at", "token")

    def __init__(self, token, ends_at):
        self.token = token
        self.ends_at = ends_at

    def seconds_left(self, now=None):
        now = now or timezone.now()
        return max(0, int((self.ends_at - now).total_seconds()))

    def is_over(self, now=None):
        return (now or timezone.now()) >= self.ends_at


def _natural_end(now):
    """When what the public sees next changes without anyone saving anything."""
    from news.models import Article

    tomorrow = timezone.localdate(now) + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, time.min))
    scheduled = Article.objects.next_scheduled_publication(after=now)
    return min(midnight, scheduled) if scheduled else midnight


def _new_generation(now=None):
    now = now or timezone.now()
    return Generation(uuid.uuid4().hex, _natural_end(now))


class _Memo:
    __slots__ = ("blocks", "generation")

    def __init__(self):
        self.generation = None
        self.blocks = {}


# The generation one request has read: its pages and blocks are all of the same generation, and
# the shared cache is asked once per request instead of once per block. The blocks it has read,
# by key: a block that several parts of a page ask for (the channel tree) is read and unpickled
# once.
_request_memo = contextvars.ContextVar("page_cache_request_memo", default=None)


def current_generation():
    """The generation a request reads and fills; a new one when the last has ended or is lost."""
    memo = _request_memo.get()
    if memo is None:
        return _stored_generation()
    if memo.generation is None or memo.generation.is_over():
        memo.generation = _stored_generation()
    return memo.generation


def _stored_generation():
    now = timezone.now()
    # The file cache reads the generation with one stat() while it is unchanged.
    stored = getattr(cache, "get_stable", cache.get)(GENERATION_KEY)
    if stored is not None:
        generation = Generation(*stored)
        if not generation.is_over(now):
            return generation
        fresh = _new_generation(now)
        cache.set(GENERATION_KEY, (fresh.token, fresh.ends_at), None)
        return fresh
    fresh = _new_generation(now)
    if cache.add(GENERATION_KEY, (fresh.token, fresh.ends_at), None):
        return fresh
    # Another worker made one at the same instant: everyone uses the same.
    stored = cache.get(GENERATION_KEY)
    return Generation(*stored) if stored is not None else fresh


def bump():
    """Something the public sees has changed: from now on every page is built anew.

    Inside a transaction the token is replaced at once and again after the commit: a request
    that read the new token while the change was not yet visible to it may have stored an
    outdated page under it, and the second replacement leaves that page where nobody looks.
    """
    _replace_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_replace_generation)


def _replace_generation():
    fresh = _new_generation()
    cache.set(GENERATION_KEY, (fresh.token, fresh.ends_at), None)
    memo = _request_memo.get()
    if memo is not None:  # the rest of this request sees the change
        memo.generation = fresh


def watch(*models):
    """Bump on every save and deletion of ``models`` (and changes of their many-to-many links):
    the models whose rows appear on public pages. A model may refine that with a method
    ``changes_public_pages()`` (an article that was never published shows nowhere)."""
    for model in models:
        uid = f"portal.page_cache.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"{uid}.{field.name}")


def _changed(sender, instance, **kwargs):
    check = getattr(instance, "changes_public_pages", None)
    if check is None or check():
        bump()


def _links_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _changed(sender, instance)


def _timeout(generation, wanted):
    return max(1, min(wanted, generation.seconds_left()))


def cached(name, compute, *parts):
    """A block of a public page (a sidebar, the home page's blocks, a count): ``compute()``'s
    value, kept until anything public changes. ``parts`` tell variants apart (a channel's pk).

    Values must pickle: lists of model instances or of plain values, never querysets. The same
    value is returned to every part of a request that asks: do not change it.
    """
    generation = current_generation()
    key = _key("block", generation.token, name, *parts)
    memo = _request_memo.get()
    if memo is not None and key in memo.blocks:
        return memo.blocks[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, _timeout(generation, settings.PAGE_CACHE_TIMEOUT))
    if memo is not None:
        memo.blocks[key] = value
    return value


def cached_each(name, things, parts_of, compute):
    """``compute(thing)`` for each of ``things``, each value kept as ``cached`` keeps one, under
    ``name`` and ``parts_of(thing)``; one cache round trip for all that are kept."""
    generation = current_generation()
    keys = [_key("block", generation.token, name, *parts_of(thing)) for thing in things]
    found = cache.get_many(keys)
    missing = {}
    for key, thing in zip(keys, things, strict=True):
        if key not in found:
            found[key] = missing[key] = compute(thing)
    if missing:
        cache.set_many(missing, _timeout(generation, settings.PAGE_CACHE_TIMEOUT))
    return [found[key] for key in keys]


def _key(kind, token, *parts):
    digest = hashlib.md5(
        "\x1f".join(str(part) for part in parts).encode(), usedforsecurity=False
    ).hexdigest()
    return f"portal:{kind}:{token}:{digest}"


# --- whole pages ------------------------------------------------------------------------------


def public_page(view=None, *, query=(), on_response=None):
    """Declare ``view`` a public page whose anonymous responses may be cached whole.

    ``query``: the request parameters the page reads (``page``, ``year``, a filter form's
    fields); the others do not make a different page, so a shared link with tracking parameters
    is still served from the cache. ``on_response(request, response)``: called for every
    answer of the page, from the cache or not (a page that counts its requests).
    """

    def declare(view):
        view.public_page_query = tuple(sorted(query))
        view.public_page_on_response = on_response
        return view

    return declare(view) if view is not None else declare


class PageCacheMiddleware:
    """Serves anonymous GET and HEAD requests of ``public_page`` views from the shared cache and
    fills it from GET requests. ETag and Last-Modified come with every cached page, and a hit
    answers 304 from them itself; ``ConditionalGetMiddleware``, placed after this one, does the
    same for the pages that are built.

    It comes right after the security middleware, so a hit skips every other middleware: the
    security headers that the middleware below adds (CSP, Permissions-Policy, CORP) are kept
    with the page, and since sessions, CSRF and authentication are skipped too, an anonymous
    reader is told by the cookies alone: a request with a session cookie (staff) or a messages
    cookie is never answered from the cache and never fills it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        memo = _request_memo.set(_Memo())
        try:
            return self._respond(request)
        finally:
            _request_memo.reset(memo)

    def _respond(self, request):
        page = _public_page(request)
        if page is None:
            return self.get_response(request)
        query = _page_query(request, page)
        response = self.get_response(request) if query is None else self._answer(request, query)
        if page.public_page_on_response is not None:
            page.public_page_on_response(request, response)
        return response

    def _answer(self, request, query):
        if _has_own_state(request):
            response = self.get_response(request)
            # What a signed-in reader got is not for a browser or proxy to keep for others.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        # The page sees only its own parameters, so that it cannot differ by the others.
        request.GET = _only(query)
        generation = current_generation()
        key = _page_key(request, query, generation)
        stored = cache.get(key)
        if stored is not None:
            return _conditional(request, stored)
        response = self.get_response(request)
        if request.method == "GET" and _may_store(request, response):
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
            if not response.has_header("ETag"):
                set_response_etag(response)
            response["Last-Modified"] = http_date()
            cache.set(key, _freeze(response), _timeout(generation, settings.PAGE_CACHE_TIMEOUT))
        return response


_CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _conditional(request, stored):
    """The stored page, or what ``ConditionalGetMiddleware`` (below this middleware, for pages
    that are built) would answer for it: 304 to a client that has it. Most requests ask nothing,
    and skipping its work was a fifth of a hit's time."""
    if request.method != "GET" or not any(name in request.META for name in _CONDITIONAL_HEADERS):
        return stored
    return get_conditional_response(
        request,
        etag=stored.get("ETag"),
        last_modified=parse_http_date_safe(stored.get("Last-Modified", "")),
        response=stored,
    )


def _public_page(request):
    """The ``public_page`` view a GET or HEAD request asks for, or None."""
    if request.method not in ("GET", "HEAD"):
        return None
    return _public_view(request.path_info, get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _public_view(path, urlconf):
    # Resolving the address took a tenth of a cached page's time; the answer is the same for
    # every request of the address (the most read ones stay, an unbounded number of others
    # cannot fill the memory).
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return match.func if hasattr(match.func, "public_page_query") else None


def _page_query(request, page):
    """The parameters of ``page`` this request gives, or None when it is not to be cached."""
    if not settings.PAGE_CACHE_ENABLED:
        return None
    if has_control_characters(request):
        return None  # for input_guard's 400, which needs every parameter to look at
    allowed = page.public_page_query
    return [(name, request.GET.getlist(name)) for name in allowed if name in request.GET]


def _only(query):
    params = QueryDict(mutable=True)
    for name, values in query:
        params.setlist(name, values)
    params._mutable = False
    return params


def _has_own_state(request):
    cookies = request.COOKIES
    return bool(cookies.get(settings.SESSION_COOKIE_NAME) or cookies.get(CookieStorage.cookie_name))


def _page_key(request, query, generation):
    # The host and scheme are part of the page (absolute links, the canonical address).
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: CommonMiddleware answers 400 for it, uncached
        host = ""
    # "response": what is stored is a response (earlier versions stored a tuple as "page").
    return _key("response", generation.token, request.scheme, host, request.path, query)


def _may_store(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # A page showing a CSRF token belongs to one visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _freeze(response):
    """A copy of ``response`` to keep: its content and the headers that are the page's. The
    copy is stored as a response, so a hit unpickles it without checking every header again
    (as Django's own cache middleware stores responses)."""
    kept = HttpResponse(response.content, status=response.status_code)
    for name, value in response.items():
        if name.lower() not in _HEADERS_NOT_KEPT:
            kept[name] = value
    # CommonMiddleware, below, sets it on built pages; without it gunicorn sends a hit in chunks.
    kept["Content-Length"] = str(len(kept.content))
    return kept
