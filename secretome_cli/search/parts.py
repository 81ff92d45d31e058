"""The parts of a question as evidence: the records each part (or filter) matched, in which
way (`Group`) and how well (`Part`), how rare a match is, and the scores of records."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from secretome_cli.index.store import Index
from secretome_cli.search.concepts import FreeWord
from secretome_cli.search.outcome import (
    Match,
    Reading,
    _matches_json,
)
from secretome_cli.search.subject import english
from secretome_cli.search.tuning import (
    COVERAGE_ZIPF,
    RARITY_FLOOR,
)


@dataclass
class Group:
    """The records one part of the question (or one filter) matched in one way: each record
    with the value it holds, and how well it matches (one weight for all, or `weights`, one
    per record, for text ranked by BM25). A record's `Match` is made only when the record is
    shown: a question can match most of a large record set."""

    query: str
    field: str
    how: str
    weight: float
    values: dict[int, str]
    """rid → the value found."""
    weights: dict[int, float] | None = None


Groups = list[Group]
"""How one part (or filter) matched, in the order its matches were found."""


@dataclass
class Part:
    """One part of a question as evidence: the records it matches and how well."""

    text: str
    base: float
    """The weight of its kind (a disease weighs more than a tissue)."""
    groups: Groups
    weak: bool = False
    weight: float = 0.0
    """`base` times its rarity among the records, set once its matches are known."""
    best: dict[int, float] = field(default_factory=dict)
    """How well the part matches each record it matches (its best match), set by `settle`."""
    subject: bool = False
    """Whether it names the question's subject (see `subject.py`)."""
    why: str = ""
    """Why it is or is not the subject, for --explain."""
    free: FreeWord | None = None
    """The free word it was read from, if any."""
    scale: float = 1.0
    """For a word read two ways ('UC'), how much the lighter reading's matches are scaled
    down: a match of it answers as well as the same match of the heavier one."""
    kinds: frozenset[str] = frozenset()
    """The kinds of term it names ('disease', 'factor' …; 'condition' for a condition's name
    that is no term; none for another word)."""
    readings: list[Reading] = field(default_factory=list)
    """How it was read (one reading per piece merged into it)."""
    category: bool = False
    """It names a class of diseases ('cancer', 'neurological disorder'), not one disease."""
    drug: bool = False
    """It names a drug only ('taxanes', 'methotrexate'), no secreted factor."""
    span: tuple[int, int] | None = None
    """The tokens of the question it was read from (a vocabulary term's), when known."""

    def settle(self, universe: set[int] | None) -> None:
        """Compute `best`, over the records of `universe` (all when None)."""
        best: dict[int, float] = {}
        for group in sorted((g for g in self.groups if g.weights is None), key=_by_weight):
            best.update(dict.fromkeys(group.values, group.weight))
        for group in self.groups:
            for rid, weight in (group.weights or {}).items():
                if weight > best.get(rid, -1.0):
                    best[rid] = weight
        if universe is not None:
            best = {rid: q for rid, q in best.items() if rid in universe}
        self.best = best


def _by_weight(group: Group) -> float:
    return group.weight


def rarity(matched: int, total: int) -> float:
    """From 1 (one record matches) down to 0.35 (every record does): how much matching a
    part says about a record, after inverse document frequency."""
    if total <= 1 or matched <= 0:
        return 1.0
    share = math.log(total / min(matched, total)) / math.log(total)
    return RARITY_FLOOR + (1 - RARITY_FLOOR) * share


def everyday(part: Part) -> bool:
    """An ordinary word of the question that matches nothing and is among the commonest of
    English ('my', 'someone', 'keep'): it does not count against the rest (`COVERAGE_ZIPF`)."""
    return not part.subject and part.free is not None and english(part.free.word) >= COVERAGE_ZIPF


def _scores(candidates: Iterable[int], matched: list[Part]) -> list[tuple[float, int]]:
    """(score, rid) of each candidate: the weighted share of the parts it matches, each by how
    well."""
    found = sum(p.weight for p in matched) or 1.0
    weighed = [(p.weight, p.best.get) for p in matched]
    ranked = []
    for rid in candidates:
        raw = 0.0
        for weight, quality in weighed:
            raw += weight * quality(rid, 0.0)
        ranked.append((round(min(1.0, raw / found), 3), rid))
    return ranked


def _every_part(
    parts: list[Part], matched: list[Part], universe: set[int] | None, index: Index
) -> list[tuple[float, int]]:
    """--all: the records matching every part of the question (every record, for a search by
    filters alone)."""
    if not parts:
        pool = universe if universe is not None else set(index.all_rids())
        return [(1.0, rid) for rid in pool]
    if len(matched) < len(parts):
        return []
    common = set.intersection(*(set(p.best) for p in matched))
    return _scores(common, matched)


def _merge_same_text(parts: list[Part]) -> list[Part]:
    """One part per piece of the question: a token split into several words ('TGF-beta1')
    is read as several parts with the same text, which count as one (each record by its best
    match)."""
    merged: dict[str, Part] = {}
    for part in parts:
        kept = merged.get(part.text)
        if kept is None:
            merged[part.text] = part
            continue
        kept.base = max(kept.base, part.base)
        kept.weak = kept.weak and part.weak
        kept.groups.extend(part.groups)
        kept.readings.extend(part.readings)
        kept.kinds |= part.kinds
        if part.subject and not kept.subject:
            kept.subject, kept.why = True, part.why
    return list(merged.values())


def _add(out: Groups, group: Group) -> None:
    """Keep `group` when it matched some record."""
    if group.values:
        out.append(group)


def _why(rids: list[int], groups: Groups) -> dict[int, tuple[list[Match], str]]:
    """Why each of `rids` matched: its matches of `groups`, best first and each once. Found
    group by group (a set intersection each), and made once for records that match alike
    (thousands of results of a large record set share a few ways of matching)."""
    shown = set(rids)
    found: dict[int, list[tuple[int, str, float]]] = {rid: [] for rid in rids}
    for i, group in enumerate(groups):
        values, weights = group.values, group.weights
        for rid in shown.intersection(values):
            weight = group.weight if weights is None else weights[rid]
            found[rid].append((i, values[rid], weight))
    made: dict[tuple[tuple[int, str, float], ...], tuple[list[Match], str]] = {}
    out: dict[int, tuple[list[Match], str]] = {}
    for rid in rids:
        key = tuple(found[rid])  # in the order of the groups
        why = made.get(key)
        if why is None:
            matches = _dedupe(
                [Match(groups[i].query, groups[i].field, v, groups[i].how, w) for i, v, w in key]
            )
            why = made[key] = (matches, _matches_json(matches))
        out[rid] = why
    return out


def _dedupe(matches: list[Match]) -> list[Match]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for m in sorted(matches, key=lambda m: -m.weight):
        k = (m.query, m.field, m.value)
        if k not in seen:
            seen.add(k)
            out.append(m)
    return out
