"""The command-line interface. `app.py` defines the app and its core commands; the review
commands (`diff`, `conflicts`, `new`) live in `review.py`, which builds on `app.py`'s shared
options, and are added to the app here, when the package is first imported; then `help.py`
gives every command its examples and adds `secretome help`."""

from secretome_cli.cli import help, review
from secretome_cli.cli.app import app

review.register(app)
help.register(app)
