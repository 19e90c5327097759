"""A production journey over HTTP, against the stack scripts/production_journey.sh boots.

    production_journey.py BASE_URL

A visitor browses and searches; a contributor shares a memory with a photo; the
worker processes the photo; a moderator approves the memory in the admin, and
visitors then see it on the object page and find it in the search; an editor
publishes a story in the admin, which shows as "Featured in" on its object's
page once the worker has updated Wagtail's reference index. Each step prints
one line with its time; the first to fail exits 1 saying what it expected and
what it got.

Environment: JOURNEY_MODERATOR_PASSWORD and JOURNEY_EDITOR_PASSWORD (users
journey-moderator and journey-editor); OPENSEARCH_URL and SEARCH_INDEX_PREFIX
when the engine answers searches.
"""

import html
import io
import json
import os
import random
import re
import string
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import requests
from altcha import Challenge, Payload, solve_challenge
from bs4 import BeautifulSoup
from PIL import Image
from requests.adapters import HTTPAdapter

WAIT_SECONDS = 60
GPS_IFD = 0x8825
ONE_YEAR = 365 * 24 * 60 * 60
OBJECT_LINK = re.compile(r'href="(/collection/objects/[a-z0-9-]+/)"')
HASHED_STATIC = re.compile(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"')
MEDIA_IMAGE = re.compile(r'src="(/media/images/[^"]+)"')


class JourneyFailed(Exception):
    pass


def expect(condition, expected, got):
    if not condition:
        raise JourneyFailed(f"expected {expected}; got {got}")


class TlsProxy(HTTPAdapter):
    """Stands in for the TLS proxy in front of production: a request for
    https://host:port/ reaches the site at http://host:port/ with
    X-Forwarded-Proto: https, which the site trusts (SECURE_PROXY_SSL_HEADER).
    The client thus keeps and sends Secure cookies, and sends the https Origin
    and Referer that CSRF checks, as a browser on the real address does."""

    def send(self, request, **kwargs):
        forwarded = request.copy()
        forwarded.url = "http://" + request.url.removeprefix("https://")
        forwarded.headers["X-Forwarded-Proto"] = "https"
        return super().send(forwarded, **kwargs)


class Client:
    """One person's browser on the site's https address, with its own cookies."""

    def __init__(self, base_url):
        self.origin = "https://" + urlsplit(base_url).netloc
        self.session = requests.Session()
        self.session.mount(self.origin + "/", TlsProxy())
        self.session.headers["User-Agent"] = "bac-production-journey"

    def get(self, path, *, status=200, **kwargs):
        response = self.session.get(self.origin + path, allow_redirects=False, **kwargs)
        expect(response.status_code == status, f"GET {path} to answer {status}", _said(response))
        return response

    def post(self, path, data, *, status=302, files=None):
        """A form sent from `path` itself, as a browser sends it (CSRF token, Origin)."""
        data = {"csrfmiddlewaretoken": self.csrf_token(), **data}
        headers = {"Origin": self.origin, "Referer": self.origin + path}
        response = self.session.post(
            self.origin + path, data=data, files=files, headers=headers, allow_redirects=False
        )
        expect(response.status_code == status, f"POST {path} to answer {status}", _said(response))
        return response

    def sign_in(self, username, password):
        """The Wagtail admin's sign-in form."""
        self.get("/admin/login/")
        signed_in = self.post(
            "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
        )
        expect(signed_in.headers["Location"] == "/admin/", "to land on /admin/", _said(signed_in))
        return self

    def csrf_token(self):
        token = self.session.cookies.get("csrftoken")
        expect(token, "a csrftoken cookie from the form's page", dict(self.session.cookies))
        return token


def _said(response):
    """The status, where it leads, and the error messages on the page, if any."""
    said = f"{response.status_code} {response.headers.get('Location', '')}"
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return said
    errors = soup(response).select(
        ".error-message, .error-summary, .field__error, .w-field__errors"
    )
    if errors:
        return said + " " + " | ".join(e.get_text(" ", strip=True) for e in errors)[:1000]
    return said + " " + " ".join(soup(response).get_text(" ", strip=True).split())[:300]


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def wait_until(what, check, *, seconds=WAIT_SECONDS):
    """check()'s first truthy answer, asked again until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise JourneyFailed(f"expected {what} within {seconds} s; it never happened")
        time.sleep(0.25)


def jpeg_with_gps():
    """A phone photo: EXIF with the camera and the place it was taken."""
    exif = Image.Exif()
    exif[0x0110] = "Journey Phone"
    exif[GPS_IFD] = {1: "N", 2: (51.0, 28.0, 30.0), 3: "W", 4: (0.0, 9.0, 50.0)}
    image = Image.linear_gradient("L").resize((1200, 800)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif.tobytes())
    return buffer.getvalue()


class SearchEngine:
    """How many searches the engine's indexes for this run have answered."""

    def __init__(self, url):
        self.url = url
        self.indexes = os.environ.get("SEARCH_INDEX_PREFIX", "bac") + "-*"

    def queries(self):
        stats = requests.get(f"{self.url}/{self.indexes}/_stats/search", timeout=5).json()
        return stats["_all"]["total"]["search"]["query_total"]


class Journey:
    def __init__(self, base_url):
        self.base_url = base_url
        self.visitor = Client(base_url)
        engine_url = os.environ.get("OPENSEARCH_URL")
        self.engine = SearchEngine(engine_url) if engine_url else None
        self.word = "zq" + "".join(random.choices(string.ascii_lowercase, k=8))  # noqa: S311
        self.memory_text = (
            f"I queued for the {self.word} show in the rain and sat in the red seats at the back."
        )

    def run(self):
        started = time.monotonic()
        steps = [
            self.healthz,
            self.home_and_static,
            self.browse_and_object,
            self.search_the_collection,
            self.share_memory,
            self.moderator_signs_in,
            self.photo_processed,
            self.moderator_approves,
            self.memory_on_object_page,
            self.memory_found_by_search,
            self.story_featured_in,
        ]
        for step in steps:
            step_started = time.monotonic()
            try:
                said = step()
            except (JourneyFailed, requests.RequestException) as exc:
                print(f"FAIL {step.__name__}: {exc}", flush=True)
                return 1
            print(f"{time.monotonic() - step_started:6.2f} s  {step.__name__}: {said}", flush=True)
        print(f"{time.monotonic() - started:6.2f} s  production journey passed", flush=True)
        return 0

    # -- visitors ------------------------------------------------------------
    def healthz(self):
        health = self.visitor.get("/healthz").json()
        services = health["services"]
        expect(health["status"] == "ok", "status ok", health)
        for name in ("database", "cache", "broker"):
            expect(services[name]["status"] == "ok", f"{name} ok", services[name])
        expect(services["broker"].get("mode") == "broker", "a real broker", services["broker"])
        backend = "opensearch" if self.engine else "database"
        search = services["search"]
        expect(search.get("backend") == backend, f"search backend {backend}", search)
        expect(search["status"] == "ok", "search ok", search)
        return f"ok; search answered by {backend}"

    def home_and_static(self):
        page = self.visitor.get("/")
        found = HASHED_STATIC.findall(page.text)
        expect(found, "hashed /static/ URLs in the home page", page.text[:500])
        static = self.visitor.get(found[0])
        cache_control = static.headers.get("Cache-Control", "")
        max_age = re.search(r"max-age=(\d+)", cache_control)
        expect(
            max_age and int(max_age.group(1)) >= ONE_YEAR and "immutable" in cache_control,
            f"{found[0]} cached for a year, immutable",
            cache_control,
        )
        return f"home, {found[0]} ({cache_control})"

    def browse_and_object(self):
        browse = self.visitor.get("/collection/")
        links = list(dict.fromkeys(OBJECT_LINK.findall(browse.text)))
        expect(len(links) >= 2, "two or more objects listed on /collection/", links)
        self.object_url = links[0]
        page = self.visitor.get(self.object_url)
        self.object_title = soup(page).h1.get_text(" ", strip=True)
        # Served again from the page cache (Redis); asked until then, because the
        # worker may still be finishing the build's images, and every image it
        # finishes rightly makes cached pages stale.
        wait_until(
            "the object page served from the page cache",
            lambda: self.visitor.get(self.object_url).headers.get("X-Page-Cache") == "hit",
        )
        expect(
            not self.visitor.session.cookies,
            "no cookies while browsing",
            self.visitor.session.cookies,
        )
        self.other_objects = links[1:]
        return f"{self.object_url} “{self.object_title}”, then served from the page cache"

    def search(self, query):
        """The search page for `query`, and whether the engine answered it."""
        before = self.engine.queries() if self.engine else None
        page = self.visitor.get("/search/", params={"q": query})
        expect(
            "simpler mode" not in page.text, "no database fallback notice", "the fallback notice"
        )
        if self.engine and page.headers.get("X-Page-Cache") != "hit":
            after = self.engine.queries()
            expect(
                after > before, "the engine to answer the search", f"query_total {before} → {after}"
            )
        return page

    def search_the_collection(self):
        page = self.search(self.object_title)
        hits = [a["href"] for a in soup(page).select(".search-hit__title a")]
        expect(self.object_url in hits, f"{self.object_url} among the results", hits[:10])
        by = "the engine" if self.engine else "the database"
        return f"“{self.object_title}”: {len(hits)} hits on the first page, answered by {by}"

    # -- a contributor shares a memory ----------------------------------------------
    def share_memory(self):
        self.contributor = Client(self.base_url)
        slug = self.object_url.rstrip("/").rsplit("/", 1)[1]
        share_path = f"/memories/share/?object={slug}"
        form = soup(self.contributor.get(share_path))
        challenge = Challenge.from_dict(
            json.loads(html.unescape(form.find("altcha-widget")["challenge"]))
        )
        solution = solve_challenge(challenge, timeout=30)
        expect(solution, "the ALTCHA proof of work solved", None)
        fields = {
            "text": self.memory_text,
            "when_happened": "Winter 1998",
            "relationship": "audience",
            "display_name": "Journey Tester",
            "email": "journey@example.org",
            "age_group": "13-or-over",
            "licence": "cc-by-4.0",
            "consent_publish": "on",
            "photo_description": "The queue outside in the rain",
            "website": "",
            "started": form.find("input", {"name": "started"})["value"],
            "idempotency_key": form.find("input", {"name": "idempotency_key"})["value"],
            "altcha": Payload(challenge, solution).to_base64(),
        }
        photo = {"photo": ("queue.jpg", jpeg_with_gps(), "image/jpeg")}
        sent = self.contributor.post(share_path, fields, files=photo)
        thanks_path = sent.headers["Location"]
        expect(thanks_path.startswith("/memories/thank-you/"), "the thank-you page", thanks_path)
        thanks = self.contributor.get(thanks_path)
        expect("Thank you for your memory" in thanks.text, "thanks", thanks.text[:300])
        return f"sent with a GPS-tagged JPEG and a solved ALTCHA; {thanks_path[:40]}…"

    # -- a moderator ---------------------------------------------------------------
    def moderator_signs_in(self):
        self.moderator = Client(self.base_url).sign_in(
            "journey-moderator", os.environ["JOURNEY_MODERATOR_PASSWORD"]
        )
        dashboard = self.moderator.get("/admin/")
        expect("1 memory is waiting for review" in dashboard.text, "one memory waiting", "not so")
        queue = soup(self.moderator.get("/admin/memories/memory/?status=pending"))
        review = [
            a["href"]
            for a in queue.find_all("a", href=re.compile(r"^/admin/memories/review/\d+/$"))
        ]
        expect(len(review) == 1, "one Review link in the queue", review)
        self.review_path = review[0]
        return f"journey-moderator signed in; {self.review_path}"

    def photo_processed(self):
        def rendition():
            page = self.moderator.get(self.review_path)
            found = MEDIA_IMAGE.findall(page.text)
            return found and (found[0], page)

        started = time.monotonic()
        src, page = wait_until("the photo's renditions on the review page", rendition)
        waited = time.monotonic() - started
        expect(self.word in page.text, "the memory under review", page.text[:300])
        expect("Unverified" not in page.text, "the memory verified by ALTCHA", "Unverified")
        self.visitor.get(src, status=404)
        preview = self.moderator.get(src)
        expect(
            "no-store" in preview.headers.get("Cache-Control", ""),
            "a private, unstored preview for the moderator",
            preview.headers.get("Cache-Control"),
        )
        return f"ready after {waited:.1f} s; {src} hidden from the public until approved"

    def moderator_approves(self):
        approved = self.moderator.post(self.review_path, {"action": "approve"})
        queue = self.moderator.get(approved.headers["Location"])
        expect("Memory approved" in queue.text, "the approval message", queue.text[:300])
        return "approved through the review page"

    # -- everyone sees it --------------------------------------------------------------
    def memory_on_object_page(self):
        page = self.visitor.get(self.object_url)
        expect(
            self.word in page.text,
            "the memory on the object page",
            page.headers.get("X-Page-Cache"),
        )
        card = next(
            (card for card in soup(page).select(".memory-card") if self.word in card.get_text()),
            None,
        )
        img = card and card.select_one(".memory-card__photo img")
        expect(img is not None, "the memory's photo on the object page", card)
        photo = self.visitor.get(img["src"])
        expect(
            photo.headers["Content-Type"].startswith("image/"),
            "an image",
            photo.headers["Content-Type"],
        )
        served = Image.open(io.BytesIO(photo.content))
        gps = served.getexif().get_ifd(GPS_IFD)
        expect(not gps, "no GPS in the served photo", gps)
        self.memory_url = card.select_one('a[href*="/report/"]')["href"].removesuffix("report/")
        return f"on {self.object_url} with {img['src']} ({served.format}, no GPS)"

    def memory_found_by_search(self):
        """Indexing runs on the worker after the approval: asked until it shows. Each
        answer says whether it came from the page cache, so a stale cached page
        shows as hits that never find it."""
        answers = []

        def found():
            page = self.search(self.word)
            answers.append(page.headers.get("X-Page-Cache", "-"))
            hits = [a["href"] for a in soup(page).select(".search-hit__title a")]
            return self.memory_url in hits

        def seen():
            return ", ".join(f"{count} {answer}" for answer, count in Counter(answers).items())

        started = time.monotonic()
        try:
            wait_until(f"{self.memory_url} in the results for “{self.word}”", found)
        except JourneyFailed as exc:
            raise JourneyFailed(f"{exc} (page cache: {seen()})") from None
        waited = time.monotonic() - started
        return f"“{self.word}” finds {self.memory_url} after {waited:.1f} s (page cache: {seen()})"

    # -- a story -----------------------------------------------------------------------
    def story_featured_in(self):
        """An editor in Publishers writes a story about an object and publishes it."""
        # An object no story features yet (the demo stories feature some).
        for url in self.other_objects:
            obj = soup(self.visitor.get(url))
            if not obj.find(id="featured-in-heading"):
                self.story_object_url = url
                break
        else:
            raise JourneyFailed("expected an object on /collection/ that no story features")
        accession = obj.find("dt", string="Accession number").find_next("dd").get_text(strip=True)
        editor = Client(self.base_url).sign_in(
            "journey-editor", os.environ["JOURNEY_EDITOR_PASSWORD"]
        )
        # Where stories go, and the object as the block's chooser finds it.
        usage = editor.get("/admin/pages/usage/stories/storyindexpage/")
        parents = set(re.findall(r"/admin/pages/(\d+)/add_subpage/", usage.text))
        expect(len(parents) == 1, "one story index page", parents)
        found = editor.get("/admin/collection_object_chooser/results/", params={"q": accession})
        chosen = re.findall(r'href="(/admin/collection_object_chooser/chosen/\d+/)"', found.text)
        expect(chosen, f"the chooser to find {accession}", found.text[:300])
        choice = editor.get(chosen[0]).json()["result"]
        expect(accession in choice["title"], f"{accession} chosen first", choice)

        title = f"Journey story {self.word}"
        add_path = f"/admin/pages/add/stories/storypage/{parents.pop()}/"
        editor.get(add_path)
        body = {"count": 1, "0-type": "collection_object", "0-deleted": "", "0-order": 0}
        body |= {"0-id": "", "0-value-object": choice["id"], "0-value-caption": ""}
        story = {
            "title": title,
            "slug": f"journey-story-{self.word}",
            "standfirst": "A story published by the production journey.",
            "publication_date": time.strftime("%Y-%m-%d"),
            "action-publish": "action-publish",
            **{f"body-{name}": value for name, value in body.items()},
        }
        editor.post(add_path, story)
        published = time.monotonic()
        self.visitor.get(f"/stories/{story['slug']}/")
        wait_until(
            f"“{title}” under Featured in on {self.story_object_url}",
            lambda: title in self.visitor.get(self.story_object_url).text,
        )
        waited = time.monotonic() - published
        return f"“{title}” published in the admin, featured on its object {waited:.1f} s later"


if __name__ == "__main__":
    sys.exit(Journey(sys.argv[1]).run())
