"""Data tests over every committed record: the bundled record set is valid, canonical,
self-consistent, and every DOI in it can be found in the sources it was curated from."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import RECORDS, SHARED

from secretome_cli.files.canonical import canonical_text, model_for
from secretome_cli.files.layout import Layout
from secretome_cli.files.loading import read_model
from secretome_cli.validate.check import check

DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@pytest.fixture(scope="module")
def checked():
    return check(RECORDS)


def test_bundled_records_have_no_problems(checked):
    problems = [p for p in checked.problems if p.severity != "acknowledged"]
    assert [p.location() + " " + p.message for p in problems] == []
    assert len(checked.records) == checked.record_files >= 100


def test_ids_are_unique_and_match_file_names(checked):
    ids = Counter(record.id for _, record in checked.records)
    assert [i for i, n in ids.items() if n > 1] == []
    assert all(record.id == path.stem for path, record in checked.records)


def test_every_citation_resolves(checked):
    for _, record in checked.records:
        for key in [*record.citations, record.provenance.source]:
            assert key in checked.references, f"{record.id}: {key}"


def test_every_reference_is_cited(checked):
    cited = {k for _, r in checked.records for k in [*r.citations, r.provenance.source]}
    assert set(checked.references) == cited


def test_dois_are_well_formed_and_lower_case(checked):
    for ref in checked.references.values():
        if ref.doi is not None:
            assert DOI.match(ref.doi), ref.key
            assert ref.doi == ref.doi.lower(), ref.key


def test_every_vocabulary_term_is_known(checked):
    vocab = checked.vocabulary
    for _, record in checked.records:
        for disease in record.diseases:
            assert vocab.get("disease", disease.name), (record.id, disease.name)
        for item in [*record.factors, *record.targets]:
            assert vocab.get("factor", item.name), (record.id, item.name)
        for pathway in record.pathways:
            assert vocab.get("pathway", pathway.name), (record.id, pathway.name)
        for drug in record.drugs:
            term = vocab.get("factor", drug)
            assert term is not None and term.info == "drug", (record.id, drug)
        for stimulus in record.source.preconditioning:
            assert vocab.get("preconditioning", stimulus), (record.id, stimulus)


def test_every_committed_file_is_canonical():
    layout = Layout(RECORDS)
    for path in [*layout.data_files(), *layout.record_files()]:
        parsed = read_model(path, model_for(path, layout))
        assert parsed.model is not None, path
        assert canonical_text(parsed.model) == path.read_text(encoding="utf-8"), path


def test_every_record_traces_to_a_place_in_a_source(checked):
    for _, record in checked.records:
        prov = record.provenance
        assert prov.source in {"nethaji2026", "udalamaththa2020"}, record.id
        assert prov.section or prov.table, record.id
        if prov.source == "udalamaththa2020":
            assert prov.section, record.id


def test_unverified_references_cite_the_review_with_numbers(checked):
    for _, record in checked.records:
        if "unverified-reference" in record.flags:
            assert "udalamaththa2020" in record.citations, record.id
            assert record.provenance.refs, record.id


def _source_text() -> str:
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted(SHARED.rglob("*"))
        if p.is_file() and p.suffix in {".txt", ".md"}
    ]
    return "\n".join(texts).replace("\\(", "(").replace("\\)", ")").lower()


def test_every_doi_occurs_in_the_sources(checked):
    if not SHARED.is_dir():
        pytest.skip(f"SOURCES ABSENT: {SHARED} not found; cannot check DOIs against the sources")
    sources = _source_text()
    missing = [
        (ref.key, ref.doi)
        for ref in checked.references.values()
        if ref.doi is not None and ref.doi.lower() not in sources
    ]
    assert missing == []


def test_reference_titles_and_years_occur_in_the_sources(checked):
    if not SHARED.is_dir():
        pytest.skip(f"SOURCES ABSENT: {SHARED} not found")
    sources = re.sub(r"\s+", " ", _source_text())
    for ref in checked.references.values():
        words = re.sub(r"\s+", " ", ref.title.lower())
        head = words[:40].replace("α6", "")
        assert head in sources or words[:25] in sources, ref.key
        assert str(ref.year) in sources


def test_dataset_version_and_changelog_agree():
    dataset = yaml.safe_load((RECORDS / "dataset.yaml").read_text(encoding="utf-8"))
    changelog = (RECORDS / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {dataset['version']} — {dataset['released']}" in changelog


@pytest.mark.parametrize("where", ["inside", "outside", "itself", "above"])
def test_a_folders_display_prefix_is_what_display_puts_before_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from secretome_cli.files.layout import display, display_prefix

    folder = tmp_path / "set" / "evidence"
    folder.mkdir(parents=True)
    cwd = {
        "inside": tmp_path,
        "outside": tmp_path / "elsewhere",
        "itself": folder,
        "above": tmp_path / "set",
    }[where]
    cwd.mkdir(exist_ok=True)
    monkeypatch.chdir(cwd)
    for given in (folder, Path(os.path.relpath(folder))):
        for name in ("a.yaml", "crohns-disease-mir-302d-3p-vegfr3-akt.yaml"):
            assert display_prefix(given) + name == display(given / name)
