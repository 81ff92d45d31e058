"""Writing an export to a file: all or nothing, and never over a file that is not ours.

A file is written under a temporary name in its own directory, flushed to disk and then
renamed into place, so a reader (Datasette serving the database, a browser showing the
report) sees the old file or the new one, never half of one, and an interrupted export
leaves the old file as it was. An existing file is replaced only when it is an earlier
export of the same format (each format knows its own: `FileFormat.is_earlier`), or when the
caller says so (`force`): a typo in `--output` must not overwrite someone's data.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TextIO

from secretome_cli.output.renderer import Renderer
from secretome_cli.summary.bundle import Bundle


class SaveError(Exception):
    """The export cannot be written where it was asked to go."""


class FileFormat(Renderer[Bundle]):
    """An export format made for a reader outside the terminal: it takes the whole `Bundle`
    (the records with the question, dataset facts and vocabularies), not the records alone."""

    binary: ClassVar[bool] = False
    """True for a format that is a file, not text (a database): it cannot go to stdout."""

    def is_earlier(self, path: Path) -> bool:
        """Whether the existing file at `path` is an export of this format (which an export
        may replace without `--force`)."""
        return False

    def save(self, data: Bundle, path: Path) -> None:
        """Write the export to the new file `path` (a text format: `write` into it)."""
        with path.open("w", encoding="utf-8", newline="") as out:
            self.write(data, out)

    def outputs(self, data: Bundle, path: Path, metadata: Path | None) -> list[Output]:
        """The files an export to `path` writes: the export itself, and the files a format
        writes beside it (`metadata`: where the caller wants its metadata, if anywhere)."""
        if metadata is not None:
            raise SaveError(f"--metadata goes with --format sqlite, not {self.name}")
        return [Output(path, lambda temporary: self.save(data, temporary), self.is_earlier)]


@dataclass(frozen=True)
class Output:
    """One file an export writes: where, how (`write(temporary_path)`), and how to know an
    earlier one (which may be replaced without --force)."""

    path: Path
    write: Callable[[Path], None]
    is_earlier: Callable[[Path], bool]


def save_all(outputs: list[Output], force: bool) -> None:
    """Check every target first (`check_target`), then write each atomically: nothing is
    written when any target is refused."""
    for output in outputs:
        check_target(output.path, output.is_earlier, force)
    for output in outputs:
        save_atomically(output.path, output.write)


def check_target(path: Path, earlier: Callable[[Path], bool], force: bool) -> None:
    """Raise SaveError when `path` cannot or must not be written: a directory, or an existing
    file that `earlier` does not recognise, without `force`."""
    if path.is_dir():
        raise SaveError(f"{path} is a directory")
    if path.exists() and not force and not earlier(path):
        raise SaveError(f"{path} exists and is not an earlier export; use --force to overwrite it")
    if not path.parent.is_dir():
        raise SaveError(f"no directory {path.parent}")


def save_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temporary)` on a new file beside `path`, flush it to disk and rename it to
    `path`; on any failure remove the temporary file and leave `path` as it was."""
    import tempfile

    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        temporary.chmod(0o666 & ~_umask())  # mkstemp makes it private (0600)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save_text(path: Path, renderer: Renderer[Any], data: Any) -> None:
    """Write a text renderer's output to `path` atomically (see `save_atomically`)."""

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="") as out:
            renderer.write(data, out)

    save_atomically(path, write)


def no_stream(out: TextIO) -> None:
    """Raise SaveError: a binary format was asked to write to a text stream."""
    raise SaveError("a database is a file, not text: give --output FILE")
