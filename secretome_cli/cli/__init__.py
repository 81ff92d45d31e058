"""The command-line interface. `app.py` defines the app, its shared helpers and the commands
that find records (`search`, `show`); the others live in modules of their own that build on
`app.py`'s helpers, and are added to the app here, when the package is first imported, in the
order help lists them: `exporting.py` (`export`), `overview.py` (`cite`, `stats`, `matrix`,
`graph`, `vocab`), `files.py` (`validate`, `fmt`, `schema`), `review.py` (`diff`,
`conflicts`, `new`); then `help.py` gives every command its examples and adds `secretome
help`."""

from secretome_cli.cli import exporting, files, help, overview, review
from secretome_cli.cli.app import app

exporting.register(app)
overview.register(app)
files.register(app)
review.register(app)
help.register(app)
