"""Read import files into numbered rows of text values.

Each reader yields `SourceRow`s: the line a record starts on and its values by
column name. Problems with the file as a whole (not UTF-8 at all, no header,
missing required columns) raise `ImportFileError` with one message for people
that names the problem and the fix. What spreadsheets commonly do is read as
meant: a byte order mark, Windows line endings, column names in another case
or order ("Accession Number"), semicolons between values (Excel in much of
Europe). A few bytes that are not UTF-8 inside an otherwise UTF-8 file are
kept as lone surrogates (`surrogateescape`), so the row can be reported by line
and column and the rest of the file still read.
"""

import codecs
import csv
import json
import re
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


SAVE_AS_UTF8 = 'Save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and import it again'
# Bytes at the start of files that are not text at all.
_BINARY_FORMATS = {
    b"PK\x03\x04": "an Excel workbook or other zip file",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook",
    b"%PDF": "a PDF",
}
_CHUNK = 1 << 20


def check_is_text(path: Path, encoding: str) -> bool:
    """Stop at once, with the fix, when the file is not text in `encoding`;
    else say whether it has stray bytes that are not UTF-8 (to report by cell).

    A file whose every non-ASCII byte is invalid UTF-8 was saved in another
    encoding (most often Windows-1252, Excel's "CSV (Comma delimited)"):
    reporting each accented cell would bury the one fix that is needed.
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ImportFileError(f"Unknown encoding {encoding!r}: try utf-8 or cp1252.")
    with path.open("rb") as handle:
        start = handle.read(4)
        for magic, description in _BINARY_FORMATS.items():
            if start.startswith(magic):
                raise ImportFileError(f"{path.name} is {description}, not text. {SAVE_AS_UTF8}.")
        if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start:
            raise ImportFileError(f"{path.name} is UTF-16 text. {SAVE_AS_UTF8}.")
        if encoding.replace("_", "-").lower() not in {"utf-8", "utf8"}:
            return True  # Bytes the encoding lacks are checked cell by cell.
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        first_invalid_line, line, utf8_seen = None, 1, False
        while chunk := handle.read(_CHUNK):
            text = decoder.decode(chunk)
            utf8_seen = utf8_seen or _VALID_NON_ASCII.search(text) is not None
            if first_invalid_line is None:
                bad = _INVALID.search(text)
                if bad is not None:
                    first_invalid_line = line + text.count("\n", 0, bad.start())
            line += text.count("\n")
    if first_invalid_line is not None and not utf8_seen:
        raise ImportFileError(
            f"{path.name} is not UTF-8 text: it looks like Windows-1252 or Latin-1 (first on "
            f"line {first_invalid_line}). {SAVE_AS_UTF8}, or import it as it is with "
            "--encoding cp1252."
        )
    return first_invalid_line is not None


_INVALID = re.compile("[\udc80-\udcff]")
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _open_text(path: Path, encoding: str):
    if encoding.replace("_", "-").lower() in {"utf-8", "utf8"}:
        # utf-8-sig drops the byte order mark Excel and Tate put at the start.
        encoding = "utf-8-sig"
    return path.open(encoding=encoding, errors="surrogateescape", newline="")


def _header(reader, path: Path, known: tuple[str, ...]) -> list[str]:
    """The column names, spelt as `known` spells them when they match in
    another case or with spaces ("Accession Number" is accession_number)."""
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{path.name} is empty: it needs a header row.")
    except csv.Error as error:
        raise ImportFileError(f"{path.name} is not a readable CSV file: {error}.")
    if any(_has_bad_bytes(name) for name in header):
        raise ImportFileError(f"The header of {path.name} is not UTF-8 text. {SAVE_AS_UTF8}.")
    spelling = {_column_key(name): name for name in known}
    names = [spelling.get(_column_key(name), name.strip()) for name in header]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise ImportFileError(
            f"{path.name} has more than one {', '.join(repeated)} column. "
            "Keep one of each (delete or rename the others) and import it again."
        )
    return names


def _column_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "_", name.strip().lower())


def _delimiter(path: Path, encoding: str) -> str:
    """A comma, or the semicolon (or tab) the header line is plainly split by."""
    with _open_text(path, encoding) as handle:
        first_line = handle.readline()
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _has_bad_bytes(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


def read_csv_header(
    path: Path, *, known: tuple[str, ...] = (), encoding: str = "utf-8"
) -> list[str]:
    """The column names as `read_csv` names them."""
    with _open_text(path, encoding) as handle:
        return _header(csv.reader(handle, delimiter=_delimiter(path, encoding)), path, known)


def read_csv(
    path: Path,
    *,
    required: tuple[str, ...],
    known: tuple[str, ...] = (),
    encoding: str = "utf-8",
    only: tuple[str, ...] | None = None,
) -> Iterator[SourceRow]:
    """Rows of a CSV file with a header; fields may span several lines.
    With `only`, rows hold just those columns (a quicker first pass)."""
    delimiter = _delimiter(path, encoding)
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        columns = _header(reader, path, known=(*required, *known))
        missing = [name for name in required if name not in columns]
        if missing:
            raise ImportFileError(
                f"{path.name} has no {', '.join(missing)} column. "
                f"Its columns are: {', '.join(columns)}."
            )
        wanted = [(i, name) for i, name in enumerate(columns) if only is None or name in only]
        names = [name for _, name in wanted]
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
            if not "".join(cells).strip():  # Every cell blank (quicker than any()).
                continue
            if len(cells) > len(columns):
                row.problems.append(
                    ("", f"has {len(cells)} values but the header has {len(columns)} columns")
                )
            if only is None and len(cells) >= len(columns):
                # The common case, in C (zip stops at the last column).
                row.values = dict(zip(names, cells, strict=False))
            else:
                # Spreadsheets often drop trailing empty cells: missing ones are blank.
                row.values = {name: cells[i] if i < len(cells) else "" for i, name in wanted}
            yield row


def read_jsonl(
    path: Path, *, required: tuple[str, ...], encoding: str = "utf-8"
) -> Iterator[SourceRow]:
    """One JSON object per line, with the same keys as the CSV columns."""
    del required  # Each object is checked for required keys as a row.
    with _open_text(path, encoding) as handle:
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
