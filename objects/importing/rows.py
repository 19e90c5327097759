"""Check one row of canonical values and turn it into an `ImportRow`.

Validation needs no database: everything that can be said about a row on its
own is said here, with the column and a message an archivist can act on.
Duplicates across the file are found by the caller, which sees every row.
"""

import functools
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from objects.models import (
    OBJECT_SLUG_LENGTH,
    CollectionObject,
    ObjectImage,
    ObjectMaker,
    ObjectType,
    Production,
)
from objects.rights import DEFAULT_RIGHTS_URI, normalise_rights_uri

from .dates import BadDate, parse_year, years_from_display
from .readers import SourceRow
from .slugs import slug_base

COLUMNS = (
    "accession_number",
    "title",
    "object_type",
    "description",
    "date_display",
    "date_earliest",
    "date_latest",
    "makers",
    "production",
    "production_date",
    "subjects",
    "places",
    "materials",
    "dimensions",
    "credit_line",
    "rights",
    "images",
    "alt_text",
)
REQUIRED_COLUMNS = ("accession_number", "title")
LIST_SEPARATOR = ";"

# Columns copied into a CollectionObject field of the same name, after
# tidying whitespace and checking the length.
_TEXT_FIELDS = ("title", "date_display", "materials", "dimensions", "credit_line")
_MAKER_WITH_ROLE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)$")


@functools.cache
def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# A file usually repeats a handful of rights URIs on every row.
_normalise_rights_uri = functools.lru_cache(maxsize=256)(normalise_rights_uri)

# Where str.splitlines() splits.
_LINE_BOUNDARY = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")

# `surrogateescape` reading turns bytes that are not UTF-8 into lone surrogates.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class ProductionKey:
    title: str
    date_display: str


@dataclass
class ImportRow:
    """A valid row: the values to write, and which columns the file had.

    Related lists are None when the file has no such column, so importing a
    file never clears what it does not mention.
    """

    line: int
    accession_number: str
    fields: dict[str, object]
    production: ProductionKey | None = None
    has_production: bool = False
    makers: list[tuple[str, str]] | None = None
    subjects: list[str] | None = None
    places: list[str] | None = None
    images: list[Path] | None = None
    alt_text: str = ""
    # The object type as the file names it ("Photos"); None without the column.
    # Matched to the vocabulary for the whole file at once (importing/terms.py).
    object_type: str | None = None
    # What a new object's slug is made from; worked out here, in the reading
    # thread, so the writer does not wait on it (importing/read_ahead.py).
    slug_base: str = ""


@dataclass
class RowError:
    line: int
    column: str
    problem: str


@dataclass
class _Checker:
    row: SourceRow
    base_dir: Path
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, problem: str) -> None:
        self.errors.append(RowError(self.row.line, column, problem))

    def text(self, column: str, *, max_length: int | None = None) -> str:
        """The cell, stripped, line breaks joined with "; ", length-checked."""
        raw = self.row.values.get(column, "")
        value = raw.strip() if "\n" not in raw and "\r" not in raw else cell_text(raw)
        if max_length is not None and len(value) > max_length:
            self.error(column, f"is {len(value)} characters long; at most {max_length} fit")
        return value

    def names(self, column: str, *, max_length: int) -> list[str]:
        """A "; "-separated list, without blanks or repeats, order kept."""
        names = []
        for part in self.text(column).split(LIST_SEPARATOR):
            name = part.strip()
            if not name or name in names:
                continue
            if len(name) > max_length:
                self.error(column, f"'{name[:40]}…' is longer than {max_length} characters")
            names.append(name)
        return names


def cell_text(raw: str) -> str:
    """A cell as one line of text: stripped, line breaks joined with "; "."""
    if "\n" in raw or "\r" in raw:
        return "; ".join(part.strip() for part in raw.splitlines() if part.strip())
    return raw.strip()


def validate_row(
    row: SourceRow, *, base_dir: Path, check_bytes: bool = True
) -> tuple[ImportRow | None, list[RowError]]:
    """The row ready to import, or None and every problem found in it.
    `check_bytes` False skips looking for bytes that are not UTF-8, for a
    file already read through without any."""
    check = _Checker(row=row, base_dir=base_dir)
    for column, problem in row.problems:
        check.error(column, problem)
    for column, value in row.values.items() if check_bytes else ():
        bad = _NOT_UTF8.search(value)
        if bad is not None:
            byte = ord(bad.group()) - 0xDC00
            check.error(
                column,
                f"is not UTF-8 text (byte 0x{byte:02X}); "
                "save the file as UTF-8 and import it again",
            )
    if check.errors:
        return None, check.errors

    present = set(row.values)
    accession_number = check.text(
        "accession_number", max_length=_max_length(CollectionObject, "accession_number")
    )
    if not accession_number:
        check.error("accession_number", "is required")
    fields: dict[str, object] = {}
    for name in _TEXT_FIELDS:
        if name in present:
            fields[name] = check.text(name, max_length=_max_length(CollectionObject, name))
    if not fields.get("title"):
        check.error("title", "is required")
    if "description" in present:
        fields["description"] = plain_text_to_html(row.values["description"])
    if present & {"date_display", "date_earliest", "date_latest"}:
        fields["date_earliest"], fields["date_latest"] = _years(
            check, fields.get("date_display", "")
        )
    if "rights" in present:
        fields["rights_uri"] = _rights(check)

    result = ImportRow(
        line=row.line,
        accession_number=accession_number,
        fields=fields,
        slug_base=slug_base(
            f"{accession_number} {fields.get('title', '')}", max_length=OBJECT_SLUG_LENGTH
        ),
    )
    if "object_type" in present:
        result.object_type = check.text("object_type", max_length=_max_length(ObjectType, "name"))
    if "makers" in present:
        result.makers = _makers(check)
    if "production" in present:
        result.has_production = True
        result.production = _production(check)
    elif check.text("production_date"):
        check.error("production_date", "is given but there is no production column")
    if "subjects" in present:
        result.subjects = check.names("subjects", max_length=255)
    if "places" in present:
        result.places = check.names("places", max_length=255)
    result.alt_text = check.text("alt_text", max_length=_max_length(ObjectImage, "alt_text"))
    images = _images(check)
    if images:
        result.images = images
    return (None, check.errors) if check.errors else (result, [])


def plain_text_to_html(text: str) -> str:
    """Plain text as rich text: escaped, blank lines separate paragraphs."""
    if not _LINE_BOUNDARY.search(text):  # Most cells: one paragraph or none.
        text = text.strip()
        return f"<p>{escape(text)}</p>" if text else ""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return "".join(
        "<p>" + "<br/>".join(escape(line.strip()) for line in paragraph.splitlines()) + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )


def _years(check: _Checker, date_display: str) -> tuple[int | None, int | None]:
    """Years as given, or else as the display date implies them."""
    years = {}
    for column in ("date_earliest", "date_latest"):
        try:
            years[column] = parse_year(check.text(column))
        except BadDate as error:
            check.error(column, str(error))
            years[column] = None
        if years[column] is not None and not -9999 <= years[column] <= 9999:
            check.error(column, "is out of range")
    earliest, latest = years["date_earliest"], years["date_latest"]
    if earliest is None and latest is None:
        earliest, latest = years_from_display(date_display)
    elif earliest is None or latest is None:
        earliest = latest = earliest if earliest is not None else latest
    if earliest is not None and latest < earliest:
        check.error("date_latest", f"{latest} is before date_earliest {earliest}")
    return earliest, latest


def _rights(check: _Checker) -> str:
    value = check.text("rights")
    if not value:
        return DEFAULT_RIGHTS_URI
    uri = _normalise_rights_uri(value)
    if uri is None:
        check.error(
            "rights",
            f"'{value}' is not a known rights URI; use a rightsstatements.org or "
            "Creative Commons URI (listed in docs/importing.md)",
        )
    return uri or DEFAULT_RIGHTS_URI


def _makers(check: _Checker) -> list[tuple[str, str]]:
    role_length = _max_length(ObjectMaker, "role")
    makers = []
    for entry in check.names("makers", max_length=255 + role_length + 3):
        match = _MAKER_WITH_ROLE.match(entry)
        name, role = (match["name"].strip(), match["role"].strip()) if match else (entry, "")
        if not name:
            check.error("makers", f"'{entry}' has a role but no name")
        elif len(name) > 255:
            check.error("makers", f"'{name[:40]}…' is longer than 255 characters")
        elif len(role) > role_length:
            check.error("makers", f"the role of {name} is longer than {role_length} characters")
        elif (name, role) not in makers:
            makers.append((name, role))
    return makers


def _production(check: _Checker) -> ProductionKey | None:
    title = check.text("production", max_length=_max_length(Production, "title"))
    date_display = check.text("production_date", max_length=_max_length(Production, "date_display"))
    if not title:
        if date_display:
            check.error("production_date", "is given but production is blank")
        return None
    return ProductionKey(title=title, date_display=date_display)


def _images(check: _Checker) -> list[Path]:
    paths = []
    for name in check.names("images", max_length=1000):
        path = (check.base_dir / name).resolve()
        if not path.is_file():
            check.error("images", f"file not found: {name}")
        elif path not in paths:
            paths.append(path)
    return paths
