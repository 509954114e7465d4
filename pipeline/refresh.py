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
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from extractors import extract
from extractors.claims import Claim
from extractors.document import Document, DocumentError, document_from_bytes
from pipeline.decisions import load_decisions
from pipeline.occupations import resolved_occupations
from pipeline.official import Official, official_readings, official_tables
from pipeline.pages import CURRENT, DUPLICATE, PageCapture, PageChange, page_captures, page_changes
from pipeline.reconcile import Reconciliation, infer_periods, key_of, reconcile
from pipeline.registry import Capture, load_registry
from pipeline.vintage import match_releases, release_figures
from pipeline.tables import claims_frame
from schemas.problems import Problem, problem

Progress = Callable[[str], None]


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

    @property
    def troubled_sources(self) -> set[str]:
        """Sources that could not be read in full: registry, document or extractor problems."""
        return {p.source_id for p in self.problems if p.source_id
                and p.code.startswith(("registry", "document", "format", "extractor"))}


def pages(captures: list[Capture]) -> tuple[dict[str, PageCapture], list[Problem]]:
    """Each capture's place among its page's captures, and a warning for each entry
    that holds the same bytes as another or supersedes an entry that is not there."""
    sources = [c.source for c in captures]
    found = page_captures(sources)
    problems = []
    first: dict[str, str] = {}
    ids = {s.id for s in sources}
    for source in sources:
        if source.sha256 in first:
            problems.append(problem("duplicate-capture", source_id=source.id, path=source.path,
                                    detail=first[source.sha256]))
        else:
            first[source.sha256] = source.id
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


def documents(captures: list[Capture]) -> tuple[list[Document], list[Problem]]:
    docs, problems = [], []
    for capture in captures:
        source = capture.source
        try:
            doc = document_from_bytes(capture.data, source_id=source.id, path=source.path,
                                      format=source.format, occupation=source.occupation)
            # an archived copy shows the page as of the archive's timestamp
            docs.append(replace(doc, page_date=source.page_date) if source.page_date else doc)
        except DocumentError as exc:
            problems.append(problem(exc.code, source_id=source.id, path=source.path,
                                    detail=exc.detail))
    return docs, problems


def raw_claims(docs: list[Document], progress: Progress | None = None
               ) -> tuple[list[Claim], list[Problem], dict[str, str]]:
    """Claims of every document; an extractor that fails costs only its document."""
    claims: list[Claim] = []
    problems: list[Problem] = []
    tracebacks: dict[str, str] = {}
    for doc in docs:
        if progress:
            progress(doc.source_id)
        try:
            found = extract(doc)
        except DocumentError as exc:
            problems.append(problem(exc.code, source_id=doc.source_id, path=doc.path,
                                    detail=exc.detail))
            continue
        except Exception as exc:  # a defect in an extractor: report it, keep going
            problems.append(problem("extractor-failed", source_id=doc.source_id, path=doc.path,
                                    detail=f"{type(exc).__name__}: {exc}"))
            tracebacks[doc.source_id] = traceback.format_exc()
            continue
        if not found:
            problems.append(problem("document-no-figures", source_id=doc.source_id,
                                    path=doc.path))
        claims.extend(found)
    return claims, problems, tracebacks


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


def refresh(registry: Path, progress: Progress | None = None,
            decisions: Path | None = None, cache_dir: Path | None = None) -> Run:
    """Run every stage up to, not including, writing. Raises RegistryError when the
    registry as a whole cannot be read. `decisions` defaults to decisions.yaml beside
    raw/, `cache_dir` to default_cache_dir(the project root)."""
    root = Path(registry).parent.parent
    captures, problems = load_registry(registry)
    page_files = [c for c in captures if not c.source.dataset]  # official files are no page
    paged, page_problems = pages(page_files)
    decided, decision_problems = load_decisions(
        decisions if decisions is not None else root / "decisions.yaml")
    official, official_problems = official_tables(
        captures, cache_dir if cache_dir is not None else default_cache_dir(root))
    sources = {c.source.id: c.source for c in captures}
    docs, doc_problems = documents(page_files)
    claims, extract_problems, tracebacks = raw_claims(docs, progress)
    claims, parts, occupation_problems = resolved_occupations(claims, docs, sources, official)
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
    readings = official_readings(kept, matches, rows, sources)
    valid_readings, bad_readings, reading_problems = validated_claims(readings)
    if len(valid_readings):
        valid = pd.concat([valid, valid_readings], ignore_index=True)
    if len(bad_readings):
        quarantined = pd.concat([quarantined, bad_readings], ignore_index=True)
    reading_ids = set(valid_readings["claim_id"])
    reconciliation = reconcile(kept + [r for r in readings if r.claim_id in reading_ids],
                               authorities, decided, figures, parts)
    ranks, changes = history(claims, valid_ids, paged, reconciliation)
    return Run(captures, claims + readings, valid, quarantined, reconciliation,
               problems + page_problems + decision_problems + official_problems + doc_problems
               + extract_problems + occupation_problems + claim_problems + reading_problems,
               tracebacks, {d.source_id: d.encoding for d in docs}, paged, changes, ranks,
               official=official)
