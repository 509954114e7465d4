"""Reconciliation: match figures to official releases, group claims by what they
measure, cluster agreeing figures, say what each group's disagreement is, and resolve
it by a stated, ordered rule or an analyst's decision.

A *key* is (occupation, metric, statistic, unit family, geography, level, industry,
union status, schedule, subgroup). Hourly wages join annual ones at 2,080 hours a year.
Two figures agree when they are the same number at the coarser of their two precisions
("$49K" and $48,780; $24.16 an hour and $50,250 a year) and do not state different
periods.

Every key gets an outcome: `agree`, `rounding` (one figure at several precisions or
units), `stale` (older releases of the same statistic), `definition` (ranges or
unlabelled figures that pages define differently), `intra-source` (a page contradicting
itself), `categorical` (different categories) or `conflict` (no explanation found). Only
conflicts, categorical and intra-source disagreements reach the analyst's queue.

Resolution, first rule that singles out one cluster (recorded on the fact and as the
reason of each claim's rank):

1. `analyst`       an analyst's decision whose evidence is unchanged;
2. `primary-latest` the latest release of a primary source (the agency itself);
3. `latest-stated`  the most recent reference period a page states or matches;
4. `agreement`      the most independent sources (pages copying one stale or wrong
                    figure count once).

Claims are ranked like Wikidata statements: `preferred` (the resolved figure),
`normal`, or `deprecated` (superseded by a later release, or by an analyst). Nothing is
dropped.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace

from extractors.claims import Claim
from pipeline.decisions import Decision, DecisionResult, evidence_of
from pipeline.vintage import (Match, ReleaseFigure, agency_pairings, match_releases,
                             mixed_vintage, release_figures)
from schemas.vocabulary import HOURS_PER_YEAR, QUALIFIERS

KEY_FIELDS = ("occupation", "metric", "statistic", "unit", *QUALIFIERS)
AUTHORITY_RANK = {"primary": 2, "secondary": 1, "unknown": 0}
SEVERITY = {"conflict": "high", "categorical": "medium", "intra-source": "medium",
            "stale": "low", "definition": "info"}
QUEUE = frozenset({"conflict", "categorical", "intra-source"})
QUEUES = ("open", "decided", "explained")
"""open: an analyst must decide (or review a decision whose evidence changed); decided:
every decision on it applies; explained: the rules explain it."""
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

    @property
    def period_known(self) -> bool:
        return self.claim.period_basis != "unknown" and self.claim.period_end is not None


@dataclass
class Cluster:
    readings: list[Reading] = field(default_factory=list)
    copies: str = ""  # id of the copy cluster its pages form, if they copy one figure

    @property
    def representative(self) -> Reading:
        return self.readings[0]  # the most precise reading: clusters are seeded in that order

    @property
    def sources(self) -> list[str]:
        return sorted({r.source_id for r in self.readings})

    @property
    def periods(self) -> set[str]:
        return {r.claim.period for r in self.readings if r.period_known}

    @property
    def latest_end(self) -> int | None:
        ends = [r.claim.period_end for r in self.readings if r.period_known]
        return max(ends) if ends else None

    @property
    def primary_end(self) -> int | None:
        ends = [r.claim.period_end for r in self.readings
                if r.authority == "primary" and r.period_known]
        return max(ends) if ends else None

    @property
    def independent_sources(self) -> int:
        """Sources counted for agreement: a copy cluster's pages count once."""
        primary = {r.source_id for r in self.readings if r.authority == "primary"}
        others = {r.source_id for r in self.readings} - primary
        return len(primary) + (1 if self.copies and others else len(others))


@dataclass(frozen=True)
class Fact:
    fact_id: str
    key: tuple
    outcome: str
    status: str  # consensus | single-source | resolved | conflict
    rule: str  # analyst | primary-latest | latest-stated | agreement | single-source | none
    chosen: Reading | None
    clusters: tuple[Cluster, ...]
    winner: int | None  # index into clusters
    discrepancy_id: str = ""


@dataclass(frozen=True)
class Discrepancy:
    discrepancy_id: str
    key: tuple
    outcome: str
    severity: str
    queue: str  # open | decided | explained (QUEUES)
    explanation: str
    clusters: tuple[Cluster, ...]
    proposed: Reading | None
    rule: str
    evidence: str
    decisions: tuple[DecisionResult, ...] = ()  # analysts' decisions on it, in file order


@dataclass(frozen=True)
class SourceVintage:
    current: int = 0  # figures matching the latest release
    stale: int = 0  # figures matching an older release
    unmatched: int = 0  # no release of that statistic has the figure
    ambiguous: int = 0
    differs: int = 0  # the page's stated period has a different official figure
    editions: tuple[int, ...] = ()  # more than one: mixed-vintage
    history: int = 0  # past figures the page cites as such: not the page's vintage


@dataclass(frozen=True)
class Reconciliation:
    claims: list[Claim]  # with periods and releases filled in where they were inferred
    facts: list[Fact]
    discrepancies: list[Discrepancy]
    ranks: dict[str, tuple[str, str, str]]  # claim_id -> (fact_id, rank, reason)
    matches: dict[str, Match]
    sources: dict[str, SourceVintage]
    decisions: list[DecisionResult]
    figures: list[ReleaseFigure] = field(default_factory=list)  # the releases matched against


def key_of(claim: Claim) -> tuple:
    unit = "USD/year" if claim.unit == "USD/hour" else claim.unit
    return tuple(unit if name == "unit" else getattr(claim, name) for name in KEY_FIELDS)


def reading_of(claim: Claim, authority: str) -> Reading:
    scale = HOURS_PER_YEAR if claim.unit == "USD/hour" else 1

    def scaled(x: float | None) -> float | None:
        return None if x is None else round(x * scale, 6)

    return Reading(claim, scaled(claim.value), scaled(claim.low), scaled(claim.high),
                   claim.precision * scale, authority)


def _close(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance + 1e-9


def _periods_compatible(a: Reading, b: Reading) -> bool:
    if not (a.period_known and b.period_known):
        return True
    x, y = a.claim, b.claim
    if x.period_end != y.period_end:
        return False
    return x.period_start is None or y.period_start is None or x.period_start == y.period_start


def agree(a: Reading, b: Reading) -> bool:
    """Whether two readings state the same figure: equal at the coarser of their
    precisions, and not for different stated periods.

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
        # a category holds across editions: the 2023-33 and 2024-34 projections' typical
        # education is one value, not two
        return a.claim.value_text == b.claim.value_text
    if not _periods_compatible(a, b):
        return False
    tolerance = max(a.precision, b.precision) / 2
    return (_close(a.value, b.value, tolerance) and _close(a.low, b.low, tolerance)
            and _close(a.high, b.high, tolerance))


def _sort_value(r: Reading) -> tuple:
    if r.claim.unit in CATEGORICAL_UNITS:
        return (0.0, r.claim.value_text, r.claim.period)
    number = r.value if r.value is not None else r.low
    return (number if number is not None else 0.0,
            "" if r.high is None else f"{r.high:020.6f}", r.claim.period)


def clusters_of(readings: list[Reading]) -> list[Cluster]:
    """Agreeing readings together, most precise (then dated) first; ordered by figure."""
    # a category's latest release represents it (the same value, stated again and again)
    ordered = sorted(readings, key=lambda r: (r.precision, r.authority != "primary",
                                              not r.period_known,
                                              -(r.claim.period_end or 0)
                                              if r.claim.unit in CATEGORICAL_UNITS else 0,
                                              _sort_value(r), r.claim.claim_id))
    clusters: list[Cluster] = []
    for reading in ordered:
        home = next((c for c in clusters if agree(c.representative, reading)
                     and (reading.claim.unit in CATEGORICAL_UNITS
                          or all(_periods_compatible(reading, x) for x in c.readings))), None)
        if home is None:
            clusters.append(Cluster([reading]))
        else:
            home.readings.append(reading)
    return sorted(clusters, key=lambda c: (_sort_value(c.representative),
                                           c.representative.claim.claim_id))


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


LATER_KEY_FIELDS = ("scope",)
"""Key fields added after fingerprints were first recorded: hashed only when set, so the
facts and discrepancies that do not use them keep the ids analysts' decisions refer to."""


def _key_parts(key: tuple) -> tuple:
    named = dict(zip(KEY_FIELDS, key))
    return tuple(value for name, value in named.items()
                 if name not in LATER_KEY_FIELDS or value)


def _unique_max(scores: list[tuple[int, int]]) -> int | None:
    """The index with the highest score, when only one has it."""
    if not scores:
        return None
    best = max(score for score, _ in scores)
    top = [i for score, i in scores if score == best]
    return top[0] if len(top) == 1 else None


def resolve(clusters: list[Cluster]) -> tuple[int | None, str]:
    """(index of the winning cluster, rule that decided) — (None, "none") on a tie."""
    if len(clusters) == 1:
        return 0, "agreement" if len(clusters[0].sources) > 1 else "single-source"
    primary = [(c.primary_end, i) for i, c in enumerate(clusters) if c.primary_end is not None]
    winner = _unique_max(primary)
    if winner is not None:
        return winner, "primary-latest"
    winner = _unique_max([(c.latest_end, i) for i, c in enumerate(clusters)
                          if c.latest_end is not None])
    if winner is not None:
        return winner, "latest-stated"
    winner = _unique_max([(c.independent_sources, i) for i, c in enumerate(clusters)])
    if winner is not None:
        return winner, "agreement"
    return None, "none"


def outcome_of(key: tuple, clusters: list[Cluster]) -> tuple[str, str]:
    """(outcome, why) of a key's clusters."""
    unit, statistic = key[KEY_FIELDS.index("unit")], key[KEY_FIELDS.index("statistic")]
    readings = [r for c in clusters for r in c.readings]
    if len(clusters) == 1:
        shapes = {(r.claim.unit, r.claim.precision) for r in readings}
        if len(shapes) > 1:
            return "rounding", "one figure, stated at several precisions or units"
        return "agree", "every figure is the same"
    if unit in CATEGORICAL_UNITS:
        counts = sorted(((c.independent_sources, c.representative.claim.value_text)
                         for c in clusters), reverse=True)
        odd = [text for n, text in counts if n == counts[-1][0]]
        why = f"after normalising, the sources name {len(clusters)} different values"
        if len(odd) == 1 and counts[0][0] > counts[-1][0]:
            why += f"; the odd one out is {odd[0]!r}"
        return "categorical", why
    programs = {r.claim.stated_in.split()[0] for r in readings
                if r.authority == "primary" and r.claim.stated_in}
    if len(programs) > 1:
        return "definition", ("the official figures come from different programs ("
                              + ", ".join(sorted(programs)) + ") that measure this differently")
    if all(c.periods for c in clusters) and _disjoint([c.periods for c in clusters]):
        return "stale", "the figures are releases of different reference periods (" + "; ".join(
            ", ".join(_period_text(p) for p in sorted(c.periods)) for c in clusters) + ")"
    sources = {r.source_id for r in readings}
    if len(sources) == 1:
        why = f"{next(iter(sources))} states {len(clusters)} different figures for the same key"
        labels = sorted({r.claim.qualifier_text for r in readings if r.claim.qualifier_text})
        if len(labels) > 1:
            why += " (its own labels: " + ", ".join(f"‘{label}’" for label in labels) + ")"
        return "intra-source", why
    if statistic in ("range", "unspecified"):
        why = ("the pages do not say how the figure is defined (a range may be min–max, "
               "10th–90th percentile or a typical band)")
        # a secondary page's range has a release only when it is a pair of its percentiles
        paired = sorted({(r.source_id, r.claim.stated_in) for r in readings
                         if statistic == "range" and r.authority != "primary"
                         and r.claim.stated_in})
        if paired:
            why += "; " + ", ".join(f"{source}'s is a pair of {release} percentiles"
                                    for source, release in paired)
        return "definition", why
    return "conflict", "same key, different figures, and no difference of period or definition found"


def _period_text(period: str) -> str:
    return f"through {period[1:]}" if period.startswith("-") else period


def _disjoint(periods: list[set[str]]) -> bool:
    seen: set[str] = set()
    for p in periods:
        if p & seen:
            return False
        seen |= p
    return True


def _mark_copies(clusters: list[Cluster], matches: dict[str, Match]) -> None:
    """Pages that share one stale or wrong figure probably copy one another."""
    for cluster in clusters:
        # a page citing a past release as history states it rightly: that is no copy
        pages = [r for r in cluster.readings
                 if r.authority != "primary" and r.claim.period_basis != "history"]
        if len({r.source_id for r in pages}) < 2:
            continue
        def off(r: Reading) -> bool:
            m = matches.get(r.claim.claim_id)
            return m is not None and (m.outcome == "differs" or (m.outcome == "matched"
                                                                   and (m.releases_behind or 0) > 0))
        if all(off(r) for r in pages):
            cluster.copies = _fingerprint("k-", *sorted({r.source_id for r in pages}),
                                          _sort_value(cluster.representative))


def _number(text: str) -> float | None:
    """A figure typed by an analyst as a number: "$50,250", "50250", "8.5%", "24.16"."""
    cleaned = text.strip().replace(",", "").replace("$", "").rstrip("%").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def _names(target: str, reading: Reading) -> bool:
    c = reading.claim
    if target in (c.claim_id, c.source_id, c.figure) or (c.value_text and target == c.value_text):
        return True
    number = _number(target)
    return number is not None and any(
        x is not None and abs(x - number) < 1e-9 for x in (c.value, reading.value))


def named_clusters(clusters: list[Cluster] | tuple[Cluster, ...], target: str) -> list[int]:
    """Indices of the clusters (figures) that a decision's target names: a claim id, a
    source id, a figure as printed ("$49K"), a category, or a value ("$50,250", "8.5").

    A source that states several figures of a discrepancy names them all, so a decision
    to prefer it is ambiguous; a claim id always names one figure.
    """
    return [i for i, cluster in enumerate(clusters)
            if any(_names(target, r) for r in cluster.readings)]


def named_figures(clusters: list[Cluster] | tuple[Cluster, ...], target: str
                  ) -> list[tuple[int, str]]:
    """The figures a `prefer` target names, as (cluster index, unit): a source names each
    figure it states, and its year and hour figures are two even where they agree
    ($50,250 a year and $24.16 an hour); a claim id or a value names its clusters."""
    stated = sorted({(i, r.claim.unit) for i, cluster in enumerate(clusters)
                     for r in cluster.readings if r.source_id == target})
    return stated or [(i, "") for i in named_clusters(clusters, target)]


def named_claims(clusters: list[Cluster] | tuple[Cluster, ...], target: str) -> set[str]:
    """Ids of the claims a decision's target names: the claim, every claim of the source,
    or every claim of the figures a value names."""
    hit = {r.claim.claim_id for c in clusters for r in c.readings
           if target in (r.claim.claim_id, r.claim.source_id)}
    return hit or {r.claim.claim_id for i in named_clusters(clusters, target)
                   for r in clusters[i].readings}


def figures_text(clusters: list[Cluster] | tuple[Cluster, ...], indices: list[int],
                 source: str = "") -> list[str]:
    """One line per figure, each claim with its id: "$44,090 (2020): oews-national-2020
    c-0a1b…", for messages that ask an analyst to name one of them."""
    lines = []
    for i in indices:
        for r in clusters[i].readings:
            if source and r.source_id != source:
                continue
            c = r.claim
            period = f" ({c.period})" if c.period else ""
            lines.append(f"{c.figure}{period}: {c.source_id} {c.claim_id}")
    return lines


def reconcile(claims: list[Claim], authorities: dict[str, str],
              decisions: list[Decision] = (), figures: list[ReleaseFigure] | None = None,
              parts: dict[str, tuple[str, ...]] | None = None) -> Reconciliation:
    """Facts, discrepancies, ranks and release matches from the validated claims.

    `authorities` maps a source id to its registry authority; `decisions` are the
    analysts' recorded decisions, applied when their evidence is unchanged; `figures`
    are the official releases to match against (default: the primary sources' claims);
    `parts` the SOC 2018 parts of claims whose SOC 2010 occupation was split.
    """
    claims = infer_periods(claims)
    if figures is None:
        figures = release_figures([], claims, authorities)
    claims, matches = match_releases(claims, authorities, figures, parts)
    pairings = agency_pairings(figures, claims, authorities)
    groups: dict[tuple, list[Reading]] = defaultdict(list)
    for claim in claims:
        groups[key_of(claim)].append(reading_of(claim, authorities.get(claim.source_id, "unknown")))
    by_discrepancy: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_discrepancy[decision.discrepancy].append(decision)
    facts: list[Fact] = []
    discrepancies: list[Discrepancy] = []
    ranks: dict[str, tuple[str, str, str]] = {}
    results: list[DecisionResult] = []
    for key in sorted(groups):
        clusters = clusters_of(groups[key])
        _mark_copies(clusters, matches)
        fact_id = _fingerprint("f-", *_key_parts(key))
        outcome, why = outcome_of(key, clusters)
        discrepancy_id = _fingerprint("d-", "key", *_key_parts(key)) if len(clusters) > 1 else ""
        evidence = evidence_of(r.claim for c in clusters for r in c.readings)
        decided = apply_decisions(by_discrepancy.pop(discrepancy_id, []) if discrepancy_id
                                  else [], evidence, clusters)
        deprecated = decided.deprecated
        eligible = [c for c in clusters if not all(r.claim.claim_id in deprecated
                                                   for r in c.readings)]
        if decided.winner is not None:
            winner, rule = decided.winner, "analyst"
        else:
            index, rule = resolve(eligible) if eligible else (None, "none")
            winner = clusters.index(eligible[index]) if index is not None else None
            if deprecated and winner is not None:
                rule = "analyst"
        queue = decided.queue or ("open" if outcome in QUEUE else "explained")
        if decided.split is not None:
            outcome, why = "definition", f"an analyst split the key: {decided.split.reason}"
        results.extend(decided.results)
        # an analyst's deprecated claim never stands for the resolved figure
        chosen = next((r for r in clusters[winner].readings if r.claim.claim_id not in deprecated),
                      clusters[winner].representative) if winner is not None else None
        if discrepancy_id:
            discrepancies.append(Discrepancy(
                discrepancy_id, key, outcome, SEVERITY[outcome], queue, why, tuple(clusters),
                chosen, rule, evidence, decided.results))
        status = ("consensus" if len(clusters[0].sources) > 1 else "single-source") \
            if len(clusters) == 1 else ("resolved" if winner is not None else "conflict")
        facts.append(Fact(fact_id, key, outcome, status, rule, chosen, tuple(clusters), winner,
                          discrepancy_id))
        ranks.update(_ranks(fact_id, clusters, winner, rule, deprecated))
    for found in restatements(claims, authorities):
        decided = apply_decisions(by_discrepancy.pop(found.discrepancy_id, []), found.evidence,
                                  list(found.clusters))
        results.extend(decided.results)
        if decided.results:
            found = replace(found, decisions=decided.results,
                            queue=decided.queue or found.queue)
        discrepancies.append(found)
    for gone in by_discrepancy.values():  # decisions whose discrepancy has gone
        results.extend(DecisionResult(decision, "needs-review", "the discrepancy no longer "
                                      "exists: the claims behind it changed")
                       for decision in gone)
    discrepancies = [_with_reused_figures(d, claims) for d in discrepancies]
    discrepancies.sort(key=lambda d: (QUEUES.index(d.queue), _SEVERITY_ORDER[d.severity], d.key,
                                      d.discrepancy_id))
    return Reconciliation(claims, facts, discrepancies, ranks, matches,
                          _source_vintages(claims, matches, authorities, pairings),
                          sorted(results, key=lambda r: (r.decision.discrepancy,
                                                         decisions.index(r.decision))),
                          figures)


@dataclass(frozen=True)
class Decided:
    """What the analysts' decisions on one discrepancy do together."""

    results: tuple[DecisionResult, ...] = ()
    winner: int | None = None  # the cluster an applied `prefer` names
    deprecated: frozenset = frozenset()  # claim ids applied `deprecate`s name
    split: Decision | None = None  # an applied `split`

    @property
    def queue(self) -> str | None:
        """open while a decision needs review, decided once every decision applies."""
        if any(r.status == "needs-review" for r in self.results):
            return "open"
        return "decided" if self.results else None


def apply_decisions(decisions: list[Decision], evidence: str,
                    clusters: list[Cluster]) -> Decided:
    """Apply every decision on one discrepancy; each is `applied` or `needs-review`.

    A decision needs review when the claims behind it changed, when its target names
    no figure of the discrepancy or, for `prefer`, more than one (`named_figures`: a
    source stating several figures, or one figure both a year and an hour), and when it
    contradicts another decision — then both need review: two `prefer`s of different
    figures, a `prefer` and a `deprecate` naming a claim in common, both
    `not-a-conflict` and `split`. Any number of `deprecate`s combine.
    """
    verdicts: dict[int, tuple[str, str]] = {}
    preferred: dict[int, int] = {}  # decision index -> cluster index
    deprecated: dict[int, set[str]] = {}
    for n, decision in enumerate(decisions):
        if decision.evidence != evidence:
            verdicts[n] = ("needs-review", "the claims behind this decision changed since it "
                                           "was made")
            continue
        named = named_clusters(clusters, decision.target) if decision.target else []
        figures = named_figures(clusters, decision.target) if decision.action == "prefer" else []
        if decision.action in ("prefer", "deprecate") and not named:
            verdicts[n] = ("needs-review", f"{decision.target!r} is not among the "
                                           "discrepancy's claims")
        elif decision.action == "prefer" and len(figures) > 1:
            source = decision.target if any(decision.target in c.sources for c in clusters) else ""
            verdicts[n] = ("needs-review", f"{decision.target!r} names {len(figures)} figures of "
                           "this discrepancy (" + "; ".join(figures_text(
                               clusters, sorted({i for i, _ in figures}), source))
                           + "): prefer one claim id")
        elif decision.action == "prefer":
            preferred[n] = named[0]
        elif decision.action == "deprecate":
            deprecated[n] = named_claims(clusters, decision.target)
    if len(set(preferred.values())) > 1:
        for n in preferred:
            verdicts[n] = ("needs-review", "contradicts another decision that prefers a "
                                           "different figure of this discrepancy")
    for n in preferred:
        vouched = named_claims(clusters, decisions[n].target)
        for m, gone in deprecated.items():
            if vouched & gone:
                verdicts.setdefault(n, ("needs-review", "prefers a figure that another "
                                        f"decision deprecates ({decisions[m].target})"))
                verdicts.setdefault(m, ("needs-review", "deprecates a figure that another "
                                        f"decision prefers ({decisions[n].target})"))
    classes = [n for n, d in enumerate(decisions) if d.action in ("not-a-conflict", "split")
               and n not in verdicts]
    if len({decisions[n].action for n in classes}) > 1:
        for n in classes:
            verdicts[n] = ("needs-review", "contradicts another decision: a discrepancy is "
                                           "either not a conflict or split, not both")
    results = tuple(DecisionResult(d, *verdicts.get(n, ("applied", "")),
                                   winner=preferred.get(n),
                                   deprecated=frozenset(deprecated.get(n, ())))
                    for n, d in enumerate(decisions))
    applied = [r for r in results if r.status == "applied"]
    return Decided(
        results,
        winner=next((r.winner for r in applied if r.decision.action == "prefer"), None),
        deprecated=frozenset().union(*(r.deprecated for r in applied)),
        split=next((r.decision for r in applied if r.decision.action == "split"), None))


def _ranks(fact_id: str, clusters: list[Cluster], winner: int | None, rule: str,
           deprecated: set[str]) -> dict[str, tuple[str, str, str]]:
    ranks = {}
    winner_end = clusters[winner].latest_end if winner is not None else None
    for index, cluster in enumerate(clusters):
        for reading in cluster.readings:
            claim_id = reading.claim.claim_id
            if claim_id in deprecated:
                ranks[claim_id] = (fact_id, "deprecated", "analyst")
            elif index == winner:
                ranks[claim_id] = (fact_id, "preferred", rule)
            elif winner_end is not None and reading.period_known \
                    and reading.claim.period_end < winner_end:
                ranks[claim_id] = (fact_id, "deprecated", "superseded")
            else:
                ranks[claim_id] = (fact_id, "normal", "")
    return ranks


def _source_vintages(claims: list[Claim], matches: dict[str, Match],
                     authorities: dict[str, str], pairings: set[tuple[int, int]] = frozenset()
                     ) -> dict[str, SourceVintage]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for claim in claims:
        match = matches.get(claim.claim_id)
        if match is None:
            continue
        if claim.period_basis == "history":
            counts[claim.source_id]["history"] += 1
        elif match.outcome == "matched":
            counts[claim.source_id]["current" if not match.releases_behind else "stale"] += 1
        else:
            counts[claim.source_id][match.outcome] += 1
    mixed = mixed_vintage(claims, matches, authorities, pairings)
    return {source: SourceVintage(n["current"], n["stale"], n["unmatched"], n["ambiguous"],
                                  n["differs"], tuple(mixed.get(source, ())), n["history"])
            for source, n in sorted(counts.items())}


_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
POPULATION = ("occupation", "metric", "geography", "level", "industry", "union_status", "schedule",
              "subgroup")


def _with_reused_figures(d: Discrepancy, claims: list[Claim]) -> Discrepancy:
    """Note where a self-contradicting page reuses one of the figures for another group.

    A page whose prose reads the ends of a table range as union and non-union pay shows
    how it misread its own table; the analyst needs to see that next to the conflict.
    """
    if d.outcome != "intra-source":
        return d
    source = d.clusters[0].readings[0].source_id
    mine = {r.claim.claim_id for c in d.clusters for r in c.readings}
    figures = {x for c in d.clusters for r in c.readings
               for x in (r.claim.value, r.claim.low, r.claim.high) if x is not None}
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
        if claim.method != "sentence" or claim.unit in CATEGORICAL_UNITS or claim.value is None:
            continue
        rows = tables.get((claim.source_id,) + tuple(getattr(claim, f) for f in POPULATION))
        if not rows:
            continue
        prose = reading_of(claim, "unknown")
        tolerance = prose.precision / 2
        figures = [x for r in rows for x in (reading_of(r, "unknown").value,
                                             reading_of(r, "unknown").low,
                                             reading_of(r, "unknown").high) if x is not None]
        if any(abs(prose.value - x) <= tolerance + 1e-9 for x in figures):
            continue  # "$50K" or "$24.16 an hour" restating a $50,250 row agrees with it
        table_text = "; ".join(r.figure for r in rows)
        readings = [reading_of(c, authorities.get(c.source_id, "unknown")) for c in [claim, *rows]]
        found.append(Discrepancy(
            _fingerprint("d-", "restatement", claim.source_id, *_key_parts(key_of(claim)),
                         claim.claim_id),
            key_of(claim), "intra-source", SEVERITY["intra-source"], "open",
            f"{claim.source_id}'s prose gives {claim.statistic} {claim.figure}, a figure its own "
            f"table does not hold for the same population (table: {table_text})",
            tuple(Cluster([r]) for r in readings), None, "none",
            evidence_of([claim, *rows])))
    return found
