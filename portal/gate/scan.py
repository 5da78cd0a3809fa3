"""The content scan: every public object through the gate, and its public page as rendered.

The gate stops problems at the moment content is published; the scan finds what is public
already: content from before a check existed, an account that was misused, a template or a
setting that broke links. ``python manage.py scan_content`` runs it (daily, from a timer).

What a rendered page is checked for: hidden links (the sanitiser's rules, on the whole page),
links and images on this site that lead nowhere or to something not public, images without
a text alternative.
"""

from dataclasses import dataclass, field
from posixpath import normpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from portal import html_tree
from portal.hidden_content import hidden_links
from portal.sanitize import site_hosts

from . import inspect
from .findings import Finding, Level
from .links import context_around

PAGE_FIELD = "页面"


@dataclass
class ScannedObject:
    kind: str
    title: str
    url: str
    admin_url: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ScanReport:
    objects: int = 0
    pages: int = 0
    # Only the objects with findings.
    flagged: list[ScannedObject] = field(default_factory=list)

    def count(self, level):
        return sum(f.level == level for obj in self.flagged for f in obj.findings)

    @property
    def blocked(self):
        return self.count(Level.BLOCK) > 0


def public_querysets():
    """What the public may see, each model by the queryset its public pages use."""
    from brands.models import Award, Brand, Campaign, School
    from news.models import Article

    return [
        Article.objects.published().prefetch_related("attachments").order_by("pk"),
        School.objects.order_by("pk"),
        Brand.objects.prefetch_related("images").order_by("pk"),
        Campaign.objects.order_by("pk"),
        Award.objects.public().order_by("pk"),
    ]


def scan(pages=True, progress=None):
    """Scan every public object (and its page unless ``pages`` is false); ``progress(total)``
    returns a function called with each object done."""
    querysets = public_querysets()
    advance = progress(sum(queryset.count() for queryset in querysets)) if progress else None
    report = ScanReport()
    renderer = PageChecker() if pages else None
    # The page cache is bypassed so that what is checked is what the templates render now.
    with override_settings(PAGE_CACHE_ENABLED=False):
        for queryset in querysets:
            for obj in queryset.iterator(chunk_size=500):
                scanned = _scan_object(obj, renderer)
                report.objects += 1
                report.pages += bool(renderer and scanned.url)
                if scanned.findings:
                    report.flagged.append(scanned)
                if advance:
                    advance(obj)
    return report


def _scan_object(obj, renderer):
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    opts = obj._meta
    try:
        admin_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        admin_url = ""
    scanned = ScannedObject(str(opts.verbose_name), str(obj), url, admin_url)
    scanned.findings = inspect(obj.gate_content())
    if renderer and url:
        scanned.findings += renderer.check(url)
    return scanned


class PageChecker:
    """Renders public pages as an anonymous reader gets them and checks their HTML."""

    def __init__(self):
        from brands.models import Brand, Campaign, School
        from news.models import Article

        hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
        self.client = Client(HTTP_HOST=hosts[0] if hosts else "localhost")
        self.secure = getattr(settings, "SECURE_SSL_REDIRECT", False)
        self.hosts = site_hosts()
        # What a link to a detail page may name: its public objects.
        self.public = {
            "news:article": set(Article.objects.published().values_list("pk", flat=True)),
            "brands:school_detail": set(School.objects.values_list("slug", flat=True)),
            "brands:brand_detail": set(Brand.objects.public().values_list("slug", flat=True)),
            "brands:campaign_detail": set(Campaign.objects.values_list("slug", flat=True)),
        }
        self._dead = {}

    def check(self, url):
        response = self.client.get(url, secure=self.secure)
        if response.status_code != 200:
            return [
                Finding(
                    Level.NOTE,
                    "page_status",
                    PAGE_FIELD,
                    url,
                    "",
                    f"公开页面打不开（状态码 {response.status_code}），请检查。",
                )
            ]
        page = response.content.decode(response.charset or "utf-8", errors="replace")
        tree = html_tree.parse(page)
        findings = [
            Finding(
                Level.BLOCK,
                "hidden_link",
                PAGE_FIELD,
                address,
                context_around(page, address),
                f"隐藏链接（暗链）：页面上有读者看不到的链接指向 {address}，请立即检查。",
            )
            for address, _ in hidden_links(tree)
        ]
        findings += self._dead_links(tree, page)
        findings += self._images_without_alt(tree)
        return findings

    def _dead_links(self, tree, page):
        findings = []
        reported = set()
        for element in tree.elements("a", "img"):
            address = element.get("href" if element.tag == "a" else "src", "")
            if address in reported or not self.is_dead(address):
                continue
            reported.add(address)
            findings.append(
                Finding(
                    Level.NOTE,
                    "dead_link",
                    PAGE_FIELD,
                    address,
                    context_around(page, address),
                    f"失效的站内链接：{address} 打不开，或指向的内容没有公开。",
                )
            )
        return findings

    def _images_without_alt(self, tree):
        # An empty alt marks a decorative image of the templates; uploaded pictures need words.
        missing = [
            img
            for img in tree.elements("img")
            if "alt" not in img.attrs
            or (not img.get("alt").strip() and self._is_upload(img.get("src", "")))
        ]
        return [
            Finding(
                Level.NOTE,
                "image_alt",
                PAGE_FIELD,
                img.get("src", ""),
                html_tree.serialize(img),
                "图片没有替代文字（alt）：看不到图片的读者不知道它是什么，请补上图片说明。",
            )
            for img in missing
        ]

    def _is_upload(self, address):
        path = self._site_path(address)
        return path is not None and path.startswith(urlsplit(settings.MEDIA_URL).path)

    def is_dead(self, address):
        """Whether ``address`` is on this site and leads nowhere or to what is not public."""
        path = self._site_path(address)
        if path is None:
            return False
        if path not in self._dead:
            self._dead[path] = self._path_is_dead(path)
        return self._dead[path]

    def _site_path(self, address):
        address = address.strip()
        if not address or address.startswith(("#", "//")):
            return None
        parts = urlsplit(address)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https") or parts.hostname not in self.hosts:
                return None
        elif not address.startswith("/"):
            return None
        return unquote(parts.path) or "/"

    def _path_is_dead(self, path):
        media = urlsplit(settings.MEDIA_URL).path
        if path.startswith(media):
            name = normpath(path[len(media) :])
            return name.startswith("..") or not default_storage.exists(name)
        if path.startswith(settings.STATIC_URL):
            return False
        try:
            match = resolve(path)
        except Resolver404:
            return True
        public = self.public.get(match.view_name)
        if public is None:
            return False
        key = match.kwargs.get("pk", match.kwargs.get("slug"))
        return key not in public
