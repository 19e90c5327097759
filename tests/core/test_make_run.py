"""`make run` serves on PORT (8000 by default) and names that port in absolute links."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def run_commands(tmp_path, *make_args) -> list[str]:
    """What `make run` would run, each line prefixed with the base URLs it is given:
    BIN points at a stand-in python that prints both; `-o install` skips installing."""
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "$SITE_BASE_URL $WAGTAILADMIN_BASE_URL $*"\n')
    fake.chmod(0o755)
    done = subprocess.run(
        ["make", "-s", "-o", "install", "run", f"BIN={tmp_path}", *make_args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_make_run_serves_on_the_given_port_and_links_to_it(tmp_path):
    lines = run_commands(tmp_path, "PORT=8123")

    at = "http://127.0.0.1:8123 http://127.0.0.1:8123"
    assert lines[-1] == f"{at} manage.py runserver 127.0.0.1:8123"
    assert all(line.startswith(f"{at} ") for line in lines)


def test_make_run_without_a_port_serves_on_8000(tmp_path, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)

    at = "http://127.0.0.1:8000 http://127.0.0.1:8000"
    assert run_commands(tmp_path)[-1] == f"{at} manage.py runserver 127.0.0.1:8000"
