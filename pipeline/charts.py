"""Charts of the official series with every page's figure placed at its release.

One chart per occupation and key figure the pages state (median pay, employment growth,
openings …): the official series release by release (OEWS May releases for wages and
employment, Employment Projections cycles for growth and openings) as a line with a
point per release, the 10th–90th percentile band behind a wage series where both are
known, and each page's figure as a point at the release it was matched to, coloured and
shaped by its outcome:

| outcome | the page's figure |
|---|---|
| `current` | is the latest release's |
| `stale` | is an older release's |
| `history` | is a past release's that the page cites as such ("In May 2022 …") |
| `conflict` | differs from the release of the period it states, or is a dissenting figure of a discrepancy in the analyst's queue |
| `unmatched` | is no release's (or several releases' at its precision: ambiguous); placed at "no release" |

`chart_data` gathers the points (pure: a Run in, a ChartData out); `chart_spec` builds
the Vega-Lite specification (plain JSON, checked in the tests against the schema and the
same chart built with Altair); `chart_svg` renders it to SVG with vl-convert (no browser,
no network): the same data give the same bytes. vl-convert is imported here only, when a
report is rendered.

In the SVG, the marks of each layer sit in a group named for it: `band_marks`,
`official_marks` (the line), `official_points_marks`, `pages_marks`; each page's point
carries an `aria-label` such as "seed-002: $47,180 at OEWS May 2022 (stale)".
"""
from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.limits import end_with_parent
from pipeline.reconcile import KEY_FIELDS, Fact
from pipeline.vintage import program_of
from schemas.vocabulary import HOURS_PER_YEAR

if TYPE_CHECKING:
    from pipeline.refresh import Run

OUTCOMES = ("current", "stale", "history", "conflict", "unmatched")
COLOURS = ("#1a7f37", "#b35900", "#8250df", "#cf222e", "#6e7781")
SHAPES = ("circle", "triangle-up", "diamond", "square", "cross")
NO_RELEASE = "no release"
CHARTED_UNITS = ("USD/year", "percent", "count")
"""Key units with a value axis; categories (typical education) are shown in tables only."""
PLOT_HEIGHT = 220
"""The plot's height in pixels."""
EVERY_PAGE_MARKED = 200
"""A chart of up to this many page figures draws a mark per figure; a larger one, a mark
per release, outcome and row of pixels (ChartData.page_marks)."""
IDS_NAMED = 10
"""Page ids named in the label of a mark that stands for several pages."""


@dataclass(frozen=True)
class SeriesPoint:
    """One release's official figure, in the key's unit (hourly wages × 2,080)."""

    release: str  # "OEWS May 2023"
    label: str  # the x position: "May 2023", "2023–33"
    value: float
    low: float | None = None  # the 10th percentile that release, for a wage
    high: float | None = None  # the 90th
    source_id: str = ""


@dataclass(frozen=True)
class PageFigure:
    """A page's figure of a fact, where the chart places it and why."""

    source_id: str
    claim_id: str
    figure: str  # as printed: "$49K"
    shown: str  # in the key's unit: "$49,000"
    value: float | None  # in the key's unit; None for a range (listed, not charted)
    release: str  # the release it was matched to ("" when none)
    label: str  # its x position: the release's label, or "no release"
    outcome: str  # one of OUTCOMES
    quote: str
    locator: str
    path: str  # the captured file, relative to the project: "raw/002_b0dd….txt"
    period: str
    agrees: bool  # in the resolved figure's cluster

    @property
    def description(self) -> str:
        where = f"at {self.release}" if self.release else "at no release"
        return f"{self.source_id}: {self.shown} {where} ({self.outcome})"


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: an occupation's official series of one figure and the pages'
    figures of the same fact."""

    occupation: str
    occupation_title: str
    fact_id: str
    metric: str
    statistic: str
    unit: str
    label: str  # "median pay"
    series: tuple[SeriesPoint, ...]
    pages: tuple[PageFigure, ...]
    order: tuple[str, ...] = field(default=())  # x positions, left to right

    @property
    def plotted(self) -> tuple[PageFigure, ...]:
        """The page figures with a single value: the points of the pages layer."""
        return tuple(p for p in self.pages if p.value is not None)

    @property
    def banded(self) -> tuple[SeriesPoint, ...]:
        return tuple(p for p in self.series if p.low is not None and p.high is not None)

    def page_marks(self) -> list[dict]:
        """The marks of the pages layer: one per plotted page figure, or, for a chart of
        more than EVERY_PAGE_MARKED of them, one per release, outcome and row of pixels
        (the figures within a pixel of each other), placed at its middle figure and
        labelled with how many pages it stands for, their range and the first pages'
        ids. A chart of 10,000 pages' figures then draws a few hundred marks, not
        thousands that would cover each other.

        >>> page = PageFigure("s-1", "c-1", "$49K", "$49,000", 49000.0, "OEWS May 2023",
        ...                   "May 2023", "stale", "", "", "", "", False)
        >>> data = ChartData("29-2072", "", "f-1", "wage", "median", "USD/year", "median pay",
        ...                  (), (page,))
        >>> data.page_marks()[0]["description"]
        's-1: $49,000 at OEWS May 2023 (stale)'
        """
        plotted = self.plotted
        if len(plotted) <= EVERY_PAGE_MARKED:
            return [{"label": p.label, "value": p.value, "outcome": p.outcome,
                     "source": p.source_id, "description": p.description} for p in plotted]
        values = [p.value for p in plotted]
        values += [v for s in self.series for v in (s.value, s.low, s.high) if v is not None]
        values = [v for v in values if math.isfinite(v)] or [0.0]
        low, high = min(values), max(values)
        row_height = (high - low) / PLOT_HEIGHT or 1.0
        rows: dict[tuple, list[PageFigure]] = {}
        for p in plotted:
            row = math.floor((p.value - low) / row_height) if math.isfinite(p.value) else -1
            rows.setdefault((p.label, p.outcome, row), []).append(p)
        position = {label: n for n, label in enumerate(self.order)}
        marks = []
        for key in sorted(rows, key=lambda k: (position.get(k[0], len(position)),
                                               OUTCOMES.index(k[1]), k[2])):
            pages = sorted(rows[key], key=lambda p: (p.value, p.source_id, p.claim_id))
            middle = pages[len(pages) // 2]
            if len(pages) == 1:
                description = middle.description
            else:
                ids = sorted({p.source_id for p in pages})
                named = ", ".join(ids[:IDS_NAMED]) + (
                    f", … and {len(ids) - IDS_NAMED} more" if len(ids) > IDS_NAMED else "")
                where = f"at {middle.release}" if middle.release else "at no release"
                shown = pages[0].shown if pages[0].shown == pages[-1].shown else \
                    f"{pages[0].shown}–{pages[-1].shown}"
                description = (f"{len(pages)} page figures ({named}): {shown} {where} "
                               f"({middle.outcome})")
            marks.append({"label": middle.label, "value": middle.value,
                          "outcome": middle.outcome, "source": middle.source_id,
                          "description": description})
        return marks


def release_label(release: str) -> str:
    """A release as the x axis shows it.

    >>> release_label("OEWS May 2023"), release_label("Employment Projections 2024-2034")
    ('May 2023', '2024–34')
    """
    if release.startswith("OEWS May "):
        return release[len("OEWS "):]
    found = re.fullmatch(r"Employment Projections (\d{4})-(\d{2})(\d{2})", release)
    if found:
        return f"{found.group(1)}–{found.group(3)}"
    return release


def _annual(value: float | None, unit: str) -> float | None:
    if value is None:
        return None
    return round(value * HOURS_PER_YEAR, 2) if unit == "USD/hour" else value


def national_figures(figures) -> dict[tuple[str, str, str], list]:
    """The release figures of the United States by (occupation, metric, statistic), in
    their order, the merged parts of a split code left out: the series a chart draws."""
    found: dict[tuple[str, str, str], list] = {}
    for f in figures:
        if f.geography == "United States" and f.relation != "merged":
            found.setdefault((f.occupation, f.metric, f.statistic), []).append(f)
    return found


def _official(national: dict, code: str, metric: str, statistic: str) -> dict[str, object]:
    """The release figure of each release for an occupation's statistic in the United
    States: the annual figure where a release has both, a comparable code's only.
    `national` is national_figures of the run's release figures."""
    found: dict[str, object] = {}
    for f in national.get((code, metric, statistic), ()):
        if f.value is None:
            continue
        best = found.get(f.release)
        if best is None or (best.unit != "USD/year" and f.unit == "USD/year") or (
                best.unit == f.unit and (best.source_id, best.locator) > (f.source_id, f.locator)):
            found[f.release] = f
    return found


def _order(release: str, figure) -> tuple:
    start = figure.period_start if figure is not None and figure.period_start else None
    end = figure.period_end if figure is not None and figure.period_end else None
    if start is None and end is None:
        years = re.findall(r"\d{4}", release)
        start = int(years[0]) if years else 9999
    return (start if start is not None else end, release)


def page_figures(run: Run, fact: Fact) -> list[PageFigure]:
    """Every page's figure of a fact (primary sources are the series, not pages), with
    the release it was matched to and its outcome (see OUTCOMES)."""
    rec = run.reconciliation
    queued = any(d.discrepancy_id == fact.discrepancy_id and d.queue == "open"
                 for d in rec.discrepancies) if fact.discrepancy_id else False
    return fact_page_figures(fact, rec.matches, {c.source.id: c.source for c in run.captures},
                             queued)


def fact_page_figures(fact: Fact, matches: dict, sources: dict, queued: bool
                      ) -> list[PageFigure]:
    """`page_figures` of a fact, given the release matches of its claims (claim id ->
    Match), the sources (id -> Source) and whether its discrepancy is in the analyst's
    queue (its dissenting figures are then conflicts)."""
    from pipeline.report import figure_of

    out = []
    for index, cluster in enumerate(fact.clusters):
        for reading in cluster.readings:
            claim = reading.claim
            source = sources.get(claim.source_id)
            if source is None or source.authority == "primary":
                continue
            match = matches.get(claim.claim_id)
            agrees = index == fact.winner
            release = match.release if match and match.outcome in ("matched", "differs") else ""
            if match and match.outcome == "differs":
                outcome = "conflict"
            elif match and match.outcome == "matched":
                outcome = ("history" if claim.period_basis == "history"
                           else "stale" if match.releases_behind else "current")
            elif queued and not agrees:
                outcome = "conflict"
            else:
                outcome = "unmatched"
            out.append(PageFigure(
                claim.source_id, claim.claim_id, claim.figure, figure_of(reading),
                reading.value if reading.low is None else None, release,
                release_label(release) if release else NO_RELEASE, outcome, claim.quote,
                claim.locator, source.path, claim.period, agrees))
    return sorted(out, key=lambda p: (p.source_id, p.claim_id))


def chart_data(run: Run, fact: Fact, label: str) -> ChartData | None:
    """The chart of a fact about an occupation as a whole, or None when its unit has no
    value axis (a category) or neither the releases nor the pages have a figure."""
    from pipeline.report import occupation_title

    return fact_chart(fact, label, national_figures(run.reconciliation.figures),
                      page_figures(run, fact), occupation_title(run, fact.key[0]))


def fact_chart(fact: Fact, label: str, national: dict, pages: list[PageFigure],
               title: str) -> ChartData | None:
    """`chart_data` of a fact, given national_figures of the run's release figures, the
    fact's page figures (fact_page_figures) and its occupation's title."""
    key = dict(zip(KEY_FIELDS, fact.key))
    if key["unit"] not in CHARTED_UNITS:
        return None
    code, metric, statistic = key["occupation"], key["metric"], key["statistic"]
    official = _official(national, code, metric, statistic)
    band = {}
    if metric == "wage" and statistic in ("median", "mean"):
        lows, highs = (_official(national, code, metric, s) for s in ("p10", "p90"))
        band = {r: (_annual(lows[r].value, lows[r].unit), _annual(highs[r].value, highs[r].unit))
                for r in lows if r in highs}
    series = tuple(
        SeriesPoint(release, release_label(release), _annual(f.value, f.unit),
                    *band.get(release, (None, None)), f.source_id)
        for release, f in sorted(official.items(), key=lambda kv: _order(kv[0], kv[1])))
    pages = tuple(pages)
    if not series and not any(p.value is not None for p in pages):
        return None
    positions = {p.release: _order(p.release, official.get(p.release)) for p in series}
    positions.update({p.release: _order(p.release, official.get(p.release))
                      for p in pages if p.release and p.release not in positions})
    order = tuple(release_label(r) for r in sorted(positions, key=positions.get))
    if any(p.label == NO_RELEASE and p.value is not None for p in pages):
        order += (NO_RELEASE,)
    return ChartData(code, title, fact.fact_id, metric, statistic, key["unit"], label, series,
                     pages, order)


def _axis_format(unit: str) -> tuple[str, str]:
    """(d3 format, axis title) of a key unit."""
    return {"USD/year": ("$,.0f", "USD a year"), "percent": (".1f", "percent"),
            "count": (",.0f", "count")}[unit]


def chart_spec(data: ChartData) -> dict:
    """The chart's Vega-Lite specification (a dict): a layer per part of the chart
    (`band`, `official`, `official_points`, `pages`), the data inline, the releases in
    `data.order` along x. Built as plain JSON, the form Vega-Lite specifies (building it
    with Altair took a third of a chart's drawing time): the tests check it against the
    Vega-Lite schema and against the same chart built with Altair (tests/test_chart_spec.py).

    >>> spec = chart_spec(ChartData("29-2072", "Medical Records Specialists", "f-1", "wage",
    ...     "median", "USD/year", "median pay",
    ...     (SeriesPoint("OEWS May 2024", "May 2024", 50250.0, 35780.0, 80950.0),), (),
    ...     ("May 2024",)))
    >>> [layer["name"] for layer in spec["layer"]], spec["title"]["subtitle"]
    (['band', 'official', 'official_points'], 'Medical Records Specialists (SOC 29-2072)')
    """
    fmt, title = _axis_format(data.unit)
    # the layers share these parts: a JSON document, it is written out the same either way
    x = {"axis": {"labelAngle": -40, "labelOverlap": False}, "field": "label",
         "scale": {"domain": list(data.order)}, "sort": list(data.order), "title": "release",
         "type": "ordinal"}
    described = {"field": "description", "type": "nominal"}

    def y(name: str) -> dict:
        return {"axis": {"format": fmt}, "field": name, "scale": {"nice": True, "zero": False},
                "title": title, "type": "quantitative"}

    layers = []
    if data.banded:
        layers.append({
            "data": {"values": [
                {"label": p.label, "low": p.low, "high": p.high,
                 "description": f"{p.release}: 10th–90th percentile {p.low:,.0f}–{p.high:,.0f}"}
                for p in data.banded]},
            "mark": {"type": "area", "color": "#54aeff", "interpolate": "linear",
                     "opacity": 0.18},
            "encoding": {"description": described, "x": x, "y": y("low"),
                         "y2": {"field": "high"}},
            "name": "band"})
    if data.series:
        values = [{"label": p.label, "value": p.value, "program": program_of(p.release),
                   "description": f"{p.release}: {_shown(p.value, data.unit)} (official)"}
                  for p in data.series]
        # one line per programme: OEWS employment and the projections' base-year
        # employment are two series, not one zigzag
        programs = sorted({v["program"] for v in values})
        line = {"detail": {"field": "program", "type": "nominal"}} if len(programs) < 2 else {
            "strokeDash": {"field": "program", "scale": {"domain": programs},
                           "title": "official series", "type": "nominal"}}
        layers.append({
            "data": {"values": values},
            "mark": {"type": "line", "color": "#0550ae", "strokeWidth": 1.5},
            "encoding": dict(sorted({"description": described, "x": x, "y": y("value"),
                                     **line}.items())),
            "name": "official"})
        layers.append({
            "data": {"values": values},
            "mark": {"type": "point", "color": "#0550ae", "filled": True, "size": 28},
            "encoding": {"description": described, "x": x, "y": y("value")},
            "name": "official_points"})
    if data.plotted:
        def by_outcome(channel: tuple) -> dict:
            return {"field": "outcome", "scale": {"domain": list(OUTCOMES),
                                                  "range": list(channel)},
                    "title": "page figure", "type": "nominal"}
        layers.append({
            "data": {"values": data.page_marks()},
            "mark": {"type": "point", "filled": False, "opacity": 0.95, "size": 110,
                     "strokeWidth": 2.2},
            "encoding": {"color": by_outcome(COLOURS), "description": described,
                         "shape": by_outcome(SHAPES), "x": x, "y": y("value")},
            "name": "pages"})
    subtitle = f"{data.occupation_title or 'SOC ' + data.occupation} (SOC {data.occupation})"
    # a chart of one layer gives its data at the top, as Altair's layer of one chart does
    shared = {"data": layers[0].pop("data")} if len(layers) == 1 else {}
    return {"config": {"view": {"continuousWidth": 300, "continuousHeight": 300,
                                "stroke": None}, "font": "sans-serif"},
            "layer": layers, **shared, "height": PLOT_HEIGHT,
            "title": {"text": f"{data.label[0].upper()}{data.label[1:]}", "anchor": "start",
                      "subtitle": subtitle},
            "width": max(240, 44 * len(data.order))}


def _shown(value: float, unit: str) -> str:
    if unit == "USD/year":
        return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"
    if unit == "percent":
        return f"{value:g}%"
    return f"{value:,.0f}"


CACHE_LIMIT = 2000
"""Rendered charts kept in a cache folder; past it the least recently used half goes."""


def chart_svg(data: ChartData, prefix: str = "", cache: Path | None = None,
              key: str | None = None) -> str:
    """The chart as an SVG element to inline in HTML: no external reference, and element
    ids (if the renderer makes any) prefixed so that several charts share a page.

    With a `cache` folder, a chart already rendered from the same data, by the same
    code (this module's text) and the same version of vl-convert, is read
    from it instead of rendered again (starting the renderer costs about a second per
    process). `key` is `chart_key(data, prefix)` when the caller has it already."""
    if cache is not None:
        path = Path(cache) / f"{key or chart_key(data, prefix)}.svg"
        try:
            svg = path.read_text(encoding="utf-8")
            os.utime(path)  # recently used: kept when the cache is pruned
            return svg
        except OSError:
            pass
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart_spec(data))
    if prefix:
        svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
        svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    if cache is not None:
        kept_text(Path(cache), path, svg)
    return svg


@functools.cache
def _renderer() -> tuple[str, str]:
    """(this module's digest, vl-convert's version): what draws a chart."""
    from importlib.metadata import version

    return (hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
            version("vl-convert-python"))


def chart_key(data: ChartData, prefix: str = "") -> str:
    """The name of the chart's file in a chart cache: a digest of its data, its element-id
    prefix and what draws it (`_renderer`). A few milliseconds for a chart of thousands
    of page figures, so a report's headline entry carries it (pipeline/report_html.py),
    made with its chunk and kept with it, and no refresh computes it again.

    >>> data = ChartData("29-2072", "", "f-1", "wage", "median", "USD/year", "median pay",
    ...                  (), ())
    >>> len(chart_key(data, "f-1-")), chart_key(data) == chart_key(data, "f-1-")
    (32, False)
    """
    parts = (*_renderer(), prefix, repr(data))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def kept_text(folder: Path, path: Path, text: str) -> None:
    """Save a rendered chart or report section in a cache folder (a temporary name renamed
    into place); a cache that cannot be written is no error: it is rendered again next
    time."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=".kept-", suffix=path.suffix, dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(partial, path)
    except OSError:
        pass


def pruned(folder: Path, pattern: str = "*.svg") -> None:
    """Past CACHE_LIMIT charts (or other files of `pattern`) in the cache, the least
    recently used half deleted (once a report is written: a listing of the folder per
    chart drawn cost more than reading the chart back)."""
    try:
        kept = sorted(Path(folder).glob(pattern), key=lambda p: p.stat().st_mtime)
        for old in kept[:-CACHE_LIMIT // 2] if len(kept) > CACHE_LIMIT else ():
            old.unlink(missing_ok=True)
    except OSError:
        pass


AHEAD = 8
"""Charts not in the cache below which they are drawn one by one as the report is
written: a drawing process costs about a second to start (vl-convert)."""


DRAWING_PROCESS = 250_000_000
"""About what a chart-drawing process holds once it has drawn the charts of 10,000 pages
(vl-convert's JavaScript engine, the charts' data)."""

WRITING_GROWTH = 250_000_000
WRITING_GROWTH_PER_CLAIM = 250
"""About what a refresh grows by from the end of reconciliation until its database is
built, the least and per valid claim: room a drawing process in the background must
leave it (`drawing_ahead`). At 10,000 pages (2.26 million claims) the refresh held
0.5–0.6 GB when reconciliation ended and its process tree 0.85–0.97 GB while the tables
were written (the children that make pieces of curated/claims with it); a drawer
beside that took the tree to 1.1 GB."""


def drawn_ahead(charts: Iterable[tuple[ChartData, str, str]], cache: Path,
                jobs: int | None = None) -> int:
    """Draw into `cache`, `jobs` processes at a time (default: the cores, as many as fit
    in the refresh's memory budget beside it, one at least: pipeline.memory; on a single
    core, none), the charts (data, element-id prefix, `chart_key`) it does not hold yet, so that the
    report, written in one process, reads them all back; the number drawn. Each process
    draws exactly what `chart_svg` would: the report is the same, byte for byte, however many draw it.
    Fewer than AHEAD missing charts are left to be drawn as the report is written. A few
    charts are in flight at a time, never all of them (at 10,000 pages a chart holds
    thousands of page figures)."""
    if jobs is None:
        cores = os.cpu_count() or 1
        if cores < 2:
            return 0
        from pipeline.memory import processes_within_budget
        jobs = processes_within_budget(cores, DRAWING_PROCESS)
    elif jobs < 2:
        return 0
    return _drawn(charts, Path(cache), jobs)


def _drawn(charts: Iterable[tuple[ChartData, str, str]], cache: Path, jobs: int,
           stop: threading.Event | None = None) -> int:
    """The charts `cache` does not hold drawn into it by a pool of `jobs` processes (none
    when fewer than AHEAD are missing); the number drawn. With `stop`, no chart is
    handed to the pool once it is set."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    waiting: list[tuple[ChartData, str]] = []
    pool, running, drawn = None, set(), 0
    try:
        for chart in charts:
            if stop is not None and stop.is_set():
                break
            if (cache / f"{chart[2]}.svg").exists():
                continue
            waiting.append(chart)
            if pool is None and len(waiting) < AHEAD:
                continue
            if pool is None:  # spawned, not forked: the refresh runs Arrow's threads
                pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=end_with_parent,
                                           initargs=(os.getpid(),))
            for waited in waiting:
                if len(running) >= 2 * jobs:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()
                running.add(pool.submit(_draw, waited, cache))
                drawn += 1
            waiting = []
        for future in running:
            future.result()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return drawn


class DrawingAhead:
    """The charts drawn into `cache` by one process, in the background, while the refresh
    writes its tables, its run record and its database on one core and leaves the other
    idle (`drawing_ahead`). `finish()` stops handing it charts and waits for those in
    flight; `drawn_ahead` then draws the rest on every core as the report is written.
    A chart that fails to draw here is drawn there again, where its error is reported.

    >>> ahead = DrawingAhead(iter(()), Path("."))
    >>> ahead.finish()
    0
    """

    def __init__(self, charts: Iterable[tuple[ChartData, str, str]], cache: Path):
        self.drawn = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._draw, args=(charts, Path(cache)),
                                        name="careerfacts-charts", daemon=True)
        self._thread.start()

    def _draw(self, charts, cache: Path) -> None:
        try:
            self.drawn = _drawn(charts, cache, 1, self._stop)
        except Exception:  # noqa: BLE001 - drawn again by drawn_ahead, which reports it
            pass

    def finish(self) -> int:
        """Stop drawing, once the charts in flight are drawn; the number drawn."""
        self._stop.set()
        self._thread.join()
        return self.drawn


def drawing_ahead(charts: Iterable[tuple[ChartData, str, str]], cache: Path,
                  claims: int = 0) -> DrawingAhead | None:
    """The charts drawn in the background from now on (DrawingAhead), on a machine of
    two cores or more and when one drawing process fits in the memory budget beside
    this process and what it will grow by as it writes the tables and the database of
    `claims` valid claims (WRITING_GROWTH); None otherwise: at 10,000 pages the charts
    are drawn only as the report is written."""
    from pipeline.memory import MEMORY_BUDGET, resident_bytes

    own = resident_bytes()
    growth = max(WRITING_GROWTH, claims * WRITING_GROWTH_PER_CLAIM)
    if (os.cpu_count() or 1) < 2 or (
            own is not None and own + growth + DRAWING_PROCESS > MEMORY_BUDGET):
        return None
    return DrawingAhead(charts, cache)


def _draw(chart: tuple[ChartData, str, str], cache: Path) -> None:
    chart_svg(chart[0], chart[1], cache, chart[2])
