"""Where `secretome export` writes its answer: stdout, or a file (`--output`).

A format made for a reader outside the terminal (`output/saving.FileFormat`: the SQLite
database, the HTML report) takes the whole export bundle from the core (`api.bundle`); the
others take the records. A file is written atomically and never over a file that is not an
earlier export, unless `--force` (`output/saving.py`); a database is never written to
stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from secretome_cli.cli.options import env, fail, registry_at

if TYPE_CHECKING:
    from secretome_cli.api import RecordSet
    from secretome_cli.model.document import RecordDoc
    from secretome_cli.search.rank import Filters


def check_destination(formats: str, name: str, output: Path | None) -> None:
    """Fail, before any work, when the format `name` cannot go where it was asked to: a
    database to stdout."""
    renderer = registry_at(formats)[name]
    if getattr(renderer, "binary", False) and (output is None or str(output) == "-"):
        fail(f"--format {name} writes a database file, not text: give --output FILE.db")


def write_export(
    formats: str,
    name: str,
    opened: RecordSet,
    docs: list[RecordDoc],
    query: str | None,
    filters: Filters,
    output: Path | None,
    metadata: Path | None,
    force: bool,
    **options: Any,
) -> None:
    """Write the export of `docs` in the format `name` to `output` (None or '-': stdout)."""
    from secretome_cli import api
    from secretome_cli.output.renderer import made
    from secretome_cli.output.saving import (
        FileFormat,
        SaveError,
        check_target,
        save_all,
        save_text,
    )

    cls = registry_at(formats)[name]
    to_file = output is not None and str(output) != "-"
    bundled = issubclass(cls, FileFormat)
    if metadata is not None and not (bundled and to_file):
        fail(f"--metadata goes with --format sqlite and --output, not {name}")
    data: Any = api.bundle(opened, docs, query, filters) if bundled else docs
    renderer = made(cls, env()) if bundled else made(cls, env(), **options)
    if not to_file:  # stdout: a closed pipe is the caller's (`quiet_broken_pipe`), not ours
        renderer.write(data, env().stdout)
        return
    assert output is not None
    try:
        if bundled:
            save_all(renderer.outputs(data, output, metadata), force)
        else:
            check_target(output, lambda _: False, force)
            save_text(output, renderer, data)
    except SaveError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {exc.filename or output}: {exc.strerror or exc}")
