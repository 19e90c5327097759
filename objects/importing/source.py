"""An import file as a stream of canonical rows, whatever its format."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .readers import (
    ImportFileError,
    SourceRow,
    check_is_text,
    read_csv,
    read_csv_header,
    read_jsonl,
)
from .rows import COLUMNS, REQUIRED_COLUMNS, ImportRow, RowError, cell_text, validate_row
from .tate import TATE_REQUIRED_COLUMNS, object_type_for_medium, tate_row_to_canonical
from .terms import ObjectTypeTerms

FORMATS = ("csv", "jsonl", "tate")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def detect_format(path: Path) -> str:
    file_format = _SUFFIXES.get(path.suffix.lower())
    if file_format is None:
        raise ImportFileError(
            f"Cannot tell the format of {path.name} from its name: "
            f"use --format with one of {', '.join(FORMATS)}."
        )
    return file_format


class ImportSource:
    def __init__(self, path: Path, file_format: str | None = None, encoding: str = "utf-8"):
        if not path.is_file():
            raise ImportFileError(f"There is no file at {path}.")
        self.path = path
        self.format = file_format or detect_format(path)
        if self.format not in FORMATS:
            raise ImportFileError(
                f"Unknown format {self.format!r}: use one of {', '.join(FORMATS)}."
            )
        self.encoding = encoding
        self.has_stray_bytes = check_is_text(path, encoding)
        self.unknown_columns: set[str] = set()

    def rows(self, *, only: tuple[str, ...] | None = None) -> Iterator[SourceRow]:
        """Every record, with canonical column names and values.

        With `only`, CSV rows hold just those columns, and Tate rows keep
        their own (enough for accession numbers, which Tate names the same way).
        """
        if self.format == "tate":
            for row in read_csv(
                self.path, required=TATE_REQUIRED_COLUMNS, encoding=self.encoding, only=only
            ):
                if only is None and not row.problems:
                    row.values = tate_row_to_canonical(row.values)
                yield row
            return
        if self.format == "csv":
            rows = read_csv(
                self.path,
                required=REQUIRED_COLUMNS,
                known=COLUMNS,
                encoding=self.encoding,
                only=only,
            )
        else:
            rows = read_jsonl(self.path, required=REQUIRED_COLUMNS, encoding=self.encoding)
        for row in rows:
            if only is None or self.format == "jsonl":  # JSON Lines rows are always whole.
                self.unknown_columns.update(set(row.values) - set(COLUMNS))
            yield row

    def survey(self) -> "FileSurvey":
        """A first pass over the file: how many rows, which accession numbers
        repeat, and which object types it names (matched once each, later)."""
        survey = FileSurvey()
        # Found here, in this process: the full pass reads in another
        # (importing/read_process.py), whose findings stay there.
        if self.format == "csv":
            header = read_csv_header(self.path, known=COLUMNS, encoding=self.encoding)
            self.unknown_columns.update(set(header) - set(COLUMNS))
        lines_by_number: dict[str, list[int]] = defaultdict(list)
        for row in self.rows(only=("accession_number", "object_type", "medium")):
            survey.rows += 1
            number = cell_text(row.values.get("accession_number", ""))  # as validate_row reads it
            if number:
                lines_by_number[number].append(row.line)
            if self.format == "tate":
                survey.object_types[object_type_for_medium(row.values.get("medium", ""))] += 1
            elif "object_type" in row.values:
                survey.object_types[cell_text(row.values["object_type"])] += 1
        survey.accession_numbers = set(lines_by_number)
        for number, lines in lines_by_number.items():
            if len(lines) > 1:
                # Which of them is right is for a person to decide: none is imported.
                for line in lines:
                    others = ", ".join(str(other) for other in lines if other != line)
                    survey.duplicates[line] = RowError(
                        line, "accession_number", f"{number} is also on line {others} of this file"
                    )
        return survey

    def validated(
        self, duplicates: dict[int, RowError], object_types: ObjectTypeTerms
    ) -> Iterator[tuple[ImportRow | None, list[RowError]]]:
        """Each row checked: the row to import, or its problems."""
        base_dir = self.path.parent
        for source_row in self.rows():
            row, errors = validate_row(
                source_row, base_dir=base_dir, check_bytes=self.has_stray_bytes
            )
            if row is not None and row.object_type is not None:
                type_id = object_types.id_for(row.object_type)
                if type_id is None:
                    unknown = object_types.unknown[row.object_type]
                    errors.append(RowError(row.line, "object_type", unknown.row_problem()))
                    row = None
                else:
                    row.fields["object_type_id"] = type_id
            if source_row.line in duplicates:
                yield None, [duplicates[source_row.line], *errors]
            else:
                yield (row if not errors else None), errors


@dataclass
class FileSurvey:
    rows: int = 0
    accession_numbers: set[str] = field(default_factory=set)
    # An error for each row whose accession number appears more than once.
    duplicates: dict[int, RowError] = field(default_factory=dict)
    # Each object type value as written (blank for none) and how many rows use it.
    object_types: Counter[str] = field(default_factory=Counter)
