"""What changed between two versions of a record set, as a reader of the evidence sees it.

Records are matched by id. For a record present in both versions every field is compared:
named items (diseases, factors, targets, pathways) by name, so that a factor added, a
pathway whose direction turned, or a note rewritten each read as one change; citations
removed and added in the same edit read as replaced; text as reworded; other lists item by
item. Vocabulary terms are matched by name and references by key. The JSON form (`as_dict`)
is a documented contract: keys are added, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from secretome_cli.files.rawset import RawSet

NAMED = ("diseases", "factors", "targets", "pathways")
"""Record fields holding items identified by their `name`."""
TEXT = ("claim", "mechanism")
"""Record fields holding prose: a change is a rewording."""
SKIP = ("id", "changelog")
"""Fields not compared field by field: the id is the key; the changelog is the history (its
new entries are listed with the record)."""

DIFF_KEYS = ("old", "new", "added", "removed", "changed", "vocabulary", "bibliography")
"""The keys of the JSON document of a diff, in order."""
SIDE_KEYS = ("label", "version", "records")
RECORD_KEYS = ("id", "claim")
CHANGED_KEYS = ("id", "old_revision", "new_revision", "changes", "changelog")
CHANGE_KEYS = ("field", "item", "change", "old", "new")
TERM_KEYS = ("vocabulary", "term", "change", "fields")
REFERENCE_KEYS = ("key", "change", "fields")


@dataclass(frozen=True)
class Change:
    """One change of one field of a record: `field` is the record path ('pathways.change'
    for a pathway's direction), `item` the name of the item it concerns, if any; `change` is
    added, removed, changed or replaced."""

    field: str
    item: str | None
    change: str
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "item": self.item,
            "change": self.change,
            "old": self.old,
            "new": self.new,
        }


@dataclass
class ChangedRecord:
    """A record present in both versions whose content differs."""

    id: str
    old_revision: Any
    new_revision: Any
    changes: list[Change]
    changelog: list[dict[str, Any]]
    """The changelog entries the new version adds."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "old_revision": self.old_revision,
            "new_revision": self.new_revision,
            "changes": [c.as_dict() for c in self.changes],
            "changelog": self.changelog,
        }


@dataclass(frozen=True)
class EntryChange:
    """A vocabulary term or bibliography reference added, removed or changed."""

    where: str
    """The vocabulary (diseases, factors, ...), or 'bibliography'."""
    name: str
    change: str
    fields: list[str]


@dataclass
class Side:
    """One of the two versions compared."""

    label: str
    version: str
    records: int


@dataclass
class SetDiff:
    """Everything that differs between two versions of a record set."""

    old: Side
    new: Side
    added: list[tuple[str, str]] = field(default_factory=list)
    """(id, claim) of each record only the new version has."""
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[ChangedRecord] = field(default_factory=list)
    vocabulary: list[EntryChange] = field(default_factory=list)
    bibliography: list[EntryChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the two versions hold the same evidence and the same version."""
        return not (
            self.added
            or self.removed
            or self.changed
            or self.vocabulary
            or self.bibliography
            or self.old.version != self.new.version
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON document (keys: DIFF_KEYS)."""
        return {
            "old": vars(self.old).copy(),
            "new": vars(self.new).copy(),
            "added": [{"id": i, "claim": c} for i, c in self.added],
            "removed": [{"id": i, "claim": c} for i, c in self.removed],
            "changed": [r.as_dict() for r in self.changed],
            "vocabulary": [
                {"vocabulary": e.where, "term": e.name, "change": e.change, "fields": e.fields}
                for e in self.vocabulary
            ],
            "bibliography": [
                {"key": e.name, "change": e.change, "fields": e.fields} for e in self.bibliography
            ],
        }


def compare(old: RawSet, new: RawSet, old_label: str, new_label: str) -> SetDiff:
    """The differences between the `old` and the `new` version of a record set."""
    result = SetDiff(
        Side(old_label, old.version, len(old.records)),
        Side(new_label, new.version, len(new.records)),
    )
    for record_id in sorted(new.records.keys() - old.records.keys()):
        result.added.append((record_id, _text(new.records[record_id].get("claim"))))
    for record_id in sorted(old.records.keys() - new.records.keys()):
        result.removed.append((record_id, _text(old.records[record_id].get("claim"))))
    for record_id in sorted(old.records.keys() & new.records.keys()):
        before, after = old.records[record_id], new.records[record_id]
        if before == after:
            continue
        changes = record_changes(before, after)
        old_log, new_log = _list(before.get("changelog")), _list(after.get("changelog"))
        added_log = [_plain(e) for e in new_log if e not in old_log]
        if changes or added_log:
            result.changed.append(
                ChangedRecord(
                    record_id, before.get("revision"), after.get("revision"), changes, added_log
                )
            )
    for listkey in sorted(old.vocab.keys() | new.vocab.keys()):
        result.vocabulary += [
            EntryChange(listkey, name, change, fields)
            for name, change, fields in _entries(
                old.vocab.get(listkey, {}), new.vocab.get(listkey, {})
            )
        ]
    result.bibliography = [
        EntryChange("bibliography", key, change, fields)
        for key, change, fields in _entries(old.references, new.references)
    ]
    return result


def _entries(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[tuple[str, str, list[str]]]:
    found: list[tuple[str, str, list[str]]] = []
    for name in sorted(old.keys() | new.keys(), key=lambda n: (n.casefold(), n)):
        if name not in old:
            found.append((name, "added", []))
        elif name not in new:
            found.append((name, "removed", []))
        elif old[name] != new[name]:
            keys = list(dict.fromkeys([*old[name], *new[name]]))
            fields = [k for k in keys if old[name].get(k) != new[name].get(k)]
            found.append((name, "changed", fields))
    return found


def record_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """The changes of one record, field by field, in the order of the fields."""
    changes: list[Change] = []
    for key in dict.fromkeys([*before, *after]):
        if key in SKIP:
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in NAMED and _is_named_list(old) and _is_named_list(new):
            changes += _named(key, old or [], new or [])
        elif key == "citations" and _is_list(old) and _is_list(new):
            changes += _citations(old or [], new or [])
        elif isinstance(old, dict) and isinstance(new, dict):
            changes += _nested(key, old, new)
        else:
            changes += _value(key, old, new)
    return changes


def _nested(prefix: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for key in dict.fromkeys([*old, *new]):
        if old.get(key) != new.get(key):
            changes += _value(f"{prefix}.{key}", old.get(key), new.get(key))
    return changes


def _value(path: str, old: Any, new: Any) -> list[Change]:
    """A scalar changed, or the items of a plain list added and removed."""
    if _is_list(old) and _is_list(new) and all(_hashable(x) for x in [*(old or []), *(new or [])]):
        gone = [x for x in old or [] if x not in (new or [])]
        came = [x for x in new or [] if x not in (old or [])]
        out = [Change(path, _label(x), "removed", _plain(x), None) for x in gone]
        out += [Change(path, _label(x), "added", None, _plain(x)) for x in came]
        if not out:  # the same items in another order
            out.append(Change(path, None, "changed", _plain(old), _plain(new)))
        return out
    if old is None or old == []:
        return [Change(path, None, "added", None, _plain(new))]
    if new is None or new == []:
        return [Change(path, None, "removed", _plain(old), None)]
    return [Change(path, None, "changed", _plain(old), _plain(new))]


def _named(key: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    before = {str(x["name"]): x for x in old}
    after = {str(x["name"]): x for x in new}
    changes: list[Change] = []
    for name in before.keys() - after.keys():
        changes.append(Change(key, name, "removed", _plain(before[name]), None))
    for name in dict.fromkeys([*before, *after]):
        if name not in before:
            changes.append(Change(key, name, "added", None, _plain(after[name])))
        elif name in after and before[name] != after[name]:
            for sub in dict.fromkeys([*before[name], *after[name]]):
                if sub != "name" and before[name].get(sub) != after[name].get(sub):
                    changes.append(
                        Change(
                            f"{key}.{sub}",
                            name,
                            "changed",
                            _plain(before[name].get(sub)),
                            _plain(after[name].get(sub)),
                        )
                    )
    order = {n: i for i, n in enumerate(dict.fromkeys([*before, *after]))}
    return sorted(changes, key=lambda c: order.get(c.item or "", 0))


def _citations(old: list[Any], new: list[Any]) -> list[Change]:
    gone = [str(x) for x in old if x not in new]
    came = [str(x) for x in new if x not in old]
    changes = [Change("citations", b, "replaced", a, b) for a, b in zip(gone, came, strict=False)]
    paired = min(len(gone), len(came))
    changes += [Change("citations", a, "removed", a, None) for a in gone[paired:]]
    changes += [Change("citations", b, "added", None, b) for b in came[paired:]]
    if not changes:
        changes.append(Change("citations", None, "changed", list(old), list(new)))
    return changes


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_list(value: Any) -> bool:
    return value is None or isinstance(value, list)


def _is_named_list(value: Any) -> bool:
    return _is_list(value) and all(isinstance(x, dict) and "name" in x for x in value or [])


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _label(value: Any) -> str | None:
    return None if value is None else str(value)


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def _plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
