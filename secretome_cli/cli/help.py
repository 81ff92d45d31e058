"""Help as gh and httpie give it: examples at the end of every command's `--help`, and
`secretome help COMMAND`, the same help by another way in.

The examples are one table (`EXAMPLES`, by command path), given to the commands as their
epilog by `add_examples`: `cli/app.py` gives its own commands theirs, and `register` (called
by `cli/commands.py`, which adds every other command) gives the rest theirs and adds `help`.
"""

from __future__ import annotations

from typing import Annotated

import typer

EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "search": (
        ("Ask in your own words", "secretome search 'which miRNAs act on colitis'"),
        ("Filter, and keep the best five", "secretome search exosomes -d IBD -n 5"),
        ("One record id a line, to show them", "secretome search TSG-6 -f ids | secretome show -"),
        ("How the query was read", "secretome search 'TGF beta' --explain"),
    ),
    "show": (
        ("One record in full", "secretome show lung-cancer-mir-320a-sox4-wnt"),
        ("The records a search found", "secretome search TSG-6 -f ids | secretome show -"),
    ),
    "export": (
        ("Every record as JSON", "secretome export > records.json"),
        (
            "One row per factor, as a spreadsheet reads it",
            "secretome export -f csv --explode factors",
        ),
        ("The ids of the records a query finds", "secretome export colitis -f ids"),
    ),
    "cite": (
        ("The references behind a query, as BibTeX", "secretome cite colitis -f bibtex"),
        (
            "The references of the records a search found",
            "secretome search TSG-6 -f ids | secretome cite -",
        ),
    ),
    "stats": (
        ("Counts per facet", "secretome stats"),
        ("As TSV for a spreadsheet", "secretome stats -f tsv"),
    ),
    "matrix": (
        ("Where the evidence is thin", "secretome matrix --rows disease --cols factor-class"),
        ("As JSON", "secretome matrix --rows pathway --cols tissue --json"),
    ),
    "graph": (("A Mermaid flowchart of a disease", "secretome graph -d IBD"),),
    "vocab": (
        ("A summary of every vocabulary", "secretome vocab"),
        ("The factors, one a line, for a script", "secretome vocab factors -f tsv"),
    ),
    "conflicts": (("Where the records disagree on a disease", "secretome conflicts -d IBD"),),
    "diff": (
        ("What changed since the last commit", "secretome diff --git HEAD~1"),
        ("Two record sets side by side", "secretome diff old/records records"),
    ),
    "validate": (
        ("Check the record set you stand in", "secretome validate"),
        ("Problems only (as a pre-commit hook)", "secretome validate --quiet"),
        ("A record from standard input", "secretome validate - < draft.yaml"),
    ),
    "fmt": (
        ("Rewrite every file of the record set", "secretome fmt"),
        ("Only check (exit 1 if a file would change)", "secretome fmt --check"),
    ),
    "new": (("A new record to fill in", "secretome new lung-cancer-mir-320a-sox4"),),
    "schema": (("The JSON Schema of a record", "secretome schema > record.schema.json"),),
    "cache info": (("What the index cache holds", "secretome cache info"),),
    "cache clear": (("Empty the index cache", "secretome cache clear"),),
    "help": (("The help of a command", "secretome help search"),),
}
"""Examples of each command, by its path after `secretome`: (what it does, command line)."""


def epilog(path: str) -> str | None:
    """The 'Examples:' section of a command's help. (`\\b` keeps Click from re-wrapping it.)"""
    examples = EXAMPLES.get(path)
    if not examples:
        return None
    lines = ["\b", "Examples:"]
    for what, command in examples:
        lines += [f"  # {what}", f"  $ {command}"]
    return "\n".join(lines)


CommandArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[COMMAND]...",
        help="The command to explain, e.g. search or cache info (default: all of them).",
        show_default=False,
    ),
]


def show_help(app: typer.Typer, command: list[str]) -> None:
    """Write the help of `command` (a path of command names; none: the app's own help), as
    `secretome COMMAND --help` writes it."""
    import difflib

    from secretome_cli.cli.options import env, fail

    current = typer.main.get_command(app)
    ctx = typer.Context(current, info_name="secretome", **current.context_settings)
    for name in command or []:
        # a group has commands (the Click Typer holds is its own, so no isinstance here)
        found = current.get_command(ctx, name) if hasattr(current, "get_command") else None
        if found is None:
            known = current.list_commands(ctx) if hasattr(current, "list_commands") else []
            near = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            fail(f"no command {' '.join(command or [])!r} (see 'secretome --help'){hint}")
        current = found
        ctx = typer.Context(current, info_name=name, parent=ctx, **current.context_settings)
    env().echo(current.get_help(ctx))


def register(app: typer.Typer) -> None:
    """Add `help` to `app` (it explains the commands `app` holds), and give every command of
    `app` (and of its groups) its examples."""

    def help_command(command: CommandArgument = None) -> None:
        """Show the help of a command, as `secretome COMMAND --help` does."""
        show_help(app, command or [])

    app.command("help", epilog=epilog("help"))(help_command)
    add_examples(app)


def add_examples(app: typer.Typer) -> None:
    """Give every command of `app` (and of its groups) that has none its examples."""
    for info in app.registered_commands:
        name = info.name or (info.callback.__name__ if info.callback else "")
        info.epilog = info.epilog or epilog(name)
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        prefix = group.name or sub.info.name
        for info in sub.registered_commands:
            name = info.name or (info.callback.__name__ if info.callback else "")
            info.epilog = info.epilog or epilog(f"{prefix} {name}")
