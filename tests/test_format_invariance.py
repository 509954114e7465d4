"""Same page, same claims: the HTML and PDF renditions of each seed page (built by
tests/renditions/build.py) yield the same figures as its text capture."""
from pathlib import Path

import pytest

from extractors import extract
from extractors.document import document_from_bytes, sniff_format
from tests.renditions.build import LAYOUTS, SEEDS, build

ROOT = Path(__file__).resolve().parent.parent
RENDITIONS = ROOT / "tests" / "renditions"
FIELDS = ("metric", "statistic", "unit", "value", "low", "high", "value_text", "period",
          "geography", "level", "industry", "union_status", "schedule", "subgroup")


def figures(path: Path) -> set[tuple]:
    data = path.read_bytes()
    doc = document_from_bytes(data, source_id="page", path=str(path),
                              format=sniff_format(data, str(path)))
    return {tuple(getattr(c, f) for f in FIELDS) for c in extract(doc)}


CASES = [(seed, layout) for seed in SEEDS for layout in LAYOUTS]


@pytest.mark.parametrize("seed, layout", CASES, ids=[f"{s.stem[:3]}-{l}" for s, l in CASES])
def test_rendition_yields_the_claims_of_the_text_page(seed, layout):
    expected = figures(seed)
    got = figures(RENDITIONS / seed.stem[:3] / layout)
    assert sorted(expected - got, key=str) == [] and sorted(got - expected, key=str) == []


def test_xlsx_export_yields_the_claims_of_the_csv_table():
    expected = figures(ROOT / "tests" / "golden" / "reference-table" / "input.csv")
    assert figures(RENDITIONS / "reference.xlsx") == expected


def test_renditions_are_reproducible(tmp_path, monkeypatch):
    before = {p: p.read_bytes() for p in [*RENDITIONS.glob("*/*.*"), RENDITIONS / "reference.xlsx"]}
    import tests.renditions.build as renditions
    monkeypatch.setattr(renditions, "OUT", tmp_path)
    for path in build():
        assert path.read_bytes() == before[RENDITIONS / path.relative_to(tmp_path)], path
