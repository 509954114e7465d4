"""Tests for extractors.patterns: the regex vocabulary and its parsers.

Two kinds of test live here:

* property tests (hypothesis) that format numbers, ranges, percentages and years the way
  pages print them and check the parsers read them back, and that no parser raises or
  reports offsets that do not point at its text;
* example tables of real phrasings from career pages, grouped by kind, one row per
  phrasing and identified by it.

Phrasings the parsers get wrong today are rows made with `(...)`: a strict xfail whose
reason says what goes wrong, so that a fix (intended or not) makes the row XPASS and fail
until it is turned into an ordinary example.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from extractors.patterns import (
    MASK_CUE,
    MASKED,
    NUMBER_TOKEN,
    _mask_cue,
    _number_tokens,
    scan,
    Figure,
    Period,
    certification_statement,
    find_counts,
    find_durations,
    find_education,
    find_money,
    find_percents,
    find_periods,
    normalise_geography,
    normalise_level,
    parse_money,
    parse_percent,
    parse_period,
)
from schemas.vocabulary import EDUCATION_LEVELS


# --- helpers -------------------------------------------------------------------------

def examples(*rows):
    """Table rows as pytest params identified by their first field (the page's words).

    Rows already made with `pytest.param` (such as `bug` rows) pass through untouched."""
    return [row if type(row) is not tuple else pytest.param(*row, id=str(row[0]) or "<empty>")
            for row in rows]


def bug(*row, reason: str, raises: type[Exception] = AssertionError):
    """A row the parser gets wrong today: strict xfail, so an accidental fix is noticed.

    Only the expected failure (`raises`) counts; any other error still fails the row."""
    return pytest.param(*row, id=f"BUG:{row[0]}",
                        marks=pytest.mark.xfail(strict=True, raises=raises, reason=reason))


def dollars(whole: int, cents: int | None = None, commas: bool = True) -> str:
    """An amount as pages print it: "$12,345", "$12,345.67", "$12345"."""
    text = f"{whole:,}" if commas else str(whole)
    if cents is not None:
        text += f".{cents:02d}"
    return "$" + text


def reading(figure: Figure):
    """A figure in one comparable form: its value, or (low, high) when it is a range."""
    return (figure.low, figure.high) if figure.is_range else figure.value


DASHES = ["-", "–", "—"]  # hyphen-minus, en dash, em dash
SPACING = ["", " "]


# --- properties: dollar amounts ------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(whole=st.integers(0, 10_000_000), cents=st.none() | st.integers(0, 99),
       commas=st.booleans())
def test_money_amount_round_trips(whole, cents, commas):
    text = dollars(whole, cents, commas)
    figure = parse_money(text)
    assert figure is not None, text
    assert figure.text == text
    assert not figure.is_range
    expected = float(text[1:].replace(",", ""))
    assert figure.value == expected
    assert figure.precision == (1.0 if cents is None else 0.01)


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(0, 999), tenths=st.none() | st.integers(0, 9),
       suffix=st.sampled_from(["K", "k"]))
def test_money_thousands_round_trip(whole, tenths, suffix):
    number = str(whole) if tenths is None else f"{whole}.{tenths}"
    figure = parse_money(f"${number}{suffix}")  # "$49K", "$49.5K"
    assert figure is not None
    assert figure.value == whole * 1000 + (tenths or 0) * 100
    assert figure.precision == pytest.approx(1000.0 if tenths is None else 100.0)


# --- properties: dollar ranges -------------------------------------------------------

ordered_pairs = st.tuples(st.integers(0, 10_000_000), st.integers(0, 10_000_000)).map(sorted)
separators = st.one_of(
    st.tuples(st.sampled_from(SPACING), st.sampled_from(DASHES), st.sampled_from(SPACING))
    .map("".join),
    st.just(" to "),
)


@settings(max_examples=200, deadline=None)
@given(pair=ordered_pairs, separator=separators, with_cents=st.booleans())
def test_money_range_round_trips(pair, separator, with_cents):
    low, high = pair
    cents = 0 if with_cents else None
    text = dollars(low, cents) + separator + dollars(high, cents)  # "$35,080 - $77,810"
    figure = parse_money(text)
    assert figure is not None, text
    assert (figure.low, figure.high) == (low, high)
    assert figure.value is None
    assert figure.precision == (0.01 if with_cents else 1.0)


@settings(max_examples=200, deadline=None)
@given(pair=ordered_pairs, dash=st.sampled_from(DASHES))
def test_money_range_with_plus_is_open_ended(pair, dash):
    low, high = pair
    figure = parse_money(f"{dollars(low)}{dash}{dollars(high)}+")  # "$55,000–$80,000+"
    assert figure is not None
    assert figure.is_range
    assert (figure.low, figure.high) == (low, None)


@settings(max_examples=200, deadline=None)
@given(pair=st.tuples(st.integers(0, 10_000_000), st.integers(0, 10_000_000))
       .filter(lambda p: p[0] != p[1]).map(sorted),
       separator=separators)
def test_money_falling_pair_is_not_a_range(pair, separator):
    low, high = pair
    text = dollars(high) + separator + dollars(low)  # "$80,000 - $55,000"
    assert parse_money(text) is None
    figures = find_money(text)
    assert [f.value for f in figures] == [high, low]
    assert not any(f.is_range for f in figures)


# --- properties: percentages ---------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(sign=st.sampled_from(["", "+", "-", "−"]), whole=st.integers(0, 1000),
       decimals=st.integers(0, 2), digits=st.integers(0, 99),
       suffix=st.sampled_from(["%", " percent"]))
def test_percent_round_trips(sign, whole, decimals, digits, suffix):
    number = str(whole) if decimals == 0 else f"{whole}.{digits % 10 ** decimals:0{decimals}d}"
    text = f"{sign}{number}{suffix}"  # "8.5%", "+7%", "-3.25 percent"
    figure = parse_percent(text)
    assert figure is not None, text
    magnitude = float(number)
    assert figure.value == (-magnitude if sign in ("-", "−") else magnitude)
    assert figure.precision == 10.0 ** -decimals


# --- properties: periods -------------------------------------------------------------
# Years are read only as 19xx and 20xx (see the bug rows in the period table), so spans
# here end by 2099.

spans = st.integers(1990, 2090).flatmap(
    lambda start: st.tuples(st.just(start), st.integers(start + 1, min(start + 30, 2099))))


@settings(max_examples=200, deadline=None)
@given(span=spans, form=st.sampled_from(["dash", "from", "parens"]),
       dash=st.sampled_from(DASHES), spacing=st.sampled_from(SPACING))
def test_period_span_round_trips(span, form, dash, spacing):
    start, end = span
    text = {
        "dash": f"{start}{spacing}{dash}{spacing}{end}",  # "2023–2033"
        "from": f"from {start} to {end}",
        "parens": f"({start}{dash}{end})",  # "(2023-2033)"
    }[form]
    period = parse_period(text)
    assert period is not None, text
    assert period.label == f"{start}-{end}"


@settings(max_examples=200, deadline=None)
@given(end=st.integers(1990, 2099), word=st.sampled_from(["through", "thru", "until", "by"]))
def test_period_through_year_is_open_at_the_start(end, word):
    period = parse_period(f"{word} {end}")  # "through 2032"
    assert period is not None
    assert (period.first, period.last, period.label) == (None, end, f"-{end}")


@settings(max_examples=200, deadline=None)
@given(year=st.integers(1990, 2099))
def test_period_lone_year(year):
    period = parse_period(str(year))
    assert period is not None
    assert period.label == str(year)


@settings(max_examples=200, deadline=None)
@given(date=st.dates(), prefix=st.sampled_from(["", "Updated: ", "as of ", "on ", "Published "]),
       suffix=st.sampled_from(["", ".", ";", "T10:30:00Z", " (latest)"]))
def test_iso_date_is_never_a_period(date, prefix, suffix):
    text = f"{prefix}{date.isoformat()}{suffix}"  # "Updated: 2026-01-09"
    assert find_periods(text) == []
    assert parse_period(date.isoformat()) is None


@settings(max_examples=400, deadline=None)
@given(st.from_regex(MASKED) | st.text(alphabet="0123456789 .-–/:()\u00a0\tABCDIJKNOQRSZefipo",
                                       max_size=40))
def test_every_masked_code_or_date_holds_a_cue_of_one(text):
    # scan searches a number's window for codes and dates only where MASK_CUE finds one
    if MASKED.search(text) is not None:
        assert MASK_CUE.search(text) is not None, text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 .-–/:()\u00a0\t\n\x0b\x1c\u0661NOCSAIPZJobReqfix", max_size=20)
       | st.text(max_size=12))
def test_mask_cue_is_found_where_the_pattern_is(text):
    # scan looks for MASK_CUE in an ASCII window string by string
    assert _mask_cue(text) == (MASK_CUE.search(text) is not None)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 \n\u00a0.,%+-−$£€USDCAEGHMNRkKm(/#", max_size=40))
def test_number_tokens_are_number_token_matches(text):
    # scan looks for NUMBER_TOKEN from each digit back as far as a match can begin
    def found(matches):
        return [(m.span(), m.groups()) for m in matches]
    assert found(_number_tokens(text)) == found(NUMBER_TOKEN.finditer(text))


# --- properties: robustness on arbitrary text ----------------------------------------

FIGURE_FINDERS = [find_money, find_percents, find_durations, find_counts]

# Pieces of career-page wording, so that generated text hits the patterns far more often
# than st.text() alone does.
FRAGMENTS = [
    "$", "US$", "USD ", "50,250", "24.16", "49", "1,000,000", "0", "7", ".", ",", "K", "k",
    "M", " million", "+", "-", "–", "—", "−", " ", " to ", " and ", "between ", "from ",
    "%", " percent", " per year", "/hr", " an hour", "2023", "2033", "32", "through ", "by ",
    "(", ")", "/", "01", "years", " yrs", "one", "two", " of ", "jobs",
]
career_text = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join)
any_text = st.text() | career_text


@settings(max_examples=200, deadline=None)
@given(text=any_text)
def test_finders_never_raise_and_point_at_their_text(text):
    for finder in FIGURE_FINDERS:
        for figure in finder(text):
            assert figure.text == text[figure.start:figure.end], finder.__name__
            if figure.is_range and figure.high is not None:
                assert figure.low <= figure.high
    for period in find_periods(text):
        assert period.text == text[period.start:period.end]
        assert period.first is None or period.first <= period.last
    for category, start, end in find_education(text):
        assert category in EDUCATION_LEVELS
        assert 0 <= start < end <= len(text)


@settings(max_examples=200, deadline=None)
@given(text=any_text)
def test_parsers_never_raise_and_read_the_whole_text(text):
    for parser in (parse_money, parse_percent):
        figure = parser(text)
        if figure is not None:
            assert figure.text == text[figure.start:figure.end] == text.strip()
    period = parse_period(text)
    if period is not None:
        assert period.text == text.strip().strip("()")
    statement = certification_statement(text)
    if statement is not None:
        required, start, end = statement
        assert isinstance(required, bool) and 0 <= start < end <= len(text)
    assert isinstance(normalise_level(text), str)
    assert isinstance(normalise_geography(text), str)


@pytest.mark.parametrize("text", examples(
    ("Experience: six years",),
    ("ſix years",),  # long s: matches "s" when case is ignored
    ("nıne years",),  # dotless i
))
def test_durations_never_raise(text):
    find_durations(text)


@pytest.mark.parametrize("text", examples(
    ("2023–2033",),
    (" (2023–2033)",),
))
def test_parse_period_offsets_index_the_input(text):
    period = parse_period(text)
    assert period is not None
    assert text[period.start:period.end] == period.text


# --- examples: dollar amounts --------------------------------------------------------

@pytest.mark.parametrize("text, printed, value, precision, unit", examples(
    ("2024 Median Pay: $50,250 per year", "$50,250", 50250, 1, "USD/year"),
    ("$24.16 per hour", "$24.16", 24.16, 0.01, "USD/hour"),
    ("Median salary: $49K/year", "$49K", 49000, 1000, "USD/year"),
    ("Median pay: $86,070/year", "$86,070", 86070, 1, "USD/year"),
    ("Annual pay (median): $56,010/yr", "$56,010", 56010, 1, "USD/year"),
    ("$61,010 /yr", "$61,010", 61010, 1, "USD/year"),
    ("start around $18.75 an hour", "$18.75", 18.75, 0.01, "USD/hour"),
    ("lowest average salary of $34,008.00 per year", "$34,008.00", 34008, 0.01, "USD/year"),
    ("Median annual salary: $47,180", "$47,180", 47180, 1, ""),
    ("earns $24 hourly", "$24", 24, 1, "USD/hour"),
    ("$50,000 per annum", "$50,000", 50000, 1, "USD/year"),
    ("$52K a year", "$52K", 52000, 1000, "USD/year"),
    ("about $49.5k", "$49.5k", 49500, 100, ""),
    ("Top pay: $1.2 million", "$1.2 million", 1_200_000, 100_000, ""),
    ("$40 thousand", "$40 thousand", 40000, 1000, ""),
    ("US$50,000", "US$50,000", 50000, 1, ""),
    ("USD 1,200", "USD 1,200", 1200, 1, ""),
    ("$4,000 more each year than", "$4,000", 4000, 1, ""),
    ("$50,250 - 2024 data", "$50,250", 50250, 1, ""),  # a year, not the top of a range
))
def test_money_amount_examples(text, printed, value, precision, unit):
    [figure] = find_money(text)
    assert figure.text == printed
    assert not figure.is_range
    assert figure.value == value
    assert figure.precision == pytest.approx(precision)
    assert figure.unit_hint == unit


@pytest.mark.parametrize("text, printed, low, high, precision", examples(
    ("$55,000–$80,000+", "$55,000–$80,000+", 55000, None, 1),
    ("$95,000+ a year once they run", "$95,000+", 95000, None, 1),
    ("Range: $35,080 - $77,810", "$35,080 - $77,810", 35080, 77810, 1),
    ("ranges from $36,712.00 to $56,867.20 per year", "$36,712.00 to $56,867.20",
     36712, 56867.20, 0.01),
    ("$36,712.00 – $56,867.20", "$36,712.00 – $56,867.20", 36712, 56867.20, 0.01),
    ("$53,406 - $199,410", "$53,406 - $199,410", 53406, 199410, 1),
    ("between $40,000 and $50,000", "$40,000 and $50,000", 40000, 50000, 1),
    ("$40K-$55K", "$40K-$55K", 40000, 55000, 1000),
    ("$40K-55K", "$40K-55K", 40000, 55000, 1000),
    ("$40K - 55", "$40K - 55", 40000, 55000, 1000),  # the multiplier carries over
    ("$1,000-2,000", "$1,000-2,000", 1000, 2000, 1),
    ("USD 40,000 - USD 50,000", "USD 40,000 - USD 50,000", 40000, 50000, 1),
    ("$5.50 - $6 per hour", "$5.50 - $6", 5.5, 6, 1),  # the coarser end's precision
    ("$49-55K", "$49-55K", 49000, 55000, 1000),
))
def test_money_range_examples(text, printed, low, high, precision):
    [figure] = find_money(text)
    assert figure.text == printed
    assert (figure.low, figure.high) == (low, high)
    assert figure.precision == pytest.approx(precision)


@pytest.mark.parametrize("text, printed", examples(
    ("$80,000 - $55,000", ["$80,000", "$55,000"]),  # falling: two amounts, no range
    ("$10 to 300", ["$10"]),  # a bare top end 20x the bottom is not an amount
    ("$1,000 - 25,000", ["$1,000"]),
    ("$50,250 per year ($24.16 per hour)", ["$50,250", "$24.16"]),
    ("2024 Median Pay", []),
    ("50,250 per year", []),  # no currency, no amount
    ("Costs 15 dollars", ["15 dollars"]),  # "17 to 21 dollars an hour" is how some pages say it
    ("$1,2345", []),
))
def test_money_what_is_read(text, printed):
    assert [f.text for f in find_money(text)] == printed


@pytest.mark.parametrize("text, unit", examples(
    ("$24.16 an hour", "USD/hour"),
    ("$24.16/hr", "USD/hour"),
    ("$20 / hour", "USD/hour"),
    ("$49K a year", "USD/year"),
    ("$50,000 annually", "USD/year"),
    ("$50,000 yearly", "USD/year"),
    ("$36,712.00 – $56,867.20 per year", "USD/year"),
    ("$55,000–$80,000+ per year", "USD/year"),
    ("$50,250", ""),
    ("$20 hour", ""),
    ("$4,000 more each year", ""),
))
def test_money_unit_hint_examples(text, unit):
    [figure] = find_money(text)
    assert figure.unit_hint == unit


# --- examples: percentages -----------------------------------------------------------

@pytest.mark.parametrize("text, printed, value, precision", examples(
    ("grow 8.5% through 2032", "8.5%", 8.5, 0.1),
    ("Job Growth (2023–2033): 9%", "9%", 9, 1),
    ("+7% projected (2024-2034)", "+7%", 7, 1),
    ("+1% (2023–33)", "+1%", 1, 1),
    ("62% of tasks can be accelerated by AI", "62%", 62, 1),  # a share: only the parse
    ("The lowest 10 percent earned less than", "10 percent", 10, 1),
    ("grow 8.5 percent", "8.5 percent", 8.5, 0.1),
    ("3 per cent", "3 per cent", 3, 1),
    ("50 %", "50 %", 50, 1),
    ("decline of -3%", "-3%", -3, 1),
    ("Employment change: −2.25%", "−2.25%", -2.25, 0.01),  # U+2212 minus sign
    ("0.5%", "0.5%", 0.5, 0.1),
))
def test_percent_examples(text, printed, value, precision):
    [figure] = find_percents(text)
    assert figure.text == printed
    assert figure.value == value
    assert figure.precision == precision


@pytest.mark.parametrize("text, values", examples(
    ("grow 8.5% through 2032, +7% projected", [8.5, 7]),
    ("from 5% to 7%", [5, 7]),
    ("5 percentage points", []),
    ("version 1.5.5%", []),
    ("10%-15%", [(10, 15)]),
    ("grow 10–15%", [(10, 15)]),
    ("grew 1,200%", [1200]),
))
def test_percent_sequence_examples(text, values):
    assert [reading(f) for f in find_percents(text)] == values


# --- examples: periods ---------------------------------------------------------------

@pytest.mark.parametrize("text, labels", examples(
    ("Job Growth (2023–2033): 9%", ["2023-2033"]),
    ("+7% projected (2024-2034)", ["2024-2034"]),
    ("+1% (2023–33)", ["2023-2033"]),
    ("2022-32", ["2022-2032"]),
    ("projected to grow by 9% from 2023 to 2033", ["2023-2033"]),
    ("2023 through 2033", ["2023-2033"]),
    ("grow 8.5% through 2032", ["-2032"]),
    ("expected to increase by 2030", ["-2030"]),
    ("2024 Median Pay: $50,250 per year", ["2024"]),
    ("May 2023", ["2023"]),
    ("Updated: 2026-01-09; earned $47,180 in 2022", ["2022"]),
    ("Updated 2026/01/09", []),
    ("01/09/2026", []),
    ("2023-2054", []),  # longer than 30 years: not a projection period
    ("$2024", []),
    ("Apply by 2026-01-09", []),
    bug("projected 2085–2105", ["2085-2105"],
        reason="YEAR is (19|20)\\d{2}: no year after 2099 is read, so the span is dropped"),
))
def test_period_examples(text, labels):
    assert [p.label for p in find_periods(text)] == labels


def test_period_label_forms():
    assert Period("2024", 0, 4, 2024, 2024).label == "2024"
    assert Period("2023-2033", 0, 9, 2023, 2033).label == "2023-2033"
    assert Period("through 2032", 0, 12, None, 2032).label == "-2032"


# --- examples: durations -------------------------------------------------------------
# A reading is the value, or (low, high) for a range; high None is open-ended ("5+").

@pytest.mark.parametrize("text, expected", examples(
    ("2–5 years", (2, 5)),
    ("Experience: One to two years", (1, 2)),
    ("4-5 years (typically 4)", (4, 5)),
    ("0-2 years experience", (0, 2)),
    ("3 to 5 years of experience", (3, 5)),
    ("1—3 years", (1, 3)),
    ("5+ years", (5, None)),
    ("10+ yrs", (10, None)),
    ("Associate degree: Two years", 2),
    ("Twelve years", 12),
    ("1 year", 1),
    ("2.5 years", 2.5),
    ("5 years+ of experience", (5, None)),
    ("Between 2 and 4 years for most students", (2, 4)),
))
def test_duration_examples(text, expected):
    [figure] = find_durations(text)
    assert reading(figure) == expected


@pytest.mark.parametrize("text", examples(
    ("4-year degree",), ("six months",), ("5-2 years",), ("a year",),
))
def test_not_a_duration(text):
    assert find_durations(text) == []


@pytest.mark.parametrize("text, precision", examples(
    ("2 years", 1),
    ("2.5 years", 0.1),
))
def test_duration_precision(text, precision):
    [figure] = find_durations(text)
    assert figure.precision == precision


# --- examples: counts ----------------------------------------------------------------

@pytest.mark.parametrize("text, values", examples(
    ("15,000 positions", [15000]),
    ("194,800 jobs", [194800]),
    ("Approximately 15,000 positions will open in 2025", [15000]),
    ("about 1,500,000 openings", [1_500_000]),
    ("100 jobs", [100]),
    ("99 jobs", []),  # too small to be a count of jobs
    ("$15,000", []),
    ("1,200%", []),
    ("12,345.67", []),
    ("Job Growth (2023–2033)", []),
))
def test_count_examples(text, values):
    assert [f.value for f in find_counts(text)] == values


# --- examples: education -------------------------------------------------------------

@pytest.mark.parametrize("text, categories", examples(
    ("Postsecondary nondegree award", ["postsecondary nondegree award"]),
    ("Degree you’ll need: Certificate", ["postsecondary nondegree award"]),
    ("Certificate in Professional Coding", ["postsecondary nondegree award"]),
    ("Entry Education: Bachelor's degree", ["bachelor's degree"]),
    ("Degree you’ll need: Bachelor's", ["bachelor's degree"]),
    ("associate’s degree", ["associate's degree"]),
    ("Associate Degree in Health Information Management", ["associate's degree"]),
    ("High school diploma or equivalent", ["high school diploma or equivalent"]),
    ("GED", ["high school diploma or equivalent"]),
    ("Master’s degree", ["master's degree"]),
    ("Doctoral or professional degree", ["doctoral or professional degree"]),
    ("PhD", ["doctoral or professional degree"]),
    ("Some college, no degree", ["some college, no degree"]),
    ("No formal educational credential", ["no formal educational credential"]),
    ("Postsecondary nondegree award, associate’s degree, or bachelor’s degree",
     ["postsecondary nondegree award", "associate's degree", "bachelor's degree"]),
    ("Sales associate", []),
    ("No degree required", []),
    ("A webmaster's median salary is $80,000", []),
    ("A retail sales associate's pay", []),
    ("Bachelor of Science in Nursing (BSN)", ["bachelor's degree"]),
))
def test_education_examples(text, categories):
    assert [category for category, _, _ in find_education(text)] == categories


# --- examples: certification ---------------------------------------------------------
# True: required; False: not required; None: the sentence says neither (or hedges).

@pytest.mark.parametrize("text, required", examples(
    ("There are also no required certifications in the field.", False),
    ("No certification is required", False),
    ("Certification: Voluntary — no certification is required in most states", False),
    ("Certification is not required", False),
    ("A license is not required", False),
    ("you don’t need a license", False),
    ("You do not need a certification", False),
    ("!License or certification required", True),
    ("License or certification required", True),
    ("A license is required in all states; requirements vary", True),
    ("Licenses and certifications are required", True),
    ("Licensure is mandatory in every state", True),
    ("Nurses must be licensed in every state", True),
    ("Every state requires dental hygienists to be licensed", True),
    ("Certification may not always be required", None),
    ("Certification is not always required", None),
    ("Certification is optional", None),
    ("Licensure: NCLEX-RN exam + state license", None),
    ("Certification required: No", False),
    ("A license is required in some states", None),
    ("Licensing is required", True),
    ("Certification is generally not required", False),
))
def test_certification_examples(text, required):
    statement = certification_statement(text)
    assert (statement[0] if statement else None) is required


def test_certification_span_points_at_the_statement():
    text = "There are also no required certifications in the field."
    required, start, end = certification_statement(text)
    assert required is False
    assert text[start:end] == "no required certifications"


# --- examples: career levels and geography --------------------------------------------

@pytest.mark.parametrize("words, level", examples(
    ("Entry Level", "entry"),
    ("Entry-level", "entry"),
    ("Entry (10th %ile)", "entry"),
    ("Junior", "entry"),
    ("Early Career", "early"),
    ("Intermediate", "mid"),
    ("Mid-Career", "mid"),
    ("Mid Level", "mid"),
    ("Experienced", "experienced"),
    ("Late Career", "experienced"),
    ("Senior Level", "senior"),
    ("Expert", "expert"),
    ("Top earners", "expert"),
    ("All workers", "all"),
    ("All levels", "all"),
    ("Not able to be leveled", "not-leveled"),
    ("Staff/Principal", "principal"),
    ("Level III", "level-iii"),  # unknown words keep a slug
))
def test_level_examples(words, level):
    assert normalise_level(words) == level


@pytest.mark.parametrize("words, geography", examples(
    ("US National Average", "United States"),
    ("U.S.", "United States"),
    ("the U.S.", "United States"),
    ("Nationwide", "United States"),
    ("national average", "United States"),
    ("", "United States"),
    ("Riverside, CA", "Riverside, CA"),
    ("  California ", "California"),
    ("USA", "United States"),
    ("United States of America", "United States"),
))
def test_geography_examples(words, geography):
    assert normalise_geography(words) == geography


# --- properties: the number forms of real captures -----------------------------------

@settings(max_examples=200, deadline=None)
@given(whole=st.integers(1_000, 999_999), space=st.sampled_from([" ", "\u00a0", "\u202f"]),
       unit=st.sampled_from(["", " per year", " a year"]))
def test_money_with_space_thousands_round_trips(whole, space, unit):
    text = "$" + f"{whole:,}".replace(",", space) + unit  # "$59 810 per year"
    [figure] = find_money(text)
    assert figure.value == whole
    assert figure.text == text[:len(text) - len(unit)]


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(1_000, 999_999), mark=st.integers(1, 9),
       after=st.sampled_from(["", " Pay rises", ". Next"]))
def test_glued_footnote_digit_is_not_part_of_the_amount(whole, mark, after):
    text = f"${whole:,}.{mark}{after}"  # "$59,810.1": a footnote mark glued on
    [figure] = find_money(text)
    assert figure.value == whole and figure.footnote == str(mark)


@settings(max_examples=200, deadline=None)
@given(low=st.integers(10, 99), span=st.integers(1, 60), dash=st.sampled_from(DASHES))
def test_shared_magnitude_range(low, span, dash):
    high = low + span
    if high * 1000 > low * 3000:
        high = low * 3 - 1
    text = f"${low}{dash}{high},000 a year"  # "$39-48,000 a year"
    [figure] = find_money(text)
    assert (figure.low, figure.high) == (low * 1000, high * 1000)
    assert figure.unit_hint == "USD/year"


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(1, 999_999), cents=st.none() | st.integers(0, 99),
       form=st.sampled_from(["USD {n}", "{n} USD", "US${n}", "{n} dollars"]))
def test_currency_codes_and_words_are_dollars(whole, cents, form):
    number = f"{whole:,}" + (f".{cents:02d}" if cents is not None else "")
    text = form.format(n=number)  # "USD 124,740", "57.87 USD", "19 dollars"
    [figure] = find_money(text)
    assert figure.value == float(number.replace(",", ""))
    assert figure.kind == "money"


@settings(max_examples=200, deadline=None)
@given(low=st.integers(5, 60), span=st.integers(1, 30),
       join=st.sampled_from(["-", " to ", "–"]),
       word=st.sampled_from([" dollars an hour", " USD per hour"]))
def test_number_range_with_currency_after_is_an_hourly_range(low, span, join, word):
    text = f"{low}{join}{low + span}{word}"  # "19 to 22 dollars an hour", "17-22 USD per hour"
    [figure] = find_money(text)
    assert (figure.low, figure.high, figure.unit_hint) == (low, low + span, "USD/hour")


@settings(max_examples=200, deadline=None)
@given(value=st.integers(1_000, 500_000), form=st.sampled_from(["£{n}", "€{n}", "C${n}", "{n}$"]))
def test_other_currencies_are_never_us_dollars(value, form):
    text = form.format(n=f"{value:,}")  # "£57,200", "€58,700", "C$20.00", "15.50$"
    assert find_money(text) == []
    [figure] = scan(text)
    assert figure.kind == "foreign" and figure.value == value


@pytest.mark.parametrize("text, reading_, kind", examples(
    ("$71 320", 71320, "money"),
    ("$42-51,000 a year", (42000, 51000), "money"),
    ("$63,180.2", 63180, "money"),
    ("up to $80,000", (None, 80000), "money"),
    ("$180K–$260K+", (180000, None), "money"),
    ("19-24 USD per hour", (19, 24), "money"),
    ("17 to 21 dollars an hour", (17, 21), "money"),
    ("hold about 2.4 million jobs", 2_400_000, "count"),
    ("396 870 techs", 396870, "count"),
    ("3.6 %", 3.6, "percent"),
    ("$ 31.07", 31.07, "money"),
    ("£57,200", 57200, "foreign"),
    ("15.50$", 15.5, "foreign"),
))
def test_number_forms_of_real_pages(text, reading_, kind):
    [figure] = [f for f in scan(text) if f.kind != "number"]
    assert figure.kind == kind
    assert reading(figure) == reading_


@pytest.mark.parametrize("text", examples(
    ("Page 14 of 38",), ("9 min read",), ("Posted 30+ days ago",), ("SOC 29-2072",),
    ("Call (555) 123-4567",), ("Updated 2026-01-09",), ("Score 3/6",), ("Employment (1)",),
))
def test_page_furniture_is_no_figure(text):
    assert [f for f in scan(text) if f.kind != "number"] == []


# --- properties: a footnote letter glued to an amount -----------------------------------

@settings(max_examples=200, deadline=None)
@given(whole=st.integers(1000, 10_000_000), cents=st.none() | st.integers(0, 99),
       mark=st.sampled_from("abcdefgh"), after=st.sampled_from(["", " ", ".", ")", "\n", " per year"]))
def test_a_footnote_letter_glued_to_an_amount_is_not_part_of_it(whole, cents, mark, after):
    text = dollars(whole, cents, True)
    figures = find_money(f"Median wage: {text}{mark}{after}")
    assert [f.text for f in figures] == [text]


@pytest.mark.parametrize("text", ["10th percentile", "3D printing", "4x4 trucks", "24k gold"])
def test_a_number_glued_to_a_word_is_no_amount(text):
    assert find_money(text) == []
