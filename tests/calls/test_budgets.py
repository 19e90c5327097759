"""Query budgets with calls, responses and replies present: the object page stays
within its budget (tests/objects/test_pages.py) and the call page's count does
not grow with its responses or their replies."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection

from foundation.routing import forget_page_types
from memories.models import MemoryReply
from tests.factories.calls import CallPageFactory
from tests.factories.memories import MemoryFactory
from tests.factories.objects import ProductionFactory
from tests.factories.stories import StaffProfileFactory
from tests.objects.pages_support import object_with_image

pytestmark = pytest.mark.django_db

# The object page's budget (tests/objects/test_pages.py): its own queries plus one
# for the open calls asking about it, one for its memories' replies, and here (every
# cache emptied) one for whether any call is open (calls/open_flag.py, asked once
# per call published or closing, then skipped site-wide while none is open) and one
# for the restricted sections, whose calls are not offered (foundation/view_restrictions.py,
# kept five minutes or until a restriction changes).
# Measured: 12 on PostgreSQL. On SQLite (`make test` without DATABASE_URL) an object's
# makers, subjects, places and its images' renditions take queries of their own (one
# row on PostgreSQL): 16.
OBJECT_PAGE_BUDGET = 12 if connection.vendor == "postgresql" else 16
# The call page, cold (measured): Wagtail's routing to it (site, pages down the tree
# and their content types, aliases, view restrictions: 11), its responses and their
# replies (2), what it asks about (3), the site root paths and the footer's pages (3).
CALL_PAGE_BUDGET = 19


def answered(call, obj, count: int):
    author = StaffProfileFactory()
    for _ in range(count):
        memory = MemoryFactory(call=call, object=obj)
        reply = MemoryReply.objects.create(memory=memory, author=author, text="Thank you!")
        reply.save_revision().publish()


def cold_count(client, url, django_assert_max_num_queries, budget) -> int:
    cache.clear()
    ContentType.objects.clear_cache()
    forget_page_types()
    # Django's own check, once per connection (three statements on SQLite), not a page's.
    connection.features.supports_json_field  # noqa: B018
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_object_page_stays_in_budget_with_open_calls_responses_and_replies(
    client, django_assert_max_num_queries
):
    production = ProductionFactory()
    obj = object_with_image(production=production)
    CallPageFactory(objects=[obj])
    CallPageFactory(productions=[production])
    answered(CallPageFactory(objects=[obj]), obj, 1)
    url = obj.get_absolute_url()

    few = cold_count(client, url, django_assert_max_num_queries, OBJECT_PAGE_BUDGET)
    answered(CallPageFactory(objects=[obj]), obj, 8)
    many = cold_count(client, url, django_assert_max_num_queries, OBJECT_PAGE_BUDGET)

    assert many == few, few
    html = client.get(url).content.decode()
    assert html.count("Answer this call") == 4 and html.count("Thank you!") == 9


def test_call_page_queries_do_not_grow_with_responses_or_replies(
    client, django_assert_max_num_queries
):
    obj = object_with_image()
    call = CallPageFactory(objects=[obj])
    answered(call, obj, 1)

    one = cold_count(client, call.url, django_assert_max_num_queries, CALL_PAGE_BUDGET)
    answered(call, obj, 12)
    thirteen = cold_count(client, call.url, django_assert_max_num_queries, CALL_PAGE_BUDGET)

    assert thirteen == one
