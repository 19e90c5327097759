"""The privacy sweep, for "Help us identify": what the public helped identify
leaves as a fact with a year, and nothing else does. No contributor's email,
words or private link, no pending or declined suggestion, and no staff login or
email appears on any public page, oEmbed answer, API response or dump."""

import gzip
import json

import pytest
from django.urls import reverse

from api import dumps
from identifications import links
from identifications.services import Acceptance, Suggestion
from identifications.services import identification_accept as accept
from identifications.services import identification_decline as decline
from identifications.services import identification_submit as submit

from .conftest import PRIVATE_VALUES

pytestmark = pytest.mark.django_db

CONTRIBUTOR = "identifier.private@example.org"
STAFF_ONLY = {
    "contributor_email": CONTRIBUTOR,
    "details": "My aunt told me this over tea",
    "source": "A letter in my attic",
    "pending_value": "Pending Secretname",
    "declined_value": "Declined Wrongname",
    "decline_reason": "The programme names someone else entirely",
    "staff_login": "curator",
    "staff_email": PRIVATE_VALUES["staff_email"],
}


def suggestion(obj, kind, value):
    made, _ = submit(
        suggestion=Suggestion(
            object_id=obj.pk,
            kind=kind,
            value=value,
            email=CONTRIBUTOR,
            details=STAFF_ONLY["details"],
            source=STAFF_ONLY["source"],
        )
    )
    return made


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def test_no_contributor_or_staff_detail_leaves_with_an_identification(client, archive):
    from django.contrib.auth.models import Group

    from search.services import search_index_rebuild

    poster, staff = archive["poster"], archive["staff"]
    staff.groups.add(Group.objects.get(name="Collection editors"))  # who may accept
    accepted = suggestion(poster, "person", "Maggie Thompson")
    accept(identification=accepted, acceptance=Acceptance(value="Maggie Thompson"), user=staff)
    pending = suggestion(poster, "person", STAFF_ONLY["pending_value"])
    declined = suggestion(poster, "person", STAFF_ONLY["declined_value"])
    decline(identification=declined, reason=STAFF_ONLY["decline_reason"], user=staff)
    search_index_rebuild()

    page_url = poster.get_absolute_url()
    absolute = f"http://testserver{page_url}"
    outputs = {
        "object page": body(client.get(page_url)),
        "object card": body(client.get(reverse("sharing:object_card", args=[poster.slug]))),
        "oembed": body(client.get(reverse("sharing:oembed"), {"url": absolute})),
        "api object": body(client.get(f"/api/v1/objects/{poster.slug}")),
        "api makers": body(client.get("/api/v1/makers/?page_size=100")),
        "api search": body(client.get("/api/v1/search?q=Maggie")),
        "json-ld": body(client.get(f"/collection/objects/{poster.slug}.jsonld")),
        "site search": body(client.get("/search/?q=Maggie")),
    }
    manifest = dumps.opendata_dump_write()
    for entry in manifest["files"]:
        path = dumps_folder(manifest) / entry["name"]
        outputs[entry["name"]] = gzip.decompress(path.read_bytes()).decode()
    outputs["dump manifest"] = json.dumps(manifest)

    # The accepted fact is public, with its provenance...
    assert "Maggie Thompson" in outputs["object page"]
    assert "identified with help from a member of the public" in outputs["object page"]
    assert any("Maggie Thompson" in text for name, text in outputs.items() if "dump" not in name)
    # ...and nothing else about it, nor anything of the others.
    secrets = dict(STAFF_ONLY)
    for made in (accepted, pending, declined):
        secrets[f"private link {made.pk}"] = links.private_token(made.public_id)
        secrets[f"thanks link {made.pk}"] = links.thanks_token(made.public_id).split(":")[0]
        secrets[f"public id {made.pk}"] = str(made.public_id)
        secrets[f"public id hex {made.pk}"] = made.public_id.hex
    leaks = [
        (where, name)
        for where, text in outputs.items()
        for name, value in secrets.items()
        if value.lower() in text.lower()
        # "curator" is also a word: only a login in a page's markup counts.
        and not (name == "staff_login" and where not in ("object page", "object card"))
    ]
    assert leaks == []


def dumps_folder(manifest):
    from django.conf import settings

    return settings.OPENDATA_DUMP_DIR / manifest["folder"]
