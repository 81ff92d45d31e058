"""The rules of the bibliography: keys unique, DOIs lower case and unique."""

from __future__ import annotations

from secretome_cli.files.yamlfile import Document
from secretome_cli.model import record as model
from secretome_cli.model.problems import Problem


def check(
    bibliography: model.Bibliography, doc: Document
) -> tuple[list[Problem], dict[str, model.Reference], dict[str, tuple[int, int]]]:
    """The problems of a valid bibliography, its references by key and where each key is."""
    problems: list[Problem] = []
    references: dict[str, model.Reference] = {}
    marks: dict[str, tuple[int, int]] = {}
    dois: dict[str, str] = {}
    places: dict[str, int] = {}
    for i, ref in enumerate(bibliography.references):
        if ref.key in references:
            message = f"bibliography key {ref.key!r} is used twice"
            problems.append(doc.problem(("references", i, "key"), "duplicate-key", message))
            continue
        references[ref.key] = ref
        places[ref.key] = i
        marks[ref.key] = doc.mark(("references", i, "key"))
        if ref.doi is None:
            continue
        loc = ("references", i, "doi")
        lower = ref.doi.lower()
        if ref.doi != lower:
            message = f"DOI {ref.doi!r} must be lower case: {lower!r}"
            problems.append(doc.problem(loc, "doi-case", message))
        if lower in dois:
            message = f"DOI {ref.doi!r} is also the DOI of {dois[lower]!r}"
            problems.append(doc.problem(loc, "duplicate-doi", message, "warning"))
        dois.setdefault(lower, ref.key)
    return problems, references, marks
