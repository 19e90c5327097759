from django.db import models
from wagtail.admin.panels import FieldPanel


class StaffProfile(models.Model):
    """A member of BAC staff who writes stories: shown as a story's author."""

    name = models.CharField(max_length=255)
    role = models.CharField(max_length=255, blank=True, help_text='For example "Archivist".')
    photo = models.ForeignKey(
        "images.ArchiveImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A head-and-shoulders portrait (optional).",
    )
    bio = models.TextField(
        blank=True, max_length=600, help_text="Two or three sentences, shown under their stories."
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("photo"), FieldPanel("bio")]

    class Meta:
        ordering = ["name"]
        verbose_name = "staff profile"

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name
