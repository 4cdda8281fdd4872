"""The pipeline: load -> validate (schema, then references and semantics) -> model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from service_catalogue.validation.checks import check_records, with_catalogue_ids
from service_catalogue.validation.loader import FileCache, LoadLimits, Record, load_folder
from service_catalogue.validation.problems import Problem
from service_catalogue.validation.schemas import schema_set


@dataclass
class ValidationResult:
    records: list[Record]  # every record that passed the schema
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    total: int = 0  # every record read, valid or not: the count the summary gives

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def validate_folder(
    root: Path | str, limits: LoadLimits = LoadLimits(), cache: FileCache | None = None
) -> ValidationResult:
    """Load and check a catalogue folder, reporting every problem at once."""
    results, problems = load_folder(Path(root), limits, cache)
    return validate_files(results, problems)


def validate_files(results, problems: list[Problem]) -> ValidationResult:
    schemas = schema_set()
    problems = list(problems)
    valid: list[Record] = []
    all_records: list[Record] = []
    found: list[tuple[Record, Problem]] = []
    for result in results:
        problems.extend(result.problems)
        for record in result.records:
            if record.schema_problems is None:
                record.schema_problems = schemas.problems(record)
            found.extend((record, problem) for problem in record.schema_problems)
            all_records.append(record)
            if not record.schema_problems:
                valid.append(record)
    unread = [
        r.problems[0].location.file
        for r in results
        if not r.records and r.problems and r.problems[0].code not in ("file.empty", "record.empty")
    ]
    # A folder that could not be listed hides its files: named with a slash, as folders are.
    unread += [p.location.file + "/" for p in problems if p.code == "folder.unreadable"]
    problems.extend(with_catalogue_ids(found, all_records))
    problems.extend(check_records(valid, all_records, unread))
    problems.sort(key=Problem.sort_key)
    return ValidationResult(valid, problems, len(results), len(all_records))
