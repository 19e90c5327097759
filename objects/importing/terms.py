"""Object types named in an import file, matched to the vocabulary once per file.

A catalogue uses its own words. Each distinct value is matched once
(objects/vocabulary.py: any case, singular or plural, name, slug or
alternative label); what matches nothing is reported once, with how many rows
use it and the nearest existing term, or, with --add-missing-terms, added to
the vocabulary marked for staff to review.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from objects.models import ObjectType
from objects.vocabulary import TermMatcher, term_key
from objects.vocabulary_writes import object_types_add

# A blank cell, or a new object in a file without the column, is "Other".
DEFAULT_TERM = "Other"


@dataclass(frozen=True)
class UnknownTerm:
    text: str  # As the file spells it most often.
    rows: int
    closest: str | None  # The nearest existing term's name.

    def problem(self) -> str:
        hint = f"closest: '{self.closest}'" if self.closest else "no existing type is close"
        rows = f"{self.rows:,} row" if self.rows == 1 else f"{self.rows:,} rows"
        return f"'{self.text}' ({rows}) is not an object type; {hint}"

    def row_problem(self) -> str:
        hint = f"; closest: '{self.closest}'" if self.closest else ""
        return (
            f"'{self.text}' is not an object type{hint}. Add it (or an alternative label) "
            "in the admin, or import with --add-missing-terms"
        )


class ObjectTypeTerms:
    """The file's object type values (cell text, blank for none), resolved to term ids."""

    def __init__(self, counts: Counter[str]):
        # Read fresh, not from the cache: the import may add terms.
        self.matcher = TermMatcher(term.as_term() for term in ObjectType.objects.order_by("name"))
        self.ids: dict[str, int] = {}
        # Spellings of one unknown term ("Textiles", "textiles") are reported together.
        groups: dict[str, Counter[str]] = defaultdict(Counter)
        for text, rows in counts.items():
            term = self.matcher.match(text or DEFAULT_TERM)
            if term is not None:
                self.ids[text] = term.id
            else:
                groups[term_key(text or DEFAULT_TERM)][text] += rows
        self.unknown: dict[str, UnknownTerm] = {}
        for group in groups.values():
            text = group.most_common(1)[0][0] or DEFAULT_TERM
            closest = self.matcher.closest(text)
            unknown = UnknownTerm(text, sum(group.values()), closest.name if closest else None)
            self.unknown.update(dict.fromkeys(group, unknown))
        self.added: list[UnknownTerm] = []
        self._default_id: int | None = None

    @property
    def unknown_terms(self) -> list[UnknownTerm]:
        """Each unknown term once, the most used first."""
        return sorted(set(self.unknown.values()), key=lambda unknown: (-unknown.rows, unknown.text))

    def add_missing(self) -> None:
        """Add every unknown term to the vocabulary, marked as added by import."""
        terms = self.unknown_terms
        created = object_types_add(names=[unknown.text for unknown in terms])
        for text, unknown in self.unknown.items():
            self.ids[text] = created[unknown.text].pk
        self.added, self.unknown = terms, {}

    def id_for(self, text: str) -> int | None:
        """The term id for a cell's text, None if it names no term."""
        return self.ids.get(text)

    def default_id(self) -> int:
        """The type of a new object the file gives none: "Other" (re-added if deleted)."""
        if self._default_id is None:
            term = self.matcher.match(DEFAULT_TERM)
            if term is not None:
                self._default_id = term.id
            else:
                self._default_id = object_types_add(names=[DEFAULT_TERM])[DEFAULT_TERM].pk
        return self._default_id
