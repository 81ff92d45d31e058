"""The core API: a script opens a record set, searches, selects, validates, cites and counts
without the command line — and without Typer or Rich."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RECORDS, ROOT

from secretome_cli import api

SCRIPT = """
import json, sys
from pathlib import Path
from typing import Any
from secretome_cli import api

records = api.open_records(Path(sys.argv[1]))
found = api.search(records, "which miRNAs act on colitis")
picked = api.select(records, filters=api.Filters(disease=["IBD"]), ids=["no-such-recrd"])
print(json.dumps({
    "found": [r.doc["id"] for r in found.results],
    "picked": len(picked.docs),
    "missing": [m.id for m in picked.missing],
    "terminal": sorted(m for m in sys.modules if m.split(".")[0] in {"typer", "rich"}),
}))
"""


def test_a_script_uses_the_api_without_the_terminal_libraries(secretome: Any) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(RECORDS)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    out = json.loads(run.stdout)
    assert out["found"]
    assert out["found"] == secretome('search "which miRNAs act on colitis" --format json').ids()
    assert out["picked"] > 0
    assert out["missing"] == ["no-such-recrd"]
    assert out["terminal"] == []


@pytest.fixture
def records() -> api.RecordSet:
    return api.open_records(RECORDS)


def test_select_without_query_filter_or_id_is_every_record(records: api.RecordSet) -> None:
    selection = api.select(records)
    assert [d["id"] for d in selection.docs] == sorted(p.stem for p in RECORDS.glob("evidence/*"))
    assert (selection.missing, selection.searched) == ([], None)


def test_select_names_near_ids_for_an_unknown_one(records: api.RecordSet) -> None:
    known = api.every_doc(records)[0]["id"]
    selection = api.select(records, ids=[known[:-1], known, known])
    assert [d["id"] for d in selection.docs] == [known]
    assert [(m.id, known in m.near) for m in selection.missing] == [(known[:-1], True)]


def test_show_keeps_the_order_and_repeats_of_the_ids(records: api.RecordSet) -> None:
    first, second = (d["id"] for d in api.every_doc(records)[:2])
    assert [d["id"] for d in api.show(records, [second, first, second]).docs] == [
        second,
        first,
        second,
    ]


def test_filters_are_named_by_field_and_labelled_by_the_caller(records: api.RecordSet) -> None:
    plain = api.search(records, None, api.Filters(factor_class=["miRNA"]))
    labelled = api.search(
        records, None, api.Filters(factor_class=["miRNA"], labels={"factor_class": "CLASS"})
    )
    assert [r.text for r in plain.readings] == ["factor_class miRNA"]
    assert [r.text for r in labelled.readings] == ["CLASS miRNA"]
    assert [r.doc["id"] for r in plain.results] == [r.doc["id"] for r in labelled.results]


def test_validate_returns_the_problems_and_what_was_checked() -> None:
    report = api.validate(records=RECORDS, strict=True)
    assert report.records == len(list(RECORDS.glob("evidence/*.yaml")))
    errors = [p for p in report.problems if p.severity in {"error", "warning"}]
    assert (report.failed, report.valid) == (bool(errors), report.records)


def test_format_files_refuses_a_path_outside_any_record_set(tmp_path: Path) -> None:
    stray = tmp_path / "stray.yaml"
    stray.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(api.RecordsError, match="not inside a record set"):
        api.format_files([stray], RECORDS, check=True)


def test_an_unknown_vocabulary_is_a_value_error_naming_the_nearest() -> None:
    with pytest.raises(ValueError, match="did you mean 'diseases'"):
        api.check_vocabulary("disease")


@pytest.mark.parametrize(
    "query", ["which miRNAs act on colitis", "lung injury exosomes", "Qiu 2020", "NFkB in mice"]
)
def test_a_result_writes_the_json_of_its_document_with_what_search_adds(
    records: api.RecordSet, query: str
) -> None:
    """JSON output splices the stored document with `score`, `match` and `unmatched` (as text,
    or as bytes written straight from the index): the same text `json.dumps` would give."""
    import io

    found = api.search(records, query).results
    assert found
    for result in found:
        whole = json.dumps(result.as_dict(), ensure_ascii=False)
        assert result.json_text() == whole
        written = io.BytesIO()
        result.write_json(written)
        assert written.getvalue() == whole.encode()
