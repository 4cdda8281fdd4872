"""Every output format of the three stages' results: problems (validation), findings
(analysis), changes (diff) and performance (the service level report), each a writer chosen by name.

    text      for people at a terminal
    json      for tools
    github    GitHub Actions workflow commands (annotations on the pull request)
    markdown  a pull-request comment (changes), a report to paste (performance)
    csv       a spreadsheet (performance only)

and the pieces they share: escape (text safe for a terminal, a JSON document,
a workflow command), summary (the line that ends a report), base (Writer).

    print(writer("json", "findings").findings(found, records, as_of))

A command offers the names of the writers of its subject (`names_for`), in the
order of WRITER_BY_NAME.
"""

from __future__ import annotations

from service_catalogue.errors import UnknownFormatError
from service_catalogue.report.base import SUBJECTS, Writer
from service_catalogue.report.csv import CsvWriter
from service_catalogue.report.github import GitHubWriter
from service_catalogue.report.json import JsonWriter
from service_catalogue.report.markdown import MarkdownWriter
from service_catalogue.report.text import TextWriter

WRITER_BY_NAME: dict[str, type[Writer]] = {
    "text": TextWriter,
    "markdown": MarkdownWriter,
    "json": JsonWriter,
    "github": GitHubWriter,
    "csv": CsvWriter,
}


def names_for(subject: str) -> list[str]:
    """The names of the writers that write subject ("problems", "findings" or "changes")."""
    if subject not in SUBJECTS:
        raise ValueError(f"no such subject {subject!r}: the subjects are {', '.join(SUBJECTS)}")
    return [name for name, writer_class in WRITER_BY_NAME.items() if subject in writer_class.writes]


def writer(name: str, subject: str) -> Writer:
    """The writer called name, for subject; UnknownFormatError when no such writer writes it."""
    names = names_for(subject)
    if name not in names:
        raise UnknownFormatError(name, subject, names)
    return WRITER_BY_NAME[name]()


__all__ = ["WRITER_BY_NAME", "CsvWriter", "GitHubWriter", "JsonWriter", "MarkdownWriter", "TextWriter", "Writer", "names_for", "writer"]
