"""Question → reading, as a table: how each part of a question is read (what it names), whether
it is the question's subject, and what the answer then holds. One row per behaviour of issue
19; a new reading rule adds a row."""

from __future__ import annotations

import pytest
from conftest import RECORDS

from secretome_cli.search.groups import asked_kind
from secretome_cli.search.outcome import BROAD, UnknownValue
from secretome_cli.search.rank import Filters, Searcher
from secretome_cli.search.subject import Absence, concept_subject, named_by_form, word_subject


@pytest.fixture(scope="module")
def searcher() -> Searcher:
    from secretome_cli.files.layout import locate
    from secretome_cli.index.opening import load

    return Searcher(load(locate(RECORDS)))


# (question, {part: (read as (start of), is it the subject)})
READINGS = [
    (
        "which miRNAs act on colitis",
        {"miRNAs": ("factor", False), "colitis": ("disease: ulcerative colitis", True)},
    ),
    (
        "can umbilical cord MSC exosomes treat lupus",
        {
            "umbilical cord": ("tissue", False),
            "exosomes": ("factor: exosomes; fraction", False),
            "lupus": ("text: lupus", True),
        },
    ),
    ("sepsis exosomes", {"sepsis": ("text: sepsis", True)}),
    (
        "how do exosomes heal the gut lining",  # 'lining': one record uses it, but it is an
        # ordinary English word (Zipf 3.9), so not the subject
        {"gut": ("organ", True), "heal": ("text", False), "lining": ("text", False)},
    ),
    (
        "reducing neuroinflammation with cord MSC exosomes",  # few records, rare in English
        {"neuroinflammation": ("text", True)},
    ),
    ("stroke", {"stroke": ("disease: stroke", True)}),
    ("brain bleed", {"brain bleed": ("disease: intracerebral hemorrhage", True)}),
    ("bowel inflammation", {"bowel inflammation": ("disease: inflammatory bowel disease", True)}),
    ("heart attack", {"heart attack": ("disease: acute myocardial infarction", True)}),
    ("failing kidneys", {"failing kidneys": ("disease: chronic kidney disease", True)}),
    (
        "arthritis",
        {"arthritis": ("disease: osteoarthritis, rheumatoid arthritis", True)},
    ),
    ("what reduces liver fibrosis", {"liver fibrosis": ("text: liver fibrosis", True)}),
    ("UC", {"UC": ("disease: ulcerative colitis; tissue: umbilical cord", True)}),
    ("do cord vesicles outperform methotrexate", {"outperform": ("text", False)}),
    (  # a common English word alone is no partial name ('multiple' of multiple sclerosis)
        "multiple miRNAs in cord exosomes",
        {"multiple": ("text", False), "miRNAs": ("factor", False)},
    ),
    (  # an ICD word ('overactive bladder'), but an adjective's ending: an ordinary word
        "how does the cord secretome quiet an overactive immune system",
        {"overactive": ("text", False)},
    ),
    ("shingles nerve pain", {"shingles nerve pain": ("text: shingle nerve pain", True)}),
    ("kidney stones", {"kidney stones": ("text: kidney stone", True)}),  # a condition's head
    ("heart failure", {"heart failure": ("text: heart failure", True)}),  # no heart disease
    ("septic shock", {"septic shock": ("text: septic shock", True)}),
    ("antiangiogenic", {"antiangiogenic": ("text: anti angiogenic", False)}),  # anti-angiogenic
    ("oesophageal cancer", {"oesophageal": ("text: esophageal", True)}),  # before a head
    ("cisplatin-induced kidney injury", {"cisplatin-induced": ("text: cisplatin", True)}),
    ("ALS", {"ALS": ("text: als", True)}),  # the abbreviation, not the 'al' of 'et al.'
]


@pytest.mark.parametrize(("question", "parts"), READINGS, ids=[q for q, _ in READINGS])
def test_each_part_is_read_and_judged_as_the_table_says(searcher, question, parts) -> None:
    outcome = searcher.search(question, Filters(), breadth=BROAD)
    readings = {r.text: r for r in outcome.readings}
    for text, (read_as, subject) in parts.items():
        assert text in readings, (question, list(readings))
        reading = readings[text]
        assert reading.read_as.startswith(read_as), (text, reading.read_as)
        assert reading.subject is subject, (text, reading.why)
        assert reading.why
        assert reading.weight is not None and reading.weight > 0


# (question, records in the answer that must be there, records that must not be)
ANSWERS = [
    (
        "endometrial cancer",
        {"endometrial-cancer-mir-302a-cyclin-d1-akt"},
        {"antitumor-context-dependent-dual-role"},
    ),
    ("stroke", {"intracerebral-hemorrhage-exosomes-tlr4-nf-kb"}, set()),
    (
        "arthritis",
        {
            "ppt-adipose-msc-secretome-osteoarthritis-registered-study",
            "rheumatoid-arthritis-evs-synoviocytes",
        },
        set(),
    ),
    (
        "bowel inflammation",
        {"inflammatory-bowel-disease-exosomes-mucosal-healing"},
        {"rheumatoid-arthritis-evs-synoviocytes"},
    ),
    # a typo that is an English word, before a disease's head: not a disease no record holds
    ("prostrate cancer p53", {"prostate-cancer-evs-pi3k-akt-p53"}, set()),
    # an organ and 'cancer' far apart name no one disease ('heart' … 'cancer drugs')
    (
        "protecting the heart from damage caused by cancer drugs",
        {"ppt-table-iii-secretome-differentiation-protection"},
        set(),
    ),
    (  # a long question with a rare but ordinary word ('regrow') in it
        "How does miR-100 from umbilical cord MSC exosomes help the damaged intestinal lining "
        "regrow in inflammatory bowel disease, and which Wnt inhibitors does it switch off?",
        {"inflammatory-bowel-disease-mir-100-wnt-dkk1-znrf3"},
        set(),
    ),
    # 'X-derived' is the tissue X ('amnion' is an alias of the amniotic membrane)
    (
        "amnion-derived stem cells are immunosuppressive",
        {"ppt-am-uc-ucb-msc-immunosuppression"},
        set(),
    ),
    # the commonest words of a plain question that match nothing do not outweigh the rest
    (
        "will my body reject cells from someone else's cord",
        {"immunomodulation-huc-msc-low-immunogenicity"},
        set(),
    ),
    ("SCI regenerative miRNAs", {"perspective-mirnas-neurodegeneration-spinal-cord-injury"}, set()),
    # a factor named with a disease: the records naming both
    (
        "miR-146a in ovarian cancer",
        {"ovarian-cancer-mir-146a-lamc2"},
        {"ovarian-cancer-mir-18a-5p-chemoresistance"},
    ),
    (  # ... or the factor with one of the places, rather than the places without it
        "What does the let-7 family of miRNAs in cord MSC exosomes do in the gut and in tumours?",
        {"inflammatory-bowel-disease-let-7-paneth-cells", "antitumor-ev-mirnas-pi3k-stat3-wnt"},
        set(),
    ),
    (  # a drug does not narrow: a record on chemoresistance that names none answers
        "ovary tumours that resist taxanes",
        {"ovarian-cancer-mir-146a-lamc2", "ovarian-cancer-mir-18a-5p-chemoresistance"},
        set(),
    ),
    (
        "SOX4 in Parkinson's disease",
        {"parkinsons-disease-gdnf-bdnf"},
        {"lung-cancer-mir-320a-sox4-wnt"},
    ),
]


@pytest.mark.parametrize(("question", "present", "absent"), ANSWERS, ids=[a[0] for a in ANSWERS])
def test_the_default_answer_holds_the_records_about_the_subject(
    searcher, question, present, absent
) -> None:
    outcome = searcher.search(question, Filters())
    answer = {r.doc["id"] for r in outcome.results if not r.related}
    assert present <= answer
    assert not absent & answer


EMPTY = [
    (
        "can umbilical cord MSC exosomes restore the Treg/Th17 balance in systemic lupus "
        "erythematosus",
        "'lupus'",
    ),
    ("sepsis exosomes", "'sepsis'"),
    ("glaucoma and MSC secretome", "'glaucoma'"),
    ("GVHD and umbilical cord exosomes", "'GVHD'"),
    ("graft-versus-host disease exosomes", "graft-versus-host disease"),
    ("bone repair", "'bone'"),
    ("testicular cancer", "'testicular'"),
    ("cisplatin-induced acute kidney injury hUC-MSC exosomes", "'cisplatin-induced'"),
    ("ALS patients and cord MSC exosomes", "'ALS'"),
    ("renal cell carcinoma hUC-MSC EVs", "no record is about 'renal' and 'carcinoma' together"),
    # a word of ICD-10-CM's disease names, not common English, and nothing else named
    ("acne scars Wharton's jelly conditioned medium", "'acne'"),
    ("migrane headaches cord stem cell exosomes", "'headaches'"),
    # a typo nearer to a disease no record names ('migraine') than to a record's word
    # ('migrate'): not corrected
    ("migrane and cord stem cell exosomes", "'migrane'"),
    # a miRNA or molecule no term names is matched by its whole name ('PD' alone is an
    # abbreviation of Parkinson's disease); a number is part of the name it is written in
    ("exosomal miR-155 from umbilical cord MSCs", "'miR-155'"),
    ("PD-L1 on hUC-MSC extracellular vesicles", "'PD-L1'"),
    ("5-fluorouracil resistant colorectal cancer cells", "'5-fluorouracil'"),
    # 'healing' alone is no partial name of wound healing: the tendon is the subject
    ("tendon rupture healing with umbilical cord MSC exosomes", "'tendon'"),
]


@pytest.mark.parametrize(("question", "named"), EMPTY, ids=[e[0] for e in EMPTY])
def test_an_absent_subject_empties_the_answer_and_is_named(searcher, question, named) -> None:
    outcome = searcher.search(question, Filters())
    assert [r for r in outcome.results if not r.related] == []
    assert any(named in note for note in outcome.notes), outcome.notes
    broad = searcher.search(question, Filters(), breadth=BROAD)
    assert all(r.related for r in broad.results)
    assert len(broad.results) == outcome.rest


def test_a_condition_no_record_names_shows_its_organ_records_as_related(searcher) -> None:
    outcome = searcher.search("what reduces liver fibrosis", Filters())
    assert outcome.results and all(r.related for r in outcome.results)
    assert "no record names liver fibrosis; showing liver records (related)" in outcome.notes


def test_a_filter_value_naming_no_term_is_an_error_with_the_nearest_terms(searcher) -> None:
    with pytest.raises(UnknownValue, match="unknown disease 'psorasis'; nearest: "):
        searcher.search(None, Filters(disease=["psorasis"]))
    corrected = searcher.search(None, Filters(disease=["colitus"]))
    assert corrected.results
    assert "read 'disease colitus' as 'colitis' (spelling)" in corrected.notes


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("which miRNAs act on colitis", "mirna"),
        ("which growth factors does Wharton's jelly secrete", "growth-factor"),
        ("what pathways does miR-146a act on", "pathway"),
        ("what targets SOX4", None),  # 'targets' is the verb here
        ("colitis", None),
    ],
)
def test_which_questions_ask_for_a_kind(question, kind) -> None:
    assert asked_kind(question) == kind


@pytest.mark.parametrize(
    ("text", "named"),
    [("ALS", True), ("glaucoma", True), ("psoriasis", True), ("lining", False), ("help", False)],
)
def test_named_by_form(text, named) -> None:
    assert (named_by_form(text) is not None) is named


@pytest.mark.parametrize(
    ("text", "absence", "named"),
    [
        ("lupus", Absence(cue=False, before_head=False, other_subject=True), True),  # -us, rare
        ("sepsis", Absence(cue=False, before_head=False, other_subject=True), True),  # -sis, rare
        ("outperform", Absence(cue=False, before_head=False, other_subject=True), False),
        # rare, and nothing else named; but 'outperform' is 'out' + 'perform'
        ("gout", Absence(cue=False, before_head=False, other_subject=False), True),
        ("outperform", Absence(cue=False, before_head=False, other_subject=False), False),
        ("newborns", Absence(cue=True, before_head=False, other_subject=True), False),  # common
        ("clumping", Absence(cue=False, before_head=False, other_subject=True), False),
        # 're' + 'grow': an everyday prefix and a common word, however rare the whole
        ("regrow", Absence(cue=False, before_head=False, other_subject=True), False),
        ("sensorineural", Absence(cue=False, before_head=False, other_subject=True), True),
        ("alcohol", Absence(cue=False, before_head=True, other_subject=False), True),
        ("thyroid", Absence(cue=False, before_head=False, other_subject=True, modifies=True), True),
        (
            "advanced",
            Absence(cue=False, before_head=False, other_subject=True, modifies=True),
            False,
        ),
    ],
)
def test_a_word_no_record_holds_is_judged_by_evidence(text, absence, named) -> None:
    assert word_subject(text, condition=False, weak=False, absent=absence)[0] is named


@pytest.mark.parametrize(
    ("kinds", "subject"),
    [
        ({"disease"}, True),
        ({"tissue"}, False),
        ({"factor", "fraction"}, False),  # exosomes
        ({"factor", "factor_class"}, False),  # miRNAs
        ({"disease", "tissue"}, True),  # UC
        ({"factor"}, True),
    ],
)
def test_which_kinds_name_a_subject(kinds, subject) -> None:
    assert concept_subject(kinds)[0] is subject


@pytest.mark.parametrize(
    ("word", "common"),
    [("release", True), ("control", True), ("lining", True), ("neuroinflammation", False)],
)
def test_common_english_words_come_from_the_word_list(word, common) -> None:
    from secretome_cli.search.tuning import SPECIFIC_ZIPF
    from secretome_cli.words.english import common_zipf

    assert (common_zipf(word) >= SPECIFIC_ZIPF) is common
