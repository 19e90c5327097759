"""A second kind joins the search by declaring itself, nothing more.

The test-only `ShowKind` makes productions searchable the way stories and
memories will declare themselves (docs/search.md): both backends, the page,
the sync, the rebuild and the drift check must pick it up.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.text import slugify
from elasticsearch import dsl

from foundation.text import plain_text
from objects.models import Production
from search import backends
from search.documents import SearchDocument, index_body
from search.models import SearchEntry
from search.registry import (
    Facet,
    IndexedRecord,
    SearchKind,
    all_facets,
    all_kinds,
    get_kind,
    register,
    unregister,
)
from search.results import SearchRequest
from search.services import search_index_update
from search.signal_handlers import connect_kind, disconnect_kind
from tests.factories.objects import (
    CollectionObjectFactory,
    ObjectImageFactory,
    ProductionFactory,
)

from .fakes import bulk_actions, fake_elasticsearch

pytestmark = pytest.mark.django_db
SHOWS = "objects.Production"


class ShowDocument(SearchDocument):
    """A kind may add fields of its own to the common ones."""

    company = dsl.Keyword()


class ShowKind(SearchKind):
    name = "shows"
    label = "Shows"
    hit_label = "Show"
    model = Production
    document = ShowDocument
    # "production" is also an objects facet: a shared facet counts both kinds.
    facets = [Facet("production", "Production"), Facet("company", "Company")]
    updated_field = None  # productions have no modification time

    def public_queryset(self):
        return Production.objects.order_by("pk")

    def to_record(self, show):
        return IndexedRecord(
            pk=show.pk,
            title=show.title,
            url=show.get_absolute_url(),
            summary=" · ".join(part for part in (show.company, show.date_display) if part),
            names=[show.company] if show.company else [],
            description=plain_text(show.description),
            facets={
                "production": [(show.slug, show.title)],
                "company": [(slugify(show.company), show.company)],
            },
            date_earliest=show.start_date.year if show.start_date else None,
        )


@pytest.fixture
def shows():
    register(ShowKind)
    kind = get_kind("shows")
    connect_kind(kind)
    yield kind
    disconnect_kind(kind)
    unregister("shows")


def index_everything():
    call_command("search_index", "rebuild", stdout=StringIO())


@pytest.fixture
def hamlet(shows):
    show = ProductionFactory(title="Hamlet", company="Forced Entertainment")
    poster = CollectionObjectFactory(title="Hamlet poster", production=show)
    ObjectImageFactory(object=poster)
    CollectionObjectFactory(title="Macbeth poster")
    index_everything()
    return show, poster


def test_one_search_finds_every_kind_with_a_result_type_facet(hamlet):
    show, poster = hamlet

    results = backends.search(SearchRequest(query="hamlet"))

    found = {(hit.kind, hit.id) for hit in results.hits}
    assert found == {("shows", show.pk), ("objects", poster.pk)}
    kinds = {value.label: value.count for value in results.facets["kind"]}
    assert kinds == {"Objects": 1, "Shows": 1}
    # A facet both kinds declare counts both.
    assert [(v.label, v.count) for v in results.facets["production"]] == [("Hamlet", 2)]
    assert [v.label for v in results.facets["company"]] == ["Forced Entertainment"]


def test_the_result_type_filter_narrows_to_one_kind(hamlet):
    show, _poster = hamlet

    results = backends.search(SearchRequest(query="hamlet", filters={"kind": "shows"}))

    assert [(hit.kind, hit.id, hit.kind_label) for hit in results.hits] == [
        ("shows", show.pk, "Show")
    ]
    assert backends.search(SearchRequest(filters={"company": "forced-entertainment"})).total == 1


def test_suggestions_cover_every_kind(hamlet):
    assert {s.label for s in backends.suggest("haml")} == {"Hamlet", "Hamlet poster"}


def test_the_page_shows_mixed_results_each_in_its_kind_template(client, hamlet):
    show, poster = hamlet

    content = client.get(reverse("search:search"), {"q": "hamlet"}).content.decode()

    assert f'href="{show.get_absolute_url()}"' in content
    assert f'href="{poster.get_absolute_url()}"' in content
    assert '<p class="search-hit__kind">Show</p>' in content  # the generic template
    assert "search-hit__image" in content  # the object's own template
    assert "Result type" in content
    assert 'href="?q=hamlet&amp;kind=shows"' in content


def test_the_page_accepts_a_new_kinds_facets(client, hamlet):
    content = client.get(
        reverse("search:search"), {"q": "hamlet", "company": "forced-entertainment"}
    ).content.decode()

    assert "1 result" in content
    assert "Company: Forced Entertainment" in content


def test_mixed_pages_cost_the_same_queries_whatever_their_size(
    client, shows, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            show = ProductionFactory(title=f"Counted show {Production.objects.count()}")
            ObjectImageFactory(object=CollectionObjectFactory(title="Counted", production=show))
        index_everything()

    add(1)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("search:search"), {"q": "counted"})
    add(12)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("search:search"), {"q": "counted"})


def test_saving_and_deleting_a_record_of_a_new_kind_updates_the_index(
    shows, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        show = ProductionFactory(title="Lear")
    assert SearchEntry.objects.get(kind="shows", record_id=show.pk).title == "Lear"

    with django_capture_on_commit_callbacks(execute=True):
        show.title = "King Lear"
        show.save()
    assert SearchEntry.objects.get(kind="shows", record_id=show.pk).title == "King Lear"

    pk = show.pk
    with django_capture_on_commit_callbacks(execute=True):
        show.delete()
    assert not SearchEntry.objects.filter(kind="shows", record_id=pk).exists()


def test_a_change_reindexes_every_kind_that_depends_on_it(shows):
    show = ProductionFactory(title="Old title")
    poster = CollectionObjectFactory(title="Poster", production=show)
    index_everything()
    Production.objects.filter(pk=show.pk).update(title="New title")  # no signals

    touched = search_index_update(model_label=SHOWS, pks=[show.pk])

    assert touched == 2  # the show itself and the object that names it
    assert SearchEntry.objects.get(kind="shows").title == "New title"
    assert SearchEntry.objects.get(kind="objects", record_id=poster.pk).names == "New title"


def test_rebuild_and_check_cover_every_kind(shows):
    ProductionFactory.create_batch(2)
    CollectionObjectFactory()
    out = StringIO()

    call_command("search_index", "rebuild", stdout=out)

    assert "Indexed 3 records (1 objects, 2 shows)" in out.getvalue()
    SearchEntry.objects.filter(kind="shows").first().delete()
    check = StringIO()
    with pytest.raises(SystemExit):
        call_command("search_index", "check", stdout=check)
    assert "database (objects): in sync" in check.getvalue()
    assert "database (shows): drift" in check.getvalue()
    assert "missing: 1" in check.getvalue()


def test_rebuild_drops_rows_of_a_kind_no_longer_registered(shows):
    ProductionFactory()
    index_everything()
    unregister("shows")

    index_everything()

    assert not SearchEntry.objects.filter(kind="shows").exists()
    register(ShowKind)  # as the fixture left it


def test_the_facets_and_form_follow_the_registry(shows):
    names = [facet.name for facet in all_facets()]

    assert names == [
        "kind", "type", "production", "maker", "subject", "theme", "relationship", "company",
        "decade", "image",
    ]  # fmt: skip


def test_the_engine_searches_every_kinds_alias_and_indexes_each_in_its_own(shows, settings):
    mapping = index_body(shows)["mappings"]["properties"]
    assert mapping["company"] == {"type": "keyword"}
    assert mapping["title"] == index_body(get_kind("objects"))["mappings"]["properties"]["title"]

    show = ProductionFactory(title="Hamlet", company="Forced Entertainment")
    with fake_elasticsearch(settings) as (client, bulk):
        client.search.return_value.body = {"hits": {"hits": [], "total": {"value": 0}}}
        search_index_update(model_label=SHOWS, pks=[show.pk])
        backends.search(SearchRequest(query="hamlet"))

    indexes = client.search.call_args.kwargs["index"]
    assert indexes == ["bac-objects", "bac-stories", "bac-memories", "bac-calls", "bac-shows"]
    actions = bulk_actions(bulk)
    shows_actions = [a for a in actions if a["_index"] == "bac-shows"]
    assert [a["_source"]["kind"] for a in shows_actions] == ["shows"]
    assert (
        "company|forced-entertainment|Forced Entertainment" in shows_actions[0]["_source"]["facets"]
    )
    json.dumps(actions, default=str)  # serialisable as sent


def test_objects_keep_their_label_when_alone(client, index):
    index(CollectionObjectFactory(title="Lonely poster"))

    content = client.get(reverse("search:search"), {"q": "lonely"}).content.decode()

    # One kind only: no "Result type" choice to make.
    assert "Lonely poster" in content
    assert "Result type" not in content


def test_a_kind_missing_its_record_methods_cannot_be_registered():
    class Incomplete(SearchKind):
        name = "incomplete"
        label = "Incomplete"
        hit_label = "Incomplete"
        model = Production

    with pytest.raises(TypeError, match="public_queryset"):
        register(Incomplete)
    assert "incomplete" not in {kind.name for kind in all_kinds()}
