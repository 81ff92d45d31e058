"""The resolver of the query parser, as a table: proposals in (in the order the passes make
them), committed spans out. Then what it builds: the cues' directions and roles, the order of
each list, the notes of a displaced reading."""

from __future__ import annotations

import pytest

from secretome_cli.model.vocab import Hit, Term
from secretome_cli.search.concepts import CitationConcept, Concept, FreeWord
from secretome_cli.search.resolve import Cue, Ignored, Proposal, Resolver, Rule


def _concept(text: str, kind: str, how: str = "exact") -> Concept:
    term = Term(kind, text, (text,))
    return Concept(text, [Hit(term, text, "name")], how)


def term(start: int, end: int, text: str, kind: str, how: str = "exact") -> Proposal:
    concept = _concept(text, kind, how)
    concept.span = (start, end)
    return Proposal(start, end, concept, Rule.TERM)


def words(start: int, end: int, text: str, rule: Rule = Rule.WORD) -> Proposal:
    return Proposal(start, end, (FreeWord(text, text),), rule)


def condition(start: int, end: int, text: str) -> Proposal:
    return Proposal(
        start, end, (FreeWord(text, text, phrase=True, condition=True),), Rule.CONDITION
    )


LIVER = term(0, 1, "liver", "organ")
KIDNEY = term(1, 2, "kidney", "organ")
FIBROSIS = term(1, 2, "fibrosis", "disease", how="partial name")
FAILURE = term(1, 2, "failure", "disease", how="partial name")
ZHANG = Proposal(0, 2, CitationConcept("Zhang 2022", ["zhang2022"]), Rule.AUTHOR)
UC = term(0, 2, "ulcerative colitis", "disease")
SUPPRESS = Proposal(0, 1, Cue(direction="down"), Rule.CUE)

# (what it shows, proposals in commit order, committed (start, end, rule) in order)
CASES = [
    ("apart, all stay", [LIVER, words(1, 2, "help")], [(0, 1, Rule.TERM), (1, 2, Rule.WORD)]),
    (
        "a condition name beats the organ it covers and the partial name of its head",
        [LIVER, FIBROSIS, condition(0, 2, "liver fibrosis")],
        [(0, 2, Rule.CONDITION)],
    ),
    (
        "a condition name beats every organ it covers ('liver kidney fibrosis')",
        [LIVER, KIDNEY, condition(0, 3, "liver kidney fibrosis")],
        [(0, 3, Rule.CONDITION)],
    ),
    (
        "an organ with a generic head: the head's partial name goes, the organ stays",
        [
            term(0, 1, "kidney", "organ"),
            FAILURE,
            Proposal(1, 2, Ignored("failure"), Rule.ORGAN_HEAD),
        ],
        [(0, 1, Rule.TERM), (1, 2, Rule.ORGAN_HEAD)],
    ),
    (
        "a condition name loses to a vocabulary term that is no organ",
        [term(0, 1, "lupus", "disease"), condition(0, 2, "lupus nephritis")],
        [(0, 1, Rule.TERM)],
    ),
    (
        "a condition name that covers an organ term only in part loses",
        [term(0, 2, "bone marrow", "organ"), condition(1, 3, "marrow fibrosis")],
        [(0, 2, Rule.TERM)],
    ),
    (
        "a condition name loses to a partial name that is not its head",
        [term(0, 1, "colitis", "disease", how="partial name"), condition(0, 2, "colitis fibrosis")],
        [(0, 1, Rule.TERM)],
    ),
    ("a citation beats a word", [ZHANG, words(0, 1, "zhang")], [(0, 2, Rule.AUTHOR)]),
    (
        "a spelling guess loses to an exact term",
        [UC, Proposal(1, 3, _concept("colitis", "disease", "typo"), Rule.TYPO)],
        [(0, 2, Rule.TERM)],
    ),
    (
        "a cue takes no token: a spelling guess may read it too",
        [SUPPRESS, Proposal(0, 2, _concept("colitis", "disease", "typo"), Rule.TYPO, at=1)],
        [(0, 1, Rule.CUE), (0, 2, Rule.TYPO)],
    ),
]


@pytest.mark.parametrize(("shows", "proposals", "committed"), CASES, ids=[c[0] for c in CASES])
def test_the_resolver_commits(
    shows: str, proposals: list[Proposal], committed: list[tuple[int, int, Rule]]
) -> None:
    resolver = Resolver()
    resolver.commit(proposals)
    assert [(p.start, p.end, p.rule) for p in resolver.committed] == committed


def test_a_cue_goes_to_the_next_concept_and_a_direction_left_over_to_the_last() -> None:
    resolver = Resolver()
    first, second = term(1, 2, "liver", "organ"), term(3, 4, "TGF-beta", "factor")
    targets = Proposal(2, 3, Cue(role="target"), Rule.CUE)
    increase = Proposal(4, 5, Cue(direction="up"), Rule.CUE)
    resolver.commit([first, second, SUPPRESS, targets, increase])
    concepts = resolver.build("suppress liver targets TGF-beta increase").concepts
    assert [(c.text, c.direction, c.role) for c in concepts] == [
        ("liver", "down", None),
        ("TGF-beta", "up", "target"),
    ]
    assert isinstance(first.reading, Concept) and first.reading.direction is None  # a copy


def test_a_spelling_guess_takes_the_cues_before_the_word_that_proposed_it() -> None:
    resolver = Resolver()
    guess = Proposal(0, 2, _concept("colitis", "disease", "typo"), Rule.TYPO, at=1)
    resolver.commit([SUPPRESS, guess])
    assert [c.direction for c in resolver.build("suppress colitus").concepts] == ["down"]


def test_each_list_is_in_the_order_its_pieces_were_committed_and_notes_go_with_them() -> None:
    resolver = Resolver()
    spelled = Proposal(2, 3, _concept("colitis", "disease", "typo"), Rule.TYPO, ("spelling",))
    noted_organ = Proposal(0, 1, LIVER.reading, Rule.TERM, ("organ note",))
    resolver.commit([ZHANG, spelled, noted_organ])
    resolver.commit([Proposal(3, 4, Ignored("the"), Rule.IGNORED), words(4, 5, "help")])
    parsed = resolver.build("Zhang 2022 colitus liver the help")
    assert [c.text for c in parsed.concepts] == ["colitis"]  # 'liver' overlapped Zhang 2022
    assert [c.text for c in parsed.citations] == ["Zhang 2022"]
    assert parsed.notes == ["spelling"]
    assert parsed.ignored == ["the"]
    assert [f.word for f in parsed.free] == ["help"]
    resolver = Resolver()
    resolver.commit([Proposal(0, 1, LIVER.reading, Rule.TERM, ("organ note",))])
    resolver.commit([condition(0, 2, "liver fibrosis")])
    assert resolver.build("liver fibrosis").notes == []  # displaced with its reading
