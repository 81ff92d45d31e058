"""A record set as it was at a git revision, read with git itself.

`git rev-parse` resolves the revision, `git archive` writes the record set's files of that
commit into a temporary directory (the work tree, the index and HEAD are never touched), and
the rest of the tool reads that directory like any record set. Every failure (git missing,
not a repository, an unknown revision, no record set at that revision) is a RecordsError with
a one-line message.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from secretome_cli.model.problems import RecordsError

TIMEOUT = 120
"""Seconds a git command may take."""


@dataclass(frozen=True)
class Revision:
    """A resolved revision: what the user typed, its commit and the commit's date."""

    name: str
    commit: str
    date: dt.date


def _git(args: list[str], cwd: Path) -> bytes:
    """Run git in `cwd` and return its stdout; a RecordsError with git's first line when it
    fails."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise RecordsError("git is not installed (needed to read a git revision)") from None
    except subprocess.TimeoutExpired:
        raise RecordsError(f"git {args[0]} took more than {TIMEOUT} s") from None
    except OSError as exc:
        raise RecordsError(f"cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit code {done.returncode}"
        raise RecordsError(f"git {args[0]} failed: {first.removeprefix('fatal: ')}")
    return done.stdout


def top_level(path: Path) -> Path:
    """The top of the git work tree holding `path`."""
    where = path if path.is_dir() else path.parent
    if not where.is_dir():
        raise RecordsError(f"no such directory: {where}")
    try:
        out = _git(["rev-parse", "--show-toplevel"], where)
    except RecordsError:
        raise RecordsError(f"{where} is not inside a git repository") from None
    return Path(out.decode().strip())


def resolve(rev: str, repo: Path) -> Revision:
    """The commit `rev` names in the repository at `repo`, and its committer date."""
    if not rev or rev.startswith("-") or any(c.isspace() or ord(c) < 32 for c in rev):
        raise RecordsError(f"not a revision: {rev!r}")
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], repo)
    except RecordsError:
        raise RecordsError(f"unknown revision {rev!r} in {repo}") from None
    sha = commit.decode().strip()
    stamp = _git(["show", "-s", "--format=%cs", sha], repo).decode().strip()
    return Revision(rev, sha, dt.date.fromisoformat(stamp))


def relative_to_repo(root: Path) -> tuple[Path, str]:
    """The repository holding the record set at `root`, and the set's path inside it
    ('' for the top; '/'-separated)."""
    repo = top_level(root)
    try:
        inside = root.resolve().relative_to(repo.resolve())
    except ValueError:
        raise RecordsError(f"{root} is not inside the git repository {repo}") from None
    return repo, inside.as_posix() if str(inside) != "." else ""


@contextmanager
def record_set_at(root: Path, rev: str) -> Iterator[tuple[Path, Revision]]:
    """The record set at `root` as it was at `rev`, written into a temporary directory that
    is removed afterwards: yields (that directory, the resolved revision)."""
    repo, inside = relative_to_repo(root)
    revision = resolve(rev, repo)
    listed = _git(
        ["ls-tree", "--name-only", revision.commit, f"{inside}/" if inside else "."], repo
    )
    names = {Path(n).name for n in listed.decode("utf-8", "replace").splitlines()}
    if "dataset.yaml" not in names:
        where = inside or "the top of the repository"
        raise RecordsError(f"no record set at {where} in revision {rev!r} (no dataset.yaml)")
    archive = _git(["archive", "--format=tar", revision.commit, "--", inside or "."], repo)
    tmp = Path(tempfile.mkdtemp(prefix="secretome-git-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            _extract(tar, tmp)
        yield (tmp / inside if inside else tmp), revision
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _extract(tar: tarfile.TarFile, into: Path) -> None:
    """Extract regular files and directories only, never outside `into` (the 'data' filter
    where this Python has it, Python 3.11.4 and later)."""
    if hasattr(tarfile, "data_filter"):
        tar.extractall(into, filter="data")
        return
    for member in tar.getmembers():  # pragma: no cover - Python 3.11.0-3.11.3
        target = (into / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(into.resolve()):
            continue
        tar.extract(member, into)
