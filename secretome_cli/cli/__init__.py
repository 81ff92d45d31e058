"""The command-line interface. `app.py` defines the app, its shared helpers and the commands
that find records (`search`, `show`), and runs the command line; the other commands live in
modules of their own that build on `app.py`'s helpers, and `commands.py` adds them to the app
when it is first asked for every command (`app.py: whole`). Importing this package imports
nothing: a search imports none of the modules of the commands it does not run."""
