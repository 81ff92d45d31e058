"""The freshness scan started early, in a process of its own, while this one gets on with
the question.

A warm query on a large record set spends most of its time on two things that do not depend
on each other: statting every record file (to be sure the index is not stale) and answering
from the index. `secretome search` starts the scan in a forked child as soon as it starts
(`secretome_cli/launch.py`, before the libraries are imported), answers from the cached index
as it stands, and shows the answer only when the child's fingerprint of the files equals the
one that index was built from; else it throws the answer away and goes the usual way (scan,
update, answer). The answer shown is therefore always one from an index of the files as they
are, exactly as without the child.

The child only reads: it stats the files, writes the resolved path of the record set and the
fingerprint to a pipe, and exits. Its standard streams are /dev/null (a reader of this
process's output must not wait for it), it dies on SIGINT and SIGTERM without a word, and this
process kills and reaps it at exit when it was not waited for. Only one is ever started.

This module imports nothing of the tool: the launcher imports it before anything else.
"""

from __future__ import annotations

import atexit
import os
import sys

_FIELD = "\0"
_DONE = "\n"


class Prescan:
    """A child process scanning a record set's files."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self._fd: int | None = fd
        self._result: tuple[str, str] | None = None
        self._reaped = False

    def result(self) -> tuple[str, str] | None:
        """(resolved path of the record set, fingerprint of its files), once the child has
        finished (waiting for it); None when it failed or was cancelled."""
        if self._fd is not None:
            data = bytearray()
            try:
                while chunk := os.read(self._fd, 65536):
                    data += chunk
            except OSError:
                data.clear()
            finally:
                os.close(self._fd)
                self._fd = None
            self._reap(kill=False)
            text = data.decode("utf-8", "surrogateescape")
            if text.endswith(_DONE) and text.count(_FIELD) == 1:
                root, fingerprint = text[: -len(_DONE)].split(_FIELD)
                self._result = (root, fingerprint)
        return self._result

    def ended(self) -> bool:
        """Whether the child has reported (or gone): `result` would not wait."""
        if self._fd is None:
            return True
        import select

        readable, _, _ = select.select([self._fd], [], [], 0)
        return bool(readable)

    def cancel(self) -> None:
        """Stop the child if it still runs and reap it (its result is not wanted)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._reap(kill=True)

    def _reap(self, *, kill: bool) -> None:
        if self._reaped:
            return
        self._reaped = True
        import contextlib  # here, not at the top: the launcher imports this module first
        import signal

        if kill:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


_started = False
_pending: Prescan | None = None
_answered = False


def mark_answered() -> None:
    """Say that the command's answer, taken early and confirmed, is written out: nothing is
    left to do but exit (see `launch.py`)."""
    global _answered
    _answered = True


def answered() -> bool:
    """Whether `mark_answered` was called."""
    return _answered


def supported() -> bool:
    """Whether this platform can start the scan early: Linux has fork without the caveats of
    other systems (macOS frameworks are not fork-safe; Windows has no fork)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def start(records: str | None) -> Prescan | None:
    """Fork a child that scans the record set `records` names (the `--records` value as given,
    else None: $SECRETOME_RECORDS or the bundled set, as `files/layout.locate` finds it).
    Returns the child, also kept for `take`; None when it could not be started, or one was
    started before in this process."""
    global _started, _pending
    if _started or not supported():
        return None
    _started = True
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        _child(records, read_end, write_end)
    os.close(write_end)
    _pending = Prescan(pid, read_end)
    atexit.register(_pending.cancel)
    return _pending


def take() -> Prescan | None:
    """The scan started for this run, once: a second call (a command run again after its
    cache file was found damaged) gets None and checks the files itself."""
    global _pending
    prescan, _pending = _pending, None
    return prescan


def discard() -> None:
    """Cancel a scan nobody took."""
    prescan = take()
    if prescan is not None:
        prescan.cancel()


def _child(records: str | None, read_end: int, write_end: int) -> None:  # pragma: no cover
    """The child: scan, report, exit, without ever returning into the caller's code."""
    code = 1
    try:
        os.close(read_end)
        import signal

        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
        from pathlib import Path

        from secretome_cli.files.layout import Layout, locate
        from secretome_cli.index.scan import scan

        root = locate(Path(records) if records is not None else None)
        fingerprint = scan(Layout(root)).fingerprint
        message = f"{root.resolve()}{_FIELD}{fingerprint}{_DONE}".encode("utf-8", "surrogateescape")
        while message:
            message = message[os.write(write_end, message) :]
        code = 0
    finally:
        os._exit(code)
