import pytest
from django.db import connection

from bac_collection.celery import app as celery_app


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


@pytest.mark.django_db
def test_healthz_reports_every_service_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["services"]) == {"database", "cache", "broker", "search"}
    assert all(service["status"] == "ok" for service in body["services"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["services"]["database"]["status"] == "down"
    assert body["services"]["database"]["error"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client, unreachable_broker):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["services"]["broker"]["status"] == "down"
    assert body["services"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_search_down_as_degraded_not_503(client, monkeypatch):
    def search_down():
        raise ConnectionError("Elasticsearch did not answer")

    monkeypatch.setattr("bac_collection.health.check_search", search_down)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["services"]["search"]["status"] == "degraded"


@pytest.mark.django_db
def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405
