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


def test_the_pro_tumour_flag_not_the_words_makes_a_record_pro_tumour():
    from secretome_cli.summary.conflicts import find

    def doc(rid, claim, flags=(), diseases=(), topic="mechanism", **lists):
        return {
            "id": rid,
            "claim": claim,
            "topic": topic,
            "flags": list(flags),
            "citations": [{"key": "qiu2020"}],
            "diseases": [{"name": d, "category": "cancer"} for d in diseases],
            **{k: lists.get(k, []) for k in ("factors", "targets", "pathways")},
        }

    wnt = [{"name": "Wnt signaling", "change": "modulated"}]
    canonical = [{"name": "Wnt/β-catenin", "change": "inhibited"}]
    mirnas = [{"name": "microRNAs", "class": "miRNA", "change": "delivered"}]
    docs = [
        doc("absent", "The tumour-promoting miRNAs miR-1 and miR-2 are absent."),
        doc("words", "The secretome promoted tumour growth in one study."),
        doc("flagged", "May favour metastasis.", ["pro-tumour"], ["cancer"], pathways=wnt),
        doc("rna", "Exosomal RNAs in cancer communication.", ["pro-tumour"], factors=mirnas),
        doc("dual", "Dual role in cancer.", ["pro-tumour"], ["cancer"], topic="limitation"),
        doc("lung", "Blocks Wnt/β-catenin.", diseases=["lung cancer"], pathways=canonical),
        doc(
            "mir",
            "miR-1 curbs growth.",
            diseases=["lung cancer"],
            factors=[{"name": "miR-1", "class": "miRNA", "change": "up"}],
        ),
        doc("caveat", "Effects vary.", diseases=["cancer"], topic="limitation", pathways=canonical),
    ]
    broader = {("pathway", "Wnt/β-catenin"): ["Wnt signaling"]}
    found = find(docs, lambda kind, name: broader.get((kind, name), []))
    by_id = {f.id: f for f in found.flagged}
    assert sorted(by_id) == ["dual", "flagged", "rna"]  # flags, not words
    assert all(f.reasons == ["flag pro-tumour"] for f in by_id.values())
    # against the anti-tumour records (a cancer, not a limitation) of the same pathway (one
    # under the other in the vocabulary) or of a factor of the whole class named
    assert [(a.id, a.shared) for a in by_id["flagged"].against] == [("lung", ["Wnt/β-catenin"])]
    assert [(a.id, a.shared) for a in by_id["rna"].against] == [("mir", ["miR-1"])]
    assert by_id["dual"].against == []
    # without the vocabulary only the same names relate
    assert {f.id: f.against for f in find(docs).flagged}["flagged"] == []
