"""Reading one YAML file safely, keeping the line and column of every value.

Only the YAML core types are read (no `!!python/...` or other tags, no anchors or aliases),
files over a size limit and absurdly deep nesting are refused before they are parsed into
objects, and duplicate mapping keys are reported (PyYAML would keep the last one silently).
Every finding is a `Problem` with its location; nothing here raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 1_000_000
"""Largest file read; a record is a few kilobytes."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and sequences read; a record needs five."""

# libyaml when the wheel has it: several times faster than the pure-Python parser.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_STR_TAG = "tag:yaml.org,2002:str"
_YAML12_NUMBER = re.compile(r"[-+]?(?:[0-9]+[eE][-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)")
"""Plain scalars PyYAML (YAML 1.1) reads as text but YAML 1.2 tools read as numbers."""

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Scalar:
    """What a plain scalar looked like in the file, for explaining YAML 1.1 surprises."""

    text: str
    tag: str
    plain: bool


@dataclass
class Document:
    """A parsed YAML file: its data and the position of every value and key in it."""

    path: str
    data: Any
    text: str = ""
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    scalars: dict[PathKey, Scalar] = field(default_factory=dict)

    def mark(self, loc: PathKey) -> tuple[int, int]:
        """Line and column (1-based) of the value at `loc`, or of its nearest ancestor."""
        for end in range(len(loc), -1, -1):
            found = self.marks.get(loc[:end])
            if found:
                return found
        return (1, 1)

    def key_mark(self, loc: PathKey) -> tuple[int, int]:
        """Line and column of the key of `loc` (or of the value when there is no key)."""
        return self.key_marks.get(loc) or self.mark(loc)


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def read(path: Path, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Read `path` as YAML; return the document (None when unreadable) and the problems."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, 1, "unreadable", f"cannot read file: {exc.strerror}")]
    return parse(raw, name)


def parse(raw: bytes, name: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML bytes named `name`; see `read`."""
    if len(raw) > MAX_BYTES:
        return None, [
            Problem(
                name,
                1,
                1,
                "file-too-large",
                f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                name,
                line,
                col,
                "encoding",
                f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            )
        ]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [Problem(name, 1, 1, "empty-file", "file is empty")]
    problem = _check_structure(text, name)
    if problem:
        return None, [problem]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, name)]
    if node is None:
        return None, [Problem(name, 1, 1, "empty-file", "file holds no YAML document")]
    doc = Document(name, None, text)
    problems: list[Problem] = []
    doc.data = _build(node, (), doc, problems, yaml.constructor.SafeConstructor())
    return doc, problems


def _syntax_problem(exc: yaml.YAMLError, name: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = _pos(mark)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}, {what}" if context else str(what)
    return Problem(name, line, col, "yaml-syntax", f"YAML syntax error: {message}")


def _check_structure(text: str, name: str) -> Problem | None:
    """Walk the event stream once, refusing aliases, foreign tags and deep nesting early."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = _pos(event.start_mark)
                    return Problem(
                        name,
                        line,
                        col,
                        "yaml-depth",
                        f"nesting deeper than {MAX_DEPTH} levels is not read",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                line, col = _pos(event.start_mark)
                return Problem(
                    name,
                    line,
                    col,
                    "yaml-alias",
                    "YAML aliases (*name) are not allowed in record files; write the value out",
                )
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                line, col = _pos(event.start_mark)
                return Problem(
                    name,
                    line,
                    col,
                    "yaml-alias",
                    f"YAML anchors (&{event.anchor}) are not allowed in record files",
                )
            tag = getattr(event, "tag", None)
            if tag and tag not in _CORE_TAGS and tag not in {"!", "?"}:
                line, col = _pos(event.start_mark)
                return Problem(
                    name,
                    line,
                    col,
                    "yaml-tag",
                    f"YAML tag {tag!r} is not allowed; only plain data is read",
                )
    except yaml.YAMLError as exc:
        return _syntax_problem(exc, name)
    except RecursionError:  # pragma: no cover - the depth check stops this first
        return Problem(name, 1, 1, "yaml-depth", "nesting too deep to read")
    return None


def _build(
    node: yaml.Node,
    loc: PathKey,
    doc: Document,
    problems: list[Problem],
    constructor: yaml.constructor.SafeConstructor,
) -> Any:
    doc.marks[loc] = _pos(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, (*loc, "\x00key"), doc, problems, constructor)
            if not isinstance(key, str):
                line, col = _pos(key_node.start_mark)
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "key-type",
                        f"mapping key {key!r} is not a string; quote it",
                    )
                )
                key = str(key)
            child = (*loc, key)
            if key in result:
                line, col = _pos(key_node.start_mark)
                first = doc.key_marks.get(child, (0, 0))[0]
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "duplicate-key",
                        f"duplicate key {key!r} (first on line {first}); YAML "
                        "would silently keep only the last",
                    )
                )
                continue
            doc.key_marks[child] = _pos(key_node.start_mark)
            result[key] = _build(value_node, child, doc, problems, constructor)
        doc.marks.pop((*loc, "\x00key"), None)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*loc, i), doc, problems, constructor) for i, item in enumerate(node.value)
        ]
    assert isinstance(node, yaml.ScalarNode)
    plain = not node.style
    doc.scalars[loc] = Scalar(node.value, node.tag, plain)
    if plain and node.tag == _STR_TAG and _YAML12_NUMBER.fullmatch(node.value):
        line, col = _pos(node.start_mark)
        problems.append(
            Problem(
                doc.path,
                line,
                col,
                "yaml-implicit-type",
                f"{node.value!r} is text here but a number to YAML 1.2 tools; quote it: "
                f"'{node.value}'",
                "warning",
            )
        )
    try:
        value = constructor.construct_object(node)
    except (ValueError, yaml.YAMLError, OverflowError) as exc:
        line, col = _pos(node.start_mark)
        kind = "date" if node.tag.endswith("timestamp") else "value"
        problems.append(
            Problem(
                doc.path,
                line,
                col,
                f"invalid-{kind}",
                f"{node.value!r} is not a valid {kind}: {exc}",
            )
        )
        return node.value
    return value


def walk_strings(data: Any, loc: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every string in `data` (keys excluded) with its location."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk_strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk_strings(value, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


def is_plain_non_string(doc: Document, loc: PathKey) -> Scalar | None:
    """The scalar at `loc` when YAML read an unquoted word as a non-string type."""
    scalar = doc.scalars.get(loc)
    if scalar is not None and scalar.plain and scalar.tag != _STR_TAG:
        return scalar
    return None
