"""Files as spreadsheets really save them: each imports correctly or stops with
one clear message naming the problem and the fix, never a traceback."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from objects.models import CollectionObject

from .importing import run_import

pytestmark = pytest.mark.django_db

CANONICAL = "accession_number,title,object_type,materials\nBAC-1,Café poster,Poster,Paper\n"


def imported() -> list[tuple[str, str, str]]:
    return list(
        CollectionObject.objects.order_by("accession_number").values_list(
            "accession_number", "title", "object_type__slug"
        )
    )


def import_bytes(tmp_path, data: bytes, *args, name="catalogue.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return run_import(path, *args)


def test_a_byte_order_mark_and_windows_line_endings_import(tmp_path):
    data = "\ufeff" + CANONICAL.replace("\n", "\r\n") + "BAC-2,Letter,letters,Ink\r\n"
    output, errors = import_bytes(tmp_path, data.encode("utf-8"))

    assert errors is None
    assert "2 created" in output
    assert imported() == [("BAC-1", "Café poster", "poster"), ("BAC-2", "Letter", "letter")]


def test_a_header_in_another_case_and_order_imports(tmp_path):
    data = "Materials,TITLE,Object Type,Accession Number\nPaper,Café poster,poster,BAC-1\n"
    output, errors = import_bytes(tmp_path, data.encode("utf-8"))

    assert errors is None, output
    assert imported() == [("BAC-1", "Café poster", "poster")]
    assert CollectionObject.objects.get().materials == "Paper"
    assert "Ignored unknown columns" not in output


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("catalogue.csv", "accession_number,title,notes,Shelf\nBAC-1,Poster,Signed,A4\n"),
        (
            "catalogue.jsonl",
            '{"accession_number": "BAC-1", "title": "Poster", "notes": "Signed"}\n'
            '{"accession_number": "BAC-2", "title": "Letter", "Shelf": "A4"}\n',
        ),
    ],
)
def test_columns_the_importer_does_not_know_are_named_in_the_summary(tmp_path, name, data):
    """The rows are read in another process (importing/read_process.py): what it
    finds there must still reach the summary."""
    output, errors = import_bytes(tmp_path, data.encode("utf-8"), name=name)

    assert errors is None, output
    assert "Ignored unknown columns: Shelf, notes." in output


def test_semicolon_separated_values_import(tmp_path):
    data = (
        "accession_number;title;object_type;subjects\n"
        'BAC-1;Café poster, signed;Poster;"Theatre; Music"\n'
    )
    output, errors = import_bytes(tmp_path, data.encode("utf-8"))

    assert errors is None, output
    assert imported() == [("BAC-1", "Café poster, signed", "poster")]
    assert sorted(CollectionObject.objects.get().subjects.values_list("name", flat=True)) == [
        "Music",
        "Theatre",
    ]


def test_a_latin1_file_stops_with_one_message_and_imports_with_its_encoding(tmp_path):
    data = (CANONICAL + "BAC-2,Crème brûlée,Letter,Ink\n").encode("cp1252")

    output, errors = import_bytes(tmp_path, data)

    assert errors is None  # one message, not an error per accented cell
    assert output == (
        "catalogue.csv is not UTF-8 text: it looks like Windows-1252 or Latin-1 (first on "
        'line 2). Save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and import it '
        "again, or import it as it is with --encoding cp1252."
    )
    assert imported() == []

    output, errors = import_bytes(tmp_path, data, "--encoding", "cp1252")

    assert errors is None, output
    assert imported() == [("BAC-1", "Café poster", "poster"), ("BAC-2", "Crème brûlée", "letter")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00rest of a zip", "is an Excel workbook or other zip file, not text"),
        (b"", "is empty: it needs a header row"),
        (
            b"accession_number,title,Title\nBAC-1,A,B\n",
            "has more than one title column. Keep one of each",
        ),
        (b"number,title\n1,A\n", "has no accession_number column"),
    ],
)
def test_files_that_cannot_be_read_stop_with_one_clear_message(tmp_path, data, message):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(data)

    with pytest.raises(CommandError, match=message):
        call_command("import_collection", str(path))


def test_an_unknown_encoding_and_an_unreadable_path_are_clear_messages(tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(CANONICAL.encode())
    with pytest.raises(CommandError, match="Unknown encoding 'klingon'"):
        call_command("import_collection", str(path), "--encoding", "klingon")
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_collection", str(tmp_path))
