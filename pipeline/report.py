"""The discrepancy report for analysts: `reports/discrepancies.md`.

A summary first (sources, claims, facts, discrepancies by kind and severity, problems),
then one section per discrepancy with every figure, its source, period and verbatim quote,
the kind and why, and the proposed resolution with the rule that chose it.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from pipeline.reconcile import KEY_FIELDS, SEVERITY, Reading

if TYPE_CHECKING:
    from pipeline.refresh import Run

RULES = {
    "authority": "the only figure from a primary source (the statistical agency itself)",
    "latest-stated": "the figure with the most recent stated reference period",
    "agreement": "the figure stated by the most independent sources",
    "unanimous": "every source agrees",
    "single-source": "only one source states it",
    "none": "no rule singles out one figure: an analyst must decide",
}
SEVERITIES = ("high", "medium", "low", "info")
KINDS = ("unexplained", "categorical", "intra-source", "vintage", "definition")


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
    if not rec.discrepancies:
        lines += ["", "No discrepancies: every key's sources agree."]
    else:
        lines += ["", "## Discrepancies", ""]
        for number, d in enumerate(rec.discrepancies, start=1):
            lines += _section(number, d)
    return "\n".join(lines).rstrip() + "\n"


def _summary(run: Run) -> list[str]:
    rec = run.reconciliation
    statuses = Counter(f.status for f in rec.facts)
    unreadable = len({p.source_id for p in run.problems if p.severity == "error"
                      and p.code != "claim-invalid" and p.source_id})
    lines = [
        "## Summary", "",
        "| | |", "|---|---|",
        f"| sources read | {len(run.captures)} registered and readable, {unreadable} with errors |",
        f"| claims | {len(run.claims)} extracted, {len(run.valid)} valid, "
        f"{len(run.quarantined)} quarantined (curated/quarantine.csv) |",
        f"| facts | {len(rec.facts)}: " + ", ".join(
            f"{statuses[s]} {s}" for s in ("consensus", "single-source", "resolved", "conflict")) + " |",
        f"| discrepancies | {len(rec.discrepancies)} |",
        "", "### Discrepancies by kind and severity", "",
        "| kind | " + " | ".join(SEVERITIES) + " | total |",
        "|---|" + "---|" * (len(SEVERITIES) + 1),
    ]
    counts = Counter((d.kind, d.severity) for d in rec.discrepancies)
    for kind in KINDS:
        total = sum(counts[(kind, s)] for s in SEVERITIES)
        lines.append(f"| {kind} | " + " | ".join(str(counts[(kind, s)]) for s in SEVERITIES)
                     + f" | {total} |")
    lines += ["", "Severity follows the kind: " + ", ".join(
        f"{kind} → {severity}" for kind, severity in SEVERITY.items()) + "."]
    if run.problems:
        lines += ["", "### Problems in this run", ""]
        lines += [f"- {_cell(p.line())}" for p in sorted(
            run.problems, key=lambda p: (p.severity, p.code, p.source_id, p.message))]
    return lines


def _section(number: int, d) -> list[str]:
    lines = [f"### {number}. {key_title(d.key)}", "",
             f"`{d.discrepancy_id}` · **{d.kind}** · severity **{d.severity}**", "",
             f"Why: {d.explanation}.", ""]
    if d.proposed is not None:
        period = d.proposed.claim.period
        lines.append(f"Proposed resolution: **{fact_value(d.proposed)}**"
                     + (f" ({period_text(period)})" if period else "")
                     + f" from {d.proposed.source_id}, by rule `{d.rule}`: {RULES[d.rule]}. "
                     "The other figures stay in the curated data as attributed alternatives.")
    else:
        lines.append(f"Proposed resolution: none — {RULES['none']}.")
    lines += ["", "| figure | as printed | source | period | method | quote | claim |",
              "|---|---|---|---|---|---|---|"]
    for cluster in d.clusters:
        shown = figure_of(cluster.representative)
        for reading in cluster.readings:
            c = reading.claim
            period = f"{period_text(c.period)} ({c.period_basis})" if c.period else "not stated"
            lines.append(f"| {shown} | {_cell(c.figure)} | {c.source_id} | {period} | {c.method} "
                         f"| “{_cell(c.quote)}” | `{c.claim_id}` |")
    return lines + [""]
