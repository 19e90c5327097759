"""Put the open data page (made by api's migration) in the footer's Site links."""

from django.db import migrations


def link_open_data_page(apps, schema_editor):
    OpenDataPage = apps.get_model("api", "OpenDataPage")
    SiteLinks = apps.get_model("pages", "SiteLinks")
    page = OpenDataPage.objects.order_by("path").first()
    if page is not None:
        SiteLinks.objects.filter(open_data_page__isnull=True).update(open_data_page=page)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_create_site_pages"),
        ("api", "0002_create_open_data_page"),
    ]

    operations = [migrations.RunPython(link_open_data_page, migrations.RunPython.noop)]
