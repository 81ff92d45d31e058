"""What the command line asks of the terminal: is standard output one, and its size.

Every question about the terminal goes through these functions, so that they can be answered
from one place (an environment object made in `main`, when there is one) without touching the
commands and renderers that ask.
"""

from __future__ import annotations

import os
import shutil
import sys


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (a table for the eyes) rather than a file or a
    pipe (data for a program)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def size() -> os.terminal_size:
    """The terminal's columns and lines ($COLUMNS and $LINES first, as Rich reads them)."""
    return shutil.get_terminal_size()
