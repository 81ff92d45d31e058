"""Which parts of a question name its subject, and why.

A question's subject is what it is about: a disease, condition, organ, factor, target, drug,
pathway, process, author, or another named thing, in the vocabulary or not. The rest is broad:
the tissue and fraction every record shares (umbilical cord, exosomes), a class of factors
asked for (miRNAs), a topic, an ordinary word ('restore', 'lining'). When a subject part
matches no record, the records hold nothing on the question and the answer is empty; when an
ordinary word matches nothing, the rest answers.

A word no record holds is told a named thing from an ordinary word by evidence, never by a
list of names: the shape of a medical word ('-itis', '-oma', a head such as 'disease'), the
shape of an abbreviation ('ALS', 'GVHD'), and rarity in general English (`wordfreq`, imported
only when a question holds such a word).
"""

from __future__ import annotations

import re
from functools import lru_cache

from secretome_cli.search.tuning import (
    NAMED_HEADS,
    NAMED_SUFFIXES,
    ORDINARY_SUFFIXES,
    RARE_ZIPF,
)
from secretome_cli.words.normalize import words

BROAD_KINDS = frozenset({"tissue", "fraction", "factor_class", "topic", "system"})
"""Kinds of term that narrow the records without naming what a question is about: nearly
every record shares a tissue and a fraction, and a class of factors is what 'which miRNAs'
asks for, not its subject."""

KIND_REASON = {
    "tissue": "a tissue of origin, shared by most records",
    "fraction": "a secretome fraction, shared by most records",
    "factor_class": "a class of factors (what the question asks for, not its subject)",
    "topic": "a topic",
    "system": "an experimental system",
}

_ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9-]*[A-Z0-9]$")


def concept_subject(kinds: set[str]) -> tuple[bool, str]:
    """Whether a vocabulary concept of `kinds` names the subject, and why."""
    broad = kinds & BROAD_KINDS
    if broad:
        kind = sorted(broad)[0]
        return False, KIND_REASON[kind]
    named = ", ".join(sorted(k.replace("_", " ") for k in kinds))
    return True, f"names a {named}"


def word_subject(
    text: str, condition: bool, weak: bool, rarity: str | None = None
) -> tuple[bool, str]:
    """Whether a free word (or phrase) of the question names a thing, and why (the evidence
    for a named thing, or what makes it an ordinary word). `rarity` adds the evidence of
    rarity in general English, with what else supports it: asked only for a word no record
    holds, so that a question whose words all match never loads the frequency list. Rarity
    alone is weak evidence ('outperform' is as rare as 'sepsis'): it counts when a word
    around it says it names a disease ('in lupus'), or when no other part of the question
    names a subject ('sepsis exosomes')."""
    if condition:
        return True, "names a condition (ends in a condition's head word)"
    if weak:
        return False, "a content-light word"
    reason = named_thing(text, frequency=False)
    if reason is None and rarity is not None:
        reason = named_thing(text, frequency=True)
        if reason is not None:
            reason += f"; {rarity}"
    if reason is not None:
        return True, reason
    return False, "an ordinary English word"


def named_thing(text: str, frequency: bool = True) -> str | None:
    """The evidence that `text` (as typed) names a thing, or None for an ordinary word."""
    stripped = text.strip('"')
    if _ABBREVIATION.match(stripped) and len(stripped) >= 2:
        return "written as an abbreviation"
    found = words(stripped)
    if not found:
        return None
    for word in found:
        if word.endswith(NAMED_SUFFIXES) and len(word) > 5:
            return f"'{word}' has the form of a disease's name"
        if word in NAMED_HEADS and len(found) > 1:
            return f"ends in '{word}', the head of a disease's name"
    if not frequency:
        return None
    rare = [w for w in found if not w.isdigit() and zipf(w) < RARE_ZIPF]
    if rare and not all(w.endswith(ORDINARY_SUFFIXES) for w in rare):
        shown = rare[0]
        return f"'{shown}' is rare in general English (Zipf {zipf(shown):.1f} < {RARE_ZIPF})"
    return None


@lru_cache(maxsize=256)
def zipf(word: str) -> float:
    """How common `word` is in general English, on the Zipf scale (0: unknown, 7: 'the')."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))
