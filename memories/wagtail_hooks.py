"""Memories in the Wagtail admin: the moderation queue, a review page with
approve and reject, privacy edits, staff entry of in-person memories, consent
wording versions, and the count of memories waiting on the dashboard."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet

from . import selectors, services, updates
from .admin_forms import ConsentWordingForm, InPersonMemoryForm, ModeratorEditForm
from .choosers import memory_chooser_viewset
from .models import ConsentMethod, ConsentWording, Memory, MemoryReply
from .reply_admin import MemoryReplyViewSet

memory_permissions = ModelPermissionPolicy(Memory)


class MemoryIndexView(generic.IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if memory_permissions.user_has_permission(self.request.user, "change"):
            buttons.insert(
                0,
                ListingButton(
                    "Review",
                    url=reverse("memories_review", args=[instance.pk]),
                    icon_name="tasks",
                    priority=1,
                ),
            )
        return buttons


class InPersonCreateView(generic.CreateView):
    def save_instance(self):
        form = self.form
        data = form.cleaned_data
        consent_date = data["consent_date"]
        memory, _ = services.memory_submit(
            submission=services.Submission.from_answers(
                data,
                object_id=data["object"].pk if data["object"] else None,
                production_id=data["production"].pk if data["production"] else None,
                call_id=data["call"].pk if data["call"] else None,
                photo_id=data["photo"].pk if data["photo"] else None,
                audio=form.clean_audio_result,
                transcript=data["transcript"],
                verified=True,
                consent_method=ConsentMethod.IN_PERSON,
                consented_at=timezone.make_aware(datetime.combine(consent_date, time(12))),
                paper_form_reference=data["paper_form_reference"],
                consent_witness=data["consent_witness"],
            )
        )
        return memory


class PrivacyEditView(generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        changed = [name for name in self.form.changed_data if name != "change_note"]
        services.memory_record_moderator_edit(
            memory=instance,
            user=self.request.user,
            changed_fields=changed,
            note=self.form.cleaned_data.get("change_note", ""),
        )
        return instance


class ReportCountColumn(Column):
    def get_value(self, instance):
        return instance.report_count or ""


class MemoryViewSet(ModelViewSet):
    model = Memory
    name = "memories_memory"
    icon = "openquote"
    menu_label = "Memories"
    url_prefix = "memories/memory"
    index_view_class = MemoryIndexView
    add_view_class = InPersonCreateView
    edit_view_class = PrivacyEditView
    list_display = [
        "__str__",
        StatusTagColumn("status", label="Status", primary=False),
        "subject",
        ReportCountColumn("report_count", label="Reports"),
        "verified",
        DateColumn("submitted_at", label="Shared"),
    ]
    list_filter = ["status", "verified", "consent_method", "relationship"]
    search_fields = ["text", "display_name", "when_happened"]
    search_backend_name = None
    ordering = ["-submitted_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "text",
        "when_happened",
        "display_name",
        "relationship",
        "object",
        "production",
        "status",
        "verified",
        "consent_wording",
        "consented_at",
        "consent_method",
        "licence",
        "may_contact",
        "age_group",
        "guardian_name",
        "paper_form_reference",
        "consent_witness",
        "report_count",
        "rejection_reason",
    ]
    add_to_admin_menu = False

    def get_form_class(self, for_update=False):
        return ModeratorEditForm if for_update else InPersonMemoryForm

    def get_queryset(self, request):
        return Memory.objects.select_related("object", "production")


class ConsentWordingViewSet(ModelViewSet):
    model = ConsentWording
    name = "memories_consent"
    icon = "doc-full"
    menu_label = "Consent wording"
    url_prefix = "memories/consent-wording"
    list_display = ["__str__", "created_at"]
    inspect_view_enabled = True
    add_to_admin_menu = False

    def get_form_class(self, for_update=False):
        return ConsentWordingForm


class MemoriesGroup(ViewSetGroup):
    menu_label = "Memories"
    menu_icon = "openquote"
    menu_order = 250
    items = (MemoryViewSet, ConsentWordingViewSet)


@hooks.register("register_admin_viewset")
def register_memories_viewsets():
    return MemoriesGroup()


@hooks.register("register_admin_viewset")
def register_memory_chooser():
    return memory_chooser_viewset


register_snippet(MemoryReplyViewSet)


def review(request, pk):
    """One memory in full, with approve and reject-with-a-reason."""
    if not memory_permissions.user_has_permission(request.user, "change"):
        raise PermissionDenied
    memory = get_object_or_404(
        Memory.objects.select_related("object", "production", "photo", "consent_wording", "call"),
        pk=pk,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "approve":
            services.memory_approve(memory=memory, user=request.user)
            messages.success(request, "Memory approved: it is now on the site.")
            return redirect(_queue_url())
        if action in ("feature", "unfeature") and memory.call_id and memory.is_public:
            updates.memory_feature(memory=memory, featured=action == "feature")
            messages.success(
                request,
                "Featured on its call's page; the contributor is emailed if they asked."
                if action == "feature"
                else "No longer featured on its call's page.",
            )
            return redirect("memories_review", pk=memory.pk)
        if action == "reject":
            reason = request.POST.get("reason", "").strip()
            if reason:
                services.memory_reject(memory=memory, user=request.user, reason=reason)
                messages.success(request, "Memory rejected; the contributor will be emailed why.")
                return redirect(_queue_url())
            messages.error(
                request, "Write the reason for rejecting it: it is sent to the contributor."
            )
    return TemplateResponse(
        request,
        "memories/admin/review.html",
        {
            "memory": memory,
            "events": memory.events.select_related("user"),
            "reports": memory.reports.order_by("-created_at")[:20],
            "edit_url": reverse("memories_memory:edit", args=[memory.pk]),
            "replies": memory.replies.select_related("author"),
            "reply_url": reverse(MemoryReply.snippet_viewset.get_url_name("add"))
            + f"?memory={memory.pk}",
            "queue_url": _queue_url(),
        },
    )


def review_audio(request, pk):
    if not memory_permissions.user_has_permission(request.user, "change"):
        raise PermissionDenied
    memory = get_object_or_404(Memory, pk=pk)
    if not memory.audio:
        raise Http404
    return FileResponse(memory.audio.open("rb"), content_type=memory.audio_content_type)


def _queue_url() -> str:
    return reverse("memories_memory:index") + "?status=pending"


@hooks.register("register_admin_urls")
def register_review_url():
    return [
        path("memories/review/<int:pk>/", review, name="memories_review"),
        path("memories/review/<int:pk>/audio/", review_audio, name="memories_review_audio"),
    ]


class PendingMemoriesPanel(Component):
    name = "pending_memories"
    order = 90

    def __init__(self, count: int):
        self.count = count

    def render_html(self, parent_context=None):
        noun = "memory is" if self.count == 1 else "memories are"
        return format_html(
            '<section class="w-mb-8" aria-labelledby="pending-memories-heading">'
            '<h2 id="pending-memories-heading" class="w-h2">Community memories</h2>'
            '<p><a href="{}">{} {} waiting for review</a></p></section>',
            _queue_url(),
            self.count,
            noun,
        )


@hooks.register("construct_homepage_panels")
def add_pending_memories_panel(request, panels):
    if memory_permissions.user_has_permission(request.user, "change"):
        panels.append(PendingMemoriesPanel(selectors.memory_pending_count()))
