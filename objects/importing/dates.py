"""Years from the ways catalogues write dates.

The model sorts and facets on `date_earliest`/`date_latest` (years), while
people catalogue dates as text: "c.1845", "1830–5", "1970s", "2001-03-12".
"""

import re
from datetime import date

# A year field may hold a bare year (optionally negative, for BCE) or an ISO
# date, of which only the year is kept.
_YEAR = re.compile(r"^-?\d{1,4}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")

# "c.1830–41", "1985-6", "?1833", "published 1834", "1963, printed after 1971":
# the first four-digit year, optionally followed by a range end.
_DISPLAY_RANGE = re.compile(r"(?<!\d)(\d{4})(?:\s*[-–—/]\s*(\d{1,4}))?(?!\d)")
_DECADE = re.compile(r"^(?:c\.\s*)?(\d{3})0s$")
_CENTURY_NAMES = re.compile(r"^(\d{1,2})(?:st|nd|rd|th) century$", re.IGNORECASE)


class BadDate(ValueError):
    """A date value that is neither a year nor an ISO date."""


def parse_year(value: str) -> int | None:
    """The year in a year-or-ISO-date value; None when blank.

    Raises BadDate with a readable reason for anything else.
    """
    text = value.strip()
    if not text:
        return None
    if _YEAR.match(text):
        return int(text)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            date(year, month, day)
        except ValueError as error:
            raise BadDate(f"'{text}' is not a real date ({error})")
        return year
    raise BadDate(f"'{text}' is not a year (e.g. 1998) or an ISO date (e.g. 1998-05-14)")


def years_from_display(text: str) -> tuple[int | None, int | None]:
    """Earliest and latest year a display date implies, or (None, None).

    Only unambiguous forms are read; anything else leaves the years empty
    rather than guessing.
    """
    text = text.strip()
    decade = _DECADE.match(text)
    if decade:
        start = int(decade.group(1)) * 10
        return start, start + 9
    century = _CENTURY_NAMES.match(text)
    if century:
        start = (int(century.group(1)) - 1) * 100
        return start, start + 99
    match = _DISPLAY_RANGE.search(text)
    if not match:
        return None, None
    earliest = int(match.group(1))
    end = match.group(2)
    if not end:
        return earliest, earliest
    # "1830–41" shortens the end year to the digits that differ.
    latest = int(str(earliest)[: 4 - len(end)] + end)
    return (earliest, latest) if latest >= earliest else (earliest, earliest)
