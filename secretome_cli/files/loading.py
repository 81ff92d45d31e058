"""Reading the files of a record set into models, with every problem located."""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from secretome_cli.files import yamlfile
from secretome_cli.files.layout import display
from secretome_cli.model import controlled
from secretome_cli.model.problems import Problem
from secretome_cli.model.record import SCHEMA_VERSION

M = TypeVar("M", bound=BaseModel)


@dataclass
class Parsed(typing.Generic[M]):
    """One file read into a model (or not), with the problems found on the way."""

    path: Path
    name: str
    model: M | None
    document: yamlfile.Document | None
    problems: list[Problem]
    rejected: tuple[yamlfile.PathKey, ...] = ()
    """Where the model refused the document's values (`()` is the whole document): what
    can be read of a file that is not valid is everything else."""


def read_model(path: Path, model: type[M], name: str | None = None) -> Parsed[M]:
    """Read a YAML file and validate it against `model`, locating every problem."""
    name = name or display(path)
    doc, problems = yamlfile.read(path, name)
    if doc is None:
        return Parsed(path, name, None, None, problems)
    return validate_document(doc, model, problems, path)


def validate_document(
    doc: yamlfile.Document, model: type[M], problems: list[Problem], path: Path
) -> Parsed[M]:
    """Validate parsed YAML against `model`; see `read_model`."""
    data = doc.data
    if not isinstance(data, dict):
        message = f"expected a mapping of fields, found {_type_name(data)}"
        problems.append(Problem(doc.path, 1, 1, "not-a-mapping", message))
        return Parsed(path, doc.path, None, doc, problems, ((),))
    version = data.get("schema_version")
    if "schema_version" in data and version != SCHEMA_VERSION:
        message = (
            f"schema_version {version!r} is not read by this tool, which reads "
            f"schema_version {SCHEMA_VERSION}"
        )
        problems.append(doc.problem(("schema_version",), "schema-version", message))
        return Parsed(path, doc.path, None, doc, problems, ((),))
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_explain(exc, doc, model))
        rejected = tuple(tuple(e["loc"]) for e in exc.errors(include_url=False))
        return Parsed(path, doc.path, None, doc, problems, rejected)
    return Parsed(path, doc.path, instance, doc, problems)


_RULES = {
    "extra_forbidden": "unknown-field",
    "missing": "missing-field",
    "literal_error": "unknown-value",
    "string_pattern_mismatch": "bad-format",
}
_TYPE_ERRORS = {
    "string_type",
    "int_type",
    "date_type",
    "list_type",
    "bool_type",
    "float_type",
    "model_type",
    "dict_type",
    "model_attributes_type",
    "int_from_float",
    "date_from_datetime_inexact",
    "date_from_datetime_parsing",
    "int_parsing",
    "string_sub_type",
    "date_parsing",
    "is_instance_of",
}
_TYPE_WORDS = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "null",
}


def _explain(
    exc: ValidationError,
    doc: yamlfile.Document,
    model: type[BaseModel],
    prefix: tuple[Any, ...] = (),
) -> list[Problem]:
    """Problems of a failed validation, located in `doc` (`prefix`: where the validated value
    lies, for the value of a misspelt field checked as the field it misspells)."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = prefix + tuple(error["loc"])
        kind = error["type"]
        rule = _RULES.get(kind, "wrong-type" if kind in _TYPE_ERRORS else "bad-value")
        where = ".".join(str(p) for p in loc) or "(top level)"
        message = f"{where}: {error['msg']}"
        if kind == "extra_forbidden":
            line, col = doc.key_mark(loc)
            allowed = _fields_at(model, loc[:-1])
            near = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            hint = f"did you mean {near[0]!r}?" if near else f"allowed here: {', '.join(allowed)}"
            parent = ".".join(str(p) for p in loc[:-1])
            message = f"{parent + ': ' if parent else ''}unknown field {loc[-1]!r}; {hint}"
            if near and not parent:
                problems.extend(_as_field(doc, model, str(loc[-1]), near[0]))
        elif kind == "missing":
            line, col = doc.mark(loc[:-1])
            message = f"missing required field {where!r}"
        else:
            line, col = doc.mark(loc)
            scalar = yamlfile.is_plain_non_string(doc, loc)
            if scalar is not None and kind == "string_type":
                rule = "yaml-implicit-type"
                message = (
                    f"{where}: YAML reads the unquoted {scalar.text!r} as "
                    f"{_TYPE_WORDS.get(scalar.tag, 'a non-string')}, not text; quote it: "
                    f"'{scalar.text}'"
                )
            elif kind == "literal_error":
                expected = error.get("ctx", {}).get("expected", "")
                choices = [
                    c.strip().strip("'") for c in str(expected).replace(" or ", ",").split(",")
                ]
                given = error.get("input")
                allowed = [c for c in choices if c]
                near = difflib.get_close_matches(str(given), allowed, n=3, cutoff=0.5)
                same = controlled.meaning(str(given), allowed)
                if same is not None:  # the value that means the same comes first
                    near = [same, *(n for n in near if n != same)][:3]
                message = f"{where}: {given!r} is not allowed" + (
                    f"; did you mean {', '.join(repr(n) for n in near)}?"
                    if near
                    else f"; allowed: {expected}"
                )
        problems.append(Problem(doc.path, line, col, rule, message))
    return problems


def _as_field(
    doc: yamlfile.Document, model: type[BaseModel], key: str, meant: str
) -> list[Problem]:
    """The problems of the value of a misspelt top-level field `key`, checked as the field
    `meant` that it misspells: one run reports the name and its values alike."""
    from pydantic import TypeAdapter

    fields = {f.alias or n: f for n, f in model.model_fields.items()}
    data = doc.data
    annotation = fields[meant].annotation if meant in fields else None
    if annotation is None or not isinstance(data, dict) or key not in data:
        return []
    try:
        TypeAdapter(annotation).validate_python(data[key])
    except ValidationError as exc:
        return _explain(exc, doc, model, (key,))
    return []


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at `loc` inside `model` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        for inner in typing.get_args(arg):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def _type_name(value: object) -> str:
    return {
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
    }.get(type(value), type(value).__name__)
