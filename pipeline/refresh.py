"""The refresh: a one-way chain of stages, each named for what it produces.

    captures(registry) -> pages -> documents -> raw_claims -> validated_claims
        -> current claims -> reconciliation; history -> outputs (the only stage that writes)

Only the current capture of each page is reconciled; older captures and duplicates are
its history (see pipeline/pages.py).

Every stage returns its problems beside its product; a bad source yields problems and
no claims, and the others go on.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extractors.claims import Claim
from pipeline.cache import ClaimsCache
from pipeline.decisions import Decision, load_decisions
from pipeline.extraction import (DEFAULT_TIME_LIMIT, Progress, document_claims,  # noqa: F401
                                 extraction_tasks, extractions, merged)
from pipeline.occupations import resolved_occupations, undecided_splits
from pipeline.official import Official, official_readings, official_tables
from pipeline.pages import (CURRENT, DUPLICATE, PageCapture, PageChange, page_captures, page_changes,
                            repeated_bytes)
from pipeline.reconcile import Reconciliation, infer_periods, key_of, reconcile
from pipeline.registry import Capture, load_registry
from pipeline.vintage import match_releases, release_figures
from pipeline.tables import claims_frame
from schemas.problems import Problem, problem

@dataclass
class Run:
    """Everything a refresh produced, in memory, before anything is written."""

    captures: list[Capture]
    claims: list[Claim]  # every claim extracted, valid or not
    valid: pd.DataFrame
    quarantined: pd.DataFrame
    reconciliation: Reconciliation
    problems: list[Problem] = field(default_factory=list)
    tracebacks: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)  # source id -> encoding decoded with
    pages: dict[str, PageCapture] = field(default_factory=dict)  # source id -> its page's captures
    changes: list[PageChange] = field(default_factory=list)  # figures pages changed
    history: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """claim id -> (fact id, rank, reason) of the claims of superseded and duplicate captures"""
    official: Official = field(default_factory=Official)
    reproducible: bool = True
    """False when a document's result depended on the moment (its time limit, a defect,
    its file changing during the run): the same inputs may give another run."""

    @property
    def troubled_sources(self) -> set[str]:
        """Sources that could not be read in full: registry, document or extractor problems."""
        return {p.source_id for p in self.problems if p.source_id
                and p.code.startswith(("registry", "document", "format", "extractor"))}


def pages(captures: list[Capture]) -> tuple[dict[str, PageCapture], list[Problem]]:
    """Each capture's place among its page's captures, and a warning for each entry
    that repeats another's bytes (pipeline.pages.repeated_bytes) or supersedes an entry
    that is not there."""
    sources = [c.source for c in captures]
    found = page_captures(sources)
    paths = {s.id: s.path for s in sources}
    problems = [problem("duplicate-capture", source_id=later, path=paths[later], detail=earlier)
                for later, earlier in repeated_bytes(sources, found)]
    ids = {s.id for s in sources}
    for source in sources:
        if source.supersedes and source.supersedes not in ids:
            problems.append(problem("supersedes-unknown", source_id=source.id, path=source.path,
                                    detail=source.supersedes))
    return found, problems


def current_claims(claims: list[Claim], valid_ids: set[str],
                   paged: dict[str, PageCapture]) -> list[Claim]:
    """The valid claims of each page's current capture: what reconciliation sees."""
    return [c for c in claims if c.claim_id in valid_ids
            and (c.source_id not in paged or paged[c.source_id].status == CURRENT)]


def history(claims: list[Claim], valid_ids: set[str], paged: dict[str, PageCapture],
            reconciliation: Reconciliation) -> tuple[dict[str, tuple[str, str, str]],
                                                     list[PageChange]]:
    """The ranks of the claims of older and duplicate captures (deprecated, with the fact
    of their key where the current claims have one) and what each page changed."""
    facts = {f.key: f.fact_id for f in reconciliation.facts}
    ranks = {}
    valid = [c for c in claims if c.claim_id in valid_ids]
    for claim in valid:
        page = paged.get(claim.source_id)
        if page is None or page.status == CURRENT:
            continue
        reason = "duplicate-capture" if page.status == DUPLICATE else "superseded-capture"
        ranks[claim.claim_id] = (facts.get(key_of(claim), ""), "deprecated", reason)
    return ranks, page_changes(valid, paged)


def unresolved_occupations(captures: list[Capture], claims: list[Claim],
                           reported: list[Problem] = ()) -> list[Problem]:
    """A warning per source with figures that still have no SOC code once occupations are
    resolved (registry, page, title): its facts would belong to no occupation. Sources the
    resolution already reported (`reported`: unresolved, ambiguous) are not named twice.

    >>> from extractors.claims import new_claim
    >>> from pipeline.registry import Source
    >>> source = Source(id="guide", path="raw/guide.txt", format="text", sha256="0" * 64,
    ...                 retrieved="2026-03-02", title="Pay guide", authority="secondary")
    >>> claim = new_claim(source_id="guide", metric="wage", statistic="median",
    ...                   unit="USD/year", value=50250.0, figure="$50,250", quote="$50,250",
    ...                   locator="chars=0-7", method="label-value")
    >>> [p] = unresolved_occupations([Capture(source, b"")], [claim])
    >>> p.code, p.severity, p.source_id
    ('occupation-unresolved', 'warning', 'guide')
    >>> p.message
    'raw/guide.txt: 1 of 1 figures have no occupation (SOC code): neither the registry entry, the page nor its title names one'
    """
    paths = {c.source.id: c.source.path for c in captures}
    said = {p.source_id for p in reported if p.code.startswith("occupation-")}
    totals = Counter(c.source_id for c in claims)
    missing = Counter(c.source_id for c in claims if not c.occupation and c.source_id not in said)
    return [problem("occupation-unresolved", source_id=source_id, path=paths.get(source_id, ""),
                    detail=f"{n} of {totals[source_id]} figures have no occupation (SOC code): "
                           "neither the registry entry, the page nor its title names one")
            for source_id, n in sorted(missing.items())]


def decisions_to_review(reconciliation: Reconciliation) -> list[Problem]:
    """A warning per analyst decision that was not applied, so that a refresh says so
    in its exit code and summary, not only in the report."""
    return [problem("decision-needs-review", path="decisions.yaml",
                    detail=" ".join(x for x in (r.decision.action, r.decision.target) if x)
                    + f" on {r.decision.discrepancy} ({r.decision.author}, {r.decision.date}) "
                      f"is not applied: {r.why}")
            for r in reconciliation.decisions if r.status == "needs-review"]


def validated_claims(claims: list[Claim]) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """(valid rows, quarantined rows, a problem per quarantined row)."""
    from schemas.claims import quarantine  # pandera costs ~1 s to import: only here

    valid, bad = quarantine(claims_frame(claims))
    problems = [
        problem("claim-invalid", source_id=row.source_id, locator=row.locator,
                detail=f"{row.claim_id} ({row.metric} {row.figure!r} at {row.locator}): "
                       f"{row.failed_checks}")
        for row in bad.itertuples()
    ]
    return valid, bad, problems


def default_cache_dir(root: Path) -> Path:
    """Where the official tables are cached: $CAREERFACTS_CACHE, else `.cache/careerfacts/`
    in the project (git-ignored)."""
    configured = os.environ.get("CAREERFACTS_CACHE")
    return Path(configured) if configured else Path(root) / ".cache" / "careerfacts"


@dataclass(frozen=True)
class Engine:
    """Where and how documents are extracted (pipeline/extraction.py): `jobs` worker
    processes (1: in this process), or the `dask` executor at `scheduler` (None: a
    LocalCluster of `jobs` workers); `cache` False extracts every document again
    instead of reading the claims cache."""

    jobs: int = 1
    executor: str = "local"
    scheduler: str | None = None
    cache: bool = True


def refresh(registry: Path, progress: Progress | None = None,
            decisions: Path | None = None, cache_dir: Path | None = None,
            time_limit: float | None = DEFAULT_TIME_LIMIT, engine: Engine = Engine(),
            rehash: bool = False, loaded: tuple[list[Capture], list[Problem]] | None = None
            ) -> Run:
    """Run every stage up to, not including, writing. Raises RegistryError when the
    registry as a whole cannot be read. `decisions` defaults to decisions.yaml beside
    raw/, `cache_dir` to default_cache_dir(the project root); `time_limit` is in seconds
    per document (None: no limit); `rehash` reads every registered file instead of
    trusting the digests of files whose stat did not change (pipeline/cache.py);
    `loaded` is what load_registry gave for this registry, when the caller read it."""
    root = Path(registry).parent.parent
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir(root)
    captures, problems = loaded if loaded is not None else load_registry(
        registry, cache_dir=cache_dir, rehash=rehash)
    decided, decision_problems = load_decisions(
        decisions if decisions is not None else root / "decisions.yaml")
    return run_of(captures, decided, problems + decision_problems, progress=progress,
                  cache_dir=cache_dir, time_limit=time_limit, engine=engine)


def run_of(captures: list[Capture], decisions: list[Decision] = (),
           problems: list[Problem] = (), *, cache_dir: Path, progress: Progress | None = None,
           time_limit: float | None = DEFAULT_TIME_LIMIT, engine: Engine = Engine()) -> Run:
    """Every stage after the registry, for captures already loaded: the refresh of a
    registry (`refresh`), or of one as it was (check-source's base). `problems` are the
    registry's and the decisions file's, carried into the run; `cache_dir` is where the
    official tables and the documents' extractions are cached. Raises ExecutorError
    (pipeline/dask_executor.py) when the Dask executor cannot run."""
    page_files = [c for c in captures if not c.source.dataset]  # official files are no page
    paged, page_problems = pages(page_files)
    official, official_problems = official_tables(captures, cache_dir)
    sources = {c.source.id: c.source for c in captures}
    results = extractions(extraction_tasks(page_files),
                          cache=ClaimsCache(cache_dir) if engine.cache else None,
                          jobs=engine.jobs, executor=engine.executor,
                          scheduler=engine.scheduler, time_limit=time_limit,
                          progress=progress)
    claims, doc_problems, extract_problems, tracebacks, encodings, titles = merged(results)
    reproducible = all(r.cacheable for r in results)
    del results
    claims, parts, occupation_problems = resolved_occupations(claims, titles, sources, official)
    occupation_problems += unresolved_occupations(captures, claims, occupation_problems)
    valid, quarantined, claim_problems = validated_claims(claims)
    valid_ids = set(valid["claim_id"])
    authorities = {c.source.id: c.source.authority for c in captures}
    kept = current_claims(claims, valid_ids, paged)
    occupations = {c.occupation for c in kept} | {p for ps in parts.values() for p in ps}
    occupations |= {p for c in kept if authorities.get(c.source_id) == "primary"
                    for p in official.crosswalk.get(c.occupation, ())}
    rows = official.releases_of(occupations - {""})
    figures = release_figures(rows, kept, authorities, official.crosswalk)
    _, matches = match_releases(infer_periods(kept), authorities, figures, parts)
    occupation_problems += undecided_splits(kept, parts, matches, sources, official)
    readings = official_readings(kept, matches, rows, sources)
    valid_readings, bad_readings, reading_problems = validated_claims(readings)
    if len(valid_readings):
        valid = pd.concat([valid, valid_readings], ignore_index=True)
    if len(bad_readings):
        quarantined = pd.concat([quarantined, bad_readings], ignore_index=True)
    reading_ids = set(valid_readings["claim_id"])
    reconciliation = reconcile(kept + [r for r in readings if r.claim_id in reading_ids],
                               authorities, list(decisions), figures, parts)
    ranks, changes = history(claims, valid_ids, paged, reconciliation)
    return Run(captures, claims + readings, valid, quarantined, reconciliation,
               [*problems, *page_problems, *official_problems, *doc_problems,
                *extract_problems, *occupation_problems, *claim_problems, *reading_problems,
                *decisions_to_review(reconciliation)],
               tracebacks, encodings, paged, changes, ranks, official=official,
               reproducible=reproducible)
