from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_task() -> None:
    """Publish pages and snippets whose scheduled time has come, and unpublish
    expired ones (Wagtail's publish_scheduled). Run every minute by beat; safe
    to run twice, as Wagtail only acts on revisions still due."""
    call_command("publish_scheduled")
