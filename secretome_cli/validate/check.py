"""Validation: every rule a record set must pass, each problem with its rule and location.

`check` reads a whole record set (dataset, bibliography, vocabularies, records), validates
every file against the model and then across files: ids unique and equal to file names,
every vocabulary term, citation and related id known (rules.py, also for what can be read
of a record with a schema error), revisions and changelogs consistent, the bibliography's
keys unique and DOIs lower case and like their peers (bibliography.py) and every entry
cited, vocabulary parents known and acyclic, and no control characters anywhere. It
returns the valid records together with every problem found, so that `validate` can
report them all at once and search can answer from the valid records while saying how
many it skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secretome_cli.files.layout import Layout, display, record_set_of, require_layout
from secretome_cli.files.loading import read_model
from secretome_cli.model import record as model
from secretome_cli.model import vocab
from secretome_cli.model.problems import Problem, RecordsError
from secretome_cli.validate import bibliography, vocabulary
from secretome_cli.validate.record_file import Context, FileResult, _canonical, _control_characters
from secretome_cli.validate.rules import Links
from secretome_cli.validate.workers import iter_files


@dataclass
class Checked:
    """The outcome of checking a record set: what is valid, and every problem."""

    layout: Layout
    today: dt.date = field(default_factory=dt.date.today)
    keep_records: bool = True
    canonical: bool = True
    dataset: model.Dataset | None = None
    references: dict[str, model.Reference] = field(default_factory=dict)
    vocab_data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    vocabulary: vocab.Vocabulary = field(default_factory=vocab.Vocabulary)
    records: list[tuple[Path, model.Record]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    record_files: int = 0
    valid: int = 0
    valid_names: set[str] = field(default_factory=set)
    reference_marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    links: Links = field(default_factory=Links)
    """The ids, links and citations of the record files read so far."""

    def context(self, build_rows: bool = False) -> Context:
        """The context records of this set are checked in."""
        return Context(
            self.vocab_data,
            self.references,
            self.today,
            self.canonical,
            self.keep_records,
            build_rows,
        )

    def add(self, result: FileResult) -> bool:
        """Take the result of one record file; True when the record is valid so far (its id
        is not a duplicate of an earlier file's)."""
        self.record_files += 1
        self.problems.extend(result.problems)
        duplicate = self.links.claim(result)
        if duplicate is not None:
            self.problems.append(duplicate)
            return False
        if not result.ok:
            return False
        self.valid += 1
        self.valid_names.add(result.name)
        if result.record is not None:
            self.records.append((result.path, result.record))
        return True

    def finish(self) -> list[str]:
        """Apply the rules that need every record (related ids known, every reference
        cited); returns the names of files found invalid only now."""
        dangling = self.links.dangling()
        self.problems.extend(dangling)
        invalid = sorted({p.file for p in dangling} & self.valid_names)
        self.valid_names.difference_update(invalid)
        self.valid = len(self.valid_names)
        if invalid:
            dropped = set(invalid)
            self.records = [(p, r) for p, r in self.records if display(p) not in dropped]
        self.problems.extend(
            self.links.uncited(
                self.references, self.reference_marks, display(self.layout.bibliography)
            )
        )
        return invalid

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
        return self.record_files - self.valid


def check(
    root: Path,
    extra_records: Iterable[Path] = (),
    only: Collection[Path] | None = None,
    today: dt.date | None = None,
    keep_records: bool = True,
    canonical: bool = True,
    stand_in: bool = False,
) -> Checked:
    """Check the record set at `root` (plus `extra_records` read as records of it; with
    `stand_in`, each in place of the set's record file of the same name: the record on
    standard input is checked as that record, not as a second one with its id).

    With `only`, report just the problems of those files (the whole set is still read, so
    that cross-file rules such as duplicate ids still apply). Without `keep_records` the
    valid records are counted but not kept; without `canonical` the form of each file is not
    compared with what `fmt` writes. Raises RecordsError when `root` is not a record set.
    """
    checked = prepare(root, today=today, keep_records=keep_records, canonical=canonical)
    layout = checked.layout
    files = layout.record_files()
    if extra_records:
        known = set(files)
        extra = [p for p in extra_records if p not in known]
        replaced = {p.name for p in extra} if stand_in else set()
        files = [p for p in files if p.name not in replaced] + extra
    for result in iter_files(files, checked.context()):
        checked.add(result)
    checked.finish()
    if only is not None:
        wanted = {display(p) for p in only}
        checked.problems = [p for p in checked.problems if p.file in wanted]
        checked.records = [(path, rec) for path, rec in checked.records if display(path) in wanted]
        checked.valid = sum(1 for name in checked.valid_names if name in wanted)
        checked.record_files = sum(1 for p in files if display(p) in wanted)
    checked.problems.sort(key=lambda p: (p.file, p.line, p.column, p.rule))
    return checked


def prepare(
    root: Path, today: dt.date | None = None, keep_records: bool = True, canonical: bool = True
) -> Checked:
    """Read and check everything of a record set but its records: the dataset file, the
    vocabularies and the bibliography, which every record is checked against."""
    checked = Checked(
        require_layout(root),
        today=today or dt.date.today(),
        keep_records=keep_records,
        canonical=canonical,
    )
    _read_dataset(checked)
    _read_vocabularies(checked)
    _read_bibliography(checked)
    return checked


def _read_dataset(result: Checked) -> None:
    parsed = read_model(result.layout.dataset, model.Dataset)
    result.problems.extend(parsed.problems)
    result.problems.extend(_canonical(parsed))
    result.dataset = parsed.model
    if parsed.document is not None:
        result.problems.extend(_control_characters(parsed.document))


def _read_vocabularies(result: Checked) -> None:
    for kind, file in model.VOCABULARY_FILES.items():
        filename, listkey = file.filename, file.listkey
        path = result.layout.vocab_dir / filename
        if not path.is_file():
            message = f"vocabulary file {filename} is missing"
            result.problems.append(Problem(display(path), 1, 1, "missing-file", message))
            result.vocab_data[kind] = []
            continue
        parsed = read_model(path, file.model)
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
        result.problems.extend(vocabulary.check(kind, listkey, entries, parsed.document))
    result.vocabulary = vocab.Vocabulary.from_data(result.vocab_data)


def _read_bibliography(result: Checked) -> None:
    parsed = read_model(result.layout.bibliography, model.Bibliography)
    result.problems.extend(parsed.problems)
    result.problems.extend(_canonical(parsed))
    if parsed.document is not None:
        result.problems.extend(_control_characters(parsed.document))
    if parsed.model is None or parsed.document is None:
        return
    problems, references, marks = bibliography.check(parsed.model, parsed.document)
    result.problems.extend(problems)
    result.references.update(references)
    result.reference_marks.update(marks)


def check_paths(
    paths: Collection[Path], default_root: Path, keep_records: bool = True, stand_in: bool = False
) -> list[Checked]:
    """Check the given files and directories, each in the context of its record set.

    A record set directory is checked whole. A file or directory inside a set is checked with
    that set as context (problems of other files are left out). Files outside any set are
    checked as records against `default_root`.
    """
    groups: dict[Path, tuple[list[Path], list[Path], bool]] = {}
    for path in paths:
        if not path.exists():
            raise RecordsError(f"no such file or directory: {path}")
        root = record_set_of(path)
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
        results.append(
            check(
                root,
                extra_records=extra,
                only=None if full else only,
                keep_records=keep_records,
                stand_in=stand_in,
            )
        )
    return results


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())
    return [path]
