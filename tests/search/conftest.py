import os
import uuid

import pytest

from search import engines
from search.services import search_index_update

OBJECTS = "objects.CollectionObject"
# The setting (and environment variable) naming each engine's URL.
ENGINE_URL_SETTING = {"opensearch": "OPENSEARCH_URL", "elasticsearch": "ELASTICSEARCH_URL"}


@pytest.fixture
def index():
    """Index these objects now, as the sync task would after commit."""

    def index_objects(*objects):
        search_index_update(model_label=OBJECTS, pks=[obj.pk for obj in objects])

    return index_objects


@pytest.fixture
def search_engine(settings):
    """The live engine named in the environment (OPENSEARCH_URL, or
    ELASTICSEARCH_URL), with an index prefix of this test's own so runs
    never clash; its indexes are deleted afterwards.

    Without one the test is skipped, except in CI (CI=true), where the live
    suite must run: there it fails.
    """
    urls = {name: os.environ.get(name, "") for name in ENGINE_URL_SETTING.values()}
    if not any(urls.values()):
        reason = "needs a live search engine: set OPENSEARCH_URL (or ELASTICSEARCH_URL)"
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(f"CI runs the live search-engine suite, but it {reason}")
        pytest.skip(reason)
    for name, url in urls.items():
        setattr(settings, name, url)
    prefix = f"bac-test-{uuid.uuid4().hex[:12]}"
    settings.SEARCH_INDEX_PREFIX = prefix
    engines._engine_for.cache_clear()
    engine = engines.get_engine()
    yield engine
    for name in engine.index_settings(f"{prefix}-*"):
        engine.delete_index(name)
    engines._engine_for.cache_clear()
