"""The query parser: a researcher's words in, structured concepts out.

"which miRNAs act on colitus" is read as: factor class miRNA, disease ulcerative colitis
(typo "colitus" corrected to "colitis", a partial name of "ulcerative colitis"); the question
words are dropped. Each recognised piece becomes a `Concept` (vocabulary terms, possibly of
several kinds, with how they were found), an author/year or DOI becomes a `CitationConcept`,
and any other word becomes a `FreeWord` for the full-text index. Abbreviations that name
more than one thing ("UC", "AD", "CD") are resolved from the words around them; when those do
not decide, both readings are kept and the parse says so. The pieces are described in
`concepts.py`; the vocabulary phrases are read in `phrases.py`.

Four passes read the tokens in turn: citations, vocabulary phrases, names of conditions that
are no vocabulary term, and what is left (quoted phrases, directions and roles, filler words,
free words, typos). Each proposes spans of tokens with what it reads them as (`Proposal`),
given the proposals committed before it; none marks or removes what another read.
`resolve.Resolver` commits them in its order of precedence and builds the `ParsedQuery`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set

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
from secretome_cli.search.resolve import Cue, Ignored, Proposal, Resolver, Rule
from secretome_cli.search.resolve import taken as covered
from secretome_cli.search.subject import is_abbreviation
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
from secretome_cli.words.normalize import fold, key, mirna, stem, words

_YEAR = re.compile(r"^(19|20)\d{2}[a-z]?$")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


class Parser(PhraseReader):
    """Parses queries against one vocabulary and lexicon."""

    def __init__(self, vocab: Vocabulary, lexicon: Lexicon) -> None:
        self.vocab = vocab
        self.lexicon = lexicon
        self._partial: dict[str, list[tuple[Term, tuple[str, ...]]]] | None = None
        self._label_cache: dict[str, Term] | None = None
        self._disease_words: list[str] | None = None
        self._authors: dict[str, list[tuple[str, int, list[str]]]] | None = None

    # --- entry point ---------------------------------------------------------------------

    def parse(self, query: str) -> ParsedQuery:
        """Read `query` into concepts, citations and free words: each pass proposes spans of
        tokens, given what the passes before it committed, and `Resolver` commits them."""
        toks = tokens(query)
        resolver = Resolver()
        resolver.commit(self._citations(toks))
        resolver.commit(self._phrases(toks, resolver.committed))
        resolver.commit(self._conditions(toks, resolver.committed))
        resolver.commit(self._leftovers(toks, resolver.committed))
        return resolver.build(query)

    # --- citations -----------------------------------------------------------------------

    def _author_index(self) -> dict[str, list[tuple[str, int, list[str]]]]:
        if self._authors is None:
            index: dict[str, list[tuple[str, int, list[str]]]] = {}
            for ref_key, year, _doi, surnames in self.lexicon.references():
                for surname in surnames:
                    index.setdefault(surname, []).append((ref_key, year, surnames))
            self._authors = index
        return self._authors

    def _citations(self, toks: list[str]) -> list[Proposal]:
        """Propose every DOI, then every author (with a second author, 'et al.' and a year)."""
        proposals = self._dois(toks)
        taken = covered(proposals)
        i = 0
        while i < len(toks):
            author = None
            if i not in taken and not tok_is_phrase(toks[i]):
                author = self._author_at(toks, i)
            if author is None:
                i += 1
                continue
            proposals.append(author)
            i = author.end
        return proposals

    def _dois(self, toks: list[str]) -> list[Proposal]:
        refs = None
        proposals = []
        for i, tok in enumerate(toks):
            doi = _DOI.match(tok)
            if doi:
                refs = refs or self.lexicon.references()
                wanted = doi.group(1).lower().rstrip(".")
                keys = [k for k, _y, d, _s in refs if d and d.lower() == wanted]
                proposals.append(Proposal(i, i + 1, CitationConcept(tok, keys), Rule.DOI))
        return proposals

    def _author_at(self, toks: list[str], i: int) -> Proposal | None:
        """'Zhang 2022', 'Zhang and Li', 'Zhang et al. 2022' from token `i`: a surname of the
        bibliography, read as a word instead when it is one and no year follows."""
        authors = self._author_index()
        first = " ".join(words(toks[i]))
        if first not in authors:
            return None
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
            return None
        keys = [
            k
            for k, y, surnames in authors[first]
            if (year is None or y == year) and (second is None or second in surnames)
        ]
        citation = CitationConcept(" ".join(toks[i:j]), sorted(set(keys)))
        return Proposal(i, j, citation, Rule.AUTHOR)

    # --- names of conditions that are no vocabulary term ---------------------------------

    def _conditions(self, toks: list[str], committed: Sequence[Proposal]) -> list[Proposal]:
        """Propose 'sickle cell disease' or 'liver fibrosis' (words ending in a condition's
        head word, no vocabulary term) as one condition the records must name as a phrase.
        With an organ and a generic head ('kidney failure', 'heart disease') the organ stands
        for the condition (every disease of the organ), and the head word is ignored. Either
        displaces the partial name its head word alone was read as, and a condition name the
        organ terms it covers (`resolve.beats`)."""
        terms = {p.start: p for p in committed if isinstance(p.reading, Concept)}
        taken = covered(committed)
        proposals = []
        for j in range(1, len(toks)):
            proposal = _condition_at(toks, j, terms, taken)
            if proposal is None:
                continue
            proposals.append(proposal)
            taken.update(range(proposal.start, proposal.end))
            terms = {k: t for k, t in terms.items() if not proposal.covers(t)}
        return proposals

    # --- what is left: directions, roles, typos, free words ------------------------------

    def _leftovers(self, toks: list[str], committed: Sequence[Proposal]) -> list[Proposal]:
        """Propose a reading of every token no committed proposal read, left to right."""
        taken = covered(committed)
        proposals = []
        for i, tok in enumerate(toks):
            if i in taken:
                continue
            proposal = self._leftover(tok, toks, i, taken)
            if proposal is None:
                continue
            proposals.append(proposal)
            if not isinstance(proposal.reading, Cue):
                taken.update(range(proposal.start, proposal.end))
        return proposals

    def _leftover(self, tok: str, toks: list[str], i: int, taken: Set[int]) -> Proposal | None:
        """Read a left-over token: a quoted phrase, a direction or role, a filler word, a text
        abbreviation, a condition's head word, else a word or a typo (`_word_or_typo`)."""
        if tok_is_phrase(tok):
            inner = words(tok.strip('"'))
            word = FreeWord(tok, " ".join(inner), phrase=True, known=bool(inner))
            return Proposal(i, i + 1, (word,), Rule.QUOTED)
        asked = lexicon.direction(tok)
        if asked is not None:
            return Proposal(i, i + 1, Cue(direction=asked), Rule.CUE)
        role = lexicon.role(tok)
        if role is not None:  # a role asks of what follows it
            return Proposal(i, i + 1, Cue(role=role), Rule.CUE) if i + 1 < len(toks) else None
        word_tokens = words(tok)
        if not word_tokens or is_stop(tok) or all(is_field_word(w) for w in word_tokens):
            return Proposal(i, i + 1, Ignored(tok), Rule.IGNORED)
        if mirna(tok) is not None or ("-" in tok and is_abbreviation(tok)):
            # a miRNA or molecule no vocabulary term names ('miR-155', 'PD-L1'): its name
            word = FreeWord(tok, " ".join(word_tokens), phrase=True)
            return Proposal(i, i + 1, (word,), Rule.WORD)
        if any(w.isalpha() for w in word_tokens):  # '5-fluorouracil': the number is the name's
            word_tokens = tuple(w for w in word_tokens if not w.isdigit())
        expansion = _text_abbreviation(tok)
        if expansion is not None:
            word = FreeWord(tok, " ".join(word_tokens), alternatives=(expansion,))
            note = f"'{tok}' also read as '{expansion}'"
            return Proposal(i, i + 1, (word,), Rule.WORD, (note,))
        word_tokens = tuple(w for w in word_tokens if not is_stop(w)) or word_tokens
        if len(word_tokens) == 1 and is_condition_head(tok) and not lexicon.is_generic(tok):
            word = FreeWord(tok, word_tokens[0], condition=True)
            return Proposal(i, i + 1, (word,), Rule.WORD)
        return self._word_or_typo(tok, toks, i, taken, word_tokens)

    def _word_or_typo(
        self, tok: str, toks: list[str], i: int, taken: Set[int], word_tokens: Sequence[str]
    ) -> Proposal:
        """A known word, a word of general English the records do not use, or a typo of a
        vocabulary phrase around it or of known words."""
        caused = len(word_tokens) > 1 and lexicon.entry(word_tokens[-1]) in lexicon.CAUSE_WORDS
        if caused:  # 'cisplatin-induced': the cause is the word to match
            word_tokens = word_tokens[:-1]
        if all(self.lexicon.has_word(w) for w in word_tokens):
            known = tuple(
                FreeWord(tok, w, weak=lexicon.is_weak(w))
                for w in word_tokens
                if not is_field_word(w)
            )
            return Proposal(i, i + 1, known, Rule.WORD)
        closed_up = self._prefixed(word_tokens)
        if closed_up is not None:  # 'antiangiogenic': the records write 'anti-angiogenic'
            word = FreeWord(tok, closed_up, phrase=True, alternatives=(closed_up,))
            return Proposal(i, i + 1, (word,), Rule.WORD)
        unknown = _unknown_words(tok, toks, i, taken, word_tokens, caused)
        if is_english(word_tokens):  # no typo: a word the records do not use ('shingles')
            return Proposal(i, i + 1, unknown, Rule.WORD)
        fuzzy = self._fuzzy_phrase(toks, i, taken)
        if fuzzy is not None:
            note = f"read '{fuzzy.text}' as '{fuzzy.corrected}' (spelling)"
            return Proposal(*fuzzy.span, fuzzy, Rule.TYPO, (note,), at=i)
        corrected = [self._correct_word(w) for w in word_tokens]
        if not all(corrected):
            return Proposal(i, i + 1, unknown, Rule.WORD)
        fixed = " ".join(c for c in corrected if c)
        notes = (f"read '{tok}' as '{fixed}' (spelling)",)
        exact = self.vocab.lookup(fixed)
        hits = exact or self._partial_hits(fixed)
        if not hits:
            fixed_words = tuple(FreeWord(tok, c, corrected=c) for c in corrected if c)
            return Proposal(i, i + 1, fixed_words, Rule.TYPO, notes)
        how = "typo" if exact else "typo, partial name"
        concept = Concept(tok, hits, how, corrected=fixed, span=(i, i + 1))
        return Proposal(i, i + 1, concept, Rule.TYPO, notes)

    def _prefixed(self, word_tokens: Sequence[str]) -> str | None:
        """'anti angiogenic' for the one word 'antiangiogenic' that no record holds, when the
        records hold 'angiogenic' (`lexicon.PREFIXES`)."""
        if len(word_tokens) != 1:
            return None
        word = word_tokens[0]
        for prefix in lexicon.PREFIXES:
            rest = word[len(prefix) :].lstrip("-")
            if (
                word.startswith(prefix)
                and len(rest) >= MIN_FUZZY_KEY
                and self.lexicon.has_word(prefix)
                and self.lexicon.has_word(rest)
            ):
                return f"{prefix} {rest}"
        return None

    def _correct_word(self, word: str) -> str | None:
        from rapidfuzz import fuzz, process

        if len(word) < MIN_FUZZY_KEY or word.isdigit():
            return None
        candidates = self.lexicon.words_near(word)
        found = process.extractOne(
            word, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_WORD_CUTOFF
        )
        if found is None or self._nearer_disease(word, found[1]):
            return None
        return str(found[0])

    def _nearer_disease(self, word: str, score: float) -> bool:
        """True when a word of ICD-10-CM's names of diseases that no record holds is spelt
        nearer to `word` than the nearest word of the records ('migrane': 'migraine', not
        'migrate'): `word` is a typo of a disease no record names, not of a record's word."""
        from rapidfuzz import fuzz, process

        from secretome_cli.words.medical import medical_words

        for near, _, _ in process.extract(
            word, medical_words(), scorer=fuzz.ratio, score_cutoff=score + 0.5, limit=3
        ):
            if not self.lexicon.has_word(stem(near)):
                return True
        return False

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

    def near_disease_word(self, word: str) -> str | None:
        """A word of a disease's or organ's name spelt close to `word` ('prostate' for
        'prostrate'), or None."""
        from rapidfuzz import fuzz, process

        if len(word) < MIN_FUZZY_KEY:
            return None
        if self._disease_words is None:
            labels = self.vocab.labels_of(("disease", "organ"))
            self._disease_words = sorted({w for label in labels for w in words(label)})
        found = process.extractOne(
            word, self._disease_words, scorer=fuzz.ratio, score_cutoff=FUZZY_PHRASE_CUTOFF
        )
        return None if found is None or found[0] == word else str(found[0])

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


def head_follows(toks: Sequence[str], i: int, taken: Set[int]) -> bool:
    """True when a condition's head word ('disorder', 'injury', a word in -itis) that is no
    part of a vocabulary term ('colon cancer') follows token `i` within `CONDITION_WINDOW`
    words."""
    after = range(i + 1, min(len(toks), i + 1 + CONDITION_WINDOW))
    return any(
        k not in taken
        and (is_condition_head(toks[k]) or lexicon.entry(toks[k]) in lexicon.NAMED_HEADS)
        for k in after
    )


def _unknown_words(
    tok: str,
    toks: Sequence[str],
    i: int,
    taken: Set[int],
    word_tokens: Sequence[str],
    caused: bool,
) -> tuple[FreeWord, ...]:
    """The words of token `i` as words no record holds, with what the words around say."""
    cue, before_head = disease_cue(toks, i), head_follows(toks, i, taken)
    modifies = caused or modifies_head(toks, i)
    return tuple(
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


def _is_weak_head(term: Proposal, j: int) -> bool:
    """True for a partial name read from token `j` alone ('fibrosis'), which a condition's
    name ending there displaces."""
    concept = term.reading
    return isinstance(concept, Concept) and concept.how == "partial name" and term.end == j + 1


def _condition_at(
    toks: Sequence[str], j: int, terms: dict[int, Proposal], taken: Set[int]
) -> Proposal | None:
    """The condition whose head word is token `j`, read from tokens none of `taken` (but
    the head's own partial name) and the organ `terms` before it."""
    tok = toks[j]
    head = terms.get(j)
    weak_head = head is not None and _is_weak_head(head, j)
    if (j in taken and not weak_head) or not is_condition_head(tok):
        return None
    start, organ = _condition_start(toks, j, terms, taken)
    if start == j:
        return None
    generic = lexicon.entry(tok) in lexicon.GENERIC_HEADS
    if organ is not None and generic and organ.start == start:
        return Proposal(j, j + 1, Ignored(tok), Rule.ORGAN_HEAD)
    phrase = " ".join(toks[start : j + 1])
    word = FreeWord(phrase, " ".join(words(phrase)), phrase=True, condition=True)
    return Proposal(start, j + 1, (word,), Rule.CONDITION)


def _condition_start(
    toks: Sequence[str], j: int, terms: dict[int, Proposal], taken: Set[int]
) -> tuple[int, Proposal | None]:
    """Where the name of a condition with head word `j` starts, walking back over at most
    `CONDITION_WINDOW` words or organ terms, and the organ term it starts with."""
    start, organ = j, None
    while start > 0 and j - start < CONDITION_WINDOW:
        before = toks[start - 1]
        term = next((t for t in terms.values() if t.end == start), None)
        if term is not None and _is_organ(term):
            organ, start = term, term.start
            continue
        if (
            start - 1 in taken
            or is_stop(before)
            or tok_is_phrase(before)
            or lexicon.direction(before)
            or lexicon.role(before)
            or lexicon.is_weak(before)
            or lexicon.entry(before) in lexicon.DISEASE_CUES  # 'mouse colitis'
        ):
            break
        start -= 1
    return start, organ


def _is_organ(term: Proposal) -> bool:
    concept = term.reading
    return isinstance(concept, Concept) and all(h.term.kind == "organ" for h in concept.hits)


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
