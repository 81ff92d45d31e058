"""Keep the README honest: run every `$ command` of its ```console blocks in a real terminal
and compare (or, with --update, rewrite) the output shown beneath it.

    python tests/readme.py            check; exit 1 and show a diff when an example is stale
    python tests/readme.py --update   rewrite the outputs in README.md (`make readme`)

Commands run through bash in a pseudo-terminal 100 columns wide, from the repository root,
with the `secretome` of the running Python on PATH, a fresh index cache and no colour.
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
_BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]")


@dataclass
class Example:
    """One `$ command` and the output the README shows for it."""

    command: str
    shown: str


def examples(text: str) -> list[Example]:
    """Every command of every console block, with its shown output."""
    found = []
    for block in _BLOCK.finditer(text):
        command: str | None = None
        lines: list[str] = []
        for line in block.group(1).splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append(Example(command, "\n".join(lines)))
                command, lines = line[2:], []
            else:
                lines.append(line)
        if command is not None:
            found.append(Example(command, "\n".join(lines)))
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


def check(update: bool = False) -> list[str]:
    """Stale examples as unified diffs (and, with `update`, the README rewritten)."""
    text = README.read_text(encoding="utf-8")
    cache = Path(tempfile.mkdtemp(prefix="secretome-readme-"))
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
                    example.shown.splitlines(), actual.splitlines(), "README", "actual", lineterm=""
                )
                problems.append(f"$ {example.command}\n" + "\n".join(diff))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if update:
        README.write_text(text, encoding="utf-8")
    return problems


if __name__ == "__main__":
    stale = check(update="--update" in sys.argv[1:])
    for problem in stale:
        print(problem, end="\n\n")
    if stale and "--update" not in sys.argv[1:]:
        sys.exit(1)
