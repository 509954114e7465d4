"""The analyst's view: `reports/index.html`, one self-contained page.

Per occupation (by title): a headline table (each key figure's resolved value, its
release, the rule that chose it, how many pages agree, are stale or in conflict), a
chart of the official series with every page's figure at the release it was matched to
(pipeline/charts.py), and the figures of each chart in a table. Then what changed since
the previous run (pipeline/history.py), the analyst's queue (every figure of each open
discrepancy with its source, period, release, rank and verbatim quote, linked to the
captured file), the analysts' decisions and their state, the sources, the problems,
and the decided and explained discrepancies.

The page needs nothing but itself and the captured files: CSS and charts (SVG) are
inline, there is no script, and every link is relative — to the raw files (`../raw/…`,
at the figure's page of a PDF or its words in an HTML or text page, where the browser
supports text fragments) or to an anchor of the page. Rendered with Jinja2 from
`pipeline/templates/index.html.j2`, every value escaped; the same run and history give
the same bytes.

>>> raw_href("raw/report 2024.pdf", "pdf:page=2;bbox=72.0,96.3,523.3,131.0", "")
'../raw/report%202024.pdf#page=2'
>>> raw_href("raw/001_ff2d.txt", "chars=120-160", "2024 Median Pay: $50,250\\tper year")
'../raw/001_ff2d.txt#:~:text=2024%20Median%20Pay%3A%20%2450%2C250'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from pipeline.reconcile import KEY_FIELDS, Discrepancy, Fact

if TYPE_CHECKING:
    from pipeline.charts import ChartData, PageFigure
    from pipeline.history import Changes, RunRecord
    from pipeline.refresh import Run

TEMPLATE = "index.html.j2"
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def raw_href(path: str, locator: str, quote_text: str) -> str:
    """A link from reports/ to a captured file, at the figure where the format allows:
    `#page=N` for a PDF, a text fragment (the quote's first words) for HTML and text."""
    href = "../" + quote(path)
    if locator.startswith("pdf:"):
        page = re.search(r"page=(\d+)", locator)
        return href + (f"#page={page.group(1)}" if page else "")
    if locator.startswith(("html:", "chars=")) and quote_text.strip():
        words = re.split(r"[\t\n\r]", quote_text.strip())[0].split()
        text = ""
        for word in words:
            if len(text) + len(word) + 1 > 60:
                break
            text = f"{text} {word}".strip()
        if text:
            return href + "#:~:text=" + quote(text, safe="")
    return href


@dataclass(frozen=True)
class HeadlineRow:
    label: str  # "median pay"
    value: str  # "$50,250 a year", or "" when no rule singles out one figure
    release: str
    source: str  # the source of the resolved figure
    rule: str
    rule_text: str
    agree: tuple[str, ...]
    stale: tuple[str, ...]
    conflict: tuple[str, ...]
    other: tuple[str, ...]
    status: str
    discrepancy_id: str
    chart: str = ""  # the anchor of its chart, if it has one


@dataclass(frozen=True)
class Chart:
    anchor: str
    data: ChartData
    svg: str


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    anchor: str
    headline: tuple[HeadlineRow, ...]
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class FigureRow:
    shown: str
    printed: str
    source_id: str
    href: str
    path: str
    period: str
    release: str
    rank: str
    quote: str
    claim_id: str
    locator: str


@dataclass(frozen=True)
class DiscrepancyView:
    discrepancy_id: str
    title: str
    outcome: str
    severity: str
    queue: str
    explanation: str
    resolution: str
    evidence: str
    decisions: tuple[str, ...]
    figures: tuple[FigureRow, ...]
    sources: tuple[str, ...] = field(default=())


def _headline_row(run: Run, fact: Fact, label: str, figures: list[PageFigure]) -> HeadlineRow:
    from pipeline.report import RULES, fact_value, period_text

    chosen = fact.chosen
    agree = {p.source_id for p in figures if p.agrees}
    stale = {p.source_id for p in figures if p.outcome == "stale"} - agree
    conflict = {p.source_id for p in figures if p.outcome == "conflict"} - agree - stale
    other = {p.source_id for p in figures} - agree - stale - conflict
    return HeadlineRow(
        label, fact_value(chosen) if chosen else "",
        (chosen.claim.stated_in or period_text(chosen.claim.period)) if chosen else "",
        chosen.source_id if chosen else "", fact.rule, RULES.get(fact.rule, ""),
        tuple(sorted(agree)), tuple(sorted(stale)), tuple(sorted(conflict)),
        tuple(sorted(other)), fact.status, fact.discrepancy_id)


def occupations(run: Run, render_svg: bool = True,
                chart_cache: Path | None = None) -> list[Occupation]:
    """Each occupation the pages state a figure of (as a whole, in the United States),
    by title: its headline and its charts (SVG rendered when `render_svg`, read from
    `chart_cache` when rendered before)."""
    from pipeline.charts import chart_data, chart_svg, page_figures
    from pipeline.report import HEADLINE_FIGURES, _headline_facts, occupation_title

    labels = {(m, s): label for m, s, label in HEADLINE_FIGURES}
    out = []
    for code, facts in _headline_facts(run).items():
        rows, charts = [], []
        for fact in facts:
            label = labels[(fact.key[1], fact.key[2])]
            data = chart_data(run, fact, label)
            anchor = ""
            if data is not None:
                anchor = f"chart-{fact.fact_id}"
                charts.append(Chart(anchor, data,
                                    chart_svg(data, f"{fact.fact_id}-", chart_cache)
                                    if render_svg else ""))
            rows.append(replace(_headline_row(run, fact, label, page_figures(run, fact)),
                                chart=anchor))
        title = occupation_title(run, code)
        out.append(Occupation(code, title or f"SOC {code or 'unknown'}",
                              f"occ-{code or 'unknown'}", tuple(rows), tuple(charts)))
    return sorted(out, key=lambda o: (o.title.lower(), o.code))


def discrepancy_views(run: Run, queue: str) -> list[DiscrepancyView]:
    """The discrepancies of one queue (open, decided, explained), most severe first, each
    with every figure as in reports/discrepancies.md."""
    from pipeline.report import (RULES, _release_cell, fact_value, figure_of, key_title,
                                 occupation_title, period_text)

    rec = run.reconciliation
    paths = {c.source.id: c.source.path for c in run.captures}
    out = []
    group: list[Discrepancy] = [d for d in rec.discrepancies if d.queue == queue]
    for d in sorted(group, key=lambda d: (SEVERITY_ORDER.get(d.severity, 9), d.discrepancy_id)):
        if d.proposed is not None:
            period = d.proposed.claim.period
            resolution = (f"{fact_value(d.proposed)}"
                          + (f" ({period_text(period)})" if period else "")
                          + f" from {d.proposed.source_id}, by rule {d.rule}: {RULES[d.rule]}")
        else:
            resolution = f"none — {RULES['none']}"
        decisions = tuple(
            f"{r.decision.action} {r.decision.target}".strip()
            + f" — “{r.decision.reason}” ({r.decision.author}, {r.decision.date}): {r.status}"
            + (f" — {r.why}" if r.why else "") for r in d.decisions)
        rows = []
        for cluster in d.clusters:
            for reading in cluster.readings:
                c = reading.claim
                rank = rec.ranks.get(c.claim_id, ("", "", ""))
                path = paths.get(c.source_id, "")
                rows.append(FigureRow(
                    figure_of(reading), c.figure, c.source_id,
                    raw_href(path, c.locator, c.quote) if path else "", path,
                    f"{period_text(c.period)} ({c.period_basis})" if c.period else "not stated",
                    _release_cell(run, reading), rank[1] + (f" ({rank[2]})" if rank[2] else ""),
                    c.quote, c.claim_id, c.locator))
        out.append(DiscrepancyView(
            d.discrepancy_id, key_title(d.key, occupation_title(run, d.key[0])), d.outcome,
            d.severity, d.queue, d.explanation, resolution, d.evidence, decisions, tuple(rows),
            tuple(sorted({s for c in d.clusters for s in c.sources}))))
    return out


def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["href"] = raw_href
    environment.filters["count"] = lambda items: len(items)
    environment.filters["sentence"] = lambda text: text[:1].upper() + text[1:]
    return environment


def html_report(run: Run, record: RunRecord | None = None, changes: Changes | None = None,
                chart_cache: Path | None = None) -> str:
    """reports/index.html as text: the run's analyst view, with its record (number and
    time) and what changed since the previous run when they are given; charts rendered
    before are read from `chart_cache` (see pipeline.charts.chart_svg)."""
    from collections import Counter

    from pipeline.charts import COLOURS, OUTCOMES
    from pipeline.report import OUTCOMES as DISCREPANCY_OUTCOMES
    from pipeline.report import SEVERITIES

    rec = run.reconciliation
    paths = {c.source.id: c.source.path for c in run.captures}
    sources = []
    for capture in sorted(run.captures, key=lambda c: c.source.id):
        s = capture.source
        v = rec.sources.get(s.id)
        page = run.pages.get(s.id)
        sources.append(dict(
            source_id=s.id, title=s.title, authority=s.authority, format=s.format,
            retrieved=s.retrieved, path=s.path, href="../" + quote(s.path),
            url=s.original_url or s.url, status=page.status if page else "current",
            figures=int((run.valid["source_id"] == s.id).sum()) if len(run.valid) else 0,
            current=v.current if v else 0, stale=v.stale if v else 0,
            unmatched=v.unmatched if v else 0, history=v.history if v else 0,
            mixed=", ".join(map(str, v.editions)) if v and v.editions else ""))
    decisions = [dict(discrepancy=r.decision.discrepancy, action=r.decision.action,
                      target=r.decision.target, reason=r.decision.reason,
                      author=r.decision.author, date=r.decision.date, status=r.status,
                      why=r.why,
                      listed=any(d.discrepancy_id == r.decision.discrepancy
                                 for d in rec.discrepancies))
                 for r in rec.decisions]
    problems = sorted(run.problems, key=lambda p: (p.severity, p.code, p.source_id, p.message))
    statuses = Counter(f.status for f in rec.facts)
    queues = Counter(d.queue for d in rec.discrepancies)
    context = dict(
        run=record, changes=changes,
        counts=dict(sources=len(run.captures), claims=len(run.claims), valid=len(run.valid),
                    quarantined=len(run.quarantined), facts=len(rec.facts),
                    statuses=[(s, statuses[s]) for s in ("consensus", "single-source",
                                                         "resolved", "conflict")],
                    discrepancies=len(rec.discrepancies),
                    queues=[(q, queues[q]) for q in ("open", "decided", "explained")],
                    problems=len(run.problems)),
        occupations=occupations(run, chart_cache=chart_cache),
        queue=discrepancy_views(run, "open"),
        decided=discrepancy_views(run, "decided"),
        explained=discrepancy_views(run, "explained"),
        decisions=decisions, sources=sources, problems=problems, paths=paths,
        outcomes=list(zip(OUTCOMES, COLOURS)), severities=SEVERITIES,
        discrepancy_outcomes=DISCREPANCY_OUTCOMES,
        fields=KEY_FIELDS)
    return _environment().get_template(TEMPLATE).render(**context)
