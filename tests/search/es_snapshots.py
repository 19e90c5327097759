"""The search-engine requests whose exact bodies are pinned by snapshots
(sent alike to OpenSearch and Elasticsearch).

Regenerate after a deliberate change with
`python -m tests.search.es_snapshots` (with DJANGO_SETTINGS_MODULE set), and
review the diff.
"""

import json
from pathlib import Path

from search.results import SearchRequest

SNAPSHOTS = Path(__file__).parent / "snapshots"

QUERY_CASES = {
    "text_query": SearchRequest(query="hockney pool"),
    "facet_filters_and_title_sort": SearchRequest(
        query="poster", filters={"type": "poster", "decade": "1990", "image": "yes"}, sort="title"
    ),
    "filters_only_deep_page": SearchRequest(filters={"maker": "hockney-david"}, page=7),
    "one_kind_only": SearchRequest(query="tower", filters={"kind": "objects"}),
    "query_syntax_is_text": SearchRequest(query='title:(poster OR "unbalanced *'),
}


def query_bodies() -> dict:
    from search.backends.engine import build_search, suggest_search

    bodies = {name: build_search(request) for name, request in QUERY_CASES.items()}
    bodies["suggest_as_you_type"] = suggest_search("hock")
    return bodies


def index_body() -> dict:
    from search.documents import index_body
    from search.registry import get_kind

    return index_body(get_kind("objects"))


def write(name: str, data: dict) -> None:
    (SNAPSHOTS / name).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    import django

    django.setup()
    write("object_index.json", index_body())
    write("query_bodies.json", query_bodies())
