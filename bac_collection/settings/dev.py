"""Local development: the embedded default with debugging on."""

import contextlib

from .base import *  # noqa: F403
from .base import env

# Benchmarks and the demo loaders: development and CI only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403  (git-ignored personal overrides)
