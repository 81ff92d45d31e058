"""A long table through a pager, as git and gh show a long answer on a terminal.

A table taller than the terminal goes to `$SECRETOME_PAGER`, else `$PAGER`, else `less -FRX`
(quit at the end of one screen, keep colours and links, leave the screen as it is); never
when standard output is not a terminal, nor when no one can answer the pager (the process has
no terminal to read keys from: a script run under a pseudo-terminal, a cron job), and not
with `--no-pager` (or a pager set to '' or `cat`). Whatever the pager, the table is drawn
once, at the terminal's width, then handed on.
"""

from __future__ import annotations

import io
import os
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from secretome_cli.cli.terminal import size, stdout_is_terminal

if TYPE_CHECKING:
    from secretome_cli.environment import Environment

PAGER_ENV = ("SECRETOME_PAGER", "PAGER")
"""The variables naming the pager, the first set wins."""

DEFAULT_PAGER = "less -FRX"
"""The pager when none is named: git's."""

wanted: ContextVar[bool] = ContextVar("wanted", default=True)
"""False while a command runs with --no-pager (set by `cli/options.py: output_options`)."""


def pager_command() -> list[str] | None:
    """The pager to run, as arguments; None when paging is switched off ('' or `cat`)."""
    import shlex  # here: a command that writes no table to a terminal never asks

    for name in PAGER_ENV:
        value = os.environ.get(name)
        if value is not None:
            break
    else:
        value = DEFAULT_PAGER
    try:
        words = shlex.split(value)
    except ValueError:
        return None
    return words if words and words != ["cat"] else None


class _Screen(io.StringIO):
    """Collects what a renderer draws for the terminal: it says it is one when the stream it
    stands for does, so that Rich keeps colours and links."""

    def __init__(self, stands_for: Any) -> None:
        super().__init__()
        self.stands_for = stands_for

    def isatty(self) -> bool:
        try:
            return bool(self.stands_for.isatty())
        except (AttributeError, ValueError):  # no stream, or a closed one
            return False


def write(renderer: Any, data: Any, paged: bool, env: Environment) -> None:
    """`renderer.emit(data, env.stdout)`; when `paged`, that standard output is a terminal
    and the output is taller than it, through the pager instead."""
    if not (paged and wanted.get() and stdout_is_terminal(env)):
        renderer.emit(data, env.stdout)
        return
    screen = _Screen(env.stdout)
    renderer.emit(data, screen)
    text = screen.getvalue()
    command = pager_command()
    tall = text.count("\n") >= size(env).lines
    if command is None or not tall or not has_keyboard() or not _page(command, text, env):
        env.stdout.write(text)


def has_keyboard() -> bool:
    """Whether the process has a terminal to read keys from (`/dev/tty`), as a pager needs."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def _page(command: list[str], text: str, env: Environment) -> bool:
    """Show `text` through the pager; False when it cannot be started."""
    import subprocess

    env.stdout.flush()
    variables = dict(os.environ)
    variables.setdefault("LESS", "FRX")  # as git sets it, for a $PAGER of plain `less`
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=variables)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        with process.stdin:
            encoding = getattr(env.stdout, "encoding", None) or "utf-8"
            process.stdin.write(text.encode(encoding, "replace"))
    except (BrokenPipeError, OSError):  # the reader quit before the end
        pass
    while True:
        try:
            process.wait()
            return True
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less ignores it)
            continue
