"""What the command line asks of the terminal: is standard output one, and its size.

Every question about the terminal goes through these functions, answered from the
environment the running command writes to (`cli/options.py: env()`, made in
`launch.py: run`; see `secretome_cli/environment.py`), so that the commands and renderers
that ask never read `sys.stdout`.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secretome_cli.environment import Environment


def stdout_is_terminal(env: Environment) -> bool:
    """Whether standard output is a terminal (a table for the eyes) rather than a file or a
    pipe (data for a program)."""
    return env.stdout_isatty


def size(env: Environment) -> os.terminal_size:
    """The terminal's columns and lines (the environment's width first, then $COLUMNS and
    $LINES, as Rich reads them)."""
    found = shutil.get_terminal_size()
    return os.terminal_size((env.width, found.lines)) if env.width else found
