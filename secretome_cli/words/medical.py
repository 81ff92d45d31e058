"""The words of the names of diseases, injuries and conditions in ICD-10-CM, the US edition
of the WHO's International Classification of Diseases kept by CMS and NCHS: evidence that a
word no record holds names a medical thing ('acne', 'migraine', 'tendon') rather than being
an ordinary word of a question ('lining', 'restore').

The list (`data/icd10cm-words.txt`: every word of four letters or more in the descriptions of
the codes of chapters 1 to 19, A00-T88; chapters 20-22, external causes and the factors
influencing health status, are everyday words) is read in a few milliseconds. It is made
from the `simple-icd-10-cm` package (MIT; a development dependency, which takes about 3 s to
load its data) by `python -m secretome_cli.words.medical`, and `tests/unit/test_medical.py`
fails when it differs from what that command makes from the installed release.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

WORDS = Path(__file__).parent / "data" / "icd10cm-words.txt"
"""The list, one word a line, sorted."""

CHAPTERS = "ABCDEFGHIJKLMNOPQRST"
"""First letters of the codes of chapters 1-19 (diseases, injuries, signs and symptoms)."""

MIN_LENGTH = 4
"""Shorter words of the descriptions ('due', 'with', 'left') are not kept."""


def is_medical(word: str) -> bool:
    """True when `word` (folded, one word) is a word of ICD-10-CM's names of diseases and
    injuries."""
    return word in _words()


def medical_words() -> frozenset[str]:
    """Every word of the list."""
    return _words()


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    return frozenset(WORDS.read_text(encoding="utf-8").split())


def build() -> list[str]:
    """The list, from the installed `simple-icd-10-cm` release."""
    import simple_icd_10_cm as icd

    found: set[str] = set()
    for code in icd.get_all_codes(with_dots=False):
        if code[0] in CHAPTERS and "-" not in code:  # a code, not a chapter or block
            description = icd.get_description(code).lower()
            found.update(w for w in re.findall(r"[a-z]+", description) if len(w) >= MIN_LENGTH)
    return sorted(found)


if __name__ == "__main__":  # pragma: no cover - run by hand when the release changes
    WORDS.write_text("".join(f"{word}\n" for word in build()), encoding="utf-8")
    sys.stdout.write(f"wrote {WORDS}\n")
