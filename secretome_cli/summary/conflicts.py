"""Where the records disagree: the same factor, target or pathway going one way in some
records and the other way in others, and the findings the records themselves mark as
contradictory or pro-tumour.

A direction is up (`up`, `activated`) or down (`down`, `inhibited`); the other changes
(delivered, enriched, present, ...) state no direction and take no side. Each side lists its
records with their diseases and citations, and the diseases both sides share, so that a
reader sees whether the difference follows the disease context (no shared disease) or is a
contradiction within one disease. The JSON form (`as_dict`) is a documented contract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DIRECTIONS = {"up": "up", "activated": "up", "down": "down", "inhibited": "down"}
"""Change → the direction it states."""
KINDS = (("factors", "factor"), ("targets", "target"), ("pathways", "pathway"))

CONFLICTS_KEYS = ("records", "conflicts", "flagged")
"""Keys of the JSON document of `conflicts`, in order."""
CONFLICT_KEYS = ("entity", "kind", "shared_diseases", "sides")
SIDE_KEYS = ("direction", "changes", "diseases", "citations", "records")
SIDE_RECORD_KEYS = ("id", "change", "diseases", "citations")
FLAGGED_KEYS = ("id", "claim", "reasons", "diseases", "citations")

CONTRADICTION_FLAGS = ("internal-contradiction",)
"""Record flags that mark a finding the source contradicts."""
_PRO_TUMOUR = re.compile(r"pro-?tumou?r|tumou?r[- ]promot|promot\w* (?:the )?tumou?r", re.I)
_NEGATED = re.compile(r"\b(?:lacks?|lacking|no|not|without|free of)\b[^.;]{0,20}$", re.I)
"""'lacks tumour-promoting miRNAs' says the opposite."""
_ABSENT = re.compile(
    r"^[^.;]{0,80}?\b(?:(?:are|is) (?:absent|lacking|missing)|(?:barely|not) (?:expressed|"
    r"detected|found)|undetectable)\b",
    re.I,
)
"""'the tumour-promoting miRNAs … are absent or barely expressed' says the opposite too."""


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
class Flagged:
    """A record marked as contradictory or as a pro-tumour finding."""

    id: str
    claim: str
    reasons: list[str]
    diseases: list[str]
    citations: list[str]


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
            "flagged": [vars(f).copy() for f in self.flagged],
        }


def _citations(doc: Mapping[str, Any]) -> list[str]:
    return [str(c["key"]) for c in doc.get("citations", [])] or [
        str(doc["provenance"]["source"]["key"])
    ]


def _diseases(doc: Mapping[str, Any]) -> list[str]:
    return [str(d["name"]) for d in doc.get("diseases", [])]


def find(docs: Iterable[Mapping[str, Any]]) -> Conflicts:
    """The conflicts among the record documents `docs`, and their flagged records."""
    sides: dict[tuple[str, str], dict[str, ConflictSide]] = {}
    flagged: list[Flagged] = []
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
        reasons = [f"flag {f}" for f in doc.get("flags", []) if f in CONTRADICTION_FLAGS]
        texts = [("claim", doc.get("claim") or ""), *(("notes", n) for n in doc.get("notes", []))]
        texts += [("outcomes", o) for o in doc.get("outcomes", [])]
        for where, text in texts:
            found = _PRO_TUMOUR.search(text)
            if found and not (
                _NEGATED.search(text[: found.start()]) or _ABSENT.search(text[found.end() :])
            ):
                reasons.append(f"pro-tumour ({where}: '{found.group()}')")
                break
        if reasons:
            flagged.append(Flagged(doc["id"], doc["claim"], reasons, diseases, citations))
    conflicts = [
        Conflict(name, kind, [by[d] for d in ("up", "down")])
        for (kind, name), by in sides.items()
        if len(by) == 2
    ]
    kind_order = {kind: i for i, (_, kind) in enumerate(KINDS)}
    conflicts.sort(key=lambda c: (kind_order[c.kind], c.entity.casefold(), c.entity))
    flagged.sort(key=lambda f: f.id)
    return Conflicts(count, conflicts, flagged)
