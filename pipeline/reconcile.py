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

import bisect
import copy
import difflib
import gc
import hashlib
import itertools
import math
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter

from extractors.claims import Claim
from pipeline.decisions import Decision, DecisionResult, evidence_of
from pipeline.vintage import (Editions, Match, ReleaseFigure, agency_pairings,
                             match_releases, release_figures)
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
    _sources: tuple = field(default=(-1, ()), init=False, repr=False, compare=False)
    """(the number of readings, their sources) when `sources` was last worked out."""

    @property
    def representative(self) -> Reading:
        return self.readings[0]  # the most precise reading: clusters are seeded in that order

    @property
    def sources(self) -> list[str]:
        """Its readings' source ids, sorted, each once. Worked out once for a cluster's
        readings (they are only ever appended to): the outputs, the report and the
        record ask for them several times a cluster."""
        counted, found = self._sources
        if counted != len(self.readings):
            found = tuple(sorted({r.claim.source_id for r in self.readings}))
            self._sources = (len(self.readings), found)
        return list(found)

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


_key_fields = attrgetter(*KEY_FIELDS)
_UNIT = KEY_FIELDS.index("unit")


def key_of(claim: Claim) -> tuple:
    key = _key_fields(claim)
    if claim.unit == "USD/hour":  # an hourly wage is the annual one's key
        key = (*key[:_UNIT], "USD/year", *key[_UNIT + 1:])
    return key


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


def _reading_order(r: Reading) -> tuple:
    # most precise first, a primary source's reading first among equals, dated before
    # undated; a category's latest release represents it (the same value, stated again
    # and again)
    return (r.precision, r.authority != "primary", not r.period_known,
            -(r.claim.period_end or 0) if r.claim.unit in CATEGORICAL_UNITS else 0,
            _sort_value(r), r.claim.claim_id)


EMPTY = frozenset()


class _Homes:
    """The clusters a reading may join, found by its figure rather than by trying them all.

    A reading joins the first cluster (in the order clusters were opened) whose
    representative agrees with it and whose dated readings are all of its period. Readings
    arrive most precise first, so a representative is never less precise than a later
    reading, and agreement is a window of half the reading's precision around each of its
    numbers (value, low, high; a missing one only agrees with a missing one). Numeric
    representatives are filed in a grid of cells at least as wide as that window — a
    query looks in at most two cells per number — and categories by their text;
    `agree` then decides among the few candidates exactly as before. Each cluster keeps
    the periods of its dated readings (ends, and starts where stated), which is all
    `_periods_compatible` needs to compare a reading with every one of them.
    """

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        # per cluster, the period ends of its dated readings and the stated starts among
        # them (EMPTY until a dated reading joins: most clusters have none)
        self.ends: list[frozenset | set] = []
        self.starts: list[frozenset | set] = []
        self.by_text: dict[str, list[int]] = defaultdict(list)  # categorical representatives
        self.grid: dict[tuple, list[int]] = defaultdict(list)  # numeric representatives
        self.loose: list[int] = []  # numeric representatives too large for the grid
        self.width = 0.0  # of a grid cell; the grid is refiled when windows outgrow it
        self.widest = 0.0  # the largest precision of a representative

    @staticmethod
    def _numbers(r: Reading) -> tuple | None:
        numbers = (r.value, r.low, r.high)
        if any(x is not None and not math.isfinite(x) for x in numbers):
            return None  # NaN or infinity agrees with nothing
        return numbers

    @staticmethod
    def _fileable(numbers: tuple) -> bool:
        return all(x is None or abs(x) < 1e200 for x in numbers)  # a cell number that fits

    def _cells(self, numbers: tuple, half: float) -> list[tuple] | None:
        """The cells a window of `half` around each number covers; None when a number is
        so large that its rounding spans many cells (no figure a page prints)."""
        axes = []
        for x in numbers:
            if x is None:
                axes.append((None,))
                continue
            # wider than `agree`'s window by more than the rounding of its arithmetic
            margin = half + 1e-9 + 4e-15 * (abs(x) + half)
            first, last = (math.floor((x - margin) / self.width),
                           math.floor((x + margin) / self.width))
            if last - first > 8:
                return None
            axes.append(range(first, last + 1))
        return list(itertools.product(*axes))

    def _cell(self, numbers: tuple) -> tuple:
        return tuple(None if x is None else math.floor(x / self.width) for x in numbers)

    def _refile(self, half: float) -> None:
        self.width = max(4 * half, 1e-6)
        self.grid.clear()
        for index, cluster in enumerate(self.clusters):
            rep = cluster.representative
            numbers = self._numbers(rep)
            if rep.claim.unit not in CATEGORICAL_UNITS and numbers is not None \
                    and self._fileable(numbers):
                self.grid[self._cell(numbers)].append(index)

    def home(self, reading: Reading) -> int | None:
        """The index of the cluster `reading` joins, or None for a new one."""
        candidates = [*self.by_text.get(reading.claim.value_text, ()), *self.loose]
        numbers = self._numbers(reading)
        if numbers is not None and not self._fileable(numbers):
            candidates = range(len(self.clusters))  # beyond the grid: try every cluster
        elif numbers is not None and self.grid:
            half = max(reading.precision, self.widest) / 2
            if 2 * half + 2e-9 > self.width:
                self._refile(half)
            cells = self._cells(numbers, half)
            if cells is None:
                candidates = range(len(self.clusters))
            else:
                for cell in cells:
                    candidates.extend(self.grid.get(cell, ()))
        dated = reading.period_known and reading.claim.unit not in CATEGORICAL_UNITS
        end, start = reading.claim.period_end, reading.claim.period_start
        best = None
        for index in candidates:
            if best is not None and index > best:
                continue
            if dated and ((self.ends[index] and self.ends[index] - {end}) or (
                    start is not None and self.starts[index] and self.starts[index] - {start})):
                continue
            if agree(self.clusters[index].representative, reading):
                best = index
        return best

    def add(self, reading: Reading) -> None:
        index = self.home(reading)
        if index is None:
            index = len(self.clusters)
            self.clusters.append(Cluster([reading]))
            self.ends.append(EMPTY)
            self.starts.append(EMPTY)
            if reading.claim.unit in CATEGORICAL_UNITS:
                self.by_text[reading.claim.value_text].append(index)
            elif (numbers := self._numbers(reading)) is not None:
                self.widest = max(self.widest, reading.precision)
                if not self._fileable(numbers):
                    self.loose.append(index)
                elif not self.grid or self.widest + 2e-9 > self.width:
                    self._refile(self.widest / 2)
                else:
                    self.grid[self._cell(numbers)].append(index)
        else:
            self.clusters[index].readings.append(reading)
        if reading.period_known:
            self.ends[index] = self.ends[index] | {reading.claim.period_end}
            if reading.claim.period_start is not None:
                self.starts[index] = self.starts[index] | {reading.claim.period_start}


def clusters_of(readings: list[Reading]) -> list[Cluster]:
    """Agreeing readings together, most precise (then dated) first; ordered by figure.

    Each reading joins the first cluster whose representative (its most precise
    reading) agrees with it and none of whose dated readings is of another period; else
    it opens a cluster. Near-linear: a reading is compared with the few clusters its
    figure could agree with (`_Homes`), never with every cluster of a large key.
    """
    ordered = sorted(readings, key=_reading_order)
    if not all(0 <= r.precision < math.inf for r in ordered):
        return _clusters_by_scan(ordered)  # no window bounds the candidates: try them all
    homes = _Homes()
    for reading in ordered:
        homes.add(reading)
    return sorted(homes.clusters, key=lambda c: (_sort_value(c.representative),
                                                 c.representative.claim.claim_id))


def _clusters_by_scan(ordered: list[Reading]) -> list[Cluster]:
    """clusters_of by comparing each reading with every cluster: for readings whose
    precision is not a finite number, where no window bounds the candidates."""
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
    from pipeline.store import with_fields  # a fast copy of a claim with its period

    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_key[(claim.source_id, key_of(claim))].append(claim)
    inferred: dict[str, Claim] = {}
    for group in by_key.values():
        stated = [(c, reading_of(c, "unknown")) for c in group if c.period_basis == "stated"]
        if not stated:
            continue
        for claim in group:
            if claim.period_basis != "unknown":
                continue
            reading = reading_of(claim, "unknown")
            matches = {(c.period, c.period_start, c.period_end) for c, r in stated
                       if agree(r, reading)}
            if len(matches) == 1:
                period, start, end = matches.pop()
                inferred[claim.claim_id] = with_fields(claim, period=period, period_start=start,
                                                       period_end=end, period_basis="inferred")
    return [inferred.get(c.claim_id, c) for c in claims]


MATCHED_FIELDS = ("occupation", "occupation_basis", "stated_in", "period", "period_start",
                  "period_end", "period_basis")
"""The fields of a claim that inferring its period and matching its release may change."""
matched_fields = attrgetter(*MATCHED_FIELDS)


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


def _mark_copies(clusters: list[Cluster], matches: dict[str, Match], key: tuple) -> None:
    """Pages that share one stale or wrong figure probably copy one another.

    A copy cluster is named for its key, its figure and its representative claim (its
    most precise reading: "k-" and 12 hex digits), not for all its pages: a page that
    joins or leaves it, other than the one it is named for, leaves the other pages' rows
    as they were, so the run's record does not report them changed and the published
    pieces of curated/claims that hold them are kept."""
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
            representative = cluster.representative
            cluster.copies = _fingerprint("k-", *_key_parts(key), _sort_value(representative),
                                          representative.claim.claim_id)


def _number(text: str) -> float | None:
    """A figure typed by an analyst as a number: "$50,250", "50250", "8.5%", "24.16"."""
    cleaned = text.strip().replace(",", "").replace("$", "").rstrip("%").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def _names(target: str, reading: Reading) -> bool:
    from pipeline.report import fact_value, figure_of

    c = reading.claim
    if target in (c.claim_id, c.source_id, c.figure) or (c.value_text and target == c.value_text):
        return True
    if target in (figure_of(reading), fact_value(reading)):
        return True  # as the report shows it: "$49,004.80–$69,908.80", "… a year"
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

    The claims are reconciled a slice of keys at a time (`Reconciler`); the result is
    the same as reconciling them all at once.
    """
    with collector_paused():
        parts = parts or {}
        reconciler = Reconciler(authorities, decisions,
                                *settings_of(claims, authorities, figures), parts)
        done: list[tuple[list[int], Slice]] = []
        for positions in slices_of(claims, parts):
            done.append((positions, reconciler.slice([claims[i] for i in positions])))
        updated: list[Claim] = list(claims)
        facts, discrepancies, ranks, matches = [], [], {}, {}
        for positions, part in done:
            for i, claim in zip(positions, part.claims):
                updated[i] = claim
            facts += part.facts
            discrepancies += part.discrepancies
            ranks.update(part.ranks)
            matches.update(part.matches)
        by_source: dict[str, list[Claim]] = defaultdict(list)
        for claim in updated:
            by_source[claim.source_id].append(claim)
        discrepancies = sorted((reused_figures(d, by_source) for d in discrepancies),
                               key=discrepancy_order)
        facts.sort(key=lambda f: f.key)
        return Reconciliation(updated, facts, discrepancies, ranks, matches,
                              reconciler.sources(), reconciler.decisions(), reconciler.figures)


@contextmanager
def collector_paused():
    """Pause Python's cycle collector for a block that builds many small objects.

    Reconciliation makes a few objects per claim (readings, clusters, ranks), none in a
    reference cycle, so reference counting frees them all; the cycle collector would
    instead walk every live object again each time enough of them are made, a cost that
    grows with the run (a third of clustering's time at 100,000 claims)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def settings_of(claims: list[Claim], authorities: dict[str, str],
                figures: list[ReleaseFigure] | None = None
                ) -> tuple[list[ReleaseFigure], set[tuple[int, int]]]:
    """(the release figures, the (wage year, projection year) pairs the agency published
    together) that every slice is reconciled with. Both depend only on the primary
    sources' claims (their periods inferred within each source), so they are found
    before any slice is; `figures` default to those claims' own."""
    primary = infer_periods([c for c in claims if authorities.get(c.source_id) == "primary"])
    if figures is None:
        figures = release_figures([], primary, authorities)
    return figures, agency_pairings(figures, primary, authorities)


def discrepancy_order(d: Discrepancy) -> tuple:
    """Where a discrepancy is listed: the analyst's queue first, then by severity and key."""
    return (QUEUES.index(d.queue), _SEVERITY_ORDER[d.severity], d.key, d.discrepancy_id)


def slice_key(claim: Claim) -> tuple[str, str, str]:
    """The slice a claim is reconciled in: its occupation, metric and place. Every key
    lies in one slice, and so does everything reconciliation compares across keys
    within a page (a prose figure against its own table: the same population)."""
    return (claim.occupation, claim.metric, claim.geography)


def slices_of(claims: list[Claim], parts: dict[str, tuple[str, ...]]) -> list[list[int]]:
    """The positions of the claims of each slice, slices in key order, claims in the
    order given. A claim whose SOC 2010 occupation was split may become any part's, or
    none (when no part's releases tell), so its slice is one with its parts' slices and
    the slice of figures without an occupation."""
    return slices_by_key([(c.claim_id, *slice_key(c)) for c in claims], parts)


def slices_by_key(keys: list[tuple[str, str, str, str]],
                  parts: dict[str, tuple[str, ...]]) -> list[list[int]]:
    """slices_of, given each claim's (claim id, occupation, metric, geography)."""
    parent: dict[tuple, tuple] = {}

    def find(x: tuple) -> tuple:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for claim_id, *key in keys:
        split = parts.get(claim_id, ())
        # no part's releases may hold its figure: it then has no occupation (vintage.py)
        for code in (*split, "") if split else ():
            a, b = find(tuple(key)), find((code, *key[1:]))
            if a != b:
                parent[max(a, b)] = min(a, b)
    grouped: dict[tuple, list[int]] = defaultdict(list)
    for i, (_, *key) in enumerate(keys):
        grouped[find(tuple(key))].append(i)
    return [grouped[k] for k in sorted(grouped)]


def fact_id_of(key: tuple) -> str:
    """The stable id of a key's fact ("f-" and 12 hex digits)."""
    return _fingerprint("f-", *_key_parts(key))


def discrepancy_ids(claims: list[Claim], parts: dict[str, tuple[str, ...]]) -> set[str]:
    """Every id a discrepancy of these claims could have, whatever reconciling them
    finds: each key's, and each prose figure's against its table, under the claim's
    occupation and, for a split one, each part's and none."""
    ids = set()
    for claim in claims:
        split = parts.get(claim.claim_id, ())
        for code in (claim.occupation, *split, *("",) * bool(split)):
            key = key_of(replace(claim, occupation=code))
            ids.add(_fingerprint("d-", "key", *_key_parts(key)))
            if claim.method == "sentence":
                ids.add(_fingerprint("d-", "restatement", claim.source_id, *_key_parts(key),
                                     claim.claim_id))
    return ids


@dataclass
class Slice:
    """One slice of keys reconciled."""

    claims: list[Claim]  # as given, with periods, releases and split occupations filled in
    facts: list[Fact]
    discrepancies: list[Discrepancy]  # before `reused_figures`, which looks beyond the slice
    ranks: dict[str, tuple[str, str, str]]
    matches: dict[str, Match]


class Reconciler:
    """Reconciliation a slice of keys at a time, and what spans slices.

    Every step but three looks no further than a slice (`slice_key`: an occupation, a
    metric and a place): periods inferred within a page's key, release matching,
    clusters, outcomes, decisions, resolution, ranks, a page's prose against its own
    table. What spans slices is gathered as slices are reconciled and given at the end:
    each source's vintage (`sources`), the analysts' decisions, those whose discrepancy
    no longer exists among them (`decisions`), and the figures a self-contradicting page
    reuses in other keys (`reused_figures`, given each source's claims).
    """

    def __init__(self, authorities: dict[str, str], decisions: list[Decision],
                 figures: list[ReleaseFigure], pairings: set[tuple[int, int]],
                 parts: dict[str, tuple[str, ...]]):
        self.authorities = authorities
        self.all_decisions = list(decisions)
        self.figures = figures
        self.pairings = pairings
        self.parts = parts
        self._begin()
        self.figures_at: dict[tuple, list[tuple[int, ReleaseFigure]]] = defaultdict(list)
        for n, figure in enumerate(figures):
            self.figures_at[(figure.occupation, figure.metric, figure.geography)].append(
                (n, figure))

    def _begin(self) -> None:
        """Nothing gathered yet."""
        self.by_discrepancy: dict[str, list[Decision]] = defaultdict(list)
        for decision in self.all_decisions:
            self.by_discrepancy[decision.discrepancy].append(decision)
        self.results: list[DecisionResult] = []
        self.seen: set[str] = set()  # the discrepancies found, while decisions may name them
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.editions = Editions()

    def fresh(self) -> Reconciler:
        """A reconciler of the same run that has gathered nothing yet (for a chunk whose
        `state` is kept apart); the index of the release figures is shared."""
        other = copy.copy(self)
        other._begin()
        return other

    def figures_for(self, claims: list[Claim]) -> list[ReleaseFigure]:
        """The release figures the claims of a slice may match: of their occupations (and
        a split SOC 2010 occupation's parts), metric and place, in the run's order."""
        wanted = {slice_key(c) for c in claims}
        wanted |= {(code, c.metric, c.geography) for c in claims
                   for code in self.parts.get(c.claim_id, ())}
        found = [pair for key in wanted for pair in self.figures_at.get(key, ())]
        return [figure for _, figure in sorted(found, key=lambda pair: pair[0])]

    def slice(self, claims: list[Claim], matched: list | None = None) -> Slice:
        """Reconcile the claims of one slice (`slices_of`). `matched` gives, for each
        claim, what inferring its period and matching it to the releases made of it when
        release matching already did so (`MATCHED_FIELDS` and its Match), else None:
        each claim's match depends only on its own page's claims of its key and on the
        release figures of its key, which every slice holding the claim holds."""
        authorities = self.authorities
        if matched is None:
            claims, matches = self._matched(claims)
        else:
            claims, matches = self._reused(claims, matched)
        groups: dict[tuple, list[Reading]] = defaultdict(list)
        for claim in claims:
            groups[key_of(claim)].append(reading_of(claim, authorities.get(claim.source_id,
                                                                           "unknown")))
        facts: list[Fact] = []
        discrepancies: list[Discrepancy] = []
        ranks: dict[str, tuple[str, str, str]] = {}
        for key in sorted(groups):
            fact, discrepancy, fact_ranks = self._key(key, groups[key], matches)
            facts.append(fact)
            if discrepancy is not None:
                discrepancies.append(discrepancy)
            ranks.update(fact_ranks)
        for found in restatements(claims, authorities):
            decided = apply_decisions(self.by_discrepancy.pop(found.discrepancy_id, []),
                                      found.evidence, list(found.clusters))
            decided = replace(decided, results=tuple(
                DecisionResult(r.decision, "needs-review", RESTATEMENT_DECISIONS)
                if r.status == "applied" and r.decision.action in ("prefer", "deprecate")
                else r for r in decided.results))
            self.results.extend(decided.results)
            if decided.results:
                found = replace(found, decisions=decided.results,
                                queue=decided.queue or found.queue)
            discrepancies.append(found)
        self._count(claims, matches)
        if self.by_discrepancy:  # to tell a mistyped id in decisions.yaml what it may mean
            self.seen.update(d.discrepancy_id for d in discrepancies)
            self.looked_at(groups)
        return Slice(claims, facts, discrepancies, ranks, matches)

    def looked_at(self, keys) -> None:
        """Keep the ids the discrepancies of these keys have, while a decision has not
        found its discrepancy: the ids a mistyped one is compared with."""
        if self.by_discrepancy:
            self.seen.update(_fingerprint("d-", "key", *_key_parts(key)) for key in keys)

    def _matched(self, claims: list[Claim]) -> tuple[list[Claim], dict[str, Match]]:
        """Claims with their periods inferred and their releases matched, and the matches."""
        claims = infer_periods(claims)
        return match_releases(claims, self.authorities, self.figures_for(claims), self.parts)

    def _reused(self, claims: list[Claim], matched: list
                ) -> tuple[list[Claim], dict[str, Match]]:
        """`_matched`, taking each claim's result where `matched` holds it: the others (an
        official reading added after release matching) are matched here, in order."""
        from pipeline.store import with_fields

        fresh = [c for c, known in zip(claims, matched) if known is None]
        fresh, fresh_matches = self._matched(fresh) if fresh else ([], {})
        taken = iter(fresh)
        out: list[Claim] = []
        matches: dict[str, Match] = {}
        for claim, known in zip(claims, matched):
            if known is None:
                claim = next(taken)
                match = fresh_matches.get(claim.claim_id)
            else:
                fields, match = known
                if fields != matched_fields(claim):
                    claim = with_fields(claim, **dict(zip(MATCHED_FIELDS, fields)))
            if match is not None:
                matches[claim.claim_id] = match
            out.append(claim)
        return out, matches

    def _key(self, key: tuple, readings: list[Reading], matches: dict[str, Match]
             ) -> tuple[Fact, Discrepancy | None, dict[str, tuple[str, str, str]]]:
        clusters = clusters_of(readings)
        _mark_copies(clusters, matches, key)
        fact_id = fact_id_of(key)
        outcome, why = outcome_of(key, clusters)
        discrepancy_id = _fingerprint("d-", "key", *_key_parts(key)) if len(clusters) > 1 else ""
        evidence = evidence_of(r.claim for c in clusters for r in c.readings)
        decided = apply_decisions(self.by_discrepancy.pop(discrepancy_id, []) if discrepancy_id
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
        self.results.extend(decided.results)
        # an analyst's deprecated claim never stands for the resolved figure
        chosen = next((r for r in clusters[winner].readings if r.claim.claim_id not in deprecated),
                      clusters[winner].representative) if winner is not None else None
        discrepancy = None
        if discrepancy_id:
            discrepancy = Discrepancy(discrepancy_id, key, outcome, SEVERITY[outcome], queue, why,
                                      tuple(clusters), chosen, rule, evidence, decided.results)
        status = ("consensus" if len(clusters[0].sources) > 1 else "single-source") \
            if len(clusters) == 1 else ("resolved" if winner is not None else "conflict")
        fact = Fact(fact_id, key, outcome, status, rule, chosen, tuple(clusters), winner,
                    discrepancy_id)
        return fact, discrepancy, _ranks(fact_id, clusters, winner, rule, deprecated)

    def _count(self, claims: list[Claim], matches: dict[str, Match]) -> None:
        for claim in claims:
            match = matches.get(claim.claim_id)
            if match is None:
                continue
            if claim.period_basis == "history":
                self.counts[claim.source_id]["history"] += 1
            elif match.outcome == "matched":
                self.counts[claim.source_id]["current" if not match.releases_behind
                                             else "stale"] += 1
            else:
                self.counts[claim.source_id][match.outcome] += 1
        self.editions.add(claims, matches, self.authorities)

    def state(self) -> tuple:
        """What reconciling slices gathered that spans them, as `absorb` takes it in
        another process or an earlier run (a chunk reconciled on its own,
        pipeline/outputs.py)."""
        return (self.results, self.seen, {s: dict(n) for s, n in self.counts.items()},
                dict(self.editions.wages), dict(self.editions.projections),
                set(self.by_discrepancy))

    def absorb(self, state: tuple) -> None:
        """Take what another Reconciler of the same run gathered (`state`) of slices after
        those reconciled here: `sources` and `decisions` then say what reconciling all of
        them here would. A decision whose discrepancy either found is found."""
        results, seen, counts, wages, projections, unfound = state
        self.results.extend(results)
        self.seen |= seen
        for source, n in counts.items():
            for outcome, count in n.items():
                self.counts[source][outcome] += count
        for mine, theirs in ((self.editions.wages, wages),
                             (self.editions.projections, projections)):
            for source, editions in theirs.items():
                mine[source] |= editions
        for discrepancy in [d for d in self.by_discrepancy if d not in unfound]:
            del self.by_discrepancy[discrepancy]

    def sources(self) -> dict[str, SourceVintage]:
        """Each source's vintage, over the slices reconciled so far."""
        mixed = self.editions.mixed(self.pairings)
        return {source: SourceVintage(n["current"], n["stale"], n["unmatched"], n["ambiguous"],
                                      n["differs"], tuple(mixed.get(source, ())), n["history"])
                for source, n in sorted(self.counts.items())}

    def decisions(self) -> list[DecisionResult]:
        """Every decision's result once every slice is reconciled: those whose discrepancy
        was not found need review."""
        results = list(self.results)
        known = sorted(self.seen) if self.by_discrepancy else []
        for named, gone in self.by_discrepancy.items():  # decisions whose discrepancy has gone
            # a mistyped id differs from the one meant in a character or two of its 14
            near = difflib.get_close_matches(named, known, n=1, cutoff=0.85)
            why = ("the discrepancy is not among this run's: the claims behind it changed, or "
                   "its id is mistyped" + (f" (did you mean {near[0]}?)" if near else ""))
            results.extend(DecisionResult(decision, "needs-review", why) for decision in gone)
        return sorted(results, key=lambda r: (r.decision.discrepancy,
                                              self.all_decisions.index(r.decision)))


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


_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
POPULATION = ("occupation", "metric", "geography", "level", "industry", "union_status", "schedule",
              "subgroup")


def reused_figures(d: Discrepancy, by_source: dict[str, list[Claim]]) -> Discrepancy:
    """Note where a self-contradicting page reuses one of the figures for another group.

    A page whose prose reads the ends of a table range as union and non-union pay shows
    how it misread its own table; the analyst needs to see that next to the conflict.
    `by_source` holds each source's claims, in the order reconciliation received them.
    """
    if d.outcome != "intra-source":
        return d
    source = d.clusters[0].readings[0].source_id
    mine = {r.claim.claim_id for c in d.clusters for r in c.readings}
    figures = {x for c in d.clusters for r in c.readings
               for x in (r.claim.value, r.claim.low, r.claim.high) if x is not None}
    reused = []
    for claim in by_source.get(source, ()):
        if claim.claim_id in mine or claim.value is None:
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


RESTATEMENT_DECISIONS = ("a page's prose against its own table: its figures lie in different "
                         "facts, so no figure of it can be preferred or deprecated; record "
                         "--not-a-conflict, or decide the figure in its own fact's "
                         "discrepancy")
"""Why a `prefer` or `deprecate` on a restatement (`restatements`) is not applied."""


def is_restatement(d: Discrepancy) -> bool:
    """Whether a discrepancy is a page's prose against its own table (`restatements`)."""
    claim = d.clusters[0].readings[0].claim if d.clusters and d.clusters[0].readings else None
    return claim is not None and d.discrepancy_id == _fingerprint(
        "d-", "restatement", claim.source_id, *_key_parts(key_of(claim)), claim.claim_id)


def restatements(claims: list[Claim], authorities: dict[str, str]) -> list[Discrepancy]:
    """Prose that restates a page's own table with a figure the table does not hold.

    "Full-time … earn an average salary of $50,793.60" under a table whose full-time row
    is $36,732.80 – $57,824.00: the page contradicts itself across statistics, which
    grouping by key cannot see. Prose is checked only where a row of the table could
    state its figure (a row of its own statistic, a range or an unlabelled figure): a
    table of other statistics only (the 25th, 50th and 75th percentiles) says nothing of
    a 10th percentile in the prose. Any row's figure then agrees with it.
    """
    tables: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.method == "table-row":
            tables[(claim.source_id,) + tuple(getattr(claim, f) for f in POPULATION)].append(claim)
    held: dict[tuple, list[float]] = {}  # the figures of a table's rows, in its key's unit
    found = []
    for claim in claims:
        if claim.method != "sentence" or claim.unit in CATEGORICAL_UNITS or claim.value is None:
            continue
        group = (claim.source_id,) + tuple(getattr(claim, f) for f in POPULATION)
        rows = tables.get(group)
        if not rows or not any(r.statistic in (claim.statistic, "range", "unspecified")
                               for r in rows):
            continue  # no row of the table could state this figure
        if group not in held:
            # (NaN is near no figure: it is left out, so the list sorts)
            held[group] = sorted(x for r in map(lambda c: reading_of(c, "unknown"), rows)
                                 for x in (r.value, r.low, r.high) if x is not None and x == x)
        prose = reading_of(claim, "unknown")
        if _holds(held[group], prose.value, prose.precision / 2):
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


def _holds(figures: list[float], value: float, tolerance: float) -> bool:
    """Whether sorted `figures` hold one within `tolerance` of `value`: the nearest
    figures are the neighbours of where `value` would be inserted."""
    at = bisect.bisect_left(figures, value)
    return any(abs(value - figures[i]) <= tolerance + 1e-9
               for i in (at - 1, at) if 0 <= i < len(figures))
