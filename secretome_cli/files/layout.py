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

Which set a command uses (`locate`): `--records DIR`, else `SECRETOME_RECORDS`, else the
set the user stands in (`discover`: `./records`, then the current folder and each folder
above it, as git finds `.git`), else, for commands that only read, the bundled set: beside
the installed package (`secretome_cli/records` in a wheel) or at the top of the source tree.
Commands that write never fall back to it, and never write into an installed package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from secretome_cli.model.problems import RecordsError

RECORDS_ENV = "SECRETOME_RECORDS"
"""Environment variable naming the record set to use."""


RECORDS_FOLDER = "records"
"""The folder name `discover` looks for first, in the current folder and each one above."""

NO_SET_HINT = (
    "name one with --records DIR or SECRETOME_RECORDS=DIR, or run the command inside a record "
    "set (a folder holding dataset.yaml and evidence/) or beside its records/ folder"
)
"""How to name a record set, as a message ends when none was found."""


def bundled_records() -> Path:
    """The record set shipped with the tool (wheel) or beside the source tree (checkout)."""
    here = Path(__file__).resolve().parent.parent
    inside = here / "records"
    return inside if inside.is_dir() else here.parent / "records"


def installed_records() -> Path | None:
    """The bundled record set when it lies inside the installed package (a wheel), which no
    command writes into; None in a source checkout."""
    inside = Path(__file__).resolve().parent.parent / "records"
    return inside if inside.is_dir() else None


def is_record_set(directory: str) -> bool:
    """Whether `directory` holds a record set: a dataset.yaml and an evidence/ folder.
    (Strings and `os.path`: `discover` runs before `pathlib` is worth importing.)"""
    dataset = os.path.join(directory, "dataset.yaml")  # noqa: PTH118
    evidence = os.path.join(directory, "evidence")  # noqa: PTH118
    return os.path.isfile(dataset) and os.path.isdir(evidence)  # noqa: PTH112, PTH113


def discover(start: str) -> str | None:
    """The record set a user standing in `start` means, as an absolute path, or None: at
    each folder from `start` up to the root, its `records/` folder, then the folder itself
    (so `./records` first, and from `records/evidence/` it is `records/`). Plain `os` calls,
    two or three `stat`s a folder: the early scan (`launch.py`) calls it (through
    `locate`) before the command's modules are imported."""
    folder = os.path.abspath(start)  # noqa: PTH100 - a string, and no symbolic link resolved
    while True:
        beside = os.path.join(folder, RECORDS_FOLDER)  # noqa: PTH118 - see is_record_set
        for candidate in (beside, folder):
            if is_record_set(candidate):
                return candidate
        parent = os.path.dirname(folder)  # noqa: PTH120 - see above
        if parent == folder:
            return None
        folder = parent


def locate(option: Path | None, writing: bool = False) -> Path:
    """The record set to use: `--records`, else `$SECRETOME_RECORDS`, else the one the
    working directory lies in or beside (`discover`), else the bundled one. `writing`: for a
    command that writes into the set, which never falls back to the bundled set nor writes
    into the installed package (RecordsError saying how to name a set)."""
    chosen = option or (Path(os.environ[RECORDS_ENV]) if os.environ.get(RECORDS_ENV) else None)
    if chosen is None:
        try:
            found = discover(os.getcwd())  # noqa: PTH109 - a string is what `discover` takes
        except OSError:  # the working directory was removed
            found = None
        if found is not None:
            chosen = Path(found)
        elif writing:
            raise RecordsError(f"no record set here to write into: {NO_SET_HINT}")
    root = chosen or bundled_records()
    if not root.exists():
        raise RecordsError(f"records directory not found: {root}")
    if not root.is_dir():
        raise RecordsError(f"records path is not a directory: {root}")
    if not os.access(root, os.R_OK | os.X_OK):
        raise RecordsError(f"records directory is not readable: {root}")
    installed = installed_records()
    if writing and installed is not None and root.resolve() == installed:
        raise RecordsError(
            f"{root} is the record set inside the installed package, which is not written "
            f"into: {NO_SET_HINT}"
        )
    return root


def other_than_bundled(root: Path) -> Path | None:
    """`root`, resolved, when it is not the bundled record set (what `--version`, `cache
    info` and `validate` name); None when it is."""
    resolved = root.resolve()
    return None if resolved == bundled_records().resolve() else resolved


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
    from secretome_cli.model.characters import escape  # its patterns take a while to compile

    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, FileNotFoundError) and folder.is_symlink():
        reason = f"a symbolic link to {escape(str(folder.readlink()))}, which does not exist"
    return f"cannot read the folder {escape(display(folder))}: {reason}"
