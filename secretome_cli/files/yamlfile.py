"""Reading one YAML file safely, keeping the line and column of every value.

Only the YAML core types are read (no `!!python/...` or other tags, no anchors or aliases),
files over a size limit and absurdly deep nesting are refused before they are parsed into
objects, and duplicate mapping keys are reported (PyYAML would keep the last one silently).
Every finding is a `Problem` with its location; nothing here raises on bad input.

The parsed node tree is kept with the data, so the position of any value can be looked up
when (and only when) a problem needs it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from secretome_cli.model.problems import Problem, Severity

MAX_BYTES = 1_000_000
"""Largest file read; a record is a few kilobytes."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and sequences read; a record needs five."""

_STR_TAG = "tag:yaml.org,2002:str"
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
_YAML12_NUMBER = re.compile(r"[-+]?(?:[0-9]+[eE][-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)")
"""Plain scalars PyYAML (YAML 1.1) reads as text but YAML 1.2 tools read as numbers."""
_RISKY = re.compile(r"[&*!]")
"""Characters that can start an anchor, alias or tag: their presence asks for the full
structure check before the file is composed."""
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Scalar:
    """What a scalar looked like in the file, for explaining YAML 1.1 surprises."""

    text: str
    tag: str
    plain: bool


@dataclass
class Document:
    """A parsed YAML file: its data, its text, and the node tree that locates every value."""

    path: str
    data: Any
    text: str
    root: yaml.Node
    """The node tree."""

    def _node(self, loc: PathKey) -> tuple[yaml.Node, yaml.Node | None]:
        """The node at (or nearest above) `loc`, and the key node of the last mapping step."""
        node: yaml.Node = self.root
        key_node: yaml.Node | None = None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == part), None)
                if found is None:
                    return node, key_node
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    return node, key_node
                node, key_node = node.value[part], None
            else:
                return node, key_node
        return node, key_node

    def mark(self, loc: PathKey) -> tuple[int, int]:
        """Line and column (1-based) of the value at `loc`, or of its nearest ancestor."""
        return _pos(self._node(loc)[0].start_mark)

    def key_mark(self, loc: PathKey) -> tuple[int, int]:
        """Line and column of the key of `loc` (or of the value when there is no key)."""
        node, key_node = self._node(loc)
        return _pos((key_node or node).start_mark)

    def problem(
        self, loc: PathKey, rule: str, message: str, severity: Severity = "error"
    ) -> Problem:
        """A problem of this file located at the value at `loc`."""
        line, col = self.mark(loc)
        return Problem(self.path, line, col, rule, message, severity)

    def scalar(self, loc: PathKey) -> Scalar | None:
        """How the scalar at `loc` was written, or None when `loc` is not a scalar."""
        node, _ = self._node(loc)
        if not isinstance(node, yaml.ScalarNode):
            return None
        return Scalar(node.value, node.tag, not node.style)


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def read(path: Path, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Read `path` as YAML; return the document (None when unreadable) and the problems."""
    name = display or str(path)
    try:
        # Not blocking: a FIFO named like a record must not wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as file:  # noqa: PTH123 (a descriptor, not a path)
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                return None, [Problem(name, 1, 1, "unreadable", "not a regular file")]
            if status.st_size > MAX_BYTES:  # before reading: a huge file costs nothing
                return None, [too_large(name, status.st_size)]
            raw = file.read(MAX_BYTES + 1)  # a file that grew since: still bounded
    except OSError as exc:
        return None, [Problem(name, 1, 1, "unreadable", f"cannot read file: {exc.strerror}")]
    return parse(raw, name)


def too_large(name: str, size: int) -> Problem:
    """The problem of a file over MAX_BYTES (`size`: its size, or as much as was read)."""
    message = f"file is {size:,} bytes; the limit is {MAX_BYTES:,}"
    return Problem(name, 1, 1, "file-too-large", message)


def parse(raw: bytes, name: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML bytes named `name`; see `read`."""
    if len(raw) > MAX_BYTES:
        return None, [too_large(name, len(raw))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8"
        )
        return None, [Problem(name, line, col, "encoding", message)]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [Problem(name, 1, 1, "empty-file", "file is empty")]
    if _RISKY.search(text) or text.count("[") + text.count("{") > MAX_DEPTH // 2:
        problem = _check_structure(text, name)
        if problem:
            return None, [problem]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, name)]
    except RecursionError:  # pragma: no cover - the structure check stops this first
        return None, [Problem(name, 1, 1, "yaml-depth", "nesting too deep to read")]
    if node is None:
        return None, [Problem(name, 1, 1, "empty-file", "file holds no YAML document")]
    problems: list[Problem] = []
    builder = _Builder(name, problems)
    data = builder.build(node, 0)
    return Document(name, data, text, node), problems


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
                    message = f"nesting deeper than {MAX_DEPTH} levels is not read"
                    return Problem(name, line, col, "yaml-depth", message)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                line, col = _pos(event.start_mark)
                message = (
                    "YAML aliases (*name) are not allowed in record files; write the value out"
                )
                return Problem(name, line, col, "yaml-alias", message)
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                line, col = _pos(event.start_mark)
                message = f"YAML anchors (&{event.anchor}) are not allowed in record files"
                return Problem(name, line, col, "yaml-alias", message)
            tag = getattr(event, "tag", None)
            if tag and tag not in _CORE_TAGS and tag not in {"!", "?"}:
                line, col = _pos(event.start_mark)
                message = f"YAML tag {tag!r} is not allowed; only plain data is read"
                return Problem(name, line, col, "yaml-tag", message)
    except yaml.YAMLError as exc:
        return _syntax_problem(exc, name)
    return None


class _Builder:
    """Turns a composed node tree into Python data, reporting what YAML would hide."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems

    def problem(self, node: yaml.Node, rule: str, message: str, severity: str = "error") -> None:
        line, col = _pos(node.start_mark)
        self.problems.append(Problem(self.name, line, col, rule, message, severity))  # type: ignore[arg-type]

    def build(self, node: yaml.Node, depth: int) -> Any:
        # No node is shared: `parse` refuses anchors and aliases before composing.
        if depth > MAX_DEPTH:
            self.problem(node, "yaml-depth", f"nesting deeper than {MAX_DEPTH} levels is not read")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, depth + 1) for item in node.value]
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str):
                self.problem(key_node, "key-type", f"mapping key {key!r} is not a string; quote it")
                key = str(key)
            if key in result:
                self.problem(
                    key_node,
                    "duplicate-key",
                    f"duplicate key {key!r} (first on line {first_line[key]}); YAML "
                    "would silently keep only the last",
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            if not node.style and _YAML12_NUMBER.fullmatch(node.value):
                self.problem(
                    node,
                    "yaml-implicit-type",
                    f"{node.value!r} is text here but a number to YAML 1.2 tools; "
                    f"quote it: '{node.value}'",
                    "warning",
                )
            return node.value
        if tag not in _CORE_TAGS:
            self.problem(
                node, "yaml-tag", f"YAML tag {tag!r} is not allowed; only plain data is read"
            )
            return node.value
        try:
            return _CONSTRUCTOR.construct_object(node)
        except (ValueError, yaml.YAMLError, OverflowError) as exc:
            kind = "date" if tag.endswith("timestamp") else "value"
            self.problem(node, f"invalid-{kind}", f"{node.value!r} is not a valid {kind}: {exc}")
            return node.value


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
    scalar = doc.scalar(loc)
    if scalar is not None and scalar.plain and scalar.tag != _STR_TAG:
        return scalar
    return None
