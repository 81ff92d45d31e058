"""The rules of the bibliography: keys unique, DOIs lower case, unique, and like their peers.

`doi-pattern` warns about a DOI that looks misprinted, judged only from the bibliography
itself (no network). A DOI's journal code is the first run of two or more letters of its suffix
(`ijms` of 10.3390/ijms23168905, `jconrel` of 10.1016/j.jconrel.2019.07.022). Three
findings make it a warning:

- near-miss code: another DOI with the same prefix has a journal code that is this one with
  a letter added (`biomedicine…` beside `biomedicines…`: a dropped letter is the commonest
  misprint), or that differs from it in one letter or in one pair of neighbouring letters
  swapped, where this code is the rarer of the two in the bibliography (two codes equally
  common give no verdict); codes shorter than four letters are too short to judge;
- transposed code: the code is not an abbreviation of the entry's `journal` (word beginnings
  in order, e.g. `acsptsci` of "ACS Pharm. Transl. Sci."), but swapping two neighbouring
  letters other than the first makes it one (`acspstci`). The first letter is left alone
  because publishers often put a letter of their own there (`jcmgh`, `ymthe`, `omtm`);
- item initial: for DOIs laid out as prefix/journal/item (10.1093/ecco-jcc/jjac190.0030),
  the item code starts with an initial of the journal's name in every other such DOI of
  the prefix (at least two), but not in this one (`ijy038` of "J. Crohns Colitis"). Only
  this layout is judged: journal codes of other layouts keep old names (`jemt` of
  "Microsc. Res. Tech.", once J. Electron Microsc. Tech.).

A reference whose `note` contains "DOI kept exactly as" (as in "DOI kept exactly as the
reference list prints it; ...", followed by how it differs) has said that its DOI is carried
as the source prints it: its warning is reported as acknowledged, which `--strict` does not
fail.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

from secretome_cli.files.yamlfile import Document
from secretome_cli.model import record as model
from secretome_cli.model.problems import Problem, Severity

ACKNOWLEDGED = "DOI kept exactly as"
"""A reference's note holding this phrase acknowledges a `doi-pattern` warning."""
MIN_CODE = 4
"""Journal codes shorter than this are not compared with each other."""
_CODE = re.compile(r"[a-z]{2,}")
_WORD = re.compile(r"[a-z]+")


def check(
    bibliography: model.Bibliography, doc: Document
) -> tuple[list[Problem], dict[str, model.Reference], dict[str, tuple[int, int]]]:
    """The problems of a valid bibliography, its references by key and where each key is."""
    problems: list[Problem] = []
    references: dict[str, model.Reference] = {}
    marks: dict[str, tuple[int, int]] = {}
    dois: dict[str, str] = {}
    places: dict[str, int] = {}
    for i, ref in enumerate(bibliography.references):
        if ref.key in references:
            message = f"bibliography key {ref.key!r} is used twice"
            problems.append(doc.problem(("references", i, "key"), "duplicate-key", message))
            continue
        references[ref.key] = ref
        places[ref.key] = i
        marks[ref.key] = doc.mark(("references", i, "key"))
        if ref.doi is None:
            continue
        loc = ("references", i, "doi")
        lower = ref.doi.lower()
        if ref.doi != lower:
            message = f"DOI {ref.doi!r} must be lower case: {lower!r}"
            problems.append(doc.problem(loc, "doi-case", message))
        if lower in dois:
            message = f"DOI {ref.doi!r} is also the DOI of {dois[lower]!r}"
            problems.append(doc.problem(loc, "duplicate-doi", message, "warning"))
        dois.setdefault(lower, ref.key)
    for key, message in doi_outliers(list(references.values())).items():
        ref = references[key]
        known = ACKNOWLEDGED.lower() in (ref.note or "").lower()
        loc = ("references", places[key], "doi")
        severity: Severity = "acknowledged" if known else "warning"
        problems.append(doc.problem(loc, "doi-pattern", message, severity))
    return problems, references, marks


def journal_code(doi: str) -> str | None:
    """The first run of two or more letters of a DOI's suffix, lower case, or None."""
    found = _CODE.search(doi.partition("/")[2].lower())
    return found.group() if found else None


def doi_outliers(references: list[model.Reference]) -> dict[str, str]:
    """Reference key → why its DOI breaks the pattern of the others (see the module)."""
    with_doi = [(ref, ref.doi) for ref in references if ref.doi is not None]
    found: dict[str, str] = {}
    for finding in (_near_misses, _transposed, _item_initials):
        for key, why in finding(with_doi).items():
            found.setdefault(key, why)
    return found


def _near_misses(refs: list[tuple[model.Reference, str]]) -> dict[str, str]:
    codes = {ref.key: code for ref, doi in refs if (code := journal_code(doi))}
    by_prefix: defaultdict[str, set[str]] = defaultdict(set)
    for ref, doi in refs:
        if ref.key in codes:
            by_prefix[_prefix(doi)].add(codes[ref.key])
    counts = Counter(codes.values())
    found = {}
    for ref, doi in refs:
        code = codes.get(ref.key)
        if code is None:
            continue
        near = [o for o in sorted(by_prefix[_prefix(doi)] - {code}) if _near_miss(code, o, counts)]
        if near:
            found[ref.key] = (
                f"DOI {doi!r}: journal code {code!r} is one letter off {near[0]!r} of another "
                f"{_prefix(doi)} DOI here; check the DOI against the publisher"
            )
    return found


def _transposed(refs: list[tuple[model.Reference, str]]) -> dict[str, str]:
    found = {}
    for ref, doi in refs:
        code = journal_code(doi)
        if code is None or not ref.journal:
            continue
        words = tuple(_WORD.findall(ref.journal.lower()))
        if _abbreviates(code, words):
            continue
        for i in range(1, len(code) - 1):
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            if swapped != code and _abbreviates(swapped, words):
                found[ref.key] = (
                    f"DOI {doi!r}: journal code {code!r} looks like {swapped!r} (an abbreviation "
                    f"of {ref.journal!r}) with two letters swapped; check the DOI against the "
                    "publisher"
                )
                break
    return found


def _item_initials(refs: list[tuple[model.Reference, str]]) -> dict[str, str]:
    """DOIs laid out as prefix/journal/item: the item code starts with an initial of the
    journal's name in every other such DOI of the prefix (at least two), but not here."""
    starts: defaultdict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for ref, doi in refs:
        item = doi.partition("/")[2].lower().rpartition("/")
        letters = _WORD.search(item[2]) if item[1] and ref.journal else None
        if letters and ref.journal:
            initials = {w[0] for w in _WORD.findall(ref.journal.lower())}
            starts[_prefix(doi)].append((ref.key, letters.group(), letters.group()[0] in initials))
    found = {}
    for prefix, items in starts.items():
        for key, code, fits in items:
            others = [other_fits for other, _, other_fits in items if other != key]
            if not fits and len(others) >= 2 and all(others):
                doi = next(d for r, d in refs if r.key == key)
                found[key] = (
                    f"DOI {doi!r}: item code {code!r} does not start with an initial of the "
                    f"journal's name, as every other {prefix} DOI of this form here does; "
                    "check the DOI against the publisher"
                )
    return found


def _prefix(doi: str) -> str:
    return doi.partition("/")[0]


def _near_miss(code: str, other: str, counts: Counter[str]) -> bool:
    """True when `code` looks like a misprint of `other` (see the module)."""
    if min(len(code), len(other)) < MIN_CODE:
        return False
    if len(other) == len(code) + 1:  # a dropped letter: the shorter code is the suspect
        return any(other[:i] + other[i + 1 :] == code for i in range(len(other)))
    if len(other) != len(code) or counts[code] >= counts[other]:
        return False
    diff = [i for i, (a, b) in enumerate(zip(code, other, strict=True)) if a != b]
    swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and code[diff[0]] == other[diff[1]]
    return len(diff) == 1 or (swapped and code[diff[1]] == other[diff[0]])


@cache
def _abbreviates(code: str, words: tuple[str, ...]) -> bool:
    """True when `code` is the beginnings of some of `words`, in order, joined."""
    if not code:
        return True
    for k, word in enumerate(words):
        n = 0
        while n < len(word) and n < len(code) and code[n] == word[n]:
            n += 1
            if _abbreviates(code[n:], words[k + 1 :]):
                return True
    return False
