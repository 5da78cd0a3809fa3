"""Settings for the school party-building news portal.

One module, driven by environment variables (django-environ). Development works with no
variables at all; production (``DJANGO_ENV=production``) must be configured explicitly and
refuses to start without a secret key.
"""

import secrets
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state that must never be committed: generated secret key, SQLite database, credentials.
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)


def _development_secret_key():
    """Generate a key once and keep it in var/, so sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION or not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production (DJANGO_ENV=production, or DEBUG off) "
            "the portal refuses to start without one."
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "news",
    "brands",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "django_ckeditor_5",
    "easy_thumbnails",
    "import_export",
    # Revisions of articles, schools, brands and awards; the admin's history, compare and
    # recover views (portal.admin_mixins.NoLostEditsAdminMixin).
    "reversion",
    "reversion_compare",
    "csp",
    # Rate limits on the shared cache (portal.ratelimits); its system checks vet the cache.
    "django_ratelimit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Anonymous readers' public pages, whole, headers included: a hit skips everything below
    # (and answers 304 itself).
    "portal.page_cache.PageCacheMiddleware",
    # 304 from the ETag and Last-Modified of every page built.
    "django.middleware.http.ConditionalGetMiddleware",
    # Security headers (see "Security headers and cookies" below); before WhiteNoise so that
    # static files carry them too.
    "portal.headers.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.headers.CrossOriginResourcePolicyMiddleware",
    # 400 for control characters (NUL…) in the path or query string, before anything reads them.
    "portal.input_guard.reject_control_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.audit.AuditRequestMiddleware",
    "portal.revisions.AdminRevisionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# django-reversion-compare: a foreign key counts as changed only when it points elsewhere.
REVERSION_COMPARE_FOREIGN_OBJECTS_AS_ID = True

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "news.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: a missing var/ folder must not stop a fresh clone.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # WAL lets gunicorn workers read while one of them writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, rate limits, outages -------------------------------------------------------------
# The default cache is shared by every gunicorn worker of this machine (files in var/cache), so
# the view-count throttle and the rate limits count per client, not per worker. Several machines
# share CACHE_URL=redis://… instead (django-redis). Either way a cache that fails is a miss, never
# an error page: django-redis ignores a Redis outage, portal.caches a disk error.
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

# Mail (workflow notifications): printed to the console unless EMAIL_URL names a server, e.g.
# EMAIL_URL=smtp+tls://user:password@smtp.example.edu.cn:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

SILENCED_SYSTEM_CHECKS = []
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
    CACHES["default"]["BACKEND"] = "portal.caches.FileBasedCache"
    # Django's 300 would forget view-count throttles within minutes; portal.caches lists the
    # folder to cull it now and then, and a page's entry is a few dozen KB.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10000)
    # django-ratelimit warns that Django's file cache increments without a lock; portal.caches'
    # incr is a locked rewrite, and only a counter's first requests at the same instant (add is
    # a check, then a write) may be counted as one, which a rate limit can live with.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
elif CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # An unreachable Redis must not hold every request for the operating system's long timeout.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("SOCKET_CONNECT_TIMEOUT", 1)
    CACHES["default"]["OPTIONS"].setdefault("SOCKET_TIMEOUT", 1)
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Whole public pages for anonymous readers, in the cache above (portal.page_cache). Off only to
# measure what a page costs to build (make bench's cold rows).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE", default=True)
# The longest a cached page or block lives; any change to public content ends it at once.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=600)
# What browsers and a reverse proxy (nginx micro-caching) may keep a public page for.
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=10)

# Requests per client address (portal.ratelimits.rate_limit), django-ratelimit's "count/period"
# with period s, m, h or d; beyond it the client gets 429 and the 429.html page.
RATE_LIMITS = {
    "view_beacon": env.str("RATE_LIMIT_VIEW_BEACON", default="60/m"),
    "search": env.str("RATE_LIMIT_SEARCH", default="120/m"),
}
# The address the audit log records: REMOTE_ADDR or our proxy's X-Forwarded-For entry. Behind a
# reverse proxy, turn on AUDIT_TRUST_X_FORWARDED_FOR, or every visitor shares the proxy's address
# and so one limit and one view count.
RATELIMIT_IP_META_KEY = "portal.audit.client_ip"
# A cache outage lifts the limits instead of locking every reader out.
RATELIMIT_FAIL_OPEN = True

# View counts gather in the cache and reach the database at most this often (news.view_counts).
VIEW_COUNT_FLUSH_SECONDS = env.int("VIEW_COUNT_FLUSH_SECONDS", default=60)
# Searches likewise reach the search log (搜索记录, 热门搜索) at most this often (news.search.log).
SEARCH_LOG_FLUSH_SECONDS = env.int("SEARCH_LOG_FLUSH_SECONDS", default=60)
# jieba's dictionary as one memory-mapped file shared by the workers (news/search/dictionary.py).
SEARCH_DICTIONARY_DIR = env.path("SEARCH_DICTIONARY_DIR", default=VAR_DIR / "search")

# Seconds a client is told to wait (Retry-After) when the database cannot be reached.
DATABASE_OUTAGE_RETRY_AFTER = env.int("DATABASE_OUTAGE_RETRY_AFTER", default=30)
# --- end of cache, rate limits, outages ------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "portal.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Also read by the admin's JavaScript catalogue, which only looks at its own package otherwise.
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves uploads from a host name of their own (README), e.g.
# MEDIA_URL=https://files.example.edu.cn/media/
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# gunicorn serves uploads itself unless a front server (nginx) takes over /media/.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=not PRODUCTION)

# --- Attachments and uploaded files (portal/attachments.py, portal/media.py) ---
# Largest attachment an editor may upload, in MB; the front server's upload limit
# (nginx client_max_body_size) must be at least this.
ATTACHMENT_MAX_MB = env.int("ATTACHMENT_MAX_MB", default=50)
# --- end of attachments ---

# --- 从 Word 导入 (news/word_import.py) ---
# Largest .docx, in bytes, that may be imported as a draft article.
WORD_IMPORT_MAX_BYTES = env.int("WORD_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# --- end of 从 Word 导入 ---

# --- Uploaded pictures (portal/images.py) ---
# Every picture upload is refused over these caps (bytes, and pixels read from the header before
# anything is decoded), then stored with its long edge at most IMAGE_MAX_EDGE pixels.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=20 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
IMAGE_MAX_EDGE = env.int("IMAGE_MAX_EDGE", default=2560)
# Renditions (easy-thumbnails) beside the uploads in the default storage, under their own folder;
# portal.images names and makes them, so the package's database tables stay unused.
THUMBNAIL_BASEDIR = "renditions"
THUMBNAIL_QUALITY = 85
THUMBNAIL_PROGRESSIVE = 100
# --- end of uploaded pictures ---

LOGIN_URL = "admin:login"

# --- Import/export permissions (django-import-export) ---
# Without these the library lets every staff member import and export every model. Importing
# needs the model's change permission (ImportExportModelAdmin adds: and its add permission),
# exporting its view permission; rows stay within the user's schools (brands/resources.py).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# --- end of import/export permissions ---

# --- Staff login: lockout, two-factor authentication, session lifetime, where the admin is ----
# The admin's address, e.g. "admin/" (no leading slash, a trailing one). robots.txt follows it.
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
if ADMIN_URL.startswith("/") or not ADMIN_URL.endswith("/") or ADMIN_URL == "/":
    raise ImproperlyConfigured('ADMIN_URL must look like "admin/" or "houtai/manage/".')
# Addresses allowed to reach the admin and the editor's upload (CIDR list, e.g.
# "10.20.0.0/16,192.0.2.7/32"); others get 403. Empty: every address. The address is taken as the
# audit log takes it (AUDIT_TRUST_X_FORWARDED_FOR below).
ADMIN_ALLOWED_NETWORKS = env.list("ADMIN_ALLOWED_NETWORKS", default=[])
try:
    ADMIN_ALLOWED_NETWORKS = [str(ip_network(n, strict=False)) for n in ADMIN_ALLOWED_NETWORKS]
except ValueError as error:
    raise ImproperlyConfigured(f"ADMIN_ALLOWED_NETWORKS: {error}") from error
# Every staff account must use a second factor (TOTP app, or a one-time recovery code). Off for
# the local demo; staff may still enrol there.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="党建新闻门户")
# Whoever may reset a colleague's second factor in the admin must not see its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A staff session ends after this many idle minutes, and this many hours after the login.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 3600
# Days after which staff must change their password (等保 asks for 90); 0: never.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0)
# django-axes: this many failed logins lock the pair of user name and address for the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.staff_access.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The audit log has every attempt; no banner on each manage.py command.
AXES_VERBOSE = False
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
MIDDLEWARE += [
    "portal.staff_access.AdminNetworkMiddleware",
    "portal.staff_access.StaffSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.staff_access.StaffVerificationMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# --- end of staff login ----------------------------------------------------------------------

# The audit log takes the client address from REMOTE_ADDR. Behind a reverse proxy that appends
# the address it saw to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for), turn this on so the
# log records the last entry of that header instead. Never on without such a proxy: clients can
# send the header themselves.
AUDIT_TRUST_X_FORWARDED_FOR = env.bool("AUDIT_TRUST_X_FORWARDED_FOR", default=False)

# --- Security headers and cookies (MDN HTTP Observatory A+) ---------------------------------
# The same headers everywhere; only what needs HTTPS (redirect, HSTS, secure __Host- cookies)
# waits for production, so `make run` keeps working over plain HTTP.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# The admin's messages ride in the session instead of a "messages" cookie of their own, which
# could not carry the __Host- prefix.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No other site needs our static files; WhiteNoise would otherwise allow every origin.
WHITENOISE_ALLOW_ALL_ORIGINS = False
# django-csp. Nothing of ours runs inline; the admin's looser additions are in portal/headers.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# django-permissions-policy: the site uses none of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # __Host- cookies are sent only over HTTPS, for this exact host and every path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    # HSTS covers the subdomains and may be preloaded, unless the operator says that subdomains
    # of this host are not ours to force onto HTTPS; only then are Django's two warnings about
    # it silenced.
    HSTS_EXCLUDE_SUBDOMAINS = env.bool("HSTS_EXCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = not HSTS_EXCLUDE_SUBDOMAINS
    SECURE_HSTS_PRELOAD = not HSTS_EXCLUDE_SUBDOMAINS
    if HSTS_EXCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS += ["security.W005", "security.W021"]
# --- end of security headers and cookies -----------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Publication gate (portal.gate.links): links in rich text to other domains are pointed out to
# the reviewer, except to these (each with its subdomains) and to ALLOWED_HOSTS: government and
# education sites and the central official media. Comma-separated in the environment.
GATE_LINK_DOMAINS = env.list(
    "GATE_LINK_DOMAINS",
    default=[
        "gov.cn",
        "edu.cn",
        "12371.cn",
        "people.com.cn",
        "xinhuanet.com",
        "news.cn",
        "qstheme.cn",
        "gmw.cn",
        "cctv.com",
        "chinadaily.com.cn",
        "jyb.cn",
    ],
)

# Rich text: CKEditor 5 (django-ckeditor-5; its JavaScript is GPL-2.0-or-later). It does not
# sanitise: every rich-text field goes through portal.sanitize on save. Plugins whose output the
# sanitiser would throw away (Markdown data, raw HTML embeds, media iframes, full-page HTML,
# inline styles) are removed so editors do not see tools that cannot work.
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_FILE_STORAGE = "portal.images.EditorImageStorage"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp"]
CKEDITOR_5_MAX_FILE_SIZE = IMAGE_MAX_BYTES // (1024 * 1024)  # MB
CKEDITOR_5_IMAGE_CLEANUP = False  # older revisions may still show an image
# The editing area's own look (小标题 as headings), loaded with the editor wherever it appears.
CKEDITOR_5_CUSTOM_CSS = "css/admin-editor.css"
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "zh-cn",
        "removePlugins": [
            "Markdown",
            "HtmlEmbed",
            "FullPage",
            "GeneralHtmlSupport",
            "MediaEmbed",
            "SourceEditing",
            "Style",
            "Mention",
            "Font",
            "Highlight",
            "TodoList",
            "CodeBlock",
            "Code",
            "ImageResize",
            "TableProperties",
            "TableCellProperties",
            "CKFinderUploadAdapter",
            "PageBreak",
            # It counts space-separated words, so a Chinese paragraph is one word; the article
            # form counts characters instead (static/js/admin-editor.js).
            "WordCount",
        ],
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "underline",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "alignment",
                "|",
                "imageUpload",
                "insertTable",
                "horizontalLine",
                "|",
                "removeFormat",
                "undo",
                "redo",
                "findAndReplace",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "正文", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "小标题",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "三级标题",
                    "class": "ck-heading_heading3",
                },
            ]
        },
        "alignment": {
            "options": [
                {"name": "left", "className": "text-left"},
                {"name": "center", "className": "text-center"},
                {"name": "right", "className": "text-right"},
                {"name": "justify", "className": "text-justify"},
            ]
        },
        "image": {
            # The file dialog's accepted types (CKEditor's default adds BMP and TIFF).
            "upload": {"types": ["jpeg", "png", "gif", "webp"]},
            "toolbar": [
                "imageTextAlternative",
                "toggleImageCaption",
                "|",
                "imageStyle:inline",
                "imageStyle:block",
                "imageStyle:side",
            ],
        },
        "table": {
            "contentToolbar": ["tableColumn", "tableRow", "mergeTableCells", "toggleTableCaption"]
        },
        "link": {"defaultProtocol": "https://"},
    },
}
