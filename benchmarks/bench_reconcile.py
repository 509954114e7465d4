"""Reconciliation alone on synthetic claims: how its time grows with the number of claims.

    python -m benchmarks.bench_reconcile                    # 10k, 100k and 500k claims
    python -m benchmarks.bench_reconcile --claims 10000 100000 --quadratic

The claims are pages' figures for a few occupations, in few and therefore large keys, as
at scale: every page states the national median (one of the releases, rounded or not, or
its own figure), the 10th and 90th percentiles, a national range (its own two figures)
and a few ranges "in" a state (one key per state), each with the period it names or
none; an agency source states twelve releases of each statistic. Four ranges in ten land
on the national key, as the questions' states were lost in issue 11's pages: with 500k
claims the national range key of one occupation holds about 45,000 readings, four times
the 10,280 that issue 11 measured at 52.8 million agreement checks.

Prints the seconds `reconcile` takes (best of `--repeats`), the time per claim and the
ratio per tenfold growth: about 10 is linear, 100 quadratic; then the same for what the
reports list of every discrepancy (`pipeline.report.listing`, which summarises a key of
thousands of figures). `--quadratic` also times the
clustering rule as first written (every reading against every cluster) on the smallest
size, to show what a large key cost before.
"""
from __future__ import annotations

import argparse
import math
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

OCCUPATIONS = ("29-2072", "47-2111", "31-9091")
STATES = ("Texas", "Ohio", "California", "New York", "Florida", "Oregon", "Maine", "Iowa")
YEARS = tuple(range(2013, 2025))


def synthetic_claims(n: int, seed: int = 11) -> tuple[list, dict[str, str]]:
    """About `n` claims of pages and an agency, and each source's authority."""
    from extractors.claims import new_claim

    rng = random.Random(seed)
    claims, authorities = [], {"agency": "primary"}
    medians = {o: {y: 40000 + 1000 * (y - 2013) + 97 * k for y in YEARS}
               for k, o in enumerate(OCCUPATIONS)}

    def claim(source, occupation, n_, **values):
        values.setdefault("figure", "$1")
        return new_claim(source_id=source, occupation=occupation, metric="wage",
                         unit="USD/year", quote=values["figure"], method="test",
                         locator=f"chars={n_}-{n_ + 1}", **values)

    for occupation in OCCUPATIONS:
        for year in YEARS:
            for statistic, factor in (("median", 1.0), ("p10", 0.6), ("p90", 1.7)):
                claims.append(claim("agency", occupation, len(claims), statistic=statistic,
                                    value=round(medians[occupation][year] * factor, -1),
                                    period=str(year), period_start=year, period_end=year,
                                    stated_in=f"OEWS May {year}"))
    page = 0
    while len(claims) < n:
        page += 1
        source = f"page-{page:06d}"
        authorities[source] = rng.choice(("secondary", "unknown"))
        occupation = rng.choice(OCCUPATIONS)
        year = rng.choice(YEARS)
        median = medians[occupation][year] if rng.random() < 0.7 else rng.randrange(30000, 90000)
        dated = dict(period=str(year), period_start=year, period_end=year) \
            if rng.random() < 0.5 else {}
        if rng.random() < 0.3:
            claims.append(claim(source, occupation, len(claims), statistic="median",
                                value=round(median, -3), precision=1000.0, **dated))
        else:
            claims.append(claim(source, occupation, len(claims), statistic="median",
                                value=float(median), **dated))
        for statistic, factor in (("p10", rng.uniform(0.55, 0.65)), ("p90", rng.uniform(1.6, 1.8))):
            claims.append(claim(source, occupation, len(claims), statistic=statistic,
                                value=round(median * factor, -1)))
        low = round(median * rng.uniform(0.5, 0.7))
        claims.append(claim(source, occupation, len(claims), statistic="range",
                            low=float(low), high=float(low + rng.randrange(10000, 90000))))
        for _ in range(rng.randint(2, 12)):
            # "How much do … earn in Texas? … ranged from $X to $Y": in the state, or on
            # the national key when the question's place was lost
            low = round(median * rng.uniform(0.5, 0.8))
            place = rng.choice(STATES) if rng.random() < 0.6 else "United States"
            claims.append(claim(source, occupation, len(claims), statistic="range",
                                geography=place, low=float(low),
                                high=float(low + rng.randrange(10000, 90000))))
    return claims[:n], authorities


def best_of(repeats: int, run) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(n: int, repeats: int) -> tuple[float, int, float]:
    """(best seconds of `reconcile` on `n` synthetic claims, readings of the largest key,
    best seconds of listing every discrepancy of the result for the reports)."""
    from pipeline.reconcile import reconcile
    from pipeline.report import listing

    claims, authorities = synthetic_claims(n)
    result = None

    def run():
        nonlocal result
        result = reconcile(claims, authorities)

    seconds = best_of(repeats, run)
    listed = best_of(repeats, lambda: [listing(d, result.ranks) for d in result.discrepancies])
    return (seconds, max(sum(len(c.readings) for c in f.clusters) for f in result.facts),
            listed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[10_000, 100_000, 500_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quadratic", action="store_true",
                        help="also time the rule as first written on the smallest size")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one size, in a process of its own
        print(*measure(args.claims[0], args.repeats))
        return
    print(f"{'claims':>9} {'seconds':>9} {'µs/claim':>9} {'× per 10×':>10} {'listing s':>10} "
          f"{'× per 10×':>10}  largest key")
    previous = None
    for n in sorted(args.claims):
        # each size in a fresh process: the claims of a larger size held in memory slow
        # every step down (caches, the allocator), which is not reconciliation's growth
        out = subprocess.run([sys.executable, "-m", "benchmarks.bench_reconcile", "--child",
                              "--claims", str(n), "--repeats",
                              str(args.repeats if n <= 100_000 else 1)],
                             capture_output=True, text=True, check=True, cwd=ROOT).stdout
        seconds, largest, listed = float(out.split()[0]), int(out.split()[1]), \
            float(out.split()[2])
        growth = listed_growth = ""
        if previous:
            power = 1 / math.log10(n / previous[0])
            growth = f"{(seconds / previous[1]) ** power:.1f}"
            listed_growth = f"{(listed / previous[2]) ** power:.1f}"
        print(f"{n:>9,} {seconds:>9.2f} {seconds / n * 1e6:>9.1f} {growth:>10} {listed:>10.3f} "
              f"{listed_growth:>10}  {largest:,}", flush=True)
        previous = (n, seconds, listed)
    if args.quadratic:
        _quadratic(min(args.claims))


def _quadratic(n: int) -> None:
    """The clustering as first written, on the largest key of `n` claims."""
    from collections import defaultdict

    from pipeline.reconcile import (CATEGORICAL_UNITS, Cluster, _periods_compatible, agree,
                                    clusters_of, key_of, reading_of)

    claims, authorities = synthetic_claims(n)
    groups = defaultdict(list)
    for c in claims:
        groups[key_of(c)].append(reading_of(c, authorities.get(c.source_id, "unknown")))
    readings = max(groups.values(), key=len)

    def first_written():
        ordered = sorted(readings, key=lambda r: (r.precision, r.authority != "primary",
                                                  not r.period_known, 0, r.claim.claim_id))
        clusters = []
        for reading in ordered:
            home = next((c for c in clusters if agree(c.representative, reading)
                         and (reading.claim.unit in CATEGORICAL_UNITS
                              or all(_periods_compatible(reading, x) for x in c.readings))),
                        None)
            if home is None:
                clusters.append(Cluster([reading]))
            else:
                home.readings.append(reading)

    old = best_of(1, first_written)
    new = best_of(3, lambda: clusters_of(readings))
    print(f"largest key of {n:,} claims ({len(readings):,} readings): clustering as first "
          f"written {old:.2f} s, now {new:.3f} s")


if __name__ == "__main__":
    main()
