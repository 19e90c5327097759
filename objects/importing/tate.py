"""Tate's open collection CSV (artwork_data.csv) mapped onto canonical columns.

Tate's file is read as it is published: UTF-8 with a byte order mark, one
artwork per record, dimensions spanning several lines. Tate released the
metadata under CC0, so every record carries the CC0 rights URI; Tate's
images are not part of it and are not imported.
"""

import functools

from .dates import BadDate, parse_year, years_from_display

TATE_REQUIRED_COLUMNS = (
    "accession_number",
    "artist",
    "artistRole",
    "title",
    "dateText",
    "medium",
    "creditLine",
    "year",
    "dimensions",
)

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"

# Tate writes "no date" in the year column for some undated works.
_NO_YEAR = {"", "no date"}

# Read against the first material of the medium ("Oil paint on canvas" ->
# "oil paint"). Order matters: photographs and prints name paper supports and
# inks that would otherwise read as drawings. Watercolour and gouache count as
# drawings, as in most print-room catalogues (the British Museum's among them).
_TYPE_KEYWORDS = (
    ("photograph", ("photograph", "gelatin", "gelatine", "chromogenic", "albumen", "cyanotype")),
    (
        "print",
        (
            "print",
            "etching",
            "engraving",
            "lithograph",
            "aquatint",
            "mezzotint",
            "woodcut",
            "linocut",
            "drypoint",
            "intaglio",
            "copper plate",
            "stipple",
        ),
    ),
    ("painting", ("oil", "acrylic", "tempera", "enamel paint", "paint")),
    (
        "drawing",
        (
            "graphite",
            "pencil",
            "chalk",
            "charcoal",
            "ink",
            "pastel",
            "crayon",
            "watercolour",
            "gouache",
        ),
    ),
    (
        "sculpture",
        (
            "bronze",
            "marble",
            "plaster",
            "stone",
            "wood",
            "steel",
            "iron",
            "resin",
            "fibreglass",
            "clay",
            "terracotta",
            "aluminium",
            "brass",
            "glass",
        ),
    ),
)


@functools.lru_cache(maxsize=4096)
def object_type_for_medium(medium: str) -> str:
    """The ObjectType value a Tate medium most plainly describes, else "other"."""
    primary = medium.lower().split(" on ")[0]
    for object_type, keywords in _TYPE_KEYWORDS:
        if any(keyword in primary for keyword in keywords):
            return object_type
    return "other"


def tate_row_to_canonical(values: dict[str, str]) -> dict[str, str]:
    """A Tate artwork record as canonical import values (see docs/importing.md)."""
    date_text = values["dateText"].strip()
    earliest, latest = _years(values["year"].strip(), date_text)
    artist = values["artist"].strip()
    role = values["artistRole"].strip()
    return {
        "accession_number": values["accession_number"],
        "title": values["title"],
        "object_type": object_type_for_medium(values["medium"]),
        "date_display": date_text,
        "date_earliest": earliest,
        "date_latest": latest,
        # One maker, kept in Tate's "Surname, Forename" form; the role is
        # Tate's own ("artist", "after", "attributed to", ...).
        "makers": f"{artist} ({role})" if artist and role else artist,
        "materials": values["medium"],
        "dimensions": values["dimensions"],
        "credit_line": values["creditLine"],
        "rights": CC0,
    }


def _years(year: str, date_text: str) -> tuple[str, str]:
    """Tate's `year` is the start year; the end of a range comes from dateText."""
    if year.lower() in _NO_YEAR:
        earliest, latest = years_from_display(date_text)
        return _text(earliest), _text(latest)
    try:
        start = parse_year(year)
    except BadDate:
        # A handful of rows hold a display date ("c.1997-9") in the year column.
        earliest, latest = years_from_display(year)
        if earliest is None:
            return year, ""  # Left as it is, so validation reports it.
        return _text(earliest), _text(latest)
    display_start, display_end = years_from_display(date_text)
    end = display_end if display_start == start and display_end else start
    return _text(start), _text(end)


def _text(year: int | None) -> str:
    return "" if year is None else str(year)
