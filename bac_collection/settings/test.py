"""Test settings: fast and isolated, but honouring DATABASE_URL / REDIS_URL /
CELERY_BROKER_URL so CI exercises the real PostgreSQL, Redis and workers."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

# Benchmarks and the demo loaders: development and CI only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
# Every query kept compiled is compiled again and compared (foundation/compiled_queries.py).
COMPILED_QUERIES_CHECK = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=tempfile.mkdtemp(prefix="bac-test-media-"))
PRIVATE_MEDIA_ROOT = env.path(
    "PRIVATE_MEDIA_ROOT", default=tempfile.mkdtemp(prefix="bac-test-private-media-")
)

# Tests that need a real worker start one themselves (tests/celery_worker.py);
# everything else runs tasks in-process so results are visible at once.
CELERY_TASK_ALWAYS_EAGER = True

# Serve static files from the app folders without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Embeds come from a local finder that knows one test video: never the network.
WAGTAILEMBEDS_FINDERS = [{"class": "tests.embeds.LocalOEmbedFinder"}]

# Tests search the database, whatever the environment says: only the live
# search-engine tests (the `search_engine` fixture, tests/search/conftest.py)
# point themselves at the engine in OPENSEARCH_URL / ELASTICSEARCH_URL, each
# with an index prefix of its own.
OPENSEARCH_URL = ""
ELASTICSEARCH_URL = ""

# SQLite's test database is a file beside the database (db.sqlite3: test-db.sqlite3)
# rather than memory, so `--reuse-db` keeps it between local runs as it keeps
# PostgreSQL's: `make test` then starts in seconds, not after every migration.
_default = DATABASES["default"]  # noqa: F405
if _default["ENGINE"] == "django.db.backends.sqlite3" and _default["NAME"] != ":memory:":
    _database = Path(_default["NAME"])
    _default.setdefault("TEST", {})["NAME"] = str(_database.with_name(f"test-{_database.name}"))
