"""`make run`'s sample identification: accepted on a sample record, labelled as
sample content on its page, and made once however often the loader runs."""

import io

import pytest
from django.core.management import call_command

from identifications.models import Identification
from objects.models import CollectionObject
from tests.factories.objects import CollectionObjectFactory

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo_identifications", stdout=out)
    return out.getvalue()


def test_the_demo_accepts_one_sample_identification_labelled_as_sample(client):
    CollectionObjectFactory(title="Real record", is_sample_content=False)
    sample = CollectionObjectFactory(title="Sample record", is_sample_content=True)

    assert "accepted on: Sample record" in load()
    assert "nothing to create" in load()

    [identification] = Identification.objects.all()
    assert identification.is_sample_content and identification.status == "accepted"
    obj = CollectionObject.objects.get(pk=sample.pk)
    assert obj.places.get().name.endswith("(sample identification)")
    html = client.get(obj.get_absolute_url()).content.decode()
    provenance = html.split("data-identified", 1)[1].split("</div>", 1)[0]
    assert '<span class="tag">Sample</span>' in provenance
    assert "identified with help from a member of the public" in provenance


def test_without_sample_records_the_demo_writes_nothing():
    CollectionObjectFactory(is_sample_content=False)
    assert "nothing to create" in load()
    assert not Identification.objects.exists()
