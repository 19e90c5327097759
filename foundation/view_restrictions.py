"""View restrictions (a password, signed-in visitors only) on pages and their
descendants, read from one cached list of the restricted sections' tree paths:

- Wagtail checks every page it serves for restrictions on the page and each of its
  ancestors: two queries on every cold page, while this site usually has none.
  Pages with `SkipsViewRestrictionsWhenNone` skip them while the list is empty.
- `public_pages` is the rule every listing, search and card follows: a restricted
  page shows nowhere but at its own address. It is Wagtail's `public()` without the
  query that `public()` makes on every call.

Saving or deleting a restriction retires every page in the page cache, and the
list with them: it is kept under the site's generation, which moving a page (new
paths for it and its descendants) bumps too (pages/cache.py). It is asked again
every few minutes whatever happens: a restriction made behind Django's back, by SQL,
holds within that time."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from foundation.generational_cache import generational_get_or_set
from foundation.page_cache import SITE, page_cache_generation
from foundation.page_cache_changes import page_cache_bump_on_commit

KEY = "pages:restricted-paths"
SECONDS = 5 * 60


def restricted_paths() -> tuple[str, ...]:
    """The tree paths of the pages that carry a restriction (each covers its
    descendants too), shortest first. Kept under the site generation, which a
    restriction saved or deleted bumps: read from Redis once a minute per process."""

    def paths():
        found = PageViewRestriction.objects.values_list("page__path", flat=True)
        return tuple(sorted(set(found), key=lambda path: (len(path), path)))

    generation = page_cache_generation(SITE)
    if not generation:  # Redis unreliable: a restriction made meanwhile must hold at once
        return paths()
    return generational_get_or_set(generation, f"{KEY}:{generation}", paths, SECONDS)


def any_view_restriction() -> bool:
    return bool(restricted_paths())


def in_public_section(page: Page) -> bool:
    """Whether `page` may be named outside its own address (what `public_pages` keeps)."""
    return not page.path.startswith(restricted_paths())


def public_pages(pages: PageQuerySet, *, within: Page | None = None) -> PageQuerySet:
    """`pages` without those in a restricted section. `within`: the page listing
    them, whose own restrictions (and its ancestors') its visitor has already passed,
    so they hide nothing there."""
    paths = [
        path for path in restricted_paths() if within is None or not within.path.startswith(path)
    ]
    if not paths:
        return pages
    inside = Q()
    for path in paths:
        inside |= Q(path__startswith=path)
    return pages.exclude(inside)


def forget_view_restrictions(**kwargs) -> None:
    # Every page goes, now and after the commit (for a reader that kept the old
    # answer in between): the page cache kept them, and the paths above, without the
    # restriction (or with it, once lifted), and a restriction covers descendants.
    page_cache_bump_on_commit()


post_save.connect(forget_view_restrictions, sender=PageViewRestriction, dispatch_uid=KEY)
post_delete.connect(forget_view_restrictions, sender=PageViewRestriction, dispatch_uid=KEY)


class SkipsViewRestrictionsWhenNone:
    """A page model whose serving asks for no view restriction while none exists."""

    def get_view_restrictions(self):
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
