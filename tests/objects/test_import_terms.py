"""Imports with a catalogue's own object types: matched to the vocabulary,
reported once per unknown term, or added for review with --add-missing-terms."""

import pytest

from objects.models import CollectionObject, ObjectType

from .importing import row, run_import, write_csv

pytestmark = pytest.mark.django_db


def catalogue(tmp_path):
    rows = [row(n, object_type="Costume designs") for n in range(1, 13)]
    rows += [row(n, object_type="costume designs") for n in range(13, 15)]
    rows += [row(n, object_type="Textiles") for n in range(15, 18)]
    rows += [row(18, object_type="PHOTOGRAPHS"), row(19, object_type="Photo"), row(20)]
    return write_csv(tmp_path, rows)


def slugs_by_accession_number() -> dict[str, str]:
    return dict(CollectionObject.objects.values_list("accession_number", "object_type__slug"))


def test_known_terms_match_in_any_form_and_unknown_ones_are_reported_once(tmp_path):
    output, errors = run_import(catalogue(tmp_path))

    assert output.count("is not an object type") == 2
    assert "'Costume designs' (14 rows) is not an object type; closest: 'Costume'." in output
    assert "'Textiles' (3 rows) is not an object type; no existing type is close." in output
    assert "--add-missing-terms" in output
    # The error file still lists each row.
    assert [error["line"] for error in errors] == [str(line) for line in range(2, 19)]
    assert errors[0]["problem"].startswith(
        "'Costume designs' is not an object type; closest: 'Costume'."
    )
    assert errors[-1]["problem"].startswith("'Textiles' is not an object type. Add it")
    assert slugs_by_accession_number() == {
        "BAC-0018": "photograph",
        "BAC-0019": "photograph",  # by its alternative label
        "BAC-0020": "other",  # a blank cell
    }
    assert not ObjectType.objects.filter(added_by_import=True).exists()


def test_a_dry_run_shows_the_terms_it_would_add_and_writes_nothing(tmp_path):
    output, errors = run_import(catalogue(tmp_path), "--add-missing-terms", "--dry-run")

    assert errors is None
    assert "Dry run, nothing written: 20 created" in output
    assert (
        "Would add object types, marked for review in the admin: "
        "'Costume designs' (14), 'Textiles' (3)." in output
    )
    assert not CollectionObject.objects.exists()
    assert not ObjectType.objects.filter(added_by_import=True).exists()


def test_missing_terms_are_added_for_review_and_every_row_imports_once(tmp_path):
    path = catalogue(tmp_path)

    output, errors = run_import(path, "--add-missing-terms")

    assert errors is None, output
    assert "20 created" in output
    assert (
        "Added object types, marked for review in the admin: "
        "'Costume designs' (14), 'Textiles' (3)." in output
    )
    added = ObjectType.objects.filter(added_by_import=True).order_by("name")
    assert [(term.name, term.slug) for term in added] == [
        ("Costume designs", "costume-designs"),
        ("Textiles", "textiles"),
    ]
    slugs = slugs_by_accession_number()
    assert {slugs[f"BAC-{n:04d}"] for n in range(1, 15)} == {"costume-designs"}
    assert {slugs[f"BAC-{n:04d}"] for n in range(15, 18)} == {"textiles"}

    again, errors = run_import(path, "--add-missing-terms")

    assert errors is None
    assert "0 created, 0 updated, 20 unchanged" in again
    assert "Added object types" not in again
    assert ObjectType.objects.filter(added_by_import=True).count() == 2


def test_strict_with_missing_terms_adds_nothing_unless_the_whole_file_imports(tmp_path):
    path = write_csv(tmp_path, [row(1, object_type="Textiles"), row(2, rights="nonsense")])

    output, errors = run_import(path, "--strict", "--add-missing-terms")

    assert "nothing was written" in output
    assert [error["column"] for error in errors] == ["rights"]
    assert not ObjectType.objects.filter(name="Textiles").exists()


def test_a_new_object_gets_other_when_the_file_has_no_type_column_even_if_staff_deleted_it(
    tmp_path,
):
    ObjectType.objects.filter(slug="other").delete()
    path = write_csv(tmp_path, [row(1)], header="accession_number,title")

    output, errors = run_import(path)

    assert errors is None, output
    assert slugs_by_accession_number() == {"BAC-0001": "other"}
