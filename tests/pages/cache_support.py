"""Reading the page cache's verdict through the public surface (X-Page-Cache)."""

from django.urls import reverse

BROWSE = reverse("objects:browse")


def cache_state(client, url) -> str:
    return client.get(url)["X-Page-Cache"]


def cached(client, *urls):
    """Visit each page until it is a hit (stored by the first visit)."""
    for url in urls:
        client.get(url)
        assert cache_state(client, url) == "hit", url
