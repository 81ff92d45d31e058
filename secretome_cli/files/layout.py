"""The layout of a record set: where it is and which files it holds (no parsing here).

A record set is a directory laid out as:

    dataset.yaml            name, semantic version and date of the set
    bibliography.yaml       every reference the records cite
    vocab/diseases.yaml     diseases with categories, parents, abbreviations, synonyms
    vocab/factors.yaml      factors and other molecules with class, aliases, parents
    vocab/pathways.yaml     pathways with aliases and parents
    vocab/preconditioning.yaml  preconditioning stimuli with kind and aliases
    evidence/*.yaml         one evidence record per file, named by its id
    CHANGELOG.md            what changed in each version of the set

The bundled set is found beside the installed package (`secretome_cli/records` in a wheel)
or at the top of the source tree; `--records DIR` or `SECRETOME_RECORDS` name another one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from secretome_cli.model.characters import escape
from secretome_cli.model.problems import RecordsError

RECORDS_ENV = "SECRETOME_RECORDS"
"""Environment variable naming the record set to use."""


def bundled_records() -> Path:
    """The record set shipped with the tool (wheel) or beside the source tree (checkout)."""
    here = Path(__file__).resolve().parent.parent
    inside = here / "records"
    return inside if inside.is_dir() else here.parent / "records"


def locate(option: Path | None) -> Path:
    """The record set to use: `--records`, else `$SECRETOME_RECORDS`, else the bundled one."""
    chosen = option or (Path(os.environ[RECORDS_ENV]) if os.environ.get(RECORDS_ENV) else None)
    root = chosen or bundled_records()
    if not root.exists():
        raise RecordsError(f"records directory not found: {root}")
    if not root.is_dir():
        raise RecordsError(f"records path is not a directory: {root}")
    if not os.access(root, os.R_OK | os.X_OK):
        raise RecordsError(f"records directory is not readable: {root}")
    return root


@dataclass(frozen=True)
class Layout:
    """The files of a record set."""

    root: Path

    @property
    def dataset(self) -> Path:
        return self.root / "dataset.yaml"

    @property
    def bibliography(self) -> Path:
        return self.root / "bibliography.yaml"

    @property
    def vocab_dir(self) -> Path:
        return self.root / "vocab"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def changelog(self) -> Path:
        return self.root / "CHANGELOG.md"

    def record_files(self) -> list[Path]:
        """Every record file, sorted by name (none when there is no evidence folder; a
        RecordsError when there is one that cannot be read)."""
        try:
            listed = os.listdir(self.evidence_dir)  # noqa: PTH208 (names sort faster than paths)
        except OSError as exc:
            if not os.path.lexists(self.evidence_dir):
                return []
            raise RecordsError(unreadable_folder(self.evidence_dir, exc)) from None
        names = sorted(n for n in listed if n.endswith((".yaml", ".yml")))
        return [self.evidence_dir / n for n in names]

    def data_files(self) -> list[Path]:
        """Every YAML file of the set that is not a record: dataset, bibliography, vocabularies."""
        vocab = sorted(self.vocab_dir.glob("*.yaml")) if self.vocab_dir.is_dir() else []
        return [self.dataset, self.bibliography, *vocab]


def record_set_of(path: Path) -> Path | None:
    """The record set a path lies in: the nearest directory (itself included) holding a
    dataset.yaml and a vocab/ directory, or None."""
    start = path.resolve()
    for candidate in [start, *start.parents] if start.is_dir() else start.parents:
        if (candidate / "dataset.yaml").is_file() and (candidate / "vocab").is_dir():
            return candidate
    return None


def display(path: Path) -> str:
    """A path as messages show it: relative to the working directory when below it. (Plain
    string operations: resolving symbolic links for every file costs more than reading it.)"""
    try:
        absolute = os.path.abspath(path)  # noqa: PTH100 - Path.absolute() does not normalise '..'
        here = os.getcwd()  # noqa: PTH109 - a string is what is compared here
    except OSError:
        return str(path)
    if absolute.startswith(here + os.sep):
        return absolute[len(here) + 1 :]
    return str(path)


def display_prefix(directory: Path) -> str:
    """What `display` puts before the name of a file in `directory`: `display(directory /
    name) == display_prefix(directory) + name` for a plain file name, computed once for the
    many files of a folder."""
    marker = "x"
    return display(directory / marker)[: -len(marker)]


def require_layout(root: Path) -> Layout:
    """The layout of `root`, or a RecordsError naming what is missing."""
    layout = Layout(root)
    missing = [p.name for p in (layout.dataset, layout.bibliography) if not p.is_file()]
    if not layout.vocab_dir.is_dir():
        missing.append("vocab/")
    if missing:
        raise RecordsError(f"{root} is not a record set: missing {', '.join(missing)}")
    _check_folder(layout.evidence_dir)
    return layout


def _check_folder(folder: Path) -> None:
    """A RecordsError when `folder` is there (a name in its parent) but cannot be read as a
    folder: a symbolic link loop, a link to nothing, a file, no permission. Opening it is
    enough to know, and costs one system call, not a listing."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        os.close(os.open(folder, flags))
    except OSError as exc:
        if os.path.lexists(folder):
            raise RecordsError(unreadable_folder(folder, exc)) from None


def unreadable_folder(folder: Path, exc: OSError) -> str:
    """Why `folder` cannot be read, in one line, naming it: never an empty set instead."""
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, FileNotFoundError) and folder.is_symlink():
        reason = f"a symbolic link to {escape(str(folder.readlink()))}, which does not exist"
    return f"cannot read the folder {escape(display(folder))}: {reason}"
