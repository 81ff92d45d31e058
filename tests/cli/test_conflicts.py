"""`secretome conflicts`: where the bundled records disagree, found from the records
themselves (the ids are looked up in the export, not written down here)."""

from __future__ import annotations

import pytest

WNT = "Wnt/β-catenin"


@pytest.fixture
def wnt_records(secretome) -> dict[str, set[str]]:
    """The ids of the IBD records that activate Wnt/β-catenin and of the cancer records that
    inhibit it, read from the exported records."""
    docs = secretome(f"export --pathway {WNT} --format json").json()
    found: dict[str, set[str]] = {"up": set(), "down": set()}
    for doc in docs:
        names = {d["name"] for d in doc["diseases"]} | {
            p for d in doc["diseases"] for p in d["parents"]
        }
        for pathway in doc["pathways"]:
            if pathway["name"] != WNT:
                continue
            if pathway["change"] == "activated" and "inflammatory bowel disease" in names:
                found["up"].add(doc["id"])
            if pathway["change"] == "inhibited" and "cancer" in names:
                found["down"].add(doc["id"])
    assert found["up"] and found["down"]
    return found


def wnt_conflict(document):
    (conflict,) = [c for c in document["conflicts"] if c["entity"] == WNT]
    return conflict


def test_wnt_differs_between_the_ibd_and_the_cancer_records(secretome, wnt_records):
    run = secretome("conflicts --format json")
    assert run.code == 0
    conflict = wnt_conflict(run.json())
    assert conflict["kind"] == "pathway"
    up, down = conflict["sides"]
    assert up["direction"] == "up" and down["direction"] == "down"
    assert wnt_records["up"] <= {r["id"] for r in up["records"]}
    assert wnt_records["down"] <= {r["id"] for r in down["records"]}
    assert "inflammatory bowel disease" in up["diseases"]
    assert "lung cancer" in down["diseases"]
    assert conflict["shared_diseases"] == []  # the difference follows the disease context
    for side in (up, down):
        for rec in side["records"]:
            assert rec["citations"], rec["id"]
            assert set(rec["citations"]) <= set(side["citations"])


def test_records_flagged_as_contradictory_are_listed(secretome):
    document = secretome("conflicts --format json").json()
    exported = secretome("export --format json").json()
    contradictory = {d["id"] for d in exported if "internal-contradiction" in d["flags"]}
    flagged = {f["id"]: f for f in document["flagged"]}
    assert contradictory <= set(flagged)


def test_pro_tumour_records_are_the_flagged_ones_each_against_anti_tumour_records(secretome):
    document = secretome("conflicts --format json").json()
    exported = {d["id"]: d for d in secretome("export --format json").json()}
    pro_tumour = {i for i, d in exported.items() if "pro-tumour" in d["flags"]}
    listed = {f["id"]: f for f in document["flagged"] if "flag pro-tumour" in f["reasons"]}
    assert pro_tumour and set(listed) == pro_tumour
    # a record saying tumour-promoting miRNAs are absent is no pro-tumour finding
    assert "composition-exosome-lacks-tumour-promoting-mirnas" not in listed
    for flagged in listed.values():
        for against in flagged["against"]:
            other = exported[against["id"]]
            assert "pro-tumour" not in other["flags"] and other["topic"] != "limitation"
            assert any(d["category"] == "cancer" for d in other["diseases"])
            names = {i["name"] for k in ("factors", "targets", "pathways") for i in other[k]}
            assert set(against["shared"]) <= names
    # a pro-tumour finding naming Wnt signalling meets the cancer records that inhibit it
    inhibiting = {
        i
        for i, d in exported.items()
        if "pro-tumour" not in d["flags"]
        and any(d_["category"] == "cancer" for d_ in d["diseases"])
        and d["topic"] != "limitation"
        and any(p["name"] == WNT and p["change"] == "inhibited" for p in d["pathways"])
    }
    wnt_flagged = [
        f
        for f in listed.values()
        if any(p["name"] == "Wnt signaling" for p in exported[f["id"]]["pathways"])
    ]
    assert inhibiting and wnt_flagged
    for flagged in wnt_flagged:
        assert inhibiting <= {a["id"] for a in flagged["against"]}


def test_pro_tumour_pairs_in_tsv_and_table(secretome):
    document = secretome("conflicts --format json").json()
    pairs = {(f["id"], a["id"]) for f in document["flagged"] for a in f["against"]}
    tsv = secretome("conflicts --format tsv").stdout.splitlines()
    rows = [line.split("\t") for line in tsv[1:]]
    assert {(r[1], r[4]) for r in rows if r[0] == "against"} == pairs
    table = secretome("conflicts cancer --format table").stdout
    assert "Pro-tumour findings against anti-tumour records" in table


def test_filters_choose_the_records(secretome, wnt_records):
    narrowed = secretome(f"conflicts --pathway {WNT} --format json").json()
    assert WNT in [c["entity"] for c in narrowed["conflicts"]]
    assert narrowed["records"] < secretome("conflicts --format json").json()["records"]
    ibd_only = secretome("conflicts --disease IBD --format json").json()
    assert WNT not in {c["entity"] for c in ibd_only["conflicts"]}


def test_tsv_and_table(secretome, wnt_records):
    tsv = secretome("conflicts --format tsv").stdout.splitlines()
    assert tsv[0] == "kind\tentity\tdirection\tchanges\trecords\tdiseases\tcitations"
    rows = [line.split("\t") for line in tsv[1:]]
    wnt = [r for r in rows if r[:2] == ["pathway", WNT]]
    assert [r[2] for r in wnt] == ["up", "down"]
    assert wnt_records["down"] <= set(wnt[1][4].split("; "))
    table = secretome("conflicts --format table").stdout
    assert "Directions that differ between records" in table
    assert WNT in table


def test_nothing_to_report(secretome):
    run = secretome('conflicts --disease "Crohn\'s disease" --format json')
    assert run.code == 1
    assert run.json()["conflicts"] == []
    assert "no conflicting directions" in run.stderr
