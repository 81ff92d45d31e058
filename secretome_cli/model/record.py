"""The record model: every field of an evidence record, its type and a one-line description.

This module is the one place that defines what a record, a vocabulary entry and a
bibliography entry are. The committed JSON Schema (`schema/record.schema.json`) is generated
from it (`secretome schema`), and a test fails when the committed copy is stale.

Controlled vocabularies that the code itself depends on (directions, topics, MSC tissues,
secretome fractions, model systems, factor classes, disease categories) are the `Literal`s
of `controlled.py`. Open vocabularies (diseases, factors and other molecules, pathways,
preconditioning stimuli) are data files under `records/vocab/`, described by the entry models
below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from secretome_cli.model.controlled import (
    Change,
    DiseaseCategory,
    FactorClass,
    Flag,
    Fraction,
    Organ,
    PreconditioningKind,
    System,
    Tissue,
    Topic,
)

SCHEMA_VERSION = 1
"""The record schema version this tool reads and writes."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*[0-9]{4}[a-z]?$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Doi = Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$", max_length=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- the evidence record -----------------------------------------------------------------


class ChangelogEntry(_Strict):
    """One dated edit of a record."""

    revision: int = Field(ge=1, description="The revision this edit produced.")
    date: dt.date = Field(description="When the edit was made (YYYY-MM-DD).")
    change: Text = Field(description="What changed, in a sentence.")


class DiseaseRef(_Strict):
    """A disease or condition the claim is about."""

    name: Name = Field(description="Canonical name from the disease vocabulary.")
    context: Name | None = Field(
        default=None,
        description="The experimental disease model the source names, e.g. 'DSS-induced colitis'.",
    )


class Source(_Strict):
    """Where the secretome came from."""

    tissues: list[Tissue] = Field(
        default_factory=list, description="MSC tissue(s) of origin; empty when not stated."
    )
    fraction: Fraction = Field(description="Which fraction of the secretome acted.")
    preconditioning: list[Name] = Field(
        default_factory=list,
        description="Preconditioning stimuli (names from the preconditioning vocabulary).",
    )


class FactorRef(_Strict):
    """A secreted factor, with how it changes."""

    name: Name = Field(description="Canonical name from the factor vocabulary.")
    change: Change = Field(description="How the factor changes (up, down, delivered ...).")
    note: Text | None = Field(default=None, description="Anything the source adds about it.")


class TargetRef(_Strict):
    """A molecular target the factors act on, with how it changes."""

    name: Name = Field(description="Canonical name from the factor (molecule) vocabulary.")
    change: Change = Field(description="How the target changes.")
    note: Text | None = Field(default=None, description="Anything the source adds about it.")


class PathwayRef(_Strict):
    """A signalling pathway, with how it changes."""

    name: Name = Field(description="Canonical name from the pathway vocabulary.")
    change: Change = Field(description="How the pathway changes (activated, inhibited ...).")


class Model(_Strict):
    """The experimental model a finding comes from."""

    systems: list[System] = Field(
        default_factory=list, description="in vitro / in vivo / clinical; empty when not stated."
    )
    organisms: list[Name] = Field(
        default_factory=list, description="Organisms, e.g. 'mouse', 'rat', 'human'."
    )
    cells: list[Name] = Field(
        default_factory=list, description="Cell types or lines, e.g. 'colonic macrophages'."
    )
    description: Text | None = Field(
        default=None, description="The model in a phrase, where the source describes it."
    )


class Provenance(_Strict):
    """Where in the review the claim is stated."""

    source: Key = Field(description="Bibliography key of the review the claim was curated from.")
    section: Name | None = Field(
        default=None, description="Section number and title as the review gives them."
    )
    table: Name | None = Field(
        default=None, description="Table or figure, e.g. 'Table 1' or 'Fig. 1 (caption)'."
    )
    row: Name | None = Field(default=None, description="Table row, as the review labels it.")
    refs: list[int] = Field(
        default_factory=list,
        description="The review's numbered references cited for the claim (numbered reviews).",
    )


class Record(_Strict):
    """One evidence record: a single claim of a source, with its factors, targets and citations."""

    schema_version: Literal[1] = Field(description="Record schema version; this tool reads 1.")
    id: Slug = Field(description="Stable identifier; equal to the file name without '.yaml'.")
    revision: int = Field(ge=1, description="Grows by one with each edit of the record.")
    updated: dt.date = Field(description="Date of the latest edit.")
    changelog: list[ChangelogEntry] = Field(
        min_length=1, description="The record's own edits, oldest first."
    )
    claim: Text = Field(description="The finding in one line, in our own words.")
    topic: Topic = Field(description="What kind of claim this is.")
    diseases: list[DiseaseRef] = Field(
        default_factory=list,
        description="Diseases or conditions the claim is about; empty for general claims.",
    )
    organs: list[Organ] = Field(
        default_factory=list,
        description="For a record with no disease: the organs or systems its passage names "
        "(a disease carries its own organs in the disease vocabulary).",
    )
    source: Source = Field(description="MSC tissue, secretome fraction and preconditioning.")
    factors: list[FactorRef] = Field(
        default_factory=list, description="Secreted factors the claim names, with their change."
    )
    targets: list[TargetRef] = Field(
        default_factory=list, description="Molecular targets, with their change."
    )
    pathways: list[PathwayRef] = Field(
        default_factory=list, description="Signalling pathways, with their change."
    )
    drugs: list[Name] = Field(
        default_factory=list,
        description="Drugs the claim involves (e.g. chemotherapy it sensitises to), from the "
        "factor vocabulary (class 'drug').",
    )
    outcomes: list[Name] = Field(
        default_factory=list, description="Outcomes as short phrases, e.g. 'reduced pyroptosis'."
    )
    mechanism: Text = Field(description="How it works, in our own words.")
    model: Model = Field(description="The experimental model.")
    citations: list[Key] = Field(
        default_factory=list,
        description="Bibliography keys of the studies the source credits for the claim.",
    )
    provenance: Provenance = Field(description="Where in the review the claim is stated.")
    flags: list[Flag] = Field(
        default_factory=list,
        description="Known problems of the source for this claim; `pro-tumour` for a finding "
        "that is a pro-tumour effect or risk.",
    )
    notes: list[Text] = Field(
        default_factory=list,
        description="Curation notes: ambiguities, discrepancies and decisions, in our words.",
    )
    see_also: list[Slug] = Field(default_factory=list, description="Ids of related records.")


# --- vocabularies ------------------------------------------------------------------------


class DiseaseEntry(_Strict):
    """A disease or condition of the disease vocabulary."""

    name: Name = Field(description="Canonical name.")
    category: DiseaseCategory = Field(description="Category of the disease.")
    organs: list[Organ] = Field(
        default_factory=list,
        description="The organs it affects: a question naming one reaches this disease.",
    )
    parents: list[Name] = Field(
        default_factory=list, description="Broader diseases (canonical names) that include it."
    )
    abbreviations: list[Name] = Field(default_factory=list, description="Abbreviations, e.g. 'UC'.")
    synonyms: list[Name] = Field(
        default_factory=list, description="Other names, including the sources' spellings."
    )


class FactorEntry(_Strict):
    """A secreted factor or other molecule of the factor vocabulary."""

    name: Name = Field(description="Canonical name.")
    class_: FactorClass = Field(alias="class", description="Class of the molecule.")
    aliases: list[Name] = Field(
        default_factory=list, description="Other names, symbols and the sources' spellings."
    )
    parents: list[Name] = Field(
        default_factory=list,
        description="Broader entries (canonical names), e.g. a miRNA family or a protein family.",
    )


class PathwayEntry(_Strict):
    """A signalling pathway of the pathway vocabulary."""

    name: Name = Field(description="Canonical name.")
    aliases: list[Name] = Field(
        default_factory=list, description="Other names and the sources' spellings."
    )
    parents: list[Name] = Field(
        default_factory=list, description="Broader pathways (canonical names) that include it."
    )


class PreconditioningEntry(_Strict):
    """A preconditioning stimulus of the preconditioning vocabulary."""

    name: Name = Field(description="Canonical name.")
    kind: PreconditioningKind = Field(description="Kind of stimulus.")
    aliases: list[Name] = Field(default_factory=list, description="Other names.")


class ProcessEntry(_Strict):
    """A biological process or outcome of the process vocabulary, with the words researchers
    use for it ('angiogenesis': 'blood vessel formation', 'neovascularisation')."""

    name: Name = Field(description="Canonical name.")
    aliases: list[Name] = Field(
        default_factory=list, description="Other names, lay words and word forms."
    )
    related: list[Name] = Field(
        default_factory=list,
        description="Processes a question about this one also asks about, more weakly.",
    )


# --- bibliography and dataset ------------------------------------------------------------


class Reference(_Strict):
    """One entry of the bibliography, exactly as the source's reference list gives it."""

    key: Key = Field(description="Citation key, e.g. 'cai2021' (first author, year, letter).")
    type: Literal["article", "review", "abstract", "trial-registration"] = Field(
        default="article", description="Kind of publication."
    )
    authors: list[Name] = Field(
        description="Authors as the source gives them, 'et al.' kept; empty where it gives none."
    )
    year: int = Field(ge=1900, le=2100, description="Publication year.")
    title: Text = Field(description="Title as the reference list gives it.")
    journal: Name | None = Field(default=None, description="Journal abbreviation as given.")
    volume: Name | None = Field(default=None, description="Volume.")
    issue: Name | None = Field(default=None, description="Issue.")
    pages: Name | None = Field(default=None, description="Pages or article number.")
    doi: Doi | None = Field(
        default=None,
        description="DOI as the source gives it, lower case; none where it gives none.",
    )
    identifier: Name | None = Field(
        default=None, description="Another identifier the source gives (trial registry number)."
    )
    source: Name = Field(description="Which file under ../shared/ gives this reference.")
    note: Text | None = Field(default=None, description="Anything odd about the entry.")


class Bibliography(_Strict):
    """The bibliography file: every reference a record cites."""

    schema_version: Literal[1] = Field(description="Bibliography schema version.")
    references: list[Reference] = Field(description="The references, sorted by key.")


class Dataset(_Strict):
    """The dataset description file `records/dataset.yaml`."""

    schema_version: Literal[1] = Field(description="Dataset file schema version.")
    name: Name = Field(description="Name of the record set.")
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")] = Field(
        description="Semantic version of the record set."
    )
    released: dt.date = Field(description="Date of this version.")
    release: Name | None = Field(
        default=None,
        description="What this version is, in a phrase (the curation pass it closes); "
        "records/CHANGELOG.md says what it changed.",
    )
    description: Text = Field(description="What the record set covers.")


class _VocabularyFile(_Strict):
    """What every vocabulary file holds besides its list."""

    schema_version: Literal[1] = Field(description="Vocabulary file schema version.")


class DiseaseVocabulary(_VocabularyFile):
    """The disease vocabulary file."""

    diseases: list[DiseaseEntry] = Field(description="Diseases and conditions.")


class FactorVocabulary(_VocabularyFile):
    """The factor (molecule) vocabulary file."""

    factors: list[FactorEntry] = Field(description="Factors and other molecules.")


class PathwayVocabulary(_VocabularyFile):
    """The pathway vocabulary file."""

    pathways: list[PathwayEntry] = Field(description="Signalling pathways.")


class ProcessVocabulary(_VocabularyFile):
    """The process vocabulary file: processes and outcomes that records name in their text."""

    processes: list[ProcessEntry] = Field(description="Processes and outcomes.")


class PreconditioningVocabulary(_VocabularyFile):
    """The preconditioning vocabulary file."""

    preconditioning: list[PreconditioningEntry] = Field(description="Preconditioning stimuli.")


@dataclass(frozen=True)
class VocabularyFile:
    """One open vocabulary: its file under records/vocab/, the key of its entry list, and the
    model of the file."""

    filename: str
    listkey: str
    model: type[BaseModel]


VOCABULARY_FILES = {
    "disease": VocabularyFile("diseases.yaml", "diseases", DiseaseVocabulary),
    "factor": VocabularyFile("factors.yaml", "factors", FactorVocabulary),
    "pathway": VocabularyFile("pathways.yaml", "pathways", PathwayVocabulary),
    "preconditioning": VocabularyFile(
        "preconditioning.yaml", "preconditioning", PreconditioningVocabulary
    ),
    "process": VocabularyFile("processes.yaml", "processes", ProcessVocabulary),
}
"""Every open vocabulary, by the kind of its terms."""
