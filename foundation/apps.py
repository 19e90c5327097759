from django.apps import AppConfig


class FoundationConfig(AppConfig):
    """What every app shares and no app owns: absolute URLs, the visitor's address,
    plain text, the paginator and its tags, the random pick, the "records changed"
    signal and the page cache's API (what a page shows, bumping on change). It
    imports no app of the site (docs/architecture.md)."""

    name = "foundation"
    verbose_name = "Foundation"
