"""The charts' Vega-Lite specifications (pipeline.charts.chart_spec) are plain JSON built
without a charting library: checked here, for charts of every shape, against the same
chart built with Altair and validated against Vega-Lite's schema. The two must serialise
to the same bytes, so vl-convert draws the same SVG from either."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.charts import (COLOURS, NO_RELEASE, OUTCOMES, PLOT_HEIGHT, SHAPES, ChartData,
                             PageFigure, SeriesPoint, _axis_format, _shown, chart_spec,
                             release_label)
from pipeline.vintage import program_of


def altair_spec(data: ChartData) -> dict:
    """The chart built with Altair's API and validated against the Vega-Lite schema."""
    import altair as alt

    fmt, title = _axis_format(data.unit)
    x = alt.X("label:O", sort=list(data.order), scale=alt.Scale(domain=list(data.order)),
              title="release", axis=alt.Axis(labelAngle=-40, labelOverlap=False))
    y_scale = alt.Scale(zero=False, nice=True)
    layers = []
    if data.banded:
        layers.append(alt.Chart(alt.Data(values=[
            {"label": p.label, "low": p.low, "high": p.high,
             "description": f"{p.release}: 10th–90th percentile {p.low:,.0f}–{p.high:,.0f}"}
            for p in data.banded]), name="band").mark_area(
            color="#54aeff", opacity=0.18, interpolate="linear").encode(
            x=x, y=alt.Y("low:Q", scale=y_scale, axis=alt.Axis(format=fmt), title=title),
            y2="high:Q", description="description:N"))
    if data.series:
        values = [{"label": p.label, "value": p.value, "program": program_of(p.release),
                   "description": f"{p.release}: {_shown(p.value, data.unit)} (official)"}
                  for p in data.series]
        y = alt.Y("value:Q", scale=y_scale, axis=alt.Axis(format=fmt), title=title)
        programs = sorted({v["program"] for v in values})
        line = {"detail": "program:N"} if len(programs) < 2 else {
            "strokeDash": alt.StrokeDash("program:N", title="official series",
                                         scale=alt.Scale(domain=programs))}
        layers.append(alt.Chart(alt.Data(values=values), name="official").mark_line(
            color="#0550ae", strokeWidth=1.5).encode(x=x, y=y, description="description:N",
                                                     **line))
        layers.append(alt.Chart(alt.Data(values=values), name="official_points").mark_point(
            color="#0550ae", filled=True, size=28).encode(x=x, y=y,
                                                          description="description:N"))
    if data.plotted:
        layers.append(alt.Chart(alt.Data(values=data.page_marks()), name="pages").mark_point(
            filled=False, size=110, strokeWidth=2.2, opacity=0.95).encode(
            x=x, y=alt.Y("value:Q", scale=y_scale, axis=alt.Axis(format=fmt), title=title),
            color=alt.Color("outcome:N", title="page figure",
                            scale=alt.Scale(domain=list(OUTCOMES), range=list(COLOURS))),
            shape=alt.Shape("outcome:N", title="page figure",
                            scale=alt.Scale(domain=list(OUTCOMES), range=list(SHAPES))),
            description="description:N"))
    chart = alt.layer(*layers).properties(
        width=max(240, 44 * len(data.order)), height=PLOT_HEIGHT,
        title=alt.Title(f"{data.label[0].upper()}{data.label[1:]}",
                        subtitle=f"{data.occupation_title or 'SOC ' + data.occupation} "
                                 f"(SOC {data.occupation})", anchor="start"))
    spec = chart.configure(font="sans-serif").configure_view(stroke=None).to_dict(
        validate=True)
    spec.pop("$schema", None)
    return spec


OEWS = [f"OEWS May {year}" for year in range(2013, 2025)]
PROJECTIONS = ["Employment Projections 2019-2029", "Employment Projections 2023-2033",
               "Employment Projections 2024-2034"]
money = st.floats(min_value=1_000, max_value=400_000, allow_nan=False).map(lambda v: round(v, 2))


@st.composite
def charts(draw) -> ChartData:
    unit = draw(st.sampled_from(["USD/year", "percent", "count"]))
    releases = draw(st.lists(st.sampled_from(OEWS + PROJECTIONS), unique=True, max_size=6))
    banded = unit == "USD/year" and draw(st.booleans())
    series = []
    for release in releases:
        value = draw(money)
        low, high = ((draw(money), draw(money)) if banded and draw(st.booleans())
                     else (None, None))
        series.append(SeriesPoint(release, release_label(release), value, low, high))
    count = draw(st.sampled_from([0, 1, 3, 12, 240]))  # past EVERY_PAGE_MARKED: binned marks
    labels = [p.label for p in series] + [NO_RELEASE]
    pages = []
    for n in range(count):
        release = draw(st.sampled_from(releases + [""]))
        value = draw(st.one_of(st.none(), money, st.just(float("inf")))) if n < 12 else \
            float(n * 13 % 5000 + 40_000)
        outcome = draw(st.sampled_from(OUTCOMES))
        pages.append(PageFigure(f"page-{n:05}", f"c-{n}", f"${value}", f"${value}", value,
                                release, release_label(release) if release else NO_RELEASE,
                                outcome, "", "", "", "", False))
    order = tuple(dict.fromkeys(labels))
    title = draw(st.sampled_from(["", "Medical Records Specialists", "Cost Estimators"]))
    label = draw(st.sampled_from(["median pay", "employment growth", "annual openings"]))
    return ChartData("29-2072", title, "f-1", "wage", "median", unit, label, tuple(series),
                     tuple(pages), order)


@settings(max_examples=60, deadline=None)
@given(charts())
def test_the_specification_is_altairs_and_valid(data):
    assert json.dumps(chart_spec(data)) == json.dumps(altair_spec(data))


def test_a_chart_with_both_programmes_dashes_them_apart():
    series = (SeriesPoint("OEWS May 2023", "May 2023", 100_000.0),
              SeriesPoint("Employment Projections 2023-2033", "2023–33", 98_000.0))
    data = ChartData("29-2072", "", "f-1", "employment", "count", "count", "employment",
                     series, (), ("May 2023", "2023–33"))
    spec = chart_spec(data)

    line = next(layer for layer in spec["layer"] if layer["name"] == "official")
    assert line["encoding"]["strokeDash"]["scale"]["domain"] == ["EP", "OEWS"]
    assert json.dumps(spec) == json.dumps(altair_spec(data))
