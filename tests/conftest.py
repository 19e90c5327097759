import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import clear_url_caches

import bac_collection.urls
from bac_collection.celery import app as celery_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes uploads and renditions to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """And originals and recordings (private storage) to another."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def page_cache_epoch_read(monkeypatch):
    """Each process reads the page cache's epoch from the database once every 30 s
    (pages/cache.py); tests start as if it had just been read, so that one query,
    not a page's, never lands in a page's query count. Outage tests read it again."""
    import pages.cache

    monkeypatch.setattr(pages.cache, "_epoch_reading", {"value": 0, "read_at": float("inf")})


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Outages, shared by the health, memories and page cache tests.


@pytest.fixture
def unreachable_database(transactional_db, django_db_serialized_rollback):
    """Point the default connection at a port where no database listens."""
    if connection.vendor == "sqlite":
        pytest.skip("needs a server database: SQLite's in-memory test database dies when closed")
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "1"
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(original)


@pytest.fixture
def unreachable_broker(monkeypatch):
    nowhere = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    # Celery reads CELERY_BROKER_URL from the environment before its own config.
    monkeypatch.setenv("CELERY_BROKER_URL", nowhere)
    original = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = nowhere
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = original


# /media/ as production (SERVE_MEDIA) and development route it.

MEDIA_MODES = {
    "production": {"DEBUG": False, "SERVE_MEDIA": True},
    "development": {"DEBUG": True, "SERVE_MEDIA": False},
}


def reload_urls():
    clear_url_caches()
    importlib.reload(bac_collection.urls)


@pytest.fixture(params=list(MEDIA_MODES))
def media_mode(request):
    """/media/ routed as in production with SERVE_MEDIA, then as in development."""
    with override_settings(**MEDIA_MODES[request.param]):
        reload_urls()
        yield request.param
    reload_urls()


@pytest.fixture
def serve_media_in_production():
    """/media/ routed as in production with SERVE_MEDIA."""
    with override_settings(**MEDIA_MODES["production"]):
        reload_urls()
        yield
    reload_urls()


from tests.worker import celery_worker  # noqa: E402,F401  (fixture shared by integration tests)
