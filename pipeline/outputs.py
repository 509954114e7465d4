"""Curated tables and reports from a run, rendered in memory as bytes.

Every table is sorted and every value spelled one way, so the same inputs give
byte-identical files. Nothing here writes: `pipeline/publish.py` publishes the rendered
set together.
"""
from __future__ import annotations

import pandas as pd

from pipeline.reconcile import KEY_FIELDS, Cluster, Reading
from pipeline.refresh import Run
from pipeline.report import discrepancy_report, figure_of, fact_value
from pipeline.tables import csv_bytes, parquet_bytes

SOURCE_COLUMNS = {"title": "source_title", "publisher": "source_publisher",
                  "authority": "source_authority", "retrieved": "source_retrieved",
                  "path": "source_path"}


def curated_claims(run: Run) -> pd.DataFrame:
    """Every valid claim with its source's metadata and its role in its fact."""
    rec = run.reconciliation
    by_id = {c.claim_id: c for c in run.claims}  # older captures' claims are not reconciled
    by_id.update({c.claim_id: c for c in rec.claims})
    ranks = {**run.history, **rec.ranks}
    frame = run.valid.copy()

    def column_of(values) -> pd.Series:
        # object, as the contract's text columns are: a list assigned to a frame of no
        # rows would make a float column, and the database a DOUBLE one
        return pd.Series(list(values), index=frame.index, dtype=object)

    # periods inferred during reconciliation replace the unknown ones
    for column in ("period", "period_start", "period_end", "period_basis"):
        frame[column] = column_of(getattr(by_id[i], column) for i in frame["claim_id"])
    frame["period_start"] = frame["period_start"].astype("Int64")
    frame["period_end"] = frame["period_end"].astype("Int64")
    sources = {c.source.id: c.source for c in run.captures}
    for attribute, column in SOURCE_COLUMNS.items():
        frame[column] = column_of(getattr(sources[s], attribute) for s in frame["source_id"])
    for column in ("stated_in",):
        frame[column] = column_of(getattr(by_id[i], column) for i in frame["claim_id"])
    frame["fact_id"] = column_of(ranks[i][0] for i in frame["claim_id"])
    frame["rank"] = column_of(ranks[i][1] for i in frame["claim_id"])
    frame["rank_reason"] = column_of(ranks[i][2] for i in frame["claim_id"])
    matches = [rec.matches.get(i) for i in frame["claim_id"]]
    frame["release_match"] = column_of(m.outcome if m else "" for m in matches)
    frame["releases_behind"] = pd.array([m.releases_behind if m else None for m in matches],
                                        dtype="Int64")
    frame["release_candidates"] = column_of("; ".join(m.candidates) if m else "" for m in matches)
    copies = {r.claim.claim_id: c.copies for f in rec.facts for c in f.clusters
              for r in c.readings}
    frame["copy_cluster"] = column_of(copies.get(i, "") for i in frame["claim_id"])
    return frame.sort_values(["source_id", "claim_id"]).reset_index(drop=True)


def _sources(cluster: Cluster) -> str:
    return "; ".join(cluster.sources)


def _supporting(cluster: Cluster, ranks: dict) -> list[str]:
    """The winning figure's sources, but for those an analyst deprecated there."""
    return sorted({r.source_id for r in cluster.readings
                   if ranks.get(r.claim.claim_id, ("", "", ""))[1:] != ("deprecated", "analyst")})


def _alternative(cluster: Cluster) -> str:
    period = "/".join(sorted(cluster.periods))
    return f"{figure_of(cluster.representative)} ({_sources(cluster)}{', ' + period if period else ''})"


def facts_table(run: Run) -> pd.DataFrame:
    rows = []
    for fact in run.reconciliation.facts:
        chosen = fact.chosen
        winner = fact.clusters[fact.winner] if fact.winner is not None else None
        others = [c for i, c in enumerate(fact.clusters) if i != fact.winner]
        row = dict(zip(KEY_FIELDS, fact.key))
        row.update(
            fact_id=fact.fact_id,
            outcome=fact.outcome,
            status=fact.status,
            value=chosen.value if chosen else None,
            low=chosen.low if chosen else None,
            high=chosen.high if chosen else None,
            value_text=chosen.claim.value_text if chosen else "",
            stated=chosen.claim.figure if chosen else "",
            display=fact_value(chosen) if chosen else "",
            period=chosen.claim.period if chosen else "",
            period_basis=chosen.claim.period_basis if chosen else "",
            rule=fact.rule,
            chosen_claim_id=chosen.claim.claim_id if chosen else "",
            supporting_sources="; ".join(_supporting(winner, run.reconciliation.ranks))
            if winner else "",
            dissenting_sources="; ".join(sorted({s for c in others for s in c.sources
                                                 if not winner or s not in winner.sources})),
            alternatives=" | ".join(_alternative(c) for c in others),
            n_claims=sum(len(c.readings) for c in fact.clusters),
            n_sources=len({s for c in fact.clusters for s in c.sources}),
            discrepancy_id=fact.discrepancy_id,
        )
        rows.append(row)
    columns = ["fact_id", *KEY_FIELDS, "outcome", "status", "value", "low", "high", "value_text", "stated",
               "display", "period", "period_basis", "rule", "chosen_claim_id",
               "supporting_sources", "dissenting_sources", "alternatives", "n_claims",
               "n_sources", "discrepancy_id"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("value", "low", "high"):
        frame[column] = frame[column].astype("float64")
    return frame.sort_values("fact_id").reset_index(drop=True)


def _readings(clusters: tuple[Cluster, ...]) -> list[Reading]:
    return [r for c in clusters for r in c.readings]


def discrepancies_table(run: Run) -> pd.DataFrame:
    rows = []
    for d in run.reconciliation.discrepancies:
        row = {"discrepancy_id": d.discrepancy_id, **dict(zip(KEY_FIELDS, d.key))}
        row.update(
            outcome=d.outcome,
            severity=d.severity,
            queue=d.queue,
            explanation=d.explanation,
            n_figures=len(d.clusters),
            figures=" | ".join(_alternative(c) for c in d.clusters),
            sources="; ".join(sorted({s for c in d.clusters for s in c.sources})),
            claim_ids="; ".join(sorted(r.claim.claim_id for r in _readings(d.clusters))),
            proposed=fact_value(d.proposed) if d.proposed else "",
            rule=d.rule,
            evidence=d.evidence,
            decision="; ".join(f"{r.decision.action} {r.decision.target}".strip()
                               for r in d.decisions),
            decision_status="; ".join(r.status for r in d.decisions),
        )
        rows.append(row)
    columns = ["discrepancy_id", *KEY_FIELDS, "outcome", "severity", "queue", "explanation",
               "n_figures", "figures", "sources", "claim_ids", "proposed", "rule", "evidence",
               "decision", "decision_status"]
    return pd.DataFrame(rows, columns=columns)


def sources_table(run: Run) -> pd.DataFrame:
    """One row per source: its registry entry and how current its figures are."""
    rec = run.reconciliation
    rows = []
    for capture in run.captures:
        s = capture.source
        v = rec.sources.get(s.id)
        page = run.pages.get(s.id)
        rows.append(dict(
            source_id=s.id, title=s.title, authority=s.authority, format=s.format,
            retrieved=s.retrieved, path=s.path, sha256=s.sha256,
            url=s.original_url or s.url, archived=s.archived,
            capture_status=page.status if page else "current",
            current_capture=page.current if page else s.id,
            encoding=run.encodings.get(s.id, ""),
            claims=int((run.valid["source_id"] == s.id).sum()) if len(run.valid) else 0,
            current=v.current if v else 0, stale=v.stale if v else 0,
            unmatched=v.unmatched if v else 0, ambiguous=v.ambiguous if v else 0,
            differs=v.differs if v else 0, history=v.history if v else 0,
            mixed_vintage=", ".join(map(str, v.editions)) if v and v.editions else "",
        ))
    columns = ["source_id", "title", "authority", "format", "encoding", "retrieved", "path",
               "sha256", "url", "archived", "capture_status", "current_capture", "claims",
               "current", "stale", "unmatched", "ambiguous", "differs", "history",
               "mixed_vintage"]
    return pd.DataFrame(rows, columns=columns).sort_values("source_id").reset_index(drop=True)


def page_changes_table(run: Run) -> pd.DataFrame:
    """One row per figure a page changed between two of its captures."""
    columns = ["page", "before_capture", "before_as_of", "after_capture", "after_as_of",
               "change", *KEY_FIELDS, "before", "after"]
    rows = [{**dict(zip(KEY_FIELDS, c.key)), "page": c.page, "before_capture": c.before_capture,
             "before_as_of": c.before_as_of, "after_capture": c.after_capture,
             "after_as_of": c.after_as_of, "change": c.change, "before": c.before,
             "after": c.after} for c in run.changes]
    return pd.DataFrame(rows, columns=columns)


def problems_table(run: Run) -> pd.DataFrame:
    columns = ["severity", "code", "source_id", "path", "locator", "message", "hint"]
    rows = [{c: getattr(p, c) for c in columns} for p in run.problems]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["severity", "code", "source_id", "locator", "message"]
                             ).reset_index(drop=True)


def rendered(run: Run) -> dict[str, bytes]:
    """Every output file, relative to the project root, as bytes."""
    tables = {
        "curated/claims": curated_claims(run),
        "curated/facts": facts_table(run),
        "curated/discrepancies": discrepancies_table(run),
        "curated/sources": sources_table(run),
    }
    files: dict[str, bytes] = {}
    for stem, frame in tables.items():
        files[f"{stem}.csv"] = csv_bytes(frame)
        files[f"{stem}.parquet"] = parquet_bytes(frame)
    files["curated/quarantine.csv"] = csv_bytes(run.quarantined)
    files["curated/page_changes.csv"] = csv_bytes(page_changes_table(run))
    if run.official.releases_path is not None:
        # the cached table as it is: the same official files give the same bytes
        files["curated/releases.parquet"] = run.official.releases_path.read_bytes()
    files["reports/problems.csv"] = csv_bytes(problems_table(run))
    files["reports/discrepancies.md"] = discrepancy_report(run).encode("utf-8")
    return files
