"""`secretome export --format html`: the report parsed as a browser parses it (html5lib, the
WHATWG algorithm): its records, DOI links, escaping, and that nothing loads from elsewhere."""

from __future__ import annotations

import base64
import hashlib
import shutil
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
import yaml

from tests.conftest import RECORDS

HOSTILE = '<script>alert("x")</script> & <b>bold</b> </td></tr><img src=https://example.org/x>'
"""Record text that would be markup, and an outside load, if it were not escaped."""


@pytest.fixture(autouse=True)
def _one_index(shared_cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests read the bundled records only: one index for the module."""
    monkeypatch.setenv("SECRETOME_CACHE_DIR", shared_cache)


def parse(text: str) -> Element:
    return html5lib.parse(text, namespaceHTMLElements=False)


def records_of(page: Element) -> list[str]:
    return [b.get("id", "").removeprefix("record-") for b in page.iter("tbody")]


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def test_the_report_holds_the_records_export_finds(secretome):
    docs = secretome("export colitis").json()
    run = secretome("export colitis --format html")
    assert run.code == 0
    page = parse(run.stdout)
    assert records_of(page) == [d["id"] for d in docs]
    header = text_of(page.find(".//header"))
    assert "colitis" in header
    dataset = yaml.safe_load((RECORDS / "dataset.yaml").read_text(encoding="utf-8"))
    assert f"{dataset['name']} {dataset['version']}, released {dataset['released']}" in header
    assert f"Records{len(docs)}" in header
    for doc in docs:
        body = page.find(f".//tbody[@id='record-{doc['id']}']")
        assert body is not None
        assert doc["claim"] in text_of(body)
        assert body.find(".//details/summary") is not None  # the full view, under its row
        for note in doc["notes"]:
            assert " ".join(note.split()) in " ".join(text_of(body).split())


def test_question_and_filters_are_on_the_page(secretome):
    run = secretome("export", "which miRNAs act on colitis", "--tissue", "umbilical cord",
                    "--format", "html")  # fmt: skip
    header = text_of(parse(run.stdout).find(".//header"))
    assert "which miRNAs act on colitis" in header
    assert "--tissue umbilical cord" in header


def test_every_citation_is_a_doi_link_and_the_bibliography_lists_them(secretome):
    docs = secretome("export --disease IBD").json()
    page = parse(secretome("export --disease IBD --format html").stdout)
    links = {a.get("href") for a in page.iter("a")}
    dois = {c["url"] for d in docs for c in d["citations"] if c["url"]}
    assert dois
    assert dois <= links
    bibliography = page.find(".//ol[@class='bibliography']")
    assert bibliography is not None
    listed = {a.get("href") for a in bibliography.iter("a")}
    assert dois <= listed


def outside(page: Element) -> list[tuple[str, str, str]]:
    """Every attribute that would load or link to something outside the page, except DOIs."""
    found = []
    for element in page.iter():
        for name in ("src", "href", "action", "data", "poster", "srcset", "formaction"):
            value = element.get(name)
            if value is None or value.startswith("#"):
                continue
            if name == "href" and element.tag == "a" and value.startswith("https://doi.org/"):
                continue
            found.append((element.tag, name, value))
    return found


def test_nothing_loads_from_elsewhere(secretome):
    page = parse(secretome("export --format html").stdout)
    assert outside(page) == []
    assert [e.tag for e in page.iter() if e.tag in {"link", "iframe", "object", "embed"}] == []
    policy = page.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "default-src 'none'" in policy
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        (element,) = list(page.iter(tag))
        assert element.get("src") is None
        digest = hashlib.sha256(element.text.encode("utf-8")).digest()
        allowed = f"{directive} 'sha256-{base64.b64encode(digest).decode()}'"
        assert allowed in policy  # the inline code is allowed by its hash, nothing else is


def test_the_page_reads_without_scripts(secretome):
    """The filter box is hidden until the script shows it; table, details and links are
    plain HTML."""
    page = parse(secretome("export colitis --format html").stdout)
    tools = page.find(".//*[@id='tools']")
    assert tools is not None
    assert tools.get("hidden") is not None
    assert page.find(".//table/thead") is not None
    assert all(b.find("tr/td") is not None for b in page.iter("tbody"))


def test_phone_width_and_print_styles(secretome):
    page = parse(secretome("export colitis --format html").stdout)
    viewport = page.find(".//meta[@name='viewport']")
    assert viewport is not None
    assert "width=device-width" in viewport.get("content", "")
    style = next(page.iter("style")).text
    assert "@media print" in style
    assert "@media (max-width:" in style


@pytest.fixture
def hostile_set(tmp_path: Path) -> Path:
    """The bundled records with markup in one record's claim and notes."""
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    path = root / "evidence" / "ulcerative-colitis-mir-378a-5p-pyroptosis.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("claim: >-\n  hUC-MSC", f"claim: >-\n  {HOSTILE} hUC-MSC", 1)
    text = text.replace("notes:\n- >-\n  Table 1's", f"notes:\n- >-\n  {HOSTILE} Table 1's", 1)
    path.write_text(text, encoding="utf-8")
    return root


def test_every_value_is_escaped(secretome, hostile_set, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRETOME_CACHE_DIR", str(tmp_path / "cache"))
    run = secretome("export", "pyroptosis", "--records", str(hostile_set), "--format", "html")
    assert run.code == 0, run.stderr
    assert HOSTILE.split()[0] not in run.stdout  # the raw tag is not in the file
    page = parse(run.stdout)
    assert len(list(page.iter("script"))) == 1  # ours only
    assert list(page.iter("img")) == []
    assert list(page.iter("b")) == []
    assert outside(page) == []
    body = page.find(".//tbody[@id='record-ulcerative-colitis-mir-378a-5p-pyroptosis']")
    assert body is not None
    finding = body.find("tr/td")
    assert text_of(finding).startswith(HOSTILE)  # shown as text
    assert text_of(body).count(HOSTILE) >= 3  # claim in the row, claim and note in details


def test_the_report_goes_to_a_file_atomically_and_not_over_others(tmp_path, secretome):
    report = tmp_path / "c.html"
    assert secretome(f"export colitis --format html -o {report}").code == 0
    first = report.read_text(encoding="utf-8")
    assert records_of(parse(first)) == secretome("export colitis").ids()
    assert secretome(f"export --disease IBD --format html -o {report}").code == 0  # ours
    assert (
        records_of(parse(report.read_text(encoding="utf-8")))
        == secretome("export --disease IBD").ids()
    )
    mine = tmp_path / "mine.html"
    mine.write_text("<p>my notes</p>", encoding="utf-8")
    run = secretome(f"export colitis --format html -o {mine}")
    assert run.code == 2
    assert "--force" in run.stderr
    assert mine.read_text(encoding="utf-8") == "<p>my notes</p>"
    assert secretome(f"export colitis --format html -o {mine} --force").code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.html", "mine.html"]


def test_nothing_found_is_still_a_page_and_exit_1(secretome):
    run = secretome("export psoriasis --format html")
    assert run.code == 1
    page = parse(run.stdout)
    assert records_of(page) == []
    assert "Records0" in text_of(page.find(".//header"))


@pytest.mark.slow
def test_the_docs_examples_are_true(tmp_path):
    """Every `$ command` of docs/export-sqlite-html.md gives the output shown under it."""
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to run the examples")
    from readme import ROOT, examples, run_in_terminal

    text = (ROOT / "docs" / "export-sqlite-html.md").read_text(encoding="utf-8")
    found = examples(text)
    assert len(found) >= 4
    for example in found:
        shown = run_in_terminal(example.command, tmp_path / "cache").rstrip("\n")
        assert shown == example.shown.rstrip("\n"), example.command


@pytest.mark.slow
def test_an_ascii_only_stdout_gets_character_references(tmp_path):
    """PYTHONIOENCODING=ascii: what ASCII cannot write becomes a character reference, which
    the browser reads as the same text; the style and script (hashed) are ASCII anyway."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "SECRETOME_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "secretome_cli", "export", "colitis", "--format", "html"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.isascii()
    page = parse(done.stdout)
    assert "IL-1β" in text_of(page.find(".//main"))
    policy = page.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    style = next(page.iter("style")).text
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in policy


@pytest.mark.slow
def test_a_reader_that_goes_away_stops_it_quietly(tmp_path):
    """`secretome export --format html | head -1`: exit 0, nothing on stderr."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SECRETOME_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "secretome_cli", "export", "--format", "html"]
    subprocess.run([*argv[:3], "stats"], env=env, capture_output=True, check=True)
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert (code, err) == (0, "")
