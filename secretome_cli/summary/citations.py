"""The references behind a set of records (what `secretome cite` writes, in `output/citations.py`).

`collect` gathers the references of record documents: each record's citations, and the review
a record comes from when its provenance names numbered references of that review (or when the
record cites nothing else). References are de-duplicated by DOI (by key where there is none)
and sorted by key. A review keeps the numbers of the references it stands for, so an
unidentified reference is cited honestly as "the review, cited for refs 45, 46".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from secretome_cli.model.document import CitationDoc, RecordDoc

ET_AL = "et al."
"""How the bibliography marks an author list the source cut short."""


@dataclass
class Cited:
    """One reference of a bibliography: its citation (as documents give it), the numbered
    references of it the records cite (for a review), and the records citing it."""

    cite: dict[str, Any]
    """The citation, with the keys of `document.CITATION_KEYS`."""
    refs: list[int] = field(default_factory=list)
    listed_refs: list[int] = field(default_factory=list)
    records: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The bibliography key, e.g. 'cai2021'."""
        return str(self.cite["key"])

    @property
    def refs_note(self) -> str | None:
        """'Cited for refs 45, 46' for a review standing for numbered references whose studies
        are not identified; 'source of ref 18, listed as its own entry' for identified ones."""
        parts = []
        if self.refs:
            parts.append(f"Cited for {_numbers(self.refs)}")
        if self.listed_refs:
            many = len(self.listed_refs) > 1
            parts.append(
                f"{'s' if parts else 'S'}ource of {_numbers(self.listed_refs)}, listed as "
                + ("their own entries" if many else "its own entry")
            )
        return "; ".join(parts) or None

    @property
    def authors(self) -> list[str]:
        """The named authors, without the 'et al.' marker."""
        return [a for a in self.cite.get("authors") or [] if a != ET_AL]

    @property
    def truncated(self) -> bool:
        """True when the source gives only the first authors ('et al.')."""
        return ET_AL in (self.cite.get("authors") or [])

    def pages(self) -> tuple[str | None, str | None]:
        """First and last page ('706–717' → ('706', '717')); an article number is a first page."""
        pages = self.cite.get("pages")
        if not pages:
            return None, None
        parts = re.split(r"\s*[–—-]+\s*", pages, maxsplit=1)
        return parts[0], parts[1] if len(parts) == 2 else None

    def pmid(self) -> str | None:
        """The PubMed id, where the identifier is one ('PMID 34145093' → '34145093')."""
        ident = self.cite.get("identifier") or ""
        found = re.fullmatch(r"PMID:?\s*(\d+)", ident.strip(), re.IGNORECASE)
        return found.group(1) if found else None


def _numbers(refs: Sequence[int]) -> str:
    """'refs 7, 15–17, 20' (runs of three or more as ranges) or 'ref 7'."""
    runs: list[list[int]] = []
    for n in sorted(set(refs)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(f"{r[0]}\u2013{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)
    return f"ref{'s' * (len(set(refs)) > 1)} {text}"


def _identity(cite: CitationDoc) -> str:
    doi = cite.get("doi")
    return f"doi:{doi.lower()}" if doi else f"key:{cite['key']}"


def collect(docs: Iterable[RecordDoc]) -> list[Cited]:
    """The references behind `docs`, de-duplicated by DOI (else key), sorted by key.

    A record whose provenance names numbered references of a review adds that review: the
    numbers go to `refs` when the record cites the review itself for them (the studies are not
    identified), to `listed_refs` when it cites the identified studies instead."""
    found: dict[str, Cited] = {}

    def add(cite: CitationDoc, record_id: str) -> Cited:
        ident = _identity(cite)
        entry = found.get(ident)
        if entry is None:
            entry = found[ident] = Cited(dict(cite))
        elif cite["key"] < entry.key:
            entry.cite = dict(cite)
        if record_id not in entry.records:
            entry.records.append(record_id)
        return entry

    for doc in docs:
        prov = doc["provenance"]
        for cite in doc["citations"]:
            add(cite, doc["id"])
        if prov["refs"] or not doc["citations"]:
            review = add(prov["source"], doc["id"])
            keys = {c["key"] for c in doc["citations"]}
            target = review.refs if review.key in keys else review.listed_refs
            target.extend(r for r in prov["refs"] if r not in target)
    for entry in found.values():
        entry.listed_refs.sort()
        entry.refs = sorted(set(entry.refs) - set(entry.listed_refs))
    return sorted(found.values(), key=lambda c: c.key)
