"""Rule `placeholder`: a value `secretome new` left for the curator (`TODO`) is still there.

Each placeholder is named with the field it stands for and what that field holds. A
placeholder also breaks the field's own rule (TODO is no topic, no citation key); that second
problem, at the same place, is left out, so a new record's report lists what to fill in.
"""

from __future__ import annotations

from secretome_cli.files.skeleton import PLACEHOLDER, field_info, is_placeholder
from secretome_cli.files.yamlfile import Document, walk_strings
from secretome_cli.model.problems import Problem


def unfilled(doc: Document | None, problems: list[Problem]) -> list[Problem]:
    """`problems` with a `placeholder` problem for each placeholder of `doc`, and without the
    other problems located at a placeholder."""
    if doc is None or PLACEHOLDER not in doc.text:
        return problems
    found: list[Problem] = []
    for loc, text in walk_strings(doc.data):
        if not is_placeholder(text):
            continue
        line, col = doc.mark(loc)
        where = ".".join(str(p) for p in loc)
        info = field_info(loc)
        what = " ".join(str(info.description or "").split()) if info is not None else ""
        optional = info is not None and not info.is_required()
        message = f"{where}: placeholder {text.strip()!r} left unfilled"
        if what:
            message += f" ({what.rstrip('.')})"
        if optional:
            message += "; optional: fill it in or remove it"
        found.append(Problem(doc.path, line, col, "placeholder", message))
    places = {(p.line, p.column) for p in found}
    return [p for p in problems if (p.line, p.column) not in places] + found
