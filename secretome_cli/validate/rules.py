"""The rules that look beyond one record file: vocabulary terms, citations, ids, links.

They run on what can be read of a record (`Facts`), not on its validated model, so that a
record with a schema error still has every other problem reported in the same run, and its
id and citations still count for the other records: no record reports an unknown
`see_also` id, and no reference an `uncited-reference`, because of somebody else's typo.

`validate` (check.Checked) and the incremental index update (index.store) both apply them
through `Links`, which holds the ids, links and citations of the record files read so far.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from secretome_cli.files.yamlfile import Document, PathKey, read
from secretome_cli.model import record as model
from secretome_cli.model import vocab
from secretome_cli.model.problems import Problem

TERM_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("diseases", "name", "disease"),
    ("factors", "name", "factor"),
    ("targets", "name", "factor"),
    ("pathways", "name", "pathway"),
)
"""List fields whose entries name a vocabulary term: (field, key of the name, vocabulary)."""
TERM_LISTS: tuple[tuple[PathKey, str], ...] = (
    (("drugs",), "factor"),
    (("source", "preconditioning"), "preconditioning"),
)
"""List fields whose items are vocabulary terms: (where, vocabulary)."""
DUPLICATE_ENTRY_FIELDS = ("factors", "targets", "pathways")
"""Lists in which one name twice is a warning."""


@dataclass
class Facts:
    """What can be read of a record file, valid or not: every value the schema did not
    refuse, with where it is."""

    id: str | None = None
    see_also: list[tuple[int, str]] = field(default_factory=list)
    """(index in see_also, id)."""
    citations: list[tuple[PathKey, str]] = field(default_factory=list)
    """(where, key) of every citation and of the provenance source."""
    terms: list[tuple[PathKey, str, str]] = field(default_factory=list)
    """(where, vocabulary kind, name) of every vocabulary term used."""
    organs_beside_diseases: bool = False
    """The record lists organs and diseases both (organs are for a record with no disease)."""


MISSPELT_CUTOFF = 0.75
"""How alike a key must be to a field name the record lacks to be read as that field
misspelt (difflib's ratio: 'factorz' and 'factors' are 0.86, 'targets' and 'factors' 0.43)."""


def spelt(data: Any, loc: PathKey) -> PathKey:
    """`loc` as the record spells it: a field name the data lacks is replaced by the one key
    beside it that is close to it and is no field of a record ('factorz' for 'factors'), so
    that the terms of a misspelt field are checked in the same run as its name."""
    known = RECORD_FIELDS
    value: Any = data
    actual: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and isinstance(value, dict) and part not in value:
            keys = [k for k in value if isinstance(k, str) and k not in known]
            near = difflib.get_close_matches(part, keys, n=1, cutoff=MISSPELT_CUTOFF)
            part = near[0] if near else part
        known = frozenset()
        actual.append(part)
        value = value.get(part) if isinstance(value, dict) else None
    return tuple(actual)


RECORD_FIELDS = frozenset(f.alias or n for n, f in model.Record.model_fields.items())
"""The top-level field names of a record (no key by these names is a misspelling)."""


def facts_of(data: Any, rejected: Iterable[PathKey] = ()) -> Facts:
    """The facts of a record's data, leaving out every value at or below a `rejected` place
    (a value the schema refused is reported as that, not again as unknown). The terms of a
    misspelt field (`spelt`) are read too: the schema refused its name, not its values."""
    term_places = [(name,) for name, *_ in TERM_FIELDS] + [loc for loc, _ in TERM_LISTS]
    misspelt = {
        where[: i + 1]
        for loc in term_places
        if (where := spelt(data, loc)) != loc
        for i in range(len(where))
        if where[i] != loc[i]
    }
    refused = [tuple(loc) for loc in rejected if tuple(loc) not in misspelt]

    def text(loc: PathKey) -> str | None:
        value: Any = data
        for part in loc:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and part < len(value) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, str) or any(loc[: len(r)] == r for r in refused):
            return None
        return value

    def items(loc: PathKey) -> range:
        value: Any = data
        for part in loc:
            value = value.get(part) if isinstance(value, dict) else None
        return range(len(value)) if isinstance(value, list) else range(0)

    facts = Facts(id=text(("id",)))
    facts.see_also = [(i, v) for i in items(("see_also",)) if (v := text(("see_also", i)))]
    places: list[PathKey] = [("citations", i) for i in items(("citations",))]
    places.append(("provenance", "source"))
    facts.citations = [(loc, v) for loc in places if (v := text(loc))]
    for listname, key, kind in TERM_FIELDS:
        (field_key,) = spelt(data, (listname,))
        for i in items((field_key,)):
            if name := text((field_key, i, key)):
                facts.terms.append(((field_key, i, key), kind, name))
    for loc, kind in TERM_LISTS:
        where = spelt(data, loc)
        for i in items(where):
            if name := text((*where, i)):
                facts.terms.append(((*where, i), kind, name))
    facts.organs_beside_diseases = bool(items(("organs",)) and items(("diseases",)))
    return facts


def record_problems(
    facts: Facts,
    doc: Document,
    path: Path,
    references: Mapping[str, model.Reference],
    vocabulary: vocab.Vocabulary,
) -> list[Problem]:
    """Every problem of a record's facts that its file alone shows against the record set's
    bibliography and vocabularies: id and file name, citations, terms."""
    problems: list[Problem] = []
    if facts.id is not None and facts.id != path.stem:
        problems.append(
            doc.problem(
                ("id",),
                "id-filename",
                f"id {facts.id!r} does not match the file name {path.name!r}; "
                f"name the file {facts.id}.yaml",
            )
        )
    for loc, citation in facts.citations:
        if citation in references:
            continue
        if loc[0] == "citations":
            near = difflib.get_close_matches(citation, list(references), n=2)
            message = f"citation {citation!r} is not in the bibliography{suggest(near)}"
        else:
            message = f"provenance source {citation!r} is not in the bibliography"
        problems.append(doc.problem(loc, "unknown-citation", message))
    problems.extend(_term_problems(facts, doc, vocabulary))
    if facts.organs_beside_diseases:
        message = (
            "organs are for a record with no disease: a disease brings its own organs "
            "(vocab/diseases.yaml); remove organs or the diseases"
        )
        problems.append(doc.problem(("organs",), "organ-with-disease", message, "warning"))
    return problems


def _term_problems(facts: Facts, doc: Document, voc: vocab.Vocabulary) -> list[Problem]:
    problems: list[Problem] = []
    seen: defaultdict[str, set[str]] = defaultdict(set)
    for loc, kind, name in facts.terms:
        where = ".".join(str(p) for p in loc)
        if loc[0] in DUPLICATE_ENTRY_FIELDS:
            if name in seen[str(loc[0])]:
                message = f"{loc[0]}.{loc[1]}: {name!r} is listed twice"
                problems.append(doc.problem(loc, "duplicate-entry", message, "warning"))
            seen[str(loc[0])].add(name)
        term = voc.get(kind, name)
        if term is not None and (loc[0] != "drugs" or term.info == "drug"):
            continue
        if term is not None:
            message = f"{where}: {name!r} is a {term.info}, not a drug"
            problems.append(doc.problem(loc, "not-a-drug", message))
            continue
        exact = [
            h.term.name for h in voc.lookup(name, [kind]) if h.how in {"synonym", "abbreviation"}
        ]
        if exact:
            message = f"{where}: {name!r} is another name of {exact[0]!r}; use the canonical name"
            problems.append(doc.problem(loc, "alias-used", message))
            continue
        filename = model.VOCABULARY_FILES[kind].filename
        near = difflib.get_close_matches(name, voc.names(kind), n=3, cutoff=0.6)
        message = f"{where}: {name!r} is not in vocab/{filename}{suggest(near)}"
        problems.append(doc.problem(loc, f"unknown-{kind}", message))
    return problems


def suggest(near: list[str]) -> str:
    """'; did you mean ...?' for close matches, or nothing."""
    return f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""


def mark_in_file(path: Path, loc: PathKey) -> tuple[int, int]:
    """Where a value of a record file is, reading the file again: for the rules that find a
    problem only once every file has been read."""
    doc, _ = read(path)
    return doc.mark(loc) if doc is not None else (1, 1)


class Readable(Protocol):
    """What the rules across record files need of one file (record_file.FileResult has it)."""

    path: Path
    name: str
    """The file as messages name it."""
    record_id: str | None
    see_also: list[tuple[int, str]]
    """(index in see_also, id) of every link that can be read."""
    cited: list[str]


@dataclass
class Links:
    """The ids, links and citations of the record files read so far, and the rules across
    them: ids unique (the first file by name keeps an id), every `see_also` id a record's,
    every reference cited."""

    ids: MutableMapping[str, str] = field(default_factory=dict)
    """Record id → the file (as messages name it) that holds it."""
    cited: Counter[str] = field(default_factory=Counter)
    pending: list[tuple[Readable, int, str]] = field(default_factory=list)
    """(file, index in see_also, id) of the links not checked yet."""

    def claim(self, file: Readable) -> Problem | None:
        """Take a file's id, links and citations; a duplicate-id problem when an earlier
        file holds its id already (the file then keeps no id)."""
        self.cited.update(file.cited)
        self.pending.extend((file, i, other) for i, other in file.see_also)
        if file.record_id is None:
            return None
        first = self.ids.get(file.record_id)
        if first is None or first == file.name:
            self.ids[file.record_id] = file.name
            return None
        line, col = mark_in_file(file.path, ("id",))
        message = f"id {file.record_id!r} is also the id of {first}"
        return Problem(file.name, line, col, "duplicate-id", message)

    def unknown(self, file: Readable) -> list[tuple[int, str]]:
        """The links of a file to ids no record file holds: (index in see_also, id)."""
        return [(i, other) for i, other in file.see_also if other not in self.ids]

    def dangling(self) -> list[Problem]:
        """An unknown-record problem for every link (of every file taken) to an id no file
        holds; call once every file is taken."""
        problems = []
        for file, i, other in self.pending:
            if other not in self.ids:
                line, col = mark_in_file(file.path, ("see_also", i))
                message = f"see_also {other!r} is not a record id"
                problems.append(Problem(file.name, line, col, "unknown-record", message))
        return problems

    def uncited(
        self, references: Iterable[str], marks: Mapping[str, tuple[int, int]], bibliography: str
    ) -> list[Problem]:
        """An uncited-reference warning for every reference no record file cites."""
        return [
            Problem(
                bibliography,
                *marks.get(key, (1, 1)),
                "uncited-reference",
                f"reference {key!r} is cited by no record",
                "warning",
            )
            for key in references
            if not self.cited[key]
        ]
