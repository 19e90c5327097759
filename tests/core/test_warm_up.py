"""What a web worker does before its first visitor (bac_collection/warm_up.py)."""

import gc
import logging

import pytest

from bac_collection.warm_up import project_templates, warm_up


@pytest.fixture(autouse=True)
def _unfreeze():
    yield
    gc.unfreeze()  # the test process keeps collecting what it loaded


def test_every_template_of_ours_compiles(caplog):
    with caplog.at_level(logging.ERROR, logger="bac_collection.warm_up"):
        warm_up()
    assert caplog.records == []


def test_it_compiles_our_templates_and_not_those_of_installed_packages():
    names = project_templates()
    assert "base.html" in names
    assert "objects/object_detail.html" in names
    assert not any(name.startswith("wagtailadmin/") for name in names)


def test_a_template_that_does_not_compile_is_logged_and_the_rest_still_load(
    tmp_path, settings, caplog
):
    (tmp_path / "broken.html").write_text("{% load no_such_library %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with caplog.at_level(logging.ERROR, logger="bac_collection.warm_up"):
        warm_up()
    assert [r.getMessage() for r in caplog.records] == ["Template broken.html does not compile"]


def test_what_it_loaded_is_left_out_of_the_collectors_full_passes():
    warm_up()
    assert gc.get_freeze_count() > 10_000
