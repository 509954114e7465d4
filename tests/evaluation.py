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
from extractors.document import document_from_bytes, sniff_format
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
    if not strict and claim.occupation_text:
        return False  # another occupation's figure, said to be so: not the page's claim
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
    data = page.read_bytes()
    doc = document_from_bytes(data, source_id=page.stem.lower()[:40] or "page", path=str(page),
                              format=sniff_format(data, str(page)))
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


# --- figure scoring (the real-layouts corpus) -----------------------------------------
#
# Pages that look like real captures are scored on what a curator needs: the figure read
# with the right metric, statistic, unit and value. The evidence string need not be in
# the claim's quote (a table cell's quote is its row, not the analyst's words). Rules, as
# the corpus's BASELINE.md states them:
#
# - found: a claim of the page has the row's metric (an expected `employment_change`
#   also accepts employment/change), its statistic (an expected `unspecified` or
#   `typical` accepts any), its unit, and its value within 0.005 (USD/hour) or 0.05
#   (USD/year, percent) or 0.5 (count); a range needs both bounds, an empty expected
#   bound empty in the claim; a category must appear in value_text or the quote;
# - geography right: national rows need a national claim; other rows the same place;
# - a trap (must=-1) fires when a claim has its metric (and statistic, unless the row
#   says unspecified/range) and a value, low or high equal to one of the row's; for a
#   row with a foreign geography only when the claim is national.

TOLERANCE = {"USD/hour": 0.005, "USD/year": 0.05, "percent": 0.05, "count": 0.5}


def _close(expected: str, got: float | None, unit: str) -> bool:
    if expected in ("", None):
        return got is None
    return got is not None and abs(float(expected) - got) <= TOLERANCE.get(unit, 0.05)


def _metric_fits(row: dict, claim: Claim) -> bool:
    if row["metric"] == "employment_change":
        return claim.metric == "employment" and claim.statistic == "change"
    return claim.metric == row["metric"]


def _value_fits(row: dict, claim: Claim) -> bool:
    if row["unit"] == "category":
        wanted = clean(row["value"]).lower()
        return wanted in clean(claim.value_text).lower() or wanted in clean(claim.quote).lower()
    if claim.unit != row["unit"]:
        return False
    if row["value"]:
        return _close(row["value"], claim.value, row["unit"]) and claim.low is None
    return (claim.value is None and _close(row["low"], claim.low, row["unit"])
            and _close(row["high"], claim.high, row["unit"]))


def figure_found(row: dict, claim: Claim, *, statistic: bool = True) -> bool:
    """Whether `claim` reads the figure `row` expects (metric, statistic, unit, value)."""
    if not _metric_fits(row, claim) or not _value_fits(row, claim):
        return False
    if statistic and row["statistic"] not in ("unspecified", "typical"):
        return claim.statistic == row["statistic"]
    return True


def place_right(row: dict, claim: Claim) -> bool:
    wanted = normalise_geography(row["geography"])
    return clean(claim.geography) == clean(wanted)


def trap_fired(row: dict, claim: Claim) -> bool:
    if not _metric_fits(row, claim) or claim.occupation_text:
        return False
    if row["statistic"] not in ("unspecified", "range") and claim.statistic != row["statistic"]:
        return False
    if row["geography"] and normalise_geography(row["geography"]) != "United States" \
            and claim.geography != "United States":
        return False
    wanted = {float(x) for x in (row["value"], row["low"], row["high"]) if x}
    got = {x for x in (claim.value, claim.low, claim.high) if x is not None}
    return any(abs(a - b) < 1e-6 for a in wanted for b in got)


@dataclass
class FigureScore:
    rows: list[Row]
    claims: dict[str, list[Claim]]  # page -> claims

    def outcome(self, row: Row) -> str:
        """found+place | found | statistic-wrong | missed (must 1/0); fired | clear (-1)."""
        claims = self.claims[row.data["seed"]]
        if row.must == -1:
            return "fired" if any(trap_fired(row.data, c) for c in claims) else "clear"
        hits = [c for c in claims if figure_found(row.data, c)]
        if hits:
            return "found+place" if any(place_right(row.data, c) for c in hits) else "found"
        if any(figure_found(row.data, c, statistic=False) for c in claims):
            return "statistic-wrong"
        return "missed"

    def counts(self, pages: set[str] | None = None) -> dict[str, int]:
        out = {"must1": 0, "found": 0, "place": 0, "stat_wrong": 0, "must0": 0, "found0": 0,
               "traps": 0, "fired": 0}
        for row in self.rows:
            if pages is not None and row.data["seed"] not in pages:
                continue
            result = self.outcome(row)
            if row.must == 1:
                out["must1"] += 1
                out["found"] += result.startswith("found")
                out["place"] += result == "found+place"
                out["stat_wrong"] += result == "statistic-wrong"
            elif row.must == 0:
                out["must0"] += 1
                out["found0"] += result.startswith("found")
            else:
                out["traps"] += 1
                out["fired"] += result == "fired"
        return out


def score_figures(rows: list[Row], pages: Path) -> FigureScore:
    claims = {seed: claims_of(pages / seed) for seed in sorted({r.data["seed"] for r in rows})}
    return FigureScore(rows, claims)


def families(readme: Path) -> dict[str, list[int]]:
    """Page -> its families (primary first), from the corpus README's table of pages."""
    import re
    out: dict[str, list[int]] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`(?P<page>[^`]+)`\s*\|\s*(?P<fam>[\d, ]+)\s*\|", line)
        if m:
            out[m.group("page")] = [int(x) for x in m.group("fam").replace(" ", "").split(",")]
    return out
