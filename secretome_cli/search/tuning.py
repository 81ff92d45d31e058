"""Every tuning number of the query parser and the ranking, each with its reason.

Change one here and run `make eval`: the question suite (tests/eval/) guards recall, the share
of relevant records over the whole answer, the reciprocal rank of the first relevant record and
the empty answers of the negatives. A number in the middle of a function is one nobody finds.
"""

from __future__ import annotations

# --- reading the question (parse.py) ------------------------------------------------------

MAX_PHRASE = 6
"""Longest run of tokens read as one vocabulary label ('type 1 diabetes mellitus')."""

PARTIAL_WINDOW = 3
"""Longest run of tokens read as part of a longer label ('colitis' of 'ulcerative colitis')."""

FUZZY_PHRASE_CUTOFF = 88.0
"""Least RapidFuzz ratio (0-100) at which a mistyped phrase is read as a vocabulary label:
below it, 'colitis' and 'cystitis' would meet."""

FUZZY_FILTER_SLACK = 4.0
"""How much lower the cutoff is for a filter value, which names one kind of term only."""

FUZZY_WORD_CUTOFF = 84.0
"""Least ratio at which a single mistyped word is read as a word of the records."""

SUGGEST_CUTOFF = 75.0
"""Least ratio at which a vocabulary name is offered as 'did you mean'."""

ENGLISH_ZIPF = 2.6
"""A word no record holds that is at least this common in general English (its Zipf frequency
in `wordfreq`: 'shingles' 3.1, 'atrial' 3.0) is a word, not a typo, and is never corrected to
a vocabulary term ('arterial'); typos are rarer ('colitus' 0, 'alzheimers' 2.5)."""

MIN_FUZZY_KEY = 5
"""Shortest normalised phrase corrected as a typo: shorter ones are too close to everything."""

MIN_SUGGEST_KEY = 4
"""Shortest text for which names are suggested."""

MIN_PARTIAL_WORD = 4
"""Shortest single word read as a partial name ('colitis', not 'cell')."""

PARTIAL_ZIPF = 4.0
"""...and no single word this common in general English is one: 'multiple' (of multiple
sclerosis: 'multiple miRNAs' is not about it), 'acute', 'healing' (of wound healing) or
'bleeding' (of bleeding in the brain) alone name no disease ('tendon rupture healing' is not
about wounds); 'colitis', 'arthritis' (3.6) and 'bowel' are rarer."""

MIN_SUFFIX_WORD = 6
"""Shortest word read as the end of a longer word of a label ('arthritis' of
'osteoarthritis'): shorter endings ('itis') would meet every inflammation."""

CONDITION_WINDOW = 2
"""How many words before a condition head ('sickle cell disease') belong to its name."""

# --- how well a match shows that a record answers a part (hits.py) -------------------------

QUALITY = {
    "field": 1.0,
    "narrower": 0.9,
    "context": 0.8,
    "organ": 0.8,
    "broader": 0.65,
    "text": 0.6,
    "broader disease": 0.6,
    "root disease": 0.3,
    "general": 0.5,
    "related": 0.7,
    "other direction": 0.5,
}
"""The part's term in a structured field; a narrower term there (asked for 'colitis', tagged
'ulcerative colitis'); the disease context; a disease of the organ asked for; a broader tissue
or fraction ('post-partum tissues' for the umbilical cord); a mention in the text; a broader
disease (inflammatory bowel disease for 'colitis'), or the root of the disease's tree ('cancer'
for 'endometrial cancer', which says little); a statement about MSCs in general (for a question
about one tissue); a related
process; the entity asked about, changing otherwise than asked."""

HOW_QUALITY = {
    "name": 1.0,
    "synonym": 1.0,
    "abbreviation": 0.95,
    "miRNA arm": 0.95,
    "miRNA family": 0.9,
    "arm not stated": 0.8,
    "marker": 0.9,
    "partial name": 0.7,
    "typo": 0.9,
}
"""How surely the question's words name the term: by name or synonym, by an abbreviation that
may name other things, by a miRNA's family or a name that leaves the arm open, by part of
its name, or after a spelling correction."""

OTHER_HOW_QUALITY = 0.9
"""Any other way of naming a term."""

WORD_FORM = {"word": 1.0, "stem": 0.95, "root": 0.7}
"""How a word of the question meets the records' words: as written, in another inflection
(same Snowball stem), or as a derivational relative (same root: injured / injury)."""

MIN_STRENGTH = 0.3
"""The least a text match of a word counts, as a share of the best BM25 match of that word."""

# --- how much each part weighs -----------------------------------------------------------

WORD_WEIGHT = 2.0
"""The weight of a content word of the question, before its rarity."""

WEAK_SHARE = 0.25
"""What a content-light word ('help', 'repair') weighs, as a share of a content word."""

KIND_WEIGHT = {"organ": 2.5, "citation": 3.0, "process": 2.0}
"""Weights of parts that are not one record field (the fields' weights are in the registry)."""

STRONG = 0.75
"""A match at least this good says a record is about the part: how rare a part is counts the
records it matches this well (a disease's tagged records, not those that mention it)."""

RARITY_FLOOR = 0.35
"""What a part every record matches still counts, as a share of its weight; a part one
record matches counts whole, and between the two it falls with the log of the share."""

# --- which records are shown ---------------------------------------------------------------

RELATIVE_CUTOFF = 0.3
"""A result scoring less than this share of the best result is dropped."""

MIN_COVERAGE = 0.4
"""When the parts of a question that some record matches weigh less than this share of the
whole question, nothing is shown: the question is about something the records do not hold."""

COVERAGE_ZIPF = 5.0
"""...counting no unmatched ordinary word this common in general English ('my' 7.4,
'someone' 5.5, 'keep' 5.7, 'people' 6.2): in 'will my body reject cells from someone else's
cord' they outweighed the parts that match, and a plain question came back empty. On the
tuning set recall went from 0.877 to 0.897 and empty answers from 4% to 1%; one negative of
the 2026-12-08 hold-out ('white patches of skin losing colour') is now answered."""

COVERAGE_FLOOR = 0.5
"""In that coverage, a matched part counts at least this share of its weight however weakly
it matches (the rest by how well its best record matches)."""

FOCUS_SHARE = 0.6
"""A part is in the question's focus when its weight is at least this share of the heaviest
matched part's; a record must match some part of the focus."""

DIRECT = 0.34
"""The least match of a subject part that makes a record part of the answer rather than a
related record: a mention in the record's text (0.6), a broader disease (0.6), the entity
changing otherwise than asked (0.5) count; the root of a disease's tree (0.35) or a word in the
curators' notes (0.6 times 0.35) do not, unless no record matches the part better."""

DIRECT_WORD = MIN_STRENGTH
"""The same for a word of the question, whose text matches count by their BM25 strength
relative to the best: any mention in the record's text, not a passing one in the notes."""

CATEGORY_SIZE = 3
"""A disease term with more terms under it than this names a class of diseases ('cancer': 15,
'neurological disorder': 11), not one disease ('inflammatory bowel disease': 3). Asked with an
organ ('kidney cancer', 'renal cell carcinoma'), it asks for that organ's diseases of the class:
when no record is about both, the answer is empty."""

SPECIFIC_SHARE = 0.1
"""A word of the question that at most this share of the records use ('neuroinflammation',
'lymphangiogenesis') names the question's subject as a vocabulary term would."""

SPECIFIC_ZIPF = 3.0
"""...and that is rarer than this in general English (not among wordfreq's common words):
'neuroinflammation', 'glycaemic', 'leukocyte' and 'microglia' name what a question is about;
'release' (5.1), 'control' (5.4), 'identify' (4.6) or 'restoring' (3.7) are ordinary words
that the records happen to use rarely, and a question naming them is about something else.
On the suite, promoting ordinary words cost recall (0.954 → 0.953), MRR (0.941 → 0.933) and
share (0.788 → 0.760)."""

# --- telling a named thing from an ordinary word ------------------------------------------

RARE_ZIPF = 3.4
"""A word of the question that matches no record may name a thing (a disease, a drug) rather
than an ordinary word when it is rarer than this in general English: its Zipf frequency in
`wordfreq` (3.4: about once in 400 000 words; 'lupus' 3.2, 'sepsis' 3.0; 'beforehand' 3.6,
'obstacle' 3.7 and 'newborn' 3.8 are ordinary words of the question suite)."""

MODIFIER_ZIPF = 4.0
"""A word no record holds that stands just before a disease's head word, or names the cause
of a condition ('X-induced'), names the kind of disease (its organ, tissue or cause) when it
is rarer than this in general English: organ and tissue adjectives are rarer ('cardiac' 3.9,
'gastric' 3.3, 'renal' 3.4, 'testicular' 3.0, 'oesophageal' 2.1), while the ordinary words of a
disease's stage or course are commoner ('aggressive' 4.3, 'childhood' 4.2, 'advanced' 4.7,
'early' 5.4), and the answer stays when they match nothing."""

MEDICAL_ZIPF = 4.0
"""A word no record holds that is a word of ICD-10-CM's names of diseases and injuries
(`words/medical.py`) names a thing when it is rarer than this in general English and no other
part of the question names a subject: 'acne' (3.7), 'headache' (4.0), 'tendon' (3.3), 'asthma'
(3.7) do; 'depression' (4.6), 'healing' (4.2), 'hair' (5.1) and 'loss' (5.1) are ordinary words
that also name diseases. So bounded, ICD words empty no answerable question of the suite or
of the three hold-out sets of 2026-12-07/08; taken whatever the other parts (at Zipf 3.4),
they cost recall on the 2026-12-08 hold-out (0.952 to 0.940: 'tremor', 'newborn' and
'sodium' are ICD words too)."""

VERY_RARE_ZIPF = 2.5
"""A word no record holds that is rarer than this in general English ('sensorineural' 1.9,
'semaglutide' 0, a typo nothing is near) is taken for a name whatever its ending: the
ordinary words of the question suite that no record holds are all commoner ('lymphatic' 2.8,
'outperform' 3.0)."""

MIN_NAMED_LENGTH = 5
"""Shortest word whose ending alone makes it a disease's name ('asthma' no, 'ataxia' yes)."""

NEAREST_CUTOFF = 60.0
"""Least RapidFuzz WRatio at which a term is named as near an unknown filter value: lower than
`SUGGEST_CUTOFF`, since an error message should always point somewhere."""
