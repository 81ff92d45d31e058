"""The JSON contract of `diff` and `conflicts`: the keys scripts depend on. Adding a key means
adding it here and to the README; renaming or removing one is not done."""

from __future__ import annotations

import shutil

from conftest import RECORDS

from secretome_cli.summary import conflicts, diff

DIFF = ["old", "new", "added", "removed", "changed", "vocabulary", "bibliography"]
SIDE = ["label", "version", "records"]
RECORD = ["id", "claim"]
CHANGED = ["id", "old_revision", "new_revision", "changes", "changelog"]
CHANGE = ["field", "item", "change", "old", "new"]
TERM = ["vocabulary", "term", "change", "fields"]
REFERENCE = ["key", "change", "fields"]

CONFLICTS = ["records", "conflicts", "flagged"]
CONFLICT = ["entity", "kind", "shared_diseases", "sides"]
CONFLICT_SIDE = ["direction", "changes", "diseases", "citations", "records"]
SIDE_RECORD = ["id", "change", "diseases", "citations"]
FLAGGED = ["id", "claim", "reasons", "diseases", "citations", "against"]
AGAINST = ["id", "shared", "diseases", "citations"]


def test_pinned_key_lists():
    assert list(diff.DIFF_KEYS) == DIFF
    assert list(diff.SIDE_KEYS) == SIDE
    assert list(diff.RECORD_KEYS) == RECORD
    assert list(diff.CHANGED_KEYS) == CHANGED
    assert list(diff.CHANGE_KEYS) == CHANGE
    assert list(diff.TERM_KEYS) == TERM
    assert list(diff.REFERENCE_KEYS) == REFERENCE
    assert list(conflicts.CONFLICTS_KEYS) == CONFLICTS
    assert list(conflicts.CONFLICT_KEYS) == CONFLICT
    assert list(conflicts.SIDE_KEYS) == CONFLICT_SIDE
    assert list(conflicts.SIDE_RECORD_KEYS) == SIDE_RECORD
    assert list(conflicts.FLAGGED_KEYS) == FLAGGED
    assert list(conflicts.AGAINST_KEYS) == AGAINST


def test_diff_json(secretome, tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(RECORDS, old)
    shutil.copytree(RECORDS, new)
    lung = new / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml"
    lung.write_text(
        lung.read_text(encoding="utf-8").replace("- xie2022\n", "- cai2021\n"), encoding="utf-8"
    )
    (new / "evidence" / "alzheimers-disease-exosomes-microglia-m2.yaml").rename(
        new / "evidence" / "alzheimers-disease-renamed.yaml"
    )
    vocab = new / "vocab" / "pathways.yaml"
    vocab.write_text(
        vocab.read_text(encoding="utf-8").replace(
            "- name: AKT signaling\n", "- name: Hippo\n- name: AKT signaling\n"
        )
    )
    bib = new / "bibliography.yaml"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("key: xie2022", "key: xie2022z"), encoding="utf-8"
    )
    document = secretome("diff", str(old), str(new), "--format", "json").json()
    assert list(document) == DIFF
    assert list(document["old"]) == list(document["new"]) == SIDE
    for key in ("added", "removed"):
        assert document[key]
        assert all(list(r) == RECORD for r in document[key])
    assert document["changed"]
    for changed in document["changed"]:
        assert list(changed) == CHANGED
        assert all(list(c) == CHANGE for c in changed["changes"])
    assert document["vocabulary"] and all(list(t) == TERM for t in document["vocabulary"])
    assert document["bibliography"]
    assert all(list(r) == REFERENCE for r in document["bibliography"])


def test_conflicts_json(secretome):
    document = secretome("conflicts --format json").json()
    assert list(document) == CONFLICTS
    assert document["conflicts"] and document["flagged"]
    for conflict in document["conflicts"]:
        assert list(conflict) == CONFLICT
        for side in conflict["sides"]:
            assert list(side) == CONFLICT_SIDE
            assert all(list(r) == SIDE_RECORD for r in side["records"])
    assert all(list(f) == FLAGGED for f in document["flagged"])
    against = [a for f in document["flagged"] for a in f["against"]]
    assert against and all(list(a) == AGAINST for a in against)
