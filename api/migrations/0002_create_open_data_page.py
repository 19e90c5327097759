"""Create the Open data page under the home page, so a new site has one to edit.

Historical models have no tree methods, so the page's materialised path is
worked out here as treebeard would (four base-36 digits per level).
"""

from django.db import migrations
from django.db.models import F

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4

INTRODUCTION = (
    "<p>The published catalogue of Battersea Arts Centre's archive is open for anyone to "
    "reuse: researchers, teachers, developers and other collections. No account or key is "
    "needed.</p>"
)
LICENCES = (
    "<p>The catalogue metadata (titles, dates, makers, descriptions) is dedicated to the "
    "public domain under CC0 1.0: use it for any purpose, without asking. A credit to "
    "Battersea Arts Centre is appreciated.</p><p>Images are different: each record gives "
    "the rights statement for its object and images (rights_uri). Check it before reusing "
    "an image.</p>"
)
FORMATS = (
    "<ul><li>Bulk downloads, rebuilt every night: CSV (opens in any spreadsheet) and JSON "
    "Lines (one JSON record per line), gzipped, with a manifest giving record counts and "
    "SHA-256 checksums.</li><li>A JSON API with filters, search and cursor paging, "
    "described by an OpenAPI document.</li><li>IIIF manifests for every object with images, "
    "for IIIF viewers and tools.</li><li>JSON-LD for every object (schema.org and Linked "
    "Art): add .jsonld to an object's address.</li></ul>"
)


def _path(parent_path: str, number: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, 36)
        digits = ALPHABET[remainder] + digits
    return parent_path + digits.rjust(STEP, "0")


def create_open_data_page(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    OpenDataPage = apps.get_model("api.OpenDataPage")
    ContentType = apps.get_model("contenttypes.ContentType")
    home = Page.objects.filter(
        depth=2, content_type__app_label="home", content_type__model="homepage"
    ).first()
    if home is None or OpenDataPage.objects.exists():
        return
    if Page.objects.filter(path__startswith=home.path, depth=3, slug="open-data").exists():
        return
    last_child = (
        Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
        .order_by("-path")
        .first()
    )
    number = int(last_child.path[-STEP:], 36) + 1 if last_child else 1
    content_type, _ = ContentType.objects.get_or_create(app_label="api", model="opendatapage")
    OpenDataPage.objects.create(
        title="Open data",
        draft_title="Open data",
        slug="open-data",
        content_type=content_type,
        path=_path(home.path, number),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}open-data/",
        locale_id=home.locale_id,
        live=True,
        introduction=INTRODUCTION,
        licences=LICENCES,
        formats=FORMATS,
    )
    Page.objects.filter(pk=home.pk).update(numchild=F("numchild") + 1)


def remove_open_data_page(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    OpenDataPage = apps.get_model("api.OpenDataPage")
    for page in OpenDataPage.objects.all():
        parent_path = page.path[:-STEP]
        page.delete()
        Page.objects.filter(path=parent_path).update(numchild=F("numchild") - 1)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_open_data_page"),
        ("home", "0003_featured_stories_and_objects"),
    ]

    operations = [migrations.RunPython(create_open_data_page, remove_open_data_page)]
