"""The core of the review commands, without a terminal: field-by-field record changes, the
version bump the history rule asks for, and the skeleton `new` writes."""

from __future__ import annotations

import copy
import datetime as dt

import yaml
from conftest import RECORDS

from secretome_cli.files.rawset import read_set
from secretome_cli.files.skeleton import annotated, blank, field_info, is_placeholder
from secretome_cli.model.controlled import Flag, values
from secretome_cli.model.record import Record
from secretome_cli.summary.diff import Change, record_changes
from secretome_cli.validate.history import bump, required_level

LUNG = "lung-cancer-mir-320a-sox4-wnt"


def lung() -> dict:
    return yaml.safe_load((RECORDS / "evidence" / f"{LUNG}.yaml").read_text(encoding="utf-8"))


def test_a_factor_added_and_a_claim_reworded():
    before = lung()
    after = copy.deepcopy(before)
    after["factors"].append({"name": "miR-21", "change": "up"})
    after["claim"] = "Reworded."
    changes = record_changes(before, after)
    assert Change("claim", None, "changed", before["claim"], "Reworded.") in changes
    assert Change("factors", "miR-21", "added", None, {"name": "miR-21", "change": "up"}) in changes
    assert len(changes) == 2


def test_a_removed_note_and_an_added_flag():
    before = lung()
    after = copy.deepcopy(before)
    removed = after["notes"].pop()
    flag = next(f for f in values(Flag) if f not in before["flags"])
    after["flags"].append(flag)
    assert record_changes(before, after) == [
        Change("flags", flag, "added", None, flag),
        Change("notes", removed, "removed", removed, None),
    ]


def test_nested_fields_are_named_by_their_path():
    before = lung()
    after = copy.deepcopy(before)
    after["provenance"]["row"] = "Cancer / Lung"
    (change,) = record_changes(before, after)
    assert change == Change(
        "provenance.row", None, "changed", before["provenance"]["row"], "Cancer / Lung"
    )


def test_the_version_bump_follows_the_changelog_rule(tmp_path):
    import shutil

    old = read_set(RECORDS)
    shutil.copytree(RECORDS, tmp_path / "set")
    new = read_set(tmp_path / "set")
    assert required_level(old, new) == (None, [])
    new.records["x"] = dict(new.records[LUNG], id="x")
    assert required_level(old, new)[0] == "minor"
    del new.records["x"]
    new.records[LUNG] = dict(new.records[LUNG], claim="Changed.")
    assert required_level(old, new) == ("patch", ["1 record changed"])
    new.records[LUNG]["schema_version"] = 2
    assert required_level(old, new)[0] == "major"
    assert [bump((1, 2, 3), level) for level in ("patch", "minor", "major")] == [
        "1.2.4",
        "1.3.0",
        "2.0.0",
    ]


def test_the_skeleton_has_every_field_with_its_description():
    text = annotated(blank("an-id", dt.date(2026, 11, 30)))
    data = yaml.safe_load(text)
    assert list(data) == [f.alias or n for n, f in Record.model_fields.items()]
    lines = text.splitlines()
    for name, info in Record.model_fields.items():
        at = lines.index(next(ln for ln in lines if ln.startswith(f"{name}:")))
        assert lines[at - 1].startswith(f"# {info.description}")
    assert data["revision"] == 1 and data["changelog"][0]["revision"] == 1
    assert data["updated"] == data["changelog"][0]["date"] == dt.date(2026, 11, 30)


def test_placeholders_and_field_lookup():
    assert is_placeholder("TODO") and is_placeholder(" TODO: fill in ")
    assert not is_placeholder("TODOS") and not is_placeholder("a TODO")
    assert field_info(("factors", 0, "change")).description.startswith("How the factor changes")
    assert field_info(("no-such-field",)) is None


def test_a_pro_tumour_mention_said_absent_is_not_flagged():
    from secretome_cli.summary.conflicts import find

    absent = "The tumour-promoting miRNAs miR-1 and miR-2 are absent or barely expressed."
    claims = {
        "absent": absent,
        "lacks": "The exosomes lack tumour-promoting miRNAs.",
        "promotes": "The secretome promoted tumour growth in one study.",
        "present": "Tumour-promoting miR-1 is abundant in the vesicles.",
    }
    cite = [{"key": "qiu2020"}]
    docs = [{"id": i, "claim": c, "citations": cite, "diseases": []} for i, c in claims.items()]
    assert sorted(f.id for f in find(docs).flagged) == ["present", "promotes"]
