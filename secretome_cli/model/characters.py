"""Characters that change how text looks without being seen: the one list of them.

Control characters (C0 but tab and line feed, DEL, C1) can drive a terminal; bidirectional
controls reorder what is shown (a `U+202E` makes `txt.exe` look like `exe.txt`); invisible
format characters (Unicode tag characters, zero-width and filler characters, line and
paragraph separators, the byte-order mark) hide text from a reader while a program still
reads it. Validation refuses them in every text of a record set (`UNSAFE`), and a file name
holding one is shown escaped (`escape`).
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
"""C0 controls but tab and line feed (which YAML text may hold), DEL and C1 controls."""
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Bidirectional controls: marks, embeddings, overrides and isolates."""
INVISIBLE = (
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200d\u2028\u2029\u2060-\u2064"
    "\u206a-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f"
)
"""Format and filler characters shown as nothing: soft hyphen, combining grapheme joiner,
Hangul fillers, Khmer inherent vowels, Mongolian vowel separator, zero-width space, joiner
and non-joiner, line and paragraph separators, word joiner and invisible operators,
deprecated format characters, the byte-order mark, interlinear annotation characters and
the Unicode tag characters."""

UNSAFE = re.compile(f"[{CONTROL}{BIDI}{INVISIBLE}]")
"""Any character validation refuses in text."""
_ESCAPED = re.compile(f"[\t\n{CONTROL}{BIDI}{INVISIBLE}]")
"""What `escape` rewrites: UNSAFE, and tab and line feed too (a name is one line)."""


def describe(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)': a character by its code point and name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def kind_of(char: str) -> str:
    """'control character', 'bidirectional control' or 'invisible character'."""
    if re.match(f"[{CONTROL}]", char):
        return "control character"
    if re.match(f"[{BIDI}]", char):
        return "bidirectional control"
    return "invisible character"


def _escape_one(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str) -> str:
    """`text` with every control, bidirectional and invisible character (and tab and line
    feed) written as an escape ('\\x1b', '\\u202e'), so that it shows as one plain line."""
    return _ESCAPED.sub(_escape_one, text)
