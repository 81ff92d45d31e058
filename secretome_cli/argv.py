"""What a command line names before Typer parses it: the command, and the record set.

Read twice, cheaply, by plain string rules: by the launcher (`launch.py`), to start the
freshness scan of a search before anything is imported, and by `cli/app.py: narrowed`, to give
Typer only the command that runs. Neither trusts it for more than a guess that saves time: a
command line these rules misread still runs, and is answered, exactly as Typer reads it.
"""

from __future__ import annotations

GROUP_FLAGS = frozenset({"--debug"})
"""The app's own options that may stand before a command name without changing what runs."""

RECORDS_FLAG = "--records"
"""The option naming the record set (`cli/options.py: RecordsOption`)."""


def command_of(args: list[str]) -> tuple[str | None, list[str]]:
    """The command name the arguments start with (after any `GROUP_FLAGS`), and the
    arguments after it; None when there is none."""
    rest = list(args)
    while rest and rest[0] in GROUP_FLAGS:
        rest.pop(0)
    if not rest:
        return None, []
    return rest[0], rest[1:]


def records_of(args: list[str]) -> str | None:
    """The value of the last `--records` among a command's arguments (`--records DIR` or
    `--records=DIR`, before any `--`), or None."""
    found: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            break
        if arg == RECORDS_FLAG and i + 1 < len(args):
            found = args[i + 1]
            i += 1
        elif arg.startswith(RECORDS_FLAG + "="):
            found = arg[len(RECORDS_FLAG) + 1 :]
        i += 1
    return found


def asks_for_help(args: list[str]) -> bool:
    """Whether the arguments ask for help (`-h` or `--help` before any `--`)."""
    for arg in args:
        if arg == "--":
            return False
        if arg in ("-h", "--help"):
            return True
    return False
