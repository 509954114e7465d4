"""Readers for the official files: bytes in, rows out. Pure: no network, no writes.

Each reader takes a file's sheets (`sheets(data, format)`: .xls through xlrd, .xlsx
through openpyxl, .csv) and returns plain dict rows plus the problems it met, as
`(code, detail)` pairs for the catalogue in schemas/problems.py:

- `oews_national`: the OEWS national estimates of one May release, every layout from
  2013 to 2024 (20 columns with OCC_GROUP until 2018; AREA … O_GROUP, 30 to 32 columns
  after; lower- or upper-case names). One row per figure: employment (TOT_EMP), mean and
  percentile wages, hourly and annual. Special values are never numbers: `*` (wage not
  available) and `**` (employment not available) become missing figures with their
  reason; `#` (top-coded) an open-ended figure from the threshold the file's Field
  Descriptions sheet states ("# = … $115.00 per hour or $239,200 per year"), or a
  missing one with that reason when the file does not state it (2013-2018).
- `ep_occupation`: Employment Projections `occupation.xlsx` of one cycle (Table 1.2,
  with Table 1.7 in the 2019-29 layout): employment in the base and projected year,
  numeric and percent change, annual openings (thousands multiplied out), typical
  education, work experience, on-the-job training; and the year of the OEWS wage the
  table prints beside them (the handbook's pairing: "Median annual wage, 2020" in the
  2019-29 cycle).
- `soc_crosswalk`, `soc_structure`, `onet_alternate_titles`: the classifications.

>>> rows = [["OCC_CODE", "OCC_TITLE", "OCC_GROUP", "TOT_EMP", "H_MEDIAN", "A_MEDIAN"],
...         ["29-2071", "Medical Records and Health Information Technicians", "detailed",
...          180760, 16.81, 34970]]
>>> found, problems = oews_national([Sheet("national_dl", rows)], "2013")
>>> [(r["metric"], r["statistic"], r["unit"], r["value"], r["release"]) for r in found]
[('employment', 'unspecified', 'count', 180760.0, 'OEWS May 2013'), ('wage', 'median', 'USD/hour', 16.81, 'OEWS May 2013'), ('wage', 'median', 'USD/year', 34970.0, 'OEWS May 2013')]
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from schemas.vocabulary import DEFAULT_GEOGRAPHY

READER_VERSION = "1"
"""Part of the cache key of everything read here: change it when a reader's output changes."""

Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list]  # cell values: str, int or float; "" for an empty cell
    format: str = "xlsx"  # the locator prefix: xlsx:SHEET!row=N, xls:SHEET!row=N, csv:row=N


class OfficialFileError(Exception):
    """A file that cannot be read as its dataset at all; `code` is a catalogue code."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def sheets(data: bytes, format: str) -> list[Sheet]:
    """Every sheet of a workbook (or the one of a CSV file) as rows of cell values.

    Raises OfficialFileError("document-unreadable") for bytes that are not that format.
    """
    try:
        if format == "xls":
            import xlrd  # only for the legacy .xls files

            book = xlrd.open_workbook(file_contents=data, on_demand=True)
            found = []
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                found.append(Sheet(sheet.name, [[_cell(v) for v in sheet.row_values(r)]
                                                for r in range(sheet.nrows)], "xls"))
            book.release_resources()
            return found
        if format == "xlsx":
            from openpyxl import load_workbook  # only for official workbooks

            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            found = [Sheet(sheet.title, [[_cell(v) for v in row]
                                         for row in sheet.iter_rows(values_only=True)])
                     for sheet in book.worksheets]
            book.close()
            return found
        text = data.decode("utf-8-sig")
        return [Sheet("csv", [list(row) for row in csv.reader(io.StringIO(text))], "csv")]
    except Exception as exc:  # each library has its own errors for a damaged file
        raise OfficialFileError("document-unreadable",
                                f"not a readable {format} file ({type(exc).__name__}: {exc})"
                                ) from None


def _cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _text(value) -> str:
    return value if isinstance(value, str) else _cell_text(value)


def _cell_text(value) -> str:
    return "" if value == "" else (str(value) if not isinstance(value, float) else repr(value))


# --- OEWS national estimates ---------------------------------------------------------------

OEWS_FIGURES = {
    "TOT_EMP": ("employment", "unspecified", "count", 1.0),
    "H_MEAN": ("wage", "mean", "USD/hour", 0.01), "A_MEAN": ("wage", "mean", "USD/year", 1.0),
    "H_PCT10": ("wage", "p10", "USD/hour", 0.01), "H_PCT25": ("wage", "p25", "USD/hour", 0.01),
    "H_MEDIAN": ("wage", "median", "USD/hour", 0.01),
    "H_PCT75": ("wage", "p75", "USD/hour", 0.01), "H_PCT90": ("wage", "p90", "USD/hour", 0.01),
    "A_PCT10": ("wage", "p10", "USD/year", 1.0), "A_PCT25": ("wage", "p25", "USD/year", 1.0),
    "A_MEDIAN": ("wage", "median", "USD/year", 1.0),
    "A_PCT75": ("wage", "p75", "USD/year", 1.0), "A_PCT90": ("wage", "p90", "USD/year", 1.0),
}
"""OEWS columns and what they state, with what they are rounded to: hourly wages to the
cent, annual wages and employment as whole numbers (the file holds 21.2 for $21.20)."""

OEWS_SPECIAL = {
    "*": ("not-available", "* in the file: a wage estimate is not available"),
    "**": ("not-available", "** in the file: an employment estimate is not available"),
}

TOP_CODE_NOTE = re.compile(
    r"#\s*=\s*indicates a wage equal to or greater than \$([\d,.]+) per hour or "
    r"\$([\d,.]+) per year", re.I)
"""The Field Descriptions sheet's note on `#`, e.g. "#  = indicates a wage equal to or
greater than $115.00 per hour or $239,200 per year"."""

OEWS_YEAR = re.compile(r"\bMay\s+((?:19|20)\d{2})\s+OE(?:W)?S\b", re.I)
"""The Field Descriptions sheet's first line: "May 2024 OEWS Estimates", "May 2019 OES
Estimates"."""

GROUP_COLUMNS = ("O_GROUP", "OCC_GROUP")


def _header_index(rows: list[list], required: tuple[str, ...]) -> int | None:
    for i, row in enumerate(rows[:30]):
        names = {_text(c).strip().upper() for c in row}
        if all(name in names for name in required):
            return i
    return None


def _oews_notes(sheets_: list[Sheet]) -> tuple[str, dict[str, float]]:
    """(the year the file states, {unit: top-code threshold}) from a Field Descriptions sheet."""
    year, thresholds = "", {}
    for sheet in sheets_:
        for row in sheet.rows[:200]:
            for cell in row:
                text = _text(cell)
                if not year and (m := OEWS_YEAR.search(text)):
                    year = m.group(1)
                if not thresholds and (m := TOP_CODE_NOTE.search(text)):
                    thresholds = {"USD/hour": float(m.group(1).replace(",", "")),
                                  "USD/year": float(m.group(2).replace(",", ""))}
    return year, thresholds


def _checked_period(stated_by_file: str, registered: str, what: str) -> tuple[str, Problems]:
    """The file's own period, checked against the registry's; the registry's when the file
    does not state one."""
    if stated_by_file and registered and stated_by_file != registered:
        return "", [("official-period-mismatch",
                     f"the file states {what} {stated_by_file}; the registry says {registered}")]
    period = stated_by_file or registered
    if not period:
        return "", [("official-period-missing",
                     f"the file does not state its {what}; add `period:` to its registry entry")]
    return period, []


def oews_national(sheets_: list[Sheet], registered_period: str = "") -> tuple[list[dict], Problems]:
    """One row per figure of an OEWS national file; see the module docstring.

    Each row: published_code, published_title, occupation_level, metric, statistic,
    unit, geography, value, low, high, value_text, figure (the cell as the file holds it),
    precision, special ("" | not-available | top-coded), note (the reason), release
    ("OEWS May 2024"), program, period, period_start, period_end, pairs_with, locator
    ("xlsx:national_M2024_dl!row=1234;col=A_MEDIAN").
    """
    data_sheet = next((s for s in sheets_ if _header_index(s.rows, ("OCC_CODE", "OCC_TITLE"))
                       is not None), None)
    if data_sheet is None:
        raise OfficialFileError("official-layout-unknown",
                                "no sheet has the OEWS columns OCC_CODE and OCC_TITLE")
    stated_year, thresholds = _oews_notes([s for s in sheets_ if s is not data_sheet])
    period, problems = _checked_period(stated_year, registered_period, "May release")
    if not period:
        return [], problems
    if not re.fullmatch(r"\d{4}", period):
        return [], [("official-period-mismatch",
                     f"an OEWS release is one May, not {period!r}")]
    year = int(period)
    at = _header_index(data_sheet.rows, ("OCC_CODE", "OCC_TITLE"))
    header = [_text(c).strip().upper() for c in data_sheet.rows[at]]
    column = {name: i for i, name in reversed(list(enumerate(header)))}
    group = next((column[g] for g in GROUP_COLUMNS if g in column), None)
    figures = [(name, column[name]) for name in OEWS_FIGURES if name in column]
    if not figures:
        raise OfficialFileError("official-layout-unknown",
                                "the OEWS sheet has none of the wage or employment columns")
    release = f"OEWS May {year}"
    rows: list[dict] = []
    seen: dict[str, int] = {}
    skipped = 0
    for number, cells in enumerate(data_sheet.rows[at + 1:], start=at + 2):
        cells = list(cells) + [""] * (len(header) - len(cells))
        code = _text(cells[column["OCC_CODE"]]).strip()
        if not re.fullmatch(r"\d{2}-\d{4}", code):
            continue  # a blank or a footnote line
        if "NAICS" in column and _text(cells[column["NAICS"]]) not in ("", "000000"):
            skipped += 1  # an industry row: this reader reads cross-industry estimates
            continue
        geography = DEFAULT_GEOGRAPHY
        if "AREA_TITLE" in column and _text(cells[column["AREA_TITLE"]]) not in ("", "U.S."):
            geography = _text(cells[column["AREA_TITLE"]])
        level = _text(cells[group]).lower() if group is not None else ""
        key = f"{code}\x1f{geography}"
        if key in seen:
            # OEWS lists an occupation it publishes only at the broad level twice, as
            # "broad" and as "detailed", with the same figures: keep one, call it detailed
            if level == "detailed":
                for row in rows[seen[key]:]:
                    if row["published_code"] == code:
                        row["occupation_level"] = "detailed"
            continue
        seen[key] = len(rows)
        title = _text(cells[column["OCC_TITLE"]])
        for name, index in figures:
            metric, statistic, unit, precision = OEWS_FIGURES[name]
            cell = cells[index]
            if cell == "":
                continue
            row = dict(published_code=code, published_title=title, occupation_level=level,
                       metric=metric, statistic=statistic, unit=unit, geography=geography,
                       value=None, low=None, high=None, value_text="", figure=_text(cell),
                       precision=precision, special="", note="", release=release,
                       program="OEWS", period=str(year), period_start=year, period_end=year,
                       pairs_with="", locator=f"{where(data_sheet, number)};col={name}")
            figure = oews_figure(cell, unit, thresholds)
            if figure is None:
                problems.append(("official-value-unreadable",
                                 f"{code} {name} at row {number}: {_text(cell)!r} is neither a "
                                 "number nor one of the file's special values"))
                continue
            row.update(figure)
            if isinstance(cell, (int, float)):
                row["figure"] = f"{cell:.2f}" if precision == 0.01 else f"{cell:.0f}"
            rows.append(row)
    if skipped:
        problems.append(("official-rows-skipped",
                         f"{skipped} industry rows: only cross-industry estimates are read"))
    return rows, problems


def where(sheet: Sheet, number: int) -> str:
    """A row's locator, as the table extractor writes it: "xlsx:national_dl!row=12"."""
    return f"csv:row={number}" if sheet.format == "csv" else f"{sheet.format}:{sheet.name}!row={number}"


def oews_figure(cell, unit: str, thresholds: dict[str, float]) -> dict | None:
    """The figure an OEWS cell states: a number, or a special value with its reason.

    >>> oews_figure(50250, "USD/year", {})["value"]
    50250.0
    >>> top = oews_figure("#", "USD/year", {"USD/year": 239200.0, "USD/hour": 115.0})
    >>> (top.get("value"), top["low"], top.get("high"), top["special"])
    (None, 239200.0, None, 'top-coded')
    >>> "low" in oews_figure("#", "USD/year", {}), oews_figure("*", "USD/hour", {})["note"]
    (False, '* in the file: a wage estimate is not available')
    >>> oews_figure("n/a", "USD/year", {}) is None
    True
    """
    if isinstance(cell, (int, float)):
        return {"value": float(cell)}
    text = str(cell).strip()
    if text in OEWS_SPECIAL:
        special, note = OEWS_SPECIAL[text]
        return {"special": special, "note": note}
    if text == "#":
        threshold = thresholds.get(unit)
        if threshold is None:
            return {"special": "top-coded",
                    "note": "# in the file: a wage at or above the release's top-code "
                            "threshold, which this file does not state"}
        shown = f"${threshold:,.2f} an hour" if unit == "USD/hour" else f"${threshold:,.0f} a year"
        return {"special": "top-coded", "low": threshold,
                "note": f"# in the file: a wage at or above {shown}"}
    plain = text.replace(",", "").replace("$", "")
    if re.fullmatch(r"-?\d+(?:\.\d+)?", plain):
        return {"value": float(plain)}
    return None


# --- Employment Projections ---------------------------------------------------------------

EP_TABLE_TITLE = re.compile(r"Employment by detailed occupation|Occupational projections", re.I)
"""The tables of every detailed occupation: "Table 1.2 Employment by detailed occupation,
2019 and projected 2029", "Table 1.7 Occupational projections, 2019-29, and worker
characteristics, 2019", "Table 1.2 Occupational projections, 2023–33, and …"."""

YEAR = r"((?:19|20)\d{2})"
SPAN = r"((?:19|20)\d{2})\s*[-–]\s*(\d{2,4})"
EP_COLUMNS = (
    # (header pattern, metric, statistic, unit, what the year is)
    (re.compile(rf"^Employment,\s*{YEAR}$", re.I), "employment", "unspecified", "count", "year"),
    # the projected year's employment is a projection, not a count: statistic "projected"
    (re.compile(rf"^Employment change, numeric,\s*{SPAN}", re.I), "employment", "change",
     "count", "span"),
    (re.compile(rf"^Employment change, percent,\s*{SPAN}", re.I), "employment_growth", "change",
     "percent", "span"),
    (re.compile(rf"^Occupational openings,\s*{SPAN}", re.I), "annual_openings", "unspecified",
     "count", "span"),
    (re.compile(r"^Typical education needed for entry", re.I), "education", "typical",
     "category", "cycle"),
    (re.compile(r"^Work experience in a related occupation", re.I), "experience", "typical",
     "category", "cycle"),
    (re.compile(r"^Typical on-the-job training", re.I), "training_duration", "typical",
     "category", "cycle"),
)
EP_WAGE = re.compile(rf"^Median annual wage[^\d]*{YEAR}", re.I)
EP_CYCLE = re.compile(rf"\b{SPAN}\b")
UNAVAILABLE = "—"


def _span(first: str, last: str) -> tuple[int, int]:
    start = int(first)
    end = int(last) if len(last) == 4 else start // 100 * 100 + int(last)
    return start, end


def ep_occupation(sheets_: list[Sheet], registered_period: str = "") -> tuple[list[dict], Problems]:
    """One row per figure of an Employment Projections occupation.xlsx (rows as
    `oews_national` gives them; release "Employment Projections 2024-2034", program EP,
    `pairs_with` the OEWS release whose wages the table prints beside the projections).

    Employment, change and openings are in thousands in the file ("194.8") and in
    persons here (194,800, precise to 100); percent change is precise to 0.1.
    """
    tables = [s for s in sheets_ if s.rows and s.rows[0] and EP_TABLE_TITLE.search(_text(s.rows[0][0]))]
    tables = [s for s in tables if _ep_header(s) is not None]
    if not tables:
        raise OfficialFileError("official-layout-unknown",
                                "no sheet is a table of occupational projections by detailed "
                                "occupation (Table 1.2 or 1.7)")
    cycles = set()
    for sheet in tables:
        at, header = _ep_header(sheet)
        for name in header:
            m = EP_CYCLE.search(name)
            if m and name.lower().startswith("employment change"):
                cycles.add(_span(m.group(1), m.group(2)))
    if len(cycles) > 1:
        raise OfficialFileError("official-layout-unknown",
                                f"the tables state several cycles: {sorted(cycles)}")
    stated = "-".join(map(str, cycles.pop())) if cycles else ""
    period, problems = _checked_period(stated, registered_period, "projection cycle")
    if not period:
        return [], problems
    start, end = (int(x) for x in period.split("-"))
    release = f"Employment Projections {start}-{end}"
    rows: list[dict] = []
    seen: set[tuple[str, str, str, str]] = set()
    wage_year = None
    for sheet in tables:
        at, header = _ep_header(sheet)
        columns = []
        for index, name in enumerate(header):
            if m := EP_WAGE.match(name):
                wage_year = int(m.group(1))
            for pattern, metric, statistic, unit, what in EP_COLUMNS:
                m = pattern.match(name)
                if not m:
                    continue
                if what == "year":
                    first = last = int(m.group(1))
                elif what == "span":
                    first, last = _span(m.group(1), m.group(2))
                else:
                    first, last = start, end
                if what == "year" and first == end != start:
                    statistic = "projected"
                columns.append((index, name, metric, statistic, unit, first, last))
        for number, cells in enumerate(sheet.rows[at + 1:], start=at + 2):
            cells = list(cells) + [""] * (len(header) - len(cells))
            code = _text(cells[1]).strip()
            if not re.fullmatch(r"\d{2}-\d{4}", code):
                continue
            title = _text(cells[0]).strip()
            level = _text(cells[2]).strip().lower()
            for index, name, metric, statistic, unit, first, last in columns:
                key = (code, metric, statistic, f"{first}-{last}")
                cell = cells[index]
                if key in seen or cell == "":
                    continue  # Table 1.7 repeats Table 1.2's projections
                seen.add(key)
                row = dict(published_code=code, published_title=title, occupation_level=level,
                           metric=metric, statistic=statistic, unit=unit,
                           geography=DEFAULT_GEOGRAPHY, value=None, low=None, high=None,
                           value_text="", figure=_text(cell), precision=1.0, special="",
                           note="", release=release, program="EP",
                           period=str(first) if first == last else f"{first}-{last}",
                           period_start=first, period_end=last, pairs_with="",
                           locator=f"{where(sheet, number)};col={_short(name)}")
                figure = ep_figure(cell, unit)
                if figure is None:
                    problems.append(("official-value-unreadable",
                                     f"{code} {_short(name)} at row {number}: {_text(cell)!r}"))
                    continue
                row.update(figure)
                rows.append(row)
    if wage_year is not None:
        for row in rows:
            row["pairs_with"] = f"OEWS May {wage_year}"
    return rows, problems


def _short(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()[:60]


def _ep_header(sheet: Sheet) -> tuple[int, list[str]] | None:
    for i, row in enumerate(sheet.rows[:10]):
        names = [re.sub(r"\s+", " ", _text(c)).strip() for c in row]
        if any("matrix code" in n.lower() for n in names):
            return i, names
    return None


def ep_figure(cell, unit: str) -> dict | None:
    """The figure an Employment Projections cell states.

    >>> ep_figure(194.8, "count")
    {'value': 194800.0, 'precision': 100.0}
    >>> ep_figure(7.1, "percent")
    {'value': 7.1, 'precision': 0.1}
    >>> ep_figure("Postsecondary nondegree award", "category")
    {'value_text': 'postsecondary nondegree award'}
    >>> ep_figure("—", "count")["special"]
    'not-available'
    """
    if isinstance(cell, str) and cell.strip() == UNAVAILABLE:
        return {"special": "not-available", "note": "— in the file: data unavailable"}
    if unit == "category":
        if not isinstance(cell, str):
            return None
        text = re.sub(r"\s+", " ", cell.replace("\u2019", "'")).strip().lower()
        return {"value_text": text} if text else None
    if isinstance(cell, str):
        plain = cell.replace(",", "").strip()
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", plain):
            return None
        cell = float(plain)
    if unit == "count":
        return {"value": round(float(cell) * 1000, 6), "precision": 100.0}
    return {"value": float(cell), "precision": 0.1}


# --- classifications -----------------------------------------------------------------------

MARKERS = re.compile(r"\s*\(#+\)\s*$")
"""The crosswalk's marks: "(#)" a 2010 occupation that was split, "(##)" a 2018 occupation
formed from several 2010 ones."""


def soc_crosswalk(sheets_: list[Sheet]) -> tuple[list[dict], Problems]:
    """Rows (soc2010, title2010, soc2018, title2018) of the SOC 2010 -> 2018 crosswalk, from
    the BLS workbook (heading lines, then "2010 SOC Code | 2010 SOC Title | 2018 SOC Code
    | 2018 SOC Title") or a CSV conversion (soc2010, soc2010_title, soc2018, soc2018_title).
    The "(#)"/"(##)" marks are taken off the titles: the mapping itself says what was split."""
    for sheet in sheets_:
        for at, row in enumerate(sheet.rows[:30]):
            names = [re.sub(r"[\s_]+", "", _text(c)).lower() for c in row]
            cols = _crosswalk_columns(names)
            if cols is None:
                continue
            found = []
            for cells in sheet.rows[at + 1:]:
                cells = list(cells) + [""] * 4
                a, b = _text(cells[cols[0]]).strip(), _text(cells[cols[2]]).strip()
                if re.fullmatch(r"\d{2}-\d{4}", a) and re.fullmatch(r"\d{2}-\d{4}", b):
                    found.append(dict(soc2010=a, title2010=MARKERS.sub("", _text(cells[cols[1]])),
                                      soc2018=b, title2018=MARKERS.sub("", _text(cells[cols[3]]))))
            return found, []
    raise OfficialFileError("official-layout-unknown",
                            "no header row with the 2010 and 2018 SOC codes and titles")


def _crosswalk_columns(names: list[str]) -> tuple[int, int, int, int] | None:
    def find(*options):
        return next((i for i, n in enumerate(names) if n in options), None)
    cols = (find("2010soccode", "soc2010"), find("2010soctitle", "soc2010title"),
            find("2018soccode", "soc2018"), find("2018soctitle", "soc2018title"))
    return None if None in cols else cols  # type: ignore[return-value]


SOC_LEVELS = {"major": "major", "minor": "minor", "broad": "broad", "detailed": "detailed"}


def soc_structure(sheets_: list[Sheet]) -> tuple[list[dict], Problems]:
    """Rows (code, title, level: major | minor | broad | detailed, parent) of the SOC 2018."""
    rows = sheets_[0].rows if sheets_ else []
    at = _header_index(rows, ("CODE", "TITLE"))
    if at is None:
        raise OfficialFileError("official-layout-unknown", "no header row with code and title")
    header = [_text(c).strip().lower() for c in rows[at]]
    level_at = next((i for i, n in enumerate(header) if n == "hierarchical_structure"), None)
    parent_at = header.index("parent") if "parent" in header else None
    if level_at is None:
        raise OfficialFileError("official-layout-unknown", "no Hierarchical_structure column")
    found = []
    for cells in rows[at + 1:]:
        code = _text(cells[header.index("code")]).strip()
        level = SOC_LEVELS.get(_text(cells[level_at]).strip().lower())
        if not re.fullmatch(r"\d{2}-\d{4}", code) or level is None:
            continue
        parent = _text(cells[parent_at]).strip() if parent_at is not None else ""
        found.append(dict(code=code, title=_text(cells[header.index("title")]).strip(),
                          level=level, parent=parent if parent != "NA" else ""))
    return found, []


def onet_alternate_titles(sheets_: list[Sheet]) -> tuple[list[dict], Problems]:
    """Rows (soc, onet_code, kind: onet-title | onet-alternate | onet-short, title) of O*NET's
    Alternate Titles; `soc` is the O*NET-SOC code's 6-digit stem (29-2072.00 -> 29-2072)."""
    for sheet in sheets_:
        at = _header_index(sheet.rows, ("O*NET-SOC CODE", "TITLE", "ALTERNATE TITLE"))
        if at is None:
            continue
        header = [_text(c).strip().upper() for c in sheet.rows[at]]
        code_at, title_at = header.index("O*NET-SOC CODE"), header.index("TITLE")
        alt_at = header.index("ALTERNATE TITLE")
        short_at = header.index("SHORT TITLE") if "SHORT TITLE" in header else None
        found, seen = [], set()
        for cells in sheet.rows[at + 1:]:
            code = _text(cells[code_at]).strip()
            if not re.fullmatch(r"\d{2}-\d{4}\.\d{2}", code):
                continue
            for kind, index in (("onet-title", title_at), ("onet-alternate", alt_at),
                                ("onet-short", short_at)):
                text = _text(cells[index]).strip() if index is not None else ""
                if text and (code, kind, text) not in seen:
                    seen.add((code, kind, text))
                    found.append(dict(soc=code[:7], onet_code=code, kind=kind, title=text))
        return found, []
    raise OfficialFileError("official-layout-unknown",
                            "no sheet with the columns O*NET-SOC Code, Title, Alternate Title")


READERS = {
    "oews-national": oews_national,
    "ep-occupation": ep_occupation,
    "soc-crosswalk": soc_crosswalk,
    "soc-structure": soc_structure,
    "onet-alternate-titles": onet_alternate_titles,
}
"""Dataset (the registry's `dataset:`) -> reader. The release readers also take the
registry's `period`."""
