"""Tables in the lines of a page: where they are, their columns, and each figure's cell.

Career pages print tables in many shapes once captured; every shape here comes down to a
header naming the columns and rows of cells:

- cells separated by tabs (an HTML table as rendered, a tab-separated text table);
- pipe tables, with a `|---|` rule under a header that may wrap over several lines
  ("Employment (1) | Employment RSE (3) |" / "Mean hourly wage |" / …);
- columns aligned with runs of spaces, the header over one or two lines
  ("Entry wage" above "(10th pct.)"), a row's hourly rates on the line beneath it;
- headers run together ("StateAnnual mean wageHourly mean wage…") over rows aligned
  with spaces;
- headers flattened with single spaces over rows of a label and its figures
  ("California 6,120 0.341 0.86 $78.20 $162,660").

`find_tables(lines, figures)` returns each table with, for every figure in it, the
column header and row label that say what the figure is. What the words mean is for
`extractors.labels`; this module only finds the grid.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from extractors import labels as L
from extractors import patterns as P

PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
"""The rule under a pipe table's header: "---|---|", "|:---|---:|"."""

WIDE_GAP = re.compile(r"\t+|[ \u00a0]{2,}")
TABS = re.compile(r"\t+")
PLACEHOLDER = re.compile(r"[-–—‒/*.†‡]+|n/?a|tbd|\(\d{1,2}\)|\([a-z]\)", re.I)
"""What a page prints in an empty cell: "—", "n/a", or only a footnote mark "(5)"."""


@dataclass(frozen=True)
class Column:
    name: str
    sense: L.Sense
    start: int = -1  # character position in the header line(s), for aligned tables
    end: int = -1
    occupation: str = ""  # the occupation a group of columns is for ("Financial analysts")

    @property
    def is_value(self) -> bool:
        s = self.sense
        return bool(s.metric or s.statistic or s.ignore or s.unit) and not s.dimension


@dataclass
class Cell:
    """A figure of a table with the column it sits in and the row it belongs to."""

    figure: P.Figure
    column: Column | None
    row: "Row"
    position: int  # among the figures of its cell: 0 = first


@dataclass
class Row:
    lines: list[int]  # indexes into the page's lines: the row and any continuation line
    labels: dict[str, str]  # label column name (or "") -> its text
    cells: list[Cell] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join(v for v in self.labels.values() if v).strip()


@dataclass
class Table:
    first: int  # index of the first line (header, caption excluded)
    end: int  # index after the last line
    header: list[int]  # indexes of the header lines
    columns: list[Column]
    rows: list[Row]
    kind: str  # tab, pipe, aligned, run-together, flattened

    @property
    def cells(self) -> list[Cell]:
        return [c for r in self.rows for c in r.cells]


# --- reading lines ---------------------------------------------------------------------

class Figures:
    """The page's figures, found by line."""

    def __init__(self, figures: list[P.Figure]):
        self.figures = figures
        self.starts = [f.start for f in figures]

    def within(self, start: int, end: int) -> list[P.Figure]:
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return self.figures[i:j]


NUMERIC = frozenset({"money", "percent", "count", "number", "foreign"})
"""The kinds of figure a table's cells hold."""


def _cells_of(text: str, sep: re.Pattern) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in sep.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _pipe_cells(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"\|", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a] == " ":
            a += 1
        while b > a and text[b - 1] == " ":
            b -= 1
        if a < b:
            out.append((a, b))
    return out


LETTERS = re.compile(r"[A-Za-z]{2,}")
NOT_WORDS = re.compile(r"\((?:\d|[a-z])\)|\bUSD\b|/\s?(?:hr|yr)\b|\bper\s+(?:hour|year)\b")
"""Letters that may stand among figures: footnote marks, "USD", "/hr", "per year"."""
MAYBE_NOT_WORDS = frozenset({"USD", "hr", "yr", "per", "hour", "year"})
"""The only runs of letters NOT_WORDS can remove: any other run is a word."""


def _only_figures(text: str, figures: list[P.Figure], offset: int) -> bool:
    """Whether `text` (at `offset`) holds nothing but figures, marks and spaces."""
    rest = text
    for f in sorted(figures, key=lambda f: -f.start):
        a, b = f.start - offset, f.end - offset
        rest = rest[:a] + " " + rest[b:]
    for m in LETTERS.finditer(rest):
        if m.group() not in MAYBE_NOT_WORDS:
            return False  # a word: the first one of a sentence settles it
    return not LETTERS.search(NOT_WORDS.sub(" ", rest))


@dataclass
class _LineInfo:
    index: int
    text: str
    start: int
    figures: list[P.Figure]
    kind: str  # blank, rule, tab, pipe, aligned, flat, numbers, words
    indent: int = 0  # characters before `text` on its physical line: aligned columns count them
    cells: dict = field(default_factory=dict, repr=False, compare=False)  # kind -> _row_cells


def _classify(index: int, line, figures: Figures, page: str) -> _LineInfo:
    text = line.text
    found = [f for f in figures.within(line.start, line.end) if f.kind in NUMERIC]
    indent = line.start - (page.rfind("\n", 0, line.start) + 1) if page else 0
    info = _LineInfo(index, text, line.start, found, "", indent)
    if not text:
        kind = "blank"
    elif PIPE_RULE.match(text):
        kind = "rule"
    elif "|" in text and (len(_pipe_cells(text)) >= 2 or text.rstrip().endswith("|")):
        kind = "pipe"
    elif "\t" in text and len(_cells_of(text, TABS)) >= 2:
        kind = "tab"
    elif len(found) >= 2 and _only_figures(text, found, line.start):
        kind = "numbers"
    elif found and ("\t" in text or "  " in text or "\u00a0" in text) and len(
            _cells_of(text, WIDE_GAP)) >= 3:
        kind = "aligned"
    elif found and len(found) >= 2 and _flat_row(text, found, line.start):
        kind = "flat"
    else:
        kind = "words"
    if kind in ("numbers", "flat", "aligned") and _percentile_header(info) and not re.search(
            r"\$|\d,\d{3}", text):
        kind = "words"  # "Percentile 10% 25% 50%": a header of percentile columns
    info.kind = kind
    return info


def _percentile_header(info: _LineInfo) -> bool:
    """A header line of percentile columns: "Percentile 10% 25% 50%", "75% 90%"."""
    return bool(info.figures) and all(
        f.kind == "percent" and f.value in (10, 25, 50, 75, 90) for f in info.figures) and (
        len(info.figures) >= 2 or bool(re.search(r"percentile|median", info.text, re.I)))


def _flat_row(text: str, found: list[P.Figure], offset: int) -> bool:
    """A label followed by figures only: "California 6,120 0.341 0.86 $78.20 $162,660"."""
    first = found[0].start - offset
    return _only_figures(text[first:], found, offset + first) and len(text[:first].split()) <= 8


# --- headers ----------------------------------------------------------------------------

def _column(name: str, start: int = -1, end: int = -1) -> Column:
    name = P.clean(name)
    return Column(name, L.sense(name), start, end)


def _label_and_value(columns: list[Column]) -> bool:
    """Two delimited cells of which the first names a figure: "Hourly wage<TAB>Not
    published": a label and its value in a list, not a table's header."""
    return len(columns) == 2 and columns[0].is_value


def _looks_like_header(columns: list[Column]) -> bool:
    """Column names: at least one names a figure, and none is itself a figure."""
    if len(columns) < 2:
        return False
    for c in columns:
        if not re.search(r"\d", c.name):
            continue
        if c.sense.ignore:
            continue  # "Employment per 1,000 jobs": a rate's denominator, not a figure
        for f in P.scan(c.name):
            if f.kind == "money" or P.is_count(f) or (
                    f.kind == "percent" and not L.percentile_of(c.name)):
                return False  # "Number of Jobs, 2023<TAB>226,400" is a row, not a header
    if any(len(c.name.split()) > 8 for c in columns):
        return False  # a sentence is no column name ("Not published (flight attendants …)")
    values = sum(1 for c in columns if c.is_value)
    dimensions = sum(1 for c in columns if c.sense.dimension)
    # "On-the-job Training<TAB>None" is a label and its value: a header names two kinds
    # of figure, or the rows' dimension beside a kind of figure
    return values >= 2 or (dimensions >= 1 and (values >= 1 or any(
        c.sense.metric or c.sense.unit for c in columns)))


def _header_lines_above(infos: list[_LineInfo], first_row: int, limit: int = 8) -> list[int]:
    """Lines just above the first row that can be a header: no money, no sentence."""
    out: list[int] = []
    i = first_row - 1
    while i >= 0 and len(out) < limit:
        info = infos[i]
        if info.kind == "rule":
            i -= 1
            continue
        if info.kind in ("blank", "numbers", "flat", "aligned") and not _percentile_header(info) \
                or any(f.kind == "money" for f in info.figures):
            break
        text = info.text
        if text.endswith((".", ":", "!", "?")) or len(text) > 200:
            break
        out.append(i)
        i -= 1
    return list(reversed(out))


def _positions(text: str, indent: int = 0) -> list[tuple[int, int, str]]:
    return [(a + indent, b + indent, text[a:b]) for a, b in _cells_of(text, WIDE_GAP)]


def _aligned_columns(lines: list[tuple[str, int]]) -> list[Column]:
    """Columns of a header aligned with runs of spaces, over one or more lines: a word
    group on a lower line belongs to the column above it ("Entry wage" / "(10th pct.)")."""
    groups: list[list] = []  # [start, end, [words]]
    for text, indent in lines:
        for a, b, words in _positions(text, indent):
            target = None
            for g in groups:
                if a < g[1] + 1 and b > g[0] - 1:
                    target = g
                    break
            if target is None:
                groups.append([a, b, [words]])
            else:
                target[0], target[1] = min(target[0], a), max(target[1], b)
                target[2].append(words)
    groups.sort(key=lambda g: g[0])
    return [_column(" ".join(g[2]), g[0], g[1]) for g in groups]


WRAPPED = re.compile(r"(\w)-\s+(\w)")


def _merge_wrapped(names: list[str]) -> list[str]:
    """Header cells whose words wrapped onto the next line ("Employ-" / "ment")."""
    return [WRAPPED.sub(r"\1\2", n) for n in names]


# --- rows ----------------------------------------------------------------------------------

def _row_cells(info: _LineInfo, kind: str) -> list[tuple[str, list[P.Figure]]]:
    """(cell text, figures in it) of a row line (worked out once: a row is looked at by
    the table's body, then read)."""
    known = info.cells.get(kind)
    if known is None:
        known = info.cells[kind] = _cells_of_row(info, kind)
    return list(known)


def _cells_of_row(info: _LineInfo, kind: str) -> list[tuple[str, list[P.Figure]]]:
    if kind == "pipe":
        spans = _pipe_cells(info.text)
    elif kind == "tab":
        spans = _cells_of(info.text, TABS)
    else:
        spans = _cells_of(info.text, WIDE_GAP)
    out = []
    for a, b in spans:
        inside = [f for f in info.figures if a <= f.start - info.start < b]
        text = info.text[a:b].strip()
        if inside and not _only_figures(info.text[a:b], inside, info.start + a):
            inside = []  # "Machinery Manufacturing (3331, 3332 … only)": numbers in a label
        out.append((text, inside))
    return out


def _label_of_flat(info: _LineInfo) -> str:
    if not info.figures:
        return info.text
    return info.text[:info.figures[0].start - info.start].strip(" |·-–—:")


def _assign_by_order(row: Row, figures: list[P.Figure], columns: list[Column]) -> bool:
    values = [c for c in columns if c.is_value]
    if len(figures) != len(values):
        return False
    for f, c in zip(figures, values):
        row.cells.append(Cell(f, c, row, 0))
    return True


def _assign_cells(row: Row, cells: list[tuple[str, list[P.Figure]]], columns: list[Column]) -> None:
    """Cells to columns by position; a cell with no column (a ragged row) is kept with
    none, so it still gets the row's label."""
    if len(cells) == len(columns):
        pairs = list(zip(cells, columns))
    elif len(cells) == len(columns) - 1 and not columns[0].is_value and cells and cells[0][1]:
        pairs = list(zip(cells, columns[1:]))  # a row without a label under a label column
    else:
        values = [c for c in columns if c.is_value]
        labels = [c for c in columns if not c.is_value]
        pairs, vi, li = [], 0, 0
        for cell in cells:
            if cell[1]:
                pairs.append((cell, values[vi] if vi < len(values) else None))
                vi += 1
            else:
                pairs.append((cell, labels[li] if li < len(labels) else None))
                li += 1
    for (text, figures), column in pairs:
        if figures:
            for k, f in enumerate(figures):
                row.cells.append(Cell(f, column, row, k))
        elif text:
            row.labels[column.name if column is not None else ""] = text


def _nearest_column(f: P.Figure, offset: int, columns: list[Column]) -> Column | None:
    """The aligned column a figure sits under: overlapping its header, else the nearest.
    `offset` is where the figure's physical line starts in the page."""
    a, b = f.start - offset, f.end - offset
    best, distance = None, None
    for c in columns:
        if c.start < 0:
            continue
        if a < c.end + 1 and b > c.start - 1:
            gap = 0
        else:
            gap = min(abs(a - c.end), abs(b - c.start), abs(b - c.end))
        if distance is None or gap < distance:
            best, distance = c, gap
    return best if distance is not None and distance <= 8 else None


# --- the finder ---------------------------------------------------------------------------

ROW_KINDS = ("tab", "pipe", "aligned", "flat", "numbers")


def find_tables(lines: list, figures: list[P.Figure], page: str = "") -> list[Table]:
    """Every table among `lines` (objects with `text`, `start` and `end` into `page`), in
    page order."""
    index = Figures(figures)
    infos = [_classify(i, line, index, page) for i, line in enumerate(lines)]
    tables: list[Table] = []
    i = 0
    while i < len(infos):
        table = _table_at(infos, i) if infos[i].kind in ROW_KINDS else None
        if table is not None and table.rows:
            tables.append(table)
            i = table.end
        else:
            i += 1
    return tables


def _header_here(infos: list[_LineInfo], i: int) -> tuple[list[int], list[Column], int] | None:
    """A tab or pipe header starting at line `i`: (header lines, columns, first row line)."""
    kind = infos[i].kind
    if kind == "tab":
        named = _occupation_header(infos[i], infos[i + 1] if i + 1 < len(infos) else None)
        if named is not None:
            return [i], named, i + 1
        stacked = _stacked_header(infos, i)
        if stacked is not None:
            columns = stacked
            if _looks_like_header(columns) and not _label_and_value(columns):
                return [i, i + 1], columns, i + 2
        names = [infos[i].text[a:b] for a, b in _cells_of(infos[i].text, TABS)]
        header, j = [i], i + 1
    elif kind == "pipe":
        header, j = [], i
        while j < len(infos) and infos[j].kind == "pipe" and not any(
                f.kind == "money" for f in infos[j].figures) and j - i < 6:
            header.append(j)
            j += 1
        if j < len(infos) and infos[j].kind == "rule":
            j += 1
        elif len(header) > 1:
            header, j = header[:1], i + 1
        names = [infos[h].text[a:b] for h in header for a, b in _pipe_cells(infos[h].text)]
    else:
        return None
    columns = [_column(n) for n in _merge_wrapped(names)]
    if not _looks_like_header(columns) or _label_and_value(columns) or any(
            f.kind == "money" for h in header for f in infos[h].figures):
        return None
    return header, columns, j


def _fields(info: _LineInfo) -> list[str]:
    """The tab-separated fields of a line, empty ones kept, with the tabs before its text
    (cut off as indentation) counted as empty fields."""
    return [""] * info.indent + info.text.split("\t")


def _occupation_header(info: _LineInfo, below: _LineInfo | None) -> list[Column] | None:
    """A header that names occupations side by side over rows of labelled figures:
    "<TAB>Personal financial advisors<TAB>Financial analysts" (the corner cell empty, or
    lost in the capture: the row below has one cell more)."""
    fields = [P.clean(f) for f in _fields(info)]
    names = [f for f in fields if f]
    if len(names) < 2 or info.figures or any(
            not L.occupation_named(n) for n in names):
        return None
    if fields[0]:
        if below is None or below.kind != "tab" or len(
                _cells_of(below.text, TABS)) != len(names) + 1:
            return None
        fields = [""] + names
    return [Column(f, L.Sense(), occupation=L.occupation_named(f) if f else "") for f in fields]


def _stacked_header(infos: list[_LineInfo], i: int) -> list[Column] | None:
    """A header of two tab lines, groups over their columns: "Area | Mean wage | | Annual
    wage by percentile | | …" over " | Hourly | Annual | 10th | 25th …". A group's name
    runs on over the empty fields to its right where the line below names a column; each
    column takes the sense of its own name, then its group's: "Mean wage" + "Hourly" is
    the hourly mean. An HTML table's spanning cells come repeated instead, which reads
    the same."""
    if i + 1 >= len(infos):
        return None
    upper, lower = infos[i], infos[i + 1]
    if lower.kind != "tab" or "\t" not in upper.text or any(
            f.kind != "percent" for f in upper.figures + lower.figures):
        return None
    if lower.text.endswith((".", ":")) or any(len(n.split()) > 8 for n in _fields(lower)):
        return None
    tops, subs = _fields(upper), _fields(lower)
    width = max(len(tops), len(subs))
    tops += [""] * (width - len(tops))
    subs += [""] * (width - len(subs))
    spanning = any(not t.strip() for t in tops) or any(
        a.strip() and a == b for a, b in zip(tops, tops[1:]))
    if not spanning:
        return None  # no field of the upper line spans two columns: not a group header
    columns: list[Column] = []
    group = ""
    for top, sub in zip(tops, subs):
        top, sub = P.clean(top), P.clean(sub)
        if top:
            group = top if sub else ""
        elif sub:
            top = group
        if not top and not sub:
            continue
        if not sub or top == sub:
            columns.append(_column(top or sub))
            continue
        name = f"{top} {sub}" if top else sub
        occupation = L.occupation_named(top) if top else ""
        sense = L.sense(sub)
        if top:
            # "Annual wage by percentile" over "10th": the group says the metric and unit,
            # the column the statistic; "Change" over "Number" names what neither does alone
            sense = sense.merged(L.sense(name)).merged(replace(L.sense(top), dimension=""))
            if L.sense(sub).says_something:
                sense = replace(sense, dimension="")
        columns.append(Column(name, replace(sense, words=name), occupation=occupation))
    return columns if len(columns) >= 2 else None


def _header_above(infos: list[_LineInfo], i: int) -> tuple[list[int], list[Column], str] | None:
    """The header over rows starting at line `i`: (header lines, columns, kind)."""
    header = _header_lines_above(infos, i)
    if not header:
        return None
    texts = [infos[h].text for h in header]
    if len(header) == 1 and infos[header[0]].kind == "tab":
        names = [texts[0][a:b] for a, b in _cells_of(texts[0], TABS)]
        columns, kind = [_column(n) for n in names], "tab"
        if _label_and_value(columns):
            return None
    elif re.search(r"[ \u00a0]{2,}", texts[-1]) and not any("\t" in t for t in texts):
        # an aligned header: the lines over the rows that are aligned too (a caption
        # line above them is not part of it)
        keep = []
        for h in reversed(header):
            if not re.search(r"[ \u00a0]{2,}", infos[h].text) and infos[h].indent < 8:
                break
            keep.append(h)
        header = sorted(keep)
        columns = _aligned_columns([(infos[h].text, infos[h].indent) for h in header])
        kind = "aligned"
    else:
        joined = " ".join(texts)
        columns, kind = [], ""
        if len(texts) == 1 and L.CAMEL_BOUNDARY.search(joined):
            parts = L.split_run_together(joined)
            if len(parts) >= 3:
                columns, kind = [_column(p) for p in parts], "run-together"
        if not columns:
            parts = L.split_flattened(_merge_wrapped([joined])[0])
            if not parts and len(texts) > 1:
                # "Ohio and its neighbors, May 2023 (mean wages)" over "State Employment
                # Hourly Annual": a caption, then the header
                parts = L.split_flattened(texts[-1])
                header = header[-1:] if parts else header
            if parts:
                columns, kind = [_column(p) for p in parts], "flattened"
    if not columns or not _looks_like_header(columns):
        return None
    return header, columns, kind


def _body(infos: list[_LineInfo], j: int, kind: str) -> list[int]:
    """The row lines from line `j`: lines of a row kind; blank lines between row pairs of
    an aligned table, and a short caption between its groups ("For comparison")."""
    body: list[int] = []
    while j < len(infos):
        k = infos[j].kind
        if k in ROW_KINDS and (kind in ("aligned", "run-together", "flattened") or k == kind):
            body.append(j)
            j += 1
        elif k in ("blank", "words") and body and kind == "aligned" and _group_gap(infos, j):
            j += 1  # a blank line between row pairs, or a caption between groups of rows
        else:
            break
        if k in ("pipe", "tab") and not any(figs for _, figs in _row_cells(infos[j - 1], k)):
            body.pop()  # a row of words only: a new header, or a note under the table
            if len(_row_cells(infos[j - 1], k)) != 1:
                j -= 1
                break
    return body


def _group_gap(infos: list[_LineInfo], j: int) -> bool:
    """Whether line `j` (blank, or a short caption such as "For comparison") only separates
    groups of rows of an aligned table: a row follows within two lines."""
    for k in (j + 1, j + 2):
        if k >= len(infos):
            return False
        nxt = infos[k]
        if nxt.kind in ("aligned", "numbers"):
            return True
        if nxt.kind not in ("blank", "words") or nxt.figures or len(nxt.text) > 40:
            return False
    return False


def _table_at(infos: list[_LineInfo], i: int) -> Table | None:
    here = _header_here(infos, i)
    if here is not None:
        header, columns, j = here
        kind = infos[i].kind
    else:
        above = _header_above(infos, i)
        if above is None:
            return None
        header, columns, kind = above
        j = i
    body = _body(infos, j, kind)
    if not body:
        return None
    rows: list[Row] = []
    for b in body:
        info = infos[b]
        if info.kind == "numbers" and rows and kind == "aligned" and not _label_of_flat(info):
            row = rows[-1]  # the hourly line beneath a row of annual figures
            row.lines.append(b)
            for f in info.figures:
                row.cells.append(Cell(f, _nearest_column(f, info.start - info.indent, columns),
                                      row, 1))
            continue
        row = Row([b], {})
        if info.kind in ("tab", "pipe") or (kind == "run-together" and info.kind == "aligned"):
            cells = _row_cells(info, info.kind)
            if _is_note(cells):
                break
            missing = len(columns) - len(cells)
            if info.kind == "tab" and info.indent > 0 and rows and 0 < missing and all(
                    not c.is_value for c in columns[:missing]) and not cells[0][1]:
                # "<TAB>Yearly<TAB>$32,040 …" under "United States<TAB>Hourly<TAB>…": a
                # cell spanning two rows, captured once; the row below shares its label
                cells = [(rows[-1].labels.get(c.name, ""), []) for c in columns[:missing]] + cells
            _assign_cells(row, _labels_first(cells), columns)
        elif kind == "aligned" and info.kind in ("aligned", "numbers"):
            for a, e, words in _positions(info.text, info.indent):
                inside = [f for f in info.figures if a <= f.start - info.start + info.indent < e]
                if inside and not L.PERCENTILE_LABEL.match(words):
                    for f in inside:
                        row.cells.append(Cell(f, _nearest_column(f, info.start - info.indent,
                                                                 columns), row, 0))
                elif not PLACEHOLDER.fullmatch(words.strip()):
                    row.labels.setdefault(_label_column(a, e, columns), words)
        else:
            label = _label_of_flat(info)
            if label:
                row.labels[columns[0].name if not columns[0].is_value else ""] = label
            if not _assign_by_order(row, info.figures, columns):
                break
        rows.append(row)
    if not rows:
        return None
    end = max(max(r.lines) for r in rows) + 1
    return Table(header[0], end, header, columns, rows, kind)


def _labels_first(cells: list[tuple[str, list[P.Figure]]]) -> list[tuple[str, list[P.Figure]]]:
    """A cell that is only a percentile label ("10%", "50% (Median)") labels its row."""
    return [(text, [] if L.PERCENTILE_LABEL.match(text) else figures) for text, figures in cells]


def _is_note(cells: list[tuple[str, list[P.Figure]]]) -> bool:
    """A row of one long cell is a note under the table ("(5) The median is not shown …")."""
    return len(cells) == 1 and len(cells[0][0]) > 60


def _label_column(a: int, e: int, columns: list[Column]) -> str:
    for c in columns:
        if not c.is_value and a < c.end + 2 and e > c.start - 2:
            return c.name
    labels = [c for c in columns if not c.is_value]
    return labels[0].name if labels else ""
