"""The public "Share a memory" form: what it stores, and every refusal."""

import io
import re
import uuid

import mutagen
import pytest
from django.core import mail
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from mutagen.mp3 import MP3

from memories import audio
from memories.models import AgeGroup, ConsentWording, Memory, MemoryContact
from tests.factories.objects import CollectionObjectFactory, ProductionFactory
from tests.images.files import HTML_PAGE, jpeg_with_gps

from . import audio_files
from .audio_files import NAME, PLACE, SECONDS, planted
from .support import form_data, mp3_bytes, upload

pytestmark = pytest.mark.django_db
SHARE = "/memories/share/"


def share(client, query="", files=None, **overrides):
    data = form_data(**overrides)
    data.update(files or {})
    return client.post(SHARE + query, data)


def test_the_form_offers_every_field_and_the_consent_wording(client):
    obj = CollectionObjectFactory(title="Poster for The Masque")
    response = client.get(f"{SHARE}?object={obj.slug}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Share a memory of" in html and "Poster for The Masque" in html
    for name in (
        "text",
        "when_happened",
        "display_name",
        "relationship",
        "email",
        "photo",
        "audio",
        "licence",
        "consent_publish",
        "may_contact",
        "age_group",
        "guardian_name",
        "guardian_confirmed",
        "website",
        "started",
        "idempotency_key",
    ):
        assert f'name="{name}"' in html, name
    wording = ConsentWording.objects.order_by("-version").first()
    assert f"Consent wording version {wording.version}" in html
    assert 'maxlength="3000"' in html
    assert '<a href="/privacy/">privacy notice</a>' in html  # the site's editable page
    # The proof-of-work widget comes from our own static files, never a CDN.
    assert "/static/altcha_django/altcha.min.js" in html
    assert "cdn.jsdelivr" not in html
    assert "<altcha-widget" in html
    assert response["Cache-Control"].startswith("max-age=0")
    # Only this page lets the ALTCHA widget start its blob: workers.
    assert "worker-src 'self' blob:" in response["Content-Security-Policy"]
    assert "blob:" not in client.get(obj.get_absolute_url())["Content-Security-Policy"]


def test_a_memory_is_stored_pending_with_its_consent_and_email_kept_apart(client):
    obj = CollectionObjectFactory()
    response = share(client, f"?object={obj.slug}", may_contact="on")

    assert response.status_code == 302
    assert response["Location"].startswith("/memories/thank-you/")
    memory = Memory.objects.get()
    assert memory.status == Memory.Status.PENDING
    assert memory.object == obj
    assert memory.year == 1998
    assert memory.consent_wording == ConsentWording.objects.order_by("-version").first()
    assert memory.consented_at is not None
    assert memory.licence == "cc-by-4.0" and memory.may_contact
    assert memory.verified is False  # no JavaScript, no proof of work: unverified
    assert not hasattr(Memory, "email")
    assert MemoryContact.objects.get(memory=memory).email == "maggie@example.org"

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your memory" in thanks.content.decode()


def test_the_contributor_is_emailed_a_private_link_and_moderators_are_told(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        share(client)

    memory = Memory.objects.get()
    to_contributor = [m for m in mail.outbox if m.to == ["maggie@example.org"]]
    to_moderators = [m for m in mail.outbox if m.to == ["moderators@bac.example"]]
    assert len(to_contributor) == 1 and len(to_moderators) == 1
    link = re.search(r"http\S+/memories/yours/\S+/", to_contributor[0].body).group(0)
    assert client.get(link[link.index("/memories/") :]).status_code == 200
    assert "waiting for review" in to_moderators[0].subject
    memory.refresh_from_db()
    assert memory.confirmation_sent_at and memory.moderators_notified_at


def test_a_production_memory_belongs_to_the_production(client):
    production = ProductionFactory()
    share(client, f"?production={production.slug}")
    assert Memory.objects.get().production == production


def _errors_for(response, field):
    html = response.content.decode()
    match = re.search(rf'id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("query", ["?object=%00", "?production=a%00b", "?object=no-such-object"])
def test_a_malformed_or_unknown_subject_gives_the_general_form(client, query):
    # A NUL byte reached PostgreSQL and raised a 500 before slugs were checked.
    response = client.get(SHARE + query)

    assert response.status_code == 200
    assert "Share a memory of" not in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"text": ""}, "text", "Write your memory"),
        ({"text": "x" * 3001}, "text", "limit is 3,000"),
        ({"email": "not-an-email"}, "email", "like name@example.com"),
        ({"consent_publish": None}, "consent_publish", "cannot share it without"),
        ({"relationship": None}, "relationship", "how you know BAC"),
        ({"text": "see http://a.example http://b.example http://c.example"}, "text", "at most 2"),
        ({"website": "http://spam.example"}, "website", "leave it empty"),
        ({"started": "tampered:value:sig"}, "started", "could not be checked"),
    ],
)
def test_refusals_say_what_to_fix_next_to_the_field_and_keep_the_text(
    client, overrides, field, says
):
    response = share(client, **{"text": "My own words, kept.", **overrides})

    assert response.status_code == 400
    assert says in _errors_for(response, field)
    assert 'aria-invalid="true"' in response.content.decode() or field in ("website", "started")
    if "text" not in overrides:
        assert "My own words, kept." in response.content.decode()
    assert Memory.objects.count() == 0


def test_an_email_address_too_long_to_store_is_refused_with_the_text_kept(client):
    # 255 to 320 characters passed the form and failed the 254-character column: a 500.
    domain = f"{'b' * 63}.{'c' * 63}.{'d' * 59}.org"
    too_long = f"{'a' * 64}@{domain}"
    longest = f"{'a' * 62}@{domain}"
    assert (len(too_long), len(longest)) == (256, 254)

    response = share(client, email=too_long, text="My own words, kept.")

    assert response.status_code == 400
    assert "at most 254 characters" in _errors_for(response, "email")
    assert "My own words, kept." in response.content.decode()
    assert share(client, email=longest).status_code == 302
    assert MemoryContact.objects.get().email == longest


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",  # zero-width space
        "\ufeff\u2060",  # byte order mark, word joiner
        " \u200c\u200d\u00a0\u3000\n",  # zero-width (non-)joiners among spaces
        "\u00ad\u180e\U000e0041",  # soft hyphen, Mongolian vowel separator, a tag character
    ],
)
def test_a_memory_of_only_invisible_characters_is_refused(client, invisible):
    response = share(client, text=invisible)

    assert response.status_code == 400
    assert "Write your memory in the box" in _errors_for(response, "text")
    assert Memory.objects.count() == 0


def test_a_name_or_date_of_only_invisible_characters_counts_as_empty(client):
    assert share(client, display_name="\u200b\u2060", when_happened="\ufeff").status_code == 302

    memory = Memory.objects.get()
    assert (memory.display_name, memory.when_happened, memory.year) == ("", "", None)


def test_bidirectional_controls_are_removed_from_names_and_right_to_left_names_kept(client):
    # U+202E (right-to-left override) would show "Maggie 1998" reversed, and everything
    # after it on the page with it.
    share(client, display_name="\u202eMaggie\u202c", when_happened="\u2067Spring 1998\u2069")
    share(client, display_name="مريم الحسيني\u200f", when_happened="\u061cربيع 1998")
    share(client, display_name="שירה כהן")

    stored = [(m.display_name, m.when_happened) for m in Memory.objects.order_by("pk")]
    assert stored == [
        ("Maggie", "Spring 1998"),
        ("مريم الحسيني", "ربيع 1998"),
        ("שירה כהן", "Spring 1998"),
    ]


def test_under_13_without_a_guardian_is_refused_kindly(client):
    response = share(client, age_group=AgeGroup.UNDER_13)

    assert response.status_code == 400
    assert "parent or guardian must agree" in _errors_for(response, "guardian_confirmed")
    assert "guardian&#x27;s name" in _errors_for(response, "guardian_name")
    assert Memory.objects.count() == 0


def test_under_13_with_a_guardian_is_accepted_and_recorded(client):
    response = share(
        client, age_group=AgeGroup.UNDER_13, guardian_name="Sam Parent", guardian_confirmed="on"
    )

    assert response.status_code == 302
    memory = Memory.objects.get()
    assert memory.age_group == AgeGroup.UNDER_13 and memory.guardian_name == "Sam Parent"


def test_too_fast_and_stale_forms_are_refused(client, settings):
    settings.MEMORIES_FORM_MIN_SECONDS = 30
    response = share(client)
    assert response.status_code == 400
    assert "faster than anyone can type" in _errors_for(response, "started")

    settings.MEMORIES_FORM_MIN_SECONDS = 0
    settings.MEMORIES_FORM_MAX_AGE_SECONDS = -1
    response = share(client)
    assert "opened a long time ago" in _errors_for(response, "started")
    assert Memory.objects.count() == 0


def test_a_refused_form_gets_a_fresh_start_time_and_keeps_its_idempotency_key(client):
    key = str(uuid.uuid4())
    response = share(client, text="", idempotency_key=key)
    html = response.content.decode()
    assert f'value="{key}"' in html
    assert 'name="started"' in html


def test_a_double_submission_stores_one_memory(client, django_capture_on_commit_callbacks):
    data = form_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(SHARE, data)
        second = client.post(SHARE, data)

    assert Memory.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert len([m for m in mail.outbox if m.to == ["maggie@example.org"]]) == 1


def test_a_photo_that_is_not_an_image_is_refused(client):
    response = share(client, files={"photo": upload("photo.jpg", HTML_PAGE, "image/jpeg")})
    assert response.status_code == 400
    assert "web page (HTML)" in _errors_for(response, "photo")


def test_a_photo_over_the_size_limit_is_refused(client, settings):
    settings.MEMORIES_PHOTO_MAX_BYTES = 1000
    response = share(client, files={"photo": upload("big.jpg", jpeg_with_gps(400, 300))})
    assert "too big" in _errors_for(response, "photo")


def test_an_oversized_upload_is_never_stored_whole_and_the_rest_of_the_form_is_kept(
    client, settings, monkeypatch
):
    """Django wrote a whole upload to a temporary file before the form could refuse
    it: a 600 MB "photo" filled the disk to be told it was over 15 MB."""
    settings.MEMORIES_PHOTO_MAX_BYTES = 100_000
    settings.MEMORIES_AUDIO_MAX_BYTES = 50_000
    stored, temporary_files = [], []
    store, start_file = (
        TemporaryFileUploadHandler.receive_data_chunk,
        TemporaryFileUploadHandler.new_file,
    )

    def store_and_measure(handler, raw_data, start):
        stored.append(start + len(raw_data))
        return store(handler, raw_data, start)

    def start_and_keep(handler, *args, **kwargs):
        start_file(handler, *args, **kwargs)
        temporary_files.append(handler.file)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", store_and_measure)
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", start_and_keep)
    huge = io.BytesIO(jpeg_with_gps(40, 30) + bytes(8 * 1024 * 1024))
    huge.name = "huge.jpg"
    answers = form_data(text="My own words, kept.", display_name="Maggie Lane")
    # The file comes before most fields, as in the page: those after it still arrive.
    answers = {
        "text": answers.pop("text"),
        "photo": huge,
        "audio": upload("voice.mp3", mp3_bytes(1)),
        **answers,
    }

    response = client.post(SHARE, answers)

    assert response.status_code == 400
    assert "The photo is too big (8.0\xa0MB); the limit is 97.7\xa0KB" in _errors_for(
        response, "photo"
    )
    assert 0 < max(stored) <= 100_000
    # Both temporary files (the photo's first 100 KB, the recording) are gone.
    assert len(temporary_files) == 2 and all(file.closed for file in temporary_files)
    html = response.content.decode()
    assert "My own words, kept." in html and 'value="Maggie Lane"' in html
    for after_the_file in ("licence", "consent_publish", "age_group", "started"):
        assert not _errors_for(response, after_the_file), after_the_file
    assert Memory.objects.count() == 0


def test_the_share_form_checks_its_csrf_token_after_setting_the_upload_limit():
    # The middleware's check would read the upload before the limit is in place (a
    # 500), so the view checks the token itself.
    browser = Client(enforce_csrf_checks=True)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(SHARE).content.decode()
    ).group(1)

    assert browser.post(SHARE, form_data()).status_code == 403
    assert browser.post(SHARE, form_data(csrfmiddlewaretoken=token)).status_code == 302
    assert Memory.objects.count() == 1


def test_a_photo_over_the_pixel_limit_is_refused(client, settings):
    settings.MEMORIES_PHOTO_MAX_PIXELS = 1000
    response = share(client, files={"photo": upload("wide.jpg", jpeg_with_gps(400, 300))})
    assert "megapixels" in _errors_for(response, "photo")


def test_audio_is_sniffed_measured_and_stripped_of_its_tags(client):
    response = share(client, files={"audio": upload("voice.mp3", mp3_bytes(3))})

    assert response.status_code == 302
    memory = Memory.objects.get()
    assert memory.audio_content_type == "audio/mpeg"
    assert memory.audio_seconds == 3
    stored = memory.audio.read()
    assert b"Secret-Surname" not in stored and b"Acacia" not in stored and b"ID3" not in stored[:3]
    assert "voice" not in memory.audio.name  # the contributor's file name is not kept


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (audio_files.tagged_mp3, "audio/mpeg"),
        (audio_files.tagged_m4a, "audio/mp4"),
        (audio_files.tagged_ogg_vorbis, "audio/ogg"),
        (audio_files.tagged_opus, "audio/ogg"),
        (audio_files.tagged_flac, "audio/flac"),
    ],
)
def test_no_name_or_place_survives_in_any_tag_format_and_the_recording_still_plays(
    client, make, content_type
):
    original = make()
    assert planted(original) == [NAME, PLACE]

    response = share(client, files={"audio": upload("voice", original)})

    assert response.status_code == 302
    memory = Memory.objects.get()
    stored = memory.audio.read()
    assert planted(stored) == []
    played = mutagen.File(io.BytesIO(stored))
    assert type(played) is type(mutagen.File(io.BytesIO(original)))
    assert not played.tags
    assert played.info.length == pytest.approx(SECONDS, abs=0.05)
    assert (memory.audio_content_type, memory.audio_seconds) == (content_type, SECONDS)


def test_a_recording_that_keeps_tags_after_cleaning_is_refused_not_stored(client, monkeypatch):
    # The last check: were a format's rewriting to miss a tag, mutagen would find it.
    monkeypatch.setitem(audio._REWRITE, MP3, lambda data, parsed: data)

    response = share(client, files={"audio": upload("voice.mp3", audio_files.tagged_mp3())})

    assert response.status_code == 400
    assert "damaged or not in a format we accept" in _errors_for(response, "audio")
    assert Memory.objects.count() == 0


def test_audio_that_is_not_audio_is_refused(client):
    response = share(client, files={"audio": upload("voice.mp3", HTML_PAGE, "audio/mpeg")})
    assert "not an audio recording" in _errors_for(response, "audio")


def test_audio_over_the_length_or_size_limit_is_refused(client, settings):
    settings.MEMORIES_AUDIO_MAX_SECONDS = 2
    response = share(client, files={"audio": upload("long.mp3", mp3_bytes(5))})
    assert "the limit is 2 seconds" in _errors_for(response, "audio")

    settings.MEMORIES_AUDIO_MAX_SECONDS = 300
    settings.MEMORIES_AUDIO_MAX_BYTES = 1000
    response = share(client, files={"audio": upload("big.mp3", mp3_bytes(5))})
    assert "too big" in _errors_for(response, "audio")


def test_a_solved_altcha_marks_the_memory_verified_and_a_forged_one_is_refused(client, settings):
    from altcha import Challenge, Payload, solve_challenge
    from altcha_django import get_verifier

    settings.ALTCHA_CHALLENGE = {"cost": 1, "key_prefix": "0"}
    challenge = Challenge.from_dict(get_verifier().get_challenge())
    payload = Payload(challenge, solve_challenge(challenge)).to_base64()

    assert share(client, altcha=payload).status_code == 302
    assert Memory.objects.get().verified is True

    forged = Payload(challenge, solve_challenge(challenge)).to_dict()
    forged["challenge"]["signature"] = "0" * 64
    import base64
    import json

    response = share(client, altcha=base64.b64encode(json.dumps(forged).encode()).decode())
    assert response.status_code == 400
    assert Memory.objects.count() == 1


def test_a_simultaneous_twin_submission_gets_the_first_memory_not_an_error(monkeypatch):
    """Two requests with one idempotency key both pass the first check; the
    database's unique constraint lets one in and the other is given its memory."""
    from memories import services
    from tests.factories.memories import MemoryFactory

    key = uuid.uuid4()
    first = MemoryFactory(idempotency_key=key)
    real_lookup = services._memory_by_key
    calls = []

    def not_yet_committed(k):  # the twin's row is not visible at the first check
        calls.append(k)
        return None if len(calls) == 1 else real_lookup(k)

    monkeypatch.setattr(services, "_memory_by_key", not_yet_committed)
    memory, created = services.memory_submit(
        submission=services.Submission(
            text="Twin", relationship="audience", licence="site-only", age_group="13-or-over",
            email="twin@example.org", idempotency_key=key,
        )
    )  # fmt: skip

    assert (memory, created) == (first, False)
    assert Memory.objects.filter(idempotency_key=key).count() == 1
