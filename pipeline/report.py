"""The discrepancy report for analysts: `reports/discrepancies.md`.

A summary (sources, claims, facts, discrepancies by outcome and severity, problems),
each source's line (how many of its figures are current, stale, unmatched, whether it
mixes releases), the analysts' decisions and their state, then the open discrepancies
(the analyst's queue) and the explained ones, each with every figure, its source,
period, the release it matches and how stale it is, its rank, and the verbatim quote.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from pipeline.reconcile import KEY_FIELDS, SEVERITY, Discrepancy, Reading

if TYPE_CHECKING:
    from pipeline.refresh import Run

RULES = {
    "analyst": "an analyst's decision",
    "primary-latest": "the latest release of a primary source (the statistical agency itself)",
    "latest-stated": "the figure with the most recent stated reference period",
    "agreement": "the figure stated by the most independent sources",
    "single-source": "only one source states it",
    "none": "no rule singles out one figure: an analyst must decide",
}
SEVERITIES = ("high", "medium", "low", "info")
OUTCOMES = ("conflict", "categorical", "intra-source", "stale", "definition")


def _money(x: float) -> str:
    return f"${x:,.2f}" if not float(x).is_integer() else f"${x:,.0f}"


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


def figure_of(reading: Reading) -> str:
    """A reading as people write it, in its key's unit: "$50,250", "9%", "2–5 years"."""
    claim = reading.claim
    if claim.unit in ("category", "boolean"):
        return claim.value_text
    fmt = {"USD/year": _money, "USD/hour": _money, "percent": lambda x: f"{x:g}%",
           "years": lambda x: f"{x:g} years" if reading.low is None else f"{x:g}",
           "count": _number}[claim.unit if claim.unit != "USD/hour" else "USD/year"]
    if reading.low is not None:
        tail = " years" if claim.unit == "years" else ""
        return (f"{fmt(reading.low)}+{tail}" if reading.high is None
                else f"{fmt(reading.low)}–{fmt(reading.high)}{tail}")
    return fmt(reading.value)


def fact_value(reading: Reading) -> str:
    text = figure_of(reading)
    return f"{text} a year" if reading.claim.unit in ("USD/year", "USD/hour") else text


def period_text(period: str) -> str:
    """A stated period as people read it: "-2032" is "through 2032"."""
    return f"through {period[1:]}" if period.startswith("-") else period


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().replace("|", "\\|")


def key_title(key: tuple) -> str:
    k = dict(zip(KEY_FIELDS, key))
    parts = [k["metric"].replace("_", " "), k["statistic"], k["unit"], k["geography"]]
    parts += [f"{name.replace('_', ' ')} {k[name]}" for name in
              ("level", "industry", "union_status", "schedule", "subgroup") if k[name]]
    occupation = f" (SOC {k['occupation']})" if k["occupation"] else ""
    return " · ".join(parts) + occupation


def discrepancy_report(run: Run) -> str:
    rec = run.reconciliation
    lines = ["# Discrepancy report", ""]
    lines += _summary(run)
    lines += _sources(run)
    lines += _page_changes(run)
    lines += _decisions(run)
    open_ = [d for d in rec.discrepancies if d.queue == "open"]
    explained = [d for d in rec.discrepancies if d.queue == "explained"]
    number = 0
    for title, group, empty in (
            ("Open discrepancies (the analyst's queue)", open_, "None: nothing needs an analyst."),
            ("Explained discrepancies", explained, "None.")):
        lines += ["", f"## {title}", ""]
        if not group:
            lines.append(empty)
        for d in group:
            number += 1
            lines += _section(number, d, run)
    return "\n".join(lines).rstrip() + "\n"


def _summary(run: Run) -> list[str]:
    rec = run.reconciliation
    statuses = Counter(f.status for f in rec.facts)
    troubled = run.troubled_sources
    lines = [
        "## Summary", "",
        "| | |", "|---|---|",
        f"| sources | {len(run.captures)} registered and readable; "
        f"{len(troubled)} with problems |",
        f"| claims | {len(run.claims)} extracted, {len(run.valid)} valid, "
        f"{len(run.quarantined)} quarantined (curated/quarantine.csv) |",
        f"| facts | {len(rec.facts)}: " + ", ".join(
            f"{statuses[s]} {s}" for s in ("consensus", "single-source", "resolved", "conflict")) + " |",
        f"| discrepancies | {len(rec.discrepancies)}: "
        f"{sum(d.queue == 'open' for d in rec.discrepancies)} open, "
        f"{sum(d.queue == 'explained' for d in rec.discrepancies)} explained |",
        "", "### Discrepancies by outcome and severity", "",
        "| outcome | " + " | ".join(SEVERITIES) + " | total |",
        "|---|" + "---|" * (len(SEVERITIES) + 1),
    ]
    counts = Counter((d.outcome, d.severity) for d in rec.discrepancies)
    for outcome in OUTCOMES:
        total = sum(counts[(outcome, s)] for s in SEVERITIES)
        lines.append(f"| {outcome} | " + " | ".join(str(counts[(outcome, s)]) for s in SEVERITIES)
                     + f" | {total} |")
    lines += ["", "Severity follows the outcome: " + ", ".join(
        f"{outcome} → {severity}" for outcome, severity in SEVERITY.items())
        + ". Only conflict, categorical and intra-source discrepancies reach the queue."]
    if run.problems:
        lines += ["", "### Problems in this run", ""]
        lines += [f"- {_cell(p.line())}" for p in sorted(
            run.problems, key=lambda p: (p.severity, p.code, p.source_id, p.message))]
    return lines


def _sources(run: Run) -> list[str]:
    rec = run.reconciliation
    lines = ["", "## Sources", "",
             "| source | authority | figures | current | stale | unmatched | ambiguous | "
             "differs | mixed vintage |", "|---|---|---|---|---|---|---|---|---|"]
    for capture in sorted(run.captures, key=lambda c: c.source.id):
        s = capture.source
        v = rec.sources.get(s.id)
        n = int((run.valid["source_id"] == s.id).sum()) if len(run.valid) else 0
        mixed = ("**mixed-vintage** (editions " + ", ".join(map(str, v.editions)) + ")"
                 if v and v.editions else "")
        cells = [v.current, v.stale, v.unmatched, v.ambiguous, v.differs] if v else [0] * 5
        lines.append(f"| {s.id} | {s.authority} | {n} | " + " | ".join(map(str, cells))
                     + f" | {mixed} |")
    lines += ["", "Current: the figure is the latest release of its statistic; stale: an "
              "older release; differs: the page names a period whose release has another "
              "figure. A mixed-vintage page combines figures from different editions (a May "
              "2024 wage beside 2023–2033 projections)."]
    return lines


def _page_changes(run: Run) -> list[str]:
    """Pages captured more than once: their captures in order and what each new capture
    changed in the page's figures."""
    lines = ["", "## Page changes", ""]
    pages: dict[str, list] = {}
    for page in run.pages.values():
        pages.setdefault(page.current, []).append(page)
    followed = {current: sorted(group, key=lambda p: (_moment(p.as_of), p.status == "current"))
                for current, group in pages.items() if len(group) > 1}
    if not followed:
        return lines + ["No page has more than one capture: every source is its page's "
                        "current capture."]
    lines += ["Only a page's latest capture is its claim. Its older captures are its history: "
              "their figures stay in curated/claims.csv, ranked deprecated "
              "(`superseded-capture`), and are not counted as other sources; a duplicate "
              "(the same bytes, or the same moment in another format) counts once. Every "
              "change is in curated/page_changes.csv."]
    changes: dict[tuple[str, str], list] = {}
    for change in run.changes:
        changes.setdefault((change.before_capture, change.after_capture), []).append(change)
    for current, group in sorted(followed.items(), key=lambda kv: (kv[1][-1].url or kv[0])):
        lines += ["", f"### {group[-1].url or current}", ""]
        for page in group:
            state = {"current": "current", "superseded": f"superseded by `{page.next}`",
                     "duplicate": f"duplicate of `{page.next}`"}[page.status]
            lines.append(f"- `{page.source_id}` ({page.as_of}): {state}")
        for page in group:
            if not page.previous:
                continue
            step = changes.get((page.previous, page.source_id), [])
            lines += ["", f"`{page.previous}` → `{page.source_id}`: "
                      + (f"{len(step)} figure{'s' if len(step) != 1 else ''} changed"
                         if step else "no figure changed")]
            if step:
                lines += ["", "| figure | change | before | after |", "|---|---|---|---|"]
                lines += [f"| {_cell(key_title(c.key))} | {c.change} | {_cell(c.before) or '–'} "
                          f"| {_cell(c.after) or '–'} |" for c in step]
    return lines


def _moment(as_of: str) -> str:
    return as_of if "T" in as_of else f"{as_of}T00:00:00Z"


def _decisions(run: Run) -> list[str]:
    results = run.reconciliation.decisions
    lines = ["", "## Analyst decisions", ""]
    if not results:
        return lines + ["None recorded (decisions.yaml). Record one with `careerfacts decide`."]
    lines += ["| discrepancy | action | target | reason | author | date | state |",
              "|---|---|---|---|---|---|---|"]
    for r in results:
        d = r.decision
        state = r.status + (f": {r.why}" if r.why else "")
        lines.append(f"| `{d.discrepancy}` | {d.action} | {_cell(d.target)} | {_cell(d.reason)} "
                     f"| {_cell(d.author)} | {d.date} | {_cell(state)} |")
    return lines


def _release_cell(run: Run, reading: Reading) -> str:
    match = run.reconciliation.matches.get(reading.claim.claim_id)
    if match is None:
        return ""
    if match.outcome == "matched":
        behind = match.releases_behind or 0
        status = f"; {reading.claim.status}" if reading.claim.status else ""
        return f"{match.release} ({'latest' if not behind else f'{behind} behind'}{status})"
    if match.outcome == "ambiguous":
        return "ambiguous: " + " or ".join(match.candidates)
    if match.outcome == "differs":
        return f"differs from {match.release}"
    return "unmatched"


def _section(number: int, d: Discrepancy, run: Run) -> list[str]:
    ranks = run.reconciliation.ranks
    lines = [f"### {number}. {key_title(d.key)}", "",
             f"`{d.discrepancy_id}` · **{d.outcome}** · severity **{d.severity}** · "
             f"evidence `{d.evidence}`", "", f"Why: {d.explanation}.", ""]
    if d.proposed is not None:
        period = d.proposed.claim.period
        lines.append(f"Resolution: **{fact_value(d.proposed)}**"
                     + (f" ({period_text(period)})" if period else "")
                     + f" from {d.proposed.source_id}, by rule `{d.rule}`: {RULES[d.rule]}. "
                     "The other figures stay in the curated data as ranked alternatives.")
    else:
        lines.append(f"Resolution: none — {RULES['none']}.")
    if d.decision is not None:
        dec = d.decision.decision
        lines += ["", f"Decision: {dec.action} {dec.target} — “{_cell(dec.reason)}” "
                  f"({dec.author}, {dec.date}): **{d.decision.status}**"
                  + (f" — {d.decision.why}" if d.decision.why else "")]
    lines += ["", "| figure | as printed | source | period | release | rank | quote | claim |",
              "|---|---|---|---|---|---|---|---|"]
    for cluster in d.clusters:
        shown = figure_of(cluster.representative)
        for reading in cluster.readings:
            c = reading.claim
            period = f"{period_text(c.period)} ({c.period_basis})" if c.period else "not stated"
            rank = ranks.get(c.claim_id, ("", "", ""))
            rank_text = rank[1] + (f" ({rank[2]})" if rank[2] else "")
            lines.append(f"| {shown} | {_cell(c.figure)} | {c.source_id} | {period} "
                         f"| {_release_cell(run, reading)} | {rank_text} "
                         f"| “{_cell(c.quote)}” | `{c.claim_id}` |")
    return lines + [""]
