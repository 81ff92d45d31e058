"""The console script's entry point (`secretome`, `python -m secretome_cli`). Where it pays, a
child process scans the record set's files (`index/scan.py`) before anything else is
imported, while the command answers into buffers from the cached index as it stands; the
answer is written when the child's fingerprint is that index's, else dropped and the command
run again the usual way (`cli/app.py: run`). See docs/performance.md, "The early answer".
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from secretome_cli.argv import command_of

if TYPE_CHECKING:
    from secretome_cli.environment import Environment
    from secretome_cli.index.scan import Early

EARLY_ENV = "SECRETOME_EARLY_SCAN"
"""'0': never scan early; '1': whenever the command allows, however small the record set."""
PAYS = 1 << 20
"""The evidence folder's size in bytes (one `stat`) from which an early scan pays."""
_AGAINST = ("-o", "--output", "--metadata", "-h", "--help")
"""Options that write a file or show help: no early scan with them (nor with `-`, stdin)."""


def main() -> None:
    """Run the command line with the process's streams."""
    sys.exit(run(sys.argv[1:]))


def run(args: list[str], env: Environment | None = None, prog_name: str | None = None) -> int:
    """Run the command line `args`, beside an early scan where that pays; its exit code."""
    early = start(args)
    import dataclasses
    import io

    from secretome_cli.cli.app import run as usual
    from secretome_cli.cli.cache import quiet_broken_pipe
    from secretome_cli.environment import Environment
    from secretome_cli.index import scan

    env = env or Environment.of_process()
    if early is None:
        return usual(args, env, prog_name)
    out, err = (
        io.TextIOWrapper(io.BytesIO(), s.encoding, s.errors) for s in (env.stdout, env.stderr)
    )
    kept = dataclasses.replace(env, stdout=out, stderr=err)
    scan.early = early
    try:
        code = usual(args, kept, prog_name)
    except scan.Unconfirmed:
        code = -1
    finally:
        scan.early = None
    confirmed = code >= 0 and (  # 130: interrupted; None: answered without the index
        code == 130 or early.answered is None or not early.stale(wait=True)
    )
    early.child.kill()  # when it still runs
    early.stale(wait=True)
    if not confirmed:  # stale, no cached index, or another record set: the usual way
        return usual(args, env, prog_name)
    try:
        for buffer, stream in ((err, env.stderr), (out, env.stdout)):
            buffer.flush()
            stream.flush()
            stream.buffer.write(buffer.buffer.getbuffer())
            stream.flush()
    except BrokenPipeError:
        quiet_broken_pipe(env)
    return code


def start(args: list[str]) -> Early | None:
    """The early scan of the record set `args` names (a guess, as `argv.py` guesses),
    started; None for a command that may read stdin or write a file or a terminal, when the
    two streams are one file (their order), and where the record set is small."""
    name, rest = command_of(args)
    wanted = os.environ.get(EARLY_ENV, "")
    if name not in {"search", "cite", "graph", "export"} or wanted == "0" or os.isatty(1):
        return None
    if any(a == "-" or a.startswith(_AGAINST) for a in rest):
        return None
    if any(n.startswith("_") and n.endswith("_COMPLETE") for n in os.environ):
        return None
    from pathlib import Path

    from secretome_cli.files.layout import locate

    given = next((rest[i + 1] for i, a in enumerate(rest[:-1]) if a == "--records"), None)
    given = next((a.partition("=")[2] for a in rest if a.startswith("--records=")), given)
    try:
        root = locate(Path(given) if given else None).resolve()
        if os.path.samestat(os.fstat(1), os.fstat(2)):
            return None
        if wanted != "1" and (root / "evidence").stat().st_size < PAYS:
            return None
    except Exception:
        return None
    import subprocess

    command = [sys.executable, "-P", "-m", "secretome_cli.index.scan", str(root)]
    pipe, none = subprocess.PIPE, subprocess.DEVNULL
    child = subprocess.Popen(command, stdin=none, stdout=pipe, stderr=none)
    from secretome_cli.index.scan import Early

    return Early(str(root), child)
