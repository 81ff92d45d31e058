"""The rules within one vocabulary file: each name listed once, each label (name, synonym,
alias, abbreviation) naming one term only, parents and related terms known, no term its own
ancestor. Called by `check.py` for every vocabulary file.
"""

from __future__ import annotations

import difflib
from typing import Any

from secretome_cli.files.yamlfile import Document, PathKey
from secretome_cli.model.problems import Problem
from secretome_cli.validate import rules
from secretome_cli.words.normalize import key


def check(kind: str, listkey: str, entries: list[dict[str, Any]], doc: Document) -> list[Problem]:
    """The problems of the `entries` of one vocabulary file (`doc`, its list under `listkey`)."""
    problems: list[Problem] = []
    names: dict[str, int] = {}
    owners: dict[str, tuple[str, int]] = {}
    for i, entry in enumerate(entries):
        name = entry["name"]
        if name in names:
            message = f"{kind} {name!r} is listed twice (also entry {names[name] + 1})"
            problems.append(doc.problem((listkey, i, "name"), "duplicate-term", message))
            continue
        names[name] = i
        labels = [
            name,
            *entry.get("synonyms", ()),
            *entry.get("aliases", ()),
            *entry.get("abbreviations", ()),
        ]
        for j, label in enumerate(labels):
            k = key(label)
            owner = owners.get(k)
            if owner is not None and owner[0] != name:
                message = (
                    f"{label!r} of {kind} {name!r} reads the same as a name of "
                    f"{owner[0]!r}; one label may name only one {kind}"
                )
                loc = (listkey, i, *_label_field(entry, j))
                problems.append(doc.problem(loc, "ambiguous-term", message))
            elif owner is None:
                owners[k] = (name, i)
    for i, entry in enumerate(entries):
        links = [("parents", j, p) for j, p in enumerate(entry.get("parents", ()))]
        links += [("related", j, p) for j, p in enumerate(entry.get("related", ()))]
        for link, j, parent in links:
            if parent not in names:
                near = difflib.get_close_matches(parent, list(names), n=2, cutoff=0.6)
                message = (
                    f"{link[:-1] if link == 'parents' else link} {parent!r} of "
                    f"{entry['name']!r} is not a {kind} of this file{rules.suggest(near)}"
                )
                rule = "unknown-parent" if link == "parents" else "unknown-related"
                problems.append(doc.problem((listkey, i, link, j), rule, message))
    parents = {e["name"]: list(e.get("parents", ())) for e in entries}
    for i, entry in enumerate(entries):
        if _reaches(parents, entry["name"], entry["name"]):
            message = f"{kind} {entry['name']!r} is its own ancestor"
            problems.append(doc.problem((listkey, i, "parents"), "parent-cycle", message))
    return problems


def _label_field(entry: dict[str, Any], index: int) -> PathKey:
    if index == 0:
        return ("name",)
    index -= 1
    for listname in ("synonyms", "aliases", "abbreviations"):
        items = entry.get(listname, ())
        if index < len(items):
            return (listname, index)
        index -= len(items)
    return ("name",)


def _reaches(parents: dict[str, list[str]], start: str, target: str) -> bool:
    seen: set[str] = set()
    todo = list(parents.get(start, ()))
    while todo:
        current = todo.pop()
        if current == target:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return False
