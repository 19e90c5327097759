from django.db import models
from wagtail.admin.panels import FieldPanel

from objects.models import unique_slug


class CardColour(models.TextChoices):
    """Colours of the card a story without a hero image gets (site.css
    `.story-art--<value>`), each with white text at 7:1 or more."""

    RED = "red", "Theatre red"
    BLUE = "blue", "Night blue"
    GREEN = "green", "Park green"
    PURPLE = "purple", "Velvet purple"
    OCHRE = "ochre", "Brick ochre"


class Theme(models.Model):
    """A staff-managed vocabulary word that groups stories ("Protest", "The building")."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    description = models.TextField(blank=True, max_length=500)
    colour = models.CharField(
        max_length=10,
        choices=CardColour.choices,
        default=CardColour.RED,
        help_text="The card of a story in this theme that has no hero image.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("colour"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Theme, self.name)
        super().save(*args, **kwargs)
