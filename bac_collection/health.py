"""`/healthz`: is each service this site depends on answering?

Database and broker are required (503 when either is down). The cache and
search are not: with Redis down pages are rendered afresh, and with the search
engine down the public search falls back to the database, so the site is
"degraded" (200), not down.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bac_collection.cache import cache_degraded
from bac_collection.celery import app as celery_app
from foundation.visitors import client_address
from search.backends import search_backend_status

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def check_cache():
    key = "healthz:probe"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if cache_degraded():
        # Pages still answer (rendered afresh, rate limits counted per process).
        return {"status": "degraded", "backend": backend, "fallback": "local memory"}
    return {"status": "ok", "backend": backend}


def check_broker():
    if celery_app.conf.task_always_eager:
        return {"status": "ok", "mode": "in-process"}
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"status": "ok", "mode": "broker"}


def check_search():
    return search_backend_status()


REQUIRED_CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def run_check(check):
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # a health check reports every failure, whatever its kind
        logger.warning("Health check %s failed: %s", check.__name__, exc)
        result = {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _shows_details(request) -> bool:
    """Error texts name hosts and ports: only staff and the machine itself (a
    monitor on localhost) see them and the timings. The address is the one the
    rate limits use, so behind a proxy on this machine a visitor is still one."""
    if client_address(request) in ("127.0.0.1", "::1"):
        return True
    try:
        return request.user.is_authenticated and request.user.is_staff
    except DatabaseError:  # finding the user needs the database this may report down
        return False


@never_cache
@require_GET
def healthz(request):
    services = {name: run_check(check) for name, check in REQUIRED_CHECKS.items()}
    services["search"] = run_check(check_search)
    if services["search"]["status"] == "down":
        services["search"]["status"] = "degraded"

    if any(services[name]["status"] == "down" for name in REQUIRED_CHECKS):
        status, code = "down", 503
    elif any(service["status"] != "ok" for service in services.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    if not _shows_details(request):
        services = {name: {"status": service["status"]} for name, service in services.items()}
    return JsonResponse({"status": status, "services": services}, status=code)
