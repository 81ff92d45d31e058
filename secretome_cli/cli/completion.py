"""Shell completion that knows the data: record ids, vocabulary terms and their aliases.

Each function is a Typer `autocompletion` callback: it reads the cached index of the record
set (`--records` when it was typed before the word being completed), so completing costs an
index look-up, not a YAML parse. Format names complete from the `--format` choices without
any callback. A completion never fails loudly: anything that goes wrong completes nothing.
"""

# Annotations here are objects, not strings (no `from __future__ import annotations`): Typer
# reads the signature of every completion callback of a command each time it builds the
# command, and compiles each annotation that is a string.
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from secretome_cli.model.fields import FILTERS

if TYPE_CHECKING:
    from secretome_cli.index.store import Index

FLAG_KINDS: dict[str, tuple[str, ...]] = {
    name: (field.vocabulary or field.name,) for name, field in FILTERS.items()
}
"""Filter option (parameter name) → the vocabularies its values come from (the registry's)."""


def _index(ctx: typer.Context | None) -> "Index | None":
    from secretome_cli.files.layout import locate
    from secretome_cli.index.opening import load

    given = ctx.params.get("records") if ctx is not None else None
    return load(locate(Path(given) if given else None))


def _matching(candidates: Iterable[str], incomplete: str) -> list[str]:
    """The candidates that start with `incomplete` in any case, each completing what was
    typed as it was typed ('wh' → "wharton's jelly": the shells keep only candidates that
    start with the word typed, and the filters read names in any case)."""
    start = incomplete.casefold()
    found = {
        incomplete + c[len(incomplete) :] for c in candidates if c.casefold().startswith(start)
    }
    return sorted(found, key=lambda c: (c.casefold(), c))


def _safely(find: Any, ctx: typer.Context | None, incomplete: str) -> list[str]:
    try:
        index = _index(ctx)
        if index is None:
            return []
        try:
            return _matching(find(index), incomplete)
        finally:
            index.close()
    except Exception:  # a completion must never print a traceback into the user's prompt
        return []


def record_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Record ids (for `show` and `cite --id`)."""
    return _safely(lambda index: index.ids(), ctx, incomplete)


def terms(index: "Index", kinds: Iterable[str]) -> list[str]:
    """Every name, alias and abbreviation of the terms of `kinds`."""
    labels: list[str] = []
    for kind in kinds:
        for name in index.vocabulary.names(kind):
            term = index.vocabulary.get(kind, name)
            if term is not None:
                labels += [*term.labels, *term.abbreviations]
        if kind == "system":
            labels += [organism for organism, _ in index.count("organism")]
    return labels


def _for(flag: str) -> Any:
    kinds = FLAG_KINDS[flag]

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        return _safely(lambda index: terms(index, kinds), ctx, incomplete)

    complete.__name__ = f"complete_{flag}"
    complete.__doc__ = f"Values of --{flag.replace('_', '-')}: {', '.join(kinds)} terms."
    return complete


VALUES: dict[str, Any] = {name: _for(name) for name in FLAG_KINDS}
"""The completion callback of each filter option."""
