"""Patterns run only on text that holds what they need (`patterns.Sifted`): the test in
front of a pattern must never turn away a text the pattern matches.

Every Sifted pattern of the extractors is checked on texts hypothesis builds from the
pattern itself (a match with text around it), and on arbitrary text, against the bare
pattern: same match, same span, same groups.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import labels, patterns, prose, tables, text
from extractors.patterns import Sifted, needed_strings

SIFTED = sorted(
    [(f"{module.__name__}.{name}", value) for module in (text, prose, labels, patterns, tables)
     for name, value in vars(module).items() if isinstance(value, Sifted)]
    + [(f"extractors.labels.IGNORED[{reason}]", pattern) for pattern, reason in labels.IGNORED]
    + [(f"extractors.labels.METRIC_WORDS[{name}]", pattern) for name, pattern in labels.METRIC_WORDS]
    + [(f"extractors.labels.DIMENSIONS[{name}]", pattern) for name, pattern in labels.DIMENSIONS],
    key=lambda item: item[0])


def test_the_extractors_sift_their_costliest_patterns():
    names = {name for name, _ in SIFTED}
    assert {"extractors.text.JOB_POSTING", "extractors.text.STATEMENT_CUES",
            "extractors.patterns.PAGE_DATE", "extractors.prose.NOT_PAY"} <= names


def _same(a: re.Match | None, b: re.Match | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.span() == b.span() and a.groups() == b.groups()


@pytest.mark.parametrize("name,sifted", SIFTED, ids=[name for name, _ in SIFTED])
def test_a_text_holding_a_match_is_never_turned_away(name, sifted):
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(sifted.regex))
    def check(sample):
        assert sifted.could_match(sample), (name, sample, sifted.needed)
        assert _same(sifted.search(sample), sifted.regex.search(sample))
        assert [(m.span(), m.groups()) for m in sifted.finditer(sample)] == [
            (m.span(), m.groups()) for m in sifted.regex.finditer(sample)]
        assert sifted.found(sample)

    check()


@pytest.mark.parametrize("name,sifted", SIFTED, ids=[name for name, _ in SIFTED])
def test_any_text_gives_what_the_pattern_gives(name, sifted):
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
           | st.sampled_from(sifted.needed or ("",)).map(str.upper)
           | st.sampled_from(sifted.enough or ("",)).map(lambda s: f"x{s.upper()}y"))
    def check(sample):
        for method in ("search", "match", "fullmatch"):
            assert _same(getattr(sifted, method)(sample), getattr(sifted.regex, method)(sample))
        assert [(m.span(), m.groups()) for m in sifted.finditer(sample)] == [
            (m.span(), m.groups()) for m in sifted.regex.finditer(sample)]
        assert sifted.findall(sample) == sifted.regex.findall(sample)
        assert sifted.sub("#", sample) == sifted.regex.sub("#", sample)
        assert sifted.found(sample) == (sifted.regex.search(sample) is not None)

    check()


@pytest.mark.parametrize("pattern,flags,needed", [
    (r"\bposted\b.{0,20}\bago\b|\bposted\s+(?:today|yesterday)\b|\bapply\s+now\b", re.I,
     ("apply", "posted")),
    (r"percentile|\b(?:10|25)(?:st|th)\b", re.I, ("10st", "10th", "25st", "25th", "percentile")),
    (r"(?:about|~|≈)\s*$", re.I, ("about", "~", "≈")),
    (r"\bBLS\b|Bureau of Labor Statistics", 0, ("BLS", "Bureau of Labor Statistics")),
    (r"(?:ab)+c?", 0, ("ab",)),
    (r"\d+(?:\.\d+)?%", 0, ("%",)),
    (r"[A-Z]\w*", 0, None),  # no string every match holds
    (r"(?i:median)|mean", 0, None),  # flags changed inside a group: not reasoned about
    (r"a?b?", 0, None),
])
def test_the_strings_every_match_needs(pattern, flags, needed):
    assert needed_strings(re.compile(pattern, flags)) == needed


@pytest.mark.parametrize("pattern,flags,enough", [
    (r"licen[sc]|certif|\bGED\b|ph\.?\s?d", re.I, ("certif", "licenc", "licens")),
    (r"\bBLS\b|Bureau of Labor Statistics", 0, ("Bureau of Labor Statistics",)),
    (r"median", re.I, ("median",)),
    (r"^median", re.I, ()),  # anchored: not found wherever it stands
    (r"Median|Ärzte", re.I, ("median",)),  # a cased letter outside ASCII folds otherwise
])
def test_the_strings_that_are_enough(pattern, flags, enough):
    sifted = Sifted(re.compile(pattern, flags))
    assert sifted.enough == enough
    for string in enough:
        assert sifted.found(f"… {string.upper() if flags & re.I else string} …")


@pytest.mark.parametrize("sample", ["MODİFIED 2024-01-02", "modıfied 2024-01-02",
                                    "Last reviewed 2 March 2025", "UPDATED: 2026-01-09"])
def test_letters_case_folding_maps_to_ascii_are_not_missed(sample):
    sifted = Sifted(re.compile(r"\b(?:updated|modified|reviewed)\b", re.I))
    assert _same(sifted.search(sample), sifted.regex.search(sample))
    assert sifted.search(sample) is not None
    kelvin = Sifted(re.compile(r"\bkeep\b", re.I))
    assert kelvin.search("\u212aeep") is not None  # the Kelvin sign folds to k
    long_s = Sifted(re.compile(r"\bsalary\b", re.I))
    assert long_s.search("\u017falary") is not None  # the long s folds to s


@pytest.mark.parametrize("name", ["APPROX", "UP_TO", "UNDER", "OVER"])
def test_what_bounds_or_rounds_a_figure_ends_in_one_of_a_few_letters(name):
    """The scanner tests the words before a figure with these patterns only when they end
    in one of patterns.HEDGE_ENDS."""
    pattern = getattr(patterns, name).regex

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern) | st.text(max_size=30))
    def check(sample):
        if pattern.search(sample):
            assert sample.rstrip()[-1:] in patterns.HEDGE_ENDS, sample

    check()


def test_a_python_whose_parse_tree_differs_gets_the_bare_pattern(monkeypatch):
    regex = re.compile(r"\bapply\s+now\b|certif", re.I)

    def broken(*args, **kwargs):
        raise AttributeError("re._parser has no such thing here")

    monkeypatch.setattr(patterns, "needed_strings", broken)
    sifted = Sifted(regex)
    assert sifted.needed is None and sifted.enough == ()
    assert sifted.search("Apply now").group() == "Apply now"
    assert sifted.found("CERTIFIED") and not sifted.found("Median pay")


def test_the_caseless_marks_match_only_themselves_and_no_letter_lowers_to_one():
    """lowered_pattern keeps these characters as they are: nothing else may lower to one of
    them or match one case-insensitively (every code point is checked)."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert all(c.lower() == c == c.upper() for c in patterns.CASELESS)
    lowered_into = {c for c in everything if c not in patterns.CASELESS
                    and any(x in patterns.CASELESS for x in c.lower())}
    assert not lowered_into
    marks = re.compile("[" + re.escape("".join(sorted(patterns.CASELESS))) + "]", re.I)
    assert set(marks.findall(everything)) == set(patterns.CASELESS)


def test_only_ascii_letters_and_the_four_oddities_fold_to_ascii_letters():
    everything = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    letters = re.compile("[a-z]", re.I)
    assert set(letters.findall(everything)) == set("\u0130\u0131\u017f\u212a")
    assert all(len(c.lower()) == 1 for c in everything if c != "\u0130")


@pytest.mark.parametrize("pattern,flags", [
    (r"(?i)median", 0),  # an inline flag
    (r"\x4dedian", re.I),  # a letter by its number
    (r"[A-z]+", re.I),  # a range across the cases
    (r"[0-Z]+", re.I),  # lowered, "[0-z]" would hold "[", "_" …
    (r"[A-~]+", re.I),
    (r"café", re.I),  # a letter outside ASCII
    (r"median  # a comment", re.I | re.X),
    (r"(?x)median", re.I),
])
def test_a_pattern_the_lowering_cannot_be_sure_of_is_left_alone(pattern, flags):
    assert patterns.lowered_pattern(re.compile(pattern, flags)) is None


@given(st.text(alphabet=st.sampled_from("MeDiAn PAY pay Σσς ſKİı-–’$5 \n"), max_size=40))
def test_a_lowered_pattern_finds_what_the_pattern_finds(sample):
    regex = re.compile(r"\b(?P<Stat>median|mean)\b(?:\s+(?P<What>pay|wage))?|(?P<w>[A-Z]+)-(?P=w)"
                       r"|(?<!\d)–\s*\$", re.I)
    sifted = Sifted(regex)
    assert sifted._lowered is not None
    assert _same(sifted.search(sample), regex.search(sample))
    assert sifted.found(sample) == (regex.search(sample) is not None)


@given(st.lists(st.text(alphabet="abc.-’", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="abc.-’ ", max_size=30))
def test_the_tree_of_strings_finds_a_text_holding_any_of_them(strings, sample):
    assert (patterns._any_of(tuple(strings)).search(sample) is not None) == any(
        s in sample for s in strings)


@pytest.mark.parametrize("name,sifted", SIFTED, ids=[name for name, _ in SIFTED])
def test_the_lines_of_a_page_are_turned_away_at_once_only_where_each_would_be(name, sifted):
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
                    | st.sampled_from(sifted.needed or ("",)).map(str.upper)
                    | st.from_regex(sifted.regex), max_size=5))
    def check(lines):
        maybe = sifted.could_match_each(lines)
        assert len(maybe) == len(lines)
        assert all(m or not sifted.could_match(line) for m, line in zip(maybe, lines))
        assert any(maybe) == sifted.could_match("\n".join(lines))

    check()
