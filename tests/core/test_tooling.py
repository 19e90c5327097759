"""Contributor tooling says what CI does: the git hooks run the linters CI runs, at
the versions CI installs."""

import re

import yaml

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
