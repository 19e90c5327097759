"""The four site pages under the home page, with their first wording, and the Site
links setting that puts them in the footer. Staff edit both in the admin afterwards."""

import datetime

from django.db import migrations
from django.utils import timezone

REVIEWED = datetime.date(2026, 11, 29)

ABOUT = {
    "title": "About the archive",
    "slug": "about",
    "introduction": (
        "Battersea Arts Centre's archive, online: the posters, programmes, photographs, letters "
        "and pieces of the building that record what has happened here."
    ),
    "body": """
<p>Battersea Arts Centre (BAC) makes its home in the old Battersea Town Hall on Lavender Hill.
It has kept the traces of the shows made and seen here: posters, programmes and flyers,
production photographs, letters and scripts, costume and set pieces, and fragments of the
building itself, including what survived the fire of 2015 that destroyed the Grand Hall.</p>
<p>The archive holds more than 10,000 objects, and most of them are in storage with few chances
to be seen. This site puts them online so that anyone can look through them, remember the shows
they belong to and add to their story.</p>
<h2>What you can do here</h2>
<ul>
<li>Browse by kind of object and by decade, or follow a production, a company or a person from one object to the next.</li>
<li>Search, even if you only half remember the name of a show: the search allows for misspellings.</li>
<li>Try “Never seen before” to open an object that few people have looked at.</li>
<li>Share what you remember of a show or of the building. Every memory is read by a member of staff or a volunteer before it appears.</li>
<li>Reuse the catalogue. The data is shared openly, and each object's page says what you may do with its images.</li>
</ul>
<h2>Sample records</h2>
<p>While the archive is being catalogued, some records on this site are samples taken from Tate's
openly licensed collection data and other open sources, to show how the site works. They are
marked “Sample record” and are not objects in Battersea Arts Centre's archive.</p>
<h2>Know more than we do?</h2>
<p>Many records were made from short lists and labels. If you know more about an object, a show or
a photograph, or you spot a mistake, please {contact}.</p>
""",
}

CONTACT = {
    "title": "Contact",
    "slug": "contact",
    "introduction": "How to reach the people who look after the archive.",
    "body": """
<h2>Questions about the archive</h2>
<p>If you have a question about an object, know more about a show or a photograph than its record
says, have spotted a mistake, or would like to reuse an image, write to the archive team at:</p>
<p>Archive, Battersea Arts Centre<br/>Lavender Hill<br/>London SW11 5TN</p>
<p>Please include the address of the object's page (the link at the top of your browser) so we
can find the record you mean.</p>
<h2>Memories you have shared</h2>
<p>To change, download or withdraw a memory you shared on this site, use the private link in the
email we sent you when you shared it. If you have lost that email, the memory form can send a new
link to the same email address.</p>
<h2>Problems using this website</h2>
<p>If something on this site is hard or impossible to use, please tell us how, as described in
the {accessibility}.</p>
<h2>Tickets, visits and everything else</h2>
<p>For shows, tickets, hiring a space and visiting the building, see Battersea Arts Centre's main
website, <a href="https://bac.org.uk/">bac.org.uk</a>.</p>
""",
}

PRIVACY = {
    "title": "Privacy notice",
    "slug": "privacy",
    "introduction": "What this website does with information about you, which is as little as it can.",
    "body": """
<p>This notice covers the BAC Collection website, Battersea Arts Centre's online archive. Battersea
Arts Centre is responsible for the personal information described here. To ask about it, or to use
any of your rights, {contact}.</p>
<h2>Browsing and searching</h2>
<p>You can browse and search the archive without an account and without cookies. The site sets no
cookies for visitors, uses no analytics or advertising trackers, and loads no fonts, scripts or
images from other companies' servers, so they learn nothing about your visit from it.</p>
<p>Like almost every website, the servers that run this one record each request in technical logs:
the address asked for (which includes what you searched for), the time, your IP address and the
kind of browser you use. We use these logs only to keep the site working and secure, for example
to slow down automated abuse, and never to build a picture of any visitor.</p>
<p>We count how many times each object's page is viewed, so the site can show people objects that
few have seen. The count is a number for each object; it says nothing about who looked.</p>
<h2>Sharing a memory</h2>
<p>If you share a memory, we ask for the memory itself and, if you choose, a photograph or a short
sound recording; when it happened; the name to show with it (or none); your email address; your
connection to Battersea Arts Centre; and your age, because children under 13 need a parent or
guardian to agree. We use this to:</p>
<ul>
<li>publish your memory, with the name you chose and under the licence you chose, once a moderator has read it;</li>
<li>email you a private link through which you can see, change, download or withdraw what you gave us;</li>
<li>tell you if your memory could not be published, and why;</li>
<li>contact you about your memory, only if you said we may.</li>
</ul>
<p>Your email address is never shown on the site and is kept apart from the published memory.
Hidden information in photographs and recordings, such as where a photograph was taken, is removed
before anything is published. Moderators may remove personal details, such as a phone number,
from the text of a memory, and a record is kept of that change.</p>
<p>We use this information because you agreed to it. You can withdraw your agreement at any time
through your private link: your memory then disappears from the site and its search, its photograph
and recording are deleted, and all we keep is a note, without any of its content, that a memory was
withdrawn and when. Memories gathered in person, for example at a reminiscence session, are entered
by staff with a record of how the contributor agreed.</p>
<h2>Staff and volunteers</h2>
<p>People who look after the archive sign in to edit it. Signing in sets the cookies needed to keep
them signed in and to protect their forms, and only for them.</p>
<h2>Who else sees your information</h2>
<p>We do not sell or share personal information. Companies that host the site or send its email
for us may handle it on our behalf, only as we instruct. Published memories are public, like the
rest of the site; memories shared under the Creative Commons Attribution licence (CC BY 4.0) may be
reused by anyone who credits them.</p>
<h2>Your rights</h2>
<p>Under UK data protection law you can ask for a copy of the personal information we hold about
you, ask us to correct or delete it, and object to how we use it. If you shared a memory you can do
most of this yourself through your private link, including downloading everything you gave us as a
file. If you are unhappy with how we have handled your information, please tell us first; you can
also complain to the Information Commissioner's Office at <a href="https://ico.org.uk/">ico.org.uk</a>.</p>
<h2>Changes to this notice</h2>
<p>If what the site does with personal information changes, this notice changes first, with a new
date below. Each memory records which version of the consent wording it was shared under.</p>
""",
}

ACCESSIBILITY = {
    "title": "Accessibility statement",
    "slug": "accessibility",
    "introduction": (
        "We want everyone to be able to use this archive, whatever device or assistive "
        "technology they use. This is how accessible it is, and how to tell us when it is not."
    ),
    "body": """
<p>This statement covers the BAC Collection website. We aim to meet the Web Content Accessibility
Guidelines (WCAG) 2.2 at level AA.</p>
<h2>What you should be able to do</h2>
<ul>
<li>use every part of the site with a keyboard alone, with a clearly visible focus and a link to skip to the main content;</li>
<li>use it with a screen reader: images have text descriptions, pages have headings and landmarks, and form fields have labels, with any error shown next to the field it concerns;</li>
<li>zoom in, or use a small phone screen, without text being cut off or needing to scroll sideways;</li>
<li>browse, filter and search with JavaScript switched off;</li>
<li>read text that contrasts with its background by at least 4.5 to 1;</li>
<li>choose to hide images that come with a content warning until you decide to see them.</li>
</ul>
<h2>How we check</h2>
<p>Every change to the site is tested in a real web browser before it goes live. Each kind of page,
including error pages, is checked with the axe-core accessibility checker against WCAG 2.2 AA, and
journeys through the site (from the home page, through a search with a misspelling, to an object
and sharing it) are made with the keyboard alone and on a phone-sized screen. Automated checks do
not find every problem, so we also welcome reports from the people who use the site.</p>
<h2>Known limitations</h2>
<ul>
<li>Many objects are scans of posters, programmes and letters. Their descriptions do not always give all of the text in the image. If you need the text of an object, ask us.</li>
<li>Documents attached to some records, such as PDFs, may not be fully accessible.</li>
<li>Records made from older lists can have very short descriptions.</li>
<li>Sound recordings shared as memories may not have a transcript until staff have added one.</li>
</ul>
<h2>Reporting a problem</h2>
<p>If you find something on this site hard or impossible to use, or you need information from it in
a different format, please {contact}. It helps us to know the address of the page, what you were
trying to do, and, if you know, the device, browser or assistive technology you use. We will reply
and tell you what we will do about it.</p>
""",
}


def _page_link(page, text):
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def _child_path(Page, parent):
    """The next free treebeard path below `parent` (4-character base-36 steps)."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .first()
    )
    number = int(last.path[-4:], 36) + 1 if last else 1
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    step = ""
    while number:
        number, remainder = divmod(number, 36)
        step = digits[remainder] + step
    return parent.path + step.rjust(4, "0")


def create_site_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    SitePage = apps.get_model("pages.SitePage")
    SiteLinks = apps.get_model("pages.SiteLinks")

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    home = site.root_page
    content_type, _ = ContentType.objects.get_or_create(app_label="pages", model="sitepage")
    now = timezone.now()
    pages = {}
    for key, spec in (
        ("about", ABOUT),
        ("contact", CONTACT),
        ("privacy", PRIVACY),
        ("accessibility", ACCESSIBILITY),
    ):
        pages[key] = SitePage.objects.create(
            title=spec["title"],
            draft_title=spec["title"],
            slug=spec["slug"],
            introduction=spec["introduction"],
            body=spec["body"].strip(),
            last_reviewed=REVIEWED,
            content_type=content_type,
            path=_child_path(Page, home),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{spec['slug']}/",
            live=True,
            show_in_menus=True,
            first_published_at=now,
            last_published_at=now,
            locale_id=home.locale_id,
        )
        home.numchild += 1
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild)

    # The pages mention each other: link them once they all exist.
    words = {
        "contact": _page_link(pages["contact"], "write to us (see the contact page)"),
        "accessibility": _page_link(pages["accessibility"], "accessibility statement"),
    }
    for page in pages.values():
        page.body = page.body.format(**words)
        page.save(update_fields=["body"])

    SiteLinks.objects.update_or_create(
        site=site,
        defaults={
            "about_page_id": pages["about"].pk,
            "contact_page_id": pages["contact"].pk,
            "privacy_page_id": pages["privacy"].pk,
            "accessibility_page_id": pages["accessibility"].pk,
        },
    )


def remove_site_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    SitePage = apps.get_model("pages.SitePage")
    for page in SitePage.objects.filter(slug__in=["about", "contact", "privacy", "accessibility"]):
        parent = Page.objects.get(path=page.path[:-4])
        page.delete()
        Page.objects.filter(pk=parent.pk).update(numchild=max(parent.numchild - 1, 0))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(create_site_pages, remove_site_pages)]
