"""The query parser: a researcher's words in, structured concepts out.

"which miRNAs act on colitus" is read as: factor class miRNA, disease ulcerative colitis
(typo "colitus" corrected to "colitis", a partial name of "ulcerative colitis"); the question
words are dropped. Each recognised piece becomes a `Concept` (vocabulary terms, possibly of
several kinds, with how they were found), an author/year or DOI becomes a `CitationConcept`,
and any other word becomes a `FreeWord` for the full-text index. Abbreviations that name
more than one thing ("UC", "AD", "CD") are resolved from the words around them; when those do
not decide, both readings are kept and the parse says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from secretome_cli.model.vocab import Hit, Term, Vocabulary
from secretome_cli.search.tuning import (
    CONDITION_WINDOW,
    ENGLISH_ZIPF,
    FUZZY_FILTER_SLACK,
    FUZZY_PHRASE_CUTOFF,
    FUZZY_WORD_CUTOFF,
    MAX_PHRASE,
    MIN_FUZZY_KEY,
    MIN_PARTIAL_WORD,
    MIN_SUFFIX_WORD,
    MIN_SUGGEST_KEY,
    PARTIAL_WINDOW,
    SUGGEST_CUTOFF,
)
from secretome_cli.words import lexicon
from secretome_cli.words.lexicon import is_condition_head, is_field_word, is_generic, is_stop
from secretome_cli.words.normalize import fold, key, stem, words

_YEAR = re.compile(r"^(19|20)\d{2}[a-z]?$")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_TOKEN = re.compile(r'"[^"]+"|\S+')
_STRIP = "?!.,;:()[]{}'\"“”‘’"


class Lexicon(Protocol):
    """What the parser asks of the index besides the vocabulary."""

    def has_word(self, word: str) -> bool: ...

    def words_near(self, word: str) -> list[str]: ...

    def references(self) -> list[tuple[str, int, str | None, list[str]]]: ...


@dataclass
class Concept:
    """A recognised piece of the query: one or more vocabulary terms it names."""

    text: str
    hits: list[Hit]
    how: str
    """'exact', 'synonym', 'abbreviation', 'partial name', 'typo', 'miRNA family' ..."""
    role: str | None = None
    """'target' when the query asked for what targets it."""
    direction: str | None = None
    """'down' or 'up' when the query asked what suppresses or activates it."""
    corrected: str | None = None
    """The spelling the query was corrected to, when it was a typo."""
    note: str | None = None
    span: tuple[int, int] = (0, 0)
    """The query tokens it was read from (start, end)."""
    prefixes: tuple[str, ...] = ()
    """Word prefixes that also count as a mention in record text ('cd' for CD markers)."""

    @property
    def terms(self) -> list[Term]:
        return [h.term for h in self.hits]


@dataclass
class CitationConcept:
    """An author (with or without year) or a DOI: the records citing those references."""

    text: str
    keys: list[str]


@dataclass
class FreeWord:
    """A word that names no vocabulary term: matched against record text."""

    text: str
    word: str
    corrected: str | None = None
    known: bool = True
    phrase: bool = False
    alternatives: tuple[str, ...] = ()
    """Other wordings that count as the same (an abbreviation's expansion)."""
    weak: bool = False
    """A content-light word ('help', 'repair'): it counts little and is never the focus."""
    condition: bool = False
    """The name of a disease or condition that is no vocabulary term ('liver fibrosis'): it
    counts as much as a disease."""
    cue: bool = False
    """A word around it says it names a disease ('in lupus', 'sepsis patients')."""
    before_head: bool = False
    """A condition's head word follows it within `CONDITION_WINDOW` words ('alcohol use
    disorder')."""


@dataclass
class ParsedQuery:
    """How a query was read."""

    raw: str
    concepts: list[Concept] = field(default_factory=list)
    citations: list[CitationConcept] = field(default_factory=list)
    free: list[FreeWord] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.concepts or self.citations or self.free)


def tokens(query: str) -> list[str]:
    """Split a query into tokens; quoted phrases stay whole, edge punctuation goes."""
    out = []
    for raw in _TOKEN.findall(query):
        if raw.startswith('"') and raw.endswith('"') and len(raw) > 2:
            out.append(raw)
            continue
        token = raw.strip(_STRIP)
        if token:
            out.append(token)
    return out


class Parser:
    """Parses queries against one vocabulary and lexicon."""

    def __init__(self, vocab: Vocabulary, lexicon: Lexicon) -> None:
        self.vocab = vocab
        self.lexicon = lexicon
        self._partial: dict[str, list[tuple[Term, tuple[str, ...]]]] | None = None
        self._label_cache: dict[str, Term] | None = None
        self._authors: dict[str, list[tuple[str, int, list[str]]]] | None = None

    # --- entry point ---------------------------------------------------------------------

    def parse(self, query: str) -> ParsedQuery:
        """Read `query` into concepts, citations and free words."""
        parsed = ParsedQuery(query)
        toks = tokens(query)
        consumed = [False] * len(toks)
        self._citations(toks, consumed, parsed)
        self._phrases(toks, consumed, parsed)
        self._conditions(toks, consumed, parsed)
        self._leftovers(toks, consumed, parsed)
        return parsed

    # --- citations -----------------------------------------------------------------------

    def _author_index(self) -> dict[str, list[tuple[str, int, list[str]]]]:
        if self._authors is None:
            index: dict[str, list[tuple[str, int, list[str]]]] = {}
            for ref_key, year, _doi, surnames in self.lexicon.references():
                for surname in surnames:
                    index.setdefault(surname, []).append((ref_key, year, surnames))
            self._authors = index
        return self._authors

    def _citations(self, toks: list[str], consumed: list[bool], parsed: ParsedQuery) -> None:
        refs = None
        for i, tok in enumerate(toks):
            doi = _DOI.match(tok)
            if doi:
                refs = refs or self.lexicon.references()
                wanted = doi.group(1).lower().rstrip(".")
                keys = [k for k, _y, d, _s in refs if d and d.lower() == wanted]
                parsed.citations.append(CitationConcept(tok, keys))
                consumed[i] = True
        authors = self._author_index()
        i = 0
        while i < len(toks):
            if consumed[i] or tok_is_phrase(toks[i]):
                i += 1
                continue
            first = " ".join(words(toks[i]))
            if first not in authors:
                i += 1
                continue
            j = i + 1
            second = None
            if j + 1 < len(toks) and fold(toks[j]) in {"and", "&"}:
                candidate = " ".join(words(toks[j + 1]))
                if candidate in authors:
                    second = candidate
                    j += 2
            if j + 1 < len(toks) and fold(toks[j]) == "et" and fold(toks[j + 1]).startswith("al"):
                j += 2
            year = None
            if j < len(toks) and _YEAR.match(toks[j]):
                year = int(toks[j][:4])
                j += 1
            word = stem(fold(toks[i]))
            is_vocab = bool(self.vocab.lookup(toks[i]))
            if year is None and (is_vocab or self.lexicon.has_word(word) or toks[i].islower()):
                i += 1
                continue
            keys = [
                k
                for k, y, surnames in authors[first]
                if (year is None or y == year) and (second is None or second in surnames)
            ]
            parsed.citations.append(CitationConcept(" ".join(toks[i:j]), sorted(set(keys))))
            for k in range(i, j):
                consumed[k] = True
            i = j

    # --- vocabulary phrases --------------------------------------------------------------

    def _phrases(self, toks: list[str], consumed: list[bool], parsed: ParsedQuery) -> None:
        i = 0
        while i < len(toks):
            if consumed[i] or tok_is_phrase(toks[i]):
                i += 1
                continue
            written = self._written_out(toks, consumed, i)
            if written is not None:
                length, word = written
                for k in range(i, i + length):
                    consumed[k] = True
                parsed.free.append(word)
                i += length
                continue
            found = self._match_at(toks, consumed, i)
            if found is None and self._unknown(toks[i]):
                fuzzy = self._fuzzy_phrase(toks[i], toks, i, consumed, from_here=True)
                if fuzzy is not None:
                    found = (fuzzy.span[1] - i, fuzzy)
            if found is None:
                i += 1
                continue
            length, concept = found
            for k in range(i, i + length):
                consumed[k] = True
            concept.span = (i, i + length)
            parsed.concepts.append(concept)
            if concept.corrected:
                parsed.notes.append(f"read '{concept.text}' as '{concept.corrected}' (spelling)")
            i += length

    def _match_at(
        self, toks: list[str], consumed: list[bool], i: int
    ) -> tuple[int, Concept] | None:
        markers = self._cd_markers(toks, i)
        if markers is not None:
            return markers
        for ahead in (1, 2):  # a known word followed by a mistyped one: 'alzheimers disese'
            j = i + ahead
            if j < len(toks) and not consumed[j] and self._unknown(toks[j]):
                fuzzy = self._fuzzy_phrase(toks[j], toks, i, consumed, from_here=True, cover=j)
                if fuzzy is not None:
                    return fuzzy.span[1] - i, fuzzy
                break
        longest = min(MAX_PHRASE, len(toks) - i)
        for length in range(longest, 0, -1):
            if any(consumed[i : i + length]):
                continue
            window = toks[i : i + length]
            phrase = " ".join(window)
            if length == 1 and (is_stop(window[0]) or is_field_word(window[0])):
                continue
            hits = self._exact(phrase, window)
            if hits:
                return length, self._concept(phrase, hits, toks, i, length)
        for length in range(min(PARTIAL_WINDOW, len(toks) - i), 0, -1):
            window = toks[i : i + length]
            if any(consumed[i : i + length]) or is_stop(window[0]) or is_stop(window[-1]):
                continue
            phrase = " ".join(window)
            partial = self._partial_hits(phrase)
            if partial:
                return length, Concept(
                    phrase, partial, "partial name", note=_several(phrase, partial)
                )
        return None

    def _written_out(
        self, toks: list[str], consumed: list[bool], i: int
    ) -> tuple[int, FreeWord] | None:
        """A written-out text abbreviation ('tumour microenvironment'), read as a phrase that
        also matches its abbreviation ('TME')."""
        for abbreviation, expansion in lexicon.TEXT_ABBREVIATIONS.items():
            wanted = words(expansion)
            length = len(wanted)
            if i + length > len(toks) or any(consumed[i : i + length]):
                continue
            if words(" ".join(toks[i : i + length])) == wanted:
                phrase = " ".join(toks[i : i + length])
                return length, FreeWord(
                    phrase, " ".join(wanted), phrase=True, alternatives=(abbreviation,)
                )
        return None

    def _cd_markers(self, toks: list[str], i: int) -> tuple[int, Concept] | None:
        """'CD markers' / 'CD antigens': the cluster-of-differentiation markers, not Crohn's."""
        if fold(toks[i]) != "cd" or i + 1 >= len(toks):
            return None
        if stem(fold(toks[i + 1])) not in {"marker", "antigen", "surface"}:
            return None
        hits = [
            Hit(term, term.name, "marker")
            for term in self.vocab.terms.get("factor", {}).values()
            if re.match(r"CD\d", term.name)
        ]
        if not hits:
            return None
        phrase = f"{toks[i]} {toks[i + 1]}"
        note = f"'{phrase}' read as cluster-of-differentiation markers"
        return 2, Concept(phrase, hits, "marker", note=note, prefixes=("cd",))

    def _exact(self, phrase: str, window: Sequence[str]) -> list[Hit]:
        hits = self.vocab.lookup(phrase)
        if len(window) == 1:
            lower = window[0] == window[0].lower()
            hits = [
                h for h in hits if not (h.how == "abbreviation" and lower and is_stop(window[0]))
            ]
        if not hits and "/" in phrase and len(window) == 1:
            return []
        return hits

    def _concept(
        self, phrase: str, hits: list[Hit], toks: list[str], i: int, length: int
    ) -> Concept:
        kinds = {h.term.kind for h in hits}
        how = _how(hits)
        note = None
        abbreviations = [h for h in hits if h.how == "abbreviation"]
        if len(kinds) > 1 and abbreviations and not ({"fraction", "factor"} >= kinds):
            hits, note = self._disambiguate(phrase, hits, toks, i, length)
        if hits and all(h.term.kind == "factor" for h in hits):
            hits = hits + [
                h
                for h in self._partial_hits(phrase, kinds=("pathway",))
                if h.term.name not in {x.term.name for x in hits}
            ]
        return Concept(phrase, hits, how, note=note)

    def _disambiguate(
        self, phrase: str, hits: list[Hit], toks: list[str], i: int, length: int
    ) -> tuple[list[Hit], str]:
        before = [lexicon.entry(t) for t in toks[max(0, i - 2) : i]]
        after = [lexicon.entry(t) for t in toks[i + length : i + length + 2]]
        tissue_cue = any(w in lexicon.TISSUE_CUES for w in after) or (
            bool(before) and before[-1] == lexicon.entry("from")
        )
        disease_cue = (bool(before) and before[-1] in lexicon.DISEASE_CUES_BEFORE) or any(
            w in lexicon.DISEASE_CUES_AFTER for w in after
        )
        names = {h.term.kind: h.term.name for h in hits}
        if tissue_cue and not disease_cue:
            chosen = [h for h in hits if h.term.kind == "tissue"]
            reading = names.get("tissue")
        elif disease_cue and not tissue_cue:
            chosen = [h for h in hits if h.term.kind == "disease"]
            reading = names.get("disease")
        else:
            readings = " or ".join(f"{k} '{n}'" for k, n in sorted(names.items()))
            return hits, (
                f"'{phrase}' is ambiguous ({readings}); the words around it do not "
                "decide, so both readings are searched"
            )
        if not chosen:
            return hits, f"'{phrase}' is ambiguous; both readings are searched"
        return (
            chosen,
            f"'{phrase}' read as {chosen[0].term.kind} '{reading}' from the words around it",
        )

    def _partial_index(self) -> dict[str, list[tuple[Term, tuple[str, ...]]]]:
        if self._partial is None:
            index: dict[str, list[tuple[Term, tuple[str, ...]]]] = {}
            for kind in ("disease", "pathway"):
                for term in self.vocab.terms.get(kind, {}).values():
                    for label in term.labels:
                        label_words = words(label)
                        for w in set(label_words):
                            index.setdefault(w, []).append((term, label_words))
            self._partial = index
        return self._partial

    def _partial_hits(
        self, phrase: str, kinds: Sequence[str] = ("disease", "pathway")
    ) -> list[Hit]:
        """Terms one of whose labels contains the phrase's words in a row ("colitis" →
        ulcerative colitis, "catenin" → Wnt/β-catenin); generic words stand for nothing."""
        phrase_words = words(phrase)
        if not phrase_words or all(is_generic(w) or len(w) < 3 for w in phrase_words):
            return []
        if len(phrase_words) == 1 and (
            len(phrase_words[0]) < MIN_PARTIAL_WORD or is_stop(phrase_words[0])
        ):
            return []
        hits: dict[str, Hit] = {}
        n = len(phrase_words)
        index = self._partial_index()
        if n == 1 and len(phrase_words[0]) >= MIN_SUFFIX_WORD:  # 'arthritis': osteoarthritis
            for word, entries in index.items():
                if word != phrase_words[0] and word.endswith(phrase_words[0]):
                    for term, label_words in entries:
                        if term.kind in kinds:
                            hits.setdefault(
                                term.name, Hit(term, " ".join(label_words), "partial name")
                            )
        for term, label_words in index.get(phrase_words[0], []):
            if term.kind not in kinds or len(label_words) <= n:
                continue
            if any(label_words[k : k + n] == phrase_words for k in range(len(label_words) - n + 1)):
                hits.setdefault(term.name, Hit(term, " ".join(label_words), "partial name"))
        return list(hits.values())

    def _suffix_hits(self, word: str, kinds: Sequence[str]) -> dict[str, Hit]:
        """Terms with a label word that ends in `word` ('osteoarthritis' for 'arthritis')."""
        hits: dict[str, Hit] = {}
        for other, entries in self._partial_index().items():
            if other == word or not other.endswith(word):
                continue
            for term, label_words in entries:
                if term.kind in kinds:
                    hits.setdefault(term.name, Hit(term, " ".join(label_words), "partial name"))
        return hits

    # --- names of conditions that are no vocabulary term ---------------------------------

    def _conditions(self, toks: list[str], consumed: list[bool], parsed: ParsedQuery) -> None:
        """Read 'sickle cell disease' or 'liver fibrosis' (words ending in a condition's head
        word, no vocabulary term) as one condition the records must name as a phrase. With an
        organ and a generic head ('kidney failure', 'heart disease') the organ stands for the
        condition (every disease of the organ), and the head word goes."""
        by_start = {c.span[0]: c for c in parsed.concepts}
        for j, tok in enumerate(toks):
            head = by_start.get(j)
            weak_head = head is not None and head.how == "partial name" and head.span[1] == j + 1
            if consumed[j] and not weak_head:
                continue
            if not is_condition_head(tok) or j == 0:
                continue
            start, organ = j, None
            while start > 0 and j - start < CONDITION_WINDOW:
                before = toks[start - 1]
                concept = next((c for c in parsed.concepts if c.span[1] == start), None)
                if concept is not None and all(h.term.kind == "organ" for h in concept.hits):
                    organ, start = concept, concept.span[0]
                    continue
                if (
                    consumed[start - 1]
                    or is_stop(before)
                    or tok_is_phrase(before)
                    or lexicon.direction(before)
                    or lexicon.role(before)
                    or lexicon.is_weak(before)
                    or lexicon.entry(before) in lexicon.DISEASE_CUES  # 'mouse colitis'
                ):
                    break
                start -= 1
            if start == j:
                continue
            generic = lexicon.entry(tok) in lexicon.GENERIC_HEADS
            if organ is not None and generic and organ.span[0] == start:
                if weak_head and head is not None:
                    parsed.concepts.remove(head)
                consumed[j] = True
                parsed.ignored.append(tok)
                continue
            if weak_head and head is not None:
                parsed.concepts.remove(head)
            if organ is not None:
                parsed.concepts.remove(organ)
            phrase = " ".join(toks[start : j + 1])
            parsed.free.append(
                FreeWord(phrase, " ".join(words(phrase)), phrase=True, condition=True)
            )
            for k in range(start, j + 1):
                consumed[k] = True
            by_start = {c.span[0]: c for c in parsed.concepts}

    # --- what is left: directions, roles, typos, free words ------------------------------

    def _leftovers(self, toks: list[str], consumed: list[bool], parsed: ParsedQuery) -> None:
        starts = {c.span[0]: c for c in parsed.concepts}
        pending_direction: str | None = None
        pending_role: str | None = None
        for i, tok in enumerate(toks):
            concept = starts.get(i)
            if concept is None and not consumed[i]:
                concept = self._free_or_typo(tok, toks, i, consumed, parsed)
            if concept is not None:
                if pending_direction and concept.direction is None:
                    concept.direction, pending_direction = pending_direction, None
                if pending_role and concept.role is None:
                    concept.role, pending_role = pending_role, None
                continue
            if consumed[i]:
                continue
            asked = lexicon.direction(tok)
            if asked is not None:
                pending_direction = asked
            elif lexicon.role(tok) and i + 1 < len(toks):
                pending_role = lexicon.role(tok)
        if pending_direction and parsed.concepts and parsed.concepts[-1].direction is None:
            parsed.concepts[-1].direction = pending_direction

    def _free_or_typo(
        self, tok: str, toks: list[str], i: int, consumed: list[bool], parsed: ParsedQuery
    ) -> Concept | None:
        """Read a left-over token: a quoted phrase, a filler word, a known word, or a typo of
        a vocabulary term or word. Returns the concept when it was read as one."""
        if tok_is_phrase(tok):
            inner = words(tok.strip('"'))
            parsed.free.append(FreeWord(tok, " ".join(inner), phrase=True, known=bool(inner)))
            consumed[i] = True
            return None
        if lexicon.direction(tok) or lexicon.role(tok):
            return None
        word_tokens = words(tok)
        if not word_tokens or is_stop(tok) or all(is_field_word(w) for w in word_tokens):
            parsed.ignored.append(tok)
            consumed[i] = True
            return None
        consumed[i] = True
        expansion = _text_abbreviation(tok)
        if expansion is not None:
            parsed.free.append(FreeWord(tok, " ".join(word_tokens), alternatives=(expansion,)))
            parsed.notes.append(f"'{tok}' also read as '{expansion}'")
            return None
        word_tokens = tuple(w for w in word_tokens if not is_stop(w)) or word_tokens
        if len(word_tokens) == 1 and is_condition_head(tok) and not lexicon.is_generic(tok):
            parsed.free.append(FreeWord(tok, word_tokens[0], condition=True))
            return None
        cue, before_head = disease_cue(toks, i), head_follows(toks, i, consumed)
        if all(self.lexicon.has_word(w) for w in word_tokens):
            parsed.free.extend(
                FreeWord(tok, w, weak=lexicon.is_weak(w))
                for w in word_tokens
                if not is_field_word(w)
            )
            return None
        if is_english(word_tokens):  # no typo: a word the records do not use ('shingles')
            parsed.free.extend(
                FreeWord(
                    tok, w, known=False, weak=lexicon.is_weak(w), cue=cue, before_head=before_head
                )
                for w in word_tokens
            )
            return None
        consumed[i] = False
        fuzzy = self._fuzzy_phrase(tok, toks, i, consumed)
        if fuzzy is not None:
            parsed.concepts.append(fuzzy)
            parsed.notes.append(f"read '{fuzzy.text}' as '{fuzzy.corrected}' (spelling)")
            return fuzzy
        consumed[i] = True
        corrected = [self._correct_word(w) for w in word_tokens]
        if not all(corrected):
            parsed.free.extend(
                FreeWord(
                    tok, w, known=False, weak=lexicon.is_weak(w), cue=cue, before_head=before_head
                )
                for w in word_tokens
            )
            return None
        fixed = " ".join(c for c in corrected if c)
        parsed.notes.append(f"read '{tok}' as '{fixed}' (spelling)")
        exact = self.vocab.lookup(fixed)
        hits = exact or self._partial_hits(fixed)
        if not hits:
            parsed.free.extend(FreeWord(tok, c, corrected=c) for c in corrected if c)
            return None
        concept = Concept(
            tok, hits, "typo" if exact else "typo, partial name", corrected=fixed, span=(i, i + 1)
        )
        parsed.concepts.append(concept)
        return concept

    def _labels(self) -> dict[str, Term]:
        if self._label_cache is None:
            labels = self.vocab.labels_of(("disease", "factor", "pathway", "preconditioning"))
            self._label_cache = {
                key(label): term for label, term in labels.items() if len(key(label)) >= 5
            }
        return self._label_cache

    def _unknown(self, token: str) -> bool:
        """True for a token that is no filler word and no word of any record or vocabulary."""
        if is_stop(token) or is_field_word(token) or tok_is_phrase(token):
            return False
        found = words(token)
        return (
            bool(found)
            and not all(self.lexicon.has_word(w) for w in found)
            and not is_english(found)
        )

    def _fuzzy_phrase(
        self,
        tok: str,
        toks: list[str],
        i: int,
        consumed: list[bool],
        from_here: bool = False,
        cover: int | None = None,
    ) -> Concept | None:
        """The vocabulary term a mistyped phrase around token `i` most likely means."""
        from rapidfuzz import fuzz, process

        labels = self._labels()
        best: tuple[float, int, int, str] | None = None
        for start in [i] if from_here else range(max(0, i - 2), i + 1):
            for end in range(max(i, cover or i) + 1, min(len(toks), start + 3) + 1):
                if any(consumed[start:end]) or is_stop(toks[start]) or is_stop(toks[end - 1]):
                    continue
                phrase_key = key(" ".join(toks[start:end]))
                if len(phrase_key) < MIN_FUZZY_KEY:
                    continue
                found = process.extractOne(
                    phrase_key, labels.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_PHRASE_CUTOFF
                )
                if found and (best is None or found[1] > best[0]):
                    best = (found[1], start, end, found[0])
        if best is None:
            return None
        _score, start, end, label_key = best
        term = labels[label_key]
        for k in range(start, end):
            consumed[k] = True
        text = " ".join(toks[start:end])
        return Concept(
            text, [Hit(term, term.name, "typo")], "typo", corrected=term.name, span=(start, end)
        )

    def _correct_word(self, word: str) -> str | None:
        from rapidfuzz import fuzz, process

        if len(word) < MIN_FUZZY_KEY or word.isdigit():
            return None
        candidates = self.lexicon.words_near(word)
        found = process.extractOne(
            word, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_WORD_CUTOFF
        )
        return str(found[0]) if found else None

    def concept_for(self, text: str, kinds: Sequence[str]) -> Concept | None:
        """Read a filter value as a term of `kinds`: exactly, by partial name, or as a typo."""
        from rapidfuzz import fuzz, process

        hits = self.vocab.lookup(text, kinds)
        if hits:
            return Concept(text, hits, _how(hits))
        partial_kinds = [k for k in kinds if k in {"disease", "pathway"}]
        partial = self._partial_hits(text, kinds=partial_kinds) if partial_kinds else []
        if partial:
            return Concept(text, partial, "partial name")
        labels = {key(label): term for label, term in self.vocab.labels_of(kinds).items()}
        for kind in kinds:  # short closed-set names ("RNA", "in vivo") take part too
            for term in self.vocab.terms.get(kind, {}).values():
                labels.setdefault(key(term.name), term)
        found = process.extractOne(
            key(text),
            labels.keys(),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_PHRASE_CUTOFF - FUZZY_FILTER_SLACK,
        )
        if found:
            term = labels[found[0]]
            return Concept(text, [Hit(term, term.name, "typo")], "typo", corrected=term.name)
        corrected = [self._correct_word(w) for w in words(text)]
        if corrected and all(corrected):
            fixed = " ".join(c for c in corrected if c)
            hits = self.vocab.lookup(fixed, kinds) or (
                self._partial_hits(fixed, kinds=partial_kinds) if partial_kinds else []
            )
            if hits:
                return Concept(text, hits, "typo", corrected=fixed)
        return None

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        """Vocabulary names near `text`, for "did you mean"."""
        from rapidfuzz import fuzz, process

        labels = self._labels()
        query_key = key(text)
        if len(query_key) < MIN_SUGGEST_KEY:
            return []
        found = process.extract(
            query_key,
            labels.keys(),
            scorer=fuzz.ratio,
            limit=limit * 3,
            score_cutoff=SUGGEST_CUTOFF,
        )
        names: list[str] = []
        for label_key, _score, _ in found:
            name = labels[label_key].name
            if name not in names:
                names.append(name)
        return names[:limit]


def disease_cue(toks: Sequence[str], i: int) -> bool:
    """True when a word before token `i` (up to `CONDITION_WINDOW` back: 'in systemic
    lupus') or the word after it says that it names a disease ('for sepsis', 'gout
    patients')."""
    before = [lexicon.entry(t) for t in toks[max(0, i - CONDITION_WINDOW) : i]]
    after = lexicon.entry(toks[i + 1]) if i + 1 < len(toks) else ""
    return (
        any(w in lexicon.DISEASE_CUES_BEFORE for w in before) or after in lexicon.DISEASE_CUES_AFTER
    )


def is_english(found: Sequence[str]) -> bool:
    """True when every word is a word of general English ('shingles', 'atrial'), which is
    no typo of a vocabulary term however near one it is; asked only of words no record
    holds."""
    from secretome_cli.search.subject import zipf

    return all(zipf(w) >= ENGLISH_ZIPF for w in found)


def head_follows(toks: Sequence[str], i: int, consumed: Sequence[bool]) -> bool:
    """True when a condition's head word ('disorder', 'injury', a word in -itis) that is no
    part of a vocabulary term ('colon cancer') follows token `i` within `CONDITION_WINDOW`
    words."""
    after = range(i + 1, min(len(toks), i + 1 + CONDITION_WINDOW))
    return any(
        not consumed[k]
        and (is_condition_head(toks[k]) or lexicon.entry(toks[k]) in lexicon.NAMED_HEADS)
        for k in after
    )


def _several(phrase: str, hits: Sequence[Hit]) -> str | None:
    """'arthritis' names several diseases: …, when a partial name finds more than one term of
    one kind."""
    names = sorted({h.term.name for h in hits if h.term.kind == "disease"})
    if len(names) < 2:
        return None
    return f"'{phrase}' names several diseases: {', '.join(names)}; all are searched"


def _text_abbreviation(token: str) -> str | None:
    """The written-out form of a text abbreviation ("EMT", "TME"), matched as typed or in
    lower case."""
    for abbreviation, expansion in lexicon.TEXT_ABBREVIATIONS.items():
        if token in {abbreviation, abbreviation.lower()}:
            return expansion
    return None


def tok_is_phrase(token: str) -> bool:
    """True for a quoted phrase token."""
    return len(token) > 2 and token.startswith('"') and token.endswith('"')


def _how(hits: list[Hit]) -> str:
    order = [
        "name",
        "same",
        "synonym",
        "abbreviation",
        "miRNA arm",
        "miRNA family",
        "arm not stated",
    ]
    best = min(order.index(h.how) if h.how in order else len(order) for h in hits)
    names = {0: "exact", 1: "exact"}
    return names.get(best, order[best] if best < len(order) else hits[0].how)
