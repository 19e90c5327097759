"""Search relevance on Tate's open catalogue, shared by `bench_search` and
the relevance test (tests/search/test_relevance.py)."""

import csv
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from objects.models import CollectionObject
from search.backends import search
from search.results import SearchRequest
from search.text import words

TATE_CSV = Path(settings.BASE_DIR).parent / "shared" / "data" / "tate" / "artwork_data.csv"
SEED = 20_26
RELEVANCE_SAMPLE = 200
_LETTERS = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class RelevanceCase:
    accession_number: str
    title: str
    misspelt: str


def read_tate_rows(path: Path = TATE_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def transposed(title: str, rng: random.Random) -> str:
    """`title` with two adjacent, different letters of its longest word
    swapped: "Dieppe Harbour" -> "Dieppe Harbuor"."""
    word = max(_LETTERS.finditer(title), key=lambda match: len(match.group()))
    pairs = [i for i in range(word.start(), word.end() - 1) if title[i] != title[i + 1]]
    i = rng.choice(pairs)
    return title[:i] + title[i + 1] + title[i] + title[i + 2 :]


def relevance_sample(rows: list[dict[str, str]], n: int = RELEVANCE_SAMPLE) -> list[RelevanceCase]:
    """A fixed random sample of titles that name one record each (a title
    shared by dozens of records cannot put a given one on page 1) and have a
    word of 4+ letters to misspell."""
    counts = Counter(" ".join(words(row["title"], limit=None)) for row in rows)
    candidates = [
        row
        for row in rows
        if counts[" ".join(words(row["title"], limit=None))] == 1
        and any(len(set(m.group().lower())) > 1 for m in _LETTERS.finditer(row["title"]))
    ]
    rng = random.Random(SEED)
    return [
        RelevanceCase(row["accession_number"], row["title"], transposed(row["title"], rng))
        for row in rng.sample(candidates, min(n, len(candidates)))
    ]


def found_on_page_one(query: str, pk: int) -> bool:
    return any(
        hit.kind == "objects" and hit.id == pk for hit in search(SearchRequest(query=query)).hits
    )


@dataclass(frozen=True)
class HitRates:
    measured: int  # the cases whose record is in the database
    exact: float
    misspelt: float
    misses: list[str]


def hit_rates(cases: list[RelevanceCase]) -> HitRates:
    """The shares of `cases` found on page 1 by their exact and misspelt
    titles, among those whose record is in the database, and the misses."""
    pks = dict(
        CollectionObject.objects.filter(
            live=True, accession_number__in=[case.accession_number for case in cases]
        ).values_list("accession_number", "pk")
    )
    cases = [case for case in cases if case.accession_number in pks]
    exact = misspelt = 0
    misses = []
    for case in cases:
        pk = pks[case.accession_number]
        if found_on_page_one(case.title, pk):
            exact += 1
        else:
            misses.append(f"exact: {case.title}")
        if found_on_page_one(case.misspelt, pk):
            misspelt += 1
        else:
            misses.append(f"misspelt: {case.misspelt} ({case.title})")
    measured = max(len(cases), 1)
    return HitRates(len(cases), exact / measured, misspelt / measured, misses)
