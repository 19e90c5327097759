# The browser fixtures (Debian's Chromium through Playwright) shared with tests/browser/.
from tests.browser.conftest import browser, page  # noqa: F401
