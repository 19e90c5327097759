"""What the page editor says after a review step. Wagtail says "Page '…' has been
updated." after every workflow action, "Approve and Publish" included, and
"submitted for moderation" after a submission; these hooks (stories/wagtail_hooks.py)
replace those lines with what actually happened: sent for review, approved and
published, approved and passed on, or sent back for changes."""

from django.contrib import messages
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from wagtail.models import Page

# Wagtail's own wording (wagtail/admin/views/pages/create.py and edit.py), replaced below.
WAGTAIL_WORDING = [
    "Page '%(page_title)s' has been updated.",
    "Page '%(page_title)s' has been submitted for moderation.",
    "Page '%(page_title)s' created and submitted for moderation.",
]


def what_happened(request, page: Page) -> str | None:
    """The sentence for this request's review step, or None if it took none."""
    title = page.get_admin_display_title()
    page = Page.objects.get(pk=page.pk).specific  # as the step left it
    task = page.current_workflow_task
    if request.POST.get("action-submit") and task is not None:
        return f"‘{title}’ has been sent for review ({task.name})."
    action = request.POST.get("workflow-action-name")
    if not request.POST.get("action-workflow-action") or not action:
        return None
    if action == "reject":
        return f"‘{title}’ has been sent back to its author for changes."
    if task is not None:
        return f"‘{title}’ has been approved and passed on for review ({task.name})."
    if page.live and not page.has_unpublished_changes:
        return f"‘{title}’ has been approved and published."
    if page.go_live_at:
        when = f"{timezone.localtime(page.go_live_at):%-d %B %Y at %H:%M}"
        return f"‘{title}’ has been approved; it will be published on {when}."
    return f"‘{title}’ has been approved."


def replace_wagtail_message(request, page: Page) -> None:
    sentence = what_happened(request, page)
    if sentence is None:
        return
    title = page.get_admin_display_title()
    replaced = {
        conditional_escape(_(wording) % {"page_title": title}) for wording in WAGTAIL_WORDING
    }
    # Reading the messages marks them all as shown: queue again those we keep.
    kept = [
        message
        for message in messages.get_messages(request)
        if not any(text in str(message.message) for text in replaced)
    ]
    for message in kept:
        messages.add_message(request, message.level, message.message, message.extra_tags)
    messages.success(request, sentence)
