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
the same bytes. Each discrepancy's article (`templates/discrepancy.html.j2`) is made
as its slice is reconciled, and kept with the slice (a refresh caches it with the
chunk: pipeline/cache.py, RenderedChunks); the page strings the articles together.

>>> raw_href("raw/report 2024.pdf", "pdf:page=2;bbox=72.0,96.3,523.3,131.0", "")
'../raw/report%202024.pdf#page=2'
>>> raw_href("raw/001_ff2d.txt", "chars=120-160", "2024 Median Pay: $50,250\\tper year")
'../raw/001_ff2d.txt#:~:text=2024%20Median%20Pay%3A%20%2450%2C250'
"""
from __future__ import annotations

import functools
import hashlib
import os
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
PAGE_FIGURES_LISTED = 5
"""A chart's table of page figures lists every one when there are at most
report.LISTED_READINGS; above, the first this many of each outcome (current, stale, …)
and how many more."""
CHANGES_LISTED = 100
"""Sources, facts and discrepancies changed since the previous run listed, of each:
`careerfacts diff` lists every one."""


@functools.lru_cache(maxsize=4096)
def _file_href(path: str) -> str:
    return "../" + quote(path)  # a page's file is linked from each of its figures


def raw_href(path: str, locator: str, quote_text: str) -> str:
    """A link from reports/ to a captured file, at the figure where the format allows:
    `#page=N` for a PDF, a text fragment (the quote's first words) for HTML and text."""
    href = _file_href(path)
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
    more: str = ""  # a summary's row of readings left out (report.Omitted): all else is ""


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
    note: str = ""  # above a summarised table: how much it lists, where the rest is


def _headline_row(fact: Fact, label: str, figures: list[PageFigure]) -> HeadlineRow:
    from pipeline.report import RULES, fact_value, release_text

    chosen = fact.chosen
    agree = {p.source_id for p in figures if p.agrees}
    stale = {p.source_id for p in figures if p.outcome == "stale"} - agree
    conflict = {p.source_id for p in figures if p.outcome == "conflict"} - agree - stale
    other = {p.source_id for p in figures} - agree - stale - conflict
    return HeadlineRow(
        label, fact_value(chosen) if chosen else "",
        release_text(chosen) if chosen else "",
        chosen.source_id if chosen else "", fact.rule, RULES.get(fact.rule, ""),
        tuple(sorted(agree)), tuple(sorted(stale)), tuple(sorted(conflict)),
        tuple(sorted(other)), fact.status, fact.discrepancy_id)


@dataclass(frozen=True)
class HeadlineEntry:
    """One headline figure of an occupation: its row and its chart's data (None: no chart)."""

    occupation: str
    order: int  # its place in HEADLINE_FIGURES
    key: tuple
    row: HeadlineRow
    chart: ChartData | None
    chart_key: str = ""  # charts.chart_key of the chart and its element-id prefix


def headline_entry(fact: Fact, matches: dict, sources: dict, queued: bool, national: dict,
                   title: str) -> HeadlineEntry | None:
    """The headline entry of a fact about an occupation as a whole in the United States
    that at least one page states (None for any other fact): `matches` are its claims'
    release matches, `sources` the run's (id -> Source), `queued` whether its
    discrepancy is open, `national` charts.national_figures of the release figures."""
    from pipeline.charts import chart_key, fact_chart, fact_page_figures
    from pipeline.report import HEADLINE_FIGURES, HEADLINE_ORDER

    order = HEADLINE_ORDER.get((fact.key[1], fact.key[2]))
    k = dict(zip(KEY_FIELDS, fact.key))
    if order is None or k["geography"] != "United States" or any(
            k[q] for q in ("level", "industry", "union_status", "schedule", "subgroup", "scope")):
        return None
    if not any(getattr(sources.get(r.source_id), "authority", None) != "primary"
               for c in fact.clusters for r in c.readings):
        return None
    label = HEADLINE_FIGURES[order][2]
    figures = fact_page_figures(fact, matches, sources, queued)
    data = fact_chart(fact, label, national, figures, title)
    row = replace(_headline_row(fact, label, figures),
                  chart=f"chart-{fact.fact_id}" if data is not None else "")
    return HeadlineEntry(k["occupation"], order, fact.key, row, data,
                         chart_key(data, f"{fact.fact_id}-") if data is not None else "")


def occupations(run: Run, render_svg: bool = True,
                chart_cache: Path | None = None) -> list[Occupation]:
    """Each occupation the pages state a figure of (as a whole, in the United States),
    by title: its headline and its charts (SVG rendered when `render_svg`, read from
    `chart_cache` when rendered before)."""
    return [o.whole() for o in occupations_of(run, analyst_parts(run), render_svg, chart_cache)]


def occupations_of(run: Run, view: AnalystParts, render_svg: bool = True,
                   chart_cache: Path | None = None) -> list[_Occupation]:
    """`occupations`, from the headline entries gathered in `view`, as a sequence whose
    occupations read their entries and render their charts when their headline or
    charts are first asked for (a report of thousands of pages has hundreds of
    thousands of page figures in its charts: one occupation's are held at a time)."""
    from pipeline.report import occupation_title

    found = []
    for code in view.occupation_codes:
        title = occupation_title(run, code)
        found.append(_Occupation(code, title or f"SOC {code or 'unknown'}",
                                 f"occ-{code or 'unknown'}", view, render_svg, chart_cache))
    return sorted(found, key=lambda o: (o.title.lower(), o.code))


class _Occupation:
    """An occupation of the report whose headline and charts are read from the gathered
    entries (and the charts rendered) when first asked for; only the occupation last
    asked for keeps them (in its view's `loaded`), so the report holds one at a time."""

    def __init__(self, code: str, title: str, anchor: str, view: AnalystParts,
                 render_svg: bool, chart_cache: Path | None):
        self.code, self.title, self.anchor = code, title, anchor
        self._view, self._render, self._cache = view, render_svg, chart_cache

    def _load(self) -> tuple:
        held = self._view.loaded
        if held is not None and held[0] is self:
            return held[1]
        from pipeline.charts import chart_svg

        self._view.loaded = None
        found = self._view.headline_of(self.code)
        charts = tuple(Chart(e.row.chart, e.chart,
                             chart_svg(e.chart, f"{e.chart.fact_id}-", self._cache, e.chart_key)
                             if self._render else "")
                       for e in found if e.chart is not None)
        loaded = (tuple(e.row for e in found), charts)
        self._view.loaded = (self, loaded)
        return loaded

    @property
    def headline(self) -> tuple[HeadlineRow, ...]:
        return self._load()[0]

    @property
    def charts(self) -> tuple[Chart, ...]:
        return self._load()[1]

    def whole(self) -> Occupation:
        return Occupation(self.code, self.title, self.anchor, self.headline, self.charts)

    def charts_used(self, chart_cache: Path) -> None:
        """Mark its charts in the chart cache recently used, unread (a chart not there
        is no error: it is drawn again when its section is)."""
        for order in self._view.headline_orders(self.code):
            if order[3]:
                try:
                    os.utime(chart_cache / f"{order[3]}.svg")
                except OSError:
                    pass

    def section_key(self, salt: str) -> str:
        """The name of its section in a cache of sections: a digest of what the section
        shows (its title, each headline row and chart, by their digests) and of the code
        that renders it (`salt`)."""
        return _digest("\x1f".join((salt, self.code, self.title, self.anchor,
                                     repr(self._view.headline_orders(self.code)))))


def occupation_sections(occupations, cache: Path | None = None,
                        chart_cache: Path | None = None):
    """Each occupation's section of reports/index.html (templates/occupation.html.j2),
    in the order given, as markup. With `cache` (a folder), a section rendered before
    from the same headline rows and charts by the same code is read back instead: its
    entries are not read from the spill nor its charts from `chart_cache` (at 10,000
    pages a section holds thousands of page figures, and a changed page changes the
    sections of its own occupation); its charts there are marked used all the same, so
    that pruning the chart cache keeps them. A cache that cannot be written is no error."""
    from markupsafe import Markup

    from pipeline.charts import EVERY_PAGE_MARKED
    from pipeline.report import LISTED_READINGS

    macro = _occupation_macro()
    salt = _section_salt() if cache is not None else ""
    for occupation in occupations:
        path = Path(cache) / f"{occupation.section_key(salt)}.html" if cache is not None else None
        if path is not None:
            try:
                html = path.read_text(encoding="utf-8")
                os.utime(path)  # recently used: kept when the cache is pruned
            except OSError:
                html = None
            if html is not None:
                if chart_cache is not None:
                    occupation.charts_used(Path(chart_cache))
                yield Markup(html)  # rendered by the macro below: escaped already
                continue
        html = str(macro(occupation, EVERY_PAGE_MARKED, LISTED_READINGS))
        if path is not None:
            from pipeline.charts import kept_text

            kept_text(Path(cache), path, html)
        yield Markup(html)


@functools.cache
def _occupation_macro():
    return _environment().get_template("occupation.html.j2").module.occupation


@functools.cache
def _section_salt() -> str:
    """What renders a section: careerfacts' pipeline code, the template, jinja2's."""
    from pipeline.cache import code_fingerprint

    return code_fingerprint(("pipeline",), ("pipeline/templates/occupation.html.j2",),
                            ("jinja2", "markupsafe"), ("occupation-section",))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def view_order(d: Discrepancy) -> tuple:
    """Where a discrepancy is listed in its queue: most severe first, then by id."""
    return (SEVERITY_ORDER.get(d.severity, 9), d.discrepancy_id)


def discrepancy_view(d: Discrepancy, ranks: dict, matches: dict, paths: dict[str, str],
                     title: str, listed=None) -> DiscrepancyView:
    """A discrepancy with its readings as in reports/discrepancies.md (every one, or a
    summary: report.listing, or `listed` when the caller has it): `ranks` and `matches`
    are its claims' (claim id -> rank, Match), `paths` the sources' files, `title` its
    key's title."""
    from pipeline.report import (RULES, Omitted, _release_cell, fact_value, figure_of, listing,
                                 no_resolution, period_text)

    if d.proposed is not None:
        period = d.proposed.claim.period
        resolution = (f"{fact_value(d.proposed)}"
                      + (f" ({period_text(period)})" if period else "")
                      + f" from {d.proposed.source_id}, by rule {d.rule}: {RULES[d.rule]}")
    else:
        resolution = f"none — {no_resolution(d)}"
    decisions = tuple(
        f"{r.decision.label} — “{r.decision.reason}” ({r.decision.author}, {r.decision.date}): {r.status}"
        + (f" — {r.why}" if r.why else "") for r in d.decisions)
    listed = listed if listed is not None else listing(d, ranks)
    rows = []
    for reading in listed.rows:
        if isinstance(reading, Omitted):
            rows.append(FigureRow(reading.shown, "", "", "", "", "", "", "", "", "", "",
                                  more=reading.text()))
            continue
        c = reading.claim
        rank = ranks.get(c.claim_id, ("", "", ""))
        path = paths.get(c.source_id, "")
        rows.append(FigureRow(
            figure_of(reading), c.figure, c.source_id,
            raw_href(path, c.locator, c.quote) if path else "", path,
            f"{period_text(c.period)} ({c.period_basis})" if c.period else "not stated",
            _release_cell(matches, reading), rank[1] + (f" ({rank[2]})" if rank[2] else ""),
            c.quote, c.claim_id, c.locator))
    return DiscrepancyView(
        d.discrepancy_id, title, d.outcome, d.severity, d.queue, d.explanation, resolution,
        d.evidence, decisions, tuple(rows),
        tuple(sorted({s for c in d.clusters for s in c.sources})),
        listed.note() if listed.summarised else "")


def discrepancy_html(view: DiscrepancyView) -> str:
    """A discrepancy's article in reports/index.html (templates/discrepancy.html.j2):
    made as its slice is reconciled, in whichever process reconciles it, and kept with
    the slice's rendering (a refresh's cache of rendered chunks keeps it too)."""
    return str(_discrepancy_macro()(view))


@functools.cache
def _discrepancy_macro():
    return _environment().get_template("discrepancy.html.j2").module.discrepancy


class AnalystParts:
    """What reports/index.html shows of a reconciliation, gathered all at once
    (`analyst_parts`) or a slice of keys at a time (pipeline/outputs.py, beside the
    Markdown report's parts): each headline fact's row and chart data, and each
    discrepancy's view — in lists, or on disk in `folder` (pipeline.tables.RowSpill)
    when a refresh's thousands of pages make them many — and each fact's and
    discrepancy's entry in the run's record (pipeline/history.py). The counts, the
    sources' vintages and the decisions come from the Markdown report's parts
    (pipeline.report.ReportParts).
    """

    def __init__(self, run: Run, figures, decisions, folder: Path | None = None,
                 like: AnalystParts | None = None):
        """`like`: another's of the same run, whose tables of the run's sources and
        national figures are shared rather than made again (a chunk's, rendered on
        its own)."""
        from pipeline.charts import national_figures
        from pipeline.reconcile import QUEUES
        from pipeline.report import occupation_title
        from pipeline.tables import RowSpill

        self.run = run
        if like is not None:
            self.sources, self.paths, self.national = like.sources, like.paths, like.national
        else:
            self.sources = {c.source.id: c.source for c in run.captures}
            self.paths = {c.source.id: c.source.path for c in run.captures}
            self.national = national_figures(figures)
        self.named = {d.discrepancy for d in decisions}
        self.listed: set[str] = set()  # discrepancies a decision names that are listed
        self.occupation_codes: set[str] = set()  # those with a headline entry
        # (sort key, entry) in lists, or on disk when a folder is given
        self.spill = RowSpill(Path(folder) / "views.spill") if folder is not None else None
        self.headline_spill = (RowSpill(Path(folder) / "headline.spill")
                               if folder is not None else None)
        self.kept: list[tuple[tuple, str]] = []  # each discrepancy's article (HTML)
        self.kept_headline: list[tuple[tuple, HeadlineEntry]] = []
        self.loaded: tuple | None = None  # (occupation, its headline and charts) last read
        self.counts: dict[str, int] = dict.fromkeys(QUEUES, 0)
        self.record_facts: dict[str, dict] = {}  # fact id -> its entry in the run record
        self.record_discrepancies: dict[str, dict] = {}
        self._titles: dict[str, str] = {}
        self._title = lambda code: self._titles.setdefault(code, occupation_title(run, code))
        # each source id once: the entries of thousands of facts name the same pages
        self._ids = like._ids if like is not None else {s: s for s in self.sources}

    def add_facts(self, facts, matches: dict, queued: set[str]) -> None:
        """Facts of one slice: `queued` holds the ids of its open discrepancies."""
        from pipeline.history import fact_entry
        from pipeline.report import key_title

        for fact in facts:
            record = fact_entry(fact, key_title(fact.key, self._title(fact.key[0])))
            record["sources"] = [self._ids.get(s, s) for s in record["sources"]]
            self.record_facts[fact.fact_id] = record
            entry = headline_entry(fact, matches, self.sources, fact.discrepancy_id in queued,
                                   self.national, self._title(fact.key[0]))
            if entry is None:
                continue
            self.occupation_codes.add(entry.occupation)
            # the chart's key and the row's digest in the spill's index: the charts a
            # cache lacks, and the sections it holds, are found without reading the
            # entries back (`charts`, `headline_orders`)
            order = (entry.occupation, entry.order, entry.key, entry.chart_key,
                     _digest(repr(entry.row)))
            if self.headline_spill is not None:
                self.headline_spill.add(order, entry)
            else:
                self.kept_headline.append((order, entry))

    def charts(self, missing_from: Path | None = None):
        """(chart data, element-id prefix, charts.chart_key) of every headline entry that
        has a chart, one read at a time, in no particular order; with `missing_from` (a
        chart cache), only the charts it does not hold, the others not read back. The
        headline's rows are finished here, in the caller's thread: the charts may be
        read in another (pipeline.charts.DrawingAhead) while this one goes on."""
        if self.headline_spill is not None:
            self.headline_spill.finish()
        return self._charts(missing_from)

    def _charts(self, missing_from: Path | None):
        def keep(order: tuple) -> bool:
            return bool(order[3]) and (missing_from is None or not (
                Path(missing_from) / f"{order[3]}.svg").exists())

        found = (self.headline_spill.entries(keep) if self.headline_spill is not None
                 else (e for e in self.kept_headline if keep(e[0])))
        for _, entry in found:
            yield entry.chart, f"{entry.chart.fact_id}-", entry.chart_key

    def headline_orders(self, code: str) -> list[tuple]:
        """The places of an occupation's headline entries (occupation, HEADLINE_FIGURES
        order, key, chart key, digest of the row), in order, none of them read back."""
        if self.headline_spill is not None:
            self.headline_spill.finish()
            found = (key for key, _, _, _ in self.headline_spill.index)
        else:
            found = (order for order, _ in self.kept_headline)
        return sorted(order for order in found if order[0] == code)

    def headline_of(self, code: str) -> list[HeadlineEntry]:
        """An occupation's headline entries, in HEADLINE_FIGURES order."""
        if self.headline_spill is not None:
            found = self.headline_spill.entries(lambda order: order[0] == code)
        else:
            found = (e for e in self.kept_headline if e[0][0] == code)
        return [entry for _, entry in sorted(found, key=lambda e: e[0])]

    def add_discrepancy(self, d: Discrepancy, ranks: dict, matches: dict, listed=None) -> None:
        from pipeline.history import discrepancy_entry
        from pipeline.reconcile import QUEUES
        from pipeline.report import key_title

        title = key_title(d.key, self._title(d.key[0]))
        record = discrepancy_entry(d, title)
        record["sources"] = [self._ids.get(s, s) for s in record["sources"]]
        self.record_discrepancies[d.discrepancy_id] = record
        if d.discrepancy_id in self.named:
            self.listed.add(d.discrepancy_id)
        self.counts[d.queue] += 1
        view = discrepancy_view(d, ranks, matches, self.paths, title, listed)
        order = (QUEUES.index(d.queue), *view_order(d))
        if self.spill is not None:
            self.spill.add(order, discrepancy_html(view))
        else:
            self.kept.append((order, discrepancy_html(view)))

    def handed(self) -> dict:
        """What this gathered, as `adopt` takes it in another process (a chunk's,
        rendered on its own, pipeline/outputs.py)."""
        return {"listed": self.listed, "codes": self.occupation_codes, "counts": self.counts,
                "facts": self.record_facts, "discrepancies": self.record_discrepancies,
                "spill": self.spill.handed() if self.spill is not None else None,
                "headline": (self.headline_spill.handed() if self.headline_spill is not None
                             else None),
                "kept": self.kept, "kept_headline": self.kept_headline}

    def adopt(self, handed: dict) -> None:
        """Take what another process gathered (`handed`) of the slices after this one's:
        the same parts as gathering them all here."""
        self.listed |= handed["listed"]
        self.occupation_codes |= handed["codes"]
        for queue, n in handed["counts"].items():
            self.counts[queue] += n
        for mine, theirs in ((self.record_facts, handed["facts"]),
                             (self.record_discrepancies, handed["discrepancies"])):
            for key, record in theirs.items():
                record["sources"] = [self._ids.get(s, s) for s in record["sources"]]
                mine[key] = record
        if handed["spill"] is not None:
            self.spill.adopt(handed["spill"])
        if handed["headline"] is not None:
            self.headline_spill.adopt(handed["headline"])
        self.kept.extend(handed["kept"])
        self.kept_headline.extend(handed["kept_headline"])

    def views(self, queue: str) -> _Views:
        """The articles (HTML) of one queue's discrepancies, in their order."""
        from pipeline.reconcile import QUEUES

        number = QUEUES.index(queue)
        if self.spill is not None:
            entries = lambda: self.spill.entries(lambda order: order[0] == number)  # noqa: E731
        else:
            self.kept.sort(key=lambda entry: entry[0])
            entries = lambda: (e for e in self.kept if e[0][0] == number)  # noqa: E731
        return _Views(entries, self.counts[queue])


class _Views:
    """One queue's discrepancies' articles, read (from disk) each time they are iterated."""

    def __init__(self, entries, count: int):
        self.entries, self.count = entries, count

    def __iter__(self):
        from markupsafe import Markup

        for _, html in self.entries():
            yield Markup(html)  # made by the template's own macro: escaped already

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0


def analyst_parts(run: Run) -> AnalystParts:
    """The analyst's view of a run, from its whole reconciliation."""
    rec = run.reconciliation
    parts = AnalystParts(run, rec.figures, [r.decision for r in rec.decisions])
    queued = {d.discrepancy_id for d in rec.discrepancies if d.queue == "open"}
    parts.add_facts(rec.facts, rec.matches, queued)
    for d in rec.discrepancies:
        parts.add_discrepancy(d, rec.ranks, rec.matches)
    return parts


def page_rows(pages) -> list[tuple]:
    """A chart's page figures as its table lists them, (figure, "") each, or above
    report.LISTED_READINGS a summary: by outcome, the first PAGE_FIGURES_LISTED of each,
    then (None, "… 95 more stale figures from 95 pages")."""
    from pipeline.charts import OUTCOMES
    from pipeline.report import LISTED_READINGS

    if len(pages) <= LISTED_READINGS:
        return [(p, "") for p in pages]
    rows = []
    for outcome in OUTCOMES:
        found = [p for p in pages if p.outcome == outcome]
        rows += [(p, "") for p in found[:PAGE_FIGURES_LISTED]]
        rest = found[PAGE_FIGURES_LISTED:]
        if rest:
            n, m = len(rest), len({p.source_id for p in rest})
            rows.append((None, f"… {n:,} more {outcome} figure{'s' if n != 1 else ''} "
                               f"from {m:,} page{'s' if m != 1 else ''}"))
    return rows


def _environment():
    import jinja2

    from pipeline.report import ids_text

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["href"] = raw_href
    environment.filters["count"] = lambda items: len(items)
    environment.filters["sentence"] = lambda text: text[:1].upper() + text[1:]
    environment.filters["ids"] = ids_text
    environment.filters["page_rows"] = page_rows
    environment.filters["thousands"] = lambda n: f"{n:,}"
    return environment


def html_report(run: Run, record: RunRecord | None = None, changes: Changes | None = None,
                chart_cache: Path | None = None, out=None, parts=None, view=None,
                section_cache: Path | None = None) -> str | None:
    """reports/index.html as text: the run's analyst view, with its record (number and
    time) and what changed since the previous run when they are given; charts rendered
    before are read from `chart_cache` (see pipeline.charts.chart_svg), and occupations'
    sections rendered before from `section_cache` (`occupation_sections`). Written to the
    text stream `out` piece by piece instead, when given (None is returned then).
    `parts` (pipeline.report.ReportParts) and `view` (AnalystParts) default to the run's
    whole reconciliation's; a refresh gives the ones it gathered a slice at a time."""
    from collections import Counter

    from pipeline.charts import COLOURS, OUTCOMES
    from pipeline.report import OUTCOMES as DISCREPANCY_OUTCOMES
    from pipeline.report import (IDS_LISTED, PROBLEMS_LISTED, SEVERITIES,
                                 parts_of)

    parts = parts if parts is not None else parts_of(run)
    view = view if view is not None else analyst_parts(run)
    paths = {c.source.id: c.source.path for c in run.captures}
    sources = []
    for capture in sorted(run.captures, key=lambda c: c.source.id):
        s = capture.source
        v = parts.sources.get(s.id)
        page = run.pages.get(s.id)
        sources.append(dict(
            source_id=s.id, title=s.title, authority=s.authority, format=s.format,
            retrieved=s.retrieved, path=s.path, href="../" + quote(s.path),
            url=s.original_url or s.url, status=page.status if page else "current",
            figures=parts.figures[s.id],
            current=v.current if v else 0, stale=v.stale if v else 0,
            unmatched=v.unmatched if v else 0, history=v.history if v else 0,
            mixed=", ".join(map(str, v.editions)) if v and v.editions else ""))
    decisions = [dict(discrepancy=r.decision.discrepancy, action=r.decision.action,
                      target=r.decision.target, reason=r.decision.reason,
                      author=r.decision.author, date=r.decision.date, status=r.status,
                      why=r.why, listed=r.decision.discrepancy in view.listed)
                 for r in parts.decisions]
    problems = sorted(run.problems, key=lambda p: (p.severity, p.code, p.source_id, p.message))
    statuses = parts.facts
    occupations = occupations_of(run, view, chart_cache=chart_cache)
    queues = Counter()
    for (queue, _, _), n in parts.discrepancies.items():
        queues[queue] += n
    context = dict(
        run=record, changes=changes,
        counts=dict(sources=len(run.captures), claims=len(run.claims), valid=run.valid_count,
                    quarantined=len(run.quarantined), facts=sum(statuses.values()),
                    statuses=[(s, statuses[s]) for s in ("consensus", "single-source",
                                                         "resolved", "conflict")],
                    discrepancies=sum(queues.values()),
                    queues=[(q, queues[q]) for q in ("open", "decided", "explained")],
                    problems=len(run.problems)),
        occupations=occupations,
        sections=occupation_sections(occupations, section_cache, chart_cache),
        queue=view.views("open"),
        decided=view.views("decided"),
        explained=view.views("explained"),
        decisions=decisions, sources=sources, problems=problems, paths=paths,
        outcomes=list(zip(OUTCOMES, COLOURS)), severities=SEVERITIES,
        discrepancy_outcomes=DISCREPANCY_OUTCOMES,
        fields=KEY_FIELDS, ids_listed=IDS_LISTED,
        changes_listed=CHANGES_LISTED, problems_listed=PROBLEMS_LISTED)
    if chart_cache is not None:
        from pipeline.charts import drawn_ahead

        # every core draws what the cache lacks; the report reads them
        drawn_ahead(view.charts(chart_cache), chart_cache)
    template = _environment().get_template(TEMPLATE)
    if out is None:
        text = template.render(**context)
    else:
        for piece in template.generate(**context):
            out.write(piece)
    from pipeline.charts import pruned

    for cache, pattern in ((chart_cache, "*.svg"), (section_cache, "*.html")):
        if cache is not None:
            pruned(cache, pattern)
    return text if out is None else None
