"""Every command that `cli/app.py` does not define, added to its app on import, in the order
help lists them: `exporting.py` (`export`), `overview.py` (`cite`, `stats`, `matrix`,
`graph`, `vocab`), `files.py` (`validate`, `fmt`, `schema`), `review.py` (`diff`,
`conflicts`, `new`); then `help.py` gives every command its examples and adds `secretome
help`. Imported once, by `app.py: whole`, when a command line needs more than `app.py`'s
own commands (a search does not)."""

from secretome_cli.cli import exporting, files, help, overview, review
from secretome_cli.cli.app import root

exporting.register(root)
overview.register(root)
files.register(root)
review.register(root)
help.register(root)
