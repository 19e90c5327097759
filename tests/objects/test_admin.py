import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from objects.models import CollectionObject, Maker, ObjectType, Place, Production, Subject
from tests.factories.objects import CollectionObjectFactory, ProductionFactory

from .pages_support import object_with_image

pytestmark = pytest.mark.django_db

MODELS = [CollectionObject, ObjectType, Maker, Production, Subject, Place]


def admin_url(model, view, *args):
    return reverse(f"wagtailsnippets_objects_{model._meta.model_name}:{view}", args=args)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_listing_and_add_pages_load_for_staff(superuser_client, model):
    assert superuser_client.get(admin_url(model, "list")).status_code == 200
    assert superuser_client.get(admin_url(model, "add")).status_code == 200


def test_object_listing_shows_thumbnail_status_and_filters(
    superuser_client, django_assert_max_num_queries
):
    production = ProductionFactory(title="Faust")
    for _ in range(3):
        object_with_image(title="Faust poster", production=production)
    CollectionObjectFactory(title="Draft letter", live=False)

    response = superuser_client.get(admin_url(CollectionObject, "list"))

    html = response.content.decode()
    assert "Faust poster" in html and "Draft letter" in html
    assert "<picture" in html
    assert "Draft" in html and "Live" in html
    filtered = superuser_client.get(
        admin_url(CollectionObject, "list"),
        {"object_type": ObjectType.objects.get(slug="poster").pk, "live": "true"},
    )
    assert "Draft letter" not in filtered.content.decode()
    searched = superuser_client.get(admin_url(CollectionObject, "list"), {"q": "letter"})
    assert "Draft letter" in searched.content.decode()
    assert "Faust poster" not in searched.content.decode()


def test_object_edit_inspect_copy_and_history_pages_load(superuser_client):
    obj = object_with_image()

    for view in ("edit", "inspect", "copy", "history"):
        response = superuser_client.get(admin_url(CollectionObject, view, obj.pk))
        assert response.status_code == 200, view
    assert (
        obj.accession_number
        in superuser_client.get(admin_url(CollectionObject, "inspect", obj.pk)).content.decode()
    )


@pytest.mark.parametrize("model", MODELS)
def test_anonymous_visitors_are_sent_to_log_in(client, model):
    response = client.get(admin_url(model, "list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_collection_editors_can_catalogue_and_publish_but_not_delete(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Collection editors"))
    client.force_login(editor)
    obj = CollectionObjectFactory()

    assert client.get(admin_url(CollectionObject, "edit", obj.pk)).status_code == 200
    assert client.get(admin_url(Maker, "add")).status_code == 200
    assert editor.has_perm("objects.publish_collectionobject")
    assert editor.has_perm("wagtailimages.add_image") is False  # granted per collection
    assert client.get(reverse("wagtailimages:add")).status_code == 200
    assert client.get(admin_url(CollectionObject, "delete", obj.pk)).status_code == 302
    assert CollectionObject.objects.filter(pk=obj.pk).exists()
