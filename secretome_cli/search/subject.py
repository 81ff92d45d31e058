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
from dataclasses import dataclass
from functools import lru_cache

from secretome_cli.search.tuning import (
    MEDICAL_ZIPF,
    MIN_NAMED_LENGTH,
    MIN_PARTIAL_WORD,
    MODIFIER_ZIPF,
    RARE_ZIPF,
    VERY_RARE_ZIPF,
)
from secretome_cli.words.lexicon import (
    INFLECTIONS,
    NAMED_HEADS,
    NAMED_SUFFIXES,
    ORDINARY_PREFIXES,
    ORDINARY_SUFFIXES,
    RARE_NAMED_SUFFIXES,
    entry,
)
from secretome_cli.words.normalize import mirna, words

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
    """Whether a vocabulary concept of `kinds` names the subject, and why. A word read two
    ways ('UC': ulcerative colitis or umbilical cord) names the subject when one reading does;
    'exosomes' (a factor and a fraction) and 'miRNAs' (factors and their class) are broad."""
    named = kinds - BROAD_KINDS
    if named and not (named <= {"factor"} and kinds & {"fraction", "factor_class"}):
        shown = ", ".join(sorted(k.replace("_", " ") for k in named))
        return True, f"names a {shown}"
    kind = sorted(kinds & BROAD_KINDS)[0]
    return False, KIND_REASON[kind]


def word_subject(
    text: str, condition: bool, weak: bool, absent: Absence | None = None
) -> tuple[bool, str]:
    """Whether a free word (or phrase) of the question names a thing, and why (the evidence
    for a named thing, or what makes it an ordinary word). `absent` (for a word no record
    holds) adds the evidence of rarity in general English and of the words around it: asked
    only then, so that a question whose words all match never loads the frequency list."""
    if condition:
        return True, "names a condition (ends in a condition's head word)"
    if weak:
        return False, "a content-light word"
    reason = named_by_form(text)
    if reason is None and absent is not None:
        reason = named_when_absent(text, absent)
    if reason is not None:
        return True, reason
    return False, "an ordinary English word"


@dataclass(frozen=True)
class Absence:
    """What else is known of a word no record holds."""

    cue: bool
    """A word before or after it says it names a disease ('in lupus', 'gout patients')."""
    before_head: bool
    """A condition's head word follows it ('alcohol use disorder', 'traumatic brain injury')."""
    other_subject: bool
    """Another part of the question names a subject that some record matches."""
    modifies: bool = False
    """It stands just before a disease's head word ('oesophageal cancer') or names its cause
    ('cisplatin-induced')."""
    near_term: bool = False
    """It is spelt close to a vocabulary term ('prostrate' for prostate): more likely a typo
    than the name of a disease no record holds."""


def is_abbreviation(text: str) -> bool:
    """True when `text` is written as an abbreviation ('ALS', 'GVHD', 'PD-L1')."""
    return len(text) >= 2 and _ABBREVIATION.match(text) is not None


def named_by_form(text: str) -> str | None:
    """The evidence, from its shape alone, that `text` (as typed) names a thing."""
    stripped = text.strip('"')
    if is_abbreviation(stripped):
        return "written as an abbreviation"
    if mirna(stripped) is not None:
        return "written as a miRNA's name"
    found = words(stripped)
    for word in found:
        if word.endswith(NAMED_SUFFIXES) and len(word) > MIN_NAMED_LENGTH:
            return f"'{word}' has the form of a disease's name"
        if entry(word) in NAMED_HEADS and len(found) > 1:
            return f"ends in '{word}', the head of a disease's name"
    return None


def named_when_absent(text: str, absent: Absence) -> str | None:
    """The evidence that a word no record holds names a thing: a condition's head after it,
    a word that is hardly English, or one that is rare and has a disease's shape; rarity
    alone is weak ('outperform' is as rare as 'sepsis') and counts when a word around it
    says it names a disease, or when no other part of the question names a subject, as a
    word of ICD-10-CM's names of diseases does when it is not common English ('acne')."""
    found = [w for w in words(text.strip('"')) if not w.isdigit()]
    if not found:
        return None
    if absent.before_head:
        return "a word of a condition's name (a condition's head word follows)"
    word = min(found, key=english)
    frequency = english(word)
    measured = f"'{word}' has Zipf frequency {frequency:.1f} in general English"
    if frequency < VERY_RARE_ZIPF and not word.endswith(INFLECTIONS):
        return f"{measured} (< {VERY_RARE_ZIPF}: hardly an English word)"
    if absent.modifies and frequency < MODIFIER_ZIPF and not absent.near_term:
        return f"{measured} (< {MODIFIER_ZIPF}), just before a disease's head word or its cause"
    if not absent.other_subject:
        medical = _medical_word(found)
        if medical is not None:
            return (
                f"'{medical}' is a word of the names of diseases and injuries in ICD-10-CM, "
                f"rarer than Zipf {MEDICAL_ZIPF} in general English, and no other part names "
                "a subject"
            )
    if frequency >= RARE_ZIPF or word.endswith(ORDINARY_SUFFIXES):
        return None
    if word.endswith(RARE_NAMED_SUFFIXES):
        return f"{measured} (rare) and the ending of a disease's name"
    if absent.cue:
        return f"{measured} (rare), and a word around it names a disease"
    if not absent.other_subject:
        return f"{measured} (rare), and no other part names a subject"
    return None


def _medical_word(found: list[str]) -> str | None:
    """The first of `found` that names a disease, injury or body part in ICD-10-CM and is not
    a common word of general English ('acne' 3.7, 'tendon' 3.3, 'headache' 4.0, but not
    'overactive', whose ending is an adjective's, nor 'depression', 4.6)."""
    from secretome_cli.words.medical import is_medical

    for word in found:
        if (
            english(word) < MEDICAL_ZIPF
            and not word.endswith(ORDINARY_SUFFIXES)
            and is_medical(word)
        ):
            return word
    return None


def english(word: str) -> float:
    """How common a word of the question (folded and lightly stemmed) is in general English:
    the Zipf frequency of its commonest form, as written or with the plural's 's' the stem
    took off ('patche': 'patches'), or of what follows an everyday prefix when that is a word
    itself ('regrow': 'grow'; `lexicon.ORDINARY_PREFIXES`)."""
    forms = [word, word + "s"]
    forms += [word[len(p) :] for p in ORDINARY_PREFIXES if word.startswith(p)]
    return max(zipf(form) for form in forms if len(form) >= MIN_PARTIAL_WORD or form == word)


@lru_cache(maxsize=256)
def zipf(word: str) -> float:
    """How common `word` is in general English, on the Zipf scale (0: unknown, 7: 'the')."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))
