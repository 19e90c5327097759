"""URLs written without a request (bulk downloads, emails, site page links for
emails) start with SITE_BASE_URL, wherever the site happens to be served."""

import gzip
import json

import pytest
from django.core import mail

from api import dumps
from pages.links import site_page_url
from tests.factories.memories import MemoryFactory

pytestmark = pytest.mark.django_db

BASE = "https://collection.example.org"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.SITE_BASE_URL = BASE
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"  # not read for these


def test_dump_records_link_to_the_site_base_url(archive, dump_dir):
    manifest = dumps.opendata_dump_write()

    text = gzip.decompress((dump_dir / manifest["folder"] / "objects.jsonl.gz").read_bytes())
    poster = next(r for r in map(json.loads, text.decode().splitlines()) if r["images"])
    assert manifest["site"] == f"{BASE}/"
    assert poster["url"] == f"{BASE}{archive['poster'].get_absolute_url()}"
    assert poster["iiif_manifest"] == f"{BASE}/iiif/objects/{archive['poster'].slug}/manifest.json"
    assert poster["images"][0]["url"].startswith(f"{BASE}/iiif/image/")
    assert "127.0.0.1" not in text.decode()


def test_emailed_links_use_the_site_base_url(client):
    MemoryFactory(contact__email="me@example.org")

    client.post("/memories/lost-link/", {"email": "me@example.org"})

    [email] = mail.outbox
    assert f"{BASE}/memories/yours/" in email.body
    assert "127.0.0.1" not in email.body


def test_site_page_links_for_emails_use_the_site_base_url(db):
    assert site_page_url("privacy", absolute=True) == f"{BASE}/privacy/"
