from pathlib import Path

import pytest
from django.db import connection

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


from tests.worker import celery_worker  # noqa: E402,F401  (fixture shared by integration tests)
