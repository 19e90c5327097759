import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "bac_collection.settings.production",
    "SECRET_KEY": "x7#Lq!v9RzP2m@Wc4tNf8YbKd$Gh6Js0Ue3Ao5Ir1Xw^Tl*Zp&Vn(Mq)By+Cs=Dk",
    "ALLOWED_HOSTS": "collection.bac.org.uk",
    "DATABASE_URL": "sqlite:////tmp/bac-deploy-check.sqlite3",
}


def manage(*args, **env):
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_documented_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_the_insecure_default_secret_key():
    env = {**PRODUCTION_ENV}
    env.pop("SECRET_KEY")

    result = manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = manage("check", **PRODUCTION_ENV, DEBUG="true")

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_collectstatic_builds_the_production_static_files(tmp_path):
    # Production stores hashed, compressed files, which fails on any reference to a
    # file that is not there (a vendored library's source map did exactly that).
    result = manage("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path), **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/openseadragon/openseadragon.min.js" in manifest
    assert list(tmp_path.glob("vendor/openseadragon/openseadragon.min.*.js.gz"))


def base_urls(monkeypatch, **env) -> list[str]:
    for name in ("SITE_BASE_URL", "WAGTAILADMIN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    code = "from django.conf import settings as s; print(s.SITE_BASE_URL, s.WAGTAILADMIN_BASE_URL)"
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION_ENV, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_site_base_url_is_the_one_setting_and_wagtailadmin_base_url_still_works(monkeypatch):
    assert base_urls(monkeypatch, SITE_BASE_URL="https://a.example") == ["https://a.example"] * 2
    assert (
        base_urls(monkeypatch, WAGTAILADMIN_BASE_URL="https://b.example")
        == ["https://b.example"] * 2
    )
