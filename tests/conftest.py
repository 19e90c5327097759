import importlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import override_settings
from django.urls import clear_url_caches
from redis.connection import Connection

import bac_collection.urls
from bac_collection.celery import app as celery_app

# The browser fixtures (browser, page, new_page) for tests in every folder.
pytest_plugins = ["tests.browser.chromium"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


# The test database is kept between local runs (`--reuse-db` in pyproject.toml), so a
# run starts in seconds instead of migrating; CI passes `--create-db`. Transactional
# tests empty it as they end (Django restores it before the next one), so a run
# leaves it as migrations made it, and one interrupted before that is rebuilt.


def pytest_collection_modifyitems(config, items):
    """A test that commits (transactional_db, live_server) must restore the rows
    migrations made (serialized_rollback): emptied without it, the database gets its
    content types back under new ids, and the next test that restores them fails on
    a unique constraint (one such test broke every later browser and worker test)."""
    unrestored = [
        item.nodeid
        for item in items
        if {"transactional_db", "live_server"} & set(item.fixturenames)
        and "django_db_serialized_rollback" not in item.fixturenames
        and not any(
            mark.kwargs.get("serialized_rollback") for mark in item.iter_markers("django_db")
        )
    ]
    if unrestored:
        raise pytest.UsageError(
            "Mark these django_db(transaction=True, serialized_rollback=True):\n  "
            + "\n  ".join(unrestored)
        )


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_keepdb, django_db_blocker):
    if request.config.getvalue("create_db"):
        return True
    with django_db_blocker.unblock():
        return django_db_keepdb and not _kept_test_database_is_whole()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb, django_db_blocker):
    yield
    if django_db_keepdb:
        with django_db_blocker.unblock():
            _restore_migrated_rows()


def _kept_test_database_is_whole() -> bool:
    """Whether the kept test database still has the rows migrations make (the
    Wagtail site among them). A missing one counts as whole: it is created either
    way."""
    default = connections[DEFAULT_DB_ALIAS]
    # Django names the test database this way (creation.py); no public API says it.
    test_name = default.creation._get_test_db_name()
    if default.vendor == "sqlite":
        if not Path(test_name).is_file():
            return True
        params = {"database": test_name}
    else:
        params = {**default.get_connection_params(), "dbname": test_name}
    try:
        probe = default.Database.connect(**params)
    except default.Database.OperationalError:
        return True
    try:
        cursor = probe.cursor()
        cursor.execute("SELECT COUNT(*) FROM wagtailcore_site")
        return cursor.fetchone()[0] > 0
    except default.Database.Error:
        return False
    finally:
        probe.close()


def _restore_migrated_rows():
    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is None:
            continue
        # Sequences stay where they are: reset, the next run's first insert of a page
        # or a consent wording reuses an id the restored rows hold (IntegrityError).
        call_command(
            "flush",
            database=alias,
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,
        )
        with transaction.atomic(using=alias):
            connections[alias].creation.deserialize_db_from_string(contents)


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

    from foundation.compiled_queries import forget_compiled_queries
    from foundation.generational_cache import forget_generational_values
    from foundation.page_cache import page_cache_request_finished
    from foundation.routing import forget_page_types

    cache.clear()
    # Outside any request, as a new process starts: a WSGI call whose response was
    # never closed (schemathesis reading the API schema while tests are collected)
    # leaves its request's generations kept, and a test run first would read them.
    page_cache_request_finished()
    # What the process keeps beside the cache (routing's guess of a page's type, values
    # read under a generation, queries compiled once): each test starts cold, so its
    # query counts do not depend on the tests run before it, nor its queries on the
    # settings another test changed.
    forget_page_types()
    forget_generational_values()
    forget_compiled_queries()
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


@pytest.fixture
def redis_commands(monkeypatch):
    """The commands sent to Redis (the real one), as they go out."""
    if not django_settings.REDIS_URL:
        pytest.skip(
            "needs Redis (REDIS_URL, e.g. redis://127.0.0.1:6379/0): it counts the commands "
            "sent to Redis; without it the cache is local memory"
        )
    sent = []
    send = Connection.send_packed_command

    def counting(connection, command, check_health=True):
        sent.append(command)
        return send(connection, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    return sent
