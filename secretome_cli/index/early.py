"""The freshness scan started early, in a process of its own, while this one gets on with
the question.

A warm query on a large record set spends most of its time on two things that do not depend
on each other: statting every record file (to be sure the index is not stale) and answering
from the index. `secretome search` starts the scan in a forked child as soon as it starts
(`secretome_cli/launch.py`, before the libraries are imported), answers from the cached index
as it stands, and shows the answer only when the child's fingerprint of the files equals the
one that index was built from; else it throws the answer away and goes the usual way (update,
answer), with the child's scan, so that the files are not scanned twice. The answer shown is
therefore always one from an index of the files as they are, exactly as without the child.

The child only reads: it stats the files, waits for this process to tell it the fingerprint
of the index it answers from (a second pipe), and reports the fingerprint, and the whole scan
when the two differ (the usual way needs it then). Its standard streams are /dev/null (a
reader of this process's output must not wait for it), it dies on SIGINT and SIGTERM without
a word, and this process kills and reaps it at exit when it was not waited for. Only one is
ever started.

This module imports nothing of the tool: the launcher imports it before anything else.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secretome_cli.index.scan import Scan


@dataclass(frozen=True)
class Report:
    """What the child found."""

    root: str
    """The resolved path of the record set it scanned."""
    fingerprint: str
    scan: Scan | None
    """The whole scan, when the index this process answers from was not built from these
    files (the usual way then needs it, and need not scan again); else None."""


class Prescan:
    """A child process scanning a record set's files."""

    def __init__(self, pid: int, report_fd: int, expect_fd: int) -> None:
        self.pid = pid
        self._fd: int | None = report_fd
        self._expect_fd: int | None = expect_fd
        self._report: Report | None = None
        self._reaped = False

    def expect(self, fingerprint: str) -> None:
        """Tell the child the fingerprint of the index this process answers from: when its
        scan finds the same, it reports the fingerprint alone, else the whole scan too."""
        if self._expect_fd is not None:
            with contextlib.suppress(OSError):
                os.write(self._expect_fd, fingerprint.encode())
            self._close_expect()

    def result(self) -> Report | None:
        """What the child found, once it has finished (waiting for it); None when it failed
        or was cancelled."""
        if self._fd is None and self._expect_fd is None:
            return self._report
        # The child's signal waits until this is done (it is delivered, and may raise
        # `Stale`, when the mask is restored): a descriptor closed but still held would be
        # closed twice, or another's closed.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        try:
            self._close_expect()  # it may wait for this: it never waits in vain
            if self._fd is not None:
                chunks: list[bytes] = []
                try:
                    while chunk := os.read(self._fd, 1 << 20):
                        chunks.append(chunk)
                except OSError:
                    chunks.clear()
                finally:
                    os.close(self._fd)
                    self._fd = None
                self._reap(kill=False)
                self._report = _parse(b"".join(chunks))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return self._report

    def ended(self) -> bool:
        """Whether the child has reported (or gone): `result` would not wait."""
        if self._fd is None:
            return True
        import select

        readable, _, _ = select.select([self._fd], [], [], 0)
        return bool(readable)

    def cancel(self) -> None:
        """Stop the child if it still runs and reap it (its result is not wanted)."""
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        try:
            self._close_expect()
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._reap(kill=True)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def _close_expect(self) -> None:
        if self._expect_fd is not None:
            os.close(self._expect_fd)
            self._expect_fd = None

    def _reap(self, *, kill: bool) -> None:
        if self._reaped:
            return
        self._reaped = True
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


_started = False
_pending: Prescan | None = None
_answered = False
_abortable = False
_stale_signalled = False


class Stale(BaseException):
    """Raised in the main thread while an answer is made `abortable`, when the child found the
    files changed since the index was built (it signals SIGUSR1): that answer is not wanted,
    and the sooner it stops, the sooner the usual way gives the right one. A BaseException,
    so that no `except Exception` on the way keeps it."""


@contextlib.contextmanager
def abortable() -> Iterator[None]:
    """While inside, the child's signal that the files changed raises `Stale` here (at once
    on entering, when it came before)."""
    global _abortable
    _abortable = True
    try:
        if _stale_signalled:
            raise Stale
        yield
    finally:
        _abortable = False


def _on_stale(signum: int, frame: object) -> None:
    global _stale_signalled
    _stale_signalled = True
    if _abortable:
        raise Stale


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
    global _started, _pending, _stale_signalled
    if _started or not supported():
        return None
    _started = True
    _stale_signalled = False
    # The child signals when the index this process answers from is stale; from now on that
    # signal never ends this process (its default), it at most stops an abortable answer.
    signal.signal(signal.SIGUSR1, _on_stale)
    parent = os.getpid()
    fds: list[int] = []
    try:
        fds.extend(os.pipe())  # the report: child -> this process
        fds.extend(os.pipe())  # the fingerprint expected: this process -> child
        if min(fds) <= 2:  # a standard stream was closed: leave its number free
            raise OSError("a standard stream is closed")
        pid = os.fork()
    except OSError:
        for fd in fds:
            os.close(fd)
        return None
    report_read, report_write, expect_read, expect_write = fds
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        _child(records, report_write, expect_read, (report_read, expect_write), parent)
    os.close(report_write)
    os.close(expect_read)
    _pending = Prescan(pid, report_read, expect_write)
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


def _child(  # pragma: no cover - runs in the child
    records: str | None, report: int, expected: int, others: tuple[int, ...], parent: int
) -> None:
    """The child: scan, wait for the fingerprint `parent` expects, report, signal the parent
    when it expected another one, exit, without ever returning into the caller's code."""
    code = 1
    try:
        for fd in others:
            os.close(fd)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1):
            signal.signal(number, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
        from pathlib import Path

        from secretome_cli.files.layout import Layout, locate
        from secretome_cli.index.scan import scan

        root = locate(Path(records) if records is not None else None)
        found = scan(Layout(root))
        wanted = bytearray()
        while chunk := os.read(expected, 4096):
            wanted += chunk
        whole = wanted.decode() != found.fingerprint
        _write_all(report, _message(str(root.resolve()), found, whole))
        os.close(report)  # the report is whole before the signal comes
        if whole and wanted and os.getppid() == parent:  # answering from a stale index
            os.kill(parent, signal.SIGUSR1)
        code = 0
    finally:
        os._exit(code)


def _message(root: str, found: Scan, whole: bool) -> list[bytes]:
    """The report: `fingerprint NUL data NUL count NUL names-size NUL root NUL`, then, for the
    whole scan, the names (NUL between them), the sizes and the modification times (8 bytes
    each, native order); count is -1 without them."""
    if not whole:
        head = [found.fingerprint, "", "-1", "0", root, ""]
        return ["\0".join(head).encode("utf-8", "surrogateescape")]
    names = "\0".join(found.names).encode("utf-8", "surrogateescape")
    head = [found.fingerprint, found.data, str(len(found.names)), str(len(names)), root, ""]
    return [
        "\0".join(head).encode("utf-8", "surrogateescape"),
        names,
        found.sizes.tobytes(),
        found.mtimes.tobytes(),
    ]


def _parse(data: bytes) -> Report | None:
    """A report read back (see `_message`); None when it is not one (the child failed)."""
    fields = data.split(b"\0", 5)
    if len(fields) != 6:
        return None
    fingerprint, digest, count, size, root, rest = fields
    try:
        n, names_size = int(count), int(size)
    except ValueError:
        return None
    text = root.decode("utf-8", "surrogateescape")
    if n < 0:
        return Report(text, fingerprint.decode(), None) if not rest else None
    if len(rest) != names_size + 16 * n:
        return None
    from array import array

    from secretome_cli.index.scan import Scan

    sizes, mtimes = array("q"), array("q")
    sizes.frombytes(rest[names_size : names_size + 8 * n])
    mtimes.frombytes(rest[names_size + 8 * n :])
    blob = rest[:names_size].decode("utf-8", "surrogateescape")
    names = blob.split("\0") if n else []
    if len(names) != n:
        return None
    found = Scan(digest.decode(), names, sizes, mtimes)
    return Report(
        text, fingerprint.decode(), found if found.fingerprint == fingerprint.decode() else None
    )


def _write_all(fd: int, parts: list[bytes]) -> None:  # pragma: no cover - in the child
    for part in parts:
        view = memoryview(part)
        while view:
            view = view[os.write(fd, view) :]
