import io

import pytest
from django.core.management import call_command

from devtools.management.commands.bench_impact import median_interval, verdict_on_drop
from impact.models import DailyCount
from tests.factories.objects import CollectionObjectFactory


@pytest.mark.django_db
def test_bench_impact_prints_counting_cost_and_throughput_and_leaves_nothing(redis_client):
    CollectionObjectFactory()
    out = io.StringIO()

    call_command("bench_impact", views=40, agents=5, pairs=3, requests=5, stdout=out)

    report = out.getvalue()
    assert "Impact counting, per page view (40 object page views" in report
    assert "p95" in report and "sending to Redis" in report
    assert "counting on against off (3 interleaved pairs of rounds of 5 requests" in report
    assert "  by the clock " in report and "  by CPU time " in report
    assert "time spent counting in the rounds with counting on" in report
    assert not list(redis_client.scan_iter("impact:*"))
    assert not DailyCount.objects.exists()


def test_the_median_comes_with_a_distribution_free_95_percent_interval():
    # 40 pairs: the 14th and 27th smallest (P(Binomial(40, 1/2) <= 13) = 1.9%).
    assert median_interval([float(n) for n in range(40, 0, -1)]) == (20.5, 14.0, 27.0)
    # Too few pairs to narrow it: the whole range.
    assert median_interval([1.0, 3.0, 2.0]) == (2.0, 1.0, 3.0)


@pytest.mark.parametrize(
    ("low", "high", "verdict"),
    [(0.96, 1.02, "meets"), (0.90, 0.94, "misses"), (0.93, 1.01, "not settled")],
)
def test_the_goal_is_met_or_missed_only_by_the_whole_interval(low, high, verdict):
    assert verdict_on_drop(low, high).startswith(verdict)
