"""Text normalisation: the rules that make two spellings of one term compare equal.

`fold` lowers case, applies Unicode compatibility forms, spells Greek letters as Latin
letters, drops possessives and maps British to American spelling. `words` splits folded text
into stemmed word tokens. `key` joins the words of a term into one compact key, so that
"TGF-β", "TGF- β", "TGF beta" and "tgfb" share the key "tgfb", and "PI3K/AKT", "PI3K-Akt" and
"PI3K AKT" share "pi3kakt". `mirna` parses miRNA names ("miR-146a", "mir146a",
"microRNA-146a", "hsa-miR-146a-5p", "let-7a") into stem, member and arm.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_GREEK = {
    "α": "a",
    "β": "b",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "κ": "k",
    "λ": "l",
    "μ": "u",
    "µ": "u",
    "θ": "th",
    "ω": "o",
    "σ": "s",
    "τ": "t",
    "φ": "f",
    "ψ": "ps",
    "χ": "ch",
    "η": "e",
    "ζ": "z",
}
_GREEK_NAMES = re.compile(r"(?<![a-z])(alpha|beta|gamma|delta|epsilon|kappa|lambda)(?![a-z])")
_GREEK_LETTER = {
    "alpha": "a",
    "beta": "b",
    "gamma": "g",
    "delta": "d",
    "epsilon": "e",
    "kappa": "k",
    "lambda": "l",
}

# British → American spellings that occur in the field (applied to whole folded text).
_SPELLING = [
    ("haemorrhag", "hemorrhag"),
    ("haemato", "hemato"),
    ("haemo", "hemo"),
    ("leukaem", "leukem"),
    ("anaem", "anem"),
    ("ischaem", "ischem"),
    ("glycaem", "glycem"),
    ("oedem", "edem"),
    ("oesophag", "esophag"),
    ("paediatr", "pediatr"),
    ("tumour", "tumor"),
    ("signalling", "signaling"),
    ("polarisation", "polarization"),
    ("polarise", "polarize"),
    ("behaviour", "behavior"),
    ("colour", "color"),
    ("favour", "favor"),
    ("haematopoie", "hematopoie"),
    ("foetal", "fetal"),
    ("stabilis", "stabiliz"),
    ("characteris", "characteriz"),
    ("minimis", "minimiz"),
    ("immunis", "immuniz"),
    ("optimis", "optimiz"),
    ("neutralis", "neutraliz"),
    ("localis", "localiz"),
    ("metabolis", "metaboliz"),
    ("utilis", "utiliz"),
    ("standardis", "standardiz"),
    ("randomis", "randomiz"),
    ("caesar", "cesar"),
    ("anaesth", "anesth"),
    ("gynaecolog", "gynecolog"),
    ("oestrogen", "estrogen"),
    ("diarrhoea", "diarrhea"),
    ("judgement", "judgment"),
    ("ageing", "aging"),
    ("mould", "mold"),
    ("fibre", "fiber"),
    ("centre", "center"),
    ("litre", "liter"),
    ("metre", "meter"),
]
_SPELLING_RE = re.compile("|".join(re.escape(b) for b, _ in _SPELLING))
_SPELLING_MAP = dict(_SPELLING)

_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "−": "-",
        "⁺": "+",
        "⁻": "-",
        "₂": "2",
        "₁": "1",
    }
)
_POSSESSIVE = re.compile(r"(\w)'s\b")
_WORD = re.compile(r"[a-z0-9]+")
_KEEP_S = ("ss", "us", "is")
_NOT_PLURAL = frozenset(
    {"pancreas", "bias", "atlas", "alias", "has", "was", "gas", "lens", "canvas", "als"}
)
"""Words in -s that are no plural: 'als' is the abbreviation ALS, not the plural of the 'al'
of 'et al.' (which every citation holds)."""


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, NFKC, Greek spelled as Latin letters, no possessives, American spelling."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = "".join(_GREEK.get(ch, ch) for ch in text.lower())
    text = _GREEK_NAMES.sub(lambda m: _GREEK_LETTER[m.group(1)], text)
    text = _POSSESSIVE.sub(r"\1", text)
    text = _SPELLING_RE.sub(lambda m: _SPELLING_MAP[m.group(0)], text)
    return text


def stem(word: str) -> str:
    """A light plural stem: 'diseases' → 'disease', 'therapies' → 'therapy', 'colitis' kept."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if (
        len(word) > 2
        and word.endswith("s")
        and not word.endswith(_KEEP_S)
        and word not in _NOT_PLURAL
    ):
        return word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    """The folded, stemmed word tokens of `text` (the same as splitting `fold(text)` and
    stemming each word, but folded word by word, which is much faster on long text)."""
    if text.isascii() and "`" not in text:  # no quote or Greek letter to replace
        lowered = text.lower()
    else:
        lowered = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES_AND_GREEK)
    lowered = _POSSESSIVE.sub(r"\1", lowered)
    return tuple(_word(w) for w in _WORD.findall(lowered))


_QUOTES_AND_GREEK = {**_QUOTES, **str.maketrans(_GREEK)}


@lru_cache(maxsize=131072)
def _word(word: str) -> str:
    """One lower-case word folded and stemmed: a Greek letter's name becomes its letter,
    British spelling American."""
    word = _GREEK_NAMES.sub(lambda m: _GREEK_LETTER[m.group(1)], word)
    return stem(_SPELLING_RE.sub(lambda m: _SPELLING_MAP[m.group(0)], word))


@lru_cache(maxsize=1)
def _snowball() -> Any:
    import Stemmer  # PyStemmer: the Snowball stemmers, compiled; imported on first use

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=131072)
def word_stem(word: str) -> str:
    """The Snowball (Porter 2) stem of one folded word: 'healing' and 'heals' → 'heal',
    'protection' → 'protect', 'isolated' and 'isolation' → 'isol'. Search compares the words
    of a question with those of a record by it, so that word forms meet."""
    return str(_snowball().stemWord(word))


_DERIVATIONAL = (
    "ation",
    "ment",
    "ness",
    "ance",
    "ence",
    "ity",
    "ion",
    "ive",
    "age",
    "osi",
    "ag",
    "ure",
    "ur",
    "al",
    "ot",
    "e",
    "i",
    "y",
)
"""Endings the stemmer leaves on one of a derivational pair ('storag'/'store',
'injuri'/'injur', 'treatment'/'treat', 'failur'/'fail', 'apoptosi'/'apoptot'), longest
first."""


@lru_cache(maxsize=131072)
def word_root(word: str) -> str:
    """The derivational root of one folded word: its stem without one derivational ending
    (when at least four letters remain) and without a doubled last letter. 'storage' and
    'stored' → 'stor', 'injury' and 'injured' → 'injur', 'inflammation' and 'inflamed' →
    'inflam'. Coarser than the stem: search counts a root match as weaker evidence."""
    base = word_stem(word)
    for ending in _DERIVATIONAL:
        if base.endswith(ending) and len(base) - len(ending) >= 4:
            base = base[: -len(ending)]
            break
    if len(base) > 4 and base[-1] == base[-2]:
        base = base[:-1]
    return base


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """One compact comparison key for a term: its words joined without separators."""
    mir = mirna(text)
    if mir is not None:
        return mir.key
    return "".join(words(text))


@dataclass(frozen=True)
class MirnaName:
    """A parsed miRNA name: `let7` / `mir146` stem, member letter(s) and arm."""

    stem: str
    member: str
    arm: str

    @property
    def key(self) -> str:
        """The compact key: stem, member and arm joined."""
        return f"{self.stem}{self.member}{self.arm}"

    def matches(self, other: MirnaName) -> bool:
        """True when `self`, read as a query, covers `other`: an arm-less query covers every
        arm, a member-less one every member, and an arm-specific one also covers names that
        do not state an arm (see `relation`)."""
        return self.relation(other) is not None

    def relation(self, other: MirnaName) -> str | None:
        """How `other` answers `self` read as a query: 'same', 'miRNA arm' (any arm of an
        arm-less query), 'miRNA family' (a member of a member-less query), 'arm not stated'
        (an arm-specific query meets a name without an arm), or None."""
        if self.stem != other.stem or (self.member and self.member != other.member):
            return None
        if self.arm and other.arm and self.arm != other.arm:
            return None
        if self.member != other.member:
            return "miRNA family"
        if self.arm == other.arm:
            return "same"
        return "miRNA arm" if not self.arm else "arm not stated"


_MIRNA = re.compile(
    r"^(?:hsa|mmu|rno)?[-\s]*"
    r"(?:(?P<mir>micro\s*-?\s*rna|mirna|mir)[-\s]*(?P<num>\d+)|(?P<let>let)[-\s]*(?P<lnum>\d+))"
    r"(?P<member>[a-z]{0,2}(?:-?\d(?![a-z]))?)"
    r"(?:[-\s]*(?P<arm>[35]p))?"
    r"(?:[-\s]*(?:family|families|member|members|cluster))*\s*$"
)


@lru_cache(maxsize=65536)
def mirna(text: str) -> MirnaName | None:
    """Parse a miRNA name, or None when `text` is not one."""
    folded = fold(text).strip()
    m = _MIRNA.match(folded)
    if not m:
        return None
    stem_ = "let" + m.group("lnum") if m.group("let") else "mir" + m.group("num")
    member = (m.group("member") or "").replace("-", "")
    return MirnaName(stem_, member, m.group("arm") or "")
