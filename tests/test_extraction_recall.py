"""Extraction measured against corpora of expected claims (tests/seeds, tests/corpus).

The seed pages are the pages the extractor was built on: every must-have claim is found
and no forbidden one. The unseen corpus is pages it was not built on; its floors are
pinned at the measured recall and may only be lowered on purpose, in a reviewed change.
"""
from pathlib import Path

import pytest

from tests.evaluation import evaluate, load_rows

ROOT = Path(__file__).resolve().parent.parent
SEEDS = load_rows(ROOT / "tests" / "seeds" / "expected_claims.csv")
UNSEEN = load_rows(ROOT / "tests" / "corpus" / "unseen" / "expected_claims.csv")

# Measured: must=1 67/70, must=0 14/32, must=-1 reported 0/27.
UNSEEN_FLOOR = {1: 0.95, 0: 0.40}


@pytest.fixture(scope="module")
def seed_score():
    return evaluate(SEEDS, ROOT / "raw")


@pytest.fixture(scope="module")
def unseen_score():
    return evaluate(UNSEEN, ROOT / "tests" / "corpus" / "unseen")


def test_seed_pages_yield_every_must_have_claim(seed_score):
    assert [str(r) for r in seed_score.missed[1]] == []


def test_seed_pages_yield_no_forbidden_claim(seed_score):
    assert [str(r) for r in seed_score.found[-1]] == []


def test_seed_pages_yield_most_should_have_claims(seed_score):
    assert seed_score.recall(0) >= 0.8, seed_score.summary()


def test_unseen_pages_meet_the_recall_floor(unseen_score):
    assert unseen_score.recall(1) >= UNSEEN_FLOOR[1], unseen_score.summary()
    assert unseen_score.recall(0) >= UNSEEN_FLOOR[0], unseen_score.summary()


def test_unseen_pages_yield_no_forbidden_claim(unseen_score):
    assert [str(r) for r in unseen_score.found[-1]] == []


def test_every_evidence_string_is_on_its_page():
    from extractors.patterns import clean
    for rows, folder in ((SEEDS, ROOT / "raw"), (UNSEEN, ROOT / "tests/corpus/unseen")):
        for row in rows:
            page = (folder / row.data["seed"]).read_text(encoding="utf-8")
            assert clean(row.data["evidence"]) in clean(page), str(row)


# --- the real-layouts corpus: pages that look like real captures ------------------------
#
# 32 pages in 15 families (tests/corpus/real-layouts/README.md), every figure from the
# official releases. Scored by figure (tests/evaluation.py, "figure scoring"): metric,
# statistic, unit and value right; the place checked apart. Floors are pinned at the
# measured recall and may only be lowered on purpose, in a reviewed change.

from tests.evaluation import families, score_figures  # noqa: E402

REAL = ROOT / "tests" / "corpus" / "real-layouts"
REAL_ROWS = load_rows(REAL / "expected_claims.csv")

# Measured: 466/467 must-find figures, place right for 466, 0 of 52 traps. The one miss
# is "$124K – $163K+", which this corpus reads as low and high while the seed pages'
# "$55,000–$80,000+" is open-ended above $55,000: the seeds' reading is kept.
REAL_FLOOR = {"found": 0.99, "place": 0.99}
FAMILY_FLOOR = 0.90


@pytest.fixture(scope="module")
def real_score():
    return score_figures(REAL_ROWS, REAL)


def test_real_layout_pages_meet_the_recall_floor(real_score):
    c = real_score.counts()
    assert c["found"] / c["must1"] >= REAL_FLOOR["found"], c
    assert c["place"] / c["must1"] >= REAL_FLOOR["place"], c


@pytest.mark.parametrize("family", range(1, 16))
def test_every_family_of_real_layouts_meets_its_floor(real_score, family):
    pages = {p for p, f in families(REAL / "README.md").items() if family in f}
    c = real_score.counts(pages)
    assert c["must1"] and c["found"] / c["must1"] >= FAMILY_FLOOR, (family, c)


def test_real_layout_pages_fire_no_trap(real_score):
    fired = [str(r) for r in REAL_ROWS if r.must == -1 and real_score.outcome(r) == "fired"]
    assert fired == []


@pytest.mark.parametrize("corpus", ["real-layouts", "holdout", "holdout-2", "holdout-3",
                                    "holdout-4", "unseen"])
def test_every_quote_is_on_its_page(corpus):
    """Every quote is text of the page as read (a text page, or HTML as rendered): a
    claim never says a page states what it does not."""
    from extractors import extract, reading_text
    from extractors.document import document_from_bytes, sniff_format
    folder = ROOT / "tests" / "corpus" / corpus
    for page in sorted(folder.glob("*.*")):
        if page.name in ("README.md", "expected_claims.csv"):
            continue
        data = page.read_bytes()
        doc = document_from_bytes(data, source_id="p", path=page.name,
                                  format=sniff_format(data, page.name))
        text = reading_text(doc)
        claims = extract(doc)
        assert [c.quote for c in claims if c.quote not in text] == [], page.name
        assert all(c.figure.replace(" ", "") in c.quote.replace(" ", "") for c in claims
                   if c.unit not in ("category", "boolean")), page.name


def test_every_figure_of_a_real_layout_page_is_accounted_for(real_score):
    """Nothing is silently dropped: each figure is read or has a reason it was not."""
    from extractors import read
    from extractors.document import document_from_bytes, sniff_format
    for page in real_score.claims:
        data = (REAL / page).read_bytes()
        reading = read(document_from_bytes(data, source_id="p", path=page,
                                           format=sniff_format(data, page)))
        assert reading.notes and all(n.read or n.reason for n in reading.notes), page
        ids = {c.claim_id for c in reading.claims}
        assert all(set(n.claim_ids) <= ids for n in reading.notes), page


# --- the held-out corpus: ten pages written without looking at the code ---------------
#
# Measured before any change was made for it: 119/175 must-find figures (68%), 2 of 62
# traps. The kinds of miss were then fixed in general (see git log); now 174/175, 0 traps.
# It is no longer unseen: its floor guards against regressions.

HOLDOUT = ROOT / "tests" / "corpus" / "holdout"
HOLDOUT_ROWS = load_rows(HOLDOUT / "expected_claims.csv")


def test_holdout_pages_meet_the_recall_floor_and_fire_no_trap():
    score = score_figures(HOLDOUT_ROWS, HOLDOUT)
    c = score.counts()
    assert c["found"] / c["must1"] >= 0.97 and c["place"] / c["must1"] >= 0.97, c
    assert c["fired"] == 0, [str(r) for r in HOLDOUT_ROWS if r.must == -1
                             and score.outcome(r) == "fired"]


# --- the second held-out corpus: ten more pages written blind (two of them PDFs) -----
#
# Measured before any change was made for it (after the first held-out round):
# 160/180 must-find figures (89%), place right for 152 (84%), 7 of 72 traps. The kinds of
# miss were fixed in general; now 179/180 and 2 traps, both the scorer's: a job ad's range
# "$91,000 - $124,000" shares its low end with the page's own median "$91K", and the trap
# rule fires on any shared value.

HOLDOUT2 = ROOT / "tests" / "corpus" / "holdout-2"
HOLDOUT2_ROWS = load_rows(HOLDOUT2 / "expected_claims.csv")


def test_second_holdout_pages_meet_the_recall_floor():
    score = score_figures(HOLDOUT2_ROWS, HOLDOUT2)
    c = score.counts()
    assert c["found"] / c["must1"] >= 0.97 and c["place"] / c["must1"] >= 0.94, c
    assert c["fired"] <= 2, [str(r) for r in HOLDOUT2_ROWS if r.must == -1
                             and score.outcome(r) == "fired"]


# --- the third held-out corpus: twelve pages written blind -----------------------------
#
# Habits none of the others stressed: a metro table, tables whose header spans two lines
# (a PDF brief), occupations side by side, a union scale, a forum thread quoting old
# figures, a news article with wage history, a calculator result, flattened table cells.
# Measured before any change was made for it (after the second round): 176/277 must-find
# figures (64%), place right for 173 (62%), 36 of 181 traps. The kinds of miss were
# fixed in general; now 273/277 (99%) and 9 traps (a bound in a headline, a union rate's
# arithmetic, a difference of two medians …).

HOLDOUT3 = ROOT / "tests" / "corpus" / "holdout-3"
HOLDOUT3_ROWS = load_rows(HOLDOUT3 / "expected_claims.csv")


def test_third_holdout_pages_meet_the_recall_floor():
    score = score_figures(HOLDOUT3_ROWS, HOLDOUT3)
    c = score.counts()
    assert c["found"] / c["must1"] >= 0.93 and c["place"] / c["must1"] >= 0.93, c
    assert c["fired"] <= 10, [str(r) for r in HOLDOUT3_ROWS if r.must == -1
                              and score.outcome(r) == "fired"]


# --- the fourth held-out corpus: twelve pages written blind ----------------------------
#
# An Oregon profile as a PDF of small tables, career-pathway cards, a bilingual page, quick
# facts in <th scope=row>, figures only in an infographic's alt text, footnote letters glued
# to numbers, a wage trend with years as rows, whole-dollar hourly wages, a "best cities"
# list with cost-of-living-adjusted pay, a career-change blog, a print capture with page
# headers mid-table, a school brochure. Measured before any change was made for it (after
# the third round): 223/275 must-find figures (81%), place right for 203 (74%), 15 of 195
# traps. Fixed by kind: now 263/275 (96%), place 260 (95%), 4 traps.

HOLDOUT4 = ROOT / "tests" / "corpus" / "holdout-4"
HOLDOUT4_ROWS = load_rows(HOLDOUT4 / "expected_claims.csv")


def test_fourth_holdout_pages_meet_the_recall_floor():
    score = score_figures(HOLDOUT4_ROWS, HOLDOUT4)
    c = score.counts()
    assert c["found"] / c["must1"] >= 0.94 and c["place"] / c["must1"] >= 0.93, c
    assert c["fired"] <= 5, [str(r) for r in HOLDOUT4_ROWS if r.must == -1
                             and score.outcome(r) == "fired"]
