"""The default answer, --broad, --all, --group-by and the 'which' answer (issue 19), as a user
types them."""

from __future__ import annotations

import csv
import io
import json


def test_an_absent_subject_empties_every_format_and_says_what_the_rest_gives(secretome):
    question = "can Wharton's jelly MSC exosomes treat systemic lupus erythematosus"
    for output in ("json", "jsonl", "tsv", "csv"):
        run = secretome("search", question, "--format", output)
        assert run.code == 1
        assert "no record mentions 'lupus', 'erythematosus'" in run.stderr
        assert "add --broad to see them" in run.stderr
        assert not [line for line in run.stdout.splitlines()[1:] if line.strip()]
    for command in ("export", "cite", "graph"):
        run = secretome(command, question)
        assert run.code == 1, command
        assert "no record mentions 'lupus'" in run.stderr


def test_broad_adds_the_related_records_marked_in_every_format(secretome):
    answer = secretome("search", "endometrial cancer", "--json").json()
    assert [d["id"] for d in answer] == ["endometrial-cancer-mir-302a-cyclin-d1-akt"]
    assert all(d["related"] is False for d in answer)
    broad = secretome("search", "endometrial cancer", "--broad", "--json").json()
    assert broad[0]["id"] == "endometrial-cancer-mir-302a-cyclin-d1-akt"
    assert not broad[0]["related"]
    assert len(broad) > 1 and all(d["related"] for d in broad[1:])
    rows = list(
        csv.reader(
            io.StringIO(
                secretome("search", "endometrial cancer", "--broad", "--format", "csv").stdout
            )
        )
    )
    assert rows[0][-1] == "related"
    assert rows[1][-1] == "" and all(row[-1] == "related" for row in rows[2:])
    table = secretome(
        "search", "endometrial cancer", "--broad", "--format", "table", env={"COLUMNS": "160"}
    )
    assert "Related records" in table.stdout


def test_all_keeps_only_the_records_matching_every_part(secretome):
    every = secretome("search", "IL-10 TGF-β", "--all", "--json").json()
    assert every
    for doc in every:
        names = {f["name"] for f in doc["factors"]} | {t["name"] for t in doc["targets"]}
        assert not doc["unmatched"], doc["id"]
        assert names or doc["claim"]
    assert secretome("search", "x", "--broad", "--all").code == 2


def test_cite_export_and_graph_take_the_default_answer(secretome):
    found = {d["id"] for d in secretome("search", "endometrial cancer", "--json").json()}
    exported = {d["id"] for d in json.loads(secretome("export", "endometrial cancer").stdout)}
    assert exported == found
    broad = json.loads(secretome("export", "endometrial cancer", "--broad").stdout)
    assert len(broad) > len(found)


def test_which_opens_the_table_with_the_entities_asked_for(secretome):
    run = secretome(
        "search", "which miRNAs act on colitis", "--format", "table", env={"COLUMNS": "100"}
    )
    assert run.code == 0
    first = run.stdout.splitlines()[0]
    assert first.startswith("miRNAs in the answer: miR-23b-3p ↑ (1 record; Liu et al. 2023)")


def test_group_by_gives_one_object_or_row_per_entity(secretome):
    run = secretome("search", "which miRNAs act on colitis", "--group-by", "mirna", "--json")
    entities = run.json()
    assert run.code == 0
    assert entities[0] == {
        "kind": "mirna",
        "name": "miR-23b-3p",
        "changes": ["up"],
        "records": ["ulcerative-colitis-mir-23b-3p-ferroptosis"],
        "citation": "Liu et al. 2023",
    }
    tsv = secretome("search", "colitis", "--group-by", "target", "--format", "tsv").stdout
    lines = tsv.splitlines()
    assert lines[0] == "kind\tname\tchanges\trecords\tcitation"
    assert len({line.split("\t")[1] for line in lines[1:]}) == len(lines) - 1
    assert secretome("search", "colitis", "--group-by", "organ").code == 2


def test_a_filter_value_naming_no_term_is_an_error(secretome):
    run = secretome("search", "--disease", "psorasis", "--json")
    assert run.code == 2
    assert run.stdout == ""
    assert "unknown disease 'psorasis'; nearest: " in run.stderr


def test_explain_gives_each_parts_weight_and_whether_it_is_the_subject(secretome):
    run = secretome("search", "which miRNAs act on colitis", "--explain", "--format", "tsv")
    assert "weight " in run.stderr
    assert "subject: names a disease" in run.stderr
    assert "not the subject: a class of factors" in run.stderr
