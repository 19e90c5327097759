"""The admin dashboard panel: stories awaiting review, images whose processing
failed, and how many objects are published or still drafts."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Count, Q
from django.db.models.functions import Cast
from wagtail.admin.ui.components import Component
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState
from wagtail.permissions import policy_registry

from images.models import ArchiveImage
from objects.models import CollectionObject

from .models import StoryPage

AWAITING_LIMIT = 10


def stories_awaiting_review() -> list[StoryPage]:
    in_review = (
        WorkflowState.objects.active()
        .filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            content_type=ContentType.objects.get_for_model(StoryPage),
        )
        .annotate(story_id=Cast("object_id", BigIntegerField()))
    )
    return list(
        StoryPage.objects.filter(pk__in=in_review.values("story_id"))
        .select_related("latest_revision__user")
        .order_by("-latest_revision_created_at")[:AWAITING_LIMIT]
    )


def collection_object_counts() -> dict[str, int]:
    return CollectionObject.objects.aggregate(
        published=Count("pk", filter=Q(live=True)), draft=Count("pk", filter=Q(live=False))
    )


class StaffDashboardPanel(Component):
    """What needs staff, in the sections the user can act on: stories to review
    (reviewers), failed images (who may change images), the collection's objects
    (who may edit them). docs/roles.md says who is in which group."""

    name = "bac_staff_dashboard"
    template_name = "stories/admin/dashboard_panel.html"
    order = 50

    def __init__(self, user):
        pages = policy_registry.get_by_type(Page)
        images = policy_registry.get_by_type(get_image_model())
        self.sections = [
            name
            for name, allowed in (
                ("review", pages.user_has_permission(user, "publish")),
                ("images", images.user_has_permission(user, "change")),
                ("objects", user.has_perm("objects.change_collectionobject")),
            )
            if allowed
        ]

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["sections"] = self.sections
        if "review" in self.sections:
            context["awaiting_review"] = stories_awaiting_review()
        if "images" in self.sections:
            context["failed_images"] = ArchiveImage.objects.filter(
                processing_status=ArchiveImage.ProcessingStatus.FAILED
            ).count()
        if "objects" in self.sections:
            context["object_counts"] = collection_object_counts()
        return context
