"""Settings shared by every environment.

Every value that differs between machines comes from an environment variable
(documented in `.env.example`). With none set, the site runs on its embedded
default: SQLite, Celery tasks in-process, local-memory cache, database search.
"""

from pathlib import Path

import environ
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-only-do-not-deploy")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "api",
    # Shared by every app below (docs/architecture.md).
    "foundation",
    "home",
    "images",
    "objects",
    "search",
    "stories",
    "pages",
    # After objects and stories: the order of kinds (and facets) in the search.
    "memories",
    "identifications",
    "sharing",
    "calls",
    "impact",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",  # serves its Swagger UI from our static files, never a CDN
    "corsheaders",
    "altcha_django",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # trigram lookups for search on PostgreSQL; inert on SQLite
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "pages.security.ContentSecurityPolicyMiddleware",
    "pages.security.PermissionsPolicyMiddleware",
    # Before the page cache, whose key ignores Accept: JSON-LD for an object URL is
    # chosen here, so a cached HTML page is never served to a client asking for data.
    "api.middleware.LinkedDataNegotiationMiddleware",
    # Before sessions and auth: a cached anonymous page is answered without touching them.
    "pages.cache.AnonymousPageCacheMiddleware",
    # Inside the page cache: pages are stored compressed, not compressed on every hit.
    "pages.compression.PageGZipMiddleware",
    # Just inside the page cache: the kind of page it counts is cached with the page,
    # and the page cache's hits are counted through its page_cache_hit signal.
    "impact.counting.ImpactCountingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The site and home from the cache: two queries fewer on every page Wagtail serves.
    "pages.site_root.CachedSiteRootMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "bac_collection.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "pages.context_processors.canonical_url",
            ],
        },
    },
]

WSGI_APPLICATION = "bac_collection.wsgi.application"

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    # No JIT: compiling a search's facet count over tens of thousands of
    # matches costs more (~75 ms) than running it; short queries never gain.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, falling back to local memory while Redis is down (a Redis
            # outage degrades the site, never takes it down).
            "BACKEND": "bac_collection.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bac",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------
# No broker configured means tasks run in-process, so a newcomer needs nothing
# but Python. Production sets CELERY_BROKER_URL (Redis) and runs workers.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://")
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task: an unacknowledged job is redelivered after this.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}

# --- Search -------------------------------------------------------------------
# A search engine answers the public search when its URL is set: OpenSearch 2
# (OPENSEARCH_URL) or Elasticsearch 9 (ELASTICSEARCH_URL). Otherwise, and
# whenever the engine is unreachable, the database answers (search/engines.py).
OPENSEARCH_URL = env("OPENSEARCH_URL", default="")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
if OPENSEARCH_URL and ELASTICSEARCH_URL:
    raise ImproperlyConfigured(
        "Both OPENSEARCH_URL and ELASTICSEARCH_URL are set: the site searches one engine. "
        "Unset the one you are not running."
    )
# The former ELASTICSEARCH_* names of the next three still work.
SEARCH_INDEX_PREFIX = env(
    "SEARCH_INDEX_PREFIX", default=env("ELASTICSEARCH_INDEX_PREFIX", default="bac")
)
# Seconds any engine call may take before the database answers instead.
SEARCH_TIMEOUT = env.float(
    "SEARCH_TIMEOUT", default=env.float("ELASTICSEARCH_TIMEOUT", default=2.0)
)
# Replicas per index: 0 suits a single node; a 3-node production cluster sets 1.
SEARCH_INDEX_REPLICAS = env.int(
    "SEARCH_INDEX_REPLICAS", default=env.int("ELASTICSEARCH_REPLICAS", default=0)
)
SEARCH_INDEX_SHARDS = env.int("SEARCH_INDEX_SHARDS", default=1)
# While a rebuild bulk-loads a new index it is not refreshed ("-1"): faster, and
# nobody reads it yet. Set back to "1s" before the alias swaps to it.
SEARCH_REBUILD_REFRESH_INTERVAL = env("SEARCH_REBUILD_REFRESH_INTERVAL", default="-1")

# --- Background work of Wagtail itself (django-tasks) ---------------------------
# Reference index updates (which give objects their "featured in" stories),
# search index updates and image focal points. Run in-process by default;
# production routes them to the Celery workers, after commit (settings/production.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Wagtail's admin search always uses the database backend.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Security headers (pages/security.py) --------------------------------------
# A strict policy for the public site: everything from this origin, nothing inline,
# no third parties. Image placeholders are tiny data: URIs. The Wagtail admin gets its
# own, looser policy in pages.security (it relies on inline scripts and styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# Video players staff may embed in stories, as origins ("https://player.vimeo.com").
# None by default: a story then links to its video, and no visitor's browser is sent
# to a third party. Each origin listed is allowed as a frame on the public site.
VIDEO_EMBED_ORIGINS = env.list("VIDEO_EMBED_ORIGINS", default=[])
if VIDEO_EMBED_ORIGINS:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] = VIDEO_EMBED_ORIGINS
# Browser features the public site never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "encrypted-media=(), fullscreen=(self), geolocation=(), gyroscope=(), hid=(), "
    "interest-cohort=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), "
    "usb=(), xr-spatial-tracking=(), clipboard-write=(self)"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No calls from the admin to wagtail.org (release check): no third parties, staff included.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Staff avatars are uploaded, never fetched from Gravatar (a third party told who signs in).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# A request refused by a rate limit gets the site's 429 page.
RATELIMIT_VIEW = "pages.views.too_many_requests"

# --- Page cache (pages/cache.py) -------------------------------------------------
# Whole pages for anonymous visitors, in the default cache (Redis in production).
# Any change to what pages show bumps a generation, so stale pages are never served;
# this is only how long an unchanged page is kept.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Parts of pages (foundation/fragment_cache.py: an object page's related objects, a
# story's body, home's sections) under the same generations, so a page the page cache
# renders renders only what changed. As long as pages by default: what a crawler
# walking the collection leaves in Redis stays of the same order as its pages.
# 0 renders every part, every time.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)
# foundation/compiled_queries.py: a query kept compiled under a key is built and
# compiled again on each use and compared, to catch a key that misses a value. On in
# the tests; it undoes the saving, so off elsewhere (and benchmarks time it off).
COMPILED_QUERIES_CHECK = env.bool("COMPILED_QUERIES_CHECK", default=False)

# --- Passwords, i18n ----------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Originals of archive images (with their EXIF and GPS) and memory recordings:
# outside MEDIA_ROOT, never served (bac_collection/storage.py).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
# Let Django serve image renditions itself (small deployments without a proxy for /media/).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "bac_collection.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="collection@bac.org.uk")

# --- The site's public address -------------------------------------------------
# Scheme, host and port, as visitors reach the site: every URL written without a
# request (bulk downloads, emails, share images) starts with it (foundation/
# absolute_urls.py). WAGTAILADMIN_BASE_URL, which used to play this part, is still read
# when SITE_BASE_URL is unset, and follows SITE_BASE_URL when it is unset itself.
SITE_BASE_URL = env(
    "SITE_BASE_URL", default=env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
)

# --- Wagtail ------------------------------------------------------------------
WAGTAIL_SITE_NAME = "BAC Collection"
# Links in Wagtail's own emails and admin.
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_BASE_URL)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt"]

# --- Images (images/) ---------------------------------------------------------
WAGTAILIMAGES_IMAGE_MODEL = "images.ArchiveImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "images.forms.ArchiveImageForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "tif", "tiff", "webp"]
# Scanner TIFFs are big; anything over these limits is refused before decoding.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("IMAGE_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("IMAGE_MAX_PIXELS", default=150_000_000)
# AVIF renditions are smaller but slow to encode; switch off to halve processing time.
IMAGES_AVIF_ENABLED = env.bool("IMAGES_AVIF_ENABLED", default=True)

# --- Open data (api/) ----------------------------------------------------------
# Anyone may read the API without a key; each client (by IP address) gets this
# many requests, then HTTP 429 with Retry-After. Counted in the cache (Redis).
API_ANON_RATE = env("API_ANON_RATE", default="120/m")
# Proxies in front of the site that append to X-Forwarded-For (0: use REMOTE_ADDR,
# so a client cannot dodge the limit by sending its own header). Every per-address
# limit reads it: the API's, and the memory forms' (foundation/visitors.py).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
NINJA_NUM_PROXIES = NUM_PROXIES
RATELIMIT_IP_META_KEY = "foundation.visitors.client_address"
# Rate-limit cache keys are keyed hashes (HMAC with SECRET_KEY) of what they count,
# so no cache key holds an address, nor a plain hash anyone could reverse.
RATELIMIT_HASH_ALGORITHM = "foundation.visitors.keyed_sha256"
# Cross-origin reads of the open data, never writes (the API is GET-only): the API,
# IIIF, downloads and an object's .jsonld, .json and .linked-art.json (slugs have no
# dots). An object page asked for JSON-LD by Accept opts in per request (api/apps.py).
CORS_URLS_REGEX = r"^/(api|iiif|open-data/downloads)/.*$|^/collection/objects/[^/]+\.json(ld)?$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Scripts revalidate with the ETag they were given.
CORS_ALLOW_HEADERS = [*default_headers, "if-none-match"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "Link"]
# Where the nightly bulk downloads are written (served by api.views, not as media).
OPENDATA_DUMP_DIR = env.path("OPENDATA_DUMP_DIR", default=BASE_DIR / "opendata")

# --- Memories (memories/) -----------------------------------------------------
MEMORIES_TEXT_MAX_CHARS = env.int("MEMORIES_TEXT_MAX_CHARS", default=3000)
MEMORIES_MAX_LINKS = env.int("MEMORIES_MAX_LINKS", default=2)
MEMORIES_PHOTO_MAX_BYTES = env.int("MEMORIES_PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
MEMORIES_PHOTO_MAX_PIXELS = env.int("MEMORIES_PHOTO_MAX_PIXELS", default=50_000_000)
MEMORIES_AUDIO_MAX_BYTES = env.int("MEMORIES_AUDIO_MAX_BYTES", default=12 * 1024 * 1024)
MEMORIES_AUDIO_MAX_SECONDS = env.int("MEMORIES_AUDIO_MAX_SECONDS", default=5 * 60)
# A person needs a few seconds to fill in the form; a form a day old is stale.
MEMORIES_FORM_MIN_SECONDS = env.float("MEMORIES_FORM_MIN_SECONDS", default=3)
MEMORIES_FORM_MAX_AGE_SECONDS = env.int("MEMORIES_FORM_MAX_AGE_SECONDS", default=24 * 60 * 60)
# django-ratelimit rates ("count/period"), counted in the default cache.
MEMORIES_RATE_PER_IP = env("MEMORIES_RATE_PER_IP", default="10/h")
MEMORIES_RATE_PER_EMAIL = env("MEMORIES_RATE_PER_EMAIL", default="5/h")
MEMORIES_RATE_LOOKUPS = env("MEMORIES_RATE_LOOKUPS", default="10/h")
MEMORIES_REPORTS_TO_REVIEW = env.int("MEMORIES_REPORTS_TO_REVIEW", default=3)
# Besides the active users in the Moderators group.
MEMORIES_MODERATOR_EMAILS = env.list("MEMORIES_MODERATOR_EMAILS", default=[])
# ALTCHA proof of work, verified locally; the widget is served from our static files.
ALTCHA_HMAC_SECRET = env("ALTCHA_HMAC_SECRET", default=SECRET_KEY)
ALTCHA_WIDGET_JS_SOURCE = "vendored"
if not REDIS_URL:
    # Replay protection then lives in each process's memory: fine for one laptop process.
    SILENCED_SYSTEM_CHECKS = ["altcha.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The search-engine clients log every request, and every failure with its
        # traceback: the site logs one line per outage instead (search/backends).
        "elastic_transport": {"level": "ERROR"},
        "opensearch": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
    },
}
