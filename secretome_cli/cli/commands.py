"""Every command that `cli/app.py` does not define, added to its app by `add_every_command`
in the order help lists them: `exporting.py` (`export`), `overview.py` (`cite`, `stats`,
`matrix`, `graph`, `vocab`), `files.py` (`validate`, `fmt`, `schema`), `review.py` (`diff`,
`conflicts`, `new`); then `help.py` gives every command its examples and adds `secretome
help`. Called once, by `app.py: whole`, when a command line needs more than `app.py`'s own
commands (a search does not)."""

import typer

from secretome_cli.cli import exporting, files, help, overview, review


def add_every_command(app: typer.Typer) -> None:
    """Add the commands of the other modules, and `help`, to `app`."""
    exporting.register(app)
    overview.register(app)
    files.register(app)
    review.register(app)
    help.register(app)
