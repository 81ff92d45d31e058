"""The canonical YAML text of plain data: the emitter `secretome fmt` writes with.

Block mappings and lists (lists at the indentation of their key); text longer than 88
characters as a folded block wrapped at 100 columns; strings YAML would read as something
else ("NO", "yes", "1e3", "12:30") single-quoted, strings with control characters
double-quoted. It is written for the few shapes of data records hold and is many times
faster than PyYAML's emitter; its output reads back as the same data (tested).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from typing import Any

import yaml

WIDTH = 100
"""Folded text is wrapped so that no line is longer than this."""
FOLD_AT = 88
"""Text longer than this is written as a folded block (`>-`)."""
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


def fold_ok(text: str) -> bool:
    return (
        len(text) > FOLD_AT
        and text == text.strip()
        and "  " not in text
        and "\t" not in text
        and not _NEEDS_DOUBLE.search(text)
    )


def room(indent: int) -> int:
    """How many characters of folded text a line at `indent` columns holds."""
    return max(20, WIDTH - indent)


def folded(text: str, indent: int) -> list[str]:
    """The lines of a folded block scalar holding `text`, each at `indent` columns: as many
    words on each line as fit (a word longer than a line has one to itself)."""
    room_ = room(indent)
    pad = " " * indent
    lines: list[str] = []
    current: list[str] = []
    length = -1  # of the words in `current` joined by spaces
    for word in text.split(" "):
        if current and length + 1 + len(word) > room_:
            lines.append(pad + " ".join(current))
            current, length = [word], len(word)
        else:
            current.append(word)
            length += 1 + len(word)
    lines.append(pad + " ".join(current))
    return lines


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text(str(value))


@lru_cache(maxsize=1 << 16)
def _text(text: str) -> str:
    """A string as a scalar (remembered: the same names recur in every record)."""
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
    elif isinstance(value, str) and fold_ok(value):
        out.append(f"{pad}{prefix} >-")
        out.extend(folded(value, indent + 2))
    else:
        out.append(f"{pad}{prefix} {scalar(value)}")


def _item(value: Any, indent: int, out: list[str]) -> None:
    """Append one list item: '- value', or a mapping whose first key follows the dash."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        start = len(out)
        for key, item in value.items():
            _emit(item, indent + 2, out, f"{key}:")
        out[start] = pad + "- " + out[start][indent + 2 :]
    elif isinstance(value, str) and fold_ok(value):
        out.append(f"{pad}- >-")
        out.extend(folded(value, indent + 2))
    elif isinstance(value, dict | list):
        out.append(f"{pad}- {'{}' if isinstance(value, dict) else '[]'}")
    else:
        out.append(f"{pad}- {scalar(value)}")


def emit(data: dict[str, Any]) -> str:
    """The canonical YAML text of plain data (mappings, lists, text, numbers, dates)."""
    out: list[str] = []
    for key, value in data.items():
        _emit(value, 0, out, f"{key}:")
    return "\n".join(out) + "\n"
