"""The one interface of every output format.

A renderer is a class with a `name` (what `--format` takes) whose `write(data, out)` writes
one kind of result to a text stream; options of a format (`--explain`, `--explode`) are
arguments of its constructor. Each command's formats are one registry, name → class, made
by `registry`; the command line takes its `--format` choices from the registry's keys. Adding
an output format is one class and one entry in its registry.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TextIO, TypeVar

T = TypeVar("T")
R = TypeVar("R", bound="Renderer[Any]")


class Renderer(Generic[T]):
    """Writes one kind of result in one format."""

    name: ClassVar[str]

    def write(self, data: T, out: TextIO) -> None:
        raise NotImplementedError


class TextRenderer(Renderer[T]):
    """A renderer that builds its whole output as one string (`render`) before writing it."""

    def render(self, data: T) -> str:
        raise NotImplementedError

    def write(self, data: T, out: TextIO) -> None:
        out.write(self.render(data))


def registry(*classes: type[R]) -> dict[str, type[R]]:
    """The formats of one command by name, in the order given (the order help lists them)."""
    return {cls.name: cls for cls in classes}
