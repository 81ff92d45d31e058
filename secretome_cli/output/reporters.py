"""Validation reports: one reporter class per output format, chosen by name.

`text` is for people (`file:line:col: error RULE: message`, grouped by file, with a summary),
`json` for scripts (`{"status": "ok"|"fail", "errors": [...]}`), `github` for GitHub Actions
(workflow-command annotations, escaped as the runner expects).

The people's formats keep quiet about what needs no one's attention: acknowledged problems
(a DOI kept as printed) are counted in the closing line and listed only when `verbose`;
`quiet` prints the problems and nothing else. JSON always holds everything.
"""

from __future__ import annotations

import json
from itertools import groupby

from secretome_cli.files.layout import display
from secretome_cli.model.problems import Problem
from secretome_cli.output.renderer import TextRenderer, registry
from secretome_cli.output.sanitize import escape
from secretome_cli.summary.validation import Validation


class Reporter(TextRenderer[Validation]):
    """Turns the outcome of a validation into the text of one output format."""

    def __init__(self, verbose: bool = False, quiet: bool = False) -> None:
        self.verbose = verbose
        self.quiet = quiet

    def listed(self, report: Validation) -> list[Problem]:
        """The problems to list: acknowledged ones only when verbose (never when quiet)."""
        if self.verbose and not self.quiet:
            return report.problems
        return [p for p in report.problems if p.severity != "acknowledged"]


class TextReporter(Reporter):
    """`file:line:col: severity RULE: message`, a blank line between files, then a report.
    A file name is shown escaped (`\\n`, `\\x1b`): a name cannot forge a line or drive the
    terminal."""

    name = "text"

    def render(self, report: Validation) -> str:
        problems = report.problems
        blocks = []
        for _, group in groupby(self.listed(report), key=lambda p: p.file):
            blocks.append(
                "\n".join(
                    f"{escape(p.location(), line=True)}: {p.severity} {p.rule}: "
                    + escape(p.message, line=True)
                    for p in group
                )
            )
        if self.quiet:
            return "".join(f"{block}\n" for block in blocks)
        errors = sum(p.severity == "error" for p in problems)
        warnings = sum(p.severity == "warning" for p in problems)
        acknowledged = len(problems) - errors - warnings
        files = report.files
        checked = f"{report.records} record{'s' * (report.records != 1)} checked"
        if not problems:
            tail = f"ok: {checked}, no problems"
        else:
            verdict = "fail" if report.failed else "ok"
            known = f", {acknowledged} acknowledged" if acknowledged else ""
            tail = (
                f"{verdict}: {errors} error{'s' * (errors != 1)}, {warnings} "
                f"warning{'s' * (warnings != 1)}{known} in {files} file{'s' * (files != 1)}; "
                f"{checked}, {report.valid} valid"
            )
            if warnings and not report.strict and not errors:
                tail += " (--strict fails on warnings)"
        if report.record_set is not None:
            tail += f"; record set {display(report.record_set)}"
        return "\n\n".join([*blocks, tail]) + "\n"


class JsonReporter(Reporter):
    """`{"status": "ok"|"fail", "errors": [{file, line, column, rule, severity, message}]}`."""

    name = "json"
    raw = True

    def render(self, report: Validation) -> str:
        problems = report.problems
        document = {
            "status": "fail" if report.failed else "ok",
            "records": report.records,
            "valid": report.valid,
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

    def render(self, report: Validation) -> str:
        problems = report.problems
        lines = []
        for p in self.listed(report):
            level = {"error": "error", "warning": "error" if report.strict else "warning"}.get(
                p.severity, "notice"
            )
            props = ",".join(
                f"{k}={_escape_property(str(v))}"
                for k, v in (
                    ("file", escape(p.file, line=True)),
                    ("line", p.line),
                    ("col", p.column),
                    ("title", p.rule),
                )
            )
            lines.append(f"::{level} {props}::{_escape_data(p.message)}")
        verdict = "fail" if report.failed else "ok"
        if self.quiet:
            return "".join(f"{line}\n" for line in lines)
        lines.append(
            f"{verdict}: {len(problems)} problem{'s' * (len(problems) != 1)}, "
            f"{report.records} records checked"
        )
        return "\n".join(lines) + "\n"


REPORTERS = registry(TextReporter, JsonReporter, GithubReporter)
"""Every validation output format, by the name `--format` takes."""
