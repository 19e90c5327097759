"""Replies to memories in the admin: a snippet with drafts and revisions.

Curators and Moderators write replies; publishing needs `publish_memoryreply`,
which only Moderators have (memories migration 0005, docs/roles.md). Publishing
one emails the contributor if they asked (memories.apps, memories.updates).
"""

from django import forms
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .choosers import memory_chooser_viewset
from .models import Memory, MemoryReply


class ReplyCreateView(CreateView):
    def get_initial_form_instance(self):
        """From a memory's review page (?memory=<id>): the reply starts under it."""
        value = self.request.GET.get("memory", "")
        if value.isascii() and value.isdigit():
            memory = Memory.objects.filter(pk=int(value)).first()
            if memory is not None:
                return MemoryReply(memory=memory)
        return super().get_initial_form_instance()


class MemoryReplyViewSet(SnippetViewSet):
    model = MemoryReply
    icon = "comment"
    menu_label = "Replies to memories"
    menu_order = 251
    add_to_admin_menu = True
    url_prefix = "memories/replies"
    add_view_class = ReplyCreateView
    list_display = ["__str__", "author", "live", "updated_at"]
    list_filter = ["live"]
    search_fields = ["text"]
    search_backend_name = None
    ordering = ["-updated_at"]
    panels = [
        FieldPanel("memory", widget=memory_chooser_viewset.widget_class),
        # A plain list: there are a handful of staff profiles, and no chooser to open.
        FieldPanel("author", widget=forms.Select),
        FieldPanel("text"),
    ]

    def get_queryset(self, request):
        return MemoryReply.objects.select_related("memory", "author")
