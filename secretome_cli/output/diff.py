"""`secretome diff` output: text for people (Rich colours on a terminal), Markdown for a pull
request comment or `$GITHUB_STEP_SUMMARY`, JSON for scripts (the documented contract of
`SetDiff.as_dict`)."""

from __future__ import annotations

import json
from typing import Any, ClassVar, TextIO

from secretome_cli.output.renderer import Renderer
from secretome_cli.output.results import md
from secretome_cli.output.rows import clean, make_console
from secretome_cli.summary.diff import Change, SetDiff

_SINGULAR = {
    "diseases": "disease",
    "organs": "organ",
    "factors": "factor",
    "targets": "target",
    "pathways": "pathway",
    "citations": "citation",
    "outcomes": "outcome",
    "notes": "note",
    "flags": "flag",
    "drugs": "drug",
    "see_also": "related record",
}
_ASPECT = {"change": "direction", "note": "note", "context": "context"}


def _short(value: Any, width: int = 0) -> str:
    if isinstance(value, dict):
        text = ", ".join(f"{k}: {_short(v)}" for k, v in value.items() if v not in (None, []))
    elif isinstance(value, list):
        text = "; ".join(_short(v) for v in value)
    else:
        text = "" if value is None else str(value)
    text = " ".join(clean(text).split())
    return text if not width or len(text) <= width else text[: width - 1] + "…"


def describe(change: Change) -> str:
    """One change as a reader says it: 'pathway Wnt/β-catenin: direction activated →
    inhibited', 'citation xie2022 replaced by cai2021', 'claim reworded'."""
    base, _, aspect = change.field.partition(".")
    noun = _SINGULAR.get(base, base)
    if change.change == "replaced":
        return f"{noun} {change.old} replaced by {change.new}"
    if base in _SINGULAR and change.item is not None and not aspect:
        if change.change == "added":
            extra = change.new.get("change") if isinstance(change.new, dict) else None
            return f"{noun} {change.item} added" + (f" ({extra})" if extra else "")
        if change.change == "removed":
            return f"{noun} {change.item} removed"
    if aspect and base in ("diseases", "factors", "targets", "pathways"):
        what = _ASPECT.get(aspect, aspect)
        return f"{noun} {change.item}: {what} {_short(change.old) or '(none)'} → " + (
            _short(change.new) or "(none)"
        )
    if base in ("claim", "mechanism") and change.change == "changed":
        return f"{change.field} reworded"
    if change.item is not None and change.change in ("added", "removed"):
        return f"{change.field}: {change.item} {change.change}"
    if change.change == "added":
        return f"{change.field} added: {_short(change.new, 80)}"
    if change.change == "removed":
        return f"{change.field} removed (was {_short(change.old, 80)})"
    return f"{change.field}: {_short(change.old, 60)} → {_short(change.new, 60)}"


def _is_rewording(change: Change) -> bool:
    return change.field in ("claim", "mechanism") and change.change == "changed"


def _headline(diff: SetDiff) -> str:
    version = (
        f"dataset version {diff.old.version} → {diff.new.version}"
        if diff.old.version != diff.new.version
        else f"dataset version {diff.new.version} (unchanged)"
    )
    counts = f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    return f"{version}; records: {counts}"


class DiffRenderer(Renderer[SetDiff]):
    """Writes a diff in one output format."""

    name: ClassVar[str]

    def write(self, diff: SetDiff, out: TextIO) -> None:
        raise NotImplementedError


class TextDiff(DiffRenderer):
    """For people: + added, - removed, ~ changed with its changes indented beneath."""

    name = "text"

    def write(self, diff: SetDiff, out: TextIO) -> None:
        from rich.text import Text

        console = make_console(out, self.env)
        console.soft_wrap = True  # one change a line, however long, as `git diff` prints
        console.print(Text(f"{diff.old.label} → {diff.new.label}", style="bold"))
        console.print(_headline(diff))
        if diff.empty:
            console.print("no changes")
            return
        for record_id, claim in diff.added:
            console.print(Text(f"+ {record_id}: {_short(claim, 100)}", style="green"))
        for record_id, claim in diff.removed:
            console.print(Text(f"- {record_id}: {_short(claim, 100)}", style="red"))
        for record in diff.changed:
            console.print(
                Text(
                    f"~ {record.id} (revision {record.old_revision} → {record.new_revision})",
                    style="yellow",
                )
            )
            for change in record.changes:
                console.print(Text(f"    {describe(change)}"))
                if _is_rewording(change):
                    console.print(Text(f"      was: {_short(change.old)}", style="red"))
                    console.print(Text(f"      now: {_short(change.new)}", style="green"))
            for entry in record.changelog:
                console.print(
                    Text(
                        f"    changelog: {_short(entry.get('date'))} {_short(entry.get('change'))}"
                    )
                )
        for term in diff.vocabulary:
            mark = {"added": "+", "removed": "-"}.get(term.change, "~")
            fields = f" ({', '.join(term.fields)})" if term.fields else ""
            console.print(f"{mark} vocabulary {term.where}: {clean(term.name)}{fields}")
        for ref in diff.bibliography:
            mark = {"added": "+", "removed": "-"}.get(ref.change, "~")
            fields = f" ({', '.join(ref.fields)})" if ref.fields else ""
            console.print(f"{mark} bibliography: {clean(ref.name)}{fields}")


class MarkdownDiff(DiffRenderer):
    """For a pull request or the job summary: a heading, counts, then a section per kind."""

    name = "markdown"

    def write(self, diff: SetDiff, out: TextIO) -> None:
        lines = [
            f"## Evidence changes: {md(diff.old.label)} → {md(diff.new.label)}",
            "",
            md(_headline(diff)),
            "",
        ]
        if diff.empty:
            lines += ["No changes.", ""]
        if diff.added:
            lines += ["### Added records", ""]
            lines += [f"- `{r}`: {md(c)}" for r, c in diff.added] + [""]
        if diff.removed:
            lines += ["### Removed records", ""]
            lines += [f"- `{r}`: {md(c)}" for r, c in diff.removed] + [""]
        if diff.changed:
            lines += ["### Changed records", ""]
            for record in diff.changed:
                lines.append(
                    f"- `{record.id}` (revision {md(record.old_revision)} → "
                    f"{md(record.new_revision)})"
                )
                for change in record.changes:
                    lines.append(f"  - {md(describe(change))}")
                    if _is_rewording(change):
                        lines.append(f"    - was: {md(_short(change.old))}")
                        lines.append(f"    - now: {md(_short(change.new))}")
                for entry in record.changelog:
                    lines.append(
                        f"  - changelog: {md(entry.get('date'))} {md(entry.get('change'))}"
                    )
            lines.append("")
        if diff.vocabulary:
            lines += ["### Vocabulary", ""]
            for term in diff.vocabulary:
                fields = f" ({', '.join(term.fields)})" if term.fields else ""
                lines.append(f"- {term.where}: {md(term.name)} {term.change}{md(fields)}")
            lines.append("")
        if diff.bibliography:
            lines += ["### Bibliography", ""]
            for ref in diff.bibliography:
                fields = f" ({', '.join(ref.fields)})" if ref.fields else ""
                lines.append(f"- `{ref.name}` {ref.change}{md(fields)}")
            lines.append("")
        out.write("\n".join(lines))


class JsonDiff(DiffRenderer):
    """The documented JSON contract."""

    name = "json"
    raw = True

    def write(self, diff: SetDiff, out: TextIO) -> None:
        out.write(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2) + "\n")


DIFF_FORMATS: dict[str, type[DiffRenderer]] = {
    cls.name: cls for cls in (TextDiff, MarkdownDiff, JsonDiff)
}
"""Every `diff` output format, by the name `--format` takes."""
