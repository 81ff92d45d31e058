"""Answering a search while its record files are still being checked (see `index/early.py`).

The command runs against the cached index as it stands, with its stdout and stderr recorded
in memory instead of written. When the check then confirms that the index was built from the
files as they are, the recording is written out, in the order it was made, and the command
ends as it ended; else the recording is thrown away and the command runs again the usual way
(check, update the index, answer). Either way the user sees one answer, from a current index.

The recording keeps the bytes written, not copies of them where it can: a search writes the
stored JSON documents of its results as they are (`Result.json_parts`), and holding those
objects costs no memory that the results do not already hold.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from typing_extensions import Buffer

    from secretome_cli.api import RecordSet

    Chunk = bytes | memoryview


class _Recorder(io.RawIOBase):
    """A binary stream that keeps what is written to it, in runs shared with another one (so
    that the order of what two streams were given is kept)."""

    def __init__(self, runs: list[tuple[int, list[Chunk]]], which: int, like: TextIO) -> None:
        super().__init__()
        self._runs = runs
        self._which = which
        self._tty = like.isatty()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._tty

    def write(self, data: Buffer) -> int:
        chunk = _kept(data)
        self._run().append(chunk)
        return len(chunk) if type(chunk) is bytes else memoryview(chunk).nbytes

    def writelines(self, lines: Iterable[Buffer]) -> None:
        run = self._run()
        for data in lines:
            run.append(data if type(data) is bytes else _kept(data))

    def _run(self) -> list[Chunk]:
        runs = self._runs
        if not runs or runs[-1][0] != self._which:
            runs.append((self._which, []))
        return runs[-1][1]


def _kept(data: Buffer) -> Chunk:
    """What to keep of bytes written: an immutable bytes object, or a view of one, as it is;
    anything else (a buffer that its owner may reuse) copied."""
    if type(data) is bytes:
        return data
    view = memoryview(data)
    return view if view.readonly and type(view.obj) is bytes else view.tobytes()


class Recording:
    """Stdout and stderr replaced by recorders while it is active (`with`)."""

    def __init__(self) -> None:
        self.runs: list[tuple[int, list[Chunk]]] = []
        """What was written: (1 for stdout, 2 for stderr; the chunks), in order."""
        self._saved: tuple[TextIO, TextIO] | None = None

    def __enter__(self) -> Recording:
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout = self._stream(1, sys.stdout)
        sys.stderr = self._stream(2, sys.stderr)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._saved is not None
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sys.stdout, sys.stderr = self._saved

    def _stream(self, which: int, like: TextIO) -> TextIO:
        recorder: Any = _Recorder(self.runs, which, like)
        return io.TextIOWrapper(
            recorder,  # a raw stream: every text write reaches the runs at once
            encoding=like.encoding,
            errors=like.errors,
            newline="\n",
            write_through=True,
        )

    def replay(self) -> None:
        """Write what was recorded to the real stdout and stderr, in the order it was written
        (each stream flushed before the other one is written to)."""
        streams = {1: sys.stdout, 2: sys.stderr}
        for stream in streams.values():
            stream.flush()
        for which, chunks in self.runs:
            _write_all(streams[which], chunks)
        self.runs.clear()


def _write_all(stream: TextIO, chunks: list[Chunk]) -> None:
    """Write `chunks` to the bytes under `stream`, and flush: with `writev`, a thousand
    chunks a system call, where the stream's buffer would make one of every 8 KiB (a search's
    44 MB of JSON is 5 500 calls that way, and takes four times as long)."""
    binary = stream.buffer
    binary.flush()
    try:
        fd = binary.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture)
        fd = -1
    if fd < 0 or not hasattr(os, "writev"):
        binary.writelines(chunks)
        binary.flush()
        return
    views = [memoryview(chunk) for chunk in chunks]
    first = 0
    while first < len(views):
        written = os.writev(fd, views[first : first + _IOV_MAX])
        if written <= 0:
            raise OSError(f"could not write to {stream.name}")
        while first < len(views) and written >= views[first].nbytes:  # written whole
            written -= views[first].nbytes
            first += 1
        if written:  # written in part
            views[first] = views[first][written:]


def _iov_max() -> int:
    try:
        return max(16, os.sysconf("SC_IOV_MAX"))
    except (AttributeError, OSError, ValueError):
        return 16


_IOV_MAX = _iov_max()
"""How many chunks one `writev` call may take."""


def answered_early(
    opened: Callable[[], RecordSet], body: Callable[[RecordSet], Any], records: Any
) -> Any:
    """Run `body` on the record set: on its cached index while a scan started at launch
    checks the files, recorded and shown only once the scan confirms that index; else (no
    scan was started, no cached index, or the files changed) on `opened()`, the usual way."""
    from secretome_cli import api

    early = api.open_records_early(records)
    if early is None:
        return body(opened())
    recording = Recording()
    outcome: BaseException | None = None
    try:
        with recording:
            result = body(early.records)
    except KeyboardInterrupt:
        early.cancel()
        raise
    except BaseException as exc:  # typer.Exit ends every search: it is replayed like output
        outcome = exc
    if not early.confirmed():
        recording.runs.clear()
        early.records.index.close()
        return body(opened())
    recording.replay()
    if outcome is not None:
        raise outcome
    return result
