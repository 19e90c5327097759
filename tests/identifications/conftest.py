import pytest

from tests.memories.conftest import memory_settings  # noqa: F401  (autouse: no wait, locmem mail)


@pytest.fixture
def reviewer(django_user_model):
    """A Collection editors member: the group that reviews identifications."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "cataloguer", email="cataloguer.private@bac.example", password="pw-not-public"
    )
    user.groups.add(Group.objects.get(name="Collection editors"))
    return user
