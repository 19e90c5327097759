import pytest
from django.test import override_settings

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(params=["settings", "local memory"])
def any_page_store(request):
    """The cache the settings give (Redis in CI), then local memory (the embedded
    default): the page store's two implementations (foundation/page_store.py)."""
    if request.param == "settings":
        yield request.param
        return
    with override_settings(CACHES=LOCAL_MEMORY):
        yield request.param
