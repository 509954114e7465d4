"""Scoring extraction against a corpus's expected_claims.csv.

The CSV lists, per page, the claims an extractor must find (`must=1`), should find
(`must=0`) and must not report as the metric named (`must=-1`); see
tests/seeds/README.md. `evaluate` returns which rows were matched.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from extractors import extract
from extractors.claims import Claim
from extractors.document import document_from_bytes
from extractors.patterns import (clean, find_education, normalise_geography, normalise_level,
                                 normalise_schedule, normalise_union)


@dataclass(frozen=True)
class Row:
    line: int
    data: dict

    @property
    def must(self) -> int:
        return int(self.data["must"])

    def __str__(self) -> str:
        d = self.data
        figure = d["value"] or f"{d['low']}–{d['high']}"
        return (f"{d['seed']}:{self.line} {d['metric']}/{d['statistic']}/{d['unit']} {figure} "
                f"period={d['period'] or '-'} level={d['level'] or '-'} {d['other']} "
                f"evidence={d['evidence']!r}")


def load_rows(path: Path) -> list[Row]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [Row(i, row) for i, row in enumerate(csv.DictReader(handle), start=2)]


def _number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 1e-6


def _figure_matches(row: dict, claim: Claim) -> bool:
    if row["unit"] == "category":
        wanted = find_education(row["value"])
        return bool(wanted) and claim.value_text == wanted[0][0]
    if row["unit"] == "boolean":
        return claim.value_text == row["value"].strip().lower()
    if row["value"]:
        return _same(claim.value, _number(row["value"])) and claim.low is None
    return _same(claim.low, _number(row["low"])) and _same(claim.high, _number(row["high"]))


def _qualifiers_match(row: dict, claim: Claim) -> bool:
    if row["period"] and claim.period != row["period"]:
        return False
    if normalise_geography(row["geography"]) != claim.geography:
        return False
    if row["level"] and normalise_level(row["level"]) != claim.level:
        return False
    for item in filter(None, (part.strip() for part in row["other"].split(";"))):
        name, _, wanted = item.partition("=")
        if not _:
            continue  # a free-text note
        got = {"industry": claim.industry, "union": claim.union_status,
               "schedule": claim.schedule, "cites": claim.cites,
               "precision": claim.precision}.get(name.strip())
        wanted = wanted.strip()
        if name == "union":
            wanted = normalise_union(wanted)
        elif name == "schedule":
            wanted = normalise_schedule(wanted)
        elif name == "precision":
            wanted = {"thousands": 1000.0, "hundreds": 100.0, "cents": 0.01}.get(wanted, wanted)
        elif name == "industry":
            got, wanted = clean(str(got)), clean(wanted)
        if got is not None and got != wanted:
            return False
    return True


def matches(row: Row, claim: Claim, *, strict: bool = True) -> bool:
    """Whether `claim` is the claim `row` describes. Not strict: metric, evidence and
    figure only (what a must=-1 row forbids)."""
    d = row.data
    if claim.metric != d["metric"] or clean(d["evidence"]) not in clean(claim.quote):
        return False
    if not strict:
        return _figure_matches(d, claim) if (d["value"] or d["low"]) else True
    return (claim.statistic == d["statistic"] and claim.unit == d["unit"]
            and _figure_matches(d, claim) and _qualifiers_match(d, claim))


@dataclass
class Score:
    found: dict[int, list[Row]]  # must -> rows found (for -1: rows wrongly reported)
    missed: dict[int, list[Row]]

    def recall(self, must: int) -> float:
        total = len(self.found[must]) + len(self.missed[must])
        return len(self.found[must]) / total if total else 1.0

    def summary(self) -> str:
        return (f"must=1 {len(self.found[1])}/{len(self.found[1]) + len(self.missed[1])}, "
                f"must=0 {len(self.found[0])}/{len(self.found[0]) + len(self.missed[0])}, "
                f"must=-1 reported {len(self.found[-1])}/{len(self.found[-1]) + len(self.missed[-1])}")


def claims_of(page: Path) -> list[Claim]:
    doc = document_from_bytes(page.read_bytes(), source_id=page.stem.lower()[:40] or "page",
                              path=str(page))
    return extract(doc)


def evaluate(rows: list[Row], pages: Path) -> Score:
    cache: dict[str, list[Claim]] = {}
    found: dict[int, list[Row]] = {1: [], 0: [], -1: []}
    missed: dict[int, list[Row]] = {1: [], 0: [], -1: []}
    for row in rows:
        seed = row.data["seed"]
        if seed not in cache:
            cache[seed] = claims_of(pages / seed)
        hit = any(matches(row, c, strict=row.must != -1) for c in cache[seed])
        (found if hit else missed)[row.must].append(row)
    return Score(found, missed)
