"""From a collection object to what each backend indexes.

`indexable_objects()` is the one place that decides what is searchable (live
objects) and loads everything a document needs in a fixed number of queries,
so indexing 500 objects costs the same handful of queries as indexing one.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from objects.models import CollectionObject, ObjectImage, ObjectMaker

from .documents import CollectionObjectDocument
from .models import SearchEntry
from .results import labelled_facet_key
from .text import MIN_TERM_LENGTH, fold, plain_text, words

OBJECT_LABEL = "objects.CollectionObject"


def indexable_objects() -> QuerySet[CollectionObject]:
    return (
        CollectionObject.objects.filter(live=True)
        .select_related("production", "object_type")
        .prefetch_related(
            Prefetch(
                "object_makers",
                queryset=ObjectMaker.objects.select_related("maker").order_by("sort_order", "pk"),
            ),
            "subjects",
            "places",
        )
        .annotate(has_image=Exists(ObjectImage.objects.filter(object=OuterRef("pk"))))
        .order_by("pk")
    )


@dataclass(frozen=True)
class IndexedObject:
    """The searchable facts about one object, shared by both backends."""

    pk: int
    title: str
    slug: str
    accession_number: str
    object_type: str
    date_display: str
    date_earliest: int | None
    decade: int | None
    makers: list[tuple[str, str]]  # (slug, name)
    production: tuple[str, str] | None  # (slug, title)
    subjects: list[tuple[str, str]]
    places: list[str]
    materials: str
    description: str
    has_image: bool
    updated_at: object

    @classmethod
    def from_object(cls, obj: CollectionObject) -> "IndexedObject":
        makers = []
        for object_maker in obj.object_makers.all():
            pair = (object_maker.maker.slug, object_maker.maker.name)
            if pair not in makers:  # one maker in two roles is one facet value
                makers.append(pair)
        production = obj.production
        return cls(
            pk=obj.pk,
            title=obj.title,
            slug=obj.slug,
            accession_number=obj.accession_number,
            object_type=obj.object_type.slug,
            date_display=obj.date_display,
            date_earliest=obj.date_earliest,
            decade=obj.decade,
            makers=makers,
            production=(production.slug, production.title) if production else None,
            subjects=[(subject.slug, subject.name) for subject in obj.subjects.all()],
            places=[place.name for place in obj.places.all()],
            materials=obj.materials,
            description=plain_text(obj.description),
            has_image=bool(getattr(obj, "has_image", False)),
            updated_at=obj.updated_at,
        )

    @property
    def maker_names(self) -> str:
        return "; ".join(name for _slug, name in self.makers)

    @property
    def production_title(self) -> str:
        return self.production[1] if self.production else ""

    @property
    def keywords(self) -> str:
        subjects = [name for _slug, name in self.subjects]
        return " ".join([*subjects, *self.places, self.materials]).strip()

    @property
    def spelling_text(self) -> str:
        return " ".join([self.title, self.maker_names, self.production_title])

    def facet_keys(self) -> list[str]:
        keys = [f"type|{self.object_type}", f"image|{'yes' if self.has_image else 'no'}"]
        if self.decade is not None:
            keys.append(f"decade|{self.decade}")
        if self.production:
            keys.append(f"production|{labelled_facet_key(*self.production)}")
        keys += [f"maker|{labelled_facet_key(*maker)}" for maker in self.makers]
        keys += [f"subject|{labelled_facet_key(*subject)}" for subject in self.subjects]
        return keys

    def vocabulary(self) -> set[str]:
        """Words "did you mean" may suggest: from titles and names only,
        so a correction is always something people would search for."""
        return {
            word
            for word in words(self.spelling_text) + words(self.maker_names)
            if len(word) >= MIN_TERM_LENGTH and word.isalpha() and len(word) <= 64
        }

    def to_entry(self) -> SearchEntry:
        return SearchEntry(
            object_id=self.pk,
            title=self.title,
            slug=self.slug,
            accession_number=self.accession_number,
            object_type=self.object_type,
            date_display=self.date_display,
            makers=self.maker_names,
            production=self.production_title,
            description=self.description,
            keywords=self.keywords,
            has_image=self.has_image,
            decade=self.decade,
            date_earliest=self.date_earliest,
            sort_title=fold(self.title)[:255],
            production_slug=self.production[0] if self.production else "",
            facet_keys=self.facet_keys(),
            folded_title=fold(f"{self.title} {self.accession_number}"),
            folded_names=fold(f"{self.maker_names} {self.production_title}"),
            folded_text=fold(
                " ".join(
                    [
                        self.title,
                        self.accession_number,
                        self.maker_names,
                        self.production_title,
                        self.keywords,
                        self.description,
                    ]
                )
            ),
            source_updated_at=self.updated_at,
        )

    def to_document(self) -> CollectionObjectDocument:
        document = CollectionObjectDocument(
            object_id=self.pk,
            accession_number=self.accession_number,
            title=self.title,
            makers=[name for _slug, name in self.makers],
            production=self.production_title,
            subjects=[name for _slug, name in self.subjects],
            places=self.places,
            materials=self.materials,
            description=self.description,
            spelling=self.spelling_text,
            object_type=self.object_type,
            decade=self.decade,
            date_earliest=self.date_earliest,
            has_image=self.has_image,
            production_facet=labelled_facet_key(*self.production) if self.production else None,
            maker_facet=[labelled_facet_key(*maker) for maker in self.makers],
            subject_facet=[labelled_facet_key(*subject) for subject in self.subjects],
            slug=self.slug,
            date_display=self.date_display,
            updated_at=self.updated_at,
        )
        document.meta.id = self.pk
        return document


def indexed_objects(pks: Iterable[int]) -> list[IndexedObject]:
    """The live objects among `pks`; deleted and unpublished ones are absent."""
    return [IndexedObject.from_object(obj) for obj in indexable_objects().filter(pk__in=list(pks))]


def count_vocabulary(objects: Iterable[IndexedObject], counter: Counter) -> None:
    for indexed in objects:
        counter.update(indexed.vocabulary())


def object_pks_mentioning(model_label: str, pks: list[int]) -> list[int]:
    """Objects whose search text includes these makers/productions/subjects/places."""
    lookups = {
        "objects.Maker": "object_makers__maker__in",
        "objects.Production": "production__in",
        "objects.Subject": "subjects__in",
        "objects.Place": "places__in",
        "objects.ObjectType": "object_type__in",
    }
    if model_label not in lookups:
        raise ValueError(f"{model_label} is not searchable and mentions no objects.")
    return list(
        CollectionObject.objects.filter(**{lookups[model_label]: pks})
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
