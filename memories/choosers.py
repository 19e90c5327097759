"""The memory chooser staff use to place a published memory in a story."""

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from .models import Memory


class ApprovedMemoriesMixin:
    per_page = 20

    def get_object_list(self):
        return (
            Memory.objects.filter(status=Memory.Status.APPROVED)
            .select_related("object", "production")
            .order_by("-approved_at", "-pk")
        )

    @property
    def columns(self):
        return [
            self.title_column,
            Column("subject", label="About"),
            Column("when_happened", label="When"),
        ]


class MemoryChooseView(ApprovedMemoriesMixin, ChooseView):
    pass


class MemoryChooseResultsView(ApprovedMemoriesMixin, ChooseResultsView):
    pass


class MemoryChooserViewSet(ChooserViewSet):
    model = Memory
    icon = "openquote"
    choose_one_text = "Choose a memory"
    choose_another_text = "Choose another memory"
    choose_view_class = MemoryChooseView
    choose_results_view_class = MemoryChooseResultsView
    register_widget = False


memory_chooser_viewset = MemoryChooserViewSet("memory_chooser")
