import pytest


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


ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture
def search_down(monkeypatch):
    def search_down():
        raise ConnectionError("Elasticsearch at es-internal.bac:9200 did not answer")

    monkeypatch.setattr("bac_collection.health.check_search", search_down)


def test_the_public_sees_statuses_but_not_the_database_error(client, unreachable_database):
    # A forwarded header saying "localhost" changes nothing (no proxies are configured).
    for headers in ({}, {"HTTP_X_FORWARDED_FOR": "127.0.0.1"}):
        response = client.get("/healthz", **ELSEWHERE, **headers)

        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "down"
        assert body["services"]["database"] == {"status": "down"}
        assert body["services"]["broker"] == {"status": "ok"}
        assert "5432" not in response.content.decode() and "port" not in response.content.decode()


def test_a_visitor_with_a_session_cookie_gets_statuses_while_the_database_is_down(
    client, unreachable_database
):
    # Finding out whether they are staff needs the database that is down.
    client.cookies["sessionid"] = "a" * 32

    response = client.get("/healthz", **ELSEWHERE)

    assert response.status_code == 503
    assert response.json()["services"]["database"] == {"status": "down"}


@pytest.mark.django_db
@pytest.mark.parametrize("remote_addr", ["127.0.0.1", "::1"])
def test_this_machine_sees_the_error_details(client, search_down, remote_addr):
    response = client.get("/healthz", REMOTE_ADDR=remote_addr)

    search = response.json()["services"]["search"]
    assert search["status"] == "degraded"
    assert "es-internal.bac:9200" in search["error"]
    assert "ms" in response.json()["services"]["database"]


@pytest.mark.django_db
@pytest.mark.parametrize(("is_staff", "shown"), [(True, True), (False, False)])
def test_staff_see_the_error_details_from_anywhere_other_users_do_not(
    client, django_user_model, search_down, is_staff, shown
):
    user = django_user_model.objects.create_user("someone", password="x", is_staff=is_staff)
    client.force_login(user)

    response = client.get("/healthz", **ELSEWHERE)

    assert response.json()["services"]["search"]["status"] == "degraded"
    assert ("es-internal.bac:9200" in response.content.decode()) is shown
