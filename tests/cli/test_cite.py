"""`secretome cite`: the references behind a result, each format read back by a real parser."""

from __future__ import annotations

import shutil
import subprocess

import bibtexparser
import jsonschema
import pybtex.database
import pytest
import rispy
from pylatexenc.latex2text import LatexNodes2Text

from secretome_cli.output.citations import BibtexFormat, latex, protect_title
from secretome_cli.summary.citations import Cited, collect

CSL_TYPES = ["article-journal", "article", "report", "review", "paper-conference", "book"]
CSL_ITEM = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {
        "id": {"type": "string"},
        "type": {"enum": CSL_TYPES},
        "title": {"type": "string"},
        "container-title": {"type": "string"},
        "volume": {"type": ["string", "number"]},
        "issue": {"type": ["string", "number"]},
        "page": {"type": ["string", "number"]},
        "DOI": {"type": "string", "pattern": "^10\\."},
        "URL": {"type": "string"},
        "PMID": {"type": "string"},
        "number": {"type": ["string", "number"]},
        "note": {"type": "string"},
        "issued": {
            "type": "object",
            "required": ["date-parts"],
            "properties": {
                "date-parts": {
                    "type": "array",
                    "items": {"type": "array", "items": {"type": ["string", "number"]}},
                }
            },
        },
        "author": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "family": {"type": "string"},
                    "given": {"type": "string"},
                    "literal": {"type": "string"},
                },
                "anyOf": [{"required": ["family"]}, {"required": ["literal"]}],
                "additionalProperties": False,
            },
        },
    },
}
"""The CSL-JSON input data model (citationstyles.org, "CSL-JSON": an array of items, each
with an id and a CSL item type; names as family/given or literal; dates as date-parts) for the
variables `cite` writes, as a JSON Schema written for these tests."""
COLITIS = "--disease colitis --factor-class miRNA"
TABLE_I = "ppt-table-i-conditioned-medium-skin-ageing-pigmentation-wounds"


def plain(text: str) -> str:
    """LaTeX back to text, typographic quotes and accents folded the way LaTeX writes them."""
    decoded = LatexNodes2Text().latex_to_text(text)
    for fancy, ascii_ in (("“", "``"), ("”", "''"), ("‘", "`"), ("’", "'"), ("ˆ", "^")):
        decoded = decoded.replace(fancy, ascii_)
    return " ".join(decoded.split())


def folded(text: str) -> str:
    """Our text as LaTeX's ligatures spell it."""
    for fancy, ascii_ in (("“", "``"), ("”", "''"), ("‘", "`"), ("’", "'"), ('"', "''")):
        text = text.replace(fancy, ascii_)
    return " ".join(text.split())


def test_cite_text_lists_the_papers_behind_a_search(secretome):
    run = secretome(f"cite {COLITIS}")
    assert run.code == 0
    lines = run.stdout.splitlines()
    assert [line.split("]")[0] + "]" for line in lines] == ["[cai2021]", "[liu2023]", "[zhang2022]"]
    assert lines[0].startswith("[cai2021] Cai, X., et al. (2021). hucMSC-derived exosomes")
    assert lines[0].endswith("https://doi.org/10.1186/s13287-021-02492-6")


def test_unidentified_references_are_cited_as_the_review_with_their_numbers(secretome):
    run = secretome(f"cite --id {TABLE_I}")
    assert run.code == 0
    assert run.stdout.startswith("[udalamaththa2020] Udalamaththa, V.L., et al. (2020).")
    assert "Cited for refs 41–51." in run.stdout
    assert len(run.stdout.splitlines()) == 1  # no study is made up for refs 41-51


def test_an_identified_reference_is_its_own_entry_and_the_review_says_so(secretome):
    run = secretome("cite --id ppt-genome-edited-ucb-msc-inducible-hgf --format csl-json")
    items = {item["id"]: item for item in run.json()}
    assert set(items) == {"chang2016", "udalamaththa2020"}
    assert items["udalamaththa2020"]["note"] == "Source of ref 76, listed as its own entry"


def test_no_query_cites_every_reference_the_records_use(secretome):
    docs = secretome("export").json()
    wanted = {c["key"] for d in docs for c in d["citations"]}
    wanted |= {d["provenance"]["source"]["key"] for d in docs}
    items = secretome("cite --format csl-json").json()
    keys = [item["id"] for item in items]
    assert keys == sorted(keys)
    assert set(keys) == wanted
    dois = [item["DOI"] for item in items if "DOI" in item]
    assert len(dois) == len(set(dois))


def test_csl_json_follows_the_csl_data_model(secretome):
    schema = {"type": "array", "items": CSL_ITEM}
    jsonschema.Draft7Validator.check_schema(schema)
    items = secretome("cite --format csl-json").json()
    jsonschema.Draft7Validator(schema).validate(items)
    by_id = {item["id"]: item for item in items}
    olcar = by_id["olcar2024"]
    assert olcar["author"][1] == {"family": "İşildar", "given": "B."}
    assert olcar["issued"] == {"date-parts": [[2024]]}
    assert by_id["nct02138331-2014"]["type"] == "report"
    assert by_id["udalamaththa2020"]["PMID"] == "34145093"


@pytest.mark.slow
def test_bibtex_is_read_back_by_bibtexparser_and_pybtex_with_the_same_fields(secretome):
    run = secretome("cite --format bibtex")
    assert run.code == 0
    items = {item["id"]: item for item in secretome("cite --format csl-json").json()}
    library = bibtexparser.parse_string(run.stdout)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == sorted(items)
    data = pybtex.database.parse_string(run.stdout, "bibtex")
    assert list(data.entries) == sorted(items)
    for entry in library.entries:
        item = items[entry.key]
        fields = entry.fields_dict
        assert plain(fields["title"].value) == folded(item["title"]), entry.key
        assert str(fields["year"].value) == str(item["issued"]["date-parts"][0][0])
        if "container-title" in item:
            assert plain(fields["journal"].value) == folded(item["container-title"])
        if "DOI" in item:
            assert fields["doi"].value == item["DOI"]
        persons = data.entries[entry.key].persons.get("author", [])
        names = [plain(str(p)) for p in persons if str(p) != "others"]
        expected = [f"{a['family']}, {a['given']}" if "family" in a else a["literal"]
                    for a in item.get("author", [])]  # fmt: skip
        assert names == [plain("{" + e + "}") if "," not in e else e for e in expected], entry.key


def test_bibtex_marks_a_cut_short_author_list_and_the_review_numbers(secretome):
    data = pybtex.database.parse_string(secretome("cite --format bibtex").stdout, "bibtex")
    review = data.entries["udalamaththa2020"]
    assert [str(p) for p in review.persons["author"]] == ["Udalamaththa, V.L.", "others"]
    assert review.fields["note"].startswith("Cited for refs 7, 10--13, 15--17,")
    assert data.entries["nct02138331-2014"].type == "misc"
    assert [str(p) for p in data.entries["nct02138331-2014"].persons["author"]] == [
        "{ClinicalTrials.gov}"
    ]


NASTY = {
    "key": "nasty2021",
    "type": "article",
    "authors": ["İşildar, B.", "Noël, D.", "Olcár, H.N.", "et al."],
    "year": 2021,
    "title": "R&D of 50% {braced} a_b #1 $5 TNF-α/NF-κB in Crohn’s disease: SOX4, "
    "miR-320a “quoted”",
    "journal": "J. Ström & Co.",
    "volume": "7",
    "issue": "2",
    "pages": "706–717",
    "doi": "10.1000/abc_def(1)",
    "url": "https://doi.org/10.1000/abc_def(1)",
    "identifier": None,
    "note": "A note with \\ and ~ and ^.",
}


def test_bibtex_escapes_every_special_character_and_parses_back():
    text = BibtexFormat().render([Cited(dict(NASTY))])
    assert "{\\&}" in text and "{\\%}" in text and "{\\_}" in text and "{\\#}" in text
    assert "{\\$}" in text and "{\\{}" in text and "{\\ensuremath{\\alpha}}" in text
    assert "{\\.I}{\\c{s}}ildar" in text and 'No{\\"e}l' in text
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    fields = library.entries[0].fields_dict
    assert plain(fields["title"].value) == folded(NASTY["title"])
    assert plain(fields["journal"].value) == NASTY["journal"]
    assert fields["pages"].value == "706--717"
    assert fields["doi"].value == NASTY["doi"]
    entry = pybtex.database.parse_string(text, "bibtex").entries["nasty2021"]
    assert [plain(str(p)) for p in entry.persons["author"]] == [
        "İşildar, B.",
        "Noël, D.",
        "Olcár, H.N.",
        "others",
    ]
    assert plain(entry.fields["annote"]) == "A note with \\ and ~ and ^."


@pytest.mark.parametrize(
    ("title", "braced", "bare"),
    [
        ("SOX4 and miR-320a in hUC-MSCs", ["{SOX4}", "{miR-320a}", "{hUC-MSCs}"], ["and"]),
        ("Cells of Wharton’s jelly in Crohn’s disease", ["{Wharton's}", "{Crohn's}"], ["jelly"]),
        ("Cell-Derived Exosomes Inhibit NF-κB", ["{NF-{\\ensuremath{\\kappa}}B}"], ["Exosomes"]),
        ("Therapy in Type I Diabetes", ["{I}"], ["Diabetes"]),
    ],
)
def test_titles_protect_the_capitals_a_style_must_keep(title, braced, bare):
    protected = protect_title(title)
    words = protected.split()
    for word in braced:
        assert word in words, (word, protected)
    for word in bare:
        assert word in words and f"{{{word}}}" not in words, (word, protected)


def test_latex_of_plain_text_is_unchanged():
    assert latex("Human umbilical cord MSCs") == "Human umbilical cord MSCs"


def test_ris_is_read_back_by_rispy(secretome):
    run = secretome("cite --format ris")
    records = rispy.loads(run.stdout)
    items = {item["id"]: item for item in secretome("cite --format csl-json").json()}
    assert len(records) == len(items)
    assert run.stdout.count("\nER  - \n") == len(items)
    by_id = {r["id"]: r for r in records}
    assert set(by_id) == set(items)
    review = by_id["udalamaththa2020"]
    assert review["type_of_reference"] == "JOUR"
    assert review["authors"] == ["Udalamaththa, V.L."]
    assert review["doi"] == "10.4103/ijmr.ijmr_1450_18"
    assert review["start_page"] == "541" and review["end_page"] == "552"
    assert review["notes"][0].startswith("Cited for refs 7, 10–13, 15–17,")
    for record_id, item in items.items():
        assert by_id[record_id]["title"] == item["title"]
        assert by_id[record_id]["year"] == str(item["issued"]["date-parts"][0][0])


def test_collect_deduplicates_by_doi_keeping_the_first_key():
    def doc(record_id: str, key: str) -> dict:
        cite = {**NASTY, "key": key}
        review = {**NASTY, "key": "review2020", "doi": "10.1/review"}
        return {"id": record_id, "citations": [cite],
                "provenance": {"source": review, "refs": [3]}}  # fmt: skip

    cited = collect([doc("a", "zed2021"), doc("b", "abe2021")])
    assert [c.key for c in cited] == ["abe2021", "review2020"]
    assert cited[0].records == ["a", "b"]
    assert cited[1].refs_note == "Source of ref 3, listed as its own entry"


def test_cite_nothing_found_and_unknown_ids_exit_1(secretome):
    run = secretome("cite psoriasis --format csl-json")
    assert (run.code, run.stdout) == (1, "[]\n")
    assert "no records match 'psoriasis'" in run.stderr
    run = secretome("cite --id lung-cancer-mir320a")
    assert run.code == 1
    assert "no record 'lung-cancer-mir320a'; did you mean lung-cancer-mir-320a-sox4-wnt" in (
        run.stderr
    )


def test_cite_bad_format_is_a_usage_error(secretome):
    run = secretome("cite --format endnote")
    assert run.code == 2
    assert run.stdout == ""
    # A usage error names the flag, the value and the choices (not a failure to cite).
    assert "invalid value for '--format'" in run.stderr.lower()
    assert "'endnote' is not one of 'text', 'bibtex', 'ris', 'csl-json'" in run.stderr


def _tex_tools(*names: str) -> bool:
    return all(shutil.which(n) for n in names)


@pytest.mark.skipif(not _tex_tools("bibtex", "pdflatex"), reason="bibtex and pdflatex absent")
def test_bibtex_and_latex_typeset_the_whole_bibliography(secretome, tmp_path):
    (tmp_path / "refs.bib").write_text(secretome("cite --format bibtex").stdout, encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    bibtex = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True)
    assert bibtex.returncode == 0, bibtex.stdout
    assert "error" not in bibtex.stdout.lower(), bibtex.stdout
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{url}"
        "\\begin{document}\\nocite{*}\\bibliographystyle{plain}\\bibliography{refs}"
        "\\end{document}\n"
    )
    latex_run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-draftmode", "doc.tex"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert latex_run.returncode == 0, latex_run.stdout[-2000:]
    assert (tmp_path / "doc.bbl").read_text().count("\\bibitem") == len(
        secretome("cite --format csl-json").json()
    )


@pytest.mark.skipif(not _tex_tools("biber"), reason="biber absent")
def test_biber_reads_the_bibtex(secretome, tmp_path):
    (tmp_path / "refs.bib").write_text(secretome("cite --format bibtex").stdout, encoding="utf-8")
    run = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-directory", str(tmp_path),
         "refs.bib"], cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout
    errors = [line for line in run.stdout.splitlines() if line.startswith("ERROR")]
    assert errors == []
    warnings = [line for line in run.stdout.splitlines() if line.startswith("WARN")]
    # the one entry the source gives without authors is the only thing biber notes
    assert all("cytokine-treatment2017" in w for w in warnings), warnings


@pytest.mark.parametrize("command", ["cite", "graph", "export"])
def test_an_empty_query_is_a_one_line_error(secretome, command):
    run = secretome(command, "  ")
    assert (run.code, run.stderr) == (2, "secretome: error: query is empty\n")
