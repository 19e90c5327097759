import io

import pytest
from django.core.management import call_command

from impact.models import DailyCount
from tests.factories.objects import CollectionObjectFactory

pytestmark = pytest.mark.django_db


def test_bench_impact_prints_counting_cost_and_throughput_and_leaves_nothing(redis_client):
    CollectionObjectFactory()
    out = io.StringIO()

    call_command("bench_impact", views=40, agents=5, rounds=2, requests=5, stdout=out)

    report = out.getvalue()
    assert "Impact counting, per page view (40 object page views" in report
    assert "p95" in report and "sending to Redis" in report
    assert "counting off" in report and "counting on" in report
    assert not list(redis_client.scan_iter("impact:*"))
    assert not DailyCount.objects.exists()
