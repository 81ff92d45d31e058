"""Rendering: search results and exported records as tables, JSON, JSONL, TSV, CSV, YAML and
Markdown, and the helpers every renderer of records shares (`clean`, `make_console`, ...);
one record in full is `show.py`, the vocabularies `vocab.py`.

One renderer class per output format, chosen by name from the registry of each command
(`SEARCH_RENDERERS`, `EXPORT_RENDERERS`). Record text
is data, never markup: it reaches Rich only as `Text` objects (so `[bold]` prints literally)
and control characters are replaced before anything is printed. Rich is imported only by the
renderers that draw tables; JSON, JSONL, TSV, CSV, YAML and Markdown never import it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from typing import Any, BinaryIO, TextIO, cast

from secretome_cli.model.document import CitationDoc, RecordDoc, short_citation
from secretome_cli.output.cells import cells
from secretome_cli.output.renderer import registry
from secretome_cli.output.rows import (
    LIST_SEPARATOR,
    ResultRenderer,
    clean,
    model_text,
    via_text,
)
from secretome_cli.output.table import TableRenderer


def json_text(item: Any, ascii_only: bool = False) -> str:
    """One document as JSON text: a search result writes its stored text (no parsing);
    `ascii_only` escapes every other character (`\\u03ba`), for a stream that cannot write
    them."""
    if ascii_only:
        return json.dumps(item.as_dict() if hasattr(item, "as_dict") else item)
    if hasattr(item, "json_text"):
        return str(item.json_text())
    return json.dumps(item, ensure_ascii=False)


def _encoding(out: TextIO) -> str:
    return (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")


def writes_unicode(out: TextIO) -> bool:
    """True when `out` encodes text in a Unicode encoding (UTF-8, -16, -32), so that any
    character of a record can be written to it as it is (or when it names no encoding)."""
    encoding = _encoding(out)
    return not encoding or encoding.startswith("utf")


def binary_stream(out: TextIO, results: Sequence[Any]) -> BinaryIO | None:
    """The byte stream under `out` (flushed), when `out` writes UTF-8 and every result can
    write its own JSON bytes (search results: their stored documents are written as stored,
    never decoded and encoded again); else None."""
    binary = getattr(out, "buffer", None)
    if binary is None or _encoding(out) != "utf8":
        return None
    if not all(hasattr(item, "json_parts") for item in results):
        return None
    out.flush()
    return cast("BinaryIO", binary)


_BATCH = 2048
"""How many chunks the JSON renderers hand to a binary stream at a time."""


class JsonRenderer(ResultRenderer):
    """A JSON array of whole documents (the contract documented in the README): indented on
    a terminal, else one line, written document by document."""

    name = "json"
    raw = True

    def write(self, results: Sequence[Any], out: TextIO) -> None:
        ascii_only = not writes_unicode(out)
        if out.isatty():
            items = [item.as_dict() if hasattr(item, "as_dict") else item for item in results]
            out.write(json.dumps(items, ensure_ascii=ascii_only, indent=2) + "\n")
            return
        binary = binary_stream(out, results)
        if binary is not None:
            last = len(results) - 1
            chunks: list[bytes | memoryview] = [b"["] if results else [b"[]\n"]
            for i, item in enumerate(results):
                chunks.extend(item.json_parts(b", " if i < last else b"]\n"))
                if len(chunks) >= _BATCH:  # handed on in batches: a stream that writes
                    binary.writelines(chunks)  # in a thread of its own starts writing
                    chunks = []
            binary.writelines(chunks)
            binary.flush()
            return
        out.write("[")
        for i, item in enumerate(results):
            out.write((", " if i else "") + json_text(item, ascii_only))
        out.write("]\n")


class JsonlRenderer(ResultRenderer):
    """One JSON document per line."""

    name = "jsonl"
    raw = True

    def write(self, results: Sequence[Any], out: TextIO) -> None:
        binary = binary_stream(out, results)
        if binary is not None:
            for start in range(0, len(results), _BATCH // 2):
                batch = results[start : start + _BATCH // 2]
                binary.writelines([part for item in batch for part in item.json_parts(b"\n")])
            binary.flush()
            return
        ascii_only = not writes_unicode(out)
        for item in results:
            out.write(json_text(item, ascii_only) + "\n")


class TsvRenderer(ResultRenderer):
    """Tab-separated rows of COLUMNS with a header; lists joined by '; '."""

    name = "tsv"

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        from secretome_cli.output.cells import tsv_line

        out.write(tsv_line(self.columns(results), self.raw_cells))
        related = self.related_column(results)
        for doc in results:
            rows = self.rows(doc, related, clean)  # escapes shown, as the sanitizer does
            out.writelines(tsv_line(row, self.raw_cells) for row in rows)


class CsvRenderer(ResultRenderer):
    """CSV (RFC 4180) rows of COLUMNS with a header; lists joined by '; '."""

    name = "csv"
    raw = True

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        import csv  # here: a search in JSON writes no CSV

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns(results))
        related = self.related_column(results)
        for doc in results:
            writer.writerows(cells(row, self.raw_cells) for row in self.rows(doc, related))
        out.write(buffer.getvalue())


class YamlRenderer(ResultRenderer):
    """A YAML list of whole documents: the same data as JSON, for reading and diffing."""

    name = "yaml"
    raw = True

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        import yaml

        if not results:
            out.write("[]\n")
            return
        yaml.safe_dump(
            [dict(doc) for doc in results], out, allow_unicode=True, sort_keys=False, width=100
        )


class MarkdownRenderer(ResultRenderer):
    """A Markdown report: a section per record with its claim, fields and linked citations."""

    name = "markdown"

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        count = len(results)
        out.write(f"# Secretome evidence: {count} record{'s' * (count != 1)}\n")
        for doc in results:
            out.write("\n" + markdown_record(doc))


_MARKDOWN_SPECIAL = r"([\\`*_\[\]<>|~#!])"
"""What Markdown reads as markup (compiled when first used: a search in JSON writes none)."""


def md(text: object) -> str:
    """Text safe in Markdown: one line, with every character Markdown reads as markup
    backslash-escaped."""
    return re.sub(_MARKDOWN_SPECIAL, r"\\\1", " ".join(clean(text).split()))


def markdown_record(doc: RecordDoc) -> str:
    """One record as a Markdown section."""
    sep = LIST_SEPARATOR
    src = doc["source"]
    fields = [
        ("Topic", doc["topic"]),
        ("Diseases", sep.join(d["name"] for d in doc["diseases"])),
        ("Organs", sep.join(doc["organs"])),
        ("Source", sep.join([", ".join(src["tissues"]) or "tissue not stated", src["fraction"]])),
        ("Factors", sep.join(f"{f['name']} ({f['change']})" for f in doc["factors"])),
        ("Targets", sep.join(f"{t['name']} ({t['change']})" for t in doc["targets"])),
        ("Pathways", sep.join(f"{p['name']} ({p['change']})" for p in doc["pathways"])),
        ("Outcomes", sep.join(doc["outcomes"])),
        ("Mechanism", doc["mechanism"]),
        ("Model", model_text(doc)),
        ("Flags", ", ".join(doc["flags"])),
    ]
    lines = [f"## {md(doc['id'])}", "", md(doc["claim"]), ""]
    lines += [f"- **{label}:** {md(value)}" for label, value in fields if value]
    cites = [_markdown_citation(c) for c in doc["citations"]]
    prov = doc["provenance"]
    if not cites or prov["refs"]:
        cites.append(md(via_text(doc)))
    lines.append(f"- **Citations:** {sep.join(cites)}")
    return "\n".join(lines) + "\n"


def _markdown_citation(cite: CitationDoc) -> str:
    text = md(short_citation(cite))
    doi, url = cite["doi"], cite["url"]
    if doi and url and not re.search(r"[\s<>]", url):
        return f"{text}, [doi:{md(doi)}](<{url}>)"
    if cite.get("identifier"):
        return f"{text}, {md(cite['identifier'])}"
    return text


class IdsRenderer(ResultRenderer):
    """One record id a line, and nothing else: what `show -` and `cite -` read."""

    name = "ids"

    def write(self, results: Sequence[Any], out: TextIO) -> None:
        out.writelines(clean(doc["id"]) + "\n" for doc in results)


SEARCH_RENDERERS = registry(
    TableRenderer, JsonRenderer, JsonlRenderer, TsvRenderer, CsvRenderer, IdsRenderer
)
"""Every `secretome search --format`, by name."""

EXPORT_RENDERERS = registry(
    JsonRenderer,
    JsonlRenderer,
    CsvRenderer,
    TsvRenderer,
    YamlRenderer,
    MarkdownRenderer,
    IdsRenderer,
)
"""Every `secretome export --format`, by name."""
