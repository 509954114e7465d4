"""Which official release each figure comes from.

Figures from primary sources (the statistical agency's own tables) are releases: "OEWS
May 2023", "Employment Projections 2023-2033". Every other figure is matched to the
releases of the same occupation, metric and statistic (hourly wages at 2,080 hours a
year):

- a figure whose page states its period is compared with the release of that period
  ("8.5% through 2032" with Employment Projections 2022-2032), within the coarser of the
  two precisions;
- a figure without a period is matched by value within its stated precision ("$49K" is
  OEWS May 2023's $48,780 and no other year's); it then gets that period with
  `period_basis = matched`. Two releases with the same rounded figure make the match
  `ambiguous`: reported, not guessed.

A matched figure records the release (`stated_in`) and how many later releases exist
(`releases_behind`). A page whose matched figures come from different editions — a May
2024 wage beside 2023-2033 projections — is `mixed-vintage`.

A figure the page cites as history (`period_basis = history`: "In May 2022 the median
was $60,240", beside the page's current figure) is matched to its release like any
stated figure, but it is the page's account of the past, not the page's vintage: it
never makes a page mixed-vintage.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from extractors.claims import Claim
from schemas.vocabulary import HOURS_PER_YEAR

MATCHABLE_STATISTICS = ("median", "mean", "p10", "p25", "p75", "p90", "change", "typical",
                        "unspecified")
LEVELLED_STATISTICS = ("median", "p10", "p25", "p75", "p90")
"""A page's rung label ("Entry (10th %ile)") names a percentile: it may still match."""


@dataclass(frozen=True)
class Match:
    outcome: str  # matched | ambiguous | unmatched | differs
    release: str = ""  # "OEWS May 2023"
    releases_behind: int | None = None
    candidates: tuple[str, ...] = ()  # releases an ambiguous figure could be from
    edition: int | None = None  # the year that ties wages and projections of one edition


def _family(claim: Claim) -> tuple:
    unit = "USD/year" if claim.unit == "USD/hour" else claim.unit
    return (claim.occupation, claim.metric, claim.statistic, unit, claim.geography)


def _scaled(claim: Claim) -> tuple[float | None, float]:
    scale = HOURS_PER_YEAR if claim.unit == "USD/hour" else 1
    value = claim.value if claim.value is not None else None
    return (None if value is None else value * scale), claim.precision * scale


def _same_figure(claim: Claim, official: Claim, precision: float) -> bool:
    if claim.unit in ("category", "boolean"):
        return claim.value_text == official.value_text
    a, _ = _scaled(claim)
    b, _ = _scaled(official)
    if a is None or b is None:
        return False
    return abs(a - b) <= precision / 2 + 1e-9


def _same_period(claim: Claim, official: Claim) -> bool:
    if claim.period_end != official.period_end:
        return False
    return claim.period_start is None or claim.period_start == official.period_start


EDITION_METRICS = ("wage", "employment_growth")
"""Figures that change with every edition; an education level stays the same for years."""


def edition_of(claim: Claim) -> int | None:
    """The year of the edition a figure belongs to: a May-Y wage and projections that
    start in Y are published together."""
    if claim.period_basis == "unknown" or claim.metric not in EDITION_METRICS:
        return None
    if claim.metric == "employment_growth" or (claim.period_start is not None
                                               and claim.period_start != claim.period_end):
        return claim.period_start
    return claim.period_end


def _matchable(claim: Claim) -> bool:
    if claim.statistic not in MATCHABLE_STATISTICS or claim.value is None and not claim.value_text:
        return False
    if claim.industry or claim.union_status or claim.schedule or claim.subgroup:
        return False
    return not claim.level or claim.statistic in LEVELLED_STATISTICS


def match_releases(claims: list[Claim], authorities: dict[str, str]
                   ) -> tuple[list[Claim], dict[str, Match]]:
    """(claims with matched releases and periods filled in, each claim's match)."""
    official: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if authorities.get(claim.source_id) == "primary" and claim.period:
            official[_family(claim)].append(claim)
    matches: dict[str, Match] = {}
    updated: dict[str, Claim] = {}
    for claim in claims:
        releases = official.get(_family(claim), [])

        def later(end: int, releases=releases) -> int:
            return len({o.period for o in releases if o.period_end > end})

        if authorities.get(claim.source_id) == "primary":
            if claim.period:
                matches[claim.claim_id] = Match("matched", claim.stated_in, later(claim.period_end),
                                                edition=edition_of(claim))
            continue
        if not releases or not _matchable(claim):
            matches[claim.claim_id] = Match("unmatched")
            continue
        if claim.period_basis in ("stated", "inferred", "history"):
            same = [o for o in releases if _same_period(claim, o)]
            if not same:
                matches[claim.claim_id] = Match("unmatched")
                continue
            o = same[0]
            precision = max(_scaled(claim)[1], _scaled(o)[1])
            outcome = "matched" if any(_same_figure(claim, x, precision) for x in same) else "differs"
            matches[claim.claim_id] = Match(outcome, o.stated_in, later(o.period_end),
                                            edition=edition_of(o))
            continue
        found = [o for o in releases if _same_figure(claim, o, _scaled(claim)[1])]
        periods = sorted({o.period for o in found})
        if len(periods) == 1:
            o = found[0]
            matches[claim.claim_id] = Match("matched", o.stated_in, later(o.period_end),
                                            edition=edition_of(o))
            updated[claim.claim_id] = replace(claim, period=o.period, period_start=o.period_start,
                                              period_end=o.period_end, period_basis="matched",
                                              stated_in=o.stated_in)
        elif periods:
            matches[claim.claim_id] = Match(
                "ambiguous", candidates=tuple(sorted({o.stated_in for o in found})))
        else:
            matches[claim.claim_id] = Match("unmatched")
    for claim_id, match in matches.items():
        if match.outcome in ("matched", "differs") and claim_id not in updated:
            claim = next(c for c in claims if c.claim_id == claim_id)
            if not claim.stated_in:
                updated[claim_id] = replace(claim, stated_in=match.release)
    return [updated.get(c.claim_id, c) for c in claims], matches


def mixed_vintage(claims: list[Claim], matches: dict[str, Match],
                  authorities: dict[str, str]) -> dict[str, list[int]]:
    """Pages whose matched figures come from more than one edition, with the editions.
    (A primary source's table spans editions by design.)"""
    editions: dict[str, set[int]] = defaultdict(set)
    for claim in claims:
        if authorities.get(claim.source_id) == "primary" or claim.period_basis == "history":
            continue
        match = matches.get(claim.claim_id)
        if match and match.outcome == "matched" and match.edition is not None:
            editions[claim.source_id].add(match.edition)
    return {source: sorted(years) for source, years in editions.items() if len(years) > 1}
