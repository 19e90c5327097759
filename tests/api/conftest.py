import pytest

from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    ObjectImageFactory,
    PlaceFactory,
    ProductionFactory,
    SubjectFactory,
)
from tests.objects.pages_support import ready_image

# Values that must never leave the site through any open-data output.
PRIVATE_VALUES = {
    "draft_title": "Unpublished secret poster",
    "draft_maker": "Secret Draft Maker",
    "pending_revision_title": "Title only in an unpublished revision",
    "staff_email": "curator.private@bac.example",
    "original_file": "private-original-scan",
}


@pytest.fixture(autouse=True)
def dump_dir(settings, tmp_path):
    settings.OPENDATA_DUMP_DIR = tmp_path / "opendata"
    settings.API_ANON_RATE = "10000/m"
    return settings.OPENDATA_DUMP_DIR


@pytest.fixture
def archive(django_user_model):
    """Published objects (one with an image), and private things seeded to look for."""
    maker = MakerFactory(name="Kneehigh Theatre", kind="organisation")
    production = ProductionFactory(title="The Red Shoes", date_display="2002")
    subject = SubjectFactory(name="Dance")
    place = PlaceFactory(name="Grand Hall")
    poster = CollectionObjectFactory(
        title="The Red Shoes poster",
        object_type="poster",
        production=production,
        makers=[maker],
        subjects=[subject],
        date_earliest=2002,
        date_latest=2002,
        date_display="2002",
        credit_line="Gift of Kneehigh, 2003",
        rights_uri="https://creativecommons.org/licenses/by/4.0/",
        description="<p>A <b>red</b> shoe on black.</p>",
    )
    poster.places.set([place])
    poster.save()
    image = ObjectImageFactory(
        object=poster,
        alt_text="A red shoe on a black ground",
        image=ready_image(
            file__filename=f"{PRIVATE_VALUES['original_file']}.jpg",
            file__width=700,
            file__height=500,
        ),
    )
    tile = CollectionObjectFactory(
        title="Grand Hall floor tile",
        object_type="building-fragment",
        date_earliest=1893,
        date_latest=1893,
        date_display="1893",
    )
    # Private: a draft object by a maker nobody published yet, a staff account,
    # and an unpublished revision of a live object.
    secret_maker = MakerFactory(name=PRIVATE_VALUES["draft_maker"])
    draft = CollectionObjectFactory(
        title=PRIVATE_VALUES["draft_title"], live=False, makers=[secret_maker]
    )
    staff = django_user_model.objects.create_user(
        "curator", email=PRIVATE_VALUES["staff_email"], password="x-long-password"
    )
    tile.title = PRIVATE_VALUES["pending_revision_title"]
    tile.save_revision(user=staff)
    tile.refresh_from_db()
    return {
        "maker": maker,
        "production": production,
        "subject": subject,
        "place": place,
        "poster": poster,
        "image": image.image,
        "tile": tile,
        "draft": draft,
        "staff": staff,
    }
