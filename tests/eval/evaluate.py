"""Search quality on the question suite (tests/eval/questions.yaml, negatives.yaml and
relevance.yaml): `make eval` prints the table; tests/unit/test_eval.py holds the thresholds.

Each question is searched as a user types it (no flags); its answer is the records search
returns that are not marked related (related records, e.g. an absent condition's organ, are
not the answer). An answerable question is one with expected records: its recall is the share
of them in the first 20 results, its reciprocal rank 1/rank of the first expected record. A
question with a `relevant` list (every record about its subject) also has a share: of the
whole answer, how much is relevant. A negative (`expect: []`) must return nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "questions.yaml"
SUITES = (QUESTIONS, HERE / "negatives.yaml", HERE / "relevance.yaml")
"""Every file of the suite: the first questions, then hard negatives and questions with every
relevant record listed, written from the sources by someone who had not read the search code."""
TOP = 20


@dataclass
class Answer:
    """One question and what the search returned for it."""

    q: str
    kind: str
    expect: list[str]
    got: list[str]
    relevant: list[str] | None = None
    """Every record about the question's subject, when the suite lists them."""

    @property
    def negative(self) -> bool:
        return not self.expect

    @property
    def top(self) -> list[str]:
        return self.got[:TOP]

    @property
    def recall(self) -> float:
        return sum(e in self.top for e in self.expect) / len(self.expect)

    @property
    def precision(self) -> float:
        return sum(g in self.expect for g in self.top) / len(self.top) if self.top else 0.0

    @property
    def share(self) -> float:
        """Of the whole answer, the share of records about the subject (1 when empty)."""
        if not self.got or self.relevant is None:
            return 1.0
        relevant = {*self.relevant, *self.expect}
        return sum(g in relevant for g in self.got) / len(self.got)

    @property
    def reciprocal_rank(self) -> float:
        for rank, got in enumerate(self.got, 1):
            if got in self.expect:
                return 1.0 / rank
        return 0.0


@dataclass
class Scores:
    """The suite's summary numbers."""

    questions: int
    answerable: int
    negatives: int
    recall: float
    precision: float
    mrr: float
    empty_share: float
    negatives_returning: int
    judged: int
    """Questions with a `relevant` list."""
    relevant_share: float
    """The share of relevant records over the whole answer, averaged over those questions."""


def load_questions(path: Path = QUESTIONS) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def load_suite() -> list[dict[str, object]]:
    """Every question of every file of the suite (a missing file holds none)."""
    return [q for path in SUITES if path.exists() for q in load_questions(path)]


def answer_all(records: Path | None = None) -> list[Answer]:
    """Run every question through the search core against the record set."""
    from secretome_cli.files.layout import locate
    from secretome_cli.index.opening import load
    from secretome_cli.search.outcome import QueryError
    from secretome_cli.search.rank import Filters, Searcher

    searcher = Searcher(load(locate(records)))
    out = []
    for item in load_suite():
        q = str(item["q"])
        try:
            found = searcher.search(q, Filters()).results
            got = [r.doc["id"] for r in found if not r.related]
        except QueryError:
            got = []
        expect = [str(e) for e in item["expect"]]  # type: ignore[attr-defined]
        listed = item.get("relevant")
        relevant = None if listed is None else [str(r) for r in listed]  # type: ignore[attr-defined]
        out.append(Answer(q, str(item["kind"]), expect, got, relevant))
    return out


def score(answers: Sequence[Answer]) -> Scores:
    answerable = [a for a in answers if not a.negative]
    negatives = [a for a in answers if a.negative]
    judged = [a for a in answerable if a.relevant is not None]
    n = max(1, len(answerable))
    return Scores(
        questions=len(answers),
        answerable=len(answerable),
        negatives=len(negatives),
        recall=sum(a.recall for a in answerable) / n,
        precision=sum(a.precision for a in answerable) / n,
        mrr=sum(a.reciprocal_rank for a in answerable) / n,
        empty_share=sum(not a.got for a in answerable) / n,
        negatives_returning=sum(bool(a.got) for a in negatives),
        judged=len(judged),
        relevant_share=sum(a.share for a in judged) / max(1, len(judged)),
    )


def table(answers: Sequence[Answer]) -> str:
    """The Markdown table `make eval` prints: overall, then by kind of question."""
    rows = [("all", answers)]
    by_kind: dict[str, list[Answer]] = defaultdict(list)
    for a in answers:
        by_kind[a.kind].append(a)
    rows += sorted(by_kind.items())
    lines = [
        f"| questions | n | recall@{TOP} | precision@{TOP} | MRR | relevant share | "
        "empty answers | negatives answered |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, group in rows:
        s = score(group)
        empty = f"{s.empty_share:.1%}" if s.answerable else "–"
        neg = f"{s.negatives_returning}/{s.negatives}" if s.negatives else "–"
        share = f"{s.relevant_share:.3f}" if s.judged else "–"
        if s.answerable:
            lines.append(
                f"| {name} | {s.questions} | {s.recall:.3f} | {s.precision:.3f} | {s.mrr:.3f} | "
                f"{share} | {empty} | {neg} |"
            )
        else:
            lines.append(f"| {name} | {s.questions} | – | – | – | – | – | {neg} |")
    return "\n".join(lines)


def misses(answers: Sequence[Answer]) -> str:
    """Every question that missed, with what it expected and what came first."""
    lines = []
    for a in answers:
        if a.negative and a.got:
            lines.append(f"NEGATIVE ANSWERED {a.q!r}: {a.got[:3]}")
        elif not a.negative and a.recall < 1:
            lost = [e for e in a.expect if e not in a.top]
            lines.append(f"MISSED {a.q!r} [{a.kind}] lost {lost}; got {a.got[:3]} ({len(a.got)})")
        if a.relevant is not None and a.share < 1:
            relevant = {*a.relevant, *a.expect}
            extra = [g for g in a.got if g not in relevant]
            lines.append(
                f"UNRELATED {a.q!r} share {a.share:.2f}: {len(extra)} of {len(a.got)}: {extra[:4]}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="also list every missed question")
    parser.add_argument(
        "--suite",
        type=Path,
        action="append",
        help="score this question file instead of the suite (repeatable), e.g. a hold-out set "
        "written blind and kept out of tuning: tests/eval/holdout-2026-12-07.yaml",
    )
    args = parser.parse_args(argv)
    global SUITES
    if args.suite:
        SUITES = tuple(args.suite)
    answers = answer_all()
    print(table(answers))
    if args.misses:
        print()
        print(misses(answers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
