"""The history rule of `validate --since REV`: what changed since a git revision must say so.

- A record whose content changed since REV has a higher `revision` than it had there
  (`history-revision`) and a changelog entry dated no earlier than REV's commit date
  (`history-changelog`).
- A record removed since REV is named in the new text of records/CHANGELOG.md
  (`history-removed`).
- The dataset version rises by the rule records/CHANGELOG.md states: major for a schema
  change, minor for added records or vocabulary terms, patch for corrections (anything else)
  (`history-version`), and CHANGELOG.md has an entry for the new version
  (`history-dataset-changelog`).

Records are compared as data, so reformatting a file (`secretome fmt`) is not a change.
Every breach is a Problem located in the work-tree file that has to change.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from secretome_cli.files.git import Revision, record_set_at
from secretome_cli.files.layout import display
from secretome_cli.files.rawset import RawSet, read_set
from secretome_cli.files.yamlfile import PathKey, read
from secretome_cli.model.problems import Problem

LEVELS = ("patch", "minor", "major")
"""Version bumps, least first."""


def since(root: Path, rev: str) -> list[Problem]:
    """The history problems of the record set at `root` against its version at git
    revision `rev` (RecordsError when git cannot read it)."""
    with record_set_at(root, rev) as (old_root, revision):
        old = read_set(old_root)
    return check_history(old, read_set(root), revision)


def _mark(path: Path, loc: PathKey) -> tuple[int, int]:
    doc, _ = read(path)
    return doc.mark(loc) if doc is not None else (1, 1)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _version(text: str) -> tuple[int, int, int] | None:
    found = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", text)
    return (int(found[1]), int(found[2]), int(found[3])) if found else None


def bump(version: tuple[int, int, int], level: str) -> str:
    """The next version at `level` ('1.2.3', minor → '1.3.0')."""
    major, minor, patch = version
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def required_level(old: RawSet, new: RawSet) -> tuple[str | None, list[str]]:
    """The smallest version bump the changes from `old` to `new` need (None: nothing
    changed), and the changes that decide it, in words."""
    reasons: dict[str, list[str]] = {level: [] for level in LEVELS}
    schemas_old = _schemas(old)
    schemas_new = _schemas(new)
    if schemas_old != schemas_new:
        reasons["major"].append(
            f"schema version {', '.join(map(str, sorted(schemas_old)))} → "
            f"{', '.join(map(str, sorted(schemas_new)))}"
        )
    added = len(new.records.keys() - old.records.keys())
    if added:
        reasons["minor"].append(f"{added} record{'s' * (added != 1)} added")
    terms = sum(len(new.vocab.get(k, {}).keys() - old.vocab.get(k, {}).keys()) for k in new.vocab)
    if terms:
        reasons["minor"].append(f"{terms} vocabulary term{'s' * (terms != 1)} added")
    removed = len(old.records.keys() - new.records.keys())
    if removed:
        reasons["patch"].append(f"{removed} record{'s' * (removed != 1)} removed")
    changed = sum(
        1 for k in old.records.keys() & new.records.keys() if old.records[k] != new.records[k]
    )
    if changed:
        reasons["patch"].append(f"{changed} record{'s' * (changed != 1)} changed")
    vocab_edits = sum(
        1
        for k in old.vocab.keys() | new.vocab.keys()
        for name, entry in old.vocab.get(k, {}).items()
        if new.vocab.get(k, {}).get(name) != entry
    )
    if vocab_edits:
        reasons["patch"].append(f"{vocab_edits} vocabulary term{'s' * (vocab_edits != 1)} edited")
    if old.references != new.references:
        reasons["patch"].append("bibliography changed")
    for level in reversed(LEVELS):
        if reasons[level]:
            return level, [r for lv in reversed(LEVELS) for r in reasons[lv]]
    return None, []


def _schemas(raw: RawSet) -> set[Any]:
    found = {raw.dataset.get("schema_version")}
    found.update(r.get("schema_version") for r in raw.records.values())
    return found


def _heading_line(text: str, version: str | None = None) -> int | None:
    """The line of the CHANGELOG heading for `version` (any version heading when None)."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#") or line.startswith("# "):
            continue
        if version is None or re.search(rf"(?<![\d.]){re.escape(version)}(?![\d.])", line):
            return number
    return None


def check_history(old: RawSet, new: RawSet, revision: Revision) -> list[Problem]:
    """Every breach of the history rule between `old` (at `revision`) and `new`."""
    problems: list[Problem] = []
    rev, since_date = revision.name, revision.date
    evidence = new.layout.evidence_dir
    for record_id in sorted(old.records.keys() & new.records.keys()):
        before, after = old.records[record_id], new.records[record_id]
        if before == after:
            continue
        path = evidence / f"{record_id}.yaml"
        if not path.is_file():
            path = evidence / f"{record_id}.yml"
        name = display(path)
        old_rev, new_rev = _int(before.get("revision")), _int(after.get("revision"))
        if old_rev is not None and new_rev is not None and new_rev <= old_rev:
            line, col = _mark(path, ("revision",))
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    "history-revision",
                    f"record changed since {rev} but its revision is {new_rev} "
                    f"(it was {old_rev}); raise it to {old_rev + 1} with a changelog entry",
                )
            )
        entries: list[Any] = after.get("changelog") or []
        entries = entries if isinstance(entries, list) else []
        recent = [
            e
            for e in entries
            if isinstance(e, dict)
            and (d := _date(e.get("date"))) is not None
            and d >= since_date
            and (old_rev is None or (_int(e.get("revision")) or 0) > old_rev)
        ]
        if not recent:
            line, col = _mark(path, ("changelog",))
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    "history-changelog",
                    f"record changed since {rev} ({since_date}) but no changelog entry "
                    f"of a new revision is dated {since_date} or later",
                )
            )
    changelog = display(new.layout.changelog)
    entry_line = _heading_line(new.changelog, new.version) or _heading_line(new.changelog) or 1
    for record_id in sorted(old.records.keys() - new.records.keys()):
        if new.changelog.count(record_id) <= old.changelog.count(record_id):
            problems.append(
                Problem(
                    changelog,
                    entry_line,
                    1,
                    "history-removed",
                    f"record {record_id!r} was removed since {rev}; name it in "
                    f"CHANGELOG.md (the entry for version {new.version}) and say why",
                )
            )
    problems += _dataset_version(old, new, rev)
    return problems


def _dataset_version(old: RawSet, new: RawSet, rev: str) -> list[Problem]:
    level, reasons = required_level(old, new)
    old_v, new_v = _version(old.version), _version(new.version)
    if old_v is None or new_v is None:
        return []  # a malformed version is the dataset file's own problem (bad-format)
    problems = []
    dataset = display(new.layout.dataset)
    if level is not None:
        rises = {
            "major": new_v[0] > old_v[0],
            "minor": new_v[:2] > old_v[:2],
            "patch": new_v > old_v,
        }[level]
        if not rises:
            line, col = _mark(new.layout.dataset, ("version",))
            problems.append(
                Problem(
                    dataset,
                    line,
                    col,
                    "history-version",
                    f"the record set changed since {rev} ({'; '.join(reasons)}): a {level} "
                    f"change, but the version is {new.version} (it was {old.version}); "
                    f"make it {bump(old_v, level)}",
                )
            )
    if new_v != old_v and _heading_line(new.changelog, new.version) is None:
        problems.append(
            Problem(
                display(new.layout.changelog),
                _heading_line(new.changelog) or 1,
                1,
                "history-dataset-changelog",
                f"CHANGELOG.md has no entry for version {new.version}; add a "
                f"'## {new.version} — DATE' section saying what changed",
            )
        )
    return problems
