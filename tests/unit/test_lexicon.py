"""The lexicon: every word list in one normal form, and every entry found again when a user
types it (in any inflection)."""

from __future__ import annotations

import pytest

from secretome_cli.words import lexicon
from secretome_cli.words.normalize import word_root, word_stem

ENTRIES = [(name, word) for name, raw in lexicon.LISTS.items() for word in raw.split()]


@pytest.mark.parametrize(("name", "word"), ENTRIES, ids=[f"{n}:{w}" for n, w in ENTRIES])
def test_every_entry_survives_the_normal_form(name: str, word: str) -> None:
    stored = {
        "question": lexicon.QUESTION_WORDS,
        "field": lexicon.FIELD_WORDS,
        "weak": lexicon.WEAK_WORDS,
        "down": lexicon.DOWN_WORDS,
        "up": lexicon.UP_WORDS,
        "role": lexicon.ROLE_WORDS,
        "generic": lexicon.GENERIC,
        "tissue cue": lexicon.TISSUE_CUES,
        "disease cue": lexicon.DISEASE_CUES,
        "condition head": lexicon.CONDITION_HEADS,
        "generic head": lexicon.GENERIC_HEADS,
        "named head": lexicon.NAMED_HEADS,
        "cause": lexicon.CAUSE_WORDS,
        "prefix": set(lexicon.PREFIXES),
    }[name]
    assert lexicon.entry(word) in stored
    assert (
        lexicon.entry(lexicon.entry(word)) == lexicon.entry(word) or lexicon.entry(word) in stored
    )


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("suppresses", "down"),
        ("downregulating", "down"),
        ("Down-regulates", "down"),
        ("inhibited", "down"),
        ("blocking", "down"),
        ("activates", "up"),
        ("upregulated", "up"),
        ("stimulating", "up"),
        ("colitis", None),
    ],
)
def test_direction_words_in_any_form(typed: str, asked: str | None) -> None:
    assert lexicon.direction(typed) == asked


def test_british_and_american_field_words_meet() -> None:
    assert lexicon.is_field_word("signalling")
    assert lexicon.is_field_word("signaling")
    assert lexicon.is_field_word("Signalling")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("injury", "injured"),
        ("storage", "stored"),
        ("isolation", "isolated"),
        ("inflammation", "inflamed"),
        ("treatment", "treat"),
        ("apoptosis", "apoptotic"),
        ("failure", "fail"),
    ],
)
def test_derivational_pairs_share_a_root(a: str, b: str) -> None:
    assert word_root(a) == word_root(b)


@pytest.mark.parametrize(("a", "b"), [("heal", "healing"), ("protect", "protection")])
def test_inflections_share_a_stem(a: str, b: str) -> None:
    assert word_stem(a) == word_stem(b)


@pytest.mark.parametrize(("a", "b"), [("heal", "health"), ("protein", "protect")])
def test_unrelated_words_do_not_meet(a: str, b: str) -> None:
    assert word_root(a) != word_root(b)


@pytest.mark.parametrize(
    ("token", "head"),
    [
        ("disease", True),
        ("failure", True),
        ("psoriasis", True),
        ("hepatitis", True),
        ("cell", False),
    ],
)
def test_condition_heads(token: str, head: bool) -> None:
    assert lexicon.is_condition_head(token) is head
