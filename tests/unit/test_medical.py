"""The words of ICD-10-CM's names of diseases: the committed list and what it decides."""

from __future__ import annotations

import pytest

from secretome_cli.words.medical import WORDS, build, is_medical, medical_words


@pytest.mark.slow
def test_the_committed_list_is_what_the_installed_release_makes() -> None:
    assert WORDS.read_text(encoding="utf-8").split() == build(), (
        "run `python -m secretome_cli.words.medical` and commit the list"
    )


@pytest.mark.parametrize(
    ("word", "medical"),
    [("acne", True), ("migraine", True), ("tendon", True), ("lining", False), ("help", False)],
)
def test_words_of_disease_names_are_medical(word, medical) -> None:
    assert is_medical(word) is medical


def test_the_list_holds_only_words_of_four_letters_or_more() -> None:
    assert all(len(word) >= 4 and word.isalpha() for word in medical_words())
