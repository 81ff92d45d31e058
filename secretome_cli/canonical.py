"""The one canonical form of every YAML file of a record set, as `secretome fmt` writes it.

Keys follow the order of the model's fields; optional fields left at their default (empty
list, none) are left out; vocabulary entries are sorted by name and references by key; lists
are block lists at the indentation of their key; text longer than 88 characters is a folded
block wrapped at 100 columns; strings YAML would read as something else ("NO", "yes", "1e3",
"12:30") are single-quoted. Formatting a canonical file gives the same bytes back. The emitter
is written for these few shapes of data: it is many times faster than PyYAML's, which lets
`validate` check the form of every file without slowing down.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from . import model
from .layout import Layout
from .loading import read_model
from .problems import Problem

WIDTH = 100
"""Folded text is wrapped so that no line is longer than this."""
FOLD_AT = 88
"""Text longer than this is written as a folded block (`>-`)."""
_HEADER = "# {what}.\n# Canonical form: `secretome fmt` rewrites this file.\n"
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_YAML12_NUMBER = re.compile(r"[-+]?(?:[0-9]+[eE][-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)")
_NEEDS_DOUBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


_WORDS_YAML_READS = frozenset({"yes", "no", "true", "false", "on", "off", "null"})


def _plain_ok(text: str) -> bool:
    """True when `text` can be written unquoted and reads back as the same string."""
    if (
        text[:1].isalpha()
        and text.lower() not in _WORDS_YAML_READS
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\t" not in text
        and not _NEEDS_DOUBLE.search(text)
    ):
        return True  # text starting with a letter can only be mistaken for a boolean or null
    return not (
        not text
        or text != text.strip()
        or text[0] in _INDICATORS
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\t" in text
        or _NEEDS_DOUBLE.search(text)
        or _YAML12_NUMBER.fullmatch(text)
        or _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG  # type: ignore[no-untyped-call]
    )


def _quoted(text: str) -> str:
    if _NEEDS_DOUBLE.search(text):
        return json.dumps(text, ensure_ascii=False)
    return "'" + text.replace("'", "''") + "'"


def _fold_ok(text: str) -> bool:
    return (
        len(text) > FOLD_AT
        and text == text.strip()
        and "  " not in text
        and "\t" not in text
        and not _NEEDS_DOUBLE.search(text)
    )


def _folded(text: str, indent: int) -> list[str]:
    """The lines of a folded block scalar holding `text`, each at `indent` columns."""
    room = max(20, WIDTH - indent)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > room:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    pad = " " * indent
    return [pad + line for line in lines]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if _plain_ok(text) else _quoted(text)


def _emit(value: Any, indent: int, out: list[str], prefix: str) -> None:
    """Append the lines of `value`, whose key (or list dash) is `prefix`."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            out.append(f"{pad}{prefix} {{}}")
            return
        out.append(f"{pad}{prefix}")
        for key, item in value.items():
            _emit(item, indent + 2, out, f"{key}:")
    elif isinstance(value, list):
        if not value:
            out.append(f"{pad}{prefix} []")
            return
        out.append(f"{pad}{prefix}")
        for item in value:
            _item(item, indent, out)
    elif isinstance(value, str) and _fold_ok(value):
        out.append(f"{pad}{prefix} >-")
        out.extend(_folded(value, indent + 2))
    else:
        out.append(f"{pad}{prefix} {_scalar(value)}")


def _item(value: Any, indent: int, out: list[str]) -> None:
    """Append one list item: '- value', or a mapping whose first key follows the dash."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        start = len(out)
        for key, item in value.items():
            _emit(item, indent + 2, out, f"{key}:")
        out[start] = pad + "- " + out[start][indent + 2 :]
    elif isinstance(value, str) and _fold_ok(value):
        out.append(f"{pad}- >-")
        out.extend(_folded(value, indent + 2))
    elif isinstance(value, dict | list):
        out.append(f"{pad}- {'{}' if isinstance(value, dict) else '[]'}")
    else:
        out.append(f"{pad}- {_scalar(value)}")


def emit(data: dict[str, Any]) -> str:
    """The canonical YAML text of plain data (mappings, lists, text, numbers, dates)."""
    out: list[str] = []
    for key, value in data.items():
        _emit(value, 0, out, f"{key}:")
    return "\n".join(out) + "\n"


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
}


def model_for(path: Path, layout: Layout) -> type[BaseModel]:
    """Which model a file of the record set holds, by where it lies."""
    resolved = path.resolve()
    if resolved == layout.dataset.resolve():
        return model.Dataset
    if resolved == layout.bibliography.resolve():
        return model.Bibliography
    vocabularies: dict[str, type[BaseModel]] = {
        "diseases.yaml": model.DiseaseVocabulary,
        "factors.yaml": model.FactorVocabulary,
        "pathways.yaml": model.PathwayVocabulary,
        "preconditioning.yaml": model.PreconditioningVocabulary,
    }
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


def format_files(layout: Layout, paths: Sequence[Path], check: bool) -> Formatted:
    """Rewrite `paths` (files of the record set at `layout`) into canonical form.

    Files that do not parse or validate against their model are left untouched and their
    problems returned. With `check`, nothing is written. Writes are atomic.
    """
    result = Formatted()
    for path in paths:
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
