"""Wagtail checks every page it serves for view restrictions (a password, signed-in
visitors only) on the page and each of its ancestors: two queries on every cold
page, while this site has no restriction at all. Pages with this mixin skip them
while the site has none: whether any exists is kept in the cache, dropped as soon
as one is saved or deleted, and asked again every few minutes whatever happens
(a restriction made behind Django's back, by SQL, holds within that time). Saving
or deleting one also retires every page in the page cache."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction

from foundation.page_cache_changes import page_cache_bump_on_commit

KEY = "pages:any-view-restriction"
SECONDS = 5 * 60


def any_view_restriction() -> bool:
    found = cache.get(KEY)
    if found is None:
        found = PageViewRestriction.objects.exists()
        cache.set(KEY, found, SECONDS)
    return found


def forget_view_restrictions(**kwargs) -> None:
    # Now for this process, and after the commit for a reader that cached the
    # old answer in between.
    cache.delete(KEY)
    transaction.on_commit(lambda: cache.delete(KEY))
    # Pages the page cache kept before were stored without the restriction (or with
    # it, once lifted): every page goes, as a restriction covers a page's descendants.
    page_cache_bump_on_commit()


post_save.connect(forget_view_restrictions, sender=PageViewRestriction, dispatch_uid=KEY)
post_delete.connect(forget_view_restrictions, sender=PageViewRestriction, dispatch_uid=KEY)


class SkipsViewRestrictionsWhenNone:
    """A page model whose serving asks for no view restriction while none exists."""

    def get_view_restrictions(self):
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
