"""Helpers the import tests share: files in the canonical and Tate formats, and
running the import command as a person would."""

import csv
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = (
    "accession_number,title,object_type,description,date_display,date_earliest,date_latest,"
    "makers,production,production_date,subjects,places,materials,dimensions,credit_line,rights,"
    "images,alt_text"
)
TATE_HEADER = (
    "id,accession_number,artist,artistRole,artistId,title,dateText,medium,creditLine,year,"
    "acquisitionYear,dimensions,width,height,depth,units,inscription,thumbnailCopyright,"
    "thumbnailUrl,url"
)
# Two records as Tate publishes them: a byte order mark, CRLF line ends inside
# quoted dimensions, a date range, and a "no date" year.
SAMPLE = (
    "\ufeff" + TATE_HEADER + "\r\n"
    '3,T07799,"Wood, Christopher",artist,2167,A Fishing Boat in Dieppe Harbour,1929,'
    "Oil paint on canvas,Bequeathed by Winifred Le Roy 2001,1929,2001,"
    '"support: 650 x 810 x 19 mm\r\nframe: 743 x 904 x 70 mm",650,810,19,mm,,,,\r\n'
    '1035,A00001,"Blake, Robert",after,38,A Figure Bowing before a Seated Old Man,c.1830–41,'
    "Graphite on paper,Presented by Mrs John Richmond 1922,no date,1922,"
    "support: 394 x 419 mm,394,419,,mm,,,,\r\n"
)


def write_csv(folder: Path, rows: list[dict], name="import.csv", header=HEADER) -> Path:
    path = folder / name
    columns = header.split(",")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def row(number: int, **values) -> dict:
    return {"accession_number": f"BAC-{number:04d}", "title": f"Poster {number}", **values}


def run_import(path: Path, *args, errors: Path | None = None):
    """Run the command; return (stdout, the error report rows or None)."""
    report = errors or path.with_name("report.csv")
    output = []

    class Out:
        def write(self, text):
            output.append(text)

        def flush(self):
            pass

    try:
        call_command("import_collection", str(path), "--errors", str(report), *args, stdout=Out())
    except CommandError as error:
        output.append(str(error))
    rows = None
    if report.exists():
        with report.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        report.unlink()
    return "".join(output), rows
