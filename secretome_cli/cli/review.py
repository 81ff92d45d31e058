"""Commands for versioned evidence under review: `diff` (what changed between two versions of
a record set), `conflicts` (where the records disagree) and `new` (a record to fill in).

They are registered on the app by `register`, which `cli/commands.py` calls: this module
uses the shared options and helpers of `app.py`, so `app.py` cannot import it without an
import cycle.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from secretome_cli.cli.answers import _open, _report_selection, _searching
from secretome_cli.cli.options import (
    RawCellsOption,
    RecordsOption,
    check_query,
    env,
    fail,
    filter_options,
    output_options,
    say,
)
from secretome_cli.constants import EXIT_NO_MATCH, EXIT_OK
from secretome_cli.model.problems import RecordsError

if TYPE_CHECKING:
    from secretome_cli.search.rank import Filters


DIFF_FORMATS = "secretome_cli.output.diff:DIFF_FORMATS"
CONFLICTS_FORMATS = "secretome_cli.output.conflicts:CONFLICTS_FORMATS"


@output_options(DIFF_FORMATS, default="text")
def diff(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="OLD and NEW record set directories (with --git REV: NEW only, default: the "
            "record set in the work tree).",
            show_default=False,
        ),
    ] = None,
    git: Annotated[
        list[str] | None,
        typer.Option(
            "--git",
            metavar="REV",
            help="Compare the record set as it is at git revision REV (read with git, the work "
            "tree untouched); give it twice to compare two revisions.",
            show_default=False,
        ),
    ] = None,
    output: str = "",  # the format chosen (`output_options`)
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit 1 when there are changes, as `git diff` does."),
    ] = False,
    records: RecordsOption = None,
) -> None:
    """What changed between two versions of a record set: records added, removed and changed
    (field by field), vocabulary, bibliography and the dataset version."""
    from secretome_cli.cli.options import registry_at
    from secretome_cli.files import git as gitfiles
    from secretome_cli.files.layout import display, locate
    from secretome_cli.files.rawset import read_set
    from secretome_cli.output.renderer import made
    from secretome_cli.summary.diff import compare

    dirs, revs = list(paths or []), list(git or [])
    _suggest_git(dirs)
    if len(dirs) + len(revs) > 2 or (len(dirs) + len(revs) < 2 and len(revs) != 1):
        fail(
            "give two record sets to compare: OLD NEW directories, --git REV (against the "
            "work tree), --git REV NEW, or --git OLD_REV --git NEW_REV"
        )
    try:
        here = dirs[-1] if dirs else locate(records)
        with ExitStack() as stack:
            sides = []
            for rev in revs:
                root, revision = stack.enter_context(gitfiles.record_set_at(here, rev))
                sides.append((root, f"{display(here)} at {rev} ({revision.commit[:7]})"))
            sides += [(d, display(d)) for d in dirs]
            if len(sides) == 1:
                sides.append((here, display(here)))
            (old_root, old_label), (new_root, new_label) = sides
            found = compare(read_set(old_root), read_set(new_root), old_label, new_label)
    except RecordsError as exc:
        fail(str(exc))
    streams = env()
    made(registry_at(DIFF_FORMATS)[output], streams).write(found, streams.stdout)
    raise typer.Exit(EXIT_NO_MATCH if exit_code and not found.empty else EXIT_OK)


def _suggest_git(dirs: list[Path]) -> None:
    """Fail with a hint when a directory given to diff does not exist but names a git
    revision of the repository here (`secretome diff HEAD~1`)."""
    from secretome_cli.files import git as gitfiles

    for given in dirs:
        if given.exists():
            continue
        try:
            gitfiles.resolve(str(given), Path.cwd())
        except (RecordsError, OSError):
            continue
        fail(
            f"no directory {str(given)!r}; to compare with git revision {given}, use --git {given}"
        )


@output_options(CONFLICTS_FORMATS, pager=True)
@filter_options
def conflicts(
    query: Annotated[
        str | None,
        typer.Argument(
            help="Look only at the records this query finds (default: every record).",
            show_default=False,
        ),
    ] = None,
    *,
    filters: Filters,
    output: str = "",  # the format chosen (`output_options`)
    raw_cells: RawCellsOption = False,
    records: RecordsOption = None,
) -> None:
    """Where the records disagree: factors, targets and pathways whose direction differs
    between records, each side with its records, diseases and citations; and the findings
    the records mark as contradictory or pro-tumour, each pro-tumour finding with the
    anti-tumour records of the same factor or pathway. Exit 1 when there are none."""
    from secretome_cli import api
    from secretome_cli.cli.options import registry_at
    from secretome_cli.cli.pager import write
    from secretome_cli.output.renderer import made
    from secretome_cli.summary.conflicts import find

    check_query(query, filters)
    opened = _open(records)
    selection = _searching(api.select, opened, query, filters)
    _report_selection(selection, query, filters)
    docs = selection.docs
    found = find(docs, opened.index.vocabulary.ancestors)
    renderer = made(registry_at(CONFLICTS_FORMATS)[output], env(), raw_cells=raw_cells)
    write(renderer, found, output == "table", env())
    if docs and not (found.conflicts or found.flagged):
        say(
            f"secretome: no conflicting directions among the {len(docs)} record"
            f"{'s' * (len(docs) != 1)}"
        )
    raise typer.Exit(EXIT_OK if found.conflicts or found.flagged else EXIT_NO_MATCH)


def new(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Id of the new record (lower-case words joined by '-'; the file name).",
            show_default=False,
        ),
    ],
    copy_from: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="EXISTING_ID",
            help="Start from a copy of this record (revision reset to 1).",
            show_default=False,
        ),
    ] = None,
    records: RecordsOption = None,
) -> None:
    """Write a new record file into the record set, every field present under a comment
    saying what it holds; prints its path. Fill in each TODO, then `secretome validate`."""
    import datetime as dt
    import difflib

    from secretome_cli.files import skeleton
    from secretome_cli.files.layout import Layout, display, locate, require_layout
    from secretome_cli.files.loading import read_model
    from secretome_cli.model.record import Record

    if not skeleton.is_record_id(record_id):
        fail(
            f"{record_id!r} is not a record id: use lower-case letters, digits and single "
            "'-' between words (at most 80 characters), e.g. lung-cancer-mir-320a-sox4"
        )
    today = dt.date.today()
    try:
        layout: Layout = require_layout(locate(records, writing=True))
        if copy_from is None:
            data = skeleton.blank(record_id, today)
        else:
            if not skeleton.is_record_id(copy_from):
                fail(
                    f"--from takes the id of a record of the set, not {copy_from!r} (ids: "
                    "lower-case letters, digits and single '-'; `secretome export` lists them)"
                )
            source = layout.evidence_dir / f"{copy_from}.yaml"
            if not source.is_file():
                known = [p.stem for p in layout.record_files()]
                near = difflib.get_close_matches(copy_from, known, n=3, cutoff=0.5)
                hint = f"; did you mean {' or '.join(near)}?" if near else ""
                fail(f"no record {copy_from!r} to copy{hint}")
            parsed = read_model(source, Record)
            if parsed.model is None:
                fail(
                    f"cannot copy {display(source)}: it is not a valid record (run "
                    f"`secretome validate {display(source)}`)"
                )
            data = skeleton.copied(parsed.model, record_id, today)
        path = skeleton.write_new(layout, record_id, skeleton.annotated(data))
    except RecordsError as exc:
        fail(str(exc))
    env().echo(display(path))
    say(
        f"secretome: fill in every {skeleton.PLACEHOLDER}, then run `secretome validate "
        f"{display(path)}` and `secretome fmt {display(path)}`"
    )
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add the review commands to `app`."""
    app.command()(diff)
    app.command()(conflicts)
    app.command()(new)
