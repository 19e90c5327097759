"""The stories feed (Atom), with Django's syndication framework."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .selectors import stories_for_feed


class StoryFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, *, index):
        super().__init__()
        self.index = index

    def title(self):
        return f"{self.index.title}: BAC Collection"

    def link(self):
        return self.index.url

    def subtitle(self):
        return self.index.introduction or "Stories from the Battersea Arts Centre archive."

    def items(self):
        return stories_for_feed(stories=self.index.stories())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all()) or None
