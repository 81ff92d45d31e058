"""The freshness scan: the names, sizes and modification times of a record set's files, and
one digest of them (the fingerprint an index is built from and checked against).

Kept apart from the index itself: it is what every query pays before it answers, as fast as a
bare `os.stat` loop (see docs/performance.md).
"""

from __future__ import annotations

import os
from array import array
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from secretome_cli import __version__
from secretome_cli.files.layout import Layout
from secretome_cli.index.cache import INDEX_FORMAT, blake2b

if TYPE_CHECKING:
    from subprocess import Popen


@dataclass(frozen=True)
class Scan:
    """The state of a record set's files: what every freshness check compares."""

    data: str
    """Digest of the dataset, bibliography and vocabulary files and of this tool's version."""
    names: list[str]
    """Record file names, in the order the directory lists them."""
    sizes: array[int]
    mtimes: array[int]

    @cached_property
    def fingerprint(self) -> str:
        """One digest of everything."""
        digest = blake2b(self.data.encode(), digest_size=16)
        digest.update("\n".join(self.names).encode())
        digest.update(self.sizes.tobytes())
        digest.update(self.mtimes.tobytes())
        return digest.hexdigest()

    @cached_property
    def records(self) -> dict[str, tuple[int, int]]:
        """Record file name → (size, mtime_ns)."""
        return {n: (s, m) for n, s, m in zip(self.names, self.sizes, self.mtimes, strict=True)}


def scan(layout: Layout) -> Scan:
    """Stat every file of the record set. This is one system call a file, and much of what a
    warm query on a large record set spends its time on: it is the price of never answering
    from a stale index. Record files are taken in the order the directory lists them (the
    same for an unchanged directory), stat'ed by name through the directory's descriptor
    where the platform allows, in one loop that keeps only the two numbers of each: sorting
    the names, resolving each file's whole path, or keeping the `stat` results and reading
    them afterwards each cost more (see docs/performance.md)."""
    digest = blake2b(f"{__version__}/{INDEX_FORMAT}".encode(), digest_size=16)
    for path in layout.data_files():
        try:
            st = path.stat()
            digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path.name}\0missing\n".encode())
    names: list[str] = []
    sizes, mtimes = array("q"), array("q")
    evidence = layout.evidence_dir
    if evidence.is_dir():
        by_fd = os.listdir in os.supports_fd and os.stat in os.supports_dir_fd
        fd = os.open(evidence, os.O_RDONLY) if by_fd else None
        try:
            listed = os.listdir(evidence if fd is None else fd)  # noqa: PTH208 - names, not paths
            names = [name for name in listed if name.endswith((".yaml", ".yml"))]
            prefix = "" if fd is not None else f"{evidence}{os.sep}"
            stat, size, mtime = os.stat, sizes.append, mtimes.append
            gone: set[str] = set()
            for name in names:  # one loop keeping two numbers a file: the fastest in Python
                try:
                    st = stat(prefix + name, dir_fd=fd)
                except OSError:  # it went away meanwhile: take those that are still there
                    gone.add(name)
                    continue
                size(st.st_size)
                mtime(st.st_mtime_ns)
            if gone:
                names = [name for name in names if name not in gone]
        finally:
            if fd is not None:
                os.close(fd)
    return Scan(digest.hexdigest(), names, sizes, mtimes)


class Unconfirmed(BaseException):
    """An early answer that cannot stand (not an Exception: no handler takes it for one)."""


@dataclass
class Early:
    """The scan of the record set at `root` (resolved) in a child process (`launch.py`)."""

    root: str
    child: Popen[bytes]
    answered: str | None = None
    """The fingerprint of the index the command answers from (`opening.py: load`)."""

    def stale(self) -> bool:
        """Whether the child found other files than the index's (waits for it to say)."""
        found = self.child.stdout.readline() if self.child.stdout else b""
        return found.decode("ascii", "replace").strip() != self.answered


early: Early | None = None
"""The early scan of the running command (`launch.py` sets it)."""

if __name__ == "__main__":  # the child (`launch.py`): the fingerprint, on a line
    import sys
    from pathlib import Path

    print(scan(Layout(Path(sys.argv[1]))).fingerprint)
