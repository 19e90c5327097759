"""The privacy notice says what the impact counting counts (impact/counting.py).

Only a notice still worded as pages/migrations/0002 wrote it is changed: its
"Browsing and searching" section loses "uses no analytics" (the site now counts its
own visits) and gains "How we count visits", and the review date moves. A notice
staff have reworded is left alone: the Impact area then warns that the notice does
not describe the counting, and docs/impact.md has the section to add by hand.
The page's latest revision (what the editor opens) gets the same change, so the
next publish keeps it.
"""

import datetime

from django.db import migrations

REVIEWED = datetime.date(2026, 12, 6)

NO_ANALYTICS = "uses no analytics or advertising trackers"
NO_THIRD_PARTY_ANALYTICS = "uses no analytics or advertising trackers from other companies"

ORIGINAL_COUNT_PARAGRAPH = """<p>We count how many times each object's page is viewed, so the site can show people objects that
few have seen. The count is a number for each object; it says nothing about who looked.</p>"""

COUNTING_SECTION = """<p>We count how many times each object's page is viewed, so the site can show people objects that
few have seen. The count is a number for each object; it says nothing about who looked.</p>
<h2>How we count visits</h2>
<p>To show Battersea Arts Centre, and the people who fund it, how the archive online is used, the
site counts its own visits. It does this itself, without cookies and without any other company,
and keeps only totals for each day:</p>
<ul>
<li>how many pages were viewed, and of which kind (objects, stories, memories, search, the open data page, others); on which kind of device (phone, tablet or computer, worked out from the description your browser sends); and from which website a visitor followed a link (its name only, such as example.org, never the address of the page);</li>
<li>roughly how many different visitors came each day. To tell visitors apart within a day without knowing who they are, the site mixes your IP address and browser description with a random value that is replaced every day, and adds the result to a statistical summary from which it cannot be read back. The random value is deleted at midnight: after that nobody, us included, can tell whether you visited;</li>
<li>what people searched for, in lower case, and whether the search found anything. A search is kept only if the same words were searched at least three times that day; rarer searches, which might be someone's name, are deleted without ever being recorded;</li>
<li>which objects were looked at for the first time;</li>
<li>how often the open data is reused: requests to the API, downloads of the data files and IIIF manifests, with the website they came from or the name of the software that made them (such as python-requests).</li>
</ul>
<p>Your IP address and browser description are never stored for this counting, and nothing at all
is counted when your browser sends a “Do Not Track” or Global Privacy Control signal. Automated
visitors, such as search engine crawlers, are not counted as visits. The daily totals are kept
indefinitely; nothing more detailed is kept. A page on this site, “The archive in numbers”, shows
some of them.</p>"""


def _reworded(body: str) -> str | None:
    """The notice with the counting described, or None if it is no longer the original."""
    if NO_ANALYTICS not in body or ORIGINAL_COUNT_PARAGRAPH not in body:
        return None
    return body.replace(NO_ANALYTICS, NO_THIRD_PARTY_ANALYTICS, 1).replace(
        ORIGINAL_COUNT_PARAGRAPH, COUNTING_SECTION, 1
    )


def forwards(apps, schema_editor):
    SitePage = apps.get_model("pages", "SitePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    privacy_ids = apps.get_model("pages", "SiteLinks").objects.values_list(
        "privacy_page_id", flat=True
    )
    for page in SitePage.objects.filter(pk__in=[pk for pk in privacy_ids if pk]):
        body = _reworded(page.body)
        if body is None:
            continue
        SitePage.objects.filter(pk=page.pk).update(body=body, last_reviewed=REVIEWED)
        revision = Revision.objects.filter(pk=page.latest_revision_id).first()
        if revision is not None and _reworded(revision.content.get("body", "")) is not None:
            revision.content["body"] = _reworded(revision.content["body"])
            revision.content["last_reviewed"] = REVIEWED.isoformat()
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0002_impact_viewers"),
        ("pages", "0005_least_privilege"),
        ("wagtailcore", "0098_apitoken"),
    ]

    # Nothing to undo: the original wording is no longer true once counting runs.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
