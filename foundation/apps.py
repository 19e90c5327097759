from django.apps import AppConfig


class FoundationConfig(AppConfig):
    """What every app shares and no app owns: absolute URLs, the visitor's address,
    plain text, the paginator and its tags, the random pick and the "records
    changed" signal. It imports no app of the site (docs/architecture.md)."""

    name = "foundation"
    verbose_name = "Foundation"
