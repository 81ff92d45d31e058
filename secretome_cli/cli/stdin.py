"""`-` for standard input, as git, ripgrep and gh read it: record ids for `show` and `cite`
(`secretome search … --format ids | secretome show -`), a record file for `validate -` and
`fmt -` (what an editor or a hook has in hand before it is saved)."""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from secretome_cli.cli.options import fail

if TYPE_CHECKING:
    from secretome_cli.summary.validation import Validation

STDIN = "-"
"""The argument that names standard input."""

MAX_STDIN = 8_000_000
"""Most characters read from standard input: far above any record or list of ids."""

_ID = re.compile(r"^id:[ \t]*['\"]?([a-z0-9][a-z0-9-]*)", re.MULTILINE)


def read_stdin() -> str:
    """Standard input as text; a one-line error when it is too long or not text."""
    try:
        text = sys.stdin.read(MAX_STDIN + 1)
    except UnicodeDecodeError:
        fail("standard input is not UTF-8 text")
    except OSError as exc:
        fail(f"cannot read standard input: {exc.strerror or exc}")
    if len(text) > MAX_STDIN:
        fail(f"standard input is too long (the limit is {MAX_STDIN:,} characters)")
    return text


def expand_ids(values: Iterable[str]) -> list[str]:
    """`values` with each `-` replaced by the ids read from standard input: the first
    tab-separated field of each line, so that `--format ids` and the TSV of search and export
    (whose header line `id` is skipped) both read."""
    ids: list[str] = []
    for value in values:
        if value != STDIN:
            ids.append(value)
            continue
        for line in read_stdin().splitlines():
            first = line.split("\t", 1)[0].strip()
            if first and first != "id":
                ids.append(first)
    return ids


@contextmanager
def stdin_file() -> Iterator[Path]:
    """Standard input as a record file in a temporary folder, named by the id it holds (else
    `stdin.yaml`), for the checks that read files; removed afterwards."""
    text = read_stdin()
    found = _ID.search(text)
    name = f"{found.group(1)[:80] if found else 'stdin'}.yaml"
    with tempfile.TemporaryDirectory(prefix="secretome-stdin-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        yield path


def relabel(report: Validation, path: Path) -> Validation:
    """The report with the temporary file of standard input named `-` in its problems."""
    names = {str(path), str(path.resolve())}
    problems = [p._replace(file=STDIN) if p.file in names else p for p in report.problems]
    return replace(report, problems=sorted(problems))
