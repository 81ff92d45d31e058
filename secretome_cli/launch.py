"""The console script's entry point (`secretome`, `python -m secretome_cli`).

Before anything else is imported, a search whose output goes to a file or a pipe starts
checking its record files in a child process (`index/early.py`): on a large record set that
check costs as much as the answer, and the two then run side by side. Everything else is
`cli/app.py: main`. Set SECRETOME_EARLY_SCAN=0 to check the files in the process itself.
"""

from __future__ import annotations

import os
import sys

from secretome_cli.argv import asks_for_help, command_of, records_of

EARLY_SCAN_ENV = "SECRETOME_EARLY_SCAN"
"""Set to 0 to never start the freshness scan in a child process."""


def main() -> None:
    """Run the command line, a search's freshness scan started first where it pays."""
    args = sys.argv[1:]
    if not early_scan_wanted(args):
        from secretome_cli.cli.app import main as run

        run()
        return
    from secretome_cli.index import early

    early.start(records_of(command_of(args)[1]))
    from secretome_cli.cli.app import main as run

    try:
        run()
    except SystemExit as end:
        if early.answered() and (end.code is None or isinstance(end.code, int)):
            _exit_now(end.code or 0)
        raise


def _exit_now(code: int) -> None:
    """End the process at once, once its output is flushed, without tearing the interpreter
    down: freeing every object of a large answer one by one takes longer than writing it
    (30 ms at 100 000 records, 15 ms on the bundled set). Only after a search answered early
    (`cli/early.py`): its answer is written, its index closed, its scan reaped, and nothing
    else is open that an orderly exit would finish. Returns when flushing fails (the usual
    exit then reports it)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def early_scan_wanted(args: list[str]) -> bool:
    """A search, not asking for help, not shell completion, with its output not on a
    terminal (a table for the eyes is small, and is not held back), and not switched off."""
    command, rest = command_of(args)
    return (
        command == "search"
        and not asks_for_help(rest)
        and os.environ.get(EARLY_SCAN_ENV, "1") != "0"
        and not any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)
        and not _is_terminal(1)
    )


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False
