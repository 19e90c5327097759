"""bench_versus without bakerydemo: both sides are this site's live server."""

import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def closed_port_url() -> str:
    """A local address nothing listens on: the port was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# The live server's requests commit: the rows migrations made are restored after.
commits = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def bench(*args) -> str:
    out = StringIO()
    call_command("bench_versus", *args, stdout=out)
    return out.getvalue()


@commits
def test_it_refuses_a_site_that_does_not_answer(live_server):
    with pytest.raises(
        CommandError,
        match=r"Cannot measure: http://127\.0\.0\.1:\d+/robots\.txt: .*Connection refused",
    ):
        bench(
            "--ours", live_server.url, "--theirs", closed_port_url(),
            "--pair", "robots", "/robots.txt", "/robots.txt", "--no-queries",
        )  # fmt: skip


@commits
def test_it_refuses_a_page_that_is_not_found(live_server):
    with pytest.raises(CommandError, match="answered HTTP 404, not 200"):
        bench(
            "--ours", live_server.url, "--theirs", live_server.url,
            "--pair", "missing", "/no-such-page/", "/robots.txt", "--no-queries",
        )  # fmt: skip


def test_it_refuses_a_base_url_with_a_path():
    with pytest.raises(CommandError, match="give a base URL"):
        bench("--ours", "http://127.0.0.1:8000/collection/", "--theirs", "http://127.0.0.1:8001")


@pytest.mark.django_db
def test_the_default_rows_need_objects_and_a_story():
    with pytest.raises(CommandError, match="run bench_collection and bench_stories"):
        bench("--ours", "http://127.0.0.1:8000", "--theirs", "http://127.0.0.1:8001")


@commits
def test_it_times_both_sites_interleaved_and_counts_our_queries(live_server):
    report = bench(
        "--ours", live_server.url, "--theirs", live_server.url, "--rounds", "3",
        "--pair", "robots", "/robots.txt", "/robots.txt",
    )  # fmt: skip

    assert "3 rounds, 1 connection" in report
    row = report.splitlines()[-1].split()
    assert row[0] == "robots"
    ours, theirs, ratio, queries = float(row[1]), float(row[3]), row[5], row[6]
    assert ours > 0 and theirs > 0
    assert ratio.endswith("x")
    assert queries.isdigit()
