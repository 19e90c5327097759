import pytest


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("archivist", "a@example.org", "pw")
    client.force_login(user)
    return client
