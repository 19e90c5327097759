"""Work each web worker does once, before its first visitor rather than during.

A fresh worker's first object page took about 300 ms against 12 ms for the next:
it imported every view through the URLconf and indexed its URL names, compiled
the crawler list's and ua-parser's hundreds of regular expressions for the first
user agent it classified, compiled each template it met, and then ran the
collector's first full pass over everything it had loaded. None of that reads
the database or depends on the request, so the WSGI module does it while the
worker boots (bac_collection/wsgi.py): a worker's first object page now takes
about 55 ms, most of it opening its database connection.
"""

import gc
import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver

from impact.counting import browser_device

logger = logging.getLogger(__name__)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def warm_up() -> None:
    len(get_resolver().reverse_dict)  # imports the URLconf (every view) and indexes it
    browser_device(BROWSER)  # compiles the crawler and ua-parser patterns
    for name in project_templates():
        try:
            get_template(name)
        except Exception:  # that page answers 500 and logs it; the others must not
            logger.exception("Template %s does not compile", name)
    # Everything loaded so far lives as long as the worker: out of the collector's
    # sight, full collections no longer walk its ~270,000 objects (the first one
    # cost the first visitor over 100 ms).
    gc.collect()
    gc.freeze()


def project_templates() -> list[str]:
    """The names of this project's own templates (not those of installed packages)."""
    base = Path(settings.BASE_DIR)
    directories = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    directories += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).parent == base
    ]
    return sorted(
        str(path.relative_to(directory))
        for directory in directories
        if directory.is_dir()
        for path in directory.rglob("*.html")
    )
