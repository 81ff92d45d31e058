"""Synthetic record sets for the benchmark: N valid evidence records modelled on the bundled ones.

    python -m benchmarks.generate 100000 /tmp/records-100k [--seed 5] [--jobs 2]

The output directory is a record set (`secretome --records DIR` reads it): the bundled
`dataset.yaml`, `bibliography.yaml`, `CHANGELOG.md` and `vocab/` copied as they are, and N
files under `evidence/`.

Records stay valid because every value comes from where the validator looks for it: disease,
factor, target, drug, pathway and preconditioning names are canonical names of the copied
vocabularies; citations and provenance sources are keys of the copied bibliography (and,
together, cite every one of its entries); provenance blocks, models, tissue lists, disease
contexts, outcomes and factor notes are taken whole from real records; changes, topics,
fractions and flags are the closed vocabularies' values as the real records use them; ids are
unique slugs equal to the file names; `see_also` names earlier generated records; changelogs
count revisions up from 1 on dates that do not go backwards and lie in the past.

Records look real because they are sampled from the real ones: term frequencies follow how
often the bundled records use each term (every term stays possible), list lengths follow
the brief (1-6 factors, 0-5 targets, 0-3 pathways), and claims, mechanisms and notes are
built to lengths drawn from the real fields' lengths out of a lead sentence naming the
record's own terms, clauses of real claims, mechanisms and notes, and the occasional number
(group size, dose, percentage), so that the full-text index sees realistic words.

Generation is deterministic: the records of each chunk of `CHUNK` come from a generator
seeded with the seed and the chunk number, so the output does not depend on `--jobs`.
Files are written in canonical form (`secretome fmt --check` finds nothing to do) by the
project's own canonical emitter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import inspect
import json
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from secretome_cli.files.emitter import emit as canonical_emit

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "records"
"""The record set the generator samples from by default."""

GENERATOR_VERSION = 1
"""Bumped when the same seed would give different records; kept sets are then regenerated."""
DEFAULT_SEED = 5
CHUNK = 2_000
"""Records generated from one seeded random generator (the unit of parallel work)."""
MARKER = "generated.json"
"""Written last into a generated set: what it holds (records, seed, generator version)."""

WIDTH = 100
"""The line width of canonical YAML."""
FOLD_AT = 88
"""Text longer than this is written as a folded block scalar (`>-`)."""
FIRST_DAY = dt.date(2021, 1, 4)
LAST_DAY = dt.date(2026, 6, 30)
"""Changelog dates lie between these (in the past, so that no date is in the future)."""

FACTORS = (1, 6)
TARGETS = (0, 5)
PATHWAYS = (0, 3)
DISEASES = ((0, 1, 2, 3), (35, 45, 15, 5))
"""How many diseases a record names, and how often (weights)."""
NOTES = ((0, 1, 2, 3, 4), (10, 30, 35, 17, 8))
OUTCOMES = (0, 5)
SEE_ALSO = ((0, 1, 2, 3), (30, 30, 30, 10))
CITATIONS = ((0, 1, 2, 3), (10, 55, 25, 10))
REVISIONS = ((1, 2, 3), (70, 20, 10))
MAX_CITATIONS = 8
"""Most citations one record gets while the bibliography is not yet all cited."""
MIN_TEXT = FOLD_AT + 4
"""Generated claims, mechanisms and notes are at least this long (always folded)."""

REVISION_CHANGES = (
    "Added the model organisms and cells the cited study names.",
    "Corrected the direction of a target after checking the table against the text.",
    "Split a combined table row into its two studies.",
    "Added a note on a citation whose title does not fit the claim.",
    "Reworded the mechanism in our own words.",
    "Added related records to see_also.",
    "Recorded the experimental disease model the source names.",
    "Replaced an alias with the vocabulary's canonical name.",
)
"""What later revisions of a record change (the first revision's line is a real one)."""

TISSUE_WORDS = {
    "umbilical cord": "hUC-MSC",
    "Wharton's jelly": "Wharton's jelly MSC",
    "umbilical cord blood": "cord blood MSC",
    "umbilical cord perivascular cells": "HUCPVC",
    "amniotic membrane": "amniotic MSC",
    "placenta": "placental MSC",
    "gestational tissues": "gestational tissue MSC",
    "post-partum tissues": "hPPT-MSC",
    "bone marrow": "BM-MSC",
    "adipose tissue": "AD-MSC",
}
VERBS = {
    "up": ("raises", "increases", "restores", "upregulates"),
    "down": ("lowers", "reduces", "suppresses", "downregulates"),
    "inhibited": ("blocks", "inhibits", "shuts down"),
    "activated": ("activates", "switches on", "triggers"),
    "modulated": ("modulates", "regulates", "acts on"),
}
OTHER_VERBS = ("targets", "acts on", "regulates")
CARRY = ("delivering", "carrying", "enriched in", "loaded with", "rich in")
QUANTITIES: tuple[Callable[[random.Random], str], ...] = (
    lambda r: f"(n = {r.randint(3, 40)} per group)",
    lambda r: f"by {r.randint(12, 85)}%",
    lambda r: f"at {r.choice((5, 10, 20, 25, 50, 100, 200))} µg/mL",
    lambda r: f"within {r.randint(1, 28)} days",
    lambda r: f"(p < 0.0{r.randint(1, 5)})",
    lambda r: f"over {r.randint(2, 12)} weeks",
)
GREEK = str.maketrans(
    {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "µ": "u", "μ": "u"}
)

T = TypeVar("T")


class GenerateError(Exception):
    """The generator cannot write where it was asked to, or its source is not a record set."""


@dataclass(frozen=True)
class Pool(Generic[T]):
    """Items with cumulative weights, for seeded weighted sampling."""

    items: tuple[T, ...]
    cum: tuple[float, ...]

    @classmethod
    def weighted(cls, counts: Iterable[tuple[T, float]]) -> Pool[T]:
        items: list[T] = []
        cum: list[float] = []
        total = 0.0
        for item, weight in counts:
            total += weight
            items.append(item)
            cum.append(total)
        if not items:
            raise GenerateError("empty sampling pool")
        return cls(tuple(items), tuple(cum))

    @classmethod
    def smoothed(cls, names: Iterable[T], used: Counter[T], extra: float) -> Pool[T]:
        """Every name, weighted by how often the real records use it plus `extra`."""
        return cls.weighted((n, used[n] + extra) for n in names)

    def one(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum)[0]

    def distinct(self, rng: random.Random, k: int) -> list[T]:
        """Up to `k` different items."""
        k = min(k, len(self.items))
        out: list[T] = []
        tries = 0
        while len(out) < k and tries < 20 * k:
            tries += 1
            item = self.one(rng)
            if item not in out:
                out.append(item)
        return out


def _counted(values: tuple[tuple[int, ...], tuple[int, ...]], rng: random.Random) -> int:
    return rng.choices(values[0], weights=values[1])[0]


# --- the corpus: what the generator samples from -------------------------------------------


@dataclass(frozen=True)
class Classed:
    """Molecule names sampled class first (as often as the real records use each class), then
    name within the class (as often as the real records use each name, every name possible)."""

    classes: Pool[str]
    names: dict[str, Pool[str]]

    def distinct(self, rng: random.Random, k: int) -> list[str]:
        out: list[str] = []
        tries = 0
        while len(out) < k and tries < 20 * k:
            tries += 1
            name = self.names[self.classes.one(rng)].one(rng)
            if name not in out:
                out.append(name)
        return out


@dataclass(frozen=True)
class ByDisease(Generic[T]):
    """Real items (clauses, outcomes, models) split by the diseases their text mentions, so
    that a generated record mentions only its own diseases, as a real one does."""

    neutral: tuple[T, ...]
    specific: dict[str, tuple[T, ...]]

    def pick(self, rng: random.Random, diseases: Sequence[str], share: float = 0.35) -> T:
        """A neutral item, or (with chance `share`) one that mentions one of `diseases`."""
        if diseases and rng.random() < share:
            own = [item for d in diseases for item in self.specific.get(d, ())]
            if own:
                return rng.choice(own)
        return rng.choice(self.neutral)


class Mentions:
    """Finds the diseases a real text mentions: by the distinctive words of their names and
    synonyms (words of few diseases and rare in the records' text) and by abbreviations."""

    def __init__(self, diseases: Sequence[dict[str, Any]], texts: Sequence[str]) -> None:
        df: Counter[str] = Counter(w for t in texts for w in set(_words(t)))
        owners: dict[str, list[str]] = {}
        for entry in diseases:
            for label in (entry["name"], *entry.get("synonyms", ())):
                for word in _words(label):
                    owners.setdefault(word, [])
                    if entry["name"] not in owners[word]:
                        owners[word].append(entry["name"])
        rare = 0.15 * len(texts)
        self.words = {
            w: tuple(names)
            for w, names in owners.items()
            if len(w) >= 4 and len(names) <= 3 and df[w] <= rare
        }
        self.abbreviations = {
            a: entry["name"] for entry in diseases for a in entry.get("abbreviations", ())
        }

    def __call__(self, text: str) -> tuple[str, ...]:
        found = [name for w in _words(text) for name in self.words.get(w, ())]
        found += [self.abbreviations[t] for t in _TOKEN.findall(text) if t in self.abbreviations]
        return tuple(dict.fromkeys(found))

    def split(self, items: Iterable[T], text: Callable[[T], str]) -> ByDisease[T]:
        neutral: list[T] = []
        specific: dict[str, list[T]] = {}
        for item in items:
            named = self(text(item))
            if not named:
                neutral.append(item)
            for name in named:
                specific.setdefault(name, []).append(item)
        if not neutral:
            raise GenerateError("no real text that mentions no disease")
        return ByDisease(tuple(neutral), {k: tuple(v) for k, v in specific.items()})


_WORD = re.compile(r"[a-z0-9']+")
_TOKEN = re.compile(r"[A-Za-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


@dataclass(frozen=True)
class Corpus:
    """Terms, keys, whole blocks, lengths and clauses read from a real record set."""

    diseases: Pool[str]
    related: dict[str, Pool[str]]
    categories: dict[str, str]
    contexts: dict[str, tuple[str, ...]]
    factors: Classed
    targets: Classed
    drugs: tuple[str, ...]
    pathways: Pool[str]
    preconditioning: Pool[str]
    keys: tuple[str, ...]
    surnames: dict[str, str]
    provenance: tuple[dict[str, Any], ...]
    models: ByDisease[dict[str, Any]]
    tissues: tuple[tuple[str, ...], ...]
    fractions: Pool[str]
    topics: Pool[str]
    flags: Pool[str]
    outcomes: ByDisease[str]
    factor_notes: tuple[str, ...]
    curations: tuple[str, ...]
    factor_changes: Pool[str]
    target_changes: Pool[str]
    pathway_changes: Pool[str]
    claim_lengths: tuple[int, ...]
    mechanism_lengths: tuple[int, ...]
    note_lengths: tuple[int, ...]
    claim_clauses: ByDisease[str]
    mechanism_clauses: ByDisease[str]
    note_clauses: ByDisease[str]


def _load(path: Path) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


_CLAUSE_SPLIT = re.compile(r"(?<=[,;:.])\s+|\s+\(|\)\s*")
_LOWER = frozenset(
    ("The", "This", "These", "Those", "It", "Its", "They", "Their", "A", "An", "In", "On")
)
"""Sentence-initial words a clause moved into the middle of a sentence starts lower case."""


def clauses(texts: Iterable[str]) -> tuple[str, ...]:
    """The clauses of real sentences (3 words or more), trailing punctuation dropped."""
    out: list[str] = []
    for text in texts:
        for part in _CLAUSE_SPLIT.split(" ".join(text.split())):
            part = part.strip().rstrip(".,;:").strip()
            if len(part.split()) < 3 or part.count("(") != part.count(")"):
                continue
            if part.count("'") % 2 or part.count('"') % 2:
                continue
            first = part.split()[0]
            if first in _LOWER:
                part = first.lower() + part[len(first) :]
            out.append(part)
    return tuple(dict.fromkeys(out))


def read_corpus(source: Path = BUNDLED) -> Corpus:
    """Everything the generator samples, from the record set at `source`."""
    if not (source / "dataset.yaml").is_file() or not (source / "evidence").is_dir():
        raise GenerateError(f"{source} is not a record set (no dataset.yaml or evidence/)")
    records = [_load(p) for p in sorted((source / "evidence").glob("*.yaml"))]
    vocab = {
        kind: _load(source / "vocab" / f"{kind}.yaml")[kind]
        for kind in ("diseases", "factors", "pathways", "preconditioning")
    }
    references = _load(source / "bibliography.yaml")["references"]

    def used(*paths: tuple[str, str | None]) -> Counter[str]:
        found: Counter[str] = Counter()
        for record in records:
            for listkey, name in paths:
                for item in record.get(listkey, ()):
                    found[item[name] if name else item] += 1
        return found

    mentions = Mentions(
        vocab["diseases"],
        [f"{r['claim']} {r['mechanism']} {' '.join(r.get('notes', ()))}" for r in records],
    )
    classes = {f["name"]: f["class"] for f in vocab["factors"]}
    contexts: dict[str, list[str]] = {}
    for record in records:
        for disease in record.get("diseases", ()):
            if disease.get("context"):
                contexts.setdefault(disease["name"], []).append(disease["context"])
    pre_used: Counter[str] = Counter(
        p for r in records for p in r["source"].get("preconditioning", ())
    )
    surnames = {}
    for ref in references:
        authors = [a for a in ref.get("authors", ()) if a != "et al."]
        surnames[ref["key"]] = (authors[0].split(",")[0] if authors else "the review") + (
            f" {ref['year']}"
        )
    categories = {d["name"]: d["category"] for d in vocab["diseases"]}
    disease_use = used(("diseases", "name"))
    related = {
        category: Pool.smoothed(
            [n for n, c in categories.items() if c == category], disease_use, 0.5
        )
        for category in dict.fromkeys(categories.values())
    }

    def fitting(items: Iterable[str], column: int) -> list[str]:
        return list(dict.fromkeys(items))

    def split_text(items: Iterable[str]) -> ByDisease[str]:
        return mentions.split(items, lambda x: x)

    return Corpus(
        diseases=Pool.smoothed(list(categories), disease_use, 0.5),
        related=related,
        categories=categories,
        contexts={k: tuple(v) for k, v in contexts.items()},
        factors=_classed(classes, used(("factors", "name")), _FACTOR_EXTRA),
        targets=_classed(classes, used(("targets", "name")), _TARGET_EXTRA),
        drugs=tuple(n for n, c in classes.items() if c == "drug"),
        pathways=Pool.smoothed(
            [p["name"] for p in vocab["pathways"]], used(("pathways", "name")), 0.5
        ),
        preconditioning=Pool.smoothed([p["name"] for p in vocab["preconditioning"]], pre_used, 0.5),
        keys=tuple(sorted(r["key"] for r in references)),
        surnames=surnames,
        provenance=tuple(r["provenance"] for r in records),
        models=mentions.split((r["model"] for r in records), _model_text),
        tissues=tuple(tuple(r["source"].get("tissues", ())) for r in records),
        fractions=Pool.weighted(Counter(r["source"]["fraction"] for r in records).most_common()),
        topics=Pool.weighted(Counter(r["topic"] for r in records).most_common()),
        flags=Pool.weighted(Counter(f for r in records for f in r.get("flags", ())).most_common()),
        outcomes=split_text(fitting((o for r in records for o in r.get("outcomes", ())), 2)),
        factor_notes=tuple(
            mentions.split(
                fitting(
                    (f["note"] for r in records for f in r.get("factors", ()) if f.get("note")), 8
                ),
                lambda x: x,
            ).neutral
        ),
        curations=tuple(fitting((r["changelog"][0]["change"] for r in records), 10)),
        factor_changes=Pool.weighted(used(("factors", "change")).most_common()),
        target_changes=Pool.weighted(used(("targets", "change")).most_common()),
        pathway_changes=Pool.weighted(used(("pathways", "change")).most_common()),
        claim_lengths=tuple(len(r["claim"]) for r in records),
        mechanism_lengths=tuple(len(r["mechanism"]) for r in records),
        note_lengths=tuple(len(n) for r in records for n in r.get("notes", ())),
        claim_clauses=split_text(clauses(r["claim"] for r in records)),
        mechanism_clauses=split_text(clauses(r["mechanism"] for r in records)),
        note_clauses=split_text(clauses(n for r in records for n in r.get("notes", ()))),
    )


_FACTOR_EXTRA = {"drug": 0.0}
"""Extra weight of each factor class beyond its real use (default 0.5): never a drug."""
_TARGET_EXTRA = dict.fromkeys(
    ("drug", "extracellular vesicle", "miRNA", "RNA", "other", "lipid mediator"), 0.0
)
"""Targets are host molecules: proteins, cytokines, enzymes, receptors and the like."""


def _classed(classes: dict[str, str], use: Counter[str], extra: dict[str, float]) -> Classed:
    by_class: dict[str, list[str]] = {}
    for name, cls in classes.items():
        by_class.setdefault(cls, []).append(name)
    class_use: Counter[str] = Counter()
    for name, n in use.items():
        class_use[classes[name]] += n
    weights = [(c, class_use[c] + extra.get(c, 0.5)) for c in by_class]
    weights = [(c, w) for c, w in weights if w > 0]
    return Classed(
        Pool.weighted(weights),
        {c: Pool.smoothed(by_class[c], use, 0.5) for c, _ in weights},
    )


def _model_text(model: dict[str, Any]) -> str:
    return " ".join(
        [*model.get("cells", ()), *model.get("organisms", ()), model.get("description") or ""]
    )


def slug(text: str) -> str:
    """A record-id fragment: ASCII, lower case, words joined by hyphens."""
    text = text.translate(GREEK).replace("'", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _cut(fragment: str, size: int) -> str:
    """`fragment` cut to at most `size` characters at a hyphen (whole words kept)."""
    if len(fragment) <= size:
        return fragment
    cut = fragment[: size + 1].rsplit("-", 1)[0]
    return cut if cut != fragment[: size + 1] else fragment[:size]


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _text(
    rng: random.Random,
    lead: str,
    pool: ByDisease[str],
    diseases: Sequence[str],
    lengths: Sequence[int],
) -> str:
    """A sentence or two: `lead`, then real clauses (neutral ones, or ones about `diseases`)
    up to a real length, sometimes a number."""
    target = max(rng.choice(lengths), MIN_TEXT)
    parts = [lead]
    size = len(lead)
    while size < target:
        clause = pool.pick(rng, diseases)
        parts.append(clause)
        size += len(clause) + 2
    if rng.random() < 0.3:
        parts.insert(rng.randrange(1, len(parts) + 1), rng.choice(QUANTITIES)(rng))
    out = parts[0]
    for part in parts[1:]:
        out += rng.choice((", ", ", ", "; ", ", and ")) + part
    out = " ".join(out.split()) + "."
    first = out.split(" ", 1)[0]
    return out[0].upper() + out[1:] if first.isalpha() and first.islower() else out


def _dates(rng: random.Random, revisions: int) -> list[dt.date]:
    span = (LAST_DAY - FIRST_DAY).days
    days = sorted(rng.randrange(span + 1) for _ in range(revisions))
    return [FIRST_DAY + dt.timedelta(days=d) for d in days]


class _Citer:
    """Chooses citations so that a chunk of records cites every bibliography entry."""

    def __init__(self, keys: Sequence[str], rng: random.Random) -> None:
        self.keys = list(keys)
        self.uncited = list(keys)
        rng.shuffle(self.uncited)

    def choose(self, rng: random.Random, left: int) -> list[str]:
        """Citations for one record, `left` records (this one included) still to come."""
        k = _counted(CITATIONS, rng)
        if self.uncited:
            k = min(max(k, -(-len(self.uncited) // left)), MAX_CITATIONS)
        chosen: list[str] = []
        while self.uncited and len(chosen) < k:
            chosen.append(self.uncited.pop())
        while len(chosen) < k:
            key = rng.choice(self.keys)
            if key not in chosen:
                chosen.append(key)
        return chosen

    def cite(self, key: str) -> None:
        if key in self.uncited:
            self.uncited.remove(key)


def make_record(
    corpus: Corpus,
    rng: random.Random,
    number: int,
    earlier: Sequence[str],
    citer: _Citer,
    left: int,
) -> dict[str, Any]:
    """Record number `number` (its id ends in that number, so ids are unique) as a mapping
    in canonical key order, with defaults left out."""
    topic = corpus.topics.one(rng)
    diseases = _diseases(corpus, rng, _counted(DISEASES, rng))
    if topic == "therapeutic-effect" and not diseases:
        diseases = _diseases(corpus, rng, 1)
    factors = corpus.factors.distinct(rng, rng.randint(*FACTORS))
    targets = corpus.targets.distinct(rng, rng.randint(*TARGETS))
    pathways = corpus.pathways.distinct(rng, _skewed(rng, PATHWAYS))
    tissues = list(rng.choice(corpus.tissues))
    fraction = corpus.fractions.one(rng)
    factor_changes = [corpus.factor_changes.one(rng) for _ in factors]
    target_changes = [corpus.target_changes.one(rng) for _ in targets]
    pathway_changes = [corpus.pathway_changes.one(rng) for _ in pathways]

    head = diseases[0] if diseases else topic.replace("therapeutic-effect", "effect")
    tail = targets[0] if targets else pathways[0] if pathways else fraction
    parts = [_cut(slug(head), 28), _cut(slug(factors[0]), 20), _cut(slug(tail), 20)]
    record_id = "-".join(p for p in parts if p) + "-" + _base36(number)

    revisions = _counted(REVISIONS, rng)
    dates = _dates(rng, revisions)
    changelog = [
        {
            "revision": i + 1,
            "date": day,
            "change": rng.choice(corpus.curations) if i == 0 else rng.choice(REVISION_CHANGES),
        }
        for i, day in enumerate(dates)
    ]
    who = TISSUE_WORDS.get(tissues[0], "hUC-MSC") if tissues else "MSC"
    where = _join(diseases) if diseases else rng.choice(("injured tissue", "recipient cells"))
    acts = (
        rng.choice(VERBS.get(target_changes[0], OTHER_VERBS))
        if targets
        else rng.choice(OTHER_VERBS)
    )
    objects = _join(targets[:3]) or (f"{pathways[0]} signalling" if pathways else "inflammation")
    claim_lead = (
        f"{who} {fraction} {rng.choice(CARRY)} {_join(factors[:3])} {acts} {objects} in {where}"
    )
    mechanism_lead = f"{_join(factors[:2])} from the {fraction} {acts} {objects}"
    if pathways:
        mechanism_lead += f" through {_join(pathways)}"
    provenance = dict(rng.choice(corpus.provenance))
    citer.cite(provenance["source"])
    citations = citer.choose(rng, left)

    record: dict[str, Any] = {
        "schema_version": 1,
        "id": record_id,
        "revision": revisions,
        "updated": dates[-1],
        "changelog": changelog,
        "claim": _text(rng, claim_lead, corpus.claim_clauses, diseases, corpus.claim_lengths),
        "topic": topic,
    }
    if diseases:
        record["diseases"] = [_disease(corpus, rng, d) for d in diseases]
    source: dict[str, Any] = {}
    if tissues:
        source["tissues"] = tissues
    source["fraction"] = fraction
    if topic == "preconditioning" or rng.random() < 0.04:
        source["preconditioning"] = corpus.preconditioning.distinct(rng, rng.choice((1, 1, 2)))
    record["source"] = source
    record["factors"] = [
        _ref(corpus, rng, name, change)
        for name, change in zip(factors, factor_changes, strict=True)
    ]
    if targets:
        record["targets"] = [
            {"name": n, "change": c} for n, c in zip(targets, target_changes, strict=True)
        ]
    if pathways:
        record["pathways"] = [
            {"name": n, "change": c} for n, c in zip(pathways, pathway_changes, strict=True)
        ]
    if corpus.drugs and rng.random() < 0.03:
        record["drugs"] = [rng.choice(corpus.drugs)]
    picks = _skewed(rng, OUTCOMES)
    outcomes = list(dict.fromkeys(corpus.outcomes.pick(rng, diseases) for _ in range(picks)))
    if outcomes:
        record["outcomes"] = outcomes
    record["mechanism"] = _text(
        rng, mechanism_lead, corpus.mechanism_clauses, diseases, corpus.mechanism_lengths
    )
    record["model"] = dict(corpus.models.pick(rng, diseases, share=0.6))
    if citations:
        record["citations"] = citations
    record["provenance"] = provenance
    flags = corpus.flags.distinct(rng, rng.choice((0, 0, 0, 1, 1, 2)))
    if flags:
        record["flags"] = flags
    notes = [
        _text(
            rng,
            _note_lead(corpus, rng, citations, diseases),
            corpus.note_clauses,
            diseases,
            corpus.note_lengths,
        )
        for _ in range(_counted(NOTES, rng))
    ]
    if notes:
        record["notes"] = notes
    related = _counted(SEE_ALSO, rng) if earlier else 0
    see_also = list(dict.fromkeys(rng.choice(earlier) for _ in range(related)))
    if see_also:
        record["see_also"] = see_also
    return record


def _skewed(rng: random.Random, bounds: tuple[int, int]) -> int:
    """A count in `bounds`, small counts more likely (as in the real records)."""
    low, high = bounds
    return min(rng.randint(low, high), rng.randint(low, high))


def _disease(corpus: Corpus, rng: random.Random, name: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name}
    known = corpus.contexts.get(name)
    if known and rng.random() < 0.6:
        entry["context"] = rng.choice(known)
    return entry


def _ref(corpus: Corpus, rng: random.Random, name: str, change: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "change": change}
    if corpus.factor_notes and rng.random() < 0.05:
        entry["note"] = rng.choice(corpus.factor_notes)
    return entry


def _note_lead(
    corpus: Corpus, rng: random.Random, citations: Sequence[str], diseases: Sequence[str]
) -> str:
    clause = corpus.note_clauses.pick(rng, diseases)
    if citations and rng.random() < 0.4:
        cited = corpus.surnames.get(rng.choice(citations), "the cited study")
        return f"The cited title ({cited}) {clause}"
    return clause


def _diseases(corpus: Corpus, rng: random.Random, k: int) -> list[str]:
    """`k` different diseases, the second and later mostly of the first one's category (a
    real record names related diseases: several cancers, several neurological disorders)."""
    out: list[str] = []
    tries = 0
    while len(out) < k and tries < 20 * k:
        tries += 1
        if out and rng.random() < 0.8:
            name = corpus.related[corpus.categories[out[0]]].one(rng)
        else:
            name = corpus.diseases.one(rng)
        if name not in out:
            out.append(name)
    return out


# --- canonical YAML --------------------------------------------------------------------------


def emit(record: dict[str, Any]) -> str:
    """The canonical YAML text of a record mapping (keys already in canonical order): the
    project's own emitter, which `secretome fmt` writes with."""
    return canonical_emit(record)


# --- writing a set -------------------------------------------------------------------------

_WORKER_CORPUS: Corpus | None = None


def _init_worker(source: str) -> None:
    global _WORKER_CORPUS
    _WORKER_CORPUS = read_corpus(Path(source))


def chunk_records(corpus: Corpus, seed: int, chunk: int, total: int) -> list[dict[str, Any]]:
    """The records of chunk number `chunk` of a set of `total` records."""
    start = chunk * CHUNK
    stop = min(start + CHUNK, total)
    rng = random.Random(f"secretome-bench/{GENERATOR_VERSION}/{seed}/{chunk}")
    citer = _Citer(corpus.keys, rng)
    out: list[dict[str, Any]] = []
    ids: list[str] = []
    for number in range(start, stop):
        record = make_record(corpus, rng, number, ids[-50:], citer, stop - number)
        ids.append(record["id"])
        out.append(record)
    return out


def _write_chunk(args: tuple[str, int, int, int]) -> int:
    evidence, seed, chunk, total = args
    corpus = _WORKER_CORPUS
    assert corpus is not None, "worker not initialised"
    records = chunk_records(corpus, seed, chunk, total)
    for record in records:
        path = Path(evidence, record["id"] + ".yaml")
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(emit(record))
    return len(records)


def marker(root: Path) -> dict[str, Any] | None:
    """What a generated set at `root` holds, or None when it is not a complete generated set."""
    try:
        data = json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_current(root: Path, records: int, seed: int, source: Path = BUNDLED) -> bool:
    """True when `root` is a complete set of `records` records that `generate` would write now
    with `seed` from `source` (same records sampled, same generator, same canonical emitter)."""
    return marker(root) == _describe(records, seed, source)


def source_digest(source: Path) -> str:
    """A digest of what generated records depend on besides the seed: the sampled record set's
    files, this module and the canonical emitter. A kept set is regenerated when it changes."""
    files = [
        source / "dataset.yaml",
        source / "bibliography.yaml",
        *sorted((source / "vocab").glob("*.yaml")),
        *sorted((source / "evidence").glob("*.yaml")),
        Path(__file__),
        Path(inspect.getfile(canonical_emit)),
    ]
    digest = hashlib.blake2b(digest_size=12)
    for path in files:
        digest.update(f"{path.name}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def _describe(records: int, seed: int, source: Path) -> dict[str, Any]:
    return {
        "records": records,
        "seed": seed,
        "generator": GENERATOR_VERSION,
        "source": source_digest(source),
    }


def generate(
    records: int,
    out: Path,
    seed: int = DEFAULT_SEED,
    source: Path = BUNDLED,
    jobs: int | None = None,
    replace: bool = False,
) -> Path:
    """Write a record set of `records` synthetic records to `out` and return `out`.

    `out` must not exist, or be empty; with `replace`, an earlier generated set there (one
    holding the marker file) is removed first. Anything else there is never touched.
    """
    if records < 1:
        raise GenerateError("the number of records must be at least 1")
    if out.exists() and any(out.iterdir()):
        if not (replace and marker(out) is not None):
            raise GenerateError(f"{out} is not empty (and not a generated set to replace)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("dataset.yaml", "bibliography.yaml", "CHANGELOG.md"):
        if (source / name).is_file():
            shutil.copy2(source / name, out / name)
    shutil.copytree(source / "vocab", out / "vocab")
    evidence = out / "evidence"
    evidence.mkdir()
    chunks = [(str(evidence), seed, c, records) for c in range(-(-records // CHUNK))]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(chunks)))
    if jobs == 1:
        _init_worker(str(source))
        written = sum(map(_write_chunk, chunks))
    else:
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(str(source),)) as pool:
            written = sum(pool.map(_write_chunk, chunks))
    if written != records:
        raise GenerateError(f"wrote {written} records instead of {records}")
    info = _describe(records, seed, source)
    (out / MARKER).write_text(json.dumps(info) + "\n", encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write a synthetic, valid record set of N records (for the benchmark).",
    )
    parser.add_argument("records", type=int, help="how many evidence records to write")
    parser.add_argument("out", type=Path, help="directory to create (must be empty or absent)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--source", type=Path, default=BUNDLED, help="record set to sample")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all)")
    parser.add_argument(
        "--replace", action="store_true", help="replace an earlier generated set at OUT"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate(args.records, args.out, args.seed, args.source, args.jobs, args.replace)
    except GenerateError as exc:
        print(f"generate: error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(f"wrote {args.records:,} records to {args.out} in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
