"""The site pages: created by migration, in the footer, with breadcrumbs and sharing tags."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from pages.links import site_page_url
from pages.models import SiteLinks, SitePage
from tests.factories.objects import CollectionObjectFactory
from tests.factories.pages import SitePageFactory

pytestmark = pytest.mark.django_db

SITE_PAGES = {
    "/about/": "About the archive",
    "/contact/": "Contact",
    "/privacy/": "Privacy notice",
    "/accessibility/": "Accessibility statement",
}


@pytest.mark.parametrize(("url", "title"), SITE_PAGES.items())
def test_the_site_pages_exist_with_real_wording(client, url, title):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 id="page-title">{title}</h1>' in html
    assert "lorem" not in html.lower() and "todo" not in html.lower()
    assert "Last reviewed on" in html


def test_the_accessibility_statement_names_the_standard_and_how_to_report_a_problem(client):
    html = client.get("/accessibility/").content.decode()

    assert "WCAG" in html and "2.2" in html and "level AA" in html
    assert "Reporting a problem" in html
    assert 'href="/contact/"' in html


def test_the_privacy_notice_says_what_happens_to_data_and_that_no_cookies_are_set(client):
    html = client.get("/privacy/").content.decode()

    assert "no\ncookies for visitors" in html or "no cookies for visitors" in html.replace(
        "\n", " "
    )
    assert "Sharing a memory" in html
    assert "Your rights" in html


def test_every_page_has_the_footer_links_in_order(client):
    obj = CollectionObjectFactory()
    for url in ["/", reverse("objects:browse"), obj.get_absolute_url(), "/about/"]:
        html = client.get(url).content.decode()
        footer = html[html.index('<nav class="footer-nav"') :]
        positions = [
            footer.index(f">{label}<")
            for label in ["About the archive", "Contact", "Privacy notice", "Accessibility"]
        ]
        assert positions == sorted(positions), url
        assert footer.index(">Open data<") > positions[-1], "the open data page joins last"


def test_site_page_url_follows_the_setting_and_hides_unpublished_pages(rf):
    request = rf.get("/")
    assert site_page_url("privacy", request=request) == "/privacy/"
    assert site_page_url("privacy", request=request, absolute=True) == "http://testserver/privacy/"
    assert site_page_url("privacy", absolute=True).endswith("/privacy/")
    assert site_page_url("open_data") == "/open-data/", "found by its page type"

    SitePage.objects.get(slug="privacy").unpublish()

    assert site_page_url("privacy") is None


def test_a_page_chosen_in_the_setting_joins_the_footer(client):
    home = Site.objects.get(is_default_site=True).root_page
    open_data = SitePageFactory(parent=home, title="Reusing the data", slug="reuse")
    links = SiteLinks.for_site(Site.objects.get(is_default_site=True))
    links.open_data_page = open_data
    links.save()

    assert site_page_url("open_data") == "/reuse/", "the setting wins over the page type"
    assert 'href="/reuse/"' in client.get("/about/").content.decode()


def test_a_page_type_can_declare_its_part_without_the_setting():
    from api.models import OpenDataPage

    assert OpenDataPage.site_link == "open_data"
    assert site_page_url("open_data") == OpenDataPage.objects.get().url

    OpenDataPage.objects.get().unpublish()

    assert site_page_url("open_data") is None


def test_unknown_keys_are_refused():
    with pytest.raises(ValueError, match="Unknown site link"):
        site_page_url("privacy-notice")


def test_site_pages_have_breadcrumbs_canonical_and_sharing_tags(client):
    about = Page.objects.get(slug="about")
    child = SitePageFactory(parent=about, title="Reading room", slug="reading-room")

    html = client.get(child.url).content.decode()

    crumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index(
            "</nav>", html.index('aria-label="Breadcrumb"')
        )
    ]
    assert '<a href="/">Home</a>' in crumbs
    assert '<a href="/about/">About the archive</a>' in crumbs
    assert '<li aria-current="page">Reading room</li>' in crumbs
    assert '<link rel="canonical" href="http://testserver/about/reading-room/">' in html
    assert '<meta property="og:title" content="Reading room">' in html
    assert (
        '<meta property="og:description" content="When you can come and look at the archive.">'
        in html
    )
    assert '<meta name="twitter:card" content="summary">' in html


def test_site_pages_can_only_live_under_home_or_another_site_page():
    assert SitePage.parent_page_types == ["home.HomePage", "pages.SitePage"]
    assert "pages.SitePage" in SitePage.subpage_types


def test_the_main_navigation_leads_to_stories_and_memories(client):
    nav = client.get("/about/").content.decode().split('aria-label="Main"')[1].split("</nav>")[0]
    assert 'href="/stories/"' in nav
    assert f'href="{reverse("memories:list")}"' in nav

    stories_nav = client.get("/stories/").content.decode().split('aria-label="Main"')[1]
    assert 'href="/stories/" aria-current="page"' in stories_nav.split("</nav>")[0]
    assert client.get("/stories/").status_code == 200
