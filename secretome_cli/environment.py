"""The streams a command writes to and what is known of the terminal, in one object.

`launch.py: run` makes one from the process (`Environment.of_process`) and hands it to
`cli/app.py: run`, which makes it the running command's (`cli/options.py: writing_to`, read
back with `env()`); the command hands it on to its renderer (`output/renderer.py: made`). A
test makes one over streams of its own and calls `run` as `launch.py` does. No module of
the tool but this one reads `sys.stdout` or `sys.stderr`, and none assigns them (Click's own
help and shell completion still write to `sys.stdout`). After httpie's `context.Environment`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO


@dataclass(eq=False, repr=False)  # one per run, never compared or printed
class Environment:
    """Where output goes, and how it is shown there."""

    stdout: TextIO
    stderr: TextIO
    stdout_isatty: bool
    stderr_isatty: bool
    colors: bool
    """False when the user asked for no colour (NO_COLOR set and not empty)."""
    width: int | None
    """The width the user set (COLUMNS); None: the terminal's, as Rich finds it."""

    @classmethod
    def of_process(cls) -> Environment:
        """The environment of this process: its standard streams and environment variables."""
        columns = os.environ.get("COLUMNS", "")
        return cls(
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            colors=os.environ.get("NO_COLOR", "") == "",
            width=int(columns) if columns.isdigit() else None,
        )

    def say(self, line: str) -> None:
        """Write one line to stderr (a note, a warning, an error), at once, with what could
        drive a terminal in it escaped (`output/sanitize.py`: it may name a file)."""
        from secretome_cli.output.sanitize import escape

        self.stderr.write(escape(line) + "\n")
        self.stderr.flush()

    def echo(self, line: str) -> None:
        """Write one line to stdout, escaped as `say` does."""
        from secretome_cli.output.sanitize import escape

        self.stdout.write(escape(line) + "\n")
        self.stdout.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or no stream at all
        return False
