"""Security headers on every public page, the admin's own policy, and no cookies for visitors."""

import pytest
from django.urls import reverse

from objects.views import ZOOM_VIEWER_STYLE
from tests.factories.objects import CollectionObjectFactory, MakerFactory, ProductionFactory

pytestmark = pytest.mark.django_db


def public_urls():
    obj = CollectionObjectFactory(title="Red Shoes poster")
    return [
        "/",
        "/about/",
        reverse("objects:browse"),
        reverse("objects:browse") + "?object_type=poster",
        obj.get_absolute_url(),
        MakerFactory().get_absolute_url(),
        ProductionFactory().get_absolute_url(),
        reverse("search:search") + "?q=red+shoos",
        "/no-such-page/",
    ]


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in header.split("; ")
        if directive.strip()
    }


def test_public_pages_have_a_strict_policy_and_the_usual_headers(client):
    for url in public_urls():
        response = client.get(url)
        policy = csp(response)
        assert policy["default-src"] == ["'none'"], url
        assert policy["script-src"] == ["'self'"], url
        # Object pages also allow the zoom viewer's one style element, by its hash.
        viewer = ZOOM_VIEWER_STYLE["style-src"] if "/collection/objects/" in url else []
        assert policy["style-src"] == ["'self'", *viewer], url
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_anonymous_visitors_get_no_cookies_browsing_and_searching(client):
    for url in public_urls():
        response = client.get(url)
        assert not response.cookies, f"{url} set {list(response.cookies)}"
        assert "Cookie" not in response.get("Vary", ""), url


def test_public_templates_have_no_inline_script_or_style(client):
    for url in public_urls():
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert "<style" not in html, url
        for script in html.split("<script")[1:]:
            head = script.split(">", 1)[0]
            assert 'src="' in head or 'type="application/ld+json"' in head, (url, head)


def test_the_admin_has_its_own_policy_with_the_inline_code_it_needs(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    policy = csp(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["default-src"] == ["'none'"]


def test_production_settings_pass_the_deploy_checks(monkeypatch):
    import subprocess
    import sys

    env = {
        "DJANGO_SETTINGS_MODULE": "bac_collection.settings.production",
        "SECRET_KEY": "x" * 30 + "-production-like-secret-key-0123456789",
        "ALLOWED_HOSTS": "collection.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
