"""A record set as it was at a git revision, read from git's objects.

`git rev-parse` resolves the revision, `git ls-tree` lists the record set's files of that
commit with their modes and sizes, and `git cat-file --batch` reads their contents, which
are written into a temporary directory (the work tree, the index and HEAD are never
touched); the rest of the tool reads that directory like any record set. Nothing goes
through `git archive`, so the revision's own `.gitattributes` (`export-ignore`,
`export-subst`) cannot hide a file or rewrite one.

What a revision may not hold is refused before anything is read: a symbolic link or a
submodule where the tool reads a file or folder (it would be followed or skipped, never
reviewed), and a file over the size limit (git's object size, from the listing). Every
failure (git missing, not a repository, a revision that is not a commit, git's own refusal)
is a RecordsError with a one-line message, git's own first line where git gave one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from secretome_cli.files.yamlfile import MAX_BYTES
from secretome_cli.model.characters import escape
from secretome_cli.model.problems import RecordsError

TIMEOUT = 120
"""Seconds a git command may take."""

_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
"""A full object name: SHA-1, or SHA-256."""
_READ = re.compile(
    r"(?:dataset\.yaml|bibliography\.yaml|CHANGELOG\.md|vocab|vocab/[^/]+\.yaml"
    r"|evidence|evidence/[^/]+\.ya?ml)"
)
"""The paths of a record set the tool reads (see layout.py), relative to the set; other
files at the revision are neither read nor checked."""
_REGULAR = {"100644", "100755"}
_LINK_MAX = 4096
"""Longest link target shown (a path: PATH_MAX)."""
_KINDS = {"120000": "a symbolic link", "160000": "a submodule", "040000": "a folder"}


@dataclass(frozen=True)
class Revision:
    """A resolved revision: what the user typed, its commit and the commit's date."""

    name: str
    commit: str
    date: dt.date


class GitError(RecordsError):
    """git ran and failed; `first` is the first line of what it said (or its exit code)."""

    def __init__(self, command: str, first: str) -> None:
        super().__init__(f"git {command} failed: {first}")
        self.first = first


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise RecordsError("git is not installed (needed to read a git revision)") from None
    except subprocess.TimeoutExpired:
        raise RecordsError(f"git {args[0]} took more than {TIMEOUT} s") from None
    except OSError as exc:
        raise RecordsError(f"cannot run git: {exc.strerror or exc}") from None


def _first_line(stderr: bytes, code: int) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    first = lines[0] if lines else f"exit code {code}"
    for prefix in ("fatal: ", "error: "):
        first = first.removeprefix(prefix)
    return escape(first)


def _git(args: list[str], cwd: Path) -> bytes:
    """Run git in `cwd` and return its stdout; a GitError with git's first line when it
    fails."""
    done = _run(args, cwd)
    if done.returncode != 0:
        raise GitError(args[0], _first_line(done.stderr, done.returncode))
    return done.stdout


def top_level(path: Path) -> Path:
    """The top of the git work tree holding `path`."""
    where = path if path.is_dir() else path.parent
    if not where.is_dir():
        raise RecordsError(f"no such directory: {where}")
    try:
        out = _git(["rev-parse", "--show-toplevel"], where)
    except GitError as exc:
        if "not a git repository" in exc.first:
            raise RecordsError(f"{where} is not inside a git repository") from None
        raise
    return Path(os.fsdecode(out.rstrip(b"\n")))


def resolve(rev: str, repo: Path) -> Revision:
    """The commit `rev` names in the repository at `repo`, and its committer date. A
    RecordsError names a revision that is not one commit (`^HEAD`, `A..B`, a file)."""
    if not rev or rev.startswith("-") or any(c.isspace() or ord(c) < 32 for c in rev):
        raise RecordsError(f"not a revision: {escape(repr(rev))}")
    done = _run(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], repo)
    lines = done.stdout.decode("utf-8", "replace").split()
    if done.returncode != 0 and done.stderr.strip():  # --quiet: git speaks only to refuse
        raise GitError("rev-parse", _first_line(done.stderr, done.returncode))
    if done.returncode != 0 and not lines:
        kind = _run(["cat-file", "-t", rev], repo)
        if kind.returncode == 0:  # an object all the same: a tree, a file, a tag of one
            what = kind.stdout.decode("ascii", "replace").strip()
            raise RecordsError(f"{rev!r} is not a commit: it names a {what}")
        raise RecordsError(f"unknown revision {rev!r} in {repo}")
    if len(lines) != 1 or not _COMMIT.fullmatch(lines[0]):
        raise RecordsError(
            f"{rev!r} is not a commit: give one revision (a commit, branch or tag), not a "
            "range or an exclusion"
        )
    sha = lines[0]
    stamp = _git(["show", "-s", "--format=%cs", sha, "--"], repo).decode("ascii", "replace")
    try:
        date = dt.date.fromisoformat(stamp.strip())
    except ValueError:
        raise RecordsError(f"commit {sha[:7]} of {rev!r} has no readable date") from None
    return Revision(rev, sha, date)


def relative_to_repo(root: Path) -> tuple[Path, str]:
    """The repository holding the record set at `root`, and the set's path inside it
    ('' for the top; '/'-separated)."""
    repo = top_level(root)
    try:
        inside = root.resolve().relative_to(repo.resolve())
    except ValueError:
        raise RecordsError(f"{root} is not inside the git repository {repo}") from None
    return repo, inside.as_posix() if str(inside) != "." else ""


@dataclass(frozen=True)
class Entry:
    """One file of the record set at a revision: its path in the set and its object."""

    path: str
    mode: str
    oid: str
    size: int | None


def list_files(repo: Path, revision: Revision, inside: str) -> list[Entry]:
    """The files of the record set at `inside` that the tool reads, at `revision`; a
    RecordsError for a link, a submodule or a file over the size limit among them."""
    listed = _git(
        ["ls-tree", "-r", "-t", "-z", "-l", revision.commit, "--", f"{inside}/" if inside else "."],
        repo,
    )
    prefix = f"{inside}/" if inside else ""
    entries = []
    for item in listed.split(b"\0"):
        if not item:
            continue
        meta, _, raw_path = item.partition(b"\t")
        mode, _kind, oid, size = meta.decode("ascii").split()
        path = os.fsdecode(raw_path)
        if not path.startswith(prefix) or not _READ.fullmatch(path[len(prefix) :]):
            continue
        entries.append(Entry(path[len(prefix) :], mode, oid, None if size == "-" else int(size)))
    where = f"revision {revision.name!r} ({revision.commit[:7]})"
    for entry in entries:
        shown = escape(prefix + entry.path)
        if entry.mode in _REGULAR:
            if entry.size is not None and entry.size > MAX_BYTES:
                raise RecordsError(
                    f"{where}: {shown} is {entry.size:,} bytes; the limit is {MAX_BYTES:,} "
                    "(not read)"
                )
        elif entry.mode != "040000":
            kind = _KINDS.get(entry.mode, f"an object of mode {entry.mode}")
            if entry.mode == "120000" and entry.size is not None and entry.size <= _LINK_MAX:
                target = _git(["cat-file", "blob", entry.oid], repo)
                kind += f" to {escape(os.fsdecode(target))}"
            raise RecordsError(
                f"{where}: {shown} is {kind}; a record set in git holds regular files and "
                "folders only (a link is neither followed nor skipped)"
            )
    return [e for e in entries if e.mode in _REGULAR]


def _feed(stdin: IO[bytes], oids: list[str]) -> None:
    try:
        stdin.write("".join(f"{oid}\n" for oid in oids).encode("ascii"))
        stdin.close()
    except OSError:  # git went away: what it said is read from its other end
        pass


def write_blobs(repo: Path, entries: list[Entry], into: Path) -> None:
    """Write the contents of `entries` under `into`, read with one `git cat-file --batch`;
    an object git reports larger than the limit is refused before it is read."""
    try:
        proc = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=repo,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise RecordsError(f"cannot run git: {exc.strerror or exc}") from None
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, [e.oid for e in entries]))
    feeder.start()
    try:
        for entry in entries:
            header = proc.stdout.readline().decode("ascii", "replace").split()
            if len(header) != 3 or header[1] != "blob":
                raise GitError("cat-file", f"cannot read {escape(entry.path)}: {' '.join(header)}")
            size = int(header[2])
            if size > MAX_BYTES:
                raise RecordsError(
                    f"{escape(entry.path)} is {size:,} bytes; the limit is {MAX_BYTES:,}"
                )
            data = proc.stdout.read(size + 1)
            if len(data) != size + 1:
                raise GitError("cat-file", f"{escape(entry.path)} ended early")
            _write_new(into, entry.path, data[:size])
    finally:
        proc.stdout.close()
        proc.kill()
        feeder.join()
        proc.wait()
        proc.stderr.close()


def _write_new(into: Path, path: str, data: bytes) -> None:
    """Write `data` at `into/path`, never through a link and never outside `into`."""
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise RecordsError(f"a file at the revision has a name git does not allow: {escape(path)}")
    target = into.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o644)
    with open(fd, "wb") as file:  # noqa: PTH123 (a descriptor, not a path)
        file.write(data)


@contextmanager
def record_set_at(root: Path, rev: str) -> Iterator[tuple[Path, Revision]]:
    """The record set at `root` as it was at `rev`, written into a temporary directory that
    is removed afterwards: yields (that directory, the resolved revision)."""
    repo, inside = relative_to_repo(root)
    revision = resolve(rev, repo)
    entries = list_files(repo, revision, inside)
    if not any(e.path == "dataset.yaml" for e in entries):
        where = inside or "the top of the repository"
        raise RecordsError(f"no record set at {where} in revision {rev!r} (no dataset.yaml)")
    tmp = Path(tempfile.mkdtemp(prefix="secretome-git-"))
    try:
        for folder in {e.path.rpartition("/")[0] for e in entries} - {""}:
            (tmp / folder).mkdir(exist_ok=True)  # as the revision has them, even empty
        write_blobs(repo, entries, tmp)
        yield tmp, revision
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
