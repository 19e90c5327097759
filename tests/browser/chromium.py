"""The browser fixtures, for every test folder (tests/conftest.py names this module in
`pytest_plugins`): one headless Chromium (Debian's package) driven by Playwright
against live_server, and pages opened in it."""

import os
import shutil

import pytest
from django.db import connections

from .support import PHONE, RECORD_CSP_VIOLATIONS, serve_error_pages

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch):
    # One browser per test, closed before the test's database teardown: Playwright's
    # sync API switches execution context, and a browser left running across tests
    # hides the database connection Django's serialized rollback restores through.
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between page actions are still ordinary synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # Queries the test made inside Playwright's context opened connections of
        # their own; close them, or they outlive the test database.
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(viewport=PHONE, **options):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        serve_error_pages(context, live_server)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()
