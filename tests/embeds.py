"""A local oEmbed finder for the test settings: tests never reach the network.

It knows one video; every other address is "not found", as a removed or
private video would be.
"""

from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

KNOWN_VIDEO_URL = "https://video.example/watch/bac-1998"
KNOWN_VIDEO = {
    "title": "The Grand Hall, 1998",
    "author_name": "Example Video",
    "provider_name": "Example Video",
    "type": "video",
    "thumbnail_url": "",
    "width": 640,
    "height": 360,
    "html": '<iframe title="The Grand Hall, 1998" src="https://video.example/embed/bac-1998"'
    ' width="640" height="360" allowfullscreen></iframe>',
}


class LocalOEmbedFinder(EmbedFinder):
    def __init__(self, **options):
        self.options = options

    def accept(self, url):
        return True

    def find_embed(self, url, max_width=None, max_height=None):
        if url == KNOWN_VIDEO_URL:
            return dict(KNOWN_VIDEO)
        raise EmbedNotFoundException(f"No video at {url}")
