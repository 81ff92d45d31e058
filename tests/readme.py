"""Keep the documents honest: run every `$ command` of the ```console blocks of README.md,
CONTRIBUTING.md and every docs/*.md in a real terminal and compare (or, with --update,
rewrite) the output shown beneath it.

    python tests/readme.py                      check every document; exit 1 and show a diff
    python tests/readme.py docs/json.md         check one document
    python tests/readme.py --update [DOC ...]   rewrite the outputs in place (`make readme`)

Commands run through bash in a pseudo-terminal 100 columns wide, from the repository root,
with the `secretome` of the running Python on PATH, no colour, and a fresh index cache for
each document (the examples of one document run in order and share it).

A ```mermaid block shows the picture of the `secretome graph` example above it: it must be
that example's output, and --update rewrites it too.
"""

from __future__ import annotations

import difflib
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
WIDTH = 100
_BLOCK = re.compile(r"^```(console|mermaid)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]")


def documents() -> list[Path]:
    """README.md, CONTRIBUTING.md and every page of docs/, found afresh on each call so that
    a new page is checked without being named anywhere."""
    found = [README, ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    return [path for path in found if path.is_file()]


@dataclass
class Example:
    """One `$ command` and the output the document shows for it."""

    command: str
    shown: str


def examples(text: str) -> list[Example]:
    """Every command of every console block, with its shown output."""
    found = []
    for block in _BLOCK.finditer(text):
        if block.group(1) != "console":
            continue
        command: str | None = None
        lines: list[str] = []
        for line in block.group(2).splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append(Example(command, "\n".join(lines)))
                command, lines = line[2:], []
            else:
                lines.append(line)
        if command is not None:
            found.append(Example(command, "\n".join(lines)))
    return found


def pictures(text: str) -> list[tuple[str, Example | None]]:
    """Every ```mermaid block, with the last console example above it."""
    found = []
    last: Example | None = None
    for block in _BLOCK.finditer(text):
        if block.group(1) == "console":
            shown = examples(block.group(0))
            last = shown[-1] if shown else last
        else:
            found.append((block.group(2), last))
    return found


def run_in_terminal(command: str, cache: Path) -> str:
    """What a user sees when typing `command` in a 100-column terminal."""
    bindir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": str(WIDTH),
        "LINES": "50",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "SECRETOME_CACHE_DIR": str(cache),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SECRETOME_RECORDS", None)
    env.pop("GITHUB_ACTIONS", None)
    primary, secondary = pty.openpty()
    _set_size(secondary)
    with subprocess.Popen(
        ["bash", "-c", command],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        close_fds=True,
        start_new_session=True,  # no terminal to read keys from: no pager waits for them
    ) as process:
        os.close(secondary)
        chunks = []
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        process.wait(timeout=60)
    os.close(primary)
    output = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    output = _ANSI.sub("", output)
    return "\n".join(line.rstrip() for line in output.splitlines()).strip("\n")


def _set_size(fd: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, WIDTH, 0, 0))


def check(path: Path = README, update: bool = False) -> list[str]:
    """The stale examples of one document as unified diffs (and, with `update`, the document
    rewritten)."""
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(ROOT).as_posix()
    cache = Path(tempfile.mkdtemp(prefix="secretome-docs-"))
    problems = []
    try:
        for example in examples(text):
            actual = run_in_terminal(example.command, cache)
            if actual != example.shown:
                if update:
                    old = f"$ {example.command}\n{example.shown}".rstrip("\n") + "\n"
                    new = f"$ {example.command}\n{actual}".rstrip("\n") + "\n"
                    text = text.replace(old, new, 1)
                diff = difflib.unified_diff(
                    example.shown.splitlines(), actual.splitlines(), name, "actual", lineterm=""
                )
                problems.append(f"{name}: $ {example.command}\n" + "\n".join(diff))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    for picture, example in pictures(text):
        if example is None or picture.rstrip("\n") != example.shown:
            if update and example is not None:
                text = text.replace(f"```mermaid\n{picture}", f"```mermaid\n{example.shown}\n", 1)
            problems.append(f"{name}: a mermaid picture is not the output of the example above it")
    if update:
        path.write_text(text, encoding="utf-8")
    return problems


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument != "--update"]
    update = "--update" in sys.argv[1:]
    paths = [Path(argument).resolve() for argument in arguments] or documents()
    stale = [problem for path in paths for problem in check(path, update=update)]
    for problem in stale:
        print(problem, end="\n\n")
    if stale and not update:
        sys.exit(1)
