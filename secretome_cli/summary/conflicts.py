"""Where the records disagree: the same factor, target or pathway going one way in some
records and the other way in others, and the findings the records themselves mark as
contradictory or pro-tumour.

A direction is up (`up`, `activated`) or down (`down`, `inhibited`); the other changes
(delivered, enriched, present, ...) state no direction and take no side. Each side lists its
records with their diseases and citations, and the diseases both sides share, so that a
reader sees whether the difference follows the disease context (no shared disease) or is a
contradiction within one disease. A record flagged `pro-tumour` is listed against the
anti-tumour records that name the same factor, target or pathway (or one under it or over it
in the vocabulary). The JSON form (`as_dict`) is a documented contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from secretome_cli.model.controlled import FACTOR_CLASS_ALIASES, PRO_TUMOUR

DIRECTIONS = {"up": "up", "activated": "up", "down": "down", "inhibited": "down"}
"""Change → the direction it states."""
KINDS = (("factors", "factor"), ("targets", "target"), ("pathways", "pathway"))

CONFLICTS_KEYS = ("records", "conflicts", "flagged")
"""Keys of the JSON document of `conflicts`, in order."""
CONFLICT_KEYS = ("entity", "kind", "shared_diseases", "sides")
SIDE_KEYS = ("direction", "changes", "diseases", "citations", "records")
SIDE_RECORD_KEYS = ("id", "change", "diseases", "citations")
FLAGGED_KEYS = ("id", "claim", "reasons", "diseases", "citations", "against")
AGAINST_KEYS = ("id", "shared", "diseases", "citations")

CONTRADICTION_FLAGS = ("internal-contradiction",)
"""Record flags that mark a finding the source contradicts."""
PRO_TUMOUR_REASON = f"flag {PRO_TUMOUR}"
"""The reason a record flagged pro-tumour is listed."""
ANTI_TUMOUR_CATEGORY = "cancer"
"""A record on a disease of this category that is not flagged pro-tumour, and not a
limitation, is an anti-tumour record."""
_VOCABULARY_KIND = {"factors": "factor", "targets": "factor", "pathways": "pathway"}
"""The vocabulary that names the entities of each list (targets are molecules too)."""

Broader = Callable[[str, str], Sequence[str]]
"""(vocabulary kind, name) → the broader terms of the vocabulary, e.g. a `Vocabulary`'s
`ancestors`."""


@dataclass
class SideRecord:
    """One record on one side of a conflict."""

    id: str
    change: str
    diseases: list[str]
    citations: list[str]


@dataclass
class ConflictSide:
    """The records that agree on one direction of an entity."""

    direction: str
    records: list[SideRecord] = field(default_factory=list)

    @property
    def changes(self) -> list[str]:
        return sorted({r.change for r in self.records})

    @property
    def diseases(self) -> list[str]:
        return sorted({d for r in self.records for d in r.diseases}, key=str.casefold)

    @property
    def citations(self) -> list[str]:
        return list(dict.fromkeys(c for r in self.records for c in r.citations))


@dataclass
class Conflict:
    """An entity whose direction differs between records."""

    entity: str
    kind: str
    sides: list[ConflictSide]

    @property
    def shared_diseases(self) -> list[str]:
        """Diseases records on both sides are about: where the difference is not explained
        by the disease context."""
        sets = [set(s.diseases) for s in self.sides]
        return sorted(set.intersection(*sets), key=str.casefold) if sets else []


@dataclass
class Against:
    """An anti-tumour record that names a factor, target or pathway of a pro-tumour record."""

    id: str
    shared: list[str]
    """Its factors, targets and pathways that are (or are under or over) one of the pro-tumour
    record's."""
    diseases: list[str]
    citations: list[str]


@dataclass
class Flagged:
    """A record marked as contradictory or as a pro-tumour finding."""

    id: str
    claim: str
    reasons: list[str]
    diseases: list[str]
    citations: list[str]
    against: list[Against] = field(default_factory=list)
    """For a pro-tumour record: the anti-tumour records of the same factor or pathway."""

    @property
    def pro_tumour(self) -> bool:
        """Flagged as a pro-tumour finding."""
        return PRO_TUMOUR_REASON in self.reasons


@dataclass
class Conflicts:
    """Everything `secretome conflicts` reports."""

    records: int
    conflicts: list[Conflict]
    flagged: list[Flagged]

    def as_dict(self) -> dict[str, Any]:
        """The JSON document (keys: CONFLICTS_KEYS)."""
        return {
            "records": self.records,
            "conflicts": [
                {
                    "entity": c.entity,
                    "kind": c.kind,
                    "shared_diseases": c.shared_diseases,
                    "sides": [
                        {
                            "direction": s.direction,
                            "changes": s.changes,
                            "diseases": s.diseases,
                            "citations": s.citations,
                            "records": [vars(r).copy() for r in s.records],
                        }
                        for s in c.sides
                    ],
                }
                for c in self.conflicts
            ],
            "flagged": [
                {**vars(f), "against": [vars(a).copy() for a in f.against]} for f in self.flagged
            ],
        }


def _citations(doc: Mapping[str, Any]) -> list[str]:
    return [str(c["key"]) for c in doc.get("citations", [])] or [
        str(doc["provenance"]["source"]["key"])
    ]


def _diseases(doc: Mapping[str, Any]) -> list[str]:
    return [str(d["name"]) for d in doc.get("diseases", [])]


def find(docs: Iterable[Mapping[str, Any]], broader: Broader | None = None) -> Conflicts:
    """The conflicts among the record documents `docs`, and their flagged records; `broader`
    relates a pro-tumour record's factors and pathways to narrower or broader ones of the
    anti-tumour records (without it, only the same names relate)."""
    sides: dict[tuple[str, str], dict[str, ConflictSide]] = {}
    flagged: list[Flagged] = []
    pro_tumour: list[tuple[Flagged, Mapping[str, Any]]] = []
    anti_tumour: list[Mapping[str, Any]] = []
    count = 0
    for doc in docs:
        count += 1
        diseases, citations = _diseases(doc), _citations(doc)
        for listkey, kind in KINDS:
            seen: set[str] = set()
            for item in doc.get(listkey, []):
                direction = DIRECTIONS.get(item["change"])
                if direction is None or item["name"] in seen:
                    continue
                seen.add(item["name"])
                by_direction = sides.setdefault((kind, item["name"]), {})
                side = by_direction.setdefault(direction, ConflictSide(direction))
                side.records.append(SideRecord(doc["id"], item["change"], diseases, citations))
        flags = doc.get("flags", [])
        reasons = [f"flag {f}" for f in flags if f in (*CONTRADICTION_FLAGS, PRO_TUMOUR)]
        if reasons:
            flagged.append(Flagged(doc["id"], doc["claim"], reasons, diseases, citations))
        if PRO_TUMOUR in flags:
            pro_tumour.append((flagged[-1], doc))
        elif _anti_tumour(doc):
            anti_tumour.append(doc)
    for record, doc in pro_tumour:
        record.against = _against(doc, anti_tumour, broader)
    conflicts = [
        Conflict(name, kind, [by[d] for d in ("up", "down")])
        for (kind, name), by in sides.items()
        if len(by) == 2
    ]
    kind_order = {kind: i for i, (_, kind) in enumerate(KINDS)}
    conflicts.sort(key=lambda c: (kind_order[c.kind], c.entity.casefold(), c.entity))
    flagged.sort(key=lambda f: f.id)
    return Conflicts(count, conflicts, flagged)


def _anti_tumour(doc: Mapping[str, Any]) -> bool:
    """A finding on a cancer that is neither flagged pro-tumour nor a limitation."""
    return doc.get("topic") != "limitation" and any(
        d.get("category") == ANTI_TUMOUR_CATEGORY for d in doc.get("diseases", [])
    )


def _against(
    doc: Mapping[str, Any], others: Sequence[Mapping[str, Any]], broader: Broader | None
) -> list[Against]:
    """The anti-tumour records `others` that name a factor, target or pathway of `doc`, or one
    under or over it; a factor named as its whole class ('microRNAs') stands for every factor
    of the class."""
    mine = _entities(doc, broader)
    out: list[Against] = []
    for other in others:
        shared = [e.name for e in _entities(other, broader) if any(e.relates(m) for m in mine)]
        if shared:
            names = list(dict.fromkeys(shared))
            out.append(Against(other["id"], names, _diseases(other), _citations(other)))
    return sorted(out, key=lambda a: a.id)


@dataclass(frozen=True)
class _Entity:
    """A factor, target or pathway of a record, as `_against` relates it."""

    name: str
    lineage: frozenset[str]
    """The name and its broader terms."""
    cls: str | None
    """The factor class, if any."""
    whole_class: bool
    """Named as its whole class ('microRNAs')."""

    def relates(self, other: _Entity) -> bool:
        """The same term, one under the other, or a whole class and a member of it."""
        if self.name in other.lineage or other.name in self.lineage:
            return True
        if self.cls is None or self.cls != other.cls:
            return False
        return self.whole_class or other.whole_class


def _entities(doc: Mapping[str, Any], broader: Broader | None) -> list[_Entity]:
    """Each factor, target and pathway of a document."""
    out = []
    for listkey, kind in _VOCABULARY_KIND.items():
        for item in doc.get(listkey, []):
            name = str(item["name"])
            lineage = frozenset({name, *(broader(kind, name) if broader else ())})
            cls = item.get("class")
            whole = bool(cls) and name.casefold() in {
                str(cls).casefold(),
                *(a.casefold() for a in FACTOR_CLASS_ALIASES.get(str(cls), ())),
            }
            out.append(_Entity(name, lineage, str(cls) if cls else None, whole))
    return out
