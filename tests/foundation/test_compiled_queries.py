"""Queries built and compiled once per process (foundation/compiled_queries.py): each
call runs the kept SQL with its own arguments and reads the right rows; a key that
misses a value fails in the tests' check; a kept queryset cannot be changed."""

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler

from foundation import compiled_queries
from foundation.compiled_queries import CompiledQueryMismatch, compiled_once
from objects.models import CollectionObject
from tests.factories.objects import CollectionObjectFactory, ObjectTypeFactory

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a list is one parameter only on PostgreSQL (`= ANY`); elsewhere it is built each time",
)


@pytest.fixture
def compiles(monkeypatch):
    """How many times Django compiles a query to SQL."""
    counted = []
    compile_now = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        counted.append(self.query.model)
        return compile_now(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    return counted


def titles(objects) -> list[str]:
    return [obj.title for obj in objects]


def by_type(type_id: int):
    return (
        CollectionObject.objects.filter(object_type_id=type_id)
        .select_related("object_type")
        .annotate(type_name=F("object_type__name"))
        .order_by("title")
    )


def test_each_call_reads_its_own_rows_with_the_sql_compiled_once(settings, compiles):
    settings.COMPILED_QUERIES_CHECK = False
    posters, letters = ObjectTypeFactory(name="Poster"), ObjectTypeFactory(name="Letter")
    CollectionObjectFactory(title="A poster", object_type=posters)
    CollectionObjectFactory(title="A letter", object_type=letters)

    first = list(compiled_once("test:by-type", by_type, posters.pk))
    compiled = len(compiles)
    second = list(compiled_once("test:by-type", by_type, letters.pk))

    assert titles(first) == ["A poster"] and titles(second) == ["A letter"]
    # select_related and the annotation read through the map kept from the first compile
    assert second[0].object_type.name == "Letter" and second[0].type_name == "Letter"
    assert len(compiles) == compiled, "the second call compiled its query again"


@needs_postgresql
def test_a_list_is_one_parameter_whatever_its_length(settings, compiles):
    settings.COMPILED_QUERIES_CHECK = False
    objects = CollectionObjectFactory.create_batch(3)
    built = []

    def by_ids(ids):
        built.append(ids)
        return CollectionObject.objects.filter(pk__any=ids).order_by("pk")

    assert list(compiled_once("test:ids", by_ids, [objects[0].pk])) == objects[:1]
    compiled = len(compiles)
    assert list(compiled_once("test:ids", by_ids, [o.pk for o in objects])) == objects
    assert len(built) == 1 and len(compiles) == compiled


def test_a_key_that_misses_a_value_fails_the_check():
    poster = CollectionObjectFactory(title="Poster")
    letter = CollectionObjectFactory(title="Letter")

    def by_slug(obj):
        # The slug is taken from Python but named neither in the key nor as an argument.
        return lambda: CollectionObject.objects.filter(slug=obj.slug)

    assert list(compiled_once("test:by-slug", by_slug(poster))) == [poster]
    with pytest.raises(CompiledQueryMismatch, match="test:by-slug"):
        compiled_once("test:by-slug", by_slug(letter))


def test_a_kept_queryset_cannot_be_changed():
    CollectionObjectFactory()
    kept = compiled_once("test:all", lambda: CollectionObject.objects.order_by("pk"))
    for change in (lambda q: q.filter(live=True), lambda q: q[:1], lambda q: q.count()):
        with pytest.raises(TypeError, match="compiled_once"):
            change(kept)
    assert len(list(kept)) == 1  # as it was built


def test_an_argument_the_query_rewrites_is_refused():
    CollectionObjectFactory(title="A poster")

    def containing(text):
        return CollectionObject.objects.filter(title__icontains=text)

    with pytest.raises(TypeError, match="argument 0"):
        list(compiled_once("test:containing", containing, "poster"))


def test_the_least_recently_used_are_forgotten_beyond_the_limit(monkeypatch, settings):
    settings.COMPILED_QUERIES_CHECK = False
    monkeypatch.setattr(compiled_queries, "MAX_KEPT", 2)
    built = []

    def build(name):
        def make():
            built.append(name)
            return CollectionObject.objects.all()

        return make

    for name in ("a", "b", "a", "c", "a", "b"):
        list(compiled_once(f"test:{name}", build(name)))

    # "b" went when "c" came (a had just been used), and was built again.
    assert built == ["a", "b", "c", "b"]
