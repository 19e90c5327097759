import pytest


@pytest.fixture(autouse=True)
def memory_settings(settings):
    """No waiting before sending in tests (the too-fast test sets its own minimum),
    generous rate limits (the rate-limit tests set their own), test-only emails."""
    settings.MEMORIES_FORM_MIN_SECONDS = 0
    settings.MEMORIES_RATE_PER_IP = "1000/h"
    settings.MEMORIES_RATE_PER_EMAIL = "1000/h"
    settings.MEMORIES_RATE_LOOKUPS = "1000/h"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEMORIES_MODERATOR_EMAILS = ["moderators@bac.example"]
    return settings
