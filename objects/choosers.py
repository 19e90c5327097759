"""The object chooser (story blocks, the home page, anywhere an object is chosen): a searchable,
paginated modal over the whole collection (100,000+ objects), never a drop-down.

The admin searches the database directly, as the objects snippet listing does:
an exact accession number first, then title words.
"""

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from .models import CollectionObject


class ObjectSearchForm(BaseFilterForm):
    q = forms.CharField(
        label="Title or accession number",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Title or accession number"}),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        title_words = Q()
        for word in query.split():
            title_words &= Q(title__icontains=word)
        matches = Q(accession_number__istartswith=query) | title_words
        # An exact accession number is what a cataloguer most often types: show it first.
        exact_first = Case(
            When(accession_number__iexact=query, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return objects.filter(matches).order_by(exact_first, "title", "pk")


class ObjectChooseViewMixin:
    filter_form_class = ObjectSearchForm
    per_page = 20

    def get_object_list(self):
        return CollectionObject.objects.only(
            "pk", "title", "accession_number", "date_display", "live"
        ).order_by("-pk")  # newest catalogued first: a walk of the primary key index

    @property
    def columns(self):
        return [
            self.title_column,
            Column("accession_number", label="Accession number"),
            Column("date_display", label="Date"),
            # From the row itself: Wagtail's status column reads each row's revisions.
            Column(
                "live", label="Status", accessor=lambda obj: "Published" if obj.live else "Draft"
            ),
        ]


class ObjectChooseView(ObjectChooseViewMixin, ChooseView):
    pass


class ObjectChooseResultsView(ObjectChooseViewMixin, ChooseResultsView):
    pass


class CollectionObjectChooserViewSet(ChooserViewSet):
    model = CollectionObject
    icon = "image"
    choose_one_text = "Choose an object"
    choose_another_text = "Choose another object"
    edit_item_text = "Edit this object"
    choose_view_class = ObjectChooseView
    choose_results_view_class = ObjectChooseResultsView
    # Only the fields that ask for it get this widget (story blocks, home page);
    # the collection's own snippet forms keep theirs.
    register_widget = False


object_chooser_viewset = CollectionObjectChooserViewSet("collection_object_chooser")
ObjectChooserWidget = object_chooser_viewset.widget_class
