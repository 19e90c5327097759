import pytest
from django.contrib.auth.models import Group

from tests.memories.conftest import memory_settings  # noqa: F401  (autouse: as for memories)


@pytest.fixture(autouse=True)
def https_site(settings):
    """Emails' links (and their RFC 8058 unsubscribe) start with the public address."""
    settings.SITE_BASE_URL = "https://collection.bac.example"


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "mod-login-zq", "moderator-secret@bac.example", "pw"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user
