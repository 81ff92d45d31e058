"""The default answer: of the ranked records, those that answer the question.

A ranked list holds every record that matches the question's focus well enough to score; many
of them match only its broad parts (the tissue, the fraction, a generic word) or name the
subject in passing (the root of a disease's tree, a word in the curators' notes). The answer
keeps the records that match each subject part of the focus well (`DIRECT`, or as well as any
record does); the others are related records, shown by `--broad`. A question with no subject
part ('Wharton's jelly conditioned medium growth factors') is answered by the records matching
all its parts well, or by the ranked list as it is when none does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from secretome_cli.search.tuning import DIRECT, DIRECT_WORD, FOCUS_SHARE
from secretome_cli.words.lexicon import ALTERNATIVE_WORDS
from secretome_cli.words.normalize import words


class Part(Protocol):
    """What the answer asks of a part of the question (`parts.Part`)."""

    text: str
    subject: bool
    weak: bool
    weight: float
    best: dict[int, float]
    kinds: frozenset[str]
    scale: float
    category: bool
    drug: bool
    span: tuple[int, int] | None

    @property
    def free(self) -> object | None: ...


Ranked = list[tuple[float, int]]

WHERE_KINDS = frozenset({"disease", "organ", "condition"})
"""Kinds of subject that say where the question is: each must be matched."""

ENTITY_KINDS = frozenset({"factor", "target"})
"""Kinds of subject that name one molecule of the secretome or one target: asked with a
disease or organ ('let-7 in the gut and in tumours'), the records naming it too are the
answer. Not a drug ('ovary tumours that resist taxanes'): a record on chemoresistance in
ovarian cancer answers though it names no drug."""


def split(
    ranked: Ranked, matched: Sequence[Part], alternatives: bool = False
) -> tuple[Ranked, Ranked]:
    """(answer, related) of `ranked` (score, rid) pairs, given the parts some record matched.
    The answer matches well every disease or organ the question names (any one of them, when
    it joins them as `alternatives`, or when no record matches them all), and a factor or
    target it names with them (`covering`); without one, any of its heaviest subject parts
    (a factor, pathway, process, specific word)."""
    if not ranked:
        return [], []
    subjects = [p for p in matched if p.subject and not p.weak]
    where = [p for p in subjects if p.kinds & WHERE_KINDS]
    if where and not alternatives:
        direct = covering(ranked, where, subjects)
        if direct:
            kept = {rid for _, rid in direct}
            return direct, [r for r in ranked if r[1] not in kept]
    if where:  # the diseases and organs asked about: each of them ('liver tumours')
        focus, every = where, not alternatives
    elif subjects:  # a factor, pathway, process or specific word: any of the heaviest
        heaviest = max(p.weight for p in subjects)
        focus, every = [p for p in subjects if p.weight >= FOCUS_SHARE * heaviest], False
    else:  # all broad ('Wharton's jelly conditioned medium growth factors'): every term
        # but the tissues (alternatives: 'cord or post-partum'); only words: as ranked
        focus = [p for p in matched if not p.weak and p.free is None and "tissue" not in p.kinds]
        if not focus:
            return ranked, []
        every = not alternatives
    needed = [(p, min(least(p), max(p.best.values()))) for p in focus]
    direct = []
    if every:
        direct = [r for r in ranked if all(p.best.get(r[1], 0.0) >= q for p, q in needed)]
    if not direct and subjects:
        direct = [r for r in ranked if any(p.best.get(r[1], 0.0) >= q for p, q in needed)]
    if not direct:
        return ranked, []
    kept = {rid for _, rid in direct}
    return direct, [r for r in ranked if r[1] not in kept]


def covering(ranked: Ranked, where: Sequence[Part], subjects: Sequence[Part]) -> Ranked:
    """With a factor or target among the subjects (the heaviest ones) beside the diseases and
    organs: the records matching well the most of all these parts, when that is at least
    two ('let-7 … in the gut and in tumours': the let-7 records of the gut and of tumours, not
    the gut tumours without let-7). Else [] (the diseases and organs decide)."""
    entities = [p for p in subjects if p.kinds & ENTITY_KINDS and not p.kinds & WHERE_KINDS]
    entities = [p for p in entities if p.free is None and not p.drug]
    if not entities:
        return []
    heaviest = max(p.weight for p in entities)
    parts = [*where, *(p for p in entities if p.weight >= FOCUS_SHARE * heaviest)]
    needed = [(p, min(least(p), max(p.best.values()))) for p in parts]
    count = {rid: sum(p.best.get(rid, 0.0) >= q for p, q in needed) for _, rid in ranked}
    most = max(count.values())
    return [r for r in ranked if count[r[1]] == most] if most >= 2 else []


def apart(ranked: Ranked, matched: Sequence[Part], alternatives: bool = False) -> list[Part]:
    """The organ and the class of diseases a question names together ('renal cell carcinoma',
    'brain tumours': that class of disease in that organ) when each matches records but no
    record matches both well: the records hold nothing on the question. Else []."""
    if alternatives:
        return []
    where = [p for p in matched if p.subject and not p.weak and p.kinds & WHERE_KINDS]
    organs = [p for p in where if "organ" in p.kinds]
    classes = [p for p in where if p.category and "organ" not in p.kinds]
    pair = next(([o, c] for o in organs for c in classes if _names_one(o, c)), None)
    if pair is None:
        return []
    needed = [(p, min(least(p), max(p.best.values()))) for p in pair]
    if any(all(p.best.get(rid, 0.0) >= q for p, q in needed) for _, rid in ranked):
        return []
    return pair


def _names_one(organ: Part, disease: Part) -> bool:
    """True when the organ stands just before the disease in the question, at most one word
    between ('brain tumours', 'renal cell carcinoma'), so that together they name one
    disease; not 'the heart … cancer drugs'."""
    if organ.span is None or disease.span is None:
        return False
    return 0 <= disease.span[0] - organ.span[1] <= 1


def least(part: Part) -> float:
    """The least match of `part` that answers (`DIRECT`, `DIRECT_WORD` for a word)."""
    return DIRECT_WORD if part.free else DIRECT * part.scale


def alternatives(query: str | None) -> bool:
    """True when the question joins its parts as alternatives: 'ovarian or liver cancer',
    'UC-MSC vs AD-MSC'."""
    return bool(query) and bool(ALTERNATIVE_WORDS & set(words(query or "")))
