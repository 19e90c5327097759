"""Read import files into numbered rows of text values.

Each reader yields `SourceRow`s: the line a record starts on and its values by
column name. Problems with the file as a whole (not UTF-8 at all, no header,
missing required columns) raise `ImportFileError` with a message for people.
Bytes that are not UTF-8 inside a row are kept as lone surrogates
(`surrogateescape`), so the row can be reported by line and column and the
rest of the file still read.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


class ImportFileError(Exception):
    """The file cannot be read at all; nothing in it can be imported."""


@dataclass
class SourceRow:
    line: int
    values: dict[str, str]
    # Problems found while reading (column, message): e.g. invalid JSON.
    problems: list[tuple[str, str]] = field(default_factory=list)


def check_not_utf16(path: Path) -> None:
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start:
        raise ImportFileError(
            f"{path.name} is UTF-16 text. Save it as UTF-8 "
            '(in Excel: "CSV UTF-8 (Comma delimited)") and import it again.'
        )


def _open_text(path: Path):
    check_not_utf16(path)
    # utf-8-sig drops the byte order mark Excel and Tate put at the start.
    return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")


def _header(reader, path: Path) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{path.name} is empty: it needs a header row.")
    except csv.Error as error:
        raise ImportFileError(f"{path.name} is not a readable CSV file: {error}.")
    names = [name.strip() for name in header]
    if any(_has_bad_bytes(name) for name in names):
        raise ImportFileError(
            f"The header of {path.name} is not UTF-8 text. Save the file as UTF-8 "
            '(in Excel: "CSV UTF-8 (Comma delimited)") and import it again.'
        )
    return names


def _has_bad_bytes(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


def read_csv(path: Path, *, required: tuple[str, ...]) -> Iterator[SourceRow]:
    """Rows of a CSV file with a header; fields may span several lines."""
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        columns = _header(reader, path)
        missing = [name for name in required if name not in columns]
        if missing:
            raise ImportFileError(
                f"{path.name} has no {', '.join(missing)} column. "
                f"Its columns are: {', '.join(columns)}."
            )
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFileError(f"{path.name}, line {line}: the CSV is malformed ({error}).")
            row = SourceRow(line=line, values={})
            line = reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                row.problems.append(
                    ("", f"has {len(cells)} values but the header has {len(columns)} columns")
                )
            # Spreadsheets often drop trailing empty cells: missing ones are blank.
            row.values = {
                name: cells[i] if i < len(cells) else "" for i, name in enumerate(columns)
            }
            yield row


def read_jsonl(path: Path, *, required: tuple[str, ...]) -> Iterator[SourceRow]:
    """One JSON object per line, with the same keys as the CSV columns."""
    del required  # Each object is checked for required keys as a row.
    with _open_text(path) as handle:
        for line_number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            row = SourceRow(line=line_number, values={})
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                row.problems.append(("", f"is not valid JSON ({error.msg}, column {error.colno})"))
                yield row
                continue
            if not isinstance(data, dict):
                row.problems.append(("", "is not a JSON object"))
                yield row
                continue
            for key, value in data.items():
                text_value = _json_value_as_text(value)
                if text_value is None:
                    row.problems.append((key, "must be text, a number or a list of text"))
                else:
                    row.values[key] = text_value
            yield row


def _json_value_as_text(value) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value)
    return None
