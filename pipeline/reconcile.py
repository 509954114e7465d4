"""Reconciliation: group claims by what they measure, cluster agreeing figures, explain
each disagreement and resolve it by a stated, ordered rule.

A *key* is (occupation, metric, statistic, unit family, geography, level, industry,
union status, schedule). Hourly wages join annual ones at 2,080 hours a year. Two
figures agree when they are the same number at the coarser of their two precisions:
"$49K" (precision 1,000) agrees with $48,780; $24.16 an hour (50,252.80 a year, precision
20.80) agrees with $50,250. More than one cluster in a key is a discrepancy.

Resolution rules, in order; the first that singles out one cluster decides and is
recorded on the fact:

1. `authority`     the only cluster backed by a primary source (the agency itself);
2. `latest-stated` the cluster with the most recent stated reference period;
3. `agreement`     the cluster backed by the most independent sources.

Nothing is dropped: the claims of other clusters stay in the curated claims table as
`alternative`s and are listed on the fact.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace

from extractors.claims import Claim
from schemas.vocabulary import HOURS_PER_YEAR

KEY_FIELDS = ("occupation", "metric", "statistic", "unit", "geography", "level", "industry",
              "union_status", "schedule", "subgroup")
AUTHORITY_RANK = {"primary": 2, "secondary": 1, "unknown": 0}
SEVERITY = {"unexplained": "high", "categorical": "medium", "intra-source": "medium",
            "vintage": "low", "definition": "info"}
CATEGORICAL_UNITS = ("category", "boolean")


@dataclass(frozen=True)
class Reading:
    """A claim's figure in its key's unit: hourly wages as annual ones."""

    claim: Claim
    value: float | None
    low: float | None
    high: float | None
    precision: float
    authority: str

    @property
    def source_id(self) -> str:
        return self.claim.source_id


@dataclass
class Cluster:
    readings: list[Reading] = field(default_factory=list)

    @property
    def representative(self) -> Reading:
        return self.readings[0]  # the most precise reading: clusters are seeded in that order

    @property
    def sources(self) -> list[str]:
        return sorted({r.source_id for r in self.readings})

    @property
    def stated_periods(self) -> set[str]:
        return {r.claim.period for r in self.readings if r.claim.period_basis == "stated"}

    @property
    def latest_end(self) -> int | None:
        ends = [r.claim.period_end for r in self.readings
                if r.claim.period_basis == "stated" and r.claim.period_end is not None]
        return max(ends) if ends else None

    @property
    def authority(self) -> int:
        return max(AUTHORITY_RANK[r.authority] for r in self.readings)


@dataclass(frozen=True)
class Fact:
    fact_id: str
    key: tuple
    status: str  # consensus | single-source | resolved | conflict
    rule: str  # unanimous | single-source | authority | latest-stated | agreement | none
    chosen: Reading | None
    clusters: tuple[Cluster, ...]
    winner: int | None  # index into clusters
    discrepancy_id: str = ""


@dataclass(frozen=True)
class Discrepancy:
    discrepancy_id: str
    key: tuple
    kind: str
    severity: str
    explanation: str
    clusters: tuple[Cluster, ...]
    proposed: Reading | None
    rule: str


@dataclass(frozen=True)
class Reconciliation:
    claims: list[Claim]  # with periods inferred where a page states them elsewhere
    facts: list[Fact]
    discrepancies: list[Discrepancy]
    roles: dict[str, tuple[str, str]]  # claim_id -> (fact_id, role)


def key_of(claim: Claim) -> tuple:
    unit = "USD/year" if claim.unit == "USD/hour" else claim.unit
    return tuple(unit if name == "unit" else getattr(claim, name) for name in KEY_FIELDS)


def reading_of(claim: Claim, authority: str) -> Reading:
    scale = HOURS_PER_YEAR if claim.unit == "USD/hour" else 1

    def scaled(x: float | None) -> float | None:
        return None if x is None else round(x * scale, 6)

    return Reading(claim, scaled(claim.value), scaled(claim.low), scaled(claim.high),
                   claim.precision * scale, authority)


def _close(a: float | None, pa: float, b: float | None, pb: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b or abs(a - b) < max(pa, pb) / 2


def agree(a: Reading, b: Reading) -> bool:
    """Whether two readings state the same figure, at the coarser of their precisions.

    >>> from extractors.claims import new_claim
    >>> def r(value, precision, unit="USD/year"):
    ...     c = new_claim(source_id="s", metric="wage", statistic="median", unit=unit,
    ...                   value=value, figure="$1", quote="$1", locator="chars=0-2",
    ...                   method="test", precision=precision)
    ...     return reading_of(c, "unknown")
    >>> agree(r(49000, 1000), r(48780, 1)), agree(r(24.16, 0.01, "USD/hour"), r(50250, 1))
    (True, True)
    >>> agree(r(47180, 1), r(48780, 1))
    False
    """
    if a.claim.unit in CATEGORICAL_UNITS:
        return a.claim.value_text == b.claim.value_text
    return (_close(a.value, a.precision, b.value, b.precision)
            and _close(a.low, a.precision, b.low, b.precision)
            and _close(a.high, a.precision, b.high, b.precision))


def clusters_of(readings: list[Reading]) -> list[Cluster]:
    """Agreeing readings together, most precise first; clusters ordered by figure."""
    ordered = sorted(readings, key=lambda r: (r.precision, _sort_value(r), r.claim.claim_id))
    clusters: list[Cluster] = []
    for reading in ordered:
        home = next((c for c in clusters if agree(c.representative, reading)), None)
        if home is None:
            clusters.append(Cluster([reading]))
        else:
            home.readings.append(reading)
    return sorted(clusters, key=lambda c: (_sort_value(c.representative),
                                           c.representative.claim.claim_id))


def _sort_value(r: Reading) -> tuple:
    if r.claim.unit in CATEGORICAL_UNITS:
        return (0.0, r.claim.value_text)
    number = r.value if r.value is not None else r.low
    return (number if number is not None else 0.0, "" if r.high is None else f"{r.high:020.6f}")


def infer_periods(claims: list[Claim]) -> list[Claim]:
    """A page that states a figure once with its year and once without: the year is
    inferred for the other. Only within one source and one key, for the same figure."""
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_key[(claim.source_id, key_of(claim))].append(claim)
    inferred: dict[str, Claim] = {}
    for group in by_key.values():
        stated = [c for c in group if c.period_basis == "stated"]
        for claim in group:
            if claim.period_basis != "unknown":
                continue
            reading = reading_of(claim, "unknown")
            matches = {(c.period, c.period_start, c.period_end) for c in stated
                       if agree(reading_of(c, "unknown"), reading)}
            if len(matches) == 1:
                period, start, end = matches.pop()
                inferred[claim.claim_id] = replace(claim, period=period, period_start=start,
                                                   period_end=end, period_basis="inferred")
    return [inferred.get(c.claim_id, c) for c in claims]


def _fingerprint(prefix: str, *parts) -> str:
    return prefix + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


def resolve(clusters: list[Cluster]) -> tuple[int | None, str]:
    """(index of the winning cluster, rule that decided) — (None, "none") on a tie."""
    if len(clusters) == 1:
        return 0, "unanimous" if len(clusters[0].sources) > 1 else "single-source"
    best = max(c.authority for c in clusters)
    top = [i for i, c in enumerate(clusters) if c.authority == best]
    if best == AUTHORITY_RANK["primary"] and len(top) == 1:
        return top[0], "authority"
    ends = [(c.latest_end, i) for i, c in enumerate(clusters) if c.latest_end is not None]
    if ends:
        latest = max(end for end, _ in ends)
        winners = [i for end, i in ends if end == latest]
        if len(winners) == 1:
            return winners[0], "latest-stated"
    support = [len(c.sources) for c in clusters]
    most = max(support)
    if support.count(most) == 1:
        return support.index(most), "agreement"
    return None, "none"


def classify(key: tuple, clusters: list[Cluster]) -> tuple[str, str]:
    """(kind, why) of a key whose claims fall into more than one cluster."""
    unit, statistic = key[KEY_FIELDS.index("unit")], key[KEY_FIELDS.index("statistic")]
    sources = {s for c in clusters for s in c.sources}
    if unit in CATEGORICAL_UNITS:
        counts = sorted(((len(c.sources), c.representative.claim.value_text) for c in clusters),
                        reverse=True)
        outliers = [text for n, text in counts if n == counts[-1][0]]
        why = (f"after normalising, the pages name {len(clusters)} different values"
               + (f"; the odd one out is {outliers[0]!r}" if len(outliers) == 1
                  and counts[0][0] > counts[-1][0] else ""))
        return "categorical", why
    if len(sources) == 1:
        why = f"{next(iter(sources))} states {len(clusters)} different figures for the same key"
        labels = sorted({r.claim.qualifier_text for c in clusters for r in c.readings
                         if r.claim.qualifier_text})
        if len(labels) > 1:
            why += " (its own labels: " + ", ".join(f"‘{label}’" for label in labels) + ")"
        return "intra-source", why
    periods = [c.stated_periods for c in clusters]
    with_period = [p for p in periods if p]
    shared = set.intersection(*with_period) if len(with_period) > 1 else set()
    if len(with_period) >= 2 and not shared and _disjoint(periods):
        unstated = sum(1 for p in periods if not p)
        shown = [", ".join(f"through {x[1:]}" if x.startswith("-") else x for x in sorted(p))
                 for p in periods if p]
        why = "the figures are for different reference periods (" + "; ".join(shown) + ")"
        if unstated:
            why += f"; {unstated} figure(s) state no period"
        return "vintage", why
    if statistic in ("range", "unspecified"):
        return "definition", ("the pages do not say how the figure is defined (a range may be "
                              "min–max, 10th–90th percentile or a typical band)")
    return "unexplained", "same key, different figures, and no difference of period or definition found"


def _disjoint(periods: list[set[str]]) -> bool:
    seen: set[str] = set()
    for p in periods:
        if p & seen:
            return False
        seen |= p
    return True


def reconcile(claims: list[Claim], authorities: dict[str, str]) -> Reconciliation:
    """Facts, discrepancies and each claim's role, from the validated claims.

    `authorities` maps a source id to its registry authority.
    """
    claims = infer_periods(claims)
    groups: dict[tuple, list[Reading]] = defaultdict(list)
    for claim in claims:
        groups[key_of(claim)].append(reading_of(claim, authorities.get(claim.source_id, "unknown")))
    facts: list[Fact] = []
    discrepancies: list[Discrepancy] = []
    roles: dict[str, tuple[str, str]] = {}
    for key in sorted(groups):
        clusters = clusters_of(groups[key])
        winner, rule = resolve(clusters)
        fact_id = _fingerprint("f-", *key)
        discrepancy_id = ""
        if len(clusters) > 1:
            kind, why = classify(key, clusters)
            discrepancy_id = _fingerprint("d-", "key", *key)
            discrepancies.append(Discrepancy(
                discrepancy_id, key, kind, SEVERITY[kind], why, tuple(clusters),
                clusters[winner].representative if winner is not None else None, rule))
        if len(clusters) == 1:
            status = "consensus" if len(clusters[0].sources) > 1 else "single-source"
        else:
            status = "resolved" if winner is not None else "conflict"
        chosen = clusters[winner].representative if winner is not None else None
        facts.append(Fact(fact_id, key, status, rule, chosen, tuple(clusters), winner,
                          discrepancy_id))
        for index, cluster in enumerate(clusters):
            for reading in cluster.readings:
                role = ("chosen" if chosen is not None and reading is chosen else
                        "supporting" if index == winner else
                        "alternative" if winner is not None else "contested")
                roles[reading.claim.claim_id] = (fact_id, role)
    discrepancies = [_with_reused_figures(d, claims) for d in discrepancies]
    discrepancies.extend(restatements(claims, authorities))
    discrepancies.sort(key=lambda d: (_SEVERITY_ORDER[d.severity], d.key, d.discrepancy_id))
    return Reconciliation(claims, facts, discrepancies, roles)


_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def _with_reused_figures(d: Discrepancy, claims: list[Claim]) -> Discrepancy:
    """Note where a self-contradicting page reuses one of the figures for another group.

    A page whose prose reads the ends of a table range as union and non-union pay shows
    how it misread its own table; the analyst needs to see that next to the conflict.
    """
    if d.kind != "intra-source":
        return d
    source = d.clusters[0].readings[0].source_id
    mine = {r.claim.claim_id for c in d.clusters for r in c.readings}
    figures = {x: r.claim.figure for c in d.clusters for r in c.readings
               for x in (r.value, r.low, r.high) if x is not None}
    reused = []
    for claim in claims:
        if claim.source_id != source or claim.claim_id in mine or claim.value is None:
            continue
        if claim.value in figures and key_of(claim) != d.key:
            who = ", ".join(f"{q}={getattr(claim, q)}" for q in
                            ("level", "industry", "union_status", "schedule", "subgroup")
                            if getattr(claim, q))
            reused.append(f"{claim.figure} as the {claim.statistic} for {who or claim.geography}")
    if not reused:
        return d
    return replace(d, explanation=d.explanation + "; the same page also gives "
                   + "; ".join(sorted(set(reused))) + ", figures that also appear in this "
                   "discrepancy")
POPULATION = ("occupation", "metric", "geography", "level", "industry", "union_status", "schedule",
              "subgroup")


def restatements(claims: list[Claim], authorities: dict[str, str]) -> list[Discrepancy]:
    """Prose that restates a page's own table with a figure the table does not hold.

    "Full-time … earn an average salary of $50,793.60" under a table whose full-time row
    is $36,732.80 – $57,824.00: the page contradicts itself across statistics, which
    grouping by key cannot see.
    """
    tables: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.method == "table-row":
            tables[(claim.source_id,) + tuple(getattr(claim, f) for f in POPULATION)].append(claim)
    found = []
    for claim in claims:
        if claim.method != "sentence" or claim.unit in CATEGORICAL_UNITS:
            continue
        rows = tables.get((claim.source_id,) + tuple(getattr(claim, f) for f in POPULATION))
        if not rows:
            continue
        prose = reading_of(claim, authorities.get(claim.source_id, "unknown"))
        figures = [x for r in rows for x in (r.value, r.low, r.high) if x is not None]
        if any(abs(prose.value - x) < 0.005 for x in figures if prose.value is not None):
            continue
        if prose.value is None:
            continue
        table_text = "; ".join(r.figure for r in rows)
        key = key_of(claim)
        readings = [prose] + [reading_of(r, authorities.get(r.source_id, "unknown")) for r in rows]
        found.append(Discrepancy(
            _fingerprint("d-", "restatement", claim.source_id, *key),
            key, "intra-source", SEVERITY["intra-source"],
            f"{claim.source_id}'s prose gives {claim.statistic} {claim.figure}, a figure its own "
            f"table does not hold for the same population (table: {table_text})",
            tuple(Cluster([r]) for r in readings), None, "none"))
    return found
