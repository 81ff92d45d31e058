"""Controlled vocabularies: the closed sets of values the code itself depends on.

Each set is a `Literal` (what the record model accepts) with, beside it, the words a
researcher uses for its values (what search understands). Open vocabularies (diseases,
factors, pathways, preconditioning stimuli) are data files under `records/vocab/`.
This module imports nothing heavy: search reads it on every query.
"""

from __future__ import annotations

from typing import Literal, get_args

Change = Literal[
    "up",
    "down",
    "inhibited",
    "activated",
    "delivered",
    "enriched",
    "absent",
    "present",
    "modulated",
]
"""How a factor, target or pathway changes: the source's ↑ (up), ↓ (down) and ⊥ (inhibited),
plus `activated` (a pathway switched on), `delivered` (EV cargo transferred to recipient cells),
`enriched` / `absent` (composition: present at high level / missing), `present` (a component,
no direction stated) and `modulated` (changed, direction not stated)."""

Topic = Literal[
    "therapeutic-effect",
    "mechanism",
    "composition",
    "comparison",
    "preconditioning",
    "delivery",
    "limitation",
    "clinical-trial",
    "isolation",
]
"""What kind of claim a record makes: an effect on a disease or condition, a general
mechanism, what the secretome contains, how it compares with other MSC sources, how
preconditioning changes it, how it is delivered, a limitation, a registered trial (or a count
of them), or how the cells are isolated and expanded (a method, not a finding of effect)."""

Tissue = Literal[
    "umbilical cord",
    "Wharton's jelly",
    "umbilical cord blood",
    "umbilical cord perivascular cells",
    "amniotic membrane",
    "placenta",
    "gestational tissues",
    "post-partum tissues",
    "bone marrow",
    "adipose tissue",
    "MSCs in general",
    "unspecified",
]
"""The tissue the MSCs came from, as the source names it. `post-partum tissues` and
`gestational tissues` are used where the source does not say which; `bone marrow` and
`adipose tissue` only where the source compares with them or reports them.
`MSCs in general` marks a statement the source makes about MSCs of any tissue, not about cord or
post-partum cells specifically."""

Fraction = Literal[
    "secretome",
    "conditioned medium",
    "soluble fraction",
    "extracellular vesicles",
    "small extracellular vesicles",
    "exosomes",
    "microvesicles",
    "nanovesicles",
    "apoptotic bodies",
    "cells",
]
"""Which part of the secretome acted. `cells` marks claims the source makes about the
living MSCs (whose secretome it then discusses), not a cell-free product."""

System = Literal["in vitro", "in vivo", "clinical"]
"""The kind of model system a finding comes from."""

FactorClass = Literal[
    "miRNA",
    "cytokine",
    "chemokine",
    "growth factor",
    "neurotrophic factor",
    "hormone",
    "protein",
    "enzyme",
    "receptor",
    "kinase",
    "transcription factor",
    "adhesion molecule",
    "lipid mediator",
    "extracellular vesicle",
    "RNA",
    "drug",
    "other",
]
"""The class of a secreted factor or other molecule in the factor vocabulary."""

DiseaseCategory = Literal[
    "cancer",
    "inflammatory",
    "neurological",
    "skin",
    "cardiovascular",
    "metabolic",
    "respiratory",
    "musculoskeletal",
    "renal",
    "hepatic",
    "reproductive",
    "haematological",
    "infectious",
    "injury",
    "general",
]
"""The category of a disease or condition in the disease vocabulary."""

Organ = Literal[
    "lung",
    "heart",
    "kidney",
    "liver",
    "brain",
    "nerve",
    "gut",
    "joint",
    "bone",
    "muscle",
    "skin",
    "eye",
    "ovary",
    "uterus",
    "pancreas",
    "breast",
    "bladder",
    "prostate",
    "blood",
]
"""The organs a disease of the disease vocabulary affects (its `organs`): a question that names
an organ, or uses its adjective ('pulmonary', 'renal'), reaches every disease of it."""

PreconditioningKind = Literal[
    "hypoxia",
    "inflammatory",
    "3D culture",
    "pharmacological",
    "genetic",
    "physical",
    "other",
]
"""The kind of a preconditioning stimulus."""

Flag = Literal[
    "table-text-mismatch",
    "citation-mismatch",
    "not-umbilical-cord",
    "internal-contradiction",
    "table-layout",
    "source-rows-missing",
    "unverified-reference",
    "pro-tumour",
]
"""Structured marks for a record whose source has a known problem: the review's table and
text disagree; a cited title does not fit the claim; the cited study is not on umbilical-cord
MSCs; the review contradicts itself; the table row is misaligned in the source; the source's
table rows are not available; a numbered reference whose identity is unknown. And one mark of
what the finding is: `pro-tumour`, a finding that is a pro-tumour effect or risk of the
secretome or its parts (not a record that says tumour-promoting factors are absent, nor one
that says a cell-free product avoids a risk of the cells); `secretome conflicts` lists these
records against the anti-tumour records of the same factor or pathway."""

PRO_TUMOUR: Flag = "pro-tumour"
"""The flag of a finding that is a pro-tumour effect or risk."""


def values(literal: object) -> tuple[str, ...]:
    """The allowed values of a `Literal` vocabulary, in declaration order."""
    return tuple(str(v) for v in get_args(literal))


ARROWS: dict[str, str] = {
    "up": "↑",
    "down": "↓",
    "inhibited": "⊥",
    "activated": "↑",
    "delivered": "→",
    "enriched": "↑",
    "absent": "∅",
    "present": "•",
    "modulated": "~",
}
"""The symbol a table shows before a factor, target or pathway for each change."""

DECREASING: frozenset[str] = frozenset({"down", "inhibited", "absent"})
"""Changes that lower or block: what "suppress", "inhibit" or "reduce" in a question means."""
INCREASING: frozenset[str] = frozenset({"up", "activated", "enriched", "delivered"})
"""Changes that raise or switch on: what "activate", "increase" or "promote" means."""

TISSUE_ALIASES: dict[str, tuple[str, ...]] = {
    "umbilical cord": (
        "UC",
        "hUC",
        "cord",
        "umbilical",
        "UC-MSC",
        "hUC-MSC",
        "hUCMSC",
        "hucMSC",
        "UC-hMSC",
        "umbilical cord-derived",
        "UC-derived",
    ),
    "Wharton's jelly": ("WJ", "WJ-MSC", "WJ-hMSC", "Wharton jelly"),
    "umbilical cord blood": ("UCB", "cord blood", "UCB-MSC", "UCB-hMSC"),
    "umbilical cord perivascular cells": ("perivascular", "HUCPVC"),
    "amniotic membrane": ("AM", "amnion", "amniotic", "AM-MSC"),
    "placenta": ("placental", "placenta-MSC", "placental MSC"),
    "gestational tissues": ("gestational",),
    "post-partum tissues": ("PPT", "post-partum", "postpartum", "perinatal", "hPPT"),
    "bone marrow": ("BM", "BM-MSC", "bone marrow-derived"),
    "adipose tissue": ("AD", "AT", "adipose", "adipose-derived", "AD-MSC", "AT-MSC"),
    "MSCs in general": ("general MSCs", "any MSC source", "MSC in general"),
    "unspecified": (),
}
"""Search words for each MSC tissue (abbreviations as the sources write them)."""

GENERAL_TISSUE: Tissue = "MSCs in general"
"""The tissue value of statements about MSCs of any tissue: a question about one tissue finds
them too, below the records on that tissue."""

TISSUE_PARENTS: dict[str, tuple[str, ...]] = {
    "Wharton's jelly": ("umbilical cord",),
    "umbilical cord perivascular cells": ("umbilical cord",),
    "umbilical cord": ("post-partum tissues",),
    "umbilical cord blood": ("post-partum tissues",),
    "amniotic membrane": ("post-partum tissues",),
    "placenta": ("post-partum tissues",),
    "gestational tissues": ("post-partum tissues",),
}
"""Broader tissues: a search for the umbilical cord includes Wharton's jelly."""

FRACTION_ALIASES: dict[str, tuple[str, ...]] = {
    "secretome": ("secretomes",),
    "conditioned medium": ("CM", "conditioned media"),
    "soluble fraction": ("soluble factors", "soluble"),
    "extracellular vesicles": (
        "EV",
        "EVs",
        "extracellular vesicle",
        "vesicles",
        "vesicular fraction",
    ),
    "small extracellular vesicles": ("sEV", "sEVs", "small EVs"),
    "exosomes": ("exosome", "exo", "exosomal", "hucMSC-exo", "hUC-MSC-exosomes"),
    "microvesicles": ("MV", "MVs", "microvesicle"),
    "nanovesicles": ("nanovesicle",),
    "apoptotic bodies": ("apoptotic body",),
    "cells": ("MSCs", "cell therapy", "living cells"),
}
"""Search words for each secretome fraction."""

FRACTION_PARENTS: dict[str, tuple[str, ...]] = {
    "exosomes": ("extracellular vesicles",),
    "small extracellular vesicles": ("extracellular vesicles",),
    "microvesicles": ("extracellular vesicles",),
    "nanovesicles": ("extracellular vesicles",),
    "apoptotic bodies": ("extracellular vesicles",),
    "extracellular vesicles": ("secretome",),
    "conditioned medium": ("secretome",),
    "soluble fraction": ("secretome",),
}
"""Broader fractions: a search for EVs includes exosomes and microvesicles."""

SYSTEM_ALIASES: dict[str, tuple[str, ...]] = {
    "in vitro": ("invitro", "cell culture", "cell line"),
    "in vivo": ("invivo", "animal", "animal model", "preclinical"),
    "clinical": ("clinical trial", "trial", "patients", "human trial"),
}
"""Search words for each model system."""

FACTOR_CLASS_ALIASES: dict[str, tuple[str, ...]] = {
    "miRNA": ("miRNAs", "microRNA", "microRNAs", "miR", "miRs", "mirna"),
    "cytokine": ("cytokines", "interleukin", "interleukins"),
    "chemokine": ("chemokines",),
    "growth factor": ("growth factors", "GF"),
    "neurotrophic factor": (
        "neurotrophic factors",
        "neurotrophin",
        "neurotrophins",
        "neurotrophic",
    ),
    "hormone": ("hormones",),
    "protein": ("proteins",),
    "enzyme": ("enzymes",),
    "receptor": ("receptors",),
    "kinase": ("kinases",),
    "transcription factor": ("transcription factors",),
    "adhesion molecule": ("adhesion molecules",),
    "lipid mediator": ("lipid mediators", "lipids", "lipid"),
    "extracellular vesicle": (),
    "RNA": ("RNAs", "lncRNA", "circRNA", "non-coding RNA"),
    "drug": ("drugs",),
    "other": (),
}
"""Search words for each factor class."""

ORGAN_ALIASES: dict[str, tuple[str, ...]] = {
    "lung": ("lungs", "pulmonary", "respiratory", "airway", "airways", "alveolar", "alveoli"),
    "heart": (
        "cardiac",
        "myocardial",
        "myocardium",
        "cardiomyocyte",
        "cardiomyocytes",
        "heart muscle",
    ),
    "kidney": ("kidneys", "renal", "nephron", "glomerular", "glomeruli"),
    "liver": ("hepatic", "hepatocyte", "hepatocytes"),
    "brain": (
        "cerebral",
        "cerebrum",
        "CNS",
        "central nervous system",
        "hippocampus",
        "hippocampal",
    ),
    "nerve": (
        "nerves",
        "neural",
        "neuronal",
        "neuron",
        "neurons",
        "nervous system",
        "spinal",
        "nerve cells",
        "peripheral nerve",
    ),
    "gut": (
        "intestine",
        "intestines",
        "intestinal",
        "bowel",
        "bowels",
        "colon",
        "colonic",
        "gastrointestinal",
        "digestive",
        "small intestine",
        "large intestine",
        "rectum",
        "rectal",
        "ileum",
        "ileal",
    ),
    "joint": ("joints", "articular", "cartilage", "synovial", "synovium"),
    "bone": ("bones", "skeletal", "osseous", "skeleton", "bony"),
    "muscle": ("muscles", "muscular", "skeletal muscle", "muscle fibers"),
    "skin": ("cutaneous", "dermal", "epidermal", "dermis", "epidermis"),
    "eye": ("eyes", "ocular", "retina", "retinal", "cornea", "corneal", "ophthalmic"),
    "ovary": ("ovaries", "ovarian"),
    "uterus": ("uterine", "endometrium", "endometrial", "womb", "uterine lining"),
    "pancreas": ("pancreatic", "islet", "islets", "pancreatic islets"),
    "breast": ("breasts", "mammary", "mammary gland"),
    "bladder": ("urinary bladder", "urothelial"),
    "prostate": ("prostatic", "prostate gland"),
    "blood": ("haematological", "hematological", "bloodstream", "hematologic"),
}
"""Search words for each organ: the lay word, its plural and its adjectives."""

TOPIC_ALIASES: dict[str, tuple[str, ...]] = {
    "therapeutic-effect": ("therapeutic effect", "therapeutic effects", "effect on disease"),
    "mechanism": ("mechanism of action", "mode of action"),
    "composition": ("composition", "contents", "cargo", "constituents"),
    "comparison": ("comparison", "compared", "comparative", "versus", "vs"),
    "preconditioning": ("priming", "primed", "pretreatment", "pretreated", "preconditioned"),
    "delivery": ("delivery", "drug delivery", "drug carrier", "drug carriers", "carrier"),
    "limitation": (
        "limitation",
        "limitations",
        "challenge",
        "challenges",
        "drawback",
        "risk",
        "risks",
        "safety concern",
    ),
    "clinical-trial": ("clinical trial", "clinical trials", "registered trial", "registered study"),
    "isolation": (
        "isolation",
        "isolated",
        "isolate",
        "isolating",
        "isolation method",
        "isolation methods",
    ),
}
"""Search words for each record topic."""

CHANGE_ALIASES: dict[str, tuple[str, ...]] = {
    "up": ("increased", "increase", "upregulated", "up-regulated", "elevated", "raised", "↑"),
    "down": ("decreased", "decrease", "downregulated", "down-regulated", "reduced", "↓"),
    "inhibited": ("inhibition", "inhibit", "blocked", "⊥"),
    "activated": ("activation", "activate", "switched on"),
    "delivered": ("transferred", "carried", "shuttled", "→"),
    "enriched": ("abundant", "high level"),
    "absent": ("missing", "lacking", "not detected", "∅"),
    "present": ("detected", "contained"),
    "modulated": ("changed", "altered", "regulated", "~"),
}
"""Other words for each change, as a curator may write them (`increased` is `up`): what
validation suggests for a value that is not allowed, before values that are merely spelt
alike."""

VALUE_ALIASES: tuple[dict[str, tuple[str, ...]], ...] = (
    CHANGE_ALIASES,
    TOPIC_ALIASES,
    TISSUE_ALIASES,
    FRACTION_ALIASES,
    SYSTEM_ALIASES,
    FACTOR_CLASS_ALIASES,
)
"""The other words of each closed vocabulary's values, for `meaning`."""


def meaning(given: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    """The allowed value that `given` is another word for ('increased' → 'up'), or None."""
    word = given.strip().casefold()
    for aliases in VALUE_ALIASES:
        for value, words in aliases.items():
            if value in allowed and word in (w.casefold() for w in words):
                return value
    return None
