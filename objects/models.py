"""The archive: collection objects and the people, shows, subjects and places
they are catalogued against.

Objects are plain models edited through Wagtail snippets (objects/wagtail_hooks.py),
not pages: there are 10,000+ of them and they need no place in the page tree.
Only `live` (published) objects are ever shown to the public.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
)

from foundation.absolute_urls import path_for

from .presentation import object_detail_context
from .rights import DEFAULT_RIGHTS_URI, RIGHTS_CHOICES, RIGHTS_STATEMENTS
from .vocabulary import Term, TermMatcher

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
# A new object's slug: "<accession number> <title>", cut to this length.
OBJECT_SLUG_LENGTH = 110


def unique_slug(model, text: str, *, max_length: int = 80) -> str:
    """A slug for `text` not yet used by `model`, suffixed -2, -3... if needed."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return slug


class SluggedName(models.Model):
    """A named thing with a stable public slug and a page of its own."""

    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name)
        super().save(*args, **kwargs)


class Maker(SluggedName):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSON)
    dates = models.CharField(max_length=100, blank=True, help_text='For example "1901–1985".')
    biography = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    panels = SluggedName.panels + [FieldPanel("kind"), FieldPanel("dates"), FieldPanel("biography")]

    def get_absolute_url(self):
        return reverse("objects:maker", args=[self.slug])


class Subject(SluggedName):
    def get_absolute_url(self):
        return reverse("objects:subject", args=[self.slug])


class Place(SluggedName):
    def get_absolute_url(self):
        return reverse("objects:place", args=[self.slug])


class Production(models.Model):
    """A show at BAC: most objects in the archive belong to one."""

    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    company = models.CharField(max_length=255, blank=True)
    date_display = models.CharField(
        max_length=100, blank=True, help_text='As people would say it: "Spring 1998".'
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    venue_space = models.CharField(
        max_length=255, blank=True, help_text="Where in the building, e.g. the Grand Hall."
    )
    description = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("company"),
        FieldRowPanel(
            [FieldPanel("date_display"), FieldPanel("start_date"), FieldPanel("end_date")]
        ),
        FieldPanel("venue_space"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "date_display"], name="unique_production")
        ]

    def __str__(self):
        return f"{self.title} ({self.date_display})" if self.date_display else self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Production, f"{self.title} {self.date_display}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("objects:production", args=[self.slug])


class ObjectType(SluggedName):
    """A term in the archive's vocabulary of object types, managed by staff.

    The slug is what URLs, filters (`?object_type=poster`) and the search
    indexes use; the name is what people read. The importer also matches the
    alternative labels, one per line.
    """

    description = models.TextField(blank=True)
    alternative_labels = models.TextField(
        blank=True,
        help_text=(
            'Other names for this type, one per line (for example "Playbill"). '
            "Imports match them as well as the name."
        ),
    )
    added_by_import = models.BooleanField(
        default=False,
        help_text=(
            "Added by an import from a catalogue's own term. Review it: keep it (untick "
            "this), rename it, or merge it into an existing type."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel(
            "slug",
            help_text="Used in web addresses and filters; changing it breaks links people saved.",
        ),
        FieldPanel("description"),
        FieldPanel("alternative_labels"),
        FieldPanel("added_by_import"),
    ]

    class Meta(SluggedName.Meta):
        verbose_name = "object type"

    @property
    def alternative_label_list(self) -> list[str]:
        return [label.strip() for label in self.alternative_labels.splitlines() if label.strip()]

    def as_term(self) -> Term:
        """The plain values the vocabulary matches on (cached, pickled safely)."""
        return Term(
            id=self.pk,
            slug=self.slug,
            name=self.name,
            alternative_labels=tuple(self.alternative_label_list),
        )

    def clean(self):
        """Refuse a name or label that already names another term: an import
        could not tell which of the two a catalogue means."""
        others = TermMatcher(term.as_term() for term in ObjectType.objects.exclude(pk=self.pk))
        errors = {}
        for field, labels in (
            ("name", [self.name]),
            ("alternative_labels", self.alternative_label_list),
        ):
            for label in labels:
                other = others.match(label)
                if other is not None:
                    errors.setdefault(field, []).append(
                        f"'{label}' already names the object type '{other.name}'. "
                        "Merge the two types instead, or choose another word."
                    )
        if errors:
            raise ValidationError(errors)


class CollectionObject(
    PreviewableMixin, LockableMixin, DraftStateMixin, RevisionMixin, ClusterableModel
):
    accession_number = models.CharField(
        max_length=64, unique=True, help_text="The archive's unique number for this object."
    )
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, unique=True, blank=True, editable=False)
    # No index of its own: listings use (live, object_type, date) below, and
    # only a rare merge or delete of a term looks objects up by type alone.
    # Every index is paid for on each of the importer's 10,000 rows a second.
    object_type = models.ForeignKey(
        ObjectType, on_delete=models.PROTECT, related_name="collection_objects", db_index=False
    )
    description = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    date_display = models.CharField(
        max_length=100, blank=True, help_text='The date as catalogued: "c. 1985", "1970s".'
    )
    date_earliest = models.SmallIntegerField(null=True, blank=True, help_text="Year, for sorting.")
    date_latest = models.SmallIntegerField(null=True, blank=True, help_text="Year, for sorting.")
    # Reverse accessors are `collection_objects`, not `objects`, which would hide the
    # default manager (`Production.objects`) of the related models.
    # Indexed by (production, live, date) below, which also serves lookups by production.
    production = models.ForeignKey(
        Production,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collection_objects",
        db_index=False,
    )
    subjects = ParentalManyToManyField(Subject, blank=True, related_name="collection_objects")
    places = ParentalManyToManyField(Place, blank=True, related_name="collection_objects")
    materials = models.CharField(max_length=500, blank=True)
    dimensions = models.CharField(max_length=500, blank=True)
    credit_line = models.CharField(max_length=1000, blank=True)
    rights_uri = models.CharField(
        "rights statement", max_length=100, choices=RIGHTS_CHOICES, default=DEFAULT_RIGHTS_URI
    )
    content_warning = models.CharField(
        max_length=500,
        blank=True,
        help_text=(
            "If set, images are hidden behind this warning until the visitor chooses to see them."
        ),
    )
    is_sample_content = models.BooleanField(
        default=False, help_text="Demo records, labelled as sample data on the site."
    )
    view_count = models.PositiveIntegerField(default=0, editable=False)
    # Whether the object has an ObjectImage row: kept by database triggers (migration
    # 0013) whichever way images are written, so browse can list objects with images
    # first from an index. Never set it from Python: the triggers overwrite it.
    has_image = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    catalogue_panels = [
        FieldPanel("accession_number"),
        FieldPanel("title"),
        FieldPanel("object_type"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("date_display"),
                FieldRowPanel([FieldPanel("date_earliest"), FieldPanel("date_latest")]),
            ],
            heading="Date",
        ),
        InlinePanel("object_makers", heading="Makers", label="Maker"),
        FieldPanel("production"),
        FieldPanel("subjects"),
        FieldPanel("places"),
        FieldPanel("materials"),
        FieldPanel("dimensions"),
    ]
    images_panels = [
        InlinePanel(
            "object_images",
            heading="Images",
            label="Image",
            help_text="The first image is the primary one.",
        ),
        FieldPanel("content_warning"),
    ]
    rights_panels = [FieldPanel("credit_line"), FieldPanel("rights_uri")]
    edit_handler = TabbedInterface(
        [
            ObjectList(catalogue_panels, heading="Catalogue"),
            ObjectList(images_panels, heading="Images"),
            ObjectList(rights_panels, heading="Rights"),
        ]
    )

    class Meta:
        ordering = ["accession_number"]
        # Each index matches one public listing's WHERE + ORDER BY exactly, so a page
        # is an index range scan at any depth. Browse lists objects with images first
        # (the `image` indexes); its newest-first order also has a PostgreSQL-only
        # index (migration 0013): SQLite cannot index NULLS LAST.
        indexes = [
            models.Index(fields=["live", "date_earliest", "id"], name="object_live_date"),
            models.Index(
                fields=["live", "-has_image", "date_earliest", "id"], name="object_live_image_date"
            ),
            models.Index(
                fields=["live", "-has_image", "title", "id"], name="object_live_image_title"
            ),
            models.Index(
                fields=["live", "-has_image", "-title", "-id"], name="object_live_image_title_desc"
            ),
            models.Index(
                fields=["live", "object_type", "-has_image", "date_earliest", "id"],
                name="object_live_type_image_date",
            ),
            models.Index(fields=["live", "view_count", "id"], name="object_live_views"),
            models.Index(
                fields=["production", "live", "date_earliest", "id"], name="object_production_date"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.accession_number})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                CollectionObject,
                f"{self.accession_number} {self.title}",
                max_length=OBJECT_SLUG_LENGTH,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # Lists link dozens of objects a page: the pattern is reversed once per process.
        return path_for("objects:object", self.slug)

    @property
    def rights_label(self):
        return RIGHTS_STATEMENTS.get(self.rights_uri, self.rights_uri)

    @property
    def primary_image(self):
        """The first ObjectImage, from the prefetch cache when the selector loaded one."""
        return next(iter(self.object_images.all()), None)

    @property
    def decade(self):
        return None if self.date_earliest is None else self.date_earliest // 10 * 10

    def get_preview_template(self, request, mode_name):
        return "objects/object_detail.html"

    def get_preview_context(self, request, mode_name):
        # The preview is the public page, with the draft's makers and images.
        return object_detail_context(obj=self, request=request)


class ObjectMaker(Orderable):
    object = ParentalKey(CollectionObject, on_delete=models.CASCADE, related_name="object_makers")
    maker = models.ForeignKey(Maker, on_delete=models.CASCADE, related_name="object_makers")
    role = models.CharField(max_length=100, blank=True, help_text='For example "designer".')

    panels = [FieldPanel("maker"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["object", "maker", "role"], name="unique_object_maker_role"
            )
        ]
        # "More by this maker" walks a maker's objects in id order.
        indexes = [models.Index(fields=["maker", "object"], name="objectmaker_maker_object")]

    def __str__(self):
        return f"{self.maker} ({self.role})" if self.role else str(self.maker)


class ObjectImage(Orderable):
    object = ParentalKey(CollectionObject, on_delete=models.CASCADE, related_name="object_images")
    image = models.ForeignKey(
        "images.ArchiveImage", on_delete=models.CASCADE, related_name="object_images"
    )
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        help_text=(
            "What the image shows, for people who cannot see it. "
            "Defaults to the image's description."
        ),
    )
    credit = models.CharField(max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("credit")]

    def __str__(self):
        return self.alt or str(self.image)

    @property
    def alt(self):
        return self.alt_text or self.image.description or self.image.title
