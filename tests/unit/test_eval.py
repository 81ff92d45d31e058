"""Search quality, measured the way a user meets it: the question suite of tests/eval/
(questions.yaml, negatives.yaml, relevance.yaml: written from the sources by people who had
not read the search code, fixed before the first run, never edited to pass). `make eval`
prints the table.

The gate of issue 19: recall in the first 20 at least 0.95, the share of relevant records over
the whole answer at least 0.90 (on the questions with `relevant` lists), MRR not below its
value before that change (0.937 on this suite, measured on commit f7c5b4a), every negative
empty. The thresholds not yet met are marked `xfail(strict=True)` with the value measured:
they fail as soon as they pass, so that the mark is removed then."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from conftest import RECORDS
from evaluate import SUITES, answer_all, load_questions, load_suite, misses, score

MRR_BEFORE = 0.937
"""MRR of the whole suite before issue 19 (commit f7c5b4a, `make eval`)."""


@pytest.fixture(scope="module")
def answers():
    return answer_all(RECORDS)


def test_the_suite_is_big_and_varied_enough() -> None:
    questions = load_questions()
    assert len(questions) >= 150
    assert sum(not q["expect"] for q in questions) >= 15
    kinds = {q["kind"] for q in questions}
    assert {"verb", "word-form", "organ", "target-first", "mechanism-first", "long"} <= kinds


def test_every_expected_and_relevant_record_exists() -> None:
    ids = {p.stem for p in (RECORDS / "evidence").glob("*.yaml")}
    for q in load_suite():
        assert set(q["expect"]) <= ids, q["q"]
        assert set(q.get("relevant") or []) <= ids, q["q"]


def test_the_hard_negatives_and_relevance_lists_are_there() -> None:
    assert all(path.exists() for path in SUITES)
    questions = load_suite()
    assert sum(not q["expect"] for q in questions) >= 60 + 24
    assert sum("relevant" in q for q in questions) >= 50


def test_recall_in_the_first_20_is_at_least_95_percent(answers) -> None:
    assert score(answers).recall >= 0.95, misses(answers)


def test_at_most_2_percent_of_answerable_questions_come_back_empty(answers) -> None:
    assert score(answers).empty_share <= 0.02, misses(answers)


def test_no_negative_question_of_the_first_suite_returns_a_record(answers) -> None:
    first = {str(q["q"]) for q in load_questions()}
    assert score([a for a in answers if a.q in first]).negatives_returning == 0, misses(answers)


def test_no_negative_question_returns_a_record(answers) -> None:
    assert score(answers).negatives_returning == 0, misses(answers)


@pytest.mark.xfail(strict=True, reason="issue 19: the share is 0.81, the target 0.90")
def test_the_share_of_relevant_records_over_the_whole_answer_is_at_least_90_percent(
    answers,
) -> None:
    scores = score(answers)
    assert scores.judged >= 50
    assert scores.relevant_share >= 0.90, misses(answers)


def test_mrr_is_not_below_its_value_before_issue_19(answers) -> None:
    assert score(answers).mrr >= MRR_BEFORE, misses(answers)
