"""Validation reports: one reporter class per output format, chosen by name.

`text` is for people (`file:line:col: error RULE: message`, grouped by file, with a summary),
`json` for scripts (`{"status": "ok"|"fail", "errors": [...]}`), `github` for GitHub Actions
(workflow-command annotations, escaped as the runner expects).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import ClassVar

from secretome_cli.model.problems import Problem


@dataclass(frozen=True)
class Summary:
    """What was checked, for the closing line of a report."""

    records: int
    valid: int
    files: int
    strict: bool


def failed(problems: Sequence[Problem], strict: bool) -> bool:
    """True when the problems fail the check (warnings fail only under --strict, acknowledged
    problems never)."""
    return any(p.severity == "error" or (strict and p.severity == "warning") for p in problems)


class Reporter:
    """Turns problems into the text of one output format."""

    name: ClassVar[str]

    def render(self, problems: Sequence[Problem], summary: Summary) -> str:
        raise NotImplementedError


class TextReporter(Reporter):
    """`file:line:col: severity RULE: message`, a blank line between files, then a summary."""

    name = "text"

    def render(self, problems: Sequence[Problem], summary: Summary) -> str:
        blocks = []
        for _, group in groupby(problems, key=lambda p: p.file):
            blocks.append(
                "\n".join(f"{p.location()}: {p.severity} {p.rule}: {p.message}" for p in group)
            )
        errors = sum(p.severity == "error" for p in problems)
        warnings = sum(p.severity == "warning" for p in problems)
        acknowledged = len(problems) - errors - warnings
        files = len({p.file for p in problems})
        checked = f"{summary.records} record{'s' * (summary.records != 1)} checked"
        if not problems:
            tail = f"ok: {checked}, no problems"
        else:
            verdict = "fail" if failed(problems, summary.strict) else "ok"
            known = f", {acknowledged} acknowledged" if acknowledged else ""
            tail = (
                f"{verdict}: {errors} error{'s' * (errors != 1)}, {warnings} "
                f"warning{'s' * (warnings != 1)}{known} in {files} file{'s' * (files != 1)}; "
                f"{checked}, {summary.valid} valid"
            )
            if warnings and not summary.strict and not errors:
                tail += " (--strict fails on warnings)"
        return "\n\n".join([*blocks, tail]) + "\n"


class JsonReporter(Reporter):
    """`{"status": "ok"|"fail", "errors": [{file, line, column, rule, severity, message}]}`."""

    name = "json"

    def render(self, problems: Sequence[Problem], summary: Summary) -> str:
        document = {
            "status": "fail" if failed(problems, summary.strict) else "ok",
            "records": summary.records,
            "valid": summary.valid,
            "errors": [p.as_dict() for p in problems],
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""

    name = "github"

    def render(self, problems: Sequence[Problem], summary: Summary) -> str:
        lines = []
        for p in problems:
            level = {"error": "error", "warning": "error" if summary.strict else "warning"}.get(
                p.severity, "notice"
            )
            props = ",".join(
                f"{k}={_escape_property(str(v))}"
                for k, v in (
                    ("file", p.file),
                    ("line", p.line),
                    ("col", p.column),
                    ("title", p.rule),
                )
            )
            lines.append(f"::{level} {props}::{_escape_data(p.message)}")
        verdict = "fail" if failed(problems, summary.strict) else "ok"
        lines.append(
            f"{verdict}: {len(problems)} problem{'s' * (len(problems) != 1)}, "
            f"{summary.records} records checked"
        )
        return "\n".join(lines) + "\n"


REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter)
}
"""Every validation output format, by the name `--format` takes."""
