"""The command-line interface. `app.py` defines the app and its core commands; the review
commands (`diff`, `conflicts`, `new`) live in `review.py`, which builds on `app.py`'s shared
options, and are added to the app here, when the package is first imported."""

from secretome_cli.cli.app import app
from secretome_cli.cli.review import register

register(app)
