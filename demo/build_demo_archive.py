"""Rebuild demo/objects.csv and demo/images/ from the shared open data.

Run from the project root when the selection should change:

    .venv/bin/python demo/build_demo_archive.py ../shared/data

The output is committed; `manage.py load_demo_archive` imports it. The
selection is deterministic (a fixed seed over sorted input), so re-running
gives the same files. Records are Tate's CC0 metadata, mapped as
`import_collection --format tate` maps them, and a few openly licensed
photographs described from their sources. Nothing is added that the sources
do not say: no productions, no invented dates.
"""

import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

from PIL import Image, ImageOps

DEMO = Path(__file__).resolve().parent
sys.path.insert(0, str(DEMO.parent))

from objects.importing.rows import COLUMNS  # noqa: E402
from objects.importing.tate import tate_row_to_canonical  # noqa: E402

SEED = 1968
# Artists with many works across media and centuries, so maker pages have
# something to show. Eight works each.
FEATURED_ARTISTS = (
    "Blake, William",
    "Constable, John",
    "Gainsborough, Thomas",
    "Hepworth, Dame Barbara",
    "Hockney, David",
    "Hogarth, William",
    "Moore, Henry, OM, CH",
    "Paolozzi, Sir Eduardo",
    "Riley, Bridget",
    "Rossetti, Dante Gabriel",
    "Spencer, Sir Stanley",
    "Turner, Joseph Mallord William",
    "Warhol, Andy",
)
WORKS_PER_FEATURED_ARTIST = 8
# Then up to this many works for each (object type, decade) pair, for spread.
WORKS_PER_TYPE_AND_DECADE = 1
LONG_EDGE = 1600

PD_MARK = "https://creativecommons.org/publicdomain/mark/1.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
NO_KNOWN_COPYRIGHT = "http://rightsstatements.org/vocab/NKC/1.0/"
# Titles, makers and descriptions from scikit-image's own notes on each file
# (skimage/data/_fetchers.py); licences as scikit-image states them.
PHOTOGRAPHS = (
    {
        "file": "skimage__astronaut.png",
        "title": "Astronaut Eileen Collins",
        "description": "Photograph of Eileen Collins, an American astronaut. She was selected "
        "as an astronaut in 1992 and first piloted the space shuttle STS-63 in 1995. From the "
        "NASA Great Images database.",
        "makers": "NASA",
        "credit_line": "NASA, via scikit-image",
        "rights": PD_MARK,
        "alt_text": "Eileen Collins smiling in an orange flight suit, holding a helmet, "
        "in front of the US flag and a model of the space shuttle",
    },
    {
        "file": "skimage__chelsea.png",
        "title": "Chelsea the cat",
        "makers": "Stefan van der Walt (photographer)",
        "credit_line": "Stefan van der Walt, via scikit-image",
        "rights": CC0,
        "alt_text": "Close-up of a tabby cat's face with green eyes, looking to one side",
    },
    {
        "file": "skimage__coffee.png",
        "title": "Coffee cup",
        "description": "Photograph courtesy of Pikolo Espresso Bar.",
        "makers": "Rachel Michetti (photographer)",
        "credit_line": "Rachel Michetti, via scikit-image",
        "rights": CC0,
        "alt_text": "An espresso in a red cup and saucer, with a spoon, on a wooden table",
    },
    {
        "file": "skimage__camera.png",
        "title": "Camera",
        "makers": "Lav Varshney (photographer)",
        "credit_line": "Lav Varshney, via scikit-image",
        "rights": CC0,
        "alt_text": "Black-and-white photograph of a man in a dark coat looking through "
        "a camera on a tripod, on a lawn with buildings behind",
    },
    {
        "file": "skimage__rocket.jpg",
        "title": "Launch photo of DSCOVR on Falcon 9",
        "description": "Falcon 9 carrying DSCOVR at SpaceX's Launch Complex 40, Cape Canaveral "
        "Air Force Station, Florida.",
        "makers": "SpaceX",
        "credit_line": "SpaceX, via scikit-image",
        "rights": PD_MARK,
        "alt_text": "A Falcon 9 rocket on its launch pad at dusk between lightning towers, "
        "lit by floodlights",
    },
    {
        "file": "skimage__hubble_deep_field.jpg",
        "title": "Hubble eXtreme Deep Field",
        "description": "The Hubble Telescope's farthest view of the universe, from HubbleSite.",
        "makers": "NASA",
        "credit_line": "NASA, via scikit-image",
        "rights": PD_MARK,
        "alt_text": "Hundreds of distant galaxies, small points and smudges of colour "
        "on a black sky",
    },
    {
        "file": "skimage__coins.png",
        "title": "Greek coins from Pompeii",
        "description": "From the Brooklyn Museum collection.",
        "credit_line": "Brooklyn Museum, via scikit-image",
        "rights": NO_KNOWN_COPYRIGHT,
        "alt_text": "Black-and-white photograph of about two dozen ancient coins laid out "
        "in rows on a grey background",
    },
    {
        "file": "skimage__brick.png",
        "title": "Brick wall",
        "credit_line": "CC0Textures, via scikit-image",
        "rights": CC0,
        "alt_text": "Black-and-white photograph of a brick wall seen at an angle",
    },
)


def tate_records(tate_csv: Path) -> list[dict]:
    with tate_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = [tate_row_to_canonical(row) for row in csv.DictReader(handle)]
    # The model's credit line holds 500 characters; Tate has one longer.
    return [row for row in rows if row["title"].strip() and len(row["credit_line"]) <= 490]


def choose(records: list[dict]) -> list[dict]:
    rng = random.Random(SEED)
    by_artist = defaultdict(list)
    for record in records:
        by_artist[record["makers"].rsplit(" (", 1)[0]].append(record)
    chosen = {}
    for artist in FEATURED_ARTISTS:
        for record in rng.sample(by_artist[artist], WORKS_PER_FEATURED_ARTIST):
            chosen[record["accession_number"]] = record
    by_cell = defaultdict(list)
    for record in records:
        decade = record["date_earliest"][:3] if record["date_earliest"] else "?"
        by_cell[(record["object_type"], decade)].append(record)
    for cell in sorted(by_cell):
        pool = by_cell[cell]
        for record in rng.sample(pool, min(WORKS_PER_TYPE_AND_DECADE, len(pool))):
            chosen[record["accession_number"]] = record
    return sorted(chosen.values(), key=lambda record: record["accession_number"])


def with_tate_credit(record: dict) -> dict:
    # On BAC's site the credit line must say whose collection the work is in.
    return {**record, "credit_line": f"Tate. {record['credit_line']}".strip()}


def photograph_records(images_dir: Path) -> list[dict]:
    records = []
    for number, photo in enumerate(PHOTOGRAPHS, start=1):
        name = Path(photo["file"]).stem.split("__", 1)[1].replace("_", "-") + ".jpg"
        with Image.open(images_dir / photo["file"]) as source:
            image = ImageOps.exif_transpose(source)
            image.thumbnail((LONG_EDGE, LONG_EDGE))
            image.convert("L" if image.mode == "L" else "RGB").save(
                DEMO / "images" / name, "JPEG", quality=85, optimize=True
            )
        fields = {key: value for key, value in photo.items() if key != "file"}
        records.append(
            {
                "accession_number": f"DEMO-PH-{number:02d}",
                "object_type": "photograph",
                "images": f"images/{name}",
                **fields,
            }
        )
    return records


def main(shared_data: Path) -> None:
    (DEMO / "images").mkdir(exist_ok=True)
    records = [
        with_tate_credit(r) for r in choose(tate_records(shared_data / "tate" / "artwork_data.csv"))
    ]
    records += photograph_records(shared_data / "images")
    with (DEMO / "objects.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(
            {column: record.get(column, "") for column in COLUMNS} for record in records
        )
    print(f"Wrote {len(records)} records to {DEMO / 'objects.csv'}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else DEMO.parent.parent / "shared" / "data"))
