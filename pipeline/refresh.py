"""The refresh: a one-way chain of stages, each named for what it produces.

    captures(registry) -> documents -> raw_claims -> validated_claims -> reconciliation
        -> outputs (the only stage that writes)

Every stage returns its problems beside its product; a bad source yields problems and
no claims, and the others go on.
"""
from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extractors import extract
from extractors.claims import Claim
from extractors.document import Document, DocumentError, document_from_bytes
from pipeline.decisions import Decision, load_decisions
from pipeline.limits import TimeLimitExceeded
from pipeline.limits import time_limit as limited
from pipeline.reconcile import Reconciliation, reconcile
from pipeline.registry import Capture, load_registry
from pipeline.tables import claims_frame
from schemas.problems import Problem, problem

Progress = Callable[[int, int, "Document | None"], None]
"""Called with (number, total, document) before each document is extracted, and with
(total, total, None) when extraction is over."""


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

    @property
    def troubled_sources(self) -> set[str]:
        """Sources that could not be read in full: registry, document or extractor problems."""
        return {p.source_id for p in self.problems if p.source_id
                and p.code.startswith(("registry", "document", "format", "extractor"))}


def documents(captures: list[Capture]) -> tuple[list[Document], list[Problem]]:
    """The decoded document of each capture; one that cannot be decoded is a problem."""
    docs, problems = [], []
    for capture in captures:
        source = capture.source
        try:
            docs.append(document_from_bytes(capture.data, source_id=source.id, path=source.path,
                                            format=source.format, occupation=source.occupation))
        except DocumentError as exc:
            problems.append(problem(exc.code, source_id=source.id, path=source.path,
                                    detail=exc.detail))
        except Exception as exc:  # a defect in decoding: it costs this document only
            problems.append(problem("extractor-failed", source_id=source.id, path=source.path,
                                    detail=f"{type(exc).__name__}: {exc}"))
    return docs, problems


DEFAULT_TIME_LIMIT = 120.0
"""Seconds one document may take to extract; the largest real pages (18 MB) take ~20 s."""


def document_claims(doc: Document, time_limit: float | None = DEFAULT_TIME_LIMIT
                    ) -> tuple[list[Claim], list[Problem], str]:
    """(claims, problems, traceback of a defect or "") of one document, within its time
    limit. Never raises for a bad document: an unreadable one, one past its time limit
    and an extractor defect are problems. Runs in any process's main thread (a worker of
    a pool included), so extraction can be spread over processes."""
    def failed(code: str, detail: str = "") -> list[Problem]:
        return [problem(code, source_id=doc.source_id, path=doc.path, detail=detail)]

    try:
        with limited(time_limit):
            found = extract(doc)
    except TimeLimitExceeded as exc:
        return [], failed("document-time-limit", f"{exc.seconds:g}"), ""
    except DocumentError as exc:
        return [], failed(exc.code, exc.detail), ""
    except Exception as exc:  # a defect in an extractor: report it, keep going
        return [], failed("extractor-failed", f"{type(exc).__name__}: {exc}"), \
            traceback.format_exc()
    return found, ([] if found else failed("document-no-figures")), ""


def raw_claims(docs: list[Document], progress: Progress | None = None,
               time_limit: float | None = DEFAULT_TIME_LIMIT
               ) -> tuple[list[Claim], list[Problem], dict[str, str]]:
    """Claims of every document; a document that fails costs only itself."""
    claims: list[Claim] = []
    problems: list[Problem] = []
    tracebacks: dict[str, str] = {}
    for number, doc in enumerate(docs, start=1):
        if progress:
            progress(number, len(docs), doc)
        found, trouble, trace = document_claims(doc, time_limit)
        claims.extend(found)
        problems.extend(trouble)
        if trace:
            tracebacks[doc.source_id] = trace
    if progress:
        progress(len(docs), len(docs), None)
    return claims, problems, tracebacks


def unresolved_occupations(captures: list[Capture], claims: list[Claim]) -> list[Problem]:
    """A warning per source with figures that have no SOC code: neither its registry entry
    nor the page names the occupation, so its facts would belong to no occupation.

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
    'raw/guide.txt: 1 of 1 figures have no occupation (SOC code): the registry entry names none and the page states none'
    """
    paths = {c.source.id: c.source.path for c in captures}
    totals = Counter(c.source_id for c in claims)
    missing = Counter(c.source_id for c in claims if not c.occupation)
    return [problem("occupation-unresolved", source_id=source_id, path=paths.get(source_id, ""),
                    detail=f"{n} of {totals[source_id]} figures have no occupation (SOC code): "
                           "the registry entry names none and the page states none")
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


def refresh(registry: Path, progress: Progress | None = None,
            decisions: Path | None = None,
            time_limit: float | None = DEFAULT_TIME_LIMIT) -> Run:
    """Run every stage up to, not including, writing. Raises RegistryError when the
    registry as a whole cannot be read. `decisions` defaults to decisions.yaml beside
    raw/; `time_limit` is in seconds per document (None: no limit)."""
    captures, problems = load_registry(registry)
    decided, decision_problems = load_decisions(
        decisions if decisions is not None else Path(registry).parent.parent / "decisions.yaml")
    return run_of(captures, decided, problems + decision_problems, progress, time_limit)


def run_of(captures: list[Capture], decisions: list[Decision] = (),
           problems: list[Problem] = (), progress: Progress | None = None,
           time_limit: float | None = DEFAULT_TIME_LIMIT) -> Run:
    """Every stage after the registry, for captures already loaded; `problems` are the
    registry's and the decisions file's, carried into the run."""
    docs, doc_problems = documents(captures)
    claims, extract_problems, tracebacks = raw_claims(docs, progress, time_limit)
    valid, quarantined, claim_problems = validated_claims(claims)
    valid_ids = set(valid["claim_id"])
    authorities = {c.source.id: c.source.authority for c in captures}
    reconciliation = reconcile([c for c in claims if c.claim_id in valid_ids], authorities,
                               list(decisions))
    return Run(captures, claims, valid, quarantined, reconciliation,
               [*problems, *doc_problems, *extract_problems,
                *unresolved_occupations(captures, claims), *claim_problems,
                *decisions_to_review(reconciliation)],
               tracebacks, {d.source_id: d.encoding for d in docs})
