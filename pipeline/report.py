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

What grows with the pages is summarised, so that the report of thousands of pages stays
readable: a discrepancy whose pages give more than LISTED_READINGS readings lists those
that matter and a few of each figure, counting the rest (`listing`); a cell names at most
IDS_LISTED sources. curated/ keeps everything; the report says where.
"""
from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.reconcile import (CATEGORICAL_UNITS, KEY_FIELDS, QUEUES, SEVERITY, Cluster,
                               Discrepancy, Reading, named_claims)

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

# --- how much of a list grows with the pages: the reports summarise, curated/ keeps all ---

LISTED_READINGS = 24
"""A discrepancy lists every reading when its pages give at most this many. The official
sources' readings are not counted, and always listed: they are bounded by the releases
(the OEWS May files of 2013-2024 and the handbook's years, each a year and an hour figure,
give one key 22), while the pages' grow with the registry. 24 rows of pages are a
screen or two of the report and more than any key of the shipped project has (its largest
discrepancy, the median pay, has 28 readings, 22 of them official), so it is listed whole."""
OTHERS_LISTED = 3
"""Above LISTED_READINGS: of each figure listed, the first readings that no rule singles
out, after those that matter (see `listing`)."""
FIGURES_LISTED = 5
"""Above LISTED_READINGS: the figures no reading that matters is of, listed for the most
sources stating them; the others are counted, in their place in the figure order."""
IDS_LISTED = 10
"""Source ids named in one cell ("15 (page-00005, …, and 5 more)")."""
PROBLEMS_LISTED = 50
"""Problems listed in a report; every one is in reports/problems.csv."""
OUTCOMES = ("conflict", "categorical", "intra-source", "stale", "definition")


def _money(x: float) -> str:
    return f"${x:,.2f}" if not float(x).is_integer() else f"${x:,.0f}"


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


def figure_of(reading: Reading) -> str:
    """A reading as people write it, in its key's unit: "$50,250", "9%", "2–5 years",
    "up to $75,000" (a range with only its top: "Up to $75,000 a year")."""
    claim = reading.claim
    if claim.unit in ("category", "boolean"):
        return claim.value_text
    fmt = {"USD/year": _money, "USD/hour": _money, "percent": lambda x: f"{x:g}%",
           "years": lambda x: f"{x:g} years" if reading.low is None else f"{x:g}",
           "count": _number}[claim.unit if claim.unit != "USD/hour" else "USD/year"]
    if reading.value is None and reading.low is None and reading.high is not None:
        return f"up to {fmt(reading.high)}"
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


@dataclass
class ReportParts:
    """What the report says besides its sections, gathered from a run's reconciliation
    all at once (`parts_of`) or a slice of keys at a time (pipeline/outputs.py)."""

    facts: Counter = field(default_factory=Counter)  # status -> facts
    discrepancies: Counter = field(default_factory=Counter)  # (queue, outcome, severity) -> n
    decisions: list = field(default_factory=list)  # DecisionResult, in the run's order
    sources: dict = field(default_factory=dict)  # source id -> SourceVintage
    figures: Counter = field(default_factory=Counter)  # source id -> valid claims
    headline: dict = field(default_factory=dict)  # occupation -> [HeadlineRow]
    quoted: dict = field(default_factory=dict)  # see `quoted`
    releases: list = field(default_factory=list)  # the release figures matched against

    def add_facts(self, facts, matches, authorities: dict[str, str]) -> None:
        """Count facts and keep the headline rows of those that are one."""
        for fact in facts:
            self.facts[fact.status] += 1
            row = headline_row(fact, matches, authorities)
            if row is not None:
                self.headline.setdefault(fact.key[0], []).append(row)

    def add_discrepancy(self, d: Discrepancy) -> None:
        self.discrepancies[(d.queue, d.outcome, d.severity)] += 1

    def merge(self, other: ReportParts) -> None:
        """Add what `other` gathered of the slices after this one's (a chunk's,
        rendered on its own, pipeline/outputs.py): the same parts as gathering them all here."""
        self.facts.update(other.facts)
        self.discrepancies.update(other.discrepancies)
        for code, rows in other.headline.items():
            self.headline.setdefault(code, []).extend(rows)
        for key, by_source in other.quoted.items():
            mine = self.quoted.setdefault(key, {})
            for source, marks in by_source.items():
                mine.setdefault(source, set()).update(marks)

    def of_discrepancies(self, field: int):
        """Each discrepancy's queue (0), outcome (1) or severity (2), as many times as
        there are discrepancies with it."""
        for key, n in self.discrepancies.items():
            yield from [key[field]] * n


def parts_of(run: Run) -> ReportParts:
    """The report's parts of a run, from its whole reconciliation."""
    rec = run.reconciliation
    authorities = {c.source.id: c.source.authority for c in run.captures}
    parts = ReportParts(decisions=rec.decisions, sources=rec.sources, releases=rec.figures,
                        figures=Counter(run.valid["source_id"]) if len(run.valid) else Counter())
    parts.add_facts(rec.facts, rec.matches, authorities)
    for d in rec.discrepancies:
        parts.add_discrepancy(d)
    add_quoted(parts.quoted, rec.claims, rec.matches, authorities)
    return parts


def sections_of(run: Run):
    """queue -> the (title, lines) of each of its discrepancies, in report order."""
    rec = run.reconciliation

    def sections(queue: str):
        for d in rec.discrepancies:
            if d.queue == queue:
                yield key_title(d.key, occupation_title(run, d.key[0])), section_lines(
                    d, rec.ranks, rec.matches)
    return sections


def discrepancy_report(run: Run, out=None, parts: ReportParts | None = None,
                       sections=None) -> str | None:
    """reports/discrepancies.md: returned as text, or written to the text stream `out`
    piece by piece (a refresh of many pages writes a report of hundreds of MB). `parts`
    and `sections` (queue -> its sections' titles and lines, in order) default to the
    run's whole reconciliation's."""
    parts = parts if parts is not None else parts_of(run)
    sections = sections if sections is not None else sections_of(run)
    buffer = io.StringIO() if out is None else None
    write = _Trimmed(buffer if out is None else out)
    write(["# Discrepancy report", ""] + headlines(run, parts))
    number = 0

    def queue(title: str, name: str, empty: str) -> None:
        nonlocal number
        write(["", f"## {title}", ""])
        shown = False
        for heading, lines in sections(name):
            shown = True
            number += 1
            write([f"### {number}. {heading}"] + lines)
        if not shown:
            write([empty])

    queue("Open discrepancies (the analyst's queue)", "open", "None: nothing needs an analyst.")
    write(_summary(run, parts))
    write(_sources(run, parts))
    write(_page_changes(run))
    write(_decisions(run, parts))
    queue("Decided by analysts", "decided", "None.")
    queue("Explained discrepancies", "explained", "None.")
    write.close()
    return buffer.getvalue() if buffer is not None else None


class _Trimmed:
    """Writes lines joined by newlines, the whole ending in one newline with no trailing
    whitespace before it: `"\n".join(lines).rstrip() + "\n"`, written as it goes."""

    def __init__(self, out):
        self.out = out
        self.started = False
        self.held = ""  # trailing whitespace, written only if more text follows

    def __call__(self, lines: list[str]) -> None:
        if not lines:
            return
        text = ("\n" if self.started else "") + "\n".join(lines)
        self.started = True
        body = text.rstrip()
        if body:
            self.out.write(self.held + body)
            self.held = text[len(body):]
        else:
            self.held += text

    def close(self) -> None:
        self.out.write("\n")


def _summary(run: Run, parts: ReportParts) -> list[str]:
    statuses = parts.facts
    troubled = run.troubled_sources
    queues, counts = Counter(), Counter()
    for (queue, outcome, severity), n in parts.discrepancies.items():
        queues[queue] += n
        counts[(outcome, severity)] += n
    lines = [
        "", "## Summary", "",
        "| | |", "|---|---|",
        f"| sources | {len(run.captures)} registered and readable; "
        f"{len(troubled)} with problems |",
        f"| claims | {len(run.claims)} extracted, {run.valid_count} valid, "
        f"{len(run.quarantined)} quarantined (curated/quarantine.csv) |",
        f"| facts | {sum(statuses.values())}: " + ", ".join(
            f"{statuses[s]} {s}" for s in ("consensus", "single-source", "resolved", "conflict")) + " |",
        f"| discrepancies | {sum(parts.discrepancies.values())}: "
        + ", ".join(f"{queues[q]} {q}" for q in QUEUES) + " |",
        f"| analyst decisions | {len(parts.decisions)}: "
        + ", ".join(f"{sum(r.status == s for r in parts.decisions)} {s}"
                    for s in ("applied", "needs-review")) + " |",
        "", "### Discrepancies by outcome and severity", "",
        "| outcome | " + " | ".join(SEVERITIES) + " | total |",
        "|---|" + "---|" * (len(SEVERITIES) + 1),
    ]
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
        listed = sorted(run.problems, key=lambda p: (p.severity, p.code, p.source_id, p.message))
        lines += [f"- {_cell(p.line())}" for p in listed[:PROBLEMS_LISTED]]
        if len(listed) > PROBLEMS_LISTED:
            lines.append(f"- … and {len(listed) - PROBLEMS_LISTED:,} more: every problem is in "
                         "reports/problems.csv")
    return lines


def _sources(run: Run, parts: ReportParts) -> list[str]:
    lines = ["", "## Sources", "",
             "| source | authority | figures | current | stale | unmatched | ambiguous | "
             "differs | history | mixed vintage |", "|---|---|---|---|---|---|---|---|---|---|"]
    for capture in sorted(run.captures, key=lambda c: c.source.id):
        s = capture.source
        v = parts.sources.get(s.id)
        n = parts.figures[s.id]
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


def _decisions(run: Run, parts: ReportParts | None = None) -> list[str]:
    results = (parts or parts_of(run)).decisions
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


def _release_cell(matches, reading: Reading) -> str:
    match = matches.get(reading.claim.claim_id)
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


def release_text(reading: Reading) -> str:
    """The release a resolved figure is from, as the reports name it: the one it is
    stated in, else its period ("May 2024"), else "not stated"."""
    return reading.claim.stated_in or period_text(reading.claim.period) or "not stated"


def no_resolution(d: Discrepancy) -> str:
    """Why a discrepancy has no resolved figure: no rule chose one and an analyst must
    decide, or the analysts' decision settled it without one ("not-a-conflict",
    "split")."""
    if any(r.status == "applied" and r.decision.action in ("not-a-conflict", "split")
           for r in d.decisions):
        return "the analysts' decision settles it without choosing one figure"
    return RULES["none"]


def _section(number: int, d: Discrepancy, run: Run) -> list[str]:
    rec = run.reconciliation
    return [f"### {number}. {key_title(d.key, occupation_title(run, d.key[0]))}"] + \
        section_lines(d, rec.ranks, rec.matches)


def section_lines(d: Discrepancy, ranks, matches, listed: Listing | None = None) -> list[str]:
    """A discrepancy's section of the report under its heading: its id, outcome, why,
    resolution, decisions and its readings (`ranks` and `matches` of its claims): every
    one, or above LISTED_READINGS a summary (`listing`, or `listed` when the caller has
    it) that says where the rest is."""
    lines = ["",
             f"`{d.discrepancy_id}` · **{d.outcome}** · severity **{d.severity}** · "
             f"evidence `{d.evidence}`", "", f"Why: {d.explanation}.", ""]
    if d.proposed is not None:
        period = d.proposed.claim.period
        lines.append(f"Resolution: **{fact_value(d.proposed)}**"
                     + (f" ({period_text(period)})" if period else "")
                     + f" from {d.proposed.source_id}, by rule `{d.rule}`: {RULES[d.rule]}. "
                     "The other figures stay in the curated data as ranked alternatives.")
    else:
        lines.append(f"Resolution: none — {no_resolution(d)}.")
    for result in d.decisions:
        dec = result.decision
        lines += ["", f"Decision: {dec.label} — “{_cell(dec.reason)}” "
                  f"({dec.author}, {dec.date}): **{result.status}**"
                  + (f" — {result.why}" if result.why else "")]
    listed = listed if listed is not None else listing(d, ranks)
    if listed.summarised:
        lines += ["", listed.note(markdown=True)]
    lines += ["", "| figure | as printed | source | period | release | rank | quote | claim |",
              "|---|---|---|---|---|---|---|---|"]
    for row in listed.rows:
        if isinstance(row, Omitted):
            lines.append(f"| {row.shown} | | {row.text()} | | | | | |")
            continue
        # each claim's own figure: a page's 8.5% and the agency's 8% agree at the
        # agency's precision, but neither is the other's figure
        shown = figure_of(row)
        c = row.claim
        period = f"{period_text(c.period)} ({c.period_basis})" if c.period else "not stated"
        rank = ranks.get(c.claim_id, ("", "", ""))
        rank_text = rank[1] + (f" ({rank[2]})" if rank[2] else "")
        lines.append(f"| {shown} | {_cell(c.figure)} | {c.source_id} | {period} "
                     f"| {_release_cell(matches, row)} | {rank_text} "
                     f"| “{_cell(c.quote)}” | `{c.claim_id}` |")
    return lines + [""]


@dataclass(frozen=True)
class Omitted:
    """Readings a summarised discrepancy leaves out of its table at one place: more
    readings of the figure listed above (`figures` 0), or whole figures between two
    listed ones, none of whose readings matters."""

    readings: int
    sources: int
    shown: str  # the figure ("$50,250"), or the figures' span ("$45,010 to $52,300")
    figures: int = 0

    def text(self) -> str:
        """ "… 45 more readings of this figure from 44 sources", "… 12 more figures: 60
        readings from 60 sources"."""
        sources = f"{self.sources:,} source{'s' if self.sources != 1 else ''}"
        if not self.figures:
            return (f"… {self.readings:,} more reading{'s' if self.readings != 1 else ''} "
                    f"of this figure from {sources}")
        figures = f"{self.figures:,} more figure{'s' if self.figures != 1 else ''}"
        return (f"… {figures}: {self.readings:,} reading{'s' if self.readings != 1 else ''} "
                f"from {sources}")


@dataclass(frozen=True)
class Listing:
    """What a discrepancy's table lists: its readings (Reading) and, when summarised, the
    readings left out at each place (Omitted), in the order of its figures."""

    discrepancy_id: str
    rows: tuple  # Reading | Omitted
    readings: int
    figures: int
    sources: int
    fact_ids: tuple[str, ...]  # the fact the readings rank in (curated/claims.csv fact_id)
    summarised: bool

    def note(self, markdown: bool = False) -> str:
        """The sentence above a summarised table: how much it lists and where the rest is."""
        code = (lambda text: f"`{text}`") if markdown else (lambda text: text)
        listed = sum(1 for row in self.rows if not isinstance(row, Omitted))
        facts = " or ".join(code(f) for f in self.fact_ids)
        where = (f"curated/claims.csv (the rows with fact_id {facts}) and " if facts else "")
        return (f"{self.readings:,} readings of {self.figures:,} figures from "
                f"{self.sources:,} sources, {listed} of them listed: the proposed figure, the "
                "official sources', those an analyst's decision names and, of each figure, "
                f"the first {OTHERS_LISTED} others; of the figures without such a reading, "
                f"the {FIGURES_LISTED} the most sources state. Every reading is in {where}"
                f"curated/discrepancies.csv (the claim_ids of {code(self.discrepancy_id)}).")


def listing(d: Discrepancy, ranks: dict) -> Listing:
    """What a discrepancy's table lists (reports/discrepancies.md and reports/index.html).

    Every reading, in the order of its figures, when its pages (not the official sources)
    give at most LISTED_READINGS. Above that the readings that matter — the proposed
    one, the official sources', those an analyst's decision names — and, of each figure,
    the first OTHERS_LISTED others, then a row counting the rest of that figure; a
    figure none of whose readings matters is listed only if it is one of the
    FIGURES_LISTED that the most sources state, and the figures left out between two
    listed ones are one row. `ranks` (claim id -> (fact id, rank, reason)) names the
    fact whose rows in curated/claims.csv hold every reading.
    """
    clusters = d.clusters
    readings = [r for c in clusters for r in c.readings]
    fact_ids = tuple(sorted({ranks[r.claim.claim_id][0] for r in readings
                             if r.claim.claim_id in ranks and ranks[r.claim.claim_id][0]}))
    sources = len({r.source_id for r in readings})
    pages = sum(1 for r in readings if r.authority != "primary")
    if pages <= LISTED_READINGS:
        return Listing(d.discrepancy_id, tuple(readings), len(readings), len(clusters),
                       sources, fact_ids, False)
    named = {d.proposed.claim.claim_id} if d.proposed is not None else set()
    for result in d.decisions:
        named |= named_claims(clusters, result.decision.target)

    def matters(r: Reading) -> bool:
        return r.authority == "primary" or r.claim.claim_id in named

    plain = [i for i, c in enumerate(clusters) if not any(matters(r) for r in c.readings)]
    widest = set(sorted(plain, key=lambda i: (-len(clusters[i].sources), i))[:FIGURES_LISTED])
    left_out = set(plain) - widest  # a set: a key of 10,000 pages has thousands of figures
    rows: list = []
    gap: list[Cluster] = []
    for i, cluster in enumerate(clusters):
        if i in left_out:
            gap.append(cluster)
            continue
        if gap:
            rows.append(_omitted_figures(gap))
            gap = []
        others, rest = 0, []
        for r in cluster.readings:
            if matters(r):
                rows.append(r)
            elif others < OTHERS_LISTED:
                others += 1
                rows.append(r)
            else:
                rest.append(r)
        if rest:
            rows.append(Omitted(len(rest), len({r.source_id for r in rest}),
                                figure_of(cluster.representative)))
    if gap:
        rows.append(_omitted_figures(gap))
    return Listing(d.discrepancy_id, tuple(rows), len(readings), len(clusters), sources,
                   fact_ids, True)


def _omitted_figures(clusters: list[Cluster]) -> Omitted:
    """Consecutive figures left out, as one row: their span (figures are in order) unless
    they are categories, whose order is the alphabet's."""
    first, last = clusters[0].representative, clusters[-1].representative
    if first.claim.unit in CATEGORICAL_UNITS:
        shown = "…"
    elif len(clusters) == 1:
        shown = figure_of(first)
    else:
        shown = f"{figure_of(first)} to {figure_of(last)}"
    readings = [r for c in clusters for r in c.readings]
    return Omitted(len(readings), len({r.source_id for r in readings}), shown, len(clusters))


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


@dataclass(frozen=True)
class HeadlineRow:
    """One figure of an occupation's headline table."""

    order: int  # its place in HEADLINE_FIGURES
    key: tuple
    line: str  # the table row
    metric: str
    statistic: str


def headline_row(fact, matches, authorities: dict[str, str]) -> HeadlineRow | None:
    """The headline row of a fact about an occupation as a whole in the United States
    that at least one page states; None for any other fact."""
    order = HEADLINE_ORDER.get((fact.key[1], fact.key[2]))
    k = dict(zip(KEY_FIELDS, fact.key))
    if order is None or k["geography"] != "United States" or any(
            k[q] for q in ("level", "industry", "union_status", "schedule", "subgroup", "scope")):
        return None
    if not {r.source_id for c in fact.clusters for r in c.readings
            if authorities.get(r.source_id) != "primary"}:
        return None
    label = HEADLINE_FIGURES[order][2]
    chosen = fact.chosen
    winners = fact.clusters[fact.winner].readings if fact.winner is not None else []
    agree = {r.source_id for r in winners if authorities.get(r.source_id) != "primary"}
    stale, other = set(), set()
    for cluster in fact.clusters:
        for r in cluster.readings:
            if authorities.get(r.source_id) == "primary" or r.source_id in agree:
                continue
            m = matches.get(r.claim.claim_id)
            (stale if m and m.outcome == "matched" and m.releases_behind else other
             ).add(r.source_id)
    other -= stale
    value = f"**{fact_value(chosen)}**" if chosen else "none (an analyst must decide)"
    release = release_text(chosen) if chosen else ""
    source = f" ({chosen.source_id})" if chosen else ""
    line = (f"| {label} | {value} | {release}{source} | {_pages(agree)} | "
            f"{_pages(stale)} | {_pages(other)} |")
    return HeadlineRow(order, fact.key, line, fact.key[1], fact.key[2])


HEADLINE_ORDER = {(m, s): i for i, (m, s, _) in enumerate(HEADLINE_FIGURES)}


def headlines(run: Run, parts: ReportParts | None = None) -> list[str]:
    """Per occupation: each key figure's resolved value, its release, how many pages
    agree and how many quote an older release; then the official series the pages were
    matched against, release by release."""
    parts = parts if parts is not None else parts_of(run)
    lines = ["## At a glance", ""]
    if not parts.headline:
        return lines + ["No page states a figure about an occupation as a whole."]
    lines += ["Per occupation, the resolved value of each figure the pages state, the "
              "release it is from, and how the pages compare: *agree* (their figure is "
              "the resolved one), *stale* (matched to an older release), *other* (a "
              "figure no release explains, or one several releases share).", ""]
    series = defaultdict(list)  # the release figures of each (occupation, metric, statistic)
    for f in parts.releases:
        if f.geography == "United States" and f.relation != "merged":
            series[(f.occupation, f.metric, f.statistic)].append(f)
    for code in sorted(parts.headline):
        rows = sorted(parts.headline[code], key=lambda r: (r.order, r.key))
        title = occupation_title(run, code) or "Occupation"
        lines += [f"### {title} (SOC {code or 'unknown'})", "",
                  "| figure | resolved value | release | pages agree | pages stale | "
                  "pages other |", "|---|---|---|---|---|---|"]
        lines += [row.line for row in rows]
        lines += [""] + _series(code, rows, parts.quoted, series) + [""]
    return lines


def _pages(sources: set[str]) -> str:
    return f"{len(sources)} ({ids_text(sorted(sources))})" if sources else "0"


def ids_text(ids, most: int = IDS_LISTED) -> str:
    """Ids joined by commas, at most `most` of them named: "page-00001, page-00002, and
    123 more"."""
    ids = list(ids)
    rest = len(ids) - most
    if rest <= 0:
        return ", ".join(ids)
    return ", ".join(ids[:most]) + f", and {rest:,} more"


def add_quoted(quoted: dict, claims, matches, authorities: dict[str, str]) -> None:
    """Gather into `quoted` ((occupation, metric, statistic, release) -> source -> the
    set of figures it quotes of that release's figure, as printed: "$47,180", "$61K,
    differs") what these claims quote."""
    for claim in claims:
        m = matches.get(claim.claim_id)
        if authorities.get(claim.source_id) == "primary" or not m or not m.figure \
                or m.outcome not in ("matched", "differs"):
            continue
        key = (m.figure.metric, m.figure.statistic, m.figure.release)
        mark = claim.figure if m.outcome == "matched" else f"{claim.figure}, differs"
        quoted.setdefault((claim.occupation,) + key, {}).setdefault(claim.source_id, set()).add(mark)


def _series(code: str, rows: list[HeadlineRow], quoted: dict[tuple, dict[str, set[str]]],
            figures: dict[tuple, list]) -> list[str]:
    """The official releases of each figure the pages were matched against, latest
    first: "OEWS May 2022: $47,180 ← seed-002 ($47,180)". `quoted` is gathered by
    `add_quoted`; `figures` the national release figures (merged parts left out) of each
    (occupation, metric, statistic), in the order of the run's figures."""
    lines = ["Official series the pages were matched against (latest first; every release "
             "of every occupation is in curated/releases.parquet):", ""]
    for row in rows:
        metric, statistic = row.metric, row.statistic
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
                quoting = sorted(pages.items())
                text += " ← " + "; ".join(f"{s} ({', '.join(sorted(v))})"
                                          for s, v in quoting[:IDS_LISTED])
                if len(quoting) > IDS_LISTED:
                    text += f"; and {len(quoting) - IDS_LISTED:,} more pages"
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
