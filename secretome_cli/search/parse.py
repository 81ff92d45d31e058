"""The query parser: a researcher's words in, structured concepts out.

"which miRNAs act on colitus" is read as: factor class miRNA, disease ulcerative colitis
(typo "colitus" corrected to "colitis", a partial name of "ulcerative colitis"); the question
words are dropped. Each recognised piece becomes a `Concept` (vocabulary terms, possibly of
several kinds, with how they were found), an author/year or DOI becomes a `CitationConcept`,
and any other word becomes a `FreeWord` for the full-text index. Abbreviations that name
more than one thing ("UC", "AD", "CD") are resolved from the words around them; when those do
not decide, both readings are kept and the parse says so. The pieces are described in
`concepts.py`; the vocabulary phrases are read in `phrases.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from secretome_cli.model.vocab import Hit, Term, Vocabulary
from secretome_cli.search.concepts import (
    CitationConcept,
    Concept,
    FreeWord,
    Lexicon,
    ParsedQuery,
    tok_is_phrase,
    tokens,
)
from secretome_cli.search.phrases import PhraseReader, _how, disease_cue, is_english
from secretome_cli.search.tuning import (
    CONDITION_WINDOW,
    FUZZY_FILTER_SLACK,
    FUZZY_PHRASE_CUTOFF,
    FUZZY_WORD_CUTOFF,
    MIN_FUZZY_KEY,
    MIN_SUGGEST_KEY,
    SUGGEST_CUTOFF,
)
from secretome_cli.words import lexicon
from secretome_cli.words.lexicon import is_condition_head, is_field_word, is_stop
from secretome_cli.words.normalize import fold, key, stem, words

_YEAR = re.compile(r"^(19|20)\d{2}[a-z]?$")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


class Parser(PhraseReader):
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
        caused = len(word_tokens) > 1 and lexicon.entry(word_tokens[-1]) in lexicon.CAUSE_WORDS
        if caused:  # 'cisplatin-induced': the cause is the word to match
            word_tokens = word_tokens[:-1]
        modifies = caused or modifies_head(toks, i)
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
                    tok,
                    w,
                    known=False,
                    weak=lexicon.is_weak(w),
                    cue=cue,
                    before_head=before_head,
                    modifies=modifies,
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
                    tok,
                    w,
                    known=False,
                    weak=lexicon.is_weak(w),
                    cue=cue,
                    before_head=before_head,
                    modifies=modifies,
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


def modifies_head(toks: Sequence[str], i: int) -> bool:
    """True when token `i` stands just before the head word of a disease's name ('cancer',
    'injury', a word in -itis), whether or not that head is part of a vocabulary term: the
    'oesophageal' of 'oesophageal cancer'. A word ending in '-induced' ('cisplatin-induced')
    names what causes the condition after it (`Parser` reads that)."""
    if i + 1 >= len(toks):
        return False
    after = toks[i + 1]
    return is_condition_head(after) or lexicon.entry(after) in lexicon.NAMED_HEADS


def _text_abbreviation(token: str) -> str | None:
    """The written-out form of a text abbreviation ("EMT", "TME"), matched as typed or in
    lower case."""
    for abbreviation, expansion in lexicon.TEXT_ABBREVIATIONS.items():
        if token in {abbreviation, abbreviation.lower()}:
            return expansion
    return None
