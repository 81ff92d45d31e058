"""Search quality, measured the way a user meets it: the question suite of
tests/eval/questions.yaml (written from the sources by someone who had not read the search
code, fixed before the first run, never edited to pass). `make eval` prints the table."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from conftest import RECORDS
from evaluate import answer_all, load_questions, misses, score


@pytest.fixture(scope="module")
def answers():
    return answer_all(RECORDS)


def test_the_suite_is_big_and_varied_enough() -> None:
    questions = load_questions()
    assert len(questions) >= 150
    assert sum(not q["expect"] for q in questions) >= 15
    kinds = {q["kind"] for q in questions}
    assert {"verb", "word-form", "organ", "target-first", "mechanism-first", "long"} <= kinds


def test_every_expected_record_exists() -> None:
    ids = {p.stem for p in (RECORDS / "evidence").glob("*.yaml")}
    for q in load_questions():
        assert set(q["expect"]) <= ids, q["q"]


def test_recall_in_the_first_20_is_at_least_95_percent(answers) -> None:
    assert score(answers).recall >= 0.95, misses(answers)


def test_at_most_2_percent_of_answerable_questions_come_back_empty(answers) -> None:
    assert score(answers).empty_share <= 0.02, misses(answers)


def test_no_negative_question_returns_a_record(answers) -> None:
    assert score(answers).negatives_returning == 0, misses(answers)
