"""`secretome search` as a user types it: queries, filters, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json

COLITIS_MIRNAS = {
    "ulcerative-colitis-mir-23b-3p-ferroptosis",
    "ulcerative-colitis-mir-378a-5p-pyroptosis",
    "crohns-disease-mir-302d-3p-vegfr3-akt",
}


def test_which_mirnas_act_on_colitis(secretome):
    run = secretome('search "which miRNAs act on colitis" --format json')
    assert run.code == 0
    docs = run.json()
    assert {d["id"] for d in docs[:3]} == COLITIS_MIRNAS  # both parts matched: first
    for doc in docs[:3]:
        assert any(f["class"] == "miRNA" for f in doc["factors"])
        assert doc["unmatched"] == []
    for doc in docs:  # the rest answer the focus (colitis), not miRNAs elsewhere
        assert all("Parkinson" not in d["name"] for d in doc["diseases"])
        assert "colitis" not in doc["unmatched"]


def test_json_flag_is_format_json(secretome):
    assert (
        secretome('search "which miRNAs act on colitis" --json').stdout
        == secretome('search "which miRNAs act on colitis" --format json').stdout
    )


def test_results_are_ranked_best_first(secretome):
    docs = secretome('search "which miRNAs act on colitis" --json').json()
    scores = [d["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)
    assert docs[0]["diseases"][0]["name"] == "ulcerative colitis"


def test_nothing_found_exits_1_and_json_prints_empty_list(secretome):
    run = secretome('search "psoriasis" --format json')
    assert run.code == 1
    assert run.json() == []
    assert "no records match 'psoriasis'" in run.stderr


def test_filters_combine_with_and(secretome):
    both = secretome("search --disease colitis --factor-class miRNA --json").ids()
    disease = set(secretome("search --disease colitis --json").ids())
    mirna = set(secretome("search --factor-class miRNA --json").ids())
    assert set(both) == disease & mirna
    assert set(both) == COLITIS_MIRNAS


def test_query_and_filter_combine(secretome):
    docs = secretome('search "ferroptosis" --disease "ulcerative colitis" --json').json()
    assert docs[0]["id"] == "ulcerative-colitis-mir-23b-3p-ferroptosis"
    assert all("ulcerative colitis" in {d["name"] for d in doc["diseases"]} for doc in docs)


def test_filters_are_hard_even_when_the_question_is_soft(secretome):
    run = secretome('search "ferroptosis" --disease "Parkinson\'s disease" --json')
    assert run.code == 1
    assert run.json() == []
    assert "ferroptosis" in run.stderr


def test_target_filter(secretome):
    assert secretome("search --target SOX4 --json").ids() == ["lung-cancer-mir-320a-sox4-wnt"]


def test_pathway_filter_includes_narrower_pathways(secretome):
    ids = set(secretome("search --pathway NF-kB --json").ids())
    assert "inflammatory-bowel-disease-nedd8-cullin1-crl-nf-kb" in ids  # CRL/NF-κB, under NF-κB
    assert "alzheimers-disease-exosomes-microglia-m2" in ids


def test_tissue_and_model_filters(secretome):
    docs = secretome('search --tissue "Wharton\'s jelly" --model clinical --json')
    assert docs.code in (0, 1)
    wj = secretome("search --tissue WJ --json").json()
    assert wj and all("Wharton's jelly" in d["source"]["tissues"] for d in wj)
    mice = secretome("search --model mouse --json").json()
    assert mice and all("mouse" in d["model"]["organisms"] for d in mice)


def test_limit(secretome):
    assert len(secretome("search cancer --limit 3 --json").json()) == 3


def test_unknown_filter_value_is_an_error_naming_the_nearest_terms(secretome):
    run = secretome("search --disease colitus --json")
    assert run.code == 0  # a typo of a known disease is read as that disease, with a note
    assert "read '--disease colitus' as 'colitis' (spelling)" in run.stderr
    run = secretome('search --disease "lupus erythematosus" --json')
    assert run.code == 2  # a typo cannot be told from an empty answer by exit 1
    assert run.stdout == ""
    assert "unknown disease 'lupus erythematosus'" in run.stderr
    run = secretome("search --disease psorasis --json")
    assert run.code == 2
    assert "unknown disease 'psorasis'; nearest: " in run.stderr


def test_no_query_and_no_filter_is_an_error(secretome):
    run = secretome("search")
    assert run.code == 2
    assert "nothing to search for" in run.stderr


def test_empty_and_overlong_queries_are_errors(secretome):
    assert secretome("search", "").code == 2
    run = secretome("search", "x" * 10_000)
    assert run.code == 2
    assert "too long" in run.stderr
    assert "Traceback" not in run.stderr


def test_tsv_is_the_default_when_not_a_terminal(secretome):
    run = secretome('search "what targets SOX4"')
    lines = run.stdout.splitlines()
    assert lines[0].split("\t")[:4] == ["id", "score", "topic", "diseases"]
    assert lines[1].startswith("lung-cancer-mir-320a-sox4-wnt\t")


def test_csv_parses_back(secretome):
    run = secretome('search "which miRNAs act on colitis" --format csv')
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert {r["id"] for r in rows[:3]} == COLITIS_MIRNAS
    assert "miR-23b-3p (up)" in {r["factors"] for r in rows}


def test_jsonl_is_one_document_per_line(secretome):
    run = secretome('search "which miRNAs act on colitis" --format jsonl')
    docs = [json.loads(line) for line in run.stdout.splitlines()]
    assert {d["id"] for d in docs[:3]} == COLITIS_MIRNAS


def test_table_shows_arrows_mechanism_and_dois(secretome):
    run = secretome('search "ferroptosis" --format table', env={"COLUMNS": "200"})
    assert run.code == 0
    out = run.stdout
    assert "↑ miR-23b-3p" in out
    assert "doi:10.1093/ecco-jcc/jjac190.0030" in out
    assert "Mechanism" in out


def test_explain_says_how_the_query_was_read(secretome):
    run = secretome('search "which miRNAs act on colitus" --explain --json')
    assert "read 'colitus' as 'colitis'" in run.stderr
    assert "factor class: miRNA" in run.stderr
    assert "ignored: which, act, on" in run.stderr
    match = run.json()[0]["match"]
    assert {"query", "field", "value", "how"} <= set(match[0])
    assert any(m["field"] == "diseases" and m["value"] == "ulcerative colitis" for m in match)


def test_invalid_records_are_skipped_with_a_warning(secretome, tmp_path):
    import shutil

    from conftest import FIXTURES, RECORDS

    shutil.copytree(RECORDS, tmp_path / "set")
    bad = FIXTURES / "invalid" / "unknown-field" / "pathway-singular.yaml"
    shutil.copy(bad, tmp_path / "set" / "evidence" / "pathway-singular.yaml")
    run = secretome("search", "--records", str(tmp_path / "set"), "ferroptosis", "--json")
    assert run.code == 0
    assert "skipped 1 invalid record file" in run.stderr
