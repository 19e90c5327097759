"""Ranking rules both backends apply, defined once (database.py and engine.py import
them; the backend chooser in __init__.py imports both backends)."""

# Suggestions as you type, at most.
SUGGEST_LIMIT = 8
# Of equal relevance, a record with an image comes first.
IMAGE_BOOST = 1.1
# The record whose identifier (accession number) is exactly what was typed comes
# first. Both backends add it to a record's score: the database to a ts_rank below
# about 3, the engine (as a term query's boost) to BM25 scores whose title matches
# reach tens; 20 puts it first in both (tests/search/test_identifier_boost.py).
IDENTIFIER_BOOST = 20.0
# Without words to rank by, "best match" puts records with images first, then
# orders by title: (field, direction), each backend naming the fields its way.
UNRANKED_RELEVANCE = (("has_image", "desc"), ("title", "asc"))
