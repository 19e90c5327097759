"""Identifications in the Wagtail admin: the private queue (a model viewset with
filters), a review page that accepts a suggestion into the record in one click
or declines it with a reason, and the count waiting on the dashboard.

Reviewing needs `identifications.change_identification` (Collection editors,
docs/roles.md): accepting changes and publishes a catalogue record."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import selectors, services
from .forms import AcceptForm
from .models import Identification

identification_permissions = ModelPermissionPolicy(Identification)


def _may_review(user) -> bool:
    return identification_permissions.user_has_permission(user, "change")


class IdentificationIndexView(generic.IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if _may_review(self.request.user):
            buttons.insert(
                0,
                ListingButton(
                    "Review",
                    url=reverse("identifications_review", args=[instance.pk]),
                    icon_name="tasks",
                    priority=1,
                ),
            )
        return buttons


class IdentificationViewSet(ModelViewSet):
    model = Identification
    name = "identifications_admin"
    icon = "help"
    menu_label = "Identifications"
    menu_order = 260
    url_prefix = "identifications"
    add_to_admin_menu = True
    index_view_class = IdentificationIndexView
    # Suggestions arrive only from the public form, and staff change them only by
    # deciding: no add or edit forms (the contributor's words stay as they sent them).
    add_view_enabled = False
    edit_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "object", "kind", "value", "details", "source", "status", "verified", "submitted_at",
        "decided_at", "applied_value", "decline_reason",
    ]  # fmt: skip
    list_display = [
        "__str__",
        StatusTagColumn("status", label="Status", primary=False),
        "object",
        "verified",
        DateColumn("submitted_at", label="Sent"),
    ]
    list_filter = ["status", "kind", "verified"]
    search_fields = ["value", "details", "source"]
    search_backend_name = None
    ordering = ["-submitted_at"]
    form_fields = ["value"]  # required by ModelViewSet; no add or edit view uses it

    def get_queryset(self, request):
        return Identification.objects.select_related("object")


@hooks.register("register_admin_viewset")
def register_identification_viewset():
    return IdentificationViewSet()


def _queue_url() -> str:
    return reverse("identifications_admin:index") + "?status=pending"


def review(request, pk):
    """One suggestion in full, with accept-into-the-record and decline-with-a-reason."""
    if not _may_review(request.user):
        raise PermissionDenied
    identification = get_object_or_404(Identification.objects.select_related("object"), pk=pk)
    form = AcceptForm.for_identification(identification)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                form = AcceptForm.for_identification(identification, data=request.POST)
                if form.is_valid():
                    services.identification_accept(
                        identification=identification,
                        acceptance=services.Acceptance(
                            value=form.cleaned_data["value"],
                            production=form.cleaned_data.get("production"),
                            role=form.cleaned_data.get("role", ""),
                        ),
                        user=request.user,
                    )
                    messages.success(
                        request,
                        f"Accepted: “{identification.object.title}” now shows it, with its "
                        "provenance.",
                    )
                    return redirect(_queue_url())
            elif action == "decline":
                services.identification_decline(
                    identification=identification,
                    reason=request.POST.get("reason", ""),
                    user=request.user,
                )
                messages.success(request, "Declined; the contributor sees why through their link.")
                return redirect(_queue_url())
        except services.CannotAccept as problem:
            messages.error(request, str(problem))
    return TemplateResponse(
        request,
        "identifications/admin/review.html",
        {
            "identification": identification,
            "form": form,
            "queue_url": _queue_url(),
            "object_edit_url": reverse(
                "wagtailsnippets_objects_collectionobject:edit", args=[identification.object_id]
            ),
        },
    )


@hooks.register("register_admin_urls")
def register_review_url():
    return [path("identifications/review/<int:pk>/", review, name="identifications_review")]


class PendingIdentificationsPanel(Component):
    name = "pending_identifications"
    order = 95

    def __init__(self, count: int):
        self.count = count

    def render_html(self, parent_context=None):
        noun = "suggestion is" if self.count == 1 else "suggestions are"
        return format_html(
            '<section class="w-mb-8" aria-labelledby="pending-identifications-heading">'
            '<h2 id="pending-identifications-heading" class="w-h2">Help us identify</h2>'
            '<p><a href="{}">{} {} waiting for review</a></p></section>',
            _queue_url(),
            self.count,
            noun,
        )


@hooks.register("construct_homepage_panels")
def add_pending_identifications_panel(request, panels):
    if _may_review(request.user):
        panels.append(PendingIdentificationsPanel(selectors.identification_pending_count()))
