"""The share form puts the minimum first (issue: the first five minutes): the memory,
who shares it and their permission; the optional extras wait in a closed disclosure
that opens when it holds something to see. (Its height on a phone is measured in
tests/browser/test_first_five_minutes.py.)"""

import re

import pytest

from tests.factories.objects import CollectionObjectFactory

from .support import form_data

pytestmark = pytest.mark.django_db
SHARE = "/memories/share/"
OPTIONAL = ("when_happened", "photo", "photo_description", "audio", "may_contact")


def disclosure(html: str) -> str:
    start = html.index('<details class="memory-form__more"')
    return html[start : html.index("</details>", start)]


def test_required_fields_come_first_and_the_optional_ones_wait_closed(client):
    html = client.get(SHARE).content.decode()

    extras = disclosure(html)
    assert extras.startswith('<details class="memory-form__more">')  # closed
    for name in OPTIONAL:
        assert f'name="{name}"' in extras, name
    before = html[: html.index('<details class="memory-form__more"')]
    for name in ("text", "display_name", "email", "licence", "consent_publish", "age_group"):
        assert f'name="{name}"' in before, name


def test_no_heading_repeats_the_memory_fields_label(client):
    html = client.get(SHARE).content.decode()

    headings = re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S)
    assert "Your memory" not in [re.sub(r"<[^>]+>", "", h).strip() for h in headings]
    assert '<label for="id_text">Your memory</label>' in html


def test_the_extras_open_when_the_form_comes_back_with_one_filled_in(client):
    html = client.post(SHARE, form_data(text="", when_happened="Spring 1998")).content.decode()

    assert disclosure(html).startswith('<details class="memory-form__more" open>')


def test_the_breadcrumb_keeps_the_object_the_memory_is_about(client):
    obj = CollectionObjectFactory(title="Poster for The Masque")

    html = client.get(f"{SHARE}?object={obj.slug}").content.decode()

    trail = html[
        html.index('<nav class="breadcrumbs"') : html.index("</nav>", html.index("breadcrumbs"))
    ]
    assert f'<a href="{obj.get_absolute_url()}">Poster for The Masque</a>' in trail
    assert '<li aria-current="page">Share a memory</li>' in trail
