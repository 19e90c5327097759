"""Object types as a vocabulary staff manage: matching, the cached labels,
merging (service and admin view) and what the public pages read."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from foundation.signals import records_changed
from objects.models import CollectionObject, ObjectType
from objects.selectors import object_type_labels
from objects.services import object_type_merge
from objects.vocabulary import Term, TermMatcher
from tests.factories.objects import CollectionObjectFactory, ObjectTypeFactory

SEEDED = {
    "poster": "Poster",
    "programme": "Programme",
    "flyer": "Flyer",
    "photograph": "Photograph",
    "letter": "Letter",
    "script": "Script",
    "costume": "Costume",
    "set-piece": "Set piece",
    "building-fragment": "Building fragment",
    "painting": "Painting",
    "drawing": "Drawing",
    "print": "Print",
    "sculpture": "Sculpture",
    "document": "Document",
    "other": "Other",
}


def merge_url(term):
    return reverse("wagtailsnippets_objects_objecttype:merge", args=[term.pk])


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


MATCHER = TermMatcher(
    [
        Term(1, "costume", "Costume"),
        Term(2, "photograph", "Photograph", ("Photo",)),
        Term(3, "set-piece", "Set piece"),
        Term(4, "box", "Box"),
        Term(5, "diary", "Diary"),
        Term(6, "ephemera", "Ephemera"),
    ]
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Costume", "costume"),
        ("COSTUMES", "costume"),
        ("  photographs ", "photograph"),
        ("Photos", "photograph"),  # plural of an alternative label
        ("set pieces", "set-piece"),
        ("Set-Piece", "set-piece"),  # the slug as written
        ("boxes", "box"),
        ("Diaries", "diary"),
        ("ephemera", "ephemera"),
        ("Costume designs", None),
        ("Textiles", None),
    ],
)
def test_terms_match_in_any_case_singular_or_plural_and_by_alternative_label(text, slug):
    term = MATCHER.match(text)
    assert (term.slug if term else None) == slug


@pytest.mark.parametrize(
    ("text", "closest"),
    [("Costume designs", "Costume"), ("Photgraphs", "Photograph"), ("Textiles", None)],
)
def test_the_closest_term_is_suggested_only_when_alike(text, closest):
    term = MATCHER.closest(text)
    assert (term.name if term else None) == closest


@pytest.mark.django_db
def test_the_migration_seeds_todays_types_with_their_slugs():
    assert dict(ObjectType.objects.values_list("slug", "name")) == SEEDED
    assert not ObjectType.objects.filter(added_by_import=True).exists()


@pytest.mark.django_db
def test_type_labels_are_cached_and_follow_a_rename(django_assert_num_queries):
    assert object_type_labels()["poster"] == "Poster"
    with django_assert_num_queries(0):
        assert object_type_labels()["letter"] == "Letter"

    poster = ObjectType.objects.get(slug="poster")
    poster.name = "Poster or playbill"
    poster.save()

    assert object_type_labels()["poster"] == "Poster or playbill"


@pytest.mark.django_db
def test_a_label_that_already_names_another_type_is_refused():
    term = ObjectType(name="Photos", alternative_labels="Snapshot\nLetters")
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "already names the object type 'Photograph'" in str(error.value.message_dict["name"])
    assert "'Letters' already names the object type 'Letter'" in str(
        error.value.message_dict["alternative_labels"]
    )
    ObjectType(name="Model box", alternative_labels="Maquette").full_clean()


@pytest.mark.django_db
def test_merging_moves_objects_keeps_labels_rewrites_drafts_and_announces():
    photograph = ObjectType.objects.get(slug="photograph")
    photo = ObjectTypeFactory(name="Snapshot", alternative_labels="Snap", added_by_import=True)
    moved = CollectionObjectFactory.create_batch(3, object_type=photo)
    kept = CollectionObjectFactory(object_type="letter")
    draft = moved[0]
    draft.title = "Edited in a draft"
    revision = draft.save_revision()
    announced = []

    def listener(sender, pks, **kwargs):
        announced.append(sorted(pks))

    records_changed.connect(listener)
    try:
        result = object_type_merge(source=photo, target=photograph)
    finally:
        records_changed.disconnect(listener)

    assert sorted(result) == sorted(obj.pk for obj in moved) == announced[0]
    assert not ObjectType.objects.filter(pk=photo.pk).exists()
    assert set(
        CollectionObject.objects.filter(pk__in=result).values_list("object_type", flat=True)
    ) == {photograph.pk}
    assert CollectionObject.objects.get(pk=kept.pk).object_type.slug == "letter"
    photograph.refresh_from_db()
    assert photograph.alternative_label_list == ["Photo", "Snapshot", "Snap"]
    revision.refresh_from_db()
    assert revision.content["object_type"] == photograph.pk
    assert revision.as_object().object_type == photograph
    assert object_type_labels().get("snapshot") is None


@pytest.mark.django_db
def test_a_type_cannot_be_merged_into_itself():
    poster = ObjectType.objects.get(slug="poster")
    with pytest.raises(ValueError):
        object_type_merge(source=poster, target=poster)


@pytest.mark.django_db
def test_staff_merge_a_type_in_two_steps_and_the_history_records_it(superuser_client):
    photograph = ObjectType.objects.get(slug="photograph")
    photo = ObjectTypeFactory(name="Snapshot")
    CollectionObjectFactory.create_batch(2, object_type=photo)

    listing = superuser_client.get(reverse("wagtailsnippets_objects_objecttype:list"))
    assert merge_url(photo) in listing.content.decode()
    edit = superuser_client.get(reverse("wagtailsnippets_objects_objecttype:edit", args=[photo.pk]))
    assert merge_url(photo) in edit.content.decode()

    choose = superuser_client.get(merge_url(photo))
    assert choose.status_code == 200
    html = choose.content.decode()
    assert 'name="into"' in html and "Snapshot</option>" not in html

    invalid = superuser_client.get(merge_url(photo), {"into": photo.pk})
    assert "Select a valid choice" in invalid.content.decode()

    confirm = superuser_client.get(merge_url(photo), {"into": photograph.pk})
    html = " ".join(confirm.content.decode().split())
    assert (
        "This moves 2 objects from <strong>Snapshot</strong> to <strong>Photograph</strong>" in html
    )
    assert ObjectType.objects.filter(pk=photo.pk).exists()  # nothing happens before confirming

    done = superuser_client.post(merge_url(photo), {"into": photograph.pk}, follow=True)
    assert "Merged &#x27;Snapshot&#x27; into &#x27;Photograph&#x27;: 2 objects moved." in (
        done.content.decode()
    )
    assert not ObjectType.objects.filter(pk=photo.pk).exists()
    assert photograph.collection_objects.count() == 2
    entry = ModelLogEntry.objects.get(action="objects.object_type_merge")
    assert entry.object_id == str(photograph.pk)
    assert entry.data == {"merged": "Snapshot", "objects_moved": 2}


@pytest.mark.django_db
def test_collection_editors_add_rename_and_merge_types_but_do_not_delete_them(
    client, django_user_model
):
    editor = django_user_model.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Collection editors"))
    client.force_login(editor)
    photograph = ObjectType.objects.get(slug="photograph")
    photo = ObjectTypeFactory(name="Snapshot")

    assert client.get(reverse("wagtailsnippets_objects_objecttype:add")).status_code == 200
    response = client.post(
        reverse("wagtailsnippets_objects_objecttype:edit", args=[photo.pk]),
        {"name": "Snapshots", "slug": "snapshot", "description": "", "alternative_labels": ""},
    )
    assert response.status_code == 302
    assert client.post(merge_url(photo), {"into": photograph.pk}).status_code == 302
    assert not ObjectType.objects.filter(pk=photo.pk).exists()
    delete = reverse("wagtailsnippets_objects_objecttype:delete", args=[photograph.pk])
    assert client.post(delete).status_code == 302
    assert ObjectType.objects.filter(pk=photograph.pk).exists()


@pytest.mark.django_db
def test_people_without_change_permission_cannot_merge(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    photo = ObjectTypeFactory(name="Snapshot")
    poster = ObjectType.objects.get(slug="poster")

    response = client.post(merge_url(photo), {"into": poster.pk})

    assert response.status_code == 302  # Wagtail sends people it refuses to the dashboard
    assert response["Location"] == reverse("wagtailadmin_home")
    assert ObjectType.objects.filter(pk=photo.pk).exists()


@pytest.mark.django_db
def test_a_renamed_type_shows_its_new_name_and_keeps_its_filter_url(client):
    CollectionObjectFactory(title="Bill for Faust", object_type="poster")
    poster = ObjectType.objects.get(slug="poster")
    poster.name = "Playbill"
    poster.save()

    browse = client.get(reverse("objects:browse"), {"object_type": "poster"}).content.decode()
    assert "Bill for Faust" in browse
    assert "Playbill (1)" in browse
    page = client.get(CollectionObject.objects.get().get_absolute_url()).content.decode()
    assert "Playbill" in page and "?object_type=poster" in page
