"""The one interface of every output format.

A renderer is a class with a `name` (what `--format` takes) whose `write(data, out)` writes
one kind of result to a text stream; options of a format (`--explain`, `--explode`) are
arguments of its constructor, and the command line hands it the terminal it writes for
(`env`: its width and colour; see `secretome_cli/environment.py`). Each command's formats
are one registry, name → class, made by `registry`; the command line takes its `--format`
choices from the registry's keys. Adding an output format is one class and one entry in its
registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TextIO, TypeVar

if TYPE_CHECKING:
    from secretome_cli.environment import Environment

T = TypeVar("T")
R = TypeVar("R", bound="Renderer[Any]")


class Renderer(Generic[T]):
    """Writes one kind of result in one format."""

    name: ClassVar[str]
    env: Environment | None = None
    """The terminal written for (`made` sets it); None: what the stream and the process say."""

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


def made(cls: type[R], env: Environment | None, **options: Any) -> R:
    """A renderer of class `cls` with `options`, writing for the terminal `env`."""
    renderer = cls(**options)
    renderer.env = env
    return renderer
