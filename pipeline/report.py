"""The discrepancy report for analysts: `reports/discrepancies.md`.

It leads with the answer: per occupation (by title), each key figure's resolved value,
its release, how many pages agree and how many are stale, and the official series the
pages were matched against (release -> figure, with the pages that quote it). Then the
open discrepancies (the analyst's queue), a summary (sources, claims, facts,
discrepancies by queue, outcome and severity, decisions, problems), each source's line
(how many of its figures are current, stale, unmatched, cited as history, whether it
mixes releases), what re-captured pages changed, the analysts' decisions and their
state, the discrepancies analysts decided and the explained ones. Each discrepancy lists
every figure as its page prints it, its source, period, the release it matches and how
stale it is, its rank, and the verbatim quote.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from pipeline.reconcile import KEY_FIELDS, QUEUES, SEVERITY, Discrepancy, Reading

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


def key_title(key: tuple, title: str = "") -> str:
    """A key as people read it: "wage · median · USD/year · United States (Medical Records
    Specialists, SOC 29-2072)"."""
    k = dict(zip(KEY_FIELDS, key))
    parts = [k["metric"].replace("_", " "), k["statistic"], k["unit"], k["geography"]]
    parts += [f"{name.replace('_', ' ')} {k[name]}" for name in
              ("level", "industry", "union_status", "schedule", "subgroup") if k[name]]
    named = f"{title}, SOC {k['occupation']}" if title else f"SOC {k['occupation']}"
    occupation = f" ({named})" if k["occupation"] else ""
    return " · ".join(parts) + occupation


def discrepancy_report(run: Run) -> str:
    rec = run.reconciliation
    lines = ["# Discrepancy report", ""]
    lines += headlines(run)
    number = 0

    def queue(title: str, name: str, empty: str) -> list[str]:
        nonlocal number
        out = ["", f"## {title}", ""]
        group = [d for d in rec.discrepancies if d.queue == name]
        if not group:
            out.append(empty)
        for d in group:
            number += 1
            out += _section(number, d, run)
        return out

    lines += queue("Open discrepancies (the analyst's queue)", "open",
                   "None: nothing needs an analyst.")
    lines += _summary(run)
    lines += _sources(run)
    lines += _page_changes(run)
    lines += _decisions(run)
    lines += queue("Decided by analysts", "decided", "None.")
    lines += queue("Explained discrepancies", "explained", "None.")
    return "\n".join(lines).rstrip() + "\n"


def _summary(run: Run) -> list[str]:
    rec = run.reconciliation
    statuses = Counter(f.status for f in rec.facts)
    troubled = run.troubled_sources
    lines = [
        "", "## Summary", "",
        "| | |", "|---|---|",
        f"| sources | {len(run.captures)} registered and readable; "
        f"{len(troubled)} with problems |",
        f"| claims | {len(run.claims)} extracted, {len(run.valid)} valid, "
        f"{len(run.quarantined)} quarantined (curated/quarantine.csv) |",
        f"| facts | {len(rec.facts)}: " + ", ".join(
            f"{statuses[s]} {s}" for s in ("consensus", "single-source", "resolved", "conflict")) + " |",
        f"| discrepancies | {len(rec.discrepancies)}: "
        + ", ".join(f"{sum(d.queue == q for d in rec.discrepancies)} {q}" for q in QUEUES) + " |",
        f"| analyst decisions | {len(rec.decisions)}: "
        + ", ".join(f"{sum(r.status == s for r in rec.decisions)} {s}"
                    for s in ("applied", "needs-review")) + " |",
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
        + ". Only conflict, categorical and intra-source discrepancies reach the queue; one "
          "leaves it when every analyst decision on it applies, and returns while a decision "
          "needs review."]
    if run.problems:
        lines += ["", "### Problems in this run", ""]
        lines += [f"- {_cell(p.line())}" for p in sorted(
            run.problems, key=lambda p: (p.severity, p.code, p.source_id, p.message))]
    return lines


def _sources(run: Run) -> list[str]:
    rec = run.reconciliation
    lines = ["", "## Sources", "",
             "| source | authority | figures | current | stale | unmatched | ambiguous | "
             "differs | history | mixed vintage |", "|---|---|---|---|---|---|---|---|---|---|"]
    figures = Counter(run.valid["source_id"]) if len(run.valid) else Counter()
    for capture in sorted(run.captures, key=lambda c: c.source.id):
        s = capture.source
        v = rec.sources.get(s.id)
        n = figures[s.id]
        mixed = ("**mixed-vintage** (editions " + ", ".join(map(str, v.editions)) + ")"
                 if v and v.editions else "")
        cells = ([v.current, v.stale, v.unmatched, v.ambiguous, v.differs, v.history] if v
                 else [0] * 6)
        lines.append(f"| {s.id} | {s.authority} | {n} | " + " | ".join(map(str, cells))
                     + f" | {mixed} |")
    lines += ["", "Current: the figure is the latest release of its statistic; stale: an "
              "older release; differs: the page names a period whose release has another "
              "figure; history: a past figure the page cites as such (“In May 2022 …”), "
              "matched to its release but not the page's vintage. A mixed-vintage page "
              "combines figures from different editions (a May 2024 wage beside 2023–2033 "
              "projections)."]
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
    lines = [f"### {number}. {key_title(d.key, occupation_title(run, d.key[0]))}", "",
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
    for result in d.decisions:
        dec = result.decision
        lines += ["", f"Decision: {dec.action} {dec.target} — “{_cell(dec.reason)}” "
                  f"({dec.author}, {dec.date}): **{result.status}**"
                  + (f" — {result.why}" if result.why else "")]
    lines += ["", "| figure | as printed | source | period | release | rank | quote | claim |",
              "|---|---|---|---|---|---|---|---|"]
    for cluster in d.clusters:
        for reading in cluster.readings:
            # each claim's own figure: a page's 8.5% and the agency's 8% agree at the
            # agency's precision, but neither is the other's figure
            shown = figure_of(reading)
            c = reading.claim
            period = f"{period_text(c.period)} ({c.period_basis})" if c.period else "not stated"
            rank = ranks.get(c.claim_id, ("", "", ""))
            rank_text = rank[1] + (f" ({rank[2]})" if rank[2] else "")
            lines.append(f"| {shown} | {_cell(c.figure)} | {c.source_id} | {period} "
                         f"| {_release_cell(run, reading)} | {rank_text} "
                         f"| “{_cell(c.quote)}” | `{c.claim_id}` |")
    return lines + [""]


# --- the headline: per occupation, the answer and the official series ---------------------

HEADLINE_FIGURES = (
    ("wage", "median", "median pay"), ("wage", "mean", "mean pay"),
    ("wage", "p10", "10th percentile pay"), ("wage", "p25", "25th percentile pay"),
    ("wage", "p75", "75th percentile pay"), ("wage", "p90", "90th percentile pay"),
    ("employment", "unspecified", "employment"), ("employment", "change", "employment change"),
    ("employment_growth", "change", "employment growth"),
    ("annual_openings", "unspecified", "openings a year"),
    ("education", "typical", "typical education"), ("experience", "typical", "work experience"),
    ("training_duration", "typical", "on-the-job training"),
    ("certification_required", "flag", "certification required"),
)
"""The key figures of an occupation, in the order the headline shows them."""


def occupation_title(run: Run, code: str) -> str:
    """An occupation's SOC 2018 title ("Medical Records Specialists"), or "" when the
    official tables do not know the code."""
    return run.official.title_of(code) if code else ""


def _headline_facts(run: Run) -> dict[str, list]:
    """Per occupation, its facts about the occupation as a whole in the United States
    that at least one page states, in HEADLINE_FIGURES order."""
    order = {(m, s): i for i, (m, s, _) in enumerate(HEADLINE_FIGURES)}
    authorities = {c.source.id: c.source.authority for c in run.captures}
    found: dict[str, list] = {}
    for fact in run.reconciliation.facts:
        k = dict(zip(KEY_FIELDS, fact.key))
        if (k["metric"], k["statistic"]) not in order or k["geography"] != "United States":
            continue
        if any(k[q] for q in ("level", "industry", "union_status", "schedule", "subgroup",
                              "scope")):
            continue
        pages = {r.source_id for c in fact.clusters for r in c.readings
                 if authorities.get(r.source_id) != "primary"}
        if pages:
            found.setdefault(k["occupation"], []).append(fact)
    return {code: sorted(facts, key=lambda f: order[(f.key[1], f.key[2])])
            for code, facts in sorted(found.items())}


def headlines(run: Run) -> list[str]:
    """Per occupation: each key figure's resolved value, its release, how many pages
    agree and how many quote an older release; then the official series the pages were
    matched against, release by release."""
    rec = run.reconciliation
    authorities = {c.source.id: c.source.authority for c in run.captures}
    by_occupation = _headline_facts(run)
    lines = ["## At a glance", ""]
    if not by_occupation:
        return lines + ["No page states a figure about an occupation as a whole."]
    lines += ["Per occupation, the resolved value of each figure the pages state, the "
              "release it is from, and how the pages compare: *agree* (their figure is "
              "the resolved one), *stale* (matched to an older release), *other* (a "
              "figure no release explains, or one several releases share).", ""]
    quoted = _quoted(run)
    series = defaultdict(list)  # the release figures of each (occupation, metric, statistic)
    for f in rec.figures:
        if f.geography == "United States" and f.relation != "merged":
            series[(f.occupation, f.metric, f.statistic)].append(f)
    for code, facts in by_occupation.items():
        title = occupation_title(run, code) or "Occupation"
        lines += [f"### {title} (SOC {code or 'unknown'})", "",
                  "| figure | resolved value | release | pages agree | pages stale | "
                  "pages other |", "|---|---|---|---|---|---|"]
        for fact in facts:
            label = next(lbl for m, s, lbl in HEADLINE_FIGURES if (m, s) == fact.key[1:3])
            chosen = fact.chosen
            winners = fact.clusters[fact.winner].readings if fact.winner is not None else []
            agree = {r.source_id for r in winners if authorities.get(r.source_id) != "primary"}
            stale, other = set(), set()
            for cluster in fact.clusters:
                for r in cluster.readings:
                    if authorities.get(r.source_id) == "primary" or r.source_id in agree:
                        continue
                    m = rec.matches.get(r.claim.claim_id)
                    (stale if m and m.outcome == "matched" and m.releases_behind else other
                     ).add(r.source_id)
            other -= stale
            value = f"**{fact_value(chosen)}**" if chosen else "none (an analyst must decide)"
            release = (chosen.claim.stated_in or period_text(chosen.claim.period)) if chosen else ""
            source = f" ({chosen.source_id})" if chosen else ""
            lines.append(f"| {label} | {value} | {release}{source} | {_pages(agree)} | "
                         f"{_pages(stale)} | {_pages(other)} |")
        lines += [""] + _series(code, facts, quoted, series) + [""]
    return lines


def _pages(sources: set[str]) -> str:
    return f"{len(sources)} ({', '.join(sorted(sources))})" if sources else "0"


def _quoted(run: Run) -> dict[tuple, dict[str, list[str]]]:
    """(occupation, metric, statistic, release) -> the pages that quote that release's
    figure, each with its figures as printed ("$47,180"; "$61K, differs")."""
    rec = run.reconciliation
    authorities = {c.source.id: c.source.authority for c in run.captures}
    quoted: dict[tuple, dict[str, list[str]]] = {}
    for claim in rec.claims:
        m = rec.matches.get(claim.claim_id)
        if authorities.get(claim.source_id) == "primary" or not m or not m.figure \
                or m.outcome not in ("matched", "differs"):
            continue
        key = (m.figure.metric, m.figure.statistic, m.figure.release)
        mark = claim.figure if m.outcome == "matched" else f"{claim.figure}, differs"
        quoted.setdefault((claim.occupation,) + key, {}).setdefault(claim.source_id, []).append(mark)
    return quoted


def _series(code: str, facts: list, quoted: dict[tuple, dict[str, list[str]]],
            figures: dict[tuple, list]) -> list[str]:
    """The official releases of each figure the pages were matched against, latest
    first: "OEWS May 2022: $47,180 ← seed-002 ($47,180)". `quoted` is `_quoted(run)`;
    `figures` the national release figures (merged parts left out) of each
    (occupation, metric, statistic), in the order of the run's figures."""
    lines = ["Official series the pages were matched against (latest first; every release "
             "of every occupation is in curated/releases.parquet):", ""]
    for fact in facts:
        metric, statistic = fact.key[1], fact.key[2]
        label = next(lbl for m, s, lbl in HEADLINE_FIGURES if (m, s) == (metric, statistic))
        series = {}
        for f in figures.get((code, metric, statistic), ()):
            best = series.get(f.release)
            if best is None or (best.unit != "USD/year" and f.unit == "USD/year"):
                series[f.release] = f
        if not series:
            continue
        ordered = sorted(series.values(), key=lambda f: (f.period_end or 0, f.release), reverse=True)
        items = []
        for f in ordered:
            pages = quoted.get((code, metric, statistic, f.release), {})
            shown = _release_figure(f)
            note = f" (as {f.published_code}, {f.relation})" if f.relation not in ("same",) else ""
            text = f"{f.release}: {shown}{note}"
            if pages:
                text += " ← " + "; ".join(f"{s} ({', '.join(sorted(set(v)))})"
                                          for s, v in sorted(pages.items()))
            items.append((bool(pages), text))
        shown = [text for i, (hit, text) in enumerate(items) if hit or i == 0]
        rest = len(items) - len(shown)
        lines.append(f"- **{label}**: " + " · ".join(shown)
                     + (f" · {rest} earlier release{'s' if rest > 1 else ''} no page quotes"
                        if rest else ""))
    return lines


def _release_figure(f) -> str:
    if f.unit in ("category", "boolean"):
        return f.value_text
    if f.unit in ("USD/year", "USD/hour"):
        money = _money(f.value if f.value is not None else f.low)
        suffix = "+" if f.value is None else ""
        return f"{money}{suffix}" + (" an hour" if f.unit == "USD/hour" else "")
    if f.unit == "percent":
        return f"{f.value:g}%"
    return _number(f.value if f.value is not None else f.low)
