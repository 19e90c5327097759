import pytest

from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory


@pytest.mark.django_db
def test_factories_build_a_published_object_with_an_image():
    image = ObjectImageFactory()
    assert image.object.live
    assert image.alt == "A red poster with black lettering"
    assert CollectionObjectFactory(title="Hamlet").slug.endswith("hamlet")
