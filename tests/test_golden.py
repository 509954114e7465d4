"""Golden files: extraction of every case in tests/golden/ is exactly its expected.jsonl.

A change in extraction shows up here as a readable diff; when it is intended, run
`make golden` and review `git diff tests/golden`.
"""
import json

import pytest

from extractors.patterns import clean
from tests.golden_cases import cases, expected_lines, extracted_lines, input_of

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_extraction_matches_golden_file(case):
    assert extracted_lines(case) == expected_lines(case)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_quote_is_the_text_at_its_locator(case):
    data = input_of(case).read_bytes()
    from extractors.document import decode
    text, _ = decode(data)
    for line in expected_lines(case):
        claim = json.loads(line)
        start, end = map(int, claim["locator"].removeprefix("chars=").split("-"))
        assert text[start:end] == claim["quote"]
        assert clean(claim["figure"]) in clean(claim["quote"])


def test_seed_pages_are_golden_cases():
    names = {c.name for c in CASES}
    assert {"seed-000", "seed-001", "seed-002", "seed-003"} <= names


def test_every_registered_extractor_has_a_golden_case():
    from extractors import EXTRACTORS
    from extractors.document import sniff_format
    formats = {sniff_format(input_of(c).read_bytes(), str(input_of(c))) for c in CASES}
    assert set(EXTRACTORS) <= formats
