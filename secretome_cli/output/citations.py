"""Citations: the formats of the references behind a set of records (gathered by
`summary/citations.py: collect`).

Formats are one class each, chosen by name from `CITATION_FORMATS`: BibTeX (special characters
and non-ASCII letters written as LaTeX by pylatexenc, imported only here), RIS, CSL-JSON (the
CSL data schema) and plain text in one author–year style.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from secretome_cli.output.renderer import TextRenderer, registry
from secretome_cli.summary.citations import ET_AL, Cited

# --- formats -------------------------------------------------------------------------------


class CitationFormat(TextRenderer[Sequence[Cited]]):
    """Writes a list of references in one format."""

    def render(self, cited: Sequence[Cited]) -> str:
        raise NotImplementedError


class TextFormat(CitationFormat):
    """One reference per line, author–year: 'Cai, X., Li, J., et al. (2021). Title. Journal,
    12(1), 1–10. https://doi.org/…', the key in brackets in front."""

    name = "text"

    def render(self, cited: Sequence[Cited]) -> str:
        return "".join(self.line(c) + "\n" for c in cited)

    @staticmethod
    def line(c: Cited) -> str:
        """One reference as a line of text."""
        cite = c.cite
        names = c.authors + ([ET_AL] if c.truncated else [])
        parts = [f"[{c.key}]"]
        if names:
            parts.append(", ".join(names))
        parts.append(f"({cite['year']}).")
        parts.append(_sentence(cite["title"]))
        if cite.get("journal"):
            where = str(cite["journal"])
            if cite.get("volume"):
                where += f", {cite['volume']}"
                if cite.get("issue"):
                    where += f"({cite['issue']})"
            if cite.get("pages"):
                where += f", {cite['pages']}"
            parts.append(where + ".")
        if cite.get("identifier"):
            parts.append(f"{cite['identifier']}.")
        if c.refs_note:
            parts.append(c.refs_note + ".")
        if cite.get("doi"):
            parts.append(f"https://doi.org/{cite['doi']}")
        return " ".join(parts)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in {".", "?", "!"} else text + "."


class CslJsonFormat(CitationFormat):
    """A CSL-JSON array (the citation-style-language data schema), for Zotero, pandoc and
    citeproc processors."""

    name = "csl-json"

    def render(self, cited: Sequence[Cited]) -> str:
        return json.dumps([self.item(c) for c in cited], ensure_ascii=False, indent=2) + "\n"

    @staticmethod
    def item(c: Cited) -> dict[str, Any]:
        """One CSL-JSON item."""
        cite = c.cite
        kind = cite.get("type") or "article"
        item: dict[str, Any] = {
            "id": c.key,
            "citation-key": c.key,
            "type": "report" if kind == "trial-registration" else "article-journal",
            "title": cite["title"],
        }
        if c.authors:
            item["author"] = [_csl_name(a) for a in c.authors]
        item["issued"] = {"date-parts": [[cite["year"]]]}
        if cite.get("journal"):
            item["container-title"] = cite["journal"]
        for ours, theirs in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
            if cite.get(ours):
                item[theirs] = cite[ours]
        if cite.get("doi"):
            item["DOI"] = cite["doi"]
            item["URL"] = f"https://doi.org/{cite['doi']}"
        if c.pmid():
            item["PMID"] = c.pmid()
        elif cite.get("identifier"):
            item["number"] = cite["identifier"]
        if c.refs_note:
            item["note"] = c.refs_note
        annote = _annote(c)
        if annote:
            item["annote"] = annote
        return item


def _csl_name(author: str) -> dict[str, str]:
    family, sep, given = author.partition(",")
    if not sep:
        return {"literal": author}
    return {"family": family.strip(), "given": given.strip()}


def _annote(c: Cited, et_al: bool = True) -> str | None:
    """Curation remarks: the bibliography's note and (where the format has no way to say it)
    that the source cut the author list short."""
    parts = []
    if c.truncated and et_al:
        parts.append("The source lists only the first author(s) (et al.).")
    if c.cite.get("note"):
        parts.append(str(c.cite["note"]))
    return " ".join(parts) or None


class RisFormat(CitationFormat):
    """RIS records ('TY  - JOUR' … 'ER  - '), for EndNote, Zotero, Mendeley and reference
    managers."""

    name = "ris"

    def render(self, cited: Sequence[Cited]) -> str:
        return "\n".join(self.record(c) for c in cited)

    @staticmethod
    def record(c: Cited) -> str:
        """One RIS record, ending with 'ER  - '."""
        cite = c.cite
        kind = cite.get("type") or "article"
        lines = [("TY", {"trial-registration": "ELEC", "abstract": "ABST"}.get(kind, "JOUR"))]
        lines.append(("ID", c.key))
        lines.extend(("AU", a) for a in c.authors)
        lines.append(("PY", str(cite["year"])))
        lines.append(("TI", cite["title"]))
        if cite.get("journal"):
            lines.append(("T2", cite["journal"]))
        if cite.get("volume"):
            lines.append(("VL", cite["volume"]))
        if cite.get("issue"):
            lines.append(("IS", cite["issue"]))
        first, last = c.pages()
        if first:
            lines.append(("SP", first))
        if last:
            lines.append(("EP", last))
        if cite.get("doi"):
            lines.append(("DO", cite["doi"]))
            lines.append(("UR", f"https://doi.org/{cite['doi']}"))
        if cite.get("identifier"):
            lines.append(("AN", c.pmid() or cite["identifier"]))
        if c.refs_note:
            lines.append(("N1", c.refs_note))
        annote = _annote(c)
        if annote:
            lines.append(("N1", annote))
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {_one_line(value)}\n" for tag, value in lines)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class BibtexFormat(CitationFormat):
    """BibTeX that LaTeX with bibtex or biber reads: keys are the bibliography keys, special
    characters and non-ASCII letters are LaTeX (`{\\'e}`, `{\\c{s}}`, `{\\&}`,
    `{\\ensuremath{\\alpha}}`), and words whose capitals must survive a style's case change
    (gene names, acronyms, proper nouns) are braced."""

    name = "bibtex"

    def render(self, cited: Sequence[Cited]) -> str:
        return "\n".join(self.entry(c) for c in cited)

    def entry(self, c: Cited) -> str:
        """One BibTeX entry."""
        cite = c.cite
        kind = cite.get("type") or "article"
        fields: list[tuple[str, str]] = []
        names = [_bib_name(a) for a in c.authors] + (["others"] if c.truncated else [])
        if names:
            fields.append(("author", " and ".join(names)))
        else:  # bibtex sorts and labels an entry without authors by its `key` field
            fields.append(("key", c.key))
        fields.append(("title", protect_title(cite["title"])))
        if kind == "trial-registration":
            entry_type = "misc"
            if cite.get("identifier"):
                fields.append(("howpublished", latex(f"Trial registration {cite['identifier']}")))
        else:
            entry_type = "article"
            if cite.get("journal"):
                fields.append(("journal", latex(cite["journal"])))
        fields.append(("year", str(cite["year"])))
        if cite.get("volume"):
            fields.append(("volume", latex(cite["volume"])))
        if cite.get("issue"):
            fields.append(("number", latex(cite["issue"])))
        if cite.get("pages"):
            fields.append(("pages", latex(re.sub(r"\s*[–—]\s*", "--", cite["pages"]))))
        if cite.get("doi"):
            fields.append(("doi", _verbatim(cite["doi"])))
            fields.append(("url", _verbatim(f"https://doi.org/{cite['doi']}")))
        if c.pmid():  # biblatex's way to give a PubMed id
            fields += [("eprint", str(c.pmid())), ("eprinttype", "pubmed")]
        if c.refs_note:
            fields.append(("note", latex(c.refs_note)))
        annote = _annote(c, et_al=False)  # BibTeX says it: 'and others'
        if annote:
            fields.append(("annote", latex(annote)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@{entry_type}{{{c.key},\n{body}\n}}\n"


_TYPOGRAPHY = str.maketrans({"\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''"})
_DASHES = (("\u2014", "---"), ("\u2013", "--"))


def latex(text: str) -> str:
    """`text` as LaTeX for a BibTeX field: ASCII specials escaped, every other non-ASCII
    character as a braced LaTeX command (pylatexenc), typographic quotes and dashes as the
    ligatures LaTeX expects."""
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    encoder = _encoder(UnicodeToLatexEncoder)
    text = " ".join(text.split()).translate(_TYPOGRAPHY)
    pieces = re.split(r"(\u2014|\u2013|``|''|`|')", text)
    out = []
    for piece in pieces:
        if piece in {"\u2014", "\u2013"}:
            out.append(dict(_DASHES)[piece])
        elif piece in {"``", "''", "`", "'"}:
            out.append(piece)
        elif piece:
            out.append(encoder.unicode_to_latex(piece))
    return "".join(out)


_ENCODERS: dict[str, Any] = {}


def _encoder(cls: Any) -> Any:
    if "bibtex" not in _ENCODERS:
        _ENCODERS["bibtex"] = cls(
            replacement_latex_protection="braces-all", unknown_char_policy="keep"
        )
    return _ENCODERS["bibtex"]


def _verbatim(text: str) -> str:
    """DOIs and URLs are verbatim fields for biblatex: written as they are unless they hold
    characters a .bib file cannot carry raw."""
    return text if not re.search(r"[{}\\%\s]", text) else latex(text)


_AND = re.compile(r"(?<=\s)and(?=\s)", re.IGNORECASE)
"""The word BibTeX splits a list of names at ('and' between spaces, any case)."""


def _bib_name(author: str) -> str:
    """'Olcár, H.N.' → 'Olc{\\'a}r, H.N.'; an organisation (no comma) is braced whole; an
    'and' inside one name is braced ('X {and} Y, A.'), so that BibTeX reads one author."""
    if "," not in author:
        return "{" + latex(author) + "}"
    return _AND.sub(lambda found: "{" + found.group() + "}", latex(author))


_WORD = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]")


def protect_title(title: str) -> str:
    """A title as LaTeX with braces around the words whose capitals a bibliography style must
    not lower: words with a capital after their first letter (SOX4, hUC-MSCs, miR-320a, NF-κB)
    and, in a sentence-case title, every capitalised word after the first (proper nouns such
    as Crohn's, Wharton's, Wnt)."""
    words = _WORD.findall(" ".join(title.split()))
    later = [w for w in words[1:] if _LETTER.search(w)]
    capitalised = [w for w in later if _first_letter(w).isupper()]
    sentence_case = len(capitalised) * 2 < len(later)
    out = []
    for i, word in enumerate(words):
        inner = _LETTER.findall(word)
        parts = [_LETTER.findall(p) for p in re.split(r"[-/]", word)]
        mixed = any(ch.isupper() for p in parts for ch in p[1:])
        mixed = mixed or (i > 0 and inner in (["I"], ["E"]))
        proper = sentence_case and i > 0 and bool(inner) and inner[0].isupper()
        encoded = latex(word)
        out.append("{" + encoded + "}" if mixed or proper else encoded)
    return " ".join(out)


def _first_letter(word: str) -> str:
    found = _LETTER.search(word)
    return found.group(0) if found else ""


CITATION_FORMATS = registry(TextFormat, BibtexFormat, RisFormat, CslJsonFormat)
"""Every `secretome cite --format`, by name."""
