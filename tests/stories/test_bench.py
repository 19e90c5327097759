from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devtools.benchmarks.pages import BENCH_PRODUCTION_TITLE
from objects.models import Production
from stories.models import StoryPage
from tests.factories.objects import CollectionObjectFactory

pytestmark = pytest.mark.django_db


def test_bench_stories_refuses_a_database_bench_collection_did_not_fill():
    with pytest.raises(CommandError):
        call_command("bench_stories", stdout=StringIO())


def test_bench_stories_adds_stories_and_times_the_pages():
    Production.objects.create(title=BENCH_PRODUCTION_TITLE, date_display="2024")
    CollectionObjectFactory.create_batch(40)
    out = StringIO()

    call_command("bench_stories", "--stories", "3", "--requests", "2", stdout=out)

    assert StoryPage.objects.live().count() == 3
    report = out.getvalue()
    for page in ("story page", "home page", "object page with featured in", "stories feed"):
        assert report.count(page) == 2, report
    assert " 500" not in report and "404" not in report
