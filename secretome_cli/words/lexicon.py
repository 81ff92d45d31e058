"""The lexicon: every word list the query parser uses, in one place.

Each list is written as a researcher would type its words and stored in one normal form,
`entry()`: the word's folded tokens joined and Snowball-stemmed (`normalize.word_stem`). A
question's words are looked up through the same function (`is_stop`, `direction`, …), so
"signalling", "signaling" and "signals" meet, and "downregulating" needs no entry of its own.
Vocabularies of terms (diseases, factors, pathways, organs …) are data files under
`records/vocab/` and the closed sets of `model/controlled.py`, not word lists here.
"""

from __future__ import annotations

from functools import lru_cache

from secretome_cli.words.normalize import word_stem, words


@lru_cache(maxsize=65536)
def entry(text: str) -> str:
    """The lexicon's normal form of a word (or a hyphenated word): 'Down-regulates' →
    'downregul', 'signalling' → 'signal', 'studies' → 'studi'."""
    return word_stem("".join(words(text)))


def _normal(raw: str) -> frozenset[str]:
    return frozenset(entry(w) for w in raw.split())


QUESTION_WORDS_RAW = """
    a about across act affect all also among an and any are as at be been being between both
    but by can cause could did do does doing done each effect evidence find for from function
    give given has have how i in into involve is it its list me mechanism of on or please
    regulate role show shown some study such than that the their them there these they this
    those through to tell used using via was what when where which who whose why will with
    work would reported report known should may might must shall mean means main way ways
    kind kinds type types anything something kept
"""
"""Question and filler words: never matched against record text."""

FIELD_WORDS_RAW = """
    secretome factor target pathway molecule signalling signaling record finding paper
    citation reference model source secreted paracrine treatment therapy therapeutic msc
    hmsc stem cell mesenchymal human derived
"""
"""Words that name a field or the tool's subject as a whole: they narrow nothing."""

WEAK_WORDS_RAW = """
    help treat heal repair protect improve benefit promote useful effective potential
    possible new better good use play role level levels patient outcome result
"""
"""Content-light words of a question ('does it help', 'can it repair'): matched against
record text like any word, but counted at a fraction of a content word's weight and never
taken as the question's focus."""

DOWN_WORDS_RAW = """
    suppress inhibit reduce lower block downregulate down-regulate decrease attenuate dampen
    silence limit prevent diminish
"""
"""Verbs asking for what lowers or blocks the next concept."""

UP_WORDS_RAW = """
    activate increase upregulate up-regulate enhance raise induce stimulate boost
"""
"""Verbs asking for what raises or switches on the next concept. ('promote' is weak: it
mostly asks about an effect, 'promote healing', not a direction.)"""

ROLE_WORDS_RAW = "target targeting hits"
"""Words asking for what acts on the next concept as a target."""

GENERIC_RAW = """
    disease disorder syndrome condition injury cancer tumor model signaling pathway factor cell
    growth acute chronic type human
"""
"""Words too general to stand for a disease or pathway by partial name."""

TISSUE_CUES_RAW = """
    msc hmsc stem cell derived tissue secretome exosome ev vesicle conditioned medium cm
    source from blood origin isolated
"""
"""Words after an ambiguous abbreviation that say it names a tissue ('UC-derived EVs')."""

DISEASE_CUES_RAW = """
    in on for against treat treatment patient model mice mouse rat colitis disease therapy with
    of
"""
"""Words around an ambiguous abbreviation that say it names a disease ('in UC', 'UC mice')."""

CONDITION_HEADS_RAW = """
    disease disorder syndrome failure deficiency infection fibrosis cirrhosis stone pain
    poisoning shock
"""
"""Words that end the name of a disease or condition ('sickle cell disease', 'liver
fibrosis'). A name of this shape that is no vocabulary term is read as one condition that the
records must name as a whole, not as its separate words."""

GENERIC_HEADS_RAW = "disease disorder syndrome"
"""Condition heads that, after an organ, mean any disease of it ('kidney disease'); a failure
of an organ is a condition of its own ('heart failure' is no myocardial infarction)."""

CONDITION_SUFFIXES = ("itis", "osis", "iasis", "emia", "aemia")
"""Endings of a word that names a condition on its own ('psoriasis', 'hepatitis')."""

RARE_NAMED_SUFFIXES = ("sis", "ema", "us")
"""Endings of a disease's name that ordinary words share ('sepsis' and 'basis', 'lymphedema'
and 'cinema', 'lupus' and 'focus'): they count for a word that is also rare."""

NAMED_SUFFIXES = (
    "itis", "osis", "oma", "aemia", "emia", "pathy", "iasis", "plasia", "algia", "philia",
    "phrenia", "ia",
)  # fmt: skip
"""Endings of a word that name a disease or condition ('lupus nephritis', 'glaucoma')."""

ORDINARY_SUFFIXES = (
    "ate", "ise", "ize", "en", "ing", "ed", "ly", "ive", "ous", "ful", "ance", "ence",
    "ment", "ness", "ion", "able", "ible", "al", "er", "ity", "ify", "ic",
)  # fmt: skip
"""Endings of ordinary English verbs, adjectives and abstract nouns ('rebalance', 'dampen',
'remyelination'): a rare word of this shape is not taken for the name of a thing."""

ALTERNATIVE_WORDS = frozenset({"or", "either", "vs", "versus", "compared", "comparison"})
"""Words that join a question's subjects as alternatives or a comparison ('ovarian or liver
cancer', 'UC-MSC vs AD-MSC'): a record of either answers. (Raw words, as `words` gives them.)"""

INFLECTIONS = ("ing", "ed", "ly")
"""Endings of an inflected verb or an adverb ('clumping'): however rare, no thing's name."""

NAMED_HEADS_RAW = "disease syndrome disorder cancer carcinoma failure injury"
"""Head words of a condition's name ('graft-versus-host disease')."""

PREFIXES_RAW = "anti pro non"
"""Prefixes a question may write closed up where the records hyphenate ('antiangiogenic',
'anti-angiogenic'): a word no record holds that is one of them and a word the records hold
is read as the two."""

ORDINARY_PREFIXES = ("re", "un", "over", "under", "out", "mis", "dis", "pre", "co")
"""Everyday English prefixes: a rare word that is one of them and a common word ('regrow',
'underfed', 'outgrow') is an ordinary word, not the name of a thing."""

CAUSE_WORDS_RAW = "induced associated"
"""The second word of a cause written before a condition ('cisplatin-induced kidney injury',
'ventilator-associated pneumonia'): the first word names the cause."""

TEXT_ABBREVIATIONS: dict[str, str] = {
    "EMT": "epithelial-mesenchymal transition",
    "TME": "tumour microenvironment",
    "BBB": "blood-brain barrier",
    "NIH": "National Institutes of Health",
    "ECM": "extracellular matrix",
    "CTL": "cytotoxic T-cell",
    "CTLs": "cytotoxic T-cells",
    "CAF": "cancer-associated fibroblast",
    "CAFs": "cancer-associated fibroblasts",
    "FLS": "fibroblast-like synoviocyte",
    "CIA": "collagen-induced arthritis",
    "DSS": "dextran sulfate sodium",
    "TNBS": "trinitrobenzene sulfonic acid",
    "HSC": "haematopoietic stem cell",
    "HSCs": "haematopoietic stem cells",
    "Treg": "regulatory T cell",
    "Tregs": "regulatory T cells",
    "EPR": "enhanced permeability and retention",
    "GMP": "good manufacturing practice",
    "NK": "natural killer",
}
"""Abbreviations of processes and cell types that records write out in full or abbreviate:
a search for either finds both."""

QUESTION_WORDS = _normal(QUESTION_WORDS_RAW)
FIELD_WORDS = _normal(FIELD_WORDS_RAW)
WEAK_WORDS = _normal(WEAK_WORDS_RAW)
DOWN_WORDS = _normal(DOWN_WORDS_RAW)
UP_WORDS = _normal(UP_WORDS_RAW)
ROLE_WORDS = _normal(ROLE_WORDS_RAW)
GENERIC = _normal(GENERIC_RAW)
TISSUE_CUES = _normal(TISSUE_CUES_RAW)
DISEASE_CUES = _normal(DISEASE_CUES_RAW)
CONDITION_HEADS = _normal(CONDITION_HEADS_RAW)
GENERIC_HEADS = _normal(GENERIC_HEADS_RAW)
NAMED_HEADS = _normal(NAMED_HEADS_RAW)
CAUSE_WORDS = _normal(CAUSE_WORDS_RAW)
PREFIXES = tuple(PREFIXES_RAW.split())
DISEASE_CUES_BEFORE = DISEASE_CUES - _normal("from of")
"""Disease cues that count when they stand just before the abbreviation."""
DISEASE_CUES_AFTER = DISEASE_CUES - _normal("in on for with of")
"""Disease cues that count when they follow it."""

LISTS: dict[str, str] = {
    "question": QUESTION_WORDS_RAW,
    "field": FIELD_WORDS_RAW,
    "weak": WEAK_WORDS_RAW,
    "down": DOWN_WORDS_RAW,
    "up": UP_WORDS_RAW,
    "role": ROLE_WORDS_RAW,
    "generic": GENERIC_RAW,
    "tissue cue": TISSUE_CUES_RAW,
    "disease cue": DISEASE_CUES_RAW,
    "condition head": CONDITION_HEADS_RAW,
    "named head": NAMED_HEADS_RAW,
    "cause": CAUSE_WORDS_RAW,
    "prefix": PREFIXES_RAW,
    "generic head": GENERIC_HEADS_RAW,
}
"""Every list by name, as written (a test feeds each entry through `entry`)."""


def is_stop(token: str) -> bool:
    """A question or filler word."""
    return entry(token) in QUESTION_WORDS


def is_field_word(token: str) -> bool:
    """A word that names a field or the subject as a whole."""
    return entry(token) in FIELD_WORDS


def is_weak(token: str) -> bool:
    """A content-light word."""
    return entry(token) in WEAK_WORDS


def is_generic(token: str) -> bool:
    """A word too general to stand for a term by partial name."""
    return entry(token) in GENERIC


def is_condition_head(token: str) -> bool:
    """A word that ends a disease name: 'disease', 'failure', or a word in -itis, -osis …"""
    return entry(token) in CONDITION_HEADS or "".join(words(token)).endswith(CONDITION_SUFFIXES)


def direction(token: str) -> str | None:
    """'down' or 'up' for a direction verb in any form, else None."""
    normal = entry(token)
    if normal in DOWN_WORDS:
        return "down"
    if normal in UP_WORDS:
        return "up"
    return None


def role(token: str) -> str | None:
    """'target' for a word asking for targets, else None."""
    return "target" if entry(token) in ROLE_WORDS else None
