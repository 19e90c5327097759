from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Benchmarks (`make bench`) and the demo loaders (`make run`): development
    and CI only. Production settings do not install this app, so none of its
    commands ship in a deployed site's `manage.py`."""

    name = "devtools"
    verbose_name = "Development tools"
