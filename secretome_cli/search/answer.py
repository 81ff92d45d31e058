"""The default answer: of the ranked records, those that answer the question.

A ranked list holds every record that matches the question's focus well enough to score; many
of them match only its broad parts (the tissue, the fraction, a generic word) or name the
subject in passing (the root of a disease's tree, a word in the curators' notes). The answer
keeps the records that match a subject part of the focus well (`DIRECT`, or as well as any
record does); the others are related records, shown by `--broad`. A question with no subject
part ('donor heterogeneity') is answered by the ranked list as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from secretome_cli.search.tuning import DIRECT, FOCUS_SHARE

if TYPE_CHECKING:
    from secretome_cli.search.rank import Part

Ranked = list[tuple[float, int]]


def split(ranked: Ranked, matched: Sequence[Part]) -> tuple[Ranked, Ranked]:
    """(answer, related) of `ranked` (score, rid) pairs, given the parts some record matched."""
    if not ranked:
        return [], []
    subjects = [p for p in matched if p.subject and not p.weak]
    if subjects:
        heaviest = max(p.weight for p in subjects)
        focus = [p for p in subjects if p.weight >= FOCUS_SHARE * heaviest]
        needed = [(p, min(DIRECT, max(p.best.values()))) for p in focus]
        direct = [r for r in ranked if any(p.best.get(r[1], 0.0) >= q for p, q in needed)]
    else:
        direct = ranked
    kept = {rid for _, rid in direct}
    return direct, [r for r in ranked if r[1] not in kept]
