"""Staff review: the private queue in the admin, accepting a suggestion into the
catalogue record in one click (with provenance on the object page), declining it
with a reason the contributor reads, and who may do either."""

import pytest
from django.contrib.auth.models import Group

from identifications.links import private_url
from identifications.models import Identification
from objects.models import CollectionObject, Maker, Place, Production
from tests.factories.objects import CollectionObjectFactory, ProductionFactory

from .support import accept, suggest

pytestmark = pytest.mark.django_db

YEAR = str(__import__("datetime").date.today().year)


def review_url(identification) -> str:
    return f"/admin/identifications/review/{identification.pk}/"


def test_the_queue_lists_suggestions_with_filters_and_never_the_contributors_email(
    client, reviewer
):
    obj = CollectionObjectFactory(title="Cinderella photograph")
    pending = suggest(obj, value="Maggie Thompson")
    suggest(obj, kind="date", value="1985")
    client.force_login(reviewer)

    listing = client.get("/admin/identifications/?status=pending&kind=person")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Maggie Thompson" in html and "1985" not in html.split("<tbody")[-1]
    review = client.get(review_url(pending)).content.decode()
    assert "Accept into the record" in review
    for page in (html, review, client.get(f"/admin/identifications/inspect/{pending.pk}/")
                 .content.decode()):  # fmt: skip
        assert pending.contact.email not in page


def test_accepting_a_person_adds_them_to_the_record_in_one_click_with_provenance(client, reviewer):
    obj = CollectionObjectFactory(title="Cinderella photograph")
    identification = suggest(obj, value="Maggie Thompson")
    client.force_login(reviewer)

    response = client.post(
        review_url(identification),
        {"action": "accept", "value": "Maggie Thompson", "role": "Fairy Godmother"},
    )

    assert response.status_code == 302
    identification.refresh_from_db()
    assert identification.status == "accepted" and identification.decided_by == reviewer
    maker = Maker.objects.get(name="Maggie Thompson")
    assert obj.object_makers.filter(maker=maker, role="Fairy Godmother").exists()
    # Published through a revision, so the record's history says who and when.
    obj.refresh_from_db()
    assert obj.live and not obj.has_unpublished_changes
    assert obj.latest_revision.user == reviewer

    client.logout()
    page = client.get(obj.get_absolute_url()).content.decode()
    assert "Maggie Thompson" in page and "Fairy Godmother" in page
    assert f"identified with help from a member of the public, {YEAR}" in page
    assert "cataloguer" not in page  # never who decided, nor who helped


def test_production_date_and_place_go_into_their_fields(reviewer):
    obj = CollectionObjectFactory(production=None, date_display="", date_earliest=None)
    show = ProductionFactory(title="Cinderella", date_display="1985")

    accept(suggest(obj, kind="production", value="Cinderella 1985"), reviewer, production=show)
    accept(suggest(obj, kind="date", value="Winter 1985–1986"), reviewer)
    accept(suggest(obj, kind="place", value="Grand Hall"), reviewer)

    obj = CollectionObject.objects.get(pk=obj.pk)
    assert obj.production == show
    assert (obj.date_display, obj.date_earliest, obj.date_latest) == (
        "Winter 1985–1986",
        1985,
        1986,
    )
    assert list(obj.places.values_list("name", flat=True)) == ["Grand Hall"]
    assert Place.objects.filter(name="Grand Hall").count() == 1


def test_a_production_not_in_the_catalogue_is_added(reviewer):
    obj = CollectionObjectFactory(production=None)
    accept(suggest(obj, kind="production", value="The Masque"), reviewer)
    assert CollectionObject.objects.get(pk=obj.pk).production == Production.objects.get(
        title="The Masque"
    )


def test_an_unpublished_draft_keeps_its_edits_and_gains_the_fact(reviewer):
    obj = CollectionObjectFactory(title="Old title", date_display="")
    obj.title = "Draft title"
    obj.save_revision(user=reviewer)

    accept(suggest(obj, kind="date", value="1985"), reviewer)

    live = CollectionObject.objects.get(pk=obj.pk)
    assert (live.title, live.date_display) == ("Old title", "1985")
    assert live.has_unpublished_changes
    draft = live.get_latest_revision_as_object()
    assert (draft.title, draft.date_display) == ("Draft title", "1985")


def test_declining_needs_a_reason_which_the_contributor_reads(client, reviewer):
    obj = CollectionObjectFactory()
    identification = suggest(obj, value="Someone else")
    client.force_login(reviewer)

    empty = client.post(review_url(identification), {"action": "decline", "reason": " "})
    assert empty.status_code == 200
    assert "Write the reason" in empty.content.decode()
    assert Identification.objects.get().status == "pending"

    client.post(
        review_url(identification),
        {"action": "decline", "reason": "The programme names another actor."},
    )
    assert Identification.objects.get().status == "declined"
    client.logout()
    private = client.get(private_url(identification.public_id)).content.decode()
    assert "Declined" in private and "The programme names another actor." in private
    assert "Someone else" not in client.get(obj.get_absolute_url()).content.decode()


def test_accepting_with_an_empty_value_is_refused_and_changes_nothing(client, reviewer):
    obj = CollectionObjectFactory()
    identification = suggest(obj, kind="place", value="Grand Hall")
    client.force_login(reviewer)

    response = client.post(review_url(identification), {"action": "accept", "value": ""})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Identification.objects.get().status == "pending" and not Place.objects.exists()


def test_a_decided_suggestion_cannot_be_decided_again(client, reviewer):
    identification = suggest(CollectionObjectFactory(), kind="date", value="1985")
    accept(identification, reviewer)
    client.force_login(reviewer)
    response = client.post(review_url(identification), {"action": "decline", "reason": "No"})
    assert "already decided" in response.content.decode()
    assert Identification.objects.get().status == "accepted"


@pytest.mark.parametrize("group_name", ["Curators", "Editors", "Moderators", "Publishers"])
def test_only_collection_editors_review(client, django_user_model, group_name):
    user = django_user_model.objects.create_user(f"staff-{group_name}", password="pw")
    user.groups.add(Group.objects.get(name=group_name))
    identification = suggest(CollectionObjectFactory())
    client.force_login(user)

    assert client.get("/admin/identifications/").status_code in (302, 403)
    assert client.get(review_url(identification)).status_code in (302, 403)
    client.post(review_url(identification), {"action": "accept", "value": "X"})
    assert Identification.objects.get().status == "pending"


def test_an_account_that_may_not_publish_objects_cannot_accept(client, django_user_model):
    """The review permission alone, given to a group that cannot publish objects:
    accepting is refused with a clear message and nothing changes."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reviewer-only", password="pw")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_identification", "change_identification"]
        )
    )
    obj = CollectionObjectFactory(date_display="")
    identification = suggest(obj, kind="date", value="1985")
    client.force_login(user)

    response = client.post(review_url(identification), {"action": "accept", "value": "1985"})

    assert "ask a Collection editor" in response.content.decode()
    assert Identification.objects.get().status == "pending"
    assert CollectionObject.objects.get(pk=obj.pk).date_display == ""
