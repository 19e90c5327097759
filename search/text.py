"""Text helpers shared by the database backend and the indexer (rich text as
plain text is foundation/text.py).

Search input is only ever treated as words: anything that looks like query
syntax (quotes, `*`, `AND`, brackets) is just punctuation here.
"""

import html
import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
MIN_TERM_LENGTH = 3

# Letters and digits; underscores and punctuation separate words.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: "Café" -> "cafe"."""
    if text.isascii():  # most text: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str, *, limit: int | None = MAX_QUERY_WORDS) -> list[str]:
    """The folded words of `text`, in order, at most `limit` of them."""
    return _WORD.findall(fold(text))[:limit]


def matchable(text: str) -> str:
    """All of `text`'s folded words, space-separated: how documents are
    stored and queries matched, so both are split into words the same way
    ("B-52" is "b 52", "O'Brien's" is "o brien s")."""
    return " ".join(words(text, limit=None))


def printable(text: str) -> str:
    """`text` without control characters (PostgreSQL refuses NUL outright)."""
    return "".join(char if char.isprintable() else " " for char in text)


def clean_query(text: str) -> str:
    """User input as the words it contains, joined by spaces."""
    return " ".join(_WORD.findall(text[:MAX_QUERY_LENGTH]))[:MAX_QUERY_LENGTH]


def stem(word: str) -> str:
    """A crude English stem, enough for SQLite matching and highlighting:
    "posters" and "poster's" both match "poster"."""
    for suffix in ("ies", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def highlight(text: str, query: str, *, max_length: int = 180) -> str:
    """`text` escaped, cut to a fragment around the first match, with matched
    words wrapped in <mark>. Empty when nothing in `text` matches."""
    stems = {stem(word) for word in words(query)}
    if not text or not stems:
        return ""
    matches = [m for m in _WORD.finditer(text) if stem(fold(m.group())).startswith(tuple(stems))]
    if not matches:
        return ""
    start = max(0, matches[0].start() - max_length // 3)
    if start:
        # Start the fragment at a word boundary.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < matches[0].start() else start
    end = min(len(text), start + max_length)
    pieces, cursor = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(html.escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        cursor = match.end()
    pieces.append(html.escape(text[cursor:end]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix


def allowed_edits(word: str) -> int:
    """Typing errors forgiven in a word, as Elasticsearch's `fuzziness: AUTO`:
    none up to 2 characters, one up to 5, two beyond."""
    if len(word) < MIN_TERM_LENGTH:
        return 0
    return 1 if len(word) <= 5 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: swapping two
    adjacent letters is one edit, as in Elasticsearch), or `limit + 1` once
    it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
