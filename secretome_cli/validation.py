"""Validation: every rule a record set must pass, each problem with its rule and location.

`check` reads a whole record set (dataset, bibliography, vocabularies, records), validates
every file against the model and then across files: ids unique and equal to file names,
every vocabulary term, citation and related id known, revisions and changelogs consistent,
bibliography DOIs lower case and every entry cited, vocabulary parents known and acyclic,
and no control characters anywhere. It returns the valid records together with every
problem found, so that `validate` can report them all at once and search can answer from
the valid records while saying how many it skipped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import model, vocab
from .layout import Layout, display, require_layout
from .loading import Parsed, read_model
from .normalize import key
from .problems import Problem, RecordsError
from .yamlfile import Document, PathKey, walk_strings

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_VOCAB_MODELS: dict[str, type[Any]] = {
    "disease": model.DiseaseVocabulary,
    "factor": model.FactorVocabulary,
    "pathway": model.PathwayVocabulary,
    "preconditioning": model.PreconditioningVocabulary,
}


@dataclass
class Checked:
    """The outcome of checking a record set: what is valid, and every problem."""

    layout: Layout
    dataset: model.Dataset | None = None
    references: dict[str, model.Reference] = field(default_factory=dict)
    vocab_data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    vocabulary: vocab.Vocabulary = field(default_factory=vocab.Vocabulary)
    records: list[tuple[Path, model.Record]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    record_files: int = 0
    reference_marks: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are warnings."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def skipped(self) -> int:
        """Record files that could not be used."""
        return self.record_files - len(self.records)


def check(
    root: Path,
    extra_records: Iterable[Path] = (),
    only: Collection[Path] | None = None,
    today: dt.date | None = None,
) -> Checked:
    """Check the record set at `root` (plus `extra_records` read as records of it).

    With `only`, report just the problems of those files (the whole set is still read, so
    that cross-file rules such as duplicate ids still apply). Raises RecordsError when `root`
    is not a record set at all.
    """
    layout = require_layout(root)
    result = Checked(layout)
    today = today or dt.date.today()
    _read_dataset(result)
    _read_vocabularies(result)
    _read_bibliography(result)
    files = [*layout.record_files(), *(p for p in extra_records if p not in layout.record_files())]
    result.record_files = len(files)
    parsed = [read_model(path, model.Record) for path in files]
    for item in parsed:
        result.problems.extend(item.problems)
        result.problems.extend(_canonical(item))
        if item.document is not None:
            result.problems.extend(_control_characters(item.document))
    _check_records(result, parsed, today)
    if only is not None:
        wanted = {display(p) for p in only}
        result.problems = [p for p in result.problems if p.file in wanted]
        result.records = [(path, rec) for path, rec in result.records if display(path) in wanted]
        result.record_files = sum(1 for p in files if display(p) in wanted)
    result.problems.sort(key=lambda p: (p.file, p.line, p.column, p.rule))
    return result


def _read_dataset(result: Checked) -> None:
    parsed = read_model(result.layout.dataset, model.Dataset)
    result.problems.extend(parsed.problems)
    result.problems.extend(_canonical(parsed))
    result.dataset = parsed.model
    if parsed.document is not None:
        result.problems.extend(_control_characters(parsed.document))


def _read_vocabularies(result: Checked) -> None:
    for kind, (filename, listkey) in vocab.VOCAB_FILES.items():
        path = result.layout.vocab_dir / filename
        if not path.is_file():
            result.problems.append(
                Problem(
                    display(path), 1, 1, "missing-file", f"vocabulary file {filename} is missing"
                )
            )
            result.vocab_data[kind] = []
            continue
        parsed = read_model(path, _VOCAB_MODELS[kind])
        result.problems.extend(parsed.problems)
        result.problems.extend(_canonical(parsed))
        if parsed.document is not None:
            result.problems.extend(_control_characters(parsed.document))
        if parsed.model is None:
            result.vocab_data[kind] = []
            continue
        entries = [
            e.model_dump(by_alias=True, exclude_defaults=False)
            for e in getattr(parsed.model, listkey)
        ]
        result.vocab_data[kind] = entries
        assert parsed.document is not None
        result.problems.extend(_check_vocabulary(kind, listkey, entries, parsed.document))
    result.vocabulary = vocab.Vocabulary.from_data(result.vocab_data)


def _check_vocabulary(
    kind: str, listkey: str, entries: list[dict[str, Any]], doc: Document
) -> list[Problem]:
    problems: list[Problem] = []
    names: dict[str, int] = {}
    owners: dict[str, tuple[str, int]] = {}
    for i, entry in enumerate(entries):
        name = entry["name"]
        if name in names:
            line, col = doc.mark((listkey, i, "name"))
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "duplicate-term",
                    f"{kind} {name!r} is listed twice (also entry {names[name] + 1})",
                )
            )
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
                field_name = _label_field(entry, j)
                line, col = doc.mark((listkey, i, *field_name))
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "ambiguous-term",
                        f"{label!r} of {kind} {name!r} reads the same as a name of "
                        f"{owner[0]!r}; one label may name only one {kind}",
                    )
                )
            elif owner is None:
                owners[k] = (name, i)
    for i, entry in enumerate(entries):
        for j, parent in enumerate(entry.get("parents", ())):
            if parent not in names:
                line, col = doc.mark((listkey, i, "parents", j))
                near = difflib.get_close_matches(parent, list(names), n=2, cutoff=0.6)
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "unknown-parent",
                        f"parent {parent!r} of {entry['name']!r} is not a {kind} "
                        f"of this file{_suggest(near)}",
                    )
                )
    parents = {e["name"]: list(e.get("parents", ())) for e in entries}
    for i, entry in enumerate(entries):
        if _reaches(parents, entry["name"], entry["name"]):
            line, col = doc.mark((listkey, i, "parents"))
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "parent-cycle",
                    f"{kind} {entry['name']!r} is its own ancestor",
                )
            )
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


def _read_bibliography(result: Checked) -> None:
    parsed = read_model(result.layout.bibliography, model.Bibliography)
    result.problems.extend(parsed.problems)
    result.problems.extend(_canonical(parsed))
    if parsed.document is not None:
        result.problems.extend(_control_characters(parsed.document))
    if parsed.model is None or parsed.document is None:
        return
    doc = parsed.document
    dois: dict[str, str] = {}
    for i, ref in enumerate(parsed.model.references):
        if ref.key in result.references:
            line, col = doc.mark(("references", i, "key"))
            result.problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "duplicate-key",
                    f"bibliography key {ref.key!r} is used twice",
                )
            )
            continue
        result.references[ref.key] = ref
        result.reference_marks[ref.key] = doc.mark(("references", i, "key"))
        if ref.doi is not None:
            line, col = doc.mark(("references", i, "doi"))
            if ref.doi != ref.doi.lower():
                result.problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "doi-case",
                        f"DOI {ref.doi!r} must be lower case: {ref.doi.lower()!r}",
                    )
                )
            if ref.doi.lower() in dois:
                result.problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "duplicate-doi",
                        f"DOI {ref.doi!r} is also the DOI of {dois[ref.doi.lower()]!r}",
                        "warning",
                    )
                )
            dois.setdefault(ref.doi.lower(), ref.key)


def _canonical(parsed: Parsed[Any]) -> list[Problem]:
    """A warning when a valid file is not in the form `secretome fmt` writes."""
    from .canonical import canonical_text

    if parsed.model is None or parsed.document is None:
        return []
    if canonical_text(parsed.model) == parsed.document.text.lstrip("\ufeff"):
        return []
    return [
        Problem(
            parsed.name,
            1,
            1,
            "format",
            "file is not in canonical form; run `secretome fmt` to rewrite it",
            "warning",
        )
    ]


def _control_characters(doc: Document) -> list[Problem]:
    problems = []
    for loc, text in walk_strings(doc.data):
        found = _CONTROL.search(text)
        if found:
            line, col = doc.mark(loc)
            where = ".".join(str(p) for p in loc)
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "control-character",
                    f"{where}: control character U+{ord(found.group()):04X} is not "
                    "allowed in text (terminal escape sequences and invisible "
                    "characters could change how output looks)",
                )
            )
    return problems


def _check_records(result: Checked, parsed: list[Parsed[model.Record]], today: dt.date) -> None:
    ids: dict[str, str] = {}
    cited: Counter[str] = Counter()
    candidates: list[tuple[Parsed[model.Record], model.Record]] = []
    for item in parsed:
        record, doc = item.model, item.document
        if record is None or doc is None:
            continue
        found: list[Problem] = []
        if record.id in ids:
            line, col = doc.mark(("id",))
            found.append(
                Problem(
                    item.name,
                    line,
                    col,
                    "duplicate-id",
                    f"id {record.id!r} is also the id of {ids[record.id]}",
                )
            )
        else:
            ids[record.id] = item.name
        if record.id != item.path.stem:
            line, col = doc.mark(("id",))
            found.append(
                Problem(
                    item.name,
                    line,
                    col,
                    "id-filename",
                    f"id {record.id!r} does not match the file name "
                    f"{item.path.name!r}; name the file {record.id}.yaml",
                )
            )
        found += _check_history(record, doc, today)
        found += _check_terms(record, doc, result)
        for i, citation in enumerate(record.citations):
            cited[citation] += 1
            if citation not in result.references:
                line, col = doc.mark(("citations", i))
                near = difflib.get_close_matches(citation, list(result.references), n=2)
                found.append(
                    Problem(
                        item.name,
                        line,
                        col,
                        "unknown-citation",
                        f"citation {citation!r} is not in the bibliography{_suggest(near)}",
                    )
                )
        source = record.provenance.source
        cited[source] += 1
        if source not in result.references:
            line, col = doc.mark(("provenance", "source"))
            found.append(
                Problem(
                    item.name,
                    line,
                    col,
                    "unknown-citation",
                    f"provenance source {source!r} is not in the bibliography",
                )
            )
        if not (record.provenance.section or record.provenance.table):
            line, col = doc.mark(("provenance",))
            found.append(
                Problem(
                    item.name, line, col, "provenance", "provenance must name a section or a table"
                )
            )
        result.problems.extend(found)
        candidates.append((item, record))
    for item, record in candidates:
        assert item.document is not None
        for i, other in enumerate(record.see_also):
            if other not in ids:
                line, col = item.document.mark(("see_also", i))
                result.problems.append(
                    Problem(
                        item.name,
                        line,
                        col,
                        "unknown-record",
                        f"see_also {other!r} is not a record id",
                    )
                )
    failed = {p.file for p in result.problems if p.severity == "error"}
    result.records = [(item.path, record) for item, record in candidates if item.name not in failed]
    bib_doc = result.layout.bibliography
    for ref_key, ref in result.references.items():
        if not cited[ref_key]:
            line, col = result.reference_marks.get(ref_key, (1, 1))
            result.problems.append(
                Problem(
                    display(bib_doc),
                    line,
                    col,
                    "uncited-reference",
                    f"reference {ref.key!r} is cited by no record",
                    "warning",
                )
            )


def _check_history(record: model.Record, doc: Document, today: dt.date) -> list[Problem]:
    problems = []
    name = doc.path
    for i, entry in enumerate(record.changelog):
        if entry.revision != i + 1:
            line, col = doc.mark(("changelog", i, "revision"))
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    "changelog",
                    f"changelog entry {i + 1} has revision {entry.revision}; "
                    f"revisions count up from 1",
                )
            )
        if i and entry.date < record.changelog[i - 1].date:
            line, col = doc.mark(("changelog", i, "date"))
            problems.append(
                Problem(name, line, col, "changelog", "changelog dates must not go backwards")
            )
        if entry.date > today:
            line, col = doc.mark(("changelog", i, "date"))
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    "impossible-date",
                    f"changelog date {entry.date} is in the future",
                )
            )
    last = record.changelog[-1]
    if record.revision != last.revision:
        line, col = doc.mark(("revision",))
        problems.append(
            Problem(
                name,
                line,
                col,
                "revision",
                f"revision is {record.revision} but the last changelog entry is "
                f"revision {last.revision}",
            )
        )
    if record.updated != last.date:
        line, col = doc.mark(("updated",))
        problems.append(
            Problem(
                name,
                line,
                col,
                "revision",
                f"updated is {record.updated} but the last changelog entry is dated {last.date}",
            )
        )
    if record.updated > today:
        line, col = doc.mark(("updated",))
        problems.append(
            Problem(
                name,
                line,
                col,
                "impossible-date",
                f"updated date {record.updated} is in the future",
            )
        )
    return problems


def _check_terms(record: model.Record, doc: Document, result: Checked) -> list[Problem]:
    problems: list[Problem] = []
    voc = result.vocabulary
    uses: list[tuple[str, str, PathKey, str]] = []
    uses += [
        ("disease", d.name, ("diseases", i, "name"), "diseases.yaml")
        for i, d in enumerate(record.diseases)
    ]
    uses += [
        ("factor", f.name, ("factors", i, "name"), "factors.yaml")
        for i, f in enumerate(record.factors)
    ]
    uses += [
        ("factor", t.name, ("targets", i, "name"), "factors.yaml")
        for i, t in enumerate(record.targets)
    ]
    uses += [
        ("pathway", p.name, ("pathways", i, "name"), "pathways.yaml")
        for i, p in enumerate(record.pathways)
    ]
    uses += [("factor", d, ("drugs", i), "factors.yaml") for i, d in enumerate(record.drugs)]
    uses += [
        ("preconditioning", s, ("source", "preconditioning", i), "preconditioning.yaml")
        for i, s in enumerate(record.source.preconditioning)
    ]
    for kind, name, loc, filename in uses:
        line, col = doc.mark(loc)
        where = ".".join(str(p) for p in loc)
        if voc.get(kind, name) is not None:
            if loc[0] == "drugs" and (term := voc.get(kind, name)) and term.info != "drug":
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "not-a-drug",
                        f"{where}: {name!r} is a {term.info}, not a drug",
                    )
                )
            continue
        exact = [
            h.term.name for h in voc.lookup(name, [kind]) if h.how in {"synonym", "abbreviation"}
        ]
        if exact:
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "alias-used",
                    f"{where}: {name!r} is another name of {exact[0]!r}; use the canonical name",
                )
            )
            continue
        near = difflib.get_close_matches(name, voc.names(kind), n=3, cutoff=0.6)
        problems.append(
            Problem(
                doc.path,
                line,
                col,
                f"unknown-{kind}",
                f"{where}: {name!r} is not in vocab/{filename}{_suggest(near)}",
            )
        )
    seen: defaultdict[str, set[str]] = defaultdict(set)
    lists: tuple[tuple[str, list[str]], ...] = (
        ("factors", [f.name for f in record.factors]),
        ("targets", [t.name for t in record.targets]),
        ("pathways", [p.name for p in record.pathways]),
    )
    for listname, names in lists:
        for i, name in enumerate(names):
            if name in seen[listname]:
                line, col = doc.mark((listname, i, "name"))
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "duplicate-entry",
                        f"{listname}.{i}: {name!r} is listed twice",
                        "warning",
                    )
                )
            seen[listname].add(name)
    return problems


def _suggest(near: list[str]) -> str:
    return f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""


def set_root(path: Path) -> Path | None:
    """The record set a path belongs to: the nearest directory (itself included) holding a
    dataset.yaml and a vocab/ directory."""
    start = path.resolve()
    for candidate in [start, *start.parents] if start.is_dir() else start.parents:
        if (candidate / "dataset.yaml").is_file() and (candidate / "vocab").is_dir():
            return candidate
    return None


def check_paths(paths: Collection[Path], default_root: Path) -> list[Checked]:
    """Check the given files and directories, each in the context of its record set.

    A record set directory is checked whole. A file or directory inside a set is checked with
    that set as context (problems of other files are left out). Files outside any set are
    checked as records against `default_root`.
    """
    groups: dict[Path, tuple[list[Path], list[Path], bool]] = {}
    for path in paths:
        if not path.exists():
            raise RecordsError(f"no such file or directory: {path}")
        root = set_root(path)
        whole = root is not None and path.is_dir() and path.resolve() == root
        files = [] if whole else _yaml_files(path)
        target = root or default_root.resolve()
        extra, only, full = groups.get(target, ([], [], False))
        if root is None:
            extra.extend(files)
        else:
            layout = Layout(root)
            known = {p.resolve() for p in (*layout.record_files(), *layout.data_files())}
            extra.extend(f for f in files if f.resolve() not in known)
        only.extend(files)
        groups[target] = (extra, only, full or whole)
    results = []
    for root, (extra, only, full) in groups.items():
        results.append(check(root, extra_records=extra, only=None if full else only))
    return results


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())
    return [path]
