"""The one canonical form of every YAML file of a record set, as `secretome fmt` writes it.

Keys follow the order of the model's fields; optional fields left at their default (empty
list, none) are left out; vocabulary entries are sorted by name and references by key; lists
are block lists at the indentation of their key; text longer than 88 characters is a folded
block wrapped at 100 columns; strings YAML would read as something else ("NO", "yes", "1e3",
"12:30") are single-quoted (see emitter.py). Formatting a canonical file gives the same bytes
back.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from secretome_cli.files.emitter import emit
from secretome_cli.files.layout import Layout, display, record_set_of
from secretome_cli.files.loading import read_model
from secretome_cli.model import record as model
from secretome_cli.model.problems import Problem, RecordsError

_HEADER = "# {what}.\n# Canonical form: `secretome fmt` rewrites this file.\n"


def dump_model(instance: BaseModel, header: str | None = None) -> str:
    """The canonical YAML text of a validated record, vocabulary, bibliography or dataset."""
    data = instance.model_dump(by_alias=True, mode="python", exclude_defaults=True)
    if isinstance(instance, model.Bibliography):
        data["references"] = sorted(data["references"], key=lambda r: r["key"])
    for listkey in ("diseases", "factors", "pathways", "preconditioning"):
        if isinstance(instance, _VOCABULARIES) and listkey in data:
            data[listkey] = sorted(data[listkey], key=lambda e: (e["name"].casefold(), e["name"]))
    return (header or "") + emit(data)


_VOCABULARIES = (
    model.DiseaseVocabulary,
    model.FactorVocabulary,
    model.PathwayVocabulary,
    model.PreconditioningVocabulary,
    model.ProcessVocabulary,
)

_HEADERS = {
    model.Record: None,
    model.Bibliography: "The bibliography: every reference a record cites, as its source gives "
    "it; DOIs lower case",
    model.Dataset: "The record set: name, semantic version and release date",
    model.DiseaseVocabulary: "Diseases and conditions: category, parents, abbreviations, synonyms",
    model.FactorVocabulary: "Secreted factors and other molecules: class, aliases, parents",
    model.PathwayVocabulary: "Signalling pathways: aliases and parents",
    model.PreconditioningVocabulary: "Preconditioning stimuli: kind and aliases",
    model.ProcessVocabulary: "Processes and outcomes that records name in their text: aliases",
}


def model_for(path: Path, layout: Layout) -> type[BaseModel]:
    """Which model a file of the record set holds, by where it lies."""
    resolved = path.resolve()
    if resolved == layout.dataset.resolve():
        return model.Dataset
    if resolved == layout.bibliography.resolve():
        return model.Bibliography
    vocabularies = {v.filename: v.model for v in model.VOCABULARY_FILES.values()}
    if resolved.parent == layout.vocab_dir.resolve() and path.name in vocabularies:
        return vocabularies[path.name]
    return model.Record


def canonical_text(instance: BaseModel) -> str:
    """The canonical text of a file holding `instance`, header comment included."""
    what = _HEADERS.get(type(instance))
    return dump_model(instance, _HEADER.format(what=what) if what else None)


@dataclass
class Formatted:
    """What `fmt` did: files rewritten (or, with --check, that would be), and files it could
    not read into a model (with their problems)."""

    changed: list[Path] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def format_files(root: Path, paths: Sequence[Path], check: bool) -> Formatted:
    """Rewrite files into canonical form: `paths`, or every file of the record set at `root`
    when none is given. Each file is read as the model its place in its own record set
    gives it (so files of several sets can be formatted in one run).

    Only regular files inside their record set are written: a symbolic link, a file whose
    real place is outside the set, or a read-only file is reported and left as it is (see
    `refusal`). Files that do not parse or validate against their model are left untouched
    and their problems returned. With `check`, nothing is written. Writes are atomic; the
    temporary files a killed run left behind are removed first. Raises RecordsError,
    before anything is written, when a path is not a file of a record set.
    """
    if paths:
        targets = [(path, _owner(path)) for path in paths]
    else:
        layout = Layout(root)
        targets = [(path, layout) for path in (*layout.data_files(), *layout.record_files())]
    result = Formatted()
    if not check:
        remove_stale_temporaries({path.parent for path, _ in targets})
    for path, layout in targets:
        refused = refusal(path, layout)
        if refused is not None:
            result.problems.append(Problem(display(path), 1, 1, "not-rewritten", refused))
            continue
        parsed = read_model(path, model_for(path, layout))
        errors = [p for p in parsed.problems if p.severity == "error"]
        if parsed.model is None or parsed.document is None or errors:
            result.problems.extend(errors or parsed.problems)
            continue
        text = canonical_text(parsed.model)
        if text == parsed.document.text.lstrip("\ufeff") and not path.read_bytes().startswith(
            b"\xef\xbb\xbf"
        ):
            result.unchanged += 1
            continue
        if check:
            result.changed.append(path)
            continue
        try:
            write_atomic(path, text)
        except OSError as exc:
            message = f"cannot write the file: {exc.strerror or exc}; it is left as it was"
            result.problems.append(Problem(display(path), 1, 1, "not-rewritten", message))
            continue
        result.changed.append(path)
    return result


def refusal(path: Path, layout: Layout) -> str | None:
    """Why `fmt` must not rewrite `path` (None: it may): a symbolic link (replacing it would
    leave its target as it was and the link gone), a file whose real place is outside its
    record set, a read-only file (its owner said so). Anything else that is not a regular
    file is refused when it is read."""
    try:
        status = path.lstat()
    except OSError:
        return None  # reading it says what is wrong
    if stat.S_ISLNK(status.st_mode):
        return "a symbolic link; fmt rewrites only regular files (format the file it points to)"
    try:
        inside = path.resolve().is_relative_to(layout.root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return f"its real place is outside the record set {display(layout.root)}"
    if stat.S_ISREG(status.st_mode) and not status.st_mode & stat.S_IWUSR:
        return "a read-only file; make it writable to format it"
    return None


def _owner(path: Path) -> Layout:
    if not path.is_file():
        raise RecordsError(f"no such file: {path}")
    # a link belongs to the set that holds it, wherever it points (and is then refused)
    owner = record_set_of(path.parent if path.is_symlink() else path)
    if owner is None:
        raise RecordsError(f"{path} is not inside a record set (no dataset.yaml above it)")
    return Layout(owner)


_TEMPORARY = re.compile(r"\..+\.ya?ml\.[a-z0-9_]{8}\.tmp\Z")
"""The name `write_atomic` gives its temporary file: `.NAME.yaml.xxxxxxxx.tmp`."""
STALE_SECONDS = 60.0
"""Age after which a temporary file of `write_atomic` is a leftover of a killed run, not the
file of a run still going (which renames it within milliseconds)."""


def remove_stale_temporaries(folders: set[Path]) -> None:
    """Remove the temporary files a killed `fmt` left in `folders` (regular files named as
    `write_atomic` names them, older than STALE_SECONDS); nothing else is touched."""
    now = time.time()
    for folder in folders:
        try:
            names = os.listdir(folder)  # noqa: PTH208 (names are matched, not paths)
        except OSError:
            continue
        for name in names:
            if not _TEMPORARY.match(name):
                continue
            leftover = folder / name
            try:
                status = leftover.lstat()
                if stat.S_ISREG(status.st_mode) and now - status.st_mtime > STALE_SECONDS:
                    leftover.unlink()
            except OSError:
                continue


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader sees the old or the new file, never half;
    the new file keeps the old one's permissions and, where it may, its group."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        old = path.stat() if path.exists() else None
        Path(tmp).chmod(old.st_mode & 0o777 if old else 0o644)
        if old is not None and Path(tmp).stat().st_gid != old.st_gid:
            with contextlib.suppress(OSError):  # only the file's group or root may
                os.chown(tmp, -1, old.st_gid)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
