"""The admin's "Merge into another type" view for object types.

Two steps, like Wagtail's delete view: choose the term to keep, then confirm
a summary of what will happen ("Move 12 objects from 'Photo' to
'Photograph' and delete 'Photo'"). The work is objects.services.object_type_merge.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log

from .models import ObjectType
from .services import object_type_merge

MERGE_LOG_ACTION = "objects.object_type_merge"


class MergeIntoForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=ObjectType.objects.none(),
        label="Merge into",
        help_text="The type to keep. Its name and web address stay as they are.",
        empty_label="Choose a type",
    )

    def __init__(self, *args, source: ObjectType, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = ObjectType.objects.exclude(pk=source.pk).order_by("name")


class ObjectTypeMergeView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    model = ObjectType
    permission_required = "change"
    template_name = "objects/admin/object_type_merge.html"
    header_icon = "resubmit"
    # Set by the viewset: the names of its list and edit URLs.
    index_url_name = None
    edit_url_name = None

    def get_page_title(self):
        return f"Merge '{self.object}'"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": "Object types"},
            {"url": reverse(self.edit_url_name, args=[self.object.pk]), "label": str(self.object)},
            {"url": "", "label": "Merge"},
        ]

    def get(self, request, *args, **kwargs):
        form = MergeIntoForm(request.GET if "into" in request.GET else None, source=self.object)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = MergeIntoForm(request.POST, source=self.object)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        target = form.cleaned_data["into"]
        name = str(self.object)
        moved = object_type_merge(source=self.object, target=target)
        log(
            instance=target,
            action=MERGE_LOG_ACTION,
            user=request.user,
            data={"merged": name, "objects_moved": len(moved)},
        )
        messages.success(
            request,
            f"Merged '{name}' into '{target}': {len(moved):,} "
            f"object{'' if len(moved) == 1 else 's'} moved.",
        )
        return redirect(self.edit_url_name, target.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs["form"]
        context["object"] = self.object
        context["object_count"] = self.object.collection_objects.count()
        # A valid choice is the confirmation step; otherwise choose a term.
        context["target"] = form.cleaned_data["into"] if form.is_bound and form.is_valid() else None
        context["confirming"] = self.request.method == "GET" and context["target"] is not None
        context["cancel_url"] = reverse(self.edit_url_name, args=[self.object.pk])
        return context
