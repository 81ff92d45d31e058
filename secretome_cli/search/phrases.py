"""Vocabulary phrases in a question: the longest run of tokens that names a term (exactly,
written out, by a partial name or a suffix, or mistyped), an abbreviation read from the words
around it, 'CD' markers. `Parser` holds these as a mixin: its phrase pass proposes each
phrase as a span of tokens (`resolve.Proposal`) and reads no token a committed proposal read."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import replace

from secretome_cli.model.vocab import Hit, Term, Vocabulary
from secretome_cli.search.concepts import (
    Concept,
    FreeWord,
    Lexicon,
    tok_is_phrase,
)
from secretome_cli.search.resolve import Proposal, Rule
from secretome_cli.search.resolve import taken as covered
from secretome_cli.search.tuning import (
    CONDITION_WINDOW,
    ENGLISH_ZIPF,
    FUZZY_PHRASE_CUTOFF,
    MAX_PHRASE,
    MIN_FUZZY_KEY,
    MIN_PARTIAL_WORD,
    MIN_SUFFIX_WORD,
    PARTIAL_WINDOW,
    PARTIAL_ZIPF,
)
from secretome_cli.words import lexicon
from secretome_cli.words.lexicon import is_field_word, is_generic, is_stop
from secretome_cli.words.normalize import fold, key, stem, words


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
    from secretome_cli.search.subject import english

    return all(english(w) >= ENGLISH_ZIPF for w in found)


def _several(phrase: str, hits: Sequence[Hit]) -> str | None:
    """'arthritis' names several diseases: …, when a partial name finds more than one term of
    one kind."""
    names = sorted({h.term.name for h in hits if h.term.kind == "disease"})
    if len(names) < 2:
        return None
    return f"'{phrase}' names several diseases: {', '.join(names)}; all are searched"


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


class PhraseReader:
    """Reading the vocabulary phrases of a question; mixed into `parse.Parser`, which holds
    the vocabulary, the lexicon and the caches."""

    vocab: Vocabulary
    lexicon: Lexicon
    _partial: dict[str, list[tuple[Term, tuple[str, ...]]]] | None
    _label_cache: dict[str, Term] | None

    def _phrases(self, toks: list[str], committed: Sequence[Proposal]) -> list[Proposal]:
        """Propose the vocabulary phrases, left to right, each the longest that reads as a
        term (or a written-out text abbreviation) at its first token; tokens `committed`
        proposals read are not read again."""
        taken = covered(committed)
        proposals: list[Proposal] = []
        i = 0
        while i < len(toks):
            proposal = None
            if i not in taken and not tok_is_phrase(toks[i]):
                proposal = self._phrase_at(toks, taken, i)
            if proposal is None:
                i += 1
                continue
            proposals.append(proposal)
            taken.update(range(proposal.start, proposal.end))
            i = proposal.end
        return proposals

    def _phrase_at(self, toks: list[str], taken: Set[int], i: int) -> Proposal | None:
        written = self._written_out(toks, taken, i)
        if written is not None:
            length, word = written
            return Proposal(i, i + length, (word,), Rule.WRITTEN_OUT)
        found = self._match_at(toks, taken, i)
        if found is None and self._unknown(toks[i]):
            fuzzy = self._fuzzy_phrase(toks, i, taken, from_here=True)
            if fuzzy is not None:
                found = (fuzzy.span[1] - i, fuzzy)
        if found is None:
            return None
        length, concept = found
        concept = replace(concept, span=(i, i + length))
        notes: tuple[str, ...] = ()
        if concept.corrected:
            notes = (f"read '{concept.text}' as '{concept.corrected}' (spelling)",)
        return Proposal(i, i + length, concept, Rule.TERM, notes)

    def _match_at(self, toks: list[str], taken: Set[int], i: int) -> tuple[int, Concept] | None:
        markers = self._cd_markers(toks, i)
        if markers is not None:
            return markers
        for ahead in (1, 2):  # a known word followed by a mistyped one: 'alzheimers disese'
            j = i + ahead
            if j < len(toks) and j not in taken and self._unknown(toks[j]):
                fuzzy = self._fuzzy_phrase(toks, i, taken, from_here=True, cover=j)
                if fuzzy is not None:
                    return fuzzy.span[1] - i, fuzzy
                break
        longest = min(MAX_PHRASE, len(toks) - i)
        for length in range(longest, 0, -1):
            if _any_taken(taken, i, i + length):
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
            if _any_taken(taken, i, i + length) or is_stop(window[0]) or is_stop(window[-1]):
                continue
            phrase = " ".join(window)
            partial = self._partial_hits(phrase)
            if partial:
                return length, Concept(
                    phrase, partial, "partial name", note=_several(phrase, partial)
                )
        return None

    def _written_out(self, toks: list[str], taken: Set[int], i: int) -> tuple[int, FreeWord] | None:
        """A written-out text abbreviation ('tumour microenvironment'), read as a phrase that
        also matches its abbreviation ('TME')."""
        for abbreviation, expansion in lexicon.TEXT_ABBREVIATIONS.items():
            wanted = words(expansion)
            length = len(wanted)
            if i + length > len(toks) or _any_taken(taken, i, i + length):
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
        ulcerative colitis, "catenin" → Wnt/β-catenin); generic words stand for nothing, nor
        does a common English word alone ('multiple', 'healing': `PARTIAL_ZIPF`)."""
        phrase_words = words(phrase)
        if not phrase_words or all(is_generic(w) or len(w) < 3 for w in phrase_words):
            return []
        if len(phrase_words) == 1 and (
            len(phrase_words[0]) < MIN_PARTIAL_WORD
            or is_stop(phrase_words[0])
            or self.lexicon.label_zipf(phrase_words[0]) >= PARTIAL_ZIPF
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
        toks: list[str],
        i: int,
        taken: Set[int],
        from_here: bool = False,
        cover: int | None = None,
    ) -> Concept | None:
        """The vocabulary term a mistyped phrase around token `i` most likely means, read
        from tokens none of `taken`."""
        from rapidfuzz import fuzz, process

        labels = self._labels()
        best: tuple[float, int, int, str] | None = None
        for start in [i] if from_here else range(max(0, i - 2), i + 1):
            for end in range(max(i, cover or i) + 1, min(len(toks), start + 3) + 1):
                if _any_taken(taken, start, end) or is_stop(toks[start]) or is_stop(toks[end - 1]):
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
        text = " ".join(toks[start:end])
        return Concept(
            text, [Hit(term, term.name, "typo")], "typo", corrected=term.name, span=(start, end)
        )


def _any_taken(taken: Set[int], start: int, end: int) -> bool:
    return any(k in taken for k in range(start, end))
