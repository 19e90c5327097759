"""Matching people's words to vocabulary terms (object types), without the database.

A catalogue says "Photographs", "photo" or "PROGRAMMES"; the vocabulary has
"Photograph" (alternative label "Photo") and "Programme". Terms are matched
on a key that ignores case, spacing, hyphens and a plural last word, by name,
slug or any alternative label. Used by the importer and by the admin, which
refuses a label that would make two terms match the same words.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s_\-]+")
# Below this similarity a "closest term" would mislead more than help.
_CLOSEST_CUTOFF = 0.7


def term_key(text: str) -> str:
    """Lower case, accents and punctuation at the ends dropped, one space between words."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub(" ", text).strip(" .,;:")


def _singulars(word: str) -> list[str]:
    """What a plural English word may be the plural of: boxes, diaries, prints."""
    forms = []
    if len(word) > 3 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith("es"):
        forms.append(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        forms.append(word[:-1])
    return forms


def key_variants(text: str) -> list[str]:
    """The key, then the key with its last word made singular."""
    key = term_key(text)
    head, _, last = key.rpartition(" ")
    prefix = f"{head} " if head else ""
    return [key, *(prefix + form for form in _singulars(last))]


@dataclass(frozen=True)
class Term:
    id: int
    slug: str
    name: str
    alternative_labels: tuple[str, ...] = ()

    @property
    def labels(self) -> list[str]:
        return [self.name, self.slug, *self.alternative_labels]


class TermMatcher:
    """Finds the term a word or phrase names, and the nearest term when none does."""

    def __init__(self, terms: Iterable[Term]):
        self.terms = list(terms)
        self._by_key: dict[str, Term] = {}
        # Labels as written take precedence over their singular forms (a label
        # may itself be plural: "Ephemera", "Glasses").
        for position in (0, 1, 2):
            for term in self.terms:
                for label in term.labels:
                    variants = key_variants(label)
                    if position < len(variants):
                        self._by_key.setdefault(variants[position], term)

    def match(self, text: str) -> Term | None:
        """The term `text` names: as written first, then as a plural."""
        for variant in key_variants(text):
            term = self._by_key.get(variant)
            if term is not None:
                return term
        return None

    def closest(self, text: str) -> Term | None:
        """The term most like `text`, if any is reasonably alike: a term whose
        words are all in the text ("costume" for "costume designs") wins."""
        key = term_key(text)
        words = {form for word in key.split() for form in (word, *_singulars(word))}
        best, best_score = None, _CLOSEST_CUTOFF
        for term in self.terms:
            for label in term.labels:
                label_key = term_key(label)
                score = difflib.SequenceMatcher(None, key, label_key).ratio()
                if label_key and set(label_key.split()) <= words:
                    score = max(score, 0.9)
                if score > best_score:
                    best, best_score = term, score
        return best
