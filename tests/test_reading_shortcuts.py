"""Shortcuts the readers take for speed must give what the long way gives.

- a test of several patterns at once (the strings any of them needs) turns a text away
  only where each of them would;
- HTML's rendered lines are split once, with their marks (heading, card, job posting),
  including a line split off at a break other than a newline;
- notes built without the dataclass's __init__ are the notes it builds;
- the content of scripts, styles and icons is emptied as one backreferencing pattern
  empties it;
- a line's bullets are looked for only where it begins with a mark or white space;
- patterns written with their letters first ("in(?<!\\win)") find what the same pattern
  with a word boundary before them finds.
"""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from extractors import labels, patterns, text
from extractors.claims import Note, new_note
from extractors.document import document_from_bytes
from extractors.html import read_html, unread_emptied
from extractors.text import split_lines


def test_the_ignored_words_are_ruled_out_at_once_only_where_each_pattern_would_be():
    combined = set(labels._ANY_IGNORED.needed)
    for pattern, reason in labels.IGNORED:
        assert pattern.needed and set(pattern.needed) <= combined, reason


def test_the_statement_patterns_are_ruled_out_at_once_only_where_each_would_be():
    combined = set(text.STATEMENTS.needed)
    for pattern in (text.TYPICAL_EDUCATION, patterns.CERTIFICATION_NOT_REQUIRED,
                    patterns.CERTIFICATION_REQUIRED):
        assert pattern.needed and set(pattern.needed) <= combined, pattern.regex.pattern


WORDS = ["Licensing", "license", "certification", "required", "is", "not", "typical",
         "education", "most", "workers", "need", "a", "high", "school", "diploma", "bachelor's",
         "degree", "the", "Median", "pay", "ſ", "İ", "usually", "must", "be", "licensed", "."]


@given(st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join))
def test_a_sentence_turned_away_states_no_education_or_licence(sentence):
    if not text.STATEMENTS.could_match(sentence):
        assert text._education_statement(sentence) is None
        assert patterns.certification_statement(sentence) is None


@given(st.lists(st.sampled_from(WORDS), max_size=10).map(" ".join))
def test_a_label_turned_away_is_not_ignored(words):
    if not labels._ANY_IGNORED.could_match(words):
        assert all(not pattern.found(words) for pattern, _ in labels.IGNORED)


def test_rendered_lines_take_the_marks_of_the_line_they_begin():
    page = "Pay\u2028by state\n• $50,250\n\nOther\n"
    marks = {0: (True, 3, "job-ad"), 13: (False, 4, "")}
    lines = split_lines(page, marks)
    assert [(x.text, x.major, x.block, x.hint) for x in lines] == [
        ("Pay", True, 3, "job-ad"),
        ("by state", True, 3, "job-ad"),  # split off at U+2028: the newline-ended line's marks
        ("$50,250", False, 4, ""),
        ("", False, -1, ""),
        ("Other", False, -1, ""),
    ]
    assert [(x.start, x.end) for x in lines] == [(x.start, x.end) for x in split_lines(page)]


def test_a_heading_with_a_line_separator_keeps_its_section():
    page = ("<html><body><h2>Pay in Ohio\u2028(2024)</h2><p>Median pay: $50,250</p>"
            "</body></html>").encode()
    reading = read_html(document_from_bytes(page, source_id="demo", path="demo.html",
                                            format="html"))
    assert [(c.value, c.locator) for c in reading.claims] == [(50250.0, "html:html/body/p")]


def test_a_note_built_quickly_is_the_dataclass_note():
    quick = new_note("$50,250", "money", "chars=0-7", 3, ("c-1",), "")
    assert quick == Note("$50,250", "money", "chars=0-7", 3, ("c-1",), "")
    assert quick.read and repr(quick) == repr(Note("$50,250", "money", "chars=0-7", 3, ("c-1",)))


UNREAD_BY_ONE_PATTERN = re.compile(
    r"(<(script|style|svg|template|noscript)\b[^>]*>).*?(</\2\s*>)", re.I | re.S)
MARKUP = ["<script>", "<SCRIPT type=x>", "</script>", "</Script >", "</scriptx>", "<scripts>",
          "<style>", "</style>", "<svg>", "</svg>", "<template>", "</template>",
          "<noscript>", "</noscript>", "</ſcript>", "</scrİpt>", "<ſcript>", "</div>", "<p>",
          "if (a</b)", "x", " ", "\n", "</", ">", "<nav>", "</nav>"]


@given(st.lists(st.sampled_from(MARKUP), max_size=16).map("".join))
def test_never_read_elements_are_emptied_as_one_pattern_empties_them(page):
    nested = re.search(r"(?i)<(/?)(nav|footer)\b", page)
    if not nested:  # navigation is emptied by counting, afterwards, the same either way
        assert unread_emptied(page) == UNREAD_BY_ONE_PATTERN.sub(r"\1\3", page)


@given(st.text(alphabet=text.BULLET_MARKS + " \t\u00a0\u2028\u3000\x1cab*$1", max_size=6))
def test_a_line_that_begins_with_no_mark_or_space_has_no_bullet(body):
    # split_lines tries BULLET only on a line that begins with a mark or white space
    first = body[:1]
    if not (first in text.BULLET_MARKS or first.isspace()):
        assert text.BULLET.match(body).end() == 0


def _word_boundary_first(pattern: str) -> str:
    """The pattern with each "word(?<!\\wword)" written back as "\\bword"."""
    return re.sub(r"(\w+)\(\?<!\\w\1\)", r"\\b\1", pattern)


LETTERS_FIRST = [patterns.PLACE, text.JOB_POSTING.regex, text.SOURCE_LINE.regex]
PIECES = ["in", "Ohio", "the", "posted", "ago", "today", "apply", "now", "easy", "job", "type",
          "hiring", "salary", "estimates", "listings", "figures", "data", "wages", "wage",
          "statistics", "are", "from", "come", "Source", "x", "1", "é", "_", "POSTED", "ſ"]


@given(st.lists(st.sampled_from(PIECES) | st.sampled_from([" ", "", "\n", "-", ":", "."]),
                max_size=12).map("".join),
       st.text(alphabet="1025793 stndrhPERCENTILEx_é\n", max_size=12))
def test_patterns_written_letters_first_find_what_a_word_boundary_before_them_finds(words, key):
    # "in(?<!\win)" is "\bin"; "(?:10|…)(?<!\w\d\d)" is "\b(?:10|…)"
    for pattern in LETTERS_FIRST:
        before = re.compile(_word_boundary_first(pattern.pattern), pattern.flags)
        assert before.pattern != pattern.pattern
        assert [(m.span(), m.groups()) for m in pattern.finditer(words)] == [
            (m.span(), m.groups()) for m in before.finditer(words)]
    assert text.JOB_POSTING.found(words) == (text.JOB_POSTING.regex.search(words) is not None)
    cue = re.compile(r"percentile|\b(?:10|25|50|75|90)(?:st|nd|rd|th)\b", re.I)
    assert text.KEY_CUE.found(key) == (cue.search(key) is not None)
