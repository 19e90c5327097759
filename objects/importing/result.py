"""What an import did, for the summary and the error report."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .rows import RowError
from .terms import UnknownTerm


@dataclass
class ImportResult:
    path: Path
    file_format: str
    dry_run: bool = False
    strict: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    # Object types the vocabulary lacks, each once; or those added for review.
    unknown_terms: list[UnknownTerm] = field(default_factory=list)
    added_terms: list[UnknownTerm] = field(default_factory=list)
    aborted: bool = False
    seconds: float = 0.0

    @property
    def rows_with_errors(self) -> int:
        return len({error.line for error in self.errors})

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0

    def summary_lines(self) -> list[str]:
        lines = [
            f"{self.path.name} ({self.file_format}): {self.rows_read:,} rows read in "
            f"{self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s).",
        ]
        if self.aborted:
            lines.append(
                f"Strict mode: {rows_phrase(self.rows_with_errors)} problems, "
                "so nothing was written."
            )
        else:
            counts = (
                f"{self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged."
            )
            lines.append(f"Dry run, nothing written: {counts}" if self.dry_run else counts)
            if self.errors:
                count = self.rows_with_errors
                lines.append(
                    f"Not imported: {count:,} {'row' if count == 1 else 'rows'} with problems."
                )
        for unknown in self.unknown_terms:
            lines.append(f"{unknown.problem()}.")
        if self.unknown_terms:
            lines.append(
                "Add these types (or alternative labels for existing ones) in the admin under "
                "Collection > Object types, or run again with --add-missing-terms to add them "
                "for review."
            )
        if self.added_terms:
            verb = "Would add" if self.dry_run or self.aborted else "Added"
            terms = ", ".join(f"'{term.text}' ({term.rows:,})" for term in self.added_terms)
            lines.append(f"{verb} object types, marked for review in the admin: {terms}.")
        if self.unknown_columns:
            lines.append(f"Ignored unknown columns: {', '.join(sorted(self.unknown_columns))}.")
        return lines


def rows_phrase(count: int) -> str:
    """ "1 row has" / "3 rows have", to lead a sentence about problems."""
    return f"{count:,} row has" if count == 1 else f"{count:,} rows have"


def write_error_report(errors: list[RowError], path: Path) -> None:
    """A CSV an archivist can open next to the import file: line, column, problem."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "column", "problem"])
        for error in sorted(errors, key=lambda e: e.line):
            writer.writerow([error.line, error.column, error.problem])
