"""Which official release each figure comes from.

The releases are the official files' rows (pipeline/official.py: every OEWS May release
2013-2024, the Employment Projections cycles) and the figures of primary sources (the
agency's own pages: "OEWS May 2011", "Employment Projections 2014-2024"). Every other
figure is matched to the releases of its occupation, metric and statistic (hourly wages
at 2,080 hours a year):

- a figure whose page states its period is compared with the release of that period
  ("8.5% through 2032" with Employment Projections 2022-2032), within the coarser of the
  two precisions; `differs` when that release has another figure;
- a figure without a period is matched by value within its stated precision ("$49K" is
  OEWS May 2023's $48,780 and no other year's); it then gets that period with
  `period_basis = matched`. Two releases with the same rounded figure make the match
  `ambiguous`: reported, not guessed. A category (typical education) equal to the
  latest release's is current: matched to the latest release.
- a claim whose SOC 2010 occupation was split (29-2071 into 29-2072 and 29-9021) is
  matched against each part; the part whose series holds the figure becomes its
  occupation (`occupation_basis = crosswalk`), and the match says so. When no part's
  series holds it, or several do, it has no occupation: never the retired code
  (pipeline/occupations.py reports it, `occupation-split`).

A matched figure records the release (`stated_in`) and how many later releases exist
(`releases_behind`). A page whose matched figures come from different editions — a May
2024 wage beside 2023-2033 projections — is `mixed-vintage`, unless the agency itself
paired them: the handbook's interim wage updates pair a May Y+1 wage with projections
that start in Y (May 2020 wages with 2019-29 projections), as the Employment Projections
table prints them side by side or one official page states both.

A range ("Range: $35,080 - $77,810", "most earn between $41,600 and $64,070") is matched
to the pairs of percentiles a release publishes: the 10th to 90th and the 25th to 75th.
Both ends must agree within the precision; a range is never said to differ from a
release (a page's range may be drawn any way), it matches one or it does not.

A figure the page cites as history (`period_basis = history`: "In May 2022 the median
was $60,240", beside the page's current figure) is matched to its release like any
stated figure, but it is the page's account of the past, not the page's vintage: it
never makes a page mixed-vintage.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace

from extractors.claims import Claim
from schemas.vocabulary import HOURS_PER_YEAR

MATCHABLE_STATISTICS = ("median", "mean", "p10", "p25", "p75", "p90", "change", "typical",
                        "unspecified", "range")
RANGE_PERCENTILES = (("p10", "p90"), ("p25", "p75"))
"""The pairs of percentiles a release publishes that a page's range can be: the range
figure made of a pair says which in `spans`."""
LEVELLED_STATISTICS = ("median", "p10", "p25", "p75", "p90")
"""A page's rung label ("Entry (10th %ile)") names a percentile: it may still match."""

CATEGORICAL_UNITS = ("category", "boolean")


@dataclass(frozen=True)
class ReleaseFigure:
    """One figure of one official release for one occupation."""

    occupation: str
    metric: str
    statistic: str
    unit: str
    geography: str
    release: str  # "OEWS May 2023", "Employment Projections 2023-2033"
    period: str
    period_start: int | None
    period_end: int | None
    value: float | None
    low: float | None = None
    high: float | None = None
    value_text: str = ""
    precision: float = 1.0
    relation: str = "same"  # how the published code relates to `occupation` (official.py)
    published_code: str = ""
    source_id: str = ""
    locator: str = ""
    pairs_with: str = ""  # the OEWS release an EP table prints beside its projections
    citation: str = ""
    spans: str = ""  # a range made of two percentiles of the release: "p10-p90"

    @property
    def family(self) -> tuple:
        return family_of(self)

    @property
    def program(self) -> str:
        return program_of(self.release)


def family_of(x) -> tuple:
    unit = "USD/year" if x.unit == "USD/hour" else x.unit
    return (x.occupation, x.metric, x.statistic, unit, x.geography)


def program_of(release: str) -> str:
    """ "OEWS May 2023" -> OEWS, "Employment Projections 2023-2033" -> EP."""
    if release.startswith("OEWS"):
        return "OEWS"
    if release.startswith("Employment Projections"):
        return "EP"
    return release.split(" ")[0] if release else ""


@dataclass(frozen=True)
class Match:
    outcome: str  # matched | ambiguous | unmatched | differs
    release: str = ""  # "OEWS May 2023"
    releases_behind: int | None = None
    candidates: tuple[str, ...] = ()  # releases an ambiguous figure could be from
    edition: int | None = None  # the year that ties wages and projections of one edition
    program: str = ""  # OEWS | EP | … of the matched release
    figure: ReleaseFigure | None = None  # the release's figure
    note: str = ""  # how the occupation was matched ("SOC 2010 29-2071, split …")


def figure_of_claim(claim: Claim, occupation: str | None = None) -> ReleaseFigure:
    """A primary source's claim as a release figure."""
    return ReleaseFigure(
        occupation or claim.occupation, claim.metric, claim.statistic, claim.unit,
        claim.geography, claim.stated_in, claim.period, claim.period_start, claim.period_end,
        claim.value, claim.low, claim.high, claim.value_text, claim.precision,
        "same" if occupation in (None, claim.occupation) else "crosswalk",
        claim.occupation, claim.source_id, claim.locator, "", claim.citation)


def release_figures(rows: list[dict], claims: list[Claim], authorities: dict[str, str],
                    crosswalk: dict[str, tuple[str, ...]] | None = None) -> list[ReleaseFigure]:
    """The release figures to match against: rows of the releases table that state a
    figure (a missing one says nothing), and primary sources' claims with a period, a
    SOC 2010 code's put on its SOC 2018 parts. One per (source, locator, occupation)."""
    found: dict[tuple, ReleaseFigure] = {}
    for row in rows:
        if row["value"] is None and row["low"] is None and not row["value_text"]:
            continue
        figure = ReleaseFigure(
            row["occupation"], row["metric"], row["statistic"], row["unit"], row["geography"],
            row["release"], row["period"], row["period_start"], row["period_end"], row["value"],
            row["low"], row["high"], row["value_text"], row["precision"], row["relation"],
            row["published_code"], row["source_id"], row["locator"], row["pairs_with"])
        found[(figure.source_id, figure.locator, figure.occupation)] = figure
    for claim in claims:
        if authorities.get(claim.source_id) != "primary" or not claim.period or not claim.stated_in:
            continue
        parts = (crosswalk or {}).get(claim.occupation, ())
        for occupation in parts or (claim.occupation,):
            figure = figure_of_claim(claim, occupation)
            if len(parts) > 1:
                figure = replace(figure, relation="split")
            found.setdefault((claim.source_id, claim.locator, occupation), figure)
    figures = list(found.values()) + percentile_ranges(found.values())
    return sorted(figures, key=lambda f: (f.family, f.period_end or 0, f.release,
                                          f.source_id, f.locator))


def _spanned(spans: str) -> str:
    """ "p10-p90" -> "the range is the release's 10th to 90th percentiles"."""
    if not spans:
        return ""
    lower, upper = (p.removeprefix("p") for p in spans.split("-"))
    return f"the range is the release's {lower}th to {upper}th percentiles"


def percentile_ranges(figures) -> list[ReleaseFigure]:
    """The ranges a release's percentiles make (RANGE_PERCENTILES): for each occupation,
    metric, place, unit and release that publishes both percentiles of a pair, one
    `range` figure from the lower to the upper, its locator both of theirs.

    >>> low = ReleaseFigure("29-2072", "wage", "p10", "USD/year", "United States",
    ...                     "OEWS May 2023", "2023", 2023, 2023, 35080.0, locator="A_PCT10")
    >>> high = replace(low, statistic="p90", value=77810.0, locator="A_PCT90")
    >>> [(f.statistic, f.low, f.high, f.spans, f.locator) for f in percentile_ranges([low, high])]
    [('range', 35080.0, 77810.0, 'p10-p90', 'A_PCT10+A_PCT90')]
    """
    by_release: dict[tuple, dict[str, ReleaseFigure]] = defaultdict(dict)
    for f in figures:
        if f.value is not None and f.statistic in ("p10", "p25", "p75", "p90"):
            key = (f.occupation, f.metric, f.unit, f.geography, f.release, f.period,
                   f.relation, f.published_code, f.source_id)
            held = by_release[key].get(f.statistic)
            if held is None or f.locator < held.locator:
                by_release[key][f.statistic] = f
    ranges = []
    for percentiles in by_release.values():
        for lower, upper in RANGE_PERCENTILES:
            if lower in percentiles and upper in percentiles:
                low, high = percentiles[lower], percentiles[upper]
                ranges.append(replace(low, statistic="range", value=None, low=low.value,
                                      high=high.value,
                                      precision=max(low.precision, high.precision),
                                      locator=f"{low.locator}+{high.locator}",
                                      spans=f"{lower}-{upper}"))
    return ranges


def _scale(unit: str) -> float:
    return HOURS_PER_YEAR if unit == "USD/hour" else 1


def _same_figure(claim: Claim, official: ReleaseFigure, precision: float) -> bool:
    if claim.unit in CATEGORICAL_UNITS:
        return bool(claim.value_text) and claim.value_text == official.value_text
    a, b = _scale(claim.unit), _scale(official.unit)

    def close(x, y) -> bool:
        if x is None or y is None:
            return x is None and y is None
        return abs(x - y) <= precision / 2 + 1e-9

    mine = [None if v is None else v * a for v in (claim.value, claim.low, claim.high)]
    theirs = [None if v is None else v * b for v in (official.value, official.low, official.high)]
    if mine[0] is None and mine[1] is None:
        return False
    return all(close(x, y) for x, y in zip(mine, theirs))


def _precision(claim: Claim, official: ReleaseFigure | None = None) -> float:
    mine = claim.precision * _scale(claim.unit)
    return mine if official is None else max(mine, official.precision * _scale(official.unit))


def _same_period(claim: Claim, official: ReleaseFigure) -> bool:
    if claim.period_end != official.period_end:
        return False
    return claim.period_start is None or claim.period_start == official.period_start


def _matchable(claim: Claim) -> bool:
    if claim.statistic not in MATCHABLE_STATISTICS or claim.value is None \
            and claim.low is None and not claim.value_text:
        return False
    if claim.industry or claim.union_status or claim.schedule or claim.subgroup or claim.scope:
        return False
    return not claim.level or claim.statistic in LEVELLED_STATISTICS


def edition_of(figure: ReleaseFigure | Claim, program: str) -> int | None:
    """The year of the edition a figure belongs to: the May of an OEWS wage, the first
    year of an Employment Projections cycle. A category (typical education) stays the
    same for years: it belongs to no edition."""
    if figure.unit in CATEGORICAL_UNITS:
        return None
    if program == "EP":
        return figure.period_start
    if program == "OEWS" and figure.metric == "wage":
        return figure.period_end
    return None


class Series:
    """The release figures of one family (one occupation's metric, statistic, unit and
    place), indexed for matching: by period for a dated claim, by figure for an undated
    one (a sorted list bisected within the precision, never a scan of every release)."""

    def __init__(self, figures: list[ReleaseFigure]):
        self.figures = figures
        periods = sorted({(f.period_end or 0, f.period) for f in figures})
        self.latest = max(periods) if periods else None
        self.later = {end: sum(1 for e, _ in periods if e > end) for end, _ in periods}
        self.by_end: dict[int | None, list[int]] = defaultdict(list)
        self.by_text: dict[str, list[int]] = defaultdict(list)
        values, lows = [], []
        self.widest = 0.0
        for i, f in enumerate(figures):
            self.by_end[f.period_end].append(i)
            if f.unit in CATEGORICAL_UNITS:
                self.by_text[f.value_text].append(i)
                continue
            scale = _scale(f.unit)
            self.widest = max(self.widest, f.precision * scale)
            if f.value is not None:
                values.append((f.value * scale, i))
            elif f.low is not None:
                lows.append((f.low * scale, i))
        values.sort()
        lows.sort()
        self.values, self.value_keys = values, [v for v, _ in values]
        self.lows, self.low_keys = lows, [v for v, _ in lows]

    def dated(self, claim: Claim) -> list[ReleaseFigure]:
        """The figures of the claim's own period, in the family's order."""
        return [self.figures[i] for i in self.by_end.get(claim.period_end, ())
                if _same_period(claim, self.figures[i])]

    def agreeing(self, claim: Claim) -> list[ReleaseFigure]:
        """The figures `_same_figure` holds the claim to state, in the family's order."""
        if claim.unit in CATEGORICAL_UNITS:
            if not claim.value_text:
                return []
            found = [i for i in self.by_text.get(claim.value_text, ())]
        else:
            scale = _scale(claim.unit)
            if claim.value is not None:
                pairs, keys, x = self.values, self.value_keys, claim.value * scale
            elif claim.low is not None:
                pairs, keys, x = self.lows, self.low_keys, claim.low * scale
            else:
                return []
            reach = max(claim.precision * scale, self.widest) / 2 + 1e-6
            found = sorted(pairs[k][1] for k in range(bisect_left(keys, x - reach),
                                                      bisect_right(keys, x + reach)))
        return [f for f in (self.figures[i] for i in found)
                if _same_figure(claim, f, _precision(claim, f))]


def _series_match(claim: Claim, series: Series) -> Match:
    """A claim against the release figures of its family (one occupation)."""

    def matched(figure: ReleaseFigure, outcome: str = "matched") -> Match:
        return Match(outcome, figure.release, series.later[figure.period_end or 0],
                     edition=edition_of(figure, figure.program), program=figure.program,
                     figure=figure, note=_spanned(figure.spans))

    if claim.period_basis in ("stated", "inferred", "history"):
        same = series.dated(claim)
        if not same:
            return Match("unmatched")
        agreeing = [f for f in same if _same_figure(claim, f, _precision(claim, f))]
        if agreeing:
            return matched(_preferred(agreeing))
        if claim.statistic == "range":
            return Match("unmatched")  # a page may draw its range some other way
        return matched(_preferred(same), "differs")
    found = series.agreeing(claim)
    releases = sorted({(f.period_end or 0, f.period) for f in found})
    if len(releases) == 1:
        return matched(_preferred(found))
    if releases and claim.unit in CATEGORICAL_UNITS:
        current = [f for f in found if (f.period_end or 0, f.period) == series.latest]
        if current:
            return matched(_preferred(current))
    if releases:
        return Match("ambiguous", candidates=tuple(sorted({f.release for f in found})))
    return Match("unmatched")


RELATION_ORDER = {"same": 0, "crosswalk": 1, "split": 2, "hybrid": 3, "merged": 4,
                  "as-published": 5}


def _preferred(figures: list[ReleaseFigure]) -> ReleaseFigure:
    """Of several figures of one release, the one published for the occupation itself."""
    return min(figures, key=lambda f: (RELATION_ORDER.get(f.relation, 9), f.unit != "USD/year",
                                       f.source_id, f.locator))


def match_releases(claims: list[Claim], authorities: dict[str, str],
                   figures: list[ReleaseFigure] | None = None,
                   parts: dict[str, tuple[str, ...]] | None = None
                   ) -> tuple[list[Claim], dict[str, Match]]:
    """(claims with matched releases, periods and split occupations filled in, each
    claim's match). `figures` defaults to the primary sources' claims; `parts` gives the
    SOC 2018 parts of claims whose SOC 2010 occupation was split."""
    from pipeline.store import with_fields  # a fast copy of a claim with its release

    if figures is None:
        figures = release_figures([], claims, authorities)
    grouped: dict[tuple, list[ReleaseFigure]] = defaultdict(list)
    for figure in figures:
        grouped[figure.family].append(figure)
    series = {family: Series(members) for family, members in grouped.items()}
    no_series = Series([])
    parts = parts or {}
    matches: dict[str, Match] = {}
    updated: dict[str, Claim] = {}
    seen: dict[tuple, Match] = {}  # a figure's fields and family -> its match
    for claim in claims:
        if authorities.get(claim.source_id) == "primary":
            if claim.period:
                own = series[family_of(claim)].figures if family_of(claim) in series else []
                behind = len({f.period for f in own if (f.period_end or 0) > (claim.period_end or 0)})
                program = program_of(claim.stated_in)
                matches[claim.claim_id] = Match("matched", claim.stated_in, behind,
                                                edition=edition_of(claim, program),
                                                program=program)
            continue
        if not _matchable(claim):
            matches[claim.claim_id] = Match("unmatched")
            continue
        occupations = parts.get(claim.claim_id) or (claim.occupation,)
        family = family_of(claim)
        figure = (claim.unit, claim.value, claim.low, claim.high, claim.value_text,
                  claim.precision, claim.period_basis, claim.period_start, claim.period_end)
        tried = {}
        for code in occupations:
            # pages restate the same release figures over and over: a figure is matched
            # against its family's series once
            key = (code, *family[1:], *figure)
            if key not in seen:
                seen[key] = _series_match(claim, series.get((code, *family[1:]), no_series))
            tried[code] = seen[key]
        if len(occupations) == 1:
            match, code = tried[claim.occupation], claim.occupation
        else:
            hits = [c for c, m in tried.items() if m.outcome == "matched"]
            named = " and ".join(occupations)
            if len(hits) == 1:
                code = hits[0]
                match = replace(tried[code], note=f"SOC 2010 {claim.occupation}, split in SOC "
                                f"2018 into {named}: the figure is {code}'s")
            else:
                code = ""  # no SOC 2018 occupation can be told: never the retired code
                found = sorted({r for m in tried.values() for r in (m.candidates or (m.release,)) if r})
                match = Match("ambiguous" if found else "unmatched", candidates=tuple(found),
                              note=f"SOC 2010 {claim.occupation}, split in SOC 2018 into {named}: "
                                   + ("the figure fits several parts" if found
                                      else "the figure matches no part's releases"))
        matches[claim.claim_id] = match
        changes: dict = {}
        if code != claim.occupation:
            changes.update(occupation=code, occupation_basis="crosswalk" if code else "")
        if match.outcome in ("matched", "differs") and match.figure and not claim.stated_in:
            changes.update(stated_in=match.release)
        if match.outcome == "matched" and claim.period_basis == "unknown" and match.figure:
            f = match.figure
            changes.update(period=f.period, period_start=f.period_start,
                           period_end=f.period_end, period_basis="matched", stated_in=f.release)
        if changes:
            updated[claim.claim_id] = with_fields(claim, **changes)
    return [updated.get(c.claim_id, c) for c in claims], matches


def agency_pairings(figures: list[ReleaseFigure], claims: list[Claim],
                    authorities: dict[str, str]) -> set[tuple[int, int]]:
    """(wage year, first projection year) pairs the agency itself published together:
    an Employment Projections table printing "Median annual wage, 2020" beside its
    2019-29 projections, or one official page stating a May 2015 wage and 2014-24
    projections."""
    pairs: set[tuple[int, int]] = set()
    for f in figures:
        m = re.search(r"(\d{4})$", f.pairs_with)
        if m and f.program == "EP" and f.period_start:
            pairs.add((int(m.group(1)), f.period_start))
    by_page: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for c in claims:
        if authorities.get(c.source_id) != "primary" or not c.citation.startswith("http"):
            continue
        program = program_of(c.stated_in)
        edition = edition_of(c, program)
        if edition is not None:
            by_page[(c.source_id, c.citation)][program].add(edition)
    for editions in by_page.values():
        pairs |= {(w, p) for w in editions.get("OEWS", ()) for p in editions.get("EP", ())}
    return pairs


def mixed_vintage(claims: list[Claim], matches: dict[str, Match],
                  authorities: dict[str, str],
                  pairings: set[tuple[int, int]] = frozenset()) -> dict[str, list[int]]:
    """Pages whose matched figures come from more than one edition, with the editions.
    A May Y+1 wage beside projections from Y is one edition when the agency paired them
    so (`pairings`). (A primary source's table spans editions by design.)"""
    editions = Editions()
    editions.add(claims, matches, authorities)
    return editions.mixed(pairings)


class Editions:
    """The editions of each page's matched wages and projections, gathered a part of the
    claims at a time (`add`), and the pages that mix them (`mixed`)."""

    def __init__(self) -> None:
        self.wages: dict[str, set[int]] = defaultdict(set)
        self.projections: dict[str, set[int]] = defaultdict(set)

    def add(self, claims: list[Claim], matches: dict[str, Match],
            authorities: dict[str, str]) -> None:
        for claim in claims:
            if authorities.get(claim.source_id) == "primary":
                continue
            match = matches.get(claim.claim_id)
            if not match or match.outcome != "matched" or match.edition is None:
                continue
            if claim.period_basis == "history":
                continue  # "In May 2022 … $60,240": a past figure the page cites, not its vintage
            (self.projections if match.program == "EP" else self.wages)[claim.source_id].add(
                match.edition)

    def mixed(self, pairings: set[tuple[int, int]] = frozenset()) -> dict[str, list[int]]:
        mixed = {}
        for source in set(self.wages) | set(self.projections):
            w, p = self.wages.get(source, set()), self.projections.get(source, set())
            editions = w | p
            if len(editions) < 2:
                continue
            possible = set.intersection(*[{y} | {s for x, s in pairings if x == y} for y in w],
                                        *[{y} for y in p])
            if not possible:
                mixed[source] = sorted(editions)
        return mixed
