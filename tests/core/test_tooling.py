"""Contributor tooling says what CI does: the git hooks run the linters CI runs, at
the versions CI installs."""

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest
import yaml
from wagtail.models import Site

from tests.conftest import PROJECT_ROOT


def pinned(requirement_lines: str, package: str) -> str:
    match = re.search(rf"^{package}==([\w.]+)", requirement_lines, re.MULTILINE)
    assert match, f"{package} is not pinned"
    return match.group(1)


def test_git_hooks_run_ruff_at_the_version_ci_installs():
    ci_version = pinned((PROJECT_ROOT / "requirements-dev.txt").read_text(), "ruff")
    config = yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    ruff_hooks = [hook for hook in hooks if hook.get("entry", "").startswith("ruff ")]
    assert {hook["id"] for hook in ruff_hooks} == {"ruff-format", "ruff-check"}
    for hook in ruff_hooks:
        assert hook["additional_dependencies"] == [f"ruff=={ci_version}"], hook["id"]


def test_make_lint_runs_the_git_hooks():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    lint_recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "pre-commit run --all-files" in lint_recipe


def test_a_second_local_run_reuses_the_sqlite_test_database(tmp_path):
    """`make test` on the embedded default (SQLite) keeps its test database, so a
    second run starts without migrating."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "PYTEST_ADDOPTS"}
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    one_database_test = "tests/core/test_tooling.py::test_the_test_database_is_reachable"

    def run():
        finished = subprocess.run(
            [sys.executable, "-m", "pytest", one_database_test, "-q", "-p", "no:randomly"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert finished.returncode == 0, finished.stdout + finished.stderr

    run()
    kept = tmp_path / "test-db.sqlite3"
    assert kept.is_file(), "the SQLite test database was not kept"
    # A mark the migrations never make: it survives only if the next run keeps the file.
    with closing(sqlite3.connect(kept)) as database, database:
        database.execute("CREATE TABLE left_by_the_first_run (id integer)")
    run()
    with closing(sqlite3.connect(kept)) as database:
        tables = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert "left_by_the_first_run" in {name for (name,) in tables}


@pytest.mark.django_db
def test_the_test_database_is_reachable():
    assert Site.objects.filter(is_default_site=True).exists()
