"""Normalisation rules: which spellings of a term compare equal."""

from __future__ import annotations

import pytest

from secretome_cli.words.normalize import MirnaName, fold, key, mirna, stem, words


@pytest.mark.parametrize(
    "spellings",
    [
        ["TGF-β", "TGF-beta", "TGF beta", "TGF- β", "tgfβ", "TGFb"],
        ["NF-κB", "NF-kB", "NFkB", "NF kappa B", "nf-κb"],
        ["IFN-γ", "IFN-gamma", "IFN gamma"],
        ["TNF-α", "TNF-alpha", "TNF α"],
        ["IL-1β", "IL-1beta", "IL1b"],
        ["PI3K/AKT", "PI3K-Akt", "PI3K AKT", "pi3k/akt"],
        ["Wnt/β-catenin", "wnt beta catenin", "Wnt/beta-catenin"],
        ["Parkinson's", "Parkinsons", "Parkinson’s", "parkinson"],
        ["haemorrhage", "hemorrhage"],
        ["tumour", "tumor"],
        ["glycaemic", "glycemic"],
        ["haematopoietic", "hematopoietic"],
        ["diseases", "disease"],
        ["miRNAs", "mirna"],
    ],
)
def test_equal_keys(spellings):
    assert len({key(s) for s in spellings}) == 1, {s: key(s) for s in spellings}


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("miR-146a", MirnaName("mir146", "a", "")),
        ("mir146a", MirnaName("mir146", "a", "")),
        ("microRNA-146a", MirnaName("mir146", "a", "")),
        ("hsa-miR-146a-5p", MirnaName("mir146", "a", "5p")),
        ("miR-21", MirnaName("mir21", "", "")),
        ("let-7a-5p", MirnaName("let7", "a", "5p")),
        ("Let-7 family", MirnaName("let7", "", "")),
        ("miR-302d-3p", MirnaName("mir302", "d", "3p")),
        ("MIR-3940-5P", MirnaName("mir3940", "", "5p")),
    ],
)
def test_mirna_names(text, parsed):
    assert mirna(text) == parsed


@pytest.mark.parametrize("text", ["miRNAs", "mirror", "NF-κB", "IL-6", "let it be", ""])
def test_not_mirnas(text):
    assert mirna(text) is None


def test_armless_query_covers_every_arm_and_arm_query_only_its_arm():
    query, five, three = mirna("miR-146a"), mirna("miR-146a-5p"), mirna("miR-146a-3p")
    assert query and five and three
    assert query.matches(five) and query.matches(three)
    assert five.matches(five) and not five.matches(three)
    family = mirna("let-7")
    assert family and family.matches(mirna("let-7f-5p"))  # type: ignore[arg-type]


def test_fold_keeps_meaning():
    assert fold("TGF-β1 ↑") == "tgf-b1 ↑"
    assert fold("Crohn’s disease") == "crohn disease"


def test_stem_is_light():
    assert [stem(w) for w in ["colitis", "sclerosis", "therapies", "exosomes", "mscs"]] == [
        "colitis",
        "sclerosis",
        "therapy",
        "exosome",
        "msc",
    ]
    assert words("Hepatocellular carcinomas") == ("hepatocellular", "carcinoma")
