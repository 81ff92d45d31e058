"""What the command line asks of the terminal: is standard output one, and its size.

Every question about the terminal goes through these functions, answered from the running
command's environment (`cli/options.py: env()`, made in `cli/app.py: main`; see
`secretome_cli/environment.py`), so that the commands and renderers that ask never read
`sys.stdout`.
"""

from __future__ import annotations

import os
import shutil


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (a table for the eyes) rather than a file or a
    pipe (data for a program)."""
    from secretome_cli.cli.options import env

    return env().stdout_isatty


def size() -> os.terminal_size:
    """The terminal's columns and lines (the environment's width first, then $COLUMNS and
    $LINES, as Rich reads them)."""
    from secretome_cli.cli.options import env

    found = shutil.get_terminal_size()
    width = env().width
    return os.terminal_size((width, found.lines)) if width else found
