"""The one sanitizer at the output edge: every character of a record, a file name or a cache
entry that could drive a terminal or hide text from a reader is shown as an escape.

Escaped: control characters (C0 but tab and newline, DEL, C1: `\\x1b` starts the escape
sequences that set a window title or clear the screen), bidirectional controls (`\\u202e`
shows the text after it reversed), invisible format characters (zero-width spaces and
joiners, word joiner, soft hyphen, byte-order mark, Unicode tags, interlinear annotation
marks), line and paragraph separators, invisible fillers (Hangul fillers) and variation
selectors, and lone surrogates (undecodable bytes of a file name). Tab and newline lay
text out and stay, except in a value that must stay on one line (`escape(text, line=True)`:
a file name, a table cell).

Where it applies: every text renderer writes through `SafeStream` (`Renderer.emit`), and
every Rich console is a `SafeConsole`, which escapes the text of each piece it renders
before Rich lays it out (so columns still line up) while Rich's own styling codes pass; the
lines `Environment.say` and `echo` write go through it too. Formats other programs read
(JSON, CSV, YAML, the exports) are written as they are (`Renderer.raw`): JSON escapes
control characters itself, and an escape would change the data.
"""

from __future__ import annotations

import io
import re
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO, cast

if TYPE_CHECKING:
    from collections.abc import Iterable

_UNSAFE_RANGES = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # control characters, but tab and newline
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f"  # zero-width, separators, bidi, invisible
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\ud800-\udfff"  # lone surrogates: undecodable bytes of a file name
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef"  # tags, variation selectors
)


@cache
def _unsafe(line: bool) -> re.Pattern[str]:
    """The characters `escape` rewrites, compiled when first needed (a class holding
    characters past U+00FF is slow to compile, and most runs need one of the two or none)."""
    return re.compile(f"[\t\n{_UNSAFE_RANGES}]" if line else f"[{_UNSAFE_RANGES}]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape(text: str, line: bool = False) -> str:
    """`text` with every unsafe character shown as an escape (`\\x1b`, `\\u202e`); with
    `line`, tab and newline too. What it returns is printable: escaping it again changes
    nothing."""
    if text.isascii() and text.isprintable():  # no unsafe character: no pattern to compile
        return text
    pattern = _unsafe(line)
    if pattern.search(text) is None:
        return text
    return pattern.sub(_shown, text)


class SafeStream(io.TextIOBase):
    """A text stream that writes to `raw` what it is given, escaped (`escape`)."""

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(escape(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]  # the stream's own, for renderers
        return getattr(self.raw, "encoding", None) or "utf-8"


def safe_stream(out: TextIO) -> TextIO:
    """`out` writing escaped text (itself when it already does)."""
    return out if isinstance(out, SafeStream) else cast("TextIO", SafeStream(out))


def unsafe_stream(out: TextIO) -> TextIO:
    """The stream under a SafeStream (for a SafeConsole, which escapes for itself)."""
    return out.raw if isinstance(out, SafeStream) else out


def safe_console(**options: Any) -> Any:
    """A Rich console (Console's options) that shows the text it renders escaped."""
    if "file" in options:
        options["file"] = unsafe_stream(options["file"])
    return _safe_console_class()(**options)


@cache
def _safe_console_class() -> type[Any]:
    from rich.console import Console
    from rich.segment import Segment
    from rich.style import Style

    class SafeConsole(Console):
        """Escapes the text of every piece it renders (a table's cells are rendered, and so
        escaped, before the table is laid out); Rich's own control pieces pass."""

        def render(self, renderable: Any, options: Any = None) -> Iterable[Segment]:
            for segment in super().render(renderable, options):
                text, style, control = segment
                if control:
                    yield segment
                    continue
                link = None if style is None else style.link
                if style is not None and link is not None and escape(link, line=True) != link:
                    style = style + Style(link=escape(link, line=True))
                yield Segment(escape(text), style)

    return SafeConsole
