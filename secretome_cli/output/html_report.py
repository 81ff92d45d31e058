"""`export --format html`: the selected records as one self-contained HTML file, for a
colleague who opens it in a browser.

Nothing is loaded from elsewhere: the style sheet and the few lines of script are inline,
and a Content-Security-Policy allows only those two (by their SHA-256), so a copied file
works offline and cannot be made to fetch anything; the only links out are the DOIs. The
page says what it answers (question, filters, dataset version and date, record count),
shows the table search shows, sortable and filterable (the script; without it the page
still reads, every record's full view opens), each record's full view in a `<details>` under
its row and the bibliography of the shown records at the end; it fits a phone's width and
prints. Every value from a record is escaped (`html.escape`): record text is data, never
markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import ClassVar, TextIO

from secretome_cli.model.document import CitationDoc, RecordDoc, short_citation
from secretome_cli.output.saving import FileFormat
from secretome_cli.summary.bundle import Bundle

GENERATOR = "secretome export"
"""The start of the page's generator meta: how a later export knows the file is one."""

COLUMNS = ("Finding", "Disease", "Factors → targets", "Pathways", "Mechanism", "Model", "Cited")
"""The table's columns, in order."""

STYLE = """
:root { color-scheme: light; --line: #d0d4da; --soft: #f4f6f8; --ink: #1b1f24; --dim: #57606a; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       margin: 0 auto; padding: 1rem; max-width: 96rem; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.facts dt { color: var(--dim); }
dl.facts dd { margin: 0; }
#tools { margin: 1rem 0 .5rem; display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
#filter { font: inherit; padding: .3rem .5rem; min-width: 16rem; max-width: 100%; }
#shown { color: var(--dim); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .45rem .5rem; }
thead th { position: sticky; top: 0; background: #fff; border-bottom: 2px solid var(--line); }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0;
            cursor: pointer; color: inherit; text-align: left; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
tbody { border-bottom: 1px solid var(--line); }
tbody:nth-of-type(even) tr:first-child { background: var(--soft); }
tr.full td { padding-top: 0; }
.id { color: var(--dim); font-size: .8rem; font-family: ui-monospace, monospace; }
.change { color: var(--dim); white-space: nowrap; }
details > summary { cursor: pointer; color: var(--dim); font-size: .9rem; }
details dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem;
             margin: .5rem 0 .75rem; }
details dt { color: var(--dim); }
details dd { margin: 0; }
details ul { margin: 0; padding-left: 1.1rem; }
a { color: #0b57d0; }
ol.bibliography li { margin-bottom: .4rem; }
footer { margin-top: 2rem; color: var(--dim); font-size: .85rem; }
[hidden] { display: none !important; }
@media (max-width: 720px) {
  body { padding: .6rem; font-size: 14px; }
  thead { display: none; }
  table, tbody, tr, td { display: block; width: 100%; }
  tbody { padding: .4rem 0; }
  td { padding: .15rem 0; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--dim); font-weight: 600; }
  td:empty { display: none; }
  details dl { grid-template-columns: 1fr; }
  #filter { min-width: 0; width: 100%; }
}
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  #tools { display: none !important; }
  thead th { position: static; }
  tbody { break-inside: avoid; }
  details > summary { display: none; }
  a { color: inherit; text-decoration: none; }
  a[href^="https://doi.org/"]::after { content: " (" attr(href) ")"; font-size: .85em; }
}
""".strip()

SCRIPT = """
(function () {
  var table = document.getElementById("evidence");
  var box = document.getElementById("filter");
  var shown = document.getElementById("shown");
  var bodies = Array.prototype.slice.call(table.tBodies);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function filter() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), n = 0;
    bodies.forEach(function (b) {
      var text = b.textContent.toLowerCase();
      b.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      if (!b.hidden) n++;
    });
    shown.textContent = n + " of " + bodies.length + " records shown";
  }
  heads.forEach(function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      bodies.slice().sort(function (a, b) {
        var x = a.rows[0].cells[col].textContent, y = b.rows[0].cells[col].textContent;
        return (up ? 1 : -1) * x.localeCompare(y, undefined, {numeric: true});
      }).forEach(function (b) { table.appendChild(b); });
    });
  });
  var asked = /^#filter=(.*)$/.exec(location.hash);
  if (asked) box.value = decodeURIComponent(asked[1]);
  box.addEventListener("input", filter);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  document.getElementById("tools").hidden = false;
  filter();
})();
""".strip()
"""Sorting by a column (a click on its head), filtering by the words of the box (every word
must occur in the record; `#filter=words` in the address fills it), opening every record's
details to print. Without it the table, the details and the links all work."""


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


CSP = (
    f"default-src 'none'; style-src {_hash(STYLE)}; script-src {_hash(SCRIPT)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)
"""The page's Content-Security-Policy: nothing may load but its own style and script."""


def e(value: object) -> str:
    """A value as HTML text (None as nothing)."""
    return "" if value is None else escape(str(value), quote=True)


def doi_link(cite: CitationDoc | dict[str, object], text: str | None = None) -> str:
    """A link to the DOI of a reference (its label, or `text`), or its label alone when it
    has no DOI. Only https://doi.org/ links are made."""
    label = e(text if text is not None else short_citation(cite))
    url = cite.get("url")
    if isinstance(url, str) and url.startswith("https://doi.org/"):
        return f'<a href="{e(url)}" rel="noreferrer">{label}</a>'
    return label


def _changed(item: dict[str, object] | object) -> str:
    assert isinstance(item, dict)
    return f'{e(item["name"])} <span class="change">({e(item["change"])})</span>'


def _joined(parts: Iterable[str], sep: str = "; ") -> str:
    return sep.join(parts)


def _model(doc: RecordDoc) -> str:
    model = doc["model"]
    return _joined(e(x) for x in [*model["systems"], *model["organisms"]])


def _row(doc: RecordDoc) -> str:
    factors = _joined(_changed(f) for f in doc["factors"])
    targets = _joined(_changed(t) for t in doc["targets"])
    molecules = f"{factors} → {targets}" if factors and targets else factors or targets
    cells = (
        f'{e(doc["claim"])}<div class="id">{e(doc["id"])}</div>',
        _joined(e(d["name"]) for d in doc["diseases"]),
        molecules,
        _joined(_changed(p) for p in doc["pathways"]),
        e(doc["mechanism"]),
        _model(doc),
        _joined((doi_link(c) for c in doc["citations"]), "<br>"),
    )
    return (
        "<tr>"
        + "".join(
            f'<td data-label="{e(label)}">{cell}</td>'
            for label, cell in zip(COLUMNS, cells, strict=True)
        )
        + "</tr>"
    )


def _items(values: Sequence[str]) -> str:
    if not values:
        return ""
    return "<ul>" + "".join(f"<li>{v}</li>" for v in values) + "</ul>"


def _noted(item: dict[str, object] | object) -> str:
    assert isinstance(item, dict)
    note = f" — {e(item['note'])}" if item.get("note") else ""
    return _changed(item) + note


def _full(doc: RecordDoc) -> str:
    source = doc["source"]
    model = doc["model"]
    prov = doc["provenance"]
    where = ", ".join(
        e(x)
        for x in (
            prov["section"],
            prov["table"],
            f"row {prov['row']}" if prov["row"] else None,
            ("refs " + ", ".join(map(str, prov["refs"]))) if prov["refs"] else None,
        )
        if x
    )
    diseases = [
        e(d["name"]) + (f" — {e(d['context'])}" if d["context"] else "") for d in doc["diseases"]
    ]
    rows = [
        ("Claim", e(doc["claim"])),
        ("Topic", e(doc["topic"])),
        ("Mechanism", e(doc["mechanism"])),
        ("Diseases", _items(diseases)),
        ("Factors", _items([_noted(f) for f in doc["factors"]])),
        ("Targets", _items([_noted(t) for t in doc["targets"]])),
        ("Pathways", _items([_changed(p) for p in doc["pathways"]])),
        ("Drugs", _joined(e(d) for d in doc["drugs"])),
        ("Outcomes", _items([e(o) for o in doc["outcomes"]])),
        (
            "Source",
            _joined(
                [
                    *(e(t) for t in source["tissues"]),
                    e(source["fraction"]),
                    *(e(p["name"]) for p in source["preconditioning"]),
                ]
            ),
        ),
        (
            "Model",
            _joined(
                e(x)
                for x in [
                    *model["systems"],
                    *model["organisms"],
                    *model["cells"],
                    model["description"],
                ]
                if x
            ),
        ),
        ("Citations", _items([doi_link(c, _long(c)) for c in doc["citations"]])),
        ("Provenance", f"{doi_link(prov['source'])}{', ' + where if where else ''}"),
        ("Flags", _items([e(f) for f in doc["flags"]])),
        ("Notes", _items([e(n) for n in doc["notes"]])),
        ("See also", _joined(e(s) for s in doc["see_also"])),
        ("Revision", f"{e(doc['revision'])}, {e(doc['updated'])}"),
    ]
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows if value)
    return (
        f'<tr class="full"><td colspan="{len(COLUMNS)}"><details>'
        f"<summary>Full record {e(doc['id'])}</summary><dl>{body}</dl></details></td></tr>"
    )


def _long(cite: CitationDoc) -> str:
    """'Cai et al. 2021, Title': a citation in a record's full view."""
    return f"{short_citation(cite)}, {cite['title']}"


def _bibliography(docs: Sequence[RecordDoc]) -> str:
    from secretome_cli.output.citations import TextFormat
    from secretome_cli.summary.citations import Cited, collect

    items = []
    for c in collect(docs):
        text = TextFormat.line(Cited(dict(c.cite, doi=None), c.refs, c.listed_refs))
        link = ""
        if c.cite.get("doi"):
            link = " " + doi_link(c.cite, f"https://doi.org/{c.cite['doi']}")
        items.append(f'<li id="ref-{e(c.key)}">{e(text)}{link}</li>')
    return '<ol class="bibliography">' + "".join(items) + "</ol>"


def render(data: Bundle) -> str:
    """The whole page."""
    facts = data.dataset
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in COLUMNS)
    bodies = "\n".join(
        f'<tbody id="record-{e(d["id"])}">{_row(d)}{_full(d)}</tbody>' for d in data.docs
    )
    count = len(data.docs)
    about = [
        ("Question", e(data.question) if data.question else "— (every record the filters find)"),
        ("Filters", e(" ".join(data.filters)) if data.filters else "none"),
        ("Dataset", f"{e(facts.name)} {e(facts.version)}, released {e(facts.released)}"),
        ("Records", f"{count}"),
        ("Made", f"{e(facts.made)} by secretome {e(facts.tool)}"),
        ("Licence", e(facts.licence)),
    ]
    facts_html = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in about)
    title = f"Evidence: {data.asked} — {facts.name} {facts.version}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="{e(GENERATOR)} {e(facts.tool)}">
<title>{e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{e(title)}</h1>
<dl class="facts">{facts_html}</dl>
<p>{e(facts.description)}</p>
<p id="tools" hidden><label for="filter">Filter</label>
<input id="filter" type="search" placeholder="words to look for" autocomplete="off">
<span id="shown" aria-live="polite"></span></p>
</header>
<main>
<table id="evidence">
<thead><tr>{head}</tr></thead>
{bodies}
</table>
</main>
<section>
<h2>References</h2>
{_bibliography(data.docs)}
</section>
<footer>Made with secretome {e(facts.tool)} from {e(facts.name)} {e(facts.version)}.
Links lead to the articles' DOIs; nothing else on this page loads from elsewhere.</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""


def encodable(page: str, encoding: str) -> str:
    """The page as a stream in `encoding` can write it: what the encoding lacks becomes a
    character reference ('κ' → '&#954;'), which a browser reads as the same text. (The style
    and script are ASCII, where references would not be read and their hashes would change.)"""
    try:
        page.encode(encoding)
    except UnicodeEncodeError:
        return page.encode(encoding, "xmlcharrefreplace").decode(encoding)
    except LookupError:
        pass
    return page


class HtmlFormat(FileFormat):
    """The report (see the module docstring)."""

    name: ClassVar[str] = "html"

    def write(self, data: Bundle, out: TextIO) -> None:
        out.write(encodable(render(data), getattr(out, "encoding", None) or "utf-8"))

    def is_earlier(self, path: Path) -> bool:
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                start = f.read(4096)
        except OSError:
            return False
        return f'<meta name="generator" content="{GENERATOR} ' in start
