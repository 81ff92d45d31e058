"""Checking one record file on its own: the schema, canonical form, control characters, the
rules that need the bibliography or the vocabularies, revisions and the changelog
(`check_file`); what a check needs to know of its record set (`Context`) and what it found
(`FileResult`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secretome_cli.files.loading import Parsed, read_model
from secretome_cli.files.yamlfile import Document, walk_strings
from secretome_cli.model import record as model
from secretome_cli.model import vocab
from secretome_cli.model.characters import UNSAFE, describe, kind_of
from secretome_cli.model.document import build, doc_text
from secretome_cli.model.fields import doc_terms
from secretome_cli.model.problems import Problem
from secretome_cli.validate import rules
from secretome_cli.validate.placeholders import unfilled


@dataclass(frozen=True)
class Context:
    """What checking one record file needs to know about its record set (sent to worker
    processes, so it holds plain data)."""

    vocab_data: dict[str, list[dict[str, Any]]]
    references: dict[str, model.Reference]
    today: dt.date
    canonical: bool = True
    keep_records: bool = True
    build_rows: bool = False


@dataclass
class FileResult:
    """What checking one record file found."""

    path: Path
    name: str
    problems: list[Problem]
    record_id: str | None = None
    """The record's id, when it can be read (also of a record with a schema error)."""
    see_also: list[tuple[int, str]] = field(default_factory=list)
    """(index in see_also, id) of every link that can be read."""
    cited: list[str] = field(default_factory=list)
    """Every bibliography key the file cites (citations and provenance source)."""
    record: model.Record | None = None
    row: Row | None = None
    """The record's index row, when the context asks for rows."""

    @property
    def ok(self) -> bool:
        """True when the file has no error of its own."""
        return self.record_id is not None and not any(p.severity == "error" for p in self.problems)


def check_file(path: Path, context: Context, vocabulary: vocab.Vocabulary) -> FileResult:
    """Every rule one record file can be checked against on its own. The rules that need
    the bibliography or the vocabularies run on what can be read of the record even when
    its schema check fails, so that one run reports every problem of the file."""
    parsed = read_model(path, model.Record)
    result = FileResult(path, parsed.name, list(parsed.problems))
    if context.canonical:
        result.problems.extend(_canonical(parsed))
    doc, record = parsed.document, parsed.model
    if doc is None:
        return result
    result.problems.extend(_control_characters(doc))
    facts = rules.facts_of(doc.data, parsed.rejected)
    result.record_id = facts.id
    result.see_also = facts.see_also
    result.cited = [key for _, key in facts.citations]
    result.problems.extend(rules.record_problems(facts, doc, path, context.references, vocabulary))
    result.problems = unfilled(doc, result.problems)
    if record is None:
        return result
    result.problems.extend(_check_history(record, doc, context.today))
    if not (record.provenance.section or record.provenance.table):
        message = "provenance must name a section or a table"
        result.problems.append(doc.problem(("provenance",), "provenance", message))
    if context.keep_records:
        result.record = record
    if context.build_rows and result.ok:
        result.row = row_of(record, vocabulary, context.references)
    return result


@dataclass(frozen=True)
class Row:
    """One record's share of the index (`index/build.py`), built where the record is read."""

    record_id: str
    doc: str
    """The record's document (`model/document.py`) as JSON text."""
    terms: tuple[tuple[str, str], ...]
    text: tuple[str, ...]
    """The full-text columns, in the order of `fields.TEXT_COLUMNS`."""


def row_of(
    record: model.Record, vocabulary: vocab.Vocabulary, refs: Mapping[str, model.Reference]
) -> Row:
    """The index row of a valid record."""
    doc = build(record, vocabulary, refs)
    text = json.dumps(doc, ensure_ascii=False)
    return Row(record.id, text, tuple(sorted(set(doc_terms(doc)))), doc_text(doc))


def _canonical(parsed: Parsed[Any]) -> list[Problem]:
    """A warning when a valid file is not in the form `secretome fmt` writes."""
    from secretome_cli.files.canonical import canonical_text

    if parsed.model is None or parsed.document is None:
        return []
    if canonical_text(parsed.model) == parsed.document.text.lstrip("\ufeff"):
        return []
    message = "file is not in canonical form; run `secretome fmt` to rewrite it"
    return [Problem(parsed.name, 1, 1, "format", message, "warning")]


def _control_characters(doc: Document) -> list[Problem]:
    if not UNSAFE.search(doc.text) and "\\" not in doc.text:
        return []  # no such character in the file, and no escape that could make one
    problems = []
    for loc, text in walk_strings(doc.data):
        found = UNSAFE.search(text)
        if found:
            where = ".".join(str(p) for p in loc)
            char = found.group()
            what = kind_of(char)
            rule = "control-character" if what != "invisible character" else "invisible-character"
            message = (
                f"{where}: {what} {describe(char)} at character {found.start() + 1} is not "
                "allowed in text (terminal escape sequences and invisible characters could "
                "change how output looks, or hide text from a reader)"
            )
            problems.append(doc.problem(loc, rule, message))
    return problems


def _check_history(record: model.Record, doc: Document, today: dt.date) -> list[Problem]:
    problems = []
    for i, entry in enumerate(record.changelog):
        if entry.revision != i + 1:
            message = (
                f"changelog entry {i + 1} has revision {entry.revision}; revisions count up from 1"
            )
            problems.append(doc.problem(("changelog", i, "revision"), "changelog", message))
        if i and entry.date < record.changelog[i - 1].date:
            message = "changelog dates must not go backwards"
            problems.append(doc.problem(("changelog", i, "date"), "changelog", message))
        if entry.date > today:
            message = f"changelog date {entry.date} is in the future"
            problems.append(doc.problem(("changelog", i, "date"), "impossible-date", message))
    last = record.changelog[-1]
    if record.revision != last.revision:
        message = (
            f"revision is {record.revision} but the last changelog entry is revision "
            f"{last.revision}"
        )
        problems.append(doc.problem(("revision",), "revision", message))
    if record.updated != last.date:
        message = f"updated is {record.updated} but the last changelog entry is dated {last.date}"
        problems.append(doc.problem(("updated",), "revision", message))
    if record.updated > today:
        message = f"updated date {record.updated} is in the future"
        problems.append(doc.problem(("updated",), "impossible-date", message))
    return problems
