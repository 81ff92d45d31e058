"""The file `secretome new` writes: one record with every field present, each under a
one-line comment taken from the record model's description of the field.

Values the curator must supply are the placeholder `TODO` (validate names each one left
unfilled: rule `placeholder`); optional values are `null` or `[]`. A copy of an existing
record keeps its values under the new id, with revision 1 and a changelog entry to fill in.
`secretome fmt` later drops the comments and the empty fields.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from secretome_cli.files.emitter import emit
from secretome_cli.files.layout import Layout
from secretome_cli.model import record as model
from secretome_cli.model.problems import RecordsError

PLACEHOLDER = "TODO"
"""The value of a field the curator has still to fill in."""


def is_placeholder(text: str) -> bool:
    """True for a placeholder: 'TODO', or 'TODO: …' (a placeholder with a hint)."""
    stripped = text.strip()
    return stripped == PLACEHOLDER or stripped.startswith(f"{PLACEHOLDER}:")


def blank(record_id: str, today: dt.date) -> dict[str, Any]:
    """The data of a new record: placeholders where a value is needed."""
    todo = PLACEHOLDER
    return {
        "schema_version": model.SCHEMA_VERSION,
        "id": record_id,
        "revision": 1,
        "updated": today,
        "changelog": [{"revision": 1, "date": today, "change": todo}],
        "claim": todo,
        "topic": todo,
        "diseases": [{"name": todo, "context": None}],
        "organs": [],
        "source": {"tissues": [todo], "fraction": todo, "preconditioning": []},
        "factors": [{"name": todo, "change": todo, "note": None}],
        "targets": [{"name": todo, "change": todo, "note": None}],
        "pathways": [{"name": todo, "change": todo}],
        "drugs": [],
        "outcomes": [todo],
        "mechanism": todo,
        "model": {"systems": [], "organisms": [], "cells": [], "description": None},
        "citations": [todo],
        "provenance": {"source": todo, "section": todo, "table": None, "row": None, "refs": []},
        "flags": [],
        "notes": [],
        "see_also": [],
    }


def copied(existing: model.Record, record_id: str, today: dt.date) -> dict[str, Any]:
    """The data of a new record copied from `existing`: every field, revision reset."""
    data = existing.model_dump(by_alias=True, mode="python")
    data.update(
        id=record_id,
        revision=1,
        updated=today,
        changelog=[
            {
                "revision": 1,
                "date": today,
                "change": f"{PLACEHOLDER}: say what this record states (copied from {existing.id})",
            }
        ],
    )
    return data


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _choices(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    for arg in typing.get_args(annotation):
        found = _choices(arg)
        if found:
            return found
    return []


def comment(info: Any) -> str:
    """The one-line comment of a field: its description, and its allowed values."""
    text = " ".join(str(info.description or "").split())
    choices = _choices(info.annotation)
    if choices and len(choices) > 1:
        text += f" One of: {', '.join(choices)}."
    return text


def field_info(loc: tuple[str | int, ...], root: type[BaseModel] = model.Record) -> Any:
    """The model field a location of a record file holds (None when there is none)."""
    current: type[BaseModel] | None = root
    info: Any = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None:
            return None
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        info = fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return info


def annotated(data: dict[str, Any], cls: type[BaseModel] = model.Record) -> str:
    """`data` as YAML in the model's field order, each field under its comment."""
    out: list[str] = []
    _fields(data, cls, 0, out)
    return "\n".join(out) + "\n"


def _fields(data: dict[str, Any], cls: type[BaseModel], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for name, info in cls.model_fields.items():
        key = info.alias or name
        if key not in data:
            continue
        out.append(f"{pad}# {comment(info)}")
        value = data[key]
        inner = _inner_model(info.annotation)
        if inner is not None and isinstance(value, dict) and value:
            out.append(f"{pad}{key}:")
            _fields(value, inner, indent + 2, out)
        elif inner is not None and isinstance(value, list) and value:
            out.append(f"{pad}{key}:")
            for item in value:
                start = len(out)
                _fields(item, inner, indent + 2, out)
                first = next(
                    i for i in range(start, len(out)) if not out[i].lstrip().startswith("#")
                )
                out[first] = f"{pad}- {out[first][indent + 2 :]}"
        else:
            out.extend(pad + line for line in emit({key: value}).splitlines())


RECORD_ID = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""A record id, whole: `\\Z`, not `$`, which would let a trailing newline through."""
MAX_ID = 80
"""Longest record id (the model's limit)."""


def is_record_id(text: str) -> bool:
    """True when `text` is a record id: lower-case words of letters and digits joined by
    single '-', at most MAX_ID characters, nothing before or after."""
    return len(text) <= MAX_ID and RECORD_ID.match(text) is not None


def write_new(layout: Layout, record_id: str, text: str) -> Path:
    """Write a new record file into the record set's evidence directory; refuses to replace
    a file that exists (RecordsError)."""
    path = layout.evidence_dir / f"{record_id}.yaml"
    for existing in (path, path.with_suffix(".yml")):
        if existing.exists():
            raise RecordsError(f"{existing} already exists; choose another id or edit that file")
    try:
        layout.evidence_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise RecordsError(f"{path} already exists; choose another id or edit that file") from None
    except OSError as exc:
        raise RecordsError(f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path
