"""The one canonical form of every YAML file of a record set, as `secretome fmt` writes it.

Keys follow the order of the model's fields; optional fields left at their default (empty
list, none) are left out; vocabulary entries are sorted by name and references by key; lists
are block lists at the indentation of their key; text longer than 88 characters is a folded
block wrapped at 100 columns; strings YAML would read as something else ("NO", "yes", "1e3",
"12:30") are single-quoted (see emitter.py). Formatting a canonical file gives the same bytes
back.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from secretome_cli.files.emitter import emit
from secretome_cli.files.layout import Layout, record_set_of
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

    Files that do not parse or validate against their model are left untouched and their
    problems returned. With `check`, nothing is written. Writes are atomic. Raises
    RecordsError, before anything is written, when a path is not a file of a record set.
    """
    if paths:
        targets = [(path, _owner(path)) for path in paths]
    else:
        layout = Layout(root)
        targets = [(path, layout) for path in (*layout.data_files(), *layout.record_files())]
    result = Formatted()
    for path, layout in targets:
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
        result.changed.append(path)
        if not check:
            write_atomic(path, text)
    return result


def _owner(path: Path) -> Layout:
    if not path.is_file():
        raise RecordsError(f"no such file: {path}")
    owner = record_set_of(path)
    if owner is None:
        raise RecordsError(f"{path} is not inside a record set (no dataset.yaml above it)")
    return Layout(owner)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader sees the old or the new file, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
