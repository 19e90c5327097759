"""The object page with identifications: the accepted facts and their provenance
cost no query of their own (they come with the object's query), and pending or
declined suggestions never show."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from identifications import services
from tests.factories.objects import MakerFactory, ProductionFactory
from tests.objects.pages_support import object_with_image

from .support import accept, suggest

pytestmark = pytest.mark.django_db


def cold_queries(client, url) -> int:
    cache.clear()
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_identifications_add_no_query_to_the_object_page(client, reviewer):
    production = ProductionFactory()
    obj = object_with_image(production=production, makers=[MakerFactory()])
    object_with_image(production=production)
    before = cold_queries(client, obj.get_absolute_url())

    accept(suggest(obj, kind="person", value="Maggie Thompson"), reviewer)
    accept(suggest(obj, kind="place", value="Grand Hall"), reviewer)
    accept(suggest(obj, kind="date", value="1985"), reviewer)
    suggest(obj, kind="person", value="Pending Person")
    services.identification_decline(
        identification=suggest(obj, kind="place", value="Declined Place"),
        reason="Not there",
        user=reviewer,
    )
    after = cold_queries(client, obj.get_absolute_url())

    assert after == before
    html = client.get(obj.get_absolute_url()).content.decode()
    assert html.count("identified with help from a member of the public") == 3
    assert "Pending Person" not in html and "Declined Place" not in html


def test_the_provenance_is_the_fact_and_the_year_and_sorts_oldest_first(client, reviewer):
    obj = object_with_image()
    first = accept(suggest(obj, kind="date", value="1985"), reviewer)
    type(first).objects.filter(pk=first.pk).update(decided_at=first.decided_at.replace(year=2025))
    accept(suggest(obj, kind="place", value="Grand Hall"), reviewer)

    html = client.get(obj.get_absolute_url()).content.decode()
    date_line = html.index(
        "Its date, 1985: identified with help from a member of the public, 2025."
    )
    place_line = html.index("A place, Grand Hall: identified with help from a member of the public")
    assert date_line < place_line
