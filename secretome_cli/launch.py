"""The console script's entry point: where it pays, a child process scans the record set's
files (`index/scan.py`) while the command answers into buffers (docs/performance.md)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from io import BytesIO, TextIOWrapper
from pathlib import Path
from typing import TYPE_CHECKING

from secretome_cli.argv import command_of

if TYPE_CHECKING:
    from secretome_cli.environment import Environment
    from secretome_cli.index.scan import Early

EARLY_ENV = "SECRETOME_EARLY_SCAN"
"""'0': never scan early; '1': whenever the command allows, however small the record set."""
PAYS = 1 << 20
"""The evidence folder's size in bytes (one `stat`) from which an early scan pays."""


def main() -> None:
    """Run the command line with the process's streams."""
    try:
        sys.exit(run(sys.argv[1:]))
    except KeyboardInterrupt:  # while waiting for the early scan's child: as `run` ends one
        sys.exit(130)


def run(args: list[str], env: Environment | None = None, prog_name: str | None = None) -> int:
    """Run the command line `args`, beside an early scan where that pays; its exit code."""
    early = start(args)
    from secretome_cli.cli.app import run as usual
    from secretome_cli.cli.cache import quiet_broken_pipe
    from secretome_cli.environment import Environment
    from secretome_cli.index import scan  # 130 below: interrupted (`run`)

    env = env or Environment.of_process()
    if early is None:
        return usual(args, env, prog_name)
    out, err = (TextIOWrapper(BytesIO(), s.encoding, s.errors) for s in (env.stdout, env.stderr))
    scan.early = early
    try:
        code = usual(args, dataclasses.replace(env, stdout=out, stderr=err), prog_name)
    except scan.Unconfirmed:
        code = -1
    finally:
        scan.early = None
    ok = code == 130 or (code >= 0 and (early.answered is None or not early.stale()))
    early.child.kill()  # when it still runs (the answer did not need it)
    early.child.communicate()
    if not ok:  # stale, no cached index, or another record set
        return usual(args, env, prog_name)
    try:
        for buffer, stream in ((err, env.stderr), (out, env.stdout)):
            stream.flush()
            stream.buffer.write(buffer.detach().getbuffer())
            stream.flush()
    except BrokenPipeError:
        quiet_broken_pipe(env)
    return code


def start(args: list[str]) -> Early | None:
    """The early scan of the record set `args` names (a guess), started; None where it cannot
    pay (a small set, a busy machine), or the command may read stdin or write a file."""
    name, rest = command_of(args)
    wanted = os.environ.get(EARLY_ENV, "")
    against = ("-o", "--output", "--metadata", "-h", "--help")  # a file, or help
    if name not in {"search", "cite", "graph", "export"} or wanted == "0" or os.isatty(1):
        return None
    if any(a == "-" or a.startswith(against) for a in rest):
        return None
    from secretome_cli.files.layout import locate

    given = next((rest[i + 1] for i, a in enumerate(rest[:-1]) if a == "--records"), None)
    given = next((a.partition("=")[2] for a in rest if a.startswith("--records=")), given)
    try:
        root = locate(Path(given) if given else None).resolve()
        if os.path.samestat(os.fstat(1), os.fstat(2)):
            return None
        busy = os.getloadavg()[0] >= (os.cpu_count() or 1) + 1  # a core's worth of others' work
        if wanted != "1" and (busy or (root / "evidence").stat().st_size < PAYS):
            return None
    except Exception:  # a guess: the command itself says what is wrong
        return None
    command = [sys.executable, "-P", "-m", "secretome_cli.index.scan", str(root)]
    pipe, none = subprocess.PIPE, subprocess.DEVNULL
    child = subprocess.Popen(command, stdin=none, stdout=pipe, stderr=none)
    from secretome_cli.index.scan import Early

    return Early(str(root), child)
