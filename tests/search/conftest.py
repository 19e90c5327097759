import pytest

from search.services import search_index_update

OBJECTS = "objects.CollectionObject"


@pytest.fixture
def index():
    """Index these objects now, as the sync task would after commit."""

    def index_objects(*objects):
        search_index_update(model_label=OBJECTS, pks=[obj.pk for obj in objects])

    return index_objects


@pytest.fixture
def no_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""
    return settings
