"""The console script's entry point (`secretome`, `python -m secretome_cli`). A search whose
output is not a terminal first forks, before anything is imported, a child that scans the
record files and reports the fingerprint through one pipe, while the search answers from the
cached index as it stands (`cli/early.py`); SECRETOME_EARLY_SCAN=0 turns this off. Design
and price: docs/performance.md. Then everything is `cli/app.py: main`.
"""

from __future__ import annotations

import os
import signal
import sys

from secretome_cli.argv import asks_for_help, command_of, records_of

EARLY_SCAN_ENV = "SECRETOME_EARLY_SCAN"
scanning: tuple[int, int] | None = None
"""The scanning child's pid and the read end of its pipe, until its report is taken."""


def main() -> None:
    """Run the command line, a search's freshness scan started first where it pays."""
    global scanning
    if early_scan_wanted(sys.argv[1:]) and sys.platform.startswith("linux"):  # a plain fork
        read, write = os.pipe()
        if min(read, write) <= 2:  # a standard stream was closed: leave its number free
            os.close(read)
            os.close(write)
        elif (pid := os.fork()) == 0:
            try:  # the child: it never returns into the launcher
                _scan_into(records_of(command_of(sys.argv[1:])[1]), read, write)
            finally:
                sys.exit(0)
        else:
            os.close(write)
            scanning = (pid, read)
    from secretome_cli.cli.app import main as run

    run()


def early_scan_wanted(args: list[str]) -> bool:
    """A search, not asking for help, not shell completion, with its output not on a
    terminal (a table for the eyes is small, and is not held back), and not switched off."""
    command, rest = command_of(args)
    return (
        command == "search"
        and not asks_for_help(rest)
        and os.environ.get(EARLY_SCAN_ENV, "1") != "0"
        and not any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)
        and not os.isatty(1)
    )


def report(*, wanted: bool = True) -> tuple[str, str] | None:
    """The child's (resolved record set path, fingerprint), once it has ended; None when none
    was started, it failed, or the report is not `wanted` (it is stopped). Reaps the child."""
    global scanning
    if scanning is None:
        return None
    (pid, fd), scanning = scanning, None
    with os.fdopen(fd, "rb") as pipe:
        if not wanted:
            os.kill(pid, signal.SIGKILL)
        data = pipe.read() if wanted else b""
    os.waitpid(pid, 0)
    root, _, fingerprint = data.decode("utf-8", "surrogateescape").partition("\0")
    return (root, fingerprint) if fingerprint else None


def _scan_into(records: str | None, read: int, write: int) -> None:  # pragma: no cover
    from pathlib import Path

    from secretome_cli.files.layout import Layout, locate
    from secretome_cli.index.scan import scan

    os.close(read)
    for std in (0, 1, 2):  # a reader of the search's output never waits for the child
        os.dup2(os.open(os.devnull, os.O_RDWR), std)
    root = locate(None if records is None else Path(records))
    found = f"{root.resolve()}\0{scan(Layout(root)).fingerprint}"
    with os.fdopen(write, "wb") as pipe:
        pipe.write(found.encode("utf-8", "surrogateescape"))
