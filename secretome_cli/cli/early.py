"""Answering a search while its record files are still being checked (see `index/early.py`).

The command runs against the cached index as it stands, with its stdout and stderr recorded
in memory instead of written. When the check confirms that the index was built from the
files as they are, the recording is written out, in the order it was made, and the command
ends as it ended; when the check reports while the answer is still being written, the
recording goes live at that moment (what was kept, and all that follows, is written by a
thread of its own while the rest is made). When the check finds the files changed, the
recording is thrown away and the command runs again the usual way (check, update the index,
answer). Either way the user sees one answer, from a current index.

The recording keeps the bytes written, not copies of them where it can: a search writes the
stored JSON documents of its results as they are (`Result.json_parts`), and holding those
objects costs no memory that the results do not already hold.
"""

from __future__ import annotations

import gc
import io
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from typing_extensions import Buffer

    from secretome_cli.api import RecordSet
    from secretome_cli.environment import Environment
    from secretome_cli.index.scan import Scan

    Chunk = bytes | memoryview


class _Recorder(io.RawIOBase):
    """A binary stream that hands what is written to it to its recording, marked with the
    stream it stands for (so that the order of what the two streams were given is kept)."""

    def __init__(self, recording: Recording, which: int, like: TextIO) -> None:
        super().__init__()
        self._recording = recording
        self._which = which
        self._tty = like.isatty()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._tty

    def write(self, data: Buffer) -> int:
        chunk = _kept(data)
        self._recording.take(self._which, [chunk])
        return len(chunk) if type(chunk) is bytes else memoryview(chunk).nbytes

    def writelines(self, lines: Iterable[Buffer]) -> None:
        chunks: list[Chunk] = []
        for data in lines:
            if type(data) is bytes or (type(data) is memoryview and _of_bytes(data)):
                chunks.append(data)  # as `_kept` would, without its calls: a search's many
            else:
                chunks.append(_kept(data))
        self._recording.take(self._which, chunks)


def _kept(data: Buffer) -> Chunk:
    """What to keep of bytes written: an immutable bytes object, or a view of one, as it is;
    anything else (a buffer that its owner may reuse) copied."""
    if type(data) is bytes:
        return data
    view = memoryview(data)
    return view if _of_bytes(view) else view.tobytes()


def _of_bytes(view: memoryview) -> bool:
    """Whether `view` is a plain run of bytes of an immutable bytes object (its length is
    then its size in bytes)."""
    return view.readonly and type(view.obj) is bytes and view.format == "B" and view.contiguous


class Recording:
    """Stdout and stderr replaced by recorders while it is active (`with`).

    What is written is kept until `finish`. When `ready` is given and says True as something
    is written (the scan confirmed the index meanwhile), the recording goes live: what was
    kept and all that follows is written out, in order, by a thread of its own, so that the
    rest of the answer is made while the first part is written (a write of many megabytes
    spends its time in the kernel, without holding the interpreter)."""

    def __init__(self, env: Environment, ready: Callable[[], bool] | None = None) -> None:
        self._env = env
        self.runs: list[tuple[int, list[Chunk]]] = []
        """What was written and is kept: (1 for stdout, 2 for stderr; the chunks), in order."""
        self._ready = ready
        self._saved: tuple[TextIO, TextIO] | None = None
        self._writer: _Writer | None = None
        self._takes = 0

    @property
    def live(self) -> bool:
        """Whether what is written is written out as it comes."""
        return self._writer is not None

    def __enter__(self) -> Recording:
        env = self._env
        self._saved = (env.stdout, env.stderr)
        env.stdout = self._stream(1, env.stdout)
        env.stderr = self._stream(2, env.stderr)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._saved is not None
        for stream in (self._env.stdout, self._env.stderr):
            stream.flush()
        self._env.stdout, self._env.stderr = self._saved

    def _stream(self, which: int, like: TextIO) -> TextIO:
        recorder: Any = _Recorder(self, which, like)
        return io.TextIOWrapper(
            recorder,  # a raw stream: every text write reaches the recording at once
            encoding=like.encoding,
            errors=like.errors,
            newline="\n",
            write_through=True,
        )

    def take(self, which: int, chunks: list[Chunk]) -> None:
        """Keep (or, live, write) `chunks` written to stream `which`."""
        self._takes += 1
        if (
            self._writer is None
            and self._ready is not None
            and self._takes % _POLL_EVERY == 1
            and self._ready()
        ):
            assert self._saved is not None
            self._writer = _Writer(*self._saved)
            for kept in self.runs:
                self._writer.put(*kept)
            self.runs.clear()
        if self._writer is not None:
            self._writer.put(which, chunks)
        elif self.runs and self.runs[-1][0] == which:
            self.runs[-1][1].extend(chunks)
        else:
            self.runs.append((which, chunks))

    def finish(self) -> None:
        """Write out what was kept (live: wait until all is written), to the real stdout and
        stderr, in the order it was written; raises what writing met (a reader gone away)."""
        if self._writer is not None:
            self._writer.close()
            return
        streams = {1: self._env.stdout, 2: self._env.stderr}
        for stream in streams.values():
            stream.flush()
        for which, chunks in self.runs:
            _write_all(streams[which], chunks)
        self.runs.clear()

    def discard(self) -> None:
        """Forget what was kept (it must not be shown)."""
        self.runs.clear()


_POLL_EVERY = 16
"""Ask `ready` once in this many writes (a table or TSV is written a line at a time)."""


class _Writer:
    """A thread writing chunks to stdout or stderr in the order they are put."""

    def __init__(self, stdout: TextIO, stderr: TextIO) -> None:
        import queue
        import threading

        self._streams = {1: stdout, 2: stderr}
        self._queue: queue.SimpleQueue[tuple[int, list[Chunk]] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="secretome-writer", daemon=True)
        self._thread.start()

    def put(self, which: int, chunks: list[Chunk]) -> None:
        if self._error is not None:  # writing failed: say so to the one who writes
            raise self._error
        self._queue.put((which, chunks))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    _write_all(self._streams[item[0]], item[1])
                except BaseException as exc:  # handed to the main thread
                    self._error = exc


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
    views = [c for c in chunks if len(c)]  # bytes, or views of bytes: len() is their size
    first = 0
    while first < len(views):
        written = os.writev(fd, views[first : first + _IOV_MAX])
        if written <= 0:
            raise OSError(f"could not write to {stream.name}")
        while first < len(views) and written >= len(views[first]):  # written whole
            written -= len(views[first])
            first += 1
        if written:  # written in part
            views[first] = memoryview(views[first])[written:]


def _iov_max() -> int:
    try:
        return max(16, os.sysconf("SC_IOV_MAX"))
    except (AttributeError, OSError, ValueError):
        return 16


_IOV_MAX = _iov_max()
"""How many chunks one `writev` call may take."""


def answered_early(
    env: Environment,
    opened: Callable[[Scan | None], RecordSet],
    body: Callable[[RecordSet], Any],
    records: Any,
) -> Any:
    """Run `body` on the record set: on its cached index while a scan started at launch
    checks the files, recorded and shown only once the scan confirms that index; else (no
    scan was started, no cached index, or the files changed) on `opened(scan)`, the usual
    way (with the scan when the child made it)."""
    from secretome_cli import api
    from secretome_cli.index.early import abortable, mark_answered

    early = api.open_records_early(records)
    if early is None:
        return body(opened(None))
    recording = Recording(env, ready=early.confirmed_already)
    outcome: BaseException | None = None
    collecting = gc.isenabled()
    gc.disable()  # a search makes no garbage cycles to speak of, but thousands of objects
    try:  # that the collector would look through again and again (40 ms at 100 000 records)
        with recording, abortable():  # the child says at once when the index is stale
            result = body(early.records)
    except KeyboardInterrupt:
        early.cancel()
        raise
    except BaseException as exc:  # typer.Exit ends every search: it is replayed like output;
        outcome = exc  # early.Stale: the files changed, and the usual way follows
    finally:
        if collecting:
            gc.enable()
    if not recording.live and not early.confirmed():
        recording.discard()
        early.records.index.close()
        return body(opened(early.scanned()))
    recording.finish()
    early.records.index.close()  # nothing reads it any more: its files are tidied now
    mark_answered()
    if outcome is not None:
        raise outcome
    return result
