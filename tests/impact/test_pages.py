"""The public "archive in numbers" page, the privacy notice's account of the
counting, and the backfill."""

import datetime
import importlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from impact.models import DailyCount, Metric, ObjectFirstSeen
from impact.selectors import PRIVACY_NOTICE_HEADING
from memories.models import Memory
from pages.models import SitePage
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory

pytestmark = pytest.mark.django_db

NUMBERS = reverse("impact:numbers")
privacy_migration = importlib.import_module("impact.migrations.0003_privacy_notice_counting")


def test_the_archive_in_numbers_shows_four_aggregate_figures(client):
    seen, _, _ = CollectionObjectFactory.create_batch(3)
    CollectionObjectFactory(live=False)  # not online
    ObjectFirstSeen.objects.create(object=seen, first_seen=None)
    MemoryFactory.create_batch(2)
    MemoryFactory(status=Memory.Status.PENDING)
    for day, count in ((1, 1200), (2, 34)):
        DailyCount.objects.create(
            day=timezone.localdate() - datetime.timedelta(days=day),
            metric=Metric.DOWNLOAD,
            key="client:curl",
            count=count,
        )

    response = client.get(NUMBERS)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<dt>Objects online</dt><dd>3</dd>" in html
    assert "<dt>Objects someone has looked at</dt><dd>1</dd>" in html
    assert "<dt>Memories shared and published</dt><dd>2</dd>" in html
    assert "<dt>Open data files downloaded</dt><dd>1,234</dd>" in html
    assert 'href="/privacy/"' in html


def test_the_numbers_page_is_served_from_the_page_cache(client):
    assert client.get(NUMBERS)["X-Page-Cache"] == "miss"
    response = client.get(NUMBERS)

    assert response["X-Page-Cache"] == "hit"
    assert not response.cookies


def test_the_privacy_notice_says_what_is_counted():
    notice = SitePage.objects.get(slug="privacy")

    assert f"<h2>{PRIVACY_NOTICE_HEADING}</h2>" in notice.body
    assert "Global Privacy Control" in notice.body
    assert "uses no analytics or advertising trackers from other companies" in notice.body
    assert notice.last_reviewed == privacy_migration.REVIEWED


def test_a_reworded_privacy_notice_is_left_for_staff_to_update(client, django_user_model):
    reworded = "<p>Our own wording, written by our data protection officer.</p>"
    SitePage.objects.filter(slug="privacy").update(body=reworded)
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)

    assert privacy_migration._reworded(reworded) is None
    assert (
        "The privacy notice does not describe this counting"
        in client.get(reverse("impact_admin:index")).content.decode()
    )


def test_backfill_records_objects_viewed_before_counting_began_on_a_day_unknown():
    viewed, never = CollectionObjectFactory.create_batch(2)
    already = CollectionObjectFactory()
    type(viewed).objects.filter(pk__in=[viewed.pk, already.pk]).update(view_count=7)
    ObjectFirstSeen.objects.create(object=already, first_seen=timezone.localdate())

    out = io.StringIO()
    call_command("impact_backfill", stdout=out)
    call_command("impact_backfill", stdout=io.StringIO())  # again: nothing new

    assert dict(ObjectFirstSeen.objects.values_list("object_id", "first_seen")) == {
        viewed.pk: None,
        already.pk: timezone.localdate(),
    }
    assert "Objects recorded as seen before counting began: 1" in out.getvalue()
