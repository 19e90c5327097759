"""An import file as a stream of canonical rows, whatever its format."""

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from .readers import ImportFileError, SourceRow, read_csv, read_jsonl
from .rows import COLUMNS, REQUIRED_COLUMNS, ImportRow, RowError, validate_row
from .tate import TATE_REQUIRED_COLUMNS, tate_row_to_canonical

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
    def __init__(self, path: Path, file_format: str | None = None):
        if not path.is_file():
            raise ImportFileError(f"There is no file at {path}.")
        self.path = path
        self.format = file_format or detect_format(path)
        if self.format not in FORMATS:
            raise ImportFileError(
                f"Unknown format {self.format!r}: use one of {', '.join(FORMATS)}."
            )
        self.unknown_columns: set[str] = set()

    def rows(self, *, mapped: bool = True) -> Iterator[SourceRow]:
        """Every record, with canonical column names and values.

        Tate rows keep their own columns when `mapped` is False (enough to
        read accession numbers, which Tate names the same way).
        """
        if self.format == "tate":
            for row in read_csv(self.path, required=TATE_REQUIRED_COLUMNS):
                if mapped and not row.problems:
                    row.values = tate_row_to_canonical(row.values)
                yield row
            return
        reader = read_csv if self.format == "csv" else read_jsonl
        for row in reader(self.path, required=REQUIRED_COLUMNS):
            self.unknown_columns.update(set(row.values) - set(COLUMNS))
            yield row

    def duplicate_accession_numbers(self) -> tuple[int, dict[int, RowError]]:
        """How many rows there are, and an error for each row whose
        accession number appears more than once: which of them is right is
        for a person to decide, so none of them is imported."""
        lines_by_number: dict[str, list[int]] = defaultdict(list)
        count = 0
        for row in self.rows(mapped=False):
            count += 1
            number = row.values.get("accession_number", "").strip()
            if number:
                lines_by_number[number].append(row.line)
        errors = {}
        for number, lines in lines_by_number.items():
            if len(lines) > 1:
                for line in lines:
                    others = ", ".join(str(other) for other in lines if other != line)
                    errors[line] = RowError(
                        line, "accession_number", f"{number} is also on line {others} of this file"
                    )
        return count, errors

    def validated(
        self, duplicates: dict[int, RowError]
    ) -> Iterator[tuple[ImportRow | None, list[RowError]]]:
        """Each row checked: the row to import, or its problems."""
        base_dir = self.path.parent
        for source_row in self.rows():
            row, errors = validate_row(source_row, base_dir=base_dir)
            if source_row.line in duplicates:
                yield None, [duplicates[source_row.line], *errors]
            else:
                yield row, errors
