"""A real Celery worker for integration tests.

Tests that use the `celery_worker` fixture send tasks through the configured
broker (Redis in CI) to a separate `celery worker` process that works on the
same test database and media folder. They are skipped, with the reason, when
there is no real broker or the database is SQLite (a worker process cannot see
the test's in-memory database).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bac_collection.celery import app as celery_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Short, so a job held by a killed worker is handed out again within the test.
VISIBILITY_TIMEOUT_SECONDS = 5


def real_broker_url():
    url = os.environ.get("CELERY_BROKER_URL", "")
    return "" if url.startswith("memory://") else url


def database_url_for_worker():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class WorkerProcess:
    def __init__(self, *, media_root, concurrency=1):
        self.media_root = media_root
        self.concurrency = concurrency
        self.process = None
        self.hostname = None
        self.log_path = Path(media_root).parent / "celery-worker.log"

    def start(self):
        self.hostname = f"test-{uuid.uuid4().hex[:8]}@localhost"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bac_collection.settings.test",
            "DATABASE_URL": database_url_for_worker(),
            "MEDIA_ROOT": str(self.media_root),
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_SECONDS),
        }
        command = [sys.executable, "-m", "celery", "-A", "bac_collection", "worker"]
        command += ["-Q", "celery,images,search", "-c", str(self.concurrency), "-n", self.hostname]
        command += ["--without-gossip", "--without-mingle", "-l", "info"]
        log = open(self.log_path, "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        self.wait_until_ready()
        return self

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited early:\n{self.log()}")
            if celery_app.control.ping(destination=[self.hostname], timeout=0.5):
                return
        raise RuntimeError(f"Celery worker did not answer within {timeout}s:\n{self.log()}")

    def pool_child_pids(self):
        """PIDs of the prefork pool processes that actually run the tasks."""
        output = subprocess.run(  # noqa: S603
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(pid) for pid in output.split()]

    def kill(self, sig=signal.SIGKILL):
        """Kill the worker and its pool at once, as a crashed machine would."""
        for pid in self.pool_child_pids():
            os.kill(pid, sig)
        self.process.send_signal(sig)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self):
        self.stop()
        return self.start()

    def log(self):
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


def wait_until(predicate, *, timeout=30, interval=0.2):
    """Poll the real condition until it holds or the deadline passes: the predicate's
    last value (falsy when it never held)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


@pytest.fixture
def celery_worker(transactional_db, django_db_serialized_rollback, media_root):
    if not real_broker_url():
        pytest.skip("needs a real broker: set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/1)")
    if connection.vendor == "sqlite":
        pytest.skip("needs a server database (DATABASE_URL): a worker cannot see SQLite test data")

    media_root.mkdir(parents=True, exist_ok=True)
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.control.purge()
    worker = WorkerProcess(media_root=media_root).start()
    try:
        yield worker
    finally:
        worker.stop()
        celery_app.control.purge()
        celery_app.conf.task_always_eager = previous_eager
