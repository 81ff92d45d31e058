"""What a command line names before Typer parses it: the command.

Read cheaply, by a plain string rule, by `cli/app.py: narrowed`, to give Typer only the
command that runs. It is no more than a guess that saves time: a command line this rule
misreads still runs, and is answered, exactly as Typer reads it.
"""

from __future__ import annotations

GROUP_FLAGS = frozenset({"--debug"})
"""The app's own options that may stand before a command name without changing what runs."""


def command_of(args: list[str]) -> tuple[str | None, list[str]]:
    """The command name the arguments start with (after any `GROUP_FLAGS`), and the
    arguments after it; None when there is none."""
    rest = list(args)
    while rest and rest[0] in GROUP_FLAGS:
        rest.pop(0)
    if not rest:
        return None, []
    return rest[0], rest[1:]
