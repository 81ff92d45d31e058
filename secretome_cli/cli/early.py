"""Answering a search from its cached index as it stands while the child forked at launch
checks the record files (`launch.py`): the answer is made into a buffer and written when the
child's fingerprint is the one the index was built from, else made again the usual way
(check, update, answer). See docs/performance.md.
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from secretome_cli.cli.options import writing_to

if TYPE_CHECKING:
    from secretome_cli.api import RecordSet
    from secretome_cli.environment import Environment


def answered_early(
    env: Environment, usual: Callable[[], Any], body: Callable[[RecordSet], Any], records: Any
) -> Any:
    """`body` on the cached index, shown once the scan started at launch confirms that index;
    else (no scan, no cached index, the files changed) `usual()`."""
    from secretome_cli import api, launch

    as_is = api.open_as_is(records) if launch.scanning else None
    if as_is is None:
        launch.report(wanted=False)
        return usual()
    wanted = (str(as_is.root.resolve()), as_is.index.fingerprint)
    out, err = (
        io.TextIOWrapper(io.BytesIO(), s.encoding, s.errors) for s in (env.stdout, env.stderr)
    )
    kept = dataclasses.replace(env, stdout=out, stderr=out if _one_file(env) else err)
    outcome: Exception | None = None
    try:
        with writing_to(kept):
            result = body(as_is)
    except Exception as exc:  # typer.Exit ends every search: kept, like the output
        outcome = exc
    finally:
        as_is.index.close()
    if launch.report() != wanted:
        return usual()
    for buffer, stream in ((kept.stderr, env.stderr), (kept.stdout, env.stdout))[_one_file(env) :]:
        buffer.flush()
        stream.flush()
        stream.buffer.write(buffer.buffer.getvalue())  # type: ignore[attr-defined]
        stream.flush()
    if outcome is not None:
        raise outcome
    return result


def _one_file(env: Environment) -> bool:
    """Whether stdout and stderr are one file (`2>&1`): one buffer then keeps their order."""
    try:
        out, err = os.fstat(env.stdout.fileno()), os.fstat(env.stderr.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
    return (out.st_dev, out.st_ino) == (err.st_dev, err.st_ino)
