"""An Elasticsearch whose client is a mock: the requests the site sends,
checked without a cluster (tests/search/test_elasticsearch.py and the kinds'
own search tests)."""

from contextlib import contextmanager
from unittest import mock

from search import engines

FAKE_URL = "http://elasticsearch.test:9200"


@contextmanager
def fake_elasticsearch(settings):
    """Yields (client, bulk): the mock client, whose `search` answers what
    the test sets, and the mock bulk helper, answering "all indexed"."""
    settings.ELASTICSEARCH_URL = FAKE_URL
    client = mock.MagicMock(name="Elasticsearch")
    client.indices.exists_alias.return_value = True
    bulk = mock.Mock(name="bulk", return_value=(0, []))
    engines._engine_for.cache_clear()  # no engine made before the patch
    with (
        mock.patch.object(engines.Elasticsearch, "connect", return_value=client),
        mock.patch.object(engines.Elasticsearch, "helpers", mock.Mock(bulk=bulk)),
    ):
        yield client, bulk
    engines._engine_for.cache_clear()  # nor after it


def bulk_actions(bulk) -> list[dict]:
    """Every action sent through the bulk helper."""
    return [action for call in bulk.call_args_list for action in call.args[1]]
