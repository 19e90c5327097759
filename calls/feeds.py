"""A call's approved responses as an Atom feed (call page's feed/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from .page_context import calls_for_feed


class CallResponsesFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, *, call):
        super().__init__()
        self.call = call

    def title(self):
        return f"Responses to “{self.call.title}”: BAC Collection"

    def link(self):
        return self.call.url

    def subtitle(self):
        return self.call.context

    def items(self):
        return calls_for_feed(call=self.call)

    def item_title(self, item):
        return f"{item.attribution} remembers"

    def item_description(self, item):
        # Atom readers treat the summary as HTML: the contributor's text is escaped.
        return linebreaks(item.text, autoescape=True)

    def item_link(self, item):
        return reverse("memories:detail", args=[item.public_id])

    def item_guid(self, item):
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.approved_at

    def item_author_name(self, item):
        # The name the contributor chose to show; never their email.
        return item.attribution
