"""Claims from a plain-text career page.

The page is read top to bottom, line by line, the way a person skims it. Each line is
one of: a table header with its rows, a label with its value ("2024 Median Pay: $50,250
per year"), a label whose value is on the next line ("Median Annual Pay" / "$48,780"), a
percentile ladder item ("Entry (10th %ile)" … "$35,080"), a heading that qualifies what
follows ("Senior Level", "Top-Paying Industries:"), or prose, read sentence by sentence.
Every rule is about how career pages state figures; none knows a site or a file.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from extractors import patterns as P
from extractors.claims import EXTRACTOR_VERSION, Claim, new_claim
from extractors.document import Document

# --- lines and their shapes ------------------------------------------------------------

BULLET = re.compile(r"^[\s•·▪●◦▸►▹➤→*!–—\-]*")
"""Leading bullets and marks: "  • Median annual salary", "!License or certification"."""

LABEL_VALUE = re.compile(
    r"^(?P<label>[^:\t\n]{1,90}?)(?P<sep>\s*:\s*|\t+\s*|\s+[—–]\s+)(?P<value>\S.*?)\s*$")
"""A label and its value on one line, after a colon, a tab or a dash:
"Job Growth (2023–2033): 9% (Much faster than average)", "2024 Median Pay<TAB>$94,260 per
year", "Annual Openings — ~140,100"."""

LIST_HEADING = re.compile(r"^(?P<label>[^:\n]{2,200}?)\s*:\s*$")
"""A line that introduces a list: "Top-Paying Industries:", "… in the top industries in
which they worked were as follows:"."""

MODIFIER_LABEL = re.compile(
    r"^(?:\w+\s+)?(?:range|hourly|annual(?:ly)?|yearly|per\s+(?:hour|year)|monthly|weekly|"
    r"starting|typical|average|median|mean|(?:10|25|50|75|90)(?:th)?\s+percentile)"
    r"(?:\s+\w+)?$",
    re.I,
)
"""A label that only qualifies the figure above it: "Range: $35,080 - $77,810"."""

ALIGNED = re.compile(r"\t+|\s{2,}")
"""What separates the cells of a table aligned with spaces or tabs."""

MAJOR_HEADING = re.compile(r"^(?:\d{1,2}\.\s+\S|#{1,6}\s+\S|[A-Z][A-Z &/-]{3,}$)")
"""A heading that closes every section before it: "3. How to Become One", "## Pay", "OVERVIEW"."""

LABEL_SEPARATOR = re.compile(r"\s[-–—|»›]\s|(?<=\w)[-–—]\s|\s[|»›]")
"""What separates a label from text run into it: "…specialists- Median salary"."""

LADDER_ITEM = re.compile(
    r"^(?P<level>[A-Za-z][\w ’'-]{1,40}?)\s*\(\s*(?P<stat>(?:10|25|50|75|90)(?:st|nd|rd|th)?\s*"
    r"(?:%\s?ile|percentile)|median|mean|average)\s*\)\s*$",
    re.I,
)
"""A rung of a percentile ladder: "Entry (10th %ile)", "Mid-Career (Median)"."""

INDEX_LINE = re.compile(r"^\s*\d{1,2}[.)]?\s*$")
"""A bare item number ("1", "2.") printed before ladder rungs or cards."""

TABLE_COLUMN = re.compile(
    r"job\s+level|experience\s+level|level|location|state|city|metro(?:politan)?\s+area|area|"
    r"region|industry|union(?:ized)?(?:\s+status)?|occupation|percentile|salary|pay|wage|"
    r"earnings|income|hourly(?:\s+wage)?|annual(?:\s+wage)?|median|mean|average",
    re.I,
)
VALUE_COLUMN = re.compile(r"salary|pay|wage|earnings|income|hourly|annual|median|mean|average", re.I)

LABEL_METRICS = (
    (P.COST_WORDS, None),  # a price, not pay: never a claim
    (re.compile(r"\bopenings?\b", re.I), "annual_openings"),
    (re.compile(r"\b(?:growth|outlook|projected|job\s+change|employment\s+change)\b", re.I),
     "employment_growth"),
    (re.compile(r"\b(?:pay|paying|salary|salaries|wages?|earnings?|compensation|income)\b", re.I),
     "wage"),
    (re.compile(r"\b(?:number\s+of\s+jobs|jobs\s+held|employment)\b", re.I), "employment"),
    (re.compile(r"\bon[\s-]the[\s-]job\s+training\b", re.I), "training_duration"),
    (re.compile(r"\b(?:education\s+duration|program\s+length|time\s+to\s+complete|"
                r"training\s+time)\b", re.I), "education_duration"),
    (re.compile(r"\bexperience\b", re.I), "experience"),
    (re.compile(r"\b(?:licen[sc]e|licensing|licensure|certifications?)\b", re.I),
     "certification_required"),
    (re.compile(r"\b(?:education|degree|credential|schooling)\b", re.I), "education"),
)

DIMENSIONS = (
    (re.compile(r"\bindustr(?:y|ies)\b|\bsectors?\b|\bemployers?\b", re.I), "industry"),
    (re.compile(r"\b(?:states?|locations?|cit(?:y|ies)|metro(?:politan)?|areas?|regions?)\b",
                re.I), "geography"),
    (re.compile(r"\blevels?\b", re.I), "level"),
)


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first character after leading bullets/space
    end: int  # offset after the last non-space character
    text: str  # the content between start and end
    major: bool = False  # a heading that closes the sections above (h1/h2 in HTML)

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[Line]:
    lines = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = BULLET.match(body).end()
        content = body[lead:].rstrip()
        lines.append(Line(offset + lead, offset + lead + len(content), content))
        offset += len(raw)
    return lines


def _has_figure(text: str) -> bool:
    return bool(P.find_money(text) or P.find_percents(text))


def _label_metric(label: str) -> tuple[str | None, bool]:
    """(metric, known) for a label: known with metric None means "a price, skip it"."""
    for pattern, metric in LABEL_METRICS:
        if pattern.search(label):
            return metric, True
    return None, False


def _dimension(label: str) -> str:
    for pattern, dimension in DIMENSIONS:
        if pattern.search(label):
            return dimension
    return ""


def _statistic(words: str) -> str:
    m = P.PERCENTILE_PHRASE.search(words)
    if m:
        low_side = m.group("side").lower() in ("lowest", "bottom")
        return {("10", True): "p10", ("25", True): "p25", ("10", False): "p90",
                ("25", False): "p75"}[(m.group("n"), low_side)]
    m = P.PERCENTILE.search(words)
    if m:
        return "median" if m.group("n") == "50" else f"p{m.group('n')}"
    if P.MEDIAN.search(words):
        return "median"
    if P.MEAN.search(words):
        return "mean"
    return ""


def _is_heading(line: Line) -> bool:
    """A short line without a figure or a sentence's full stop: a heading or a label."""
    text = line.text
    return (0 < len(text) <= 60 and len(text.split()) <= 8 and not text.endswith((".", ","))
            and not _has_figure(text) and ":" not in text)


def _level_heading(text: str) -> str:
    """The level a whole-line heading names ("Senior Level", "Entry Level (Junior
    Developer)"), else ""."""
    m = P.LEVEL.fullmatch(re.sub(r"\s*\([^)]*\)$", "", text.strip()))
    return P.normalise_level(text) if m else ""


def _geography_heading(text: str) -> str:
    """The place a heading such as "Pay in California" is about, else ""."""
    m = P.PLACE.search(text)
    if m and _label_metric(text)[0] == "wage":
        return m.group("place")
    return ""


# --- the reading state -----------------------------------------------------------------

@dataclass
class Context:
    """What the headings above the current line say about the figures under them."""

    section: dict = field(default_factory=dict)  # qualifiers from a section heading
    section_words: str = ""  # the heading's own words, "level=Senior Level"
    list_metric: str | None = None  # "Top-Paying Industries:" -> wage …
    list_dimension: str = ""  # … for each industry below
    list_statistic: str = ""  # "… median annual wages … were as follows:"
    list_period: P.Period | None = None
    list_line: int = -1  # where the list heading is: one blank line may follow it
    last_metric: tuple[str, str, int] | None = None  # (metric, label, line index)


@dataclass
class Reader:
    doc: Document
    lines: list[Line]
    extractor: str = f"text/{EXTRACTOR_VERSION}"
    claims: list[Claim] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)  # start offsets of figures already claimed

    # A claim is built in one place so every rule fills the same columns the same way.
    def claim(self, *, metric: str, figure: P.Figure | None, quote_start: int, quote_end: int,
              method: str, statistic: str = "", unit: str = "", value_text: str = "",
              figure_text: str = "", period: P.Period | None = None, qualifiers: dict | None = None,
              qualifier_text: str = "", cites: str = "", figure_start: int | None = None) -> None:
        start = figure.start if figure is not None else figure_start
        if start is not None and start in self.taken:
            return
        if start is not None:
            self.taken.add(start)
        qualifiers = {k: v for k, v in (qualifiers or {}).items() if v}
        values: dict = dict(
            source_id=self.doc.source_id, occupation=self.doc.occupation, metric=metric,
            quote=self.doc.text[quote_start:quote_end], locator=f"chars={quote_start}-{quote_end}",
            method=method, qualifier_text=qualifier_text, cites=cites, **qualifiers,
            extractor=self.extractor, page_date=self.doc.page_date,
            anchor=f"@{start}",  # two figures in one quote are two claims
        )
        if figure is not None:
            values.update(figure=figure.text, value=figure.value, low=figure.low,
                          high=figure.high, precision=figure.precision)
        else:
            values.update(figure=figure_text, precision=1.0)
        if metric == "wage":
            unit = unit or figure.unit_hint or _unit_by_magnitude(figure)
        values["unit"] = unit
        values["statistic"] = statistic or _default_statistic(metric, figure)
        values["value_text"] = value_text
        if period is not None:
            values.update(period=period.label, period_start=period.first, period_end=period.last)
        self.claims.append(new_claim(**values))


def _unit_by_magnitude(figure: P.Figure) -> str:
    """Amounts under $300 with no unit stated are hourly wages; others annual."""
    amount = figure.value if figure.value is not None else figure.low
    return "USD/hour" if amount is not None and amount < 300 else "USD/year"


def _default_statistic(metric: str, figure: P.Figure | None) -> str:
    if metric == "employment_growth":
        return "change"
    if metric == "education":
        return "typical"
    if metric == "certification_required":
        return "flag"
    if figure is not None and figure.is_range:
        return "range"
    return "unspecified"


def _unit_near(before: str) -> str:
    """The unit named closest before an amount: "median annual wage of $86,070"; "other"
    for weekly, monthly or daily pay."""
    last = {unit: max((m.end() for m in pattern.finditer(before)), default=-1)
            for unit, pattern in (("USD/hour", P.HOURLY), ("USD/year", P.ANNUAL),
                                  ("other", P.OTHER_PAY_PERIOD))}
    unit, at = max(last.items(), key=lambda item: item[1])
    return unit if at >= 0 else ""


def _unit_from_words(words: str) -> str:
    if P.OTHER_PAY_PERIOD.search(words):
        return "other"
    if P.HOURLY.search(words):
        return "USD/hour"
    if P.ANNUAL.search(words):
        return "USD/year"
    return ""


def _period_in(text: str) -> P.Period | None:
    periods = P.find_periods(text)
    return periods[0] if periods else None


def _figure_period(value: str, at: int) -> P.Period | None:
    """The period printed right after one of several figures in a value, before the next
    figure: "$50,250 (2023), $47,000 (2024)". None when nothing is printed there."""
    rest = value[at:]
    following = P.MONEY.search(rest, 1)
    window = rest[:following.start() if following else 40][:40]
    m = re.search(r"\((?P<p>(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)?\d{2})?)\)", window)
    return _period_in(m.group("p")) if m else None


# --- value readers: the figure of a metric in a piece of text ---------------------------

def _figures_for(metric: str, text: str) -> list[P.Figure]:
    if metric == "wage":
        return P.find_money(text)
    if metric == "employment_growth":
        return [f for f in P.find_percents(text)
                if not P.SHARE_AFTER.match(text[f.end:])]
    if metric in ("annual_openings", "employment"):
        return P.find_counts(text)
    if metric in ("experience", "training_duration", "education_duration"):
        return P.find_durations(text)
    return []


def _shift(figure: P.Figure, offset: int) -> P.Figure:
    return replace(figure, start=figure.start + offset, end=figure.end + offset)


# --- rules -----------------------------------------------------------------------------

def _label_value(reader: Reader, ctx: Context, index: int, quote: tuple[int, int], label: str,
                 value_start: int, value: str, method: str = "label-value") -> bool:
    """Claims of a label and its value ("2024 Median Pay" + "$50,250 per year"), whether on
    one line or two; False when the label names nothing we read."""
    label = LABEL_SEPARATOR.split(label)[-1].strip()
    metric, known = _label_metric(label)
    qualifiers = dict(ctx.section)
    qualifier_text = ctx.section_words
    statistic = _statistic(label)
    list_period = None
    if not known and ctx.list_metric and ctx.list_dimension and _has_figure(value):
        # an item under "Top-Paying Industries:" -> the label is the industry
        metric = ctx.list_metric
        dimension = ctx.list_dimension
        qualifiers[dimension] = (P.normalise_geography(label) if dimension == "geography"
                                 else P.normalise_level(label) if dimension == "level" else label)
        qualifier_text = f"{dimension}={label}"
        statistic = statistic or ctx.list_statistic
        list_period = ctx.list_period
    elif (not known and ctx.last_metric and index - ctx.last_metric[2] <= 3
          and MODIFIER_LABEL.match(label)):
        # "Range: $35,080 - $77,810" right under "Median Annual Pay": same metric
        metric = ctx.last_metric[0]
    elif not known:
        return False
    if metric is None:
        ctx.last_metric = (None, label, index)
        return True
    ctx.last_metric = (metric, label, index)
    level_words = P.LEVEL.search(label)
    if metric != "education" and level_words and "level" not in qualifiers:
        # "Starting Salary", "Mid-Career Pay"; but "Entry Education" is the education
        # needed for entry, not the education of entry-level workers
        qualifiers["level"] = P.normalise_level(level_words.group())
    period = _period_in(label) or _period_in(value) or list_period
    if metric == "education":
        found = P.find_education(value)
        if found:
            category, a, b = found[0]
            reader.claim(metric=metric, figure=None, figure_text=value[a:b],
                         figure_start=value_start + a, value_text=category,
                         quote_start=quote[0], quote_end=quote[1], method=method,
                         qualifiers=qualifiers, qualifier_text=qualifier_text, unit="category")
        return True
    if metric == "certification_required":
        answer = P.REQUIREMENT_ANSWER.match(value)
        if answer and not P.HEDGE.search(value):
            # "Certification: Not required", "Licensing: Yes", "Licensure: Required in all states"
            reader.claim(metric=metric, figure=None, figure_text=answer.group(),
                         figure_start=value_start, value_text="no" if answer.group("no") else "yes",
                         quote_start=quote[0], quote_end=quote[1], method=method,
                         unit="boolean", qualifiers=qualifiers)
            return True
        stated = P.certification_statement(value)
        if stated is None:
            # "License or certification required: Yes" -- the answer is in the value
            whole = P.certification_statement(label + ": " + value)
            stated = (whole[0], 0, len(value)) if whole else None
        if stated is not None:
            required, a, b = stated
            reader.claim(metric=metric, figure=None, figure_text=value[a:b],
                         figure_start=value_start + a, value_text="yes" if required else "no",
                         quote_start=quote[0], quote_end=quote[1], method=method,
                         unit="boolean", qualifiers=qualifiers)
        return True
    unit = {"employment_growth": "percent", "annual_openings": "count", "employment": "count",
            "experience": "years", "training_duration": "years",
            "education_duration": "years"}.get(metric, "")
    if metric == "wage":
        unit = _unit_from_words(label)
    figures = _figures_for(metric, value)
    if metric == "employment_growth" and not figures:
        # "Employment Change, 2023-33<TAB>15,300": a change in the number of jobs
        figures = P.find_counts(value)[:1]
        metric, unit, statistic = "employment", "count", "change"
        if not figures:
            return True
    for number, figure in enumerate(figures):
        figure = _shift(figure, value_start)
        fig_unit = unit
        if metric == "wage":
            if figure.unit_hint == "other" or (number == 0 and unit == "other"):
                continue  # weekly or monthly pay: not a unit of the claims vocabulary
            # the label's unit ("Median annual wage") is the first figure's; a second
            # figure says its own ("$24.16 per hour") or is left to its magnitude
            fig_unit = figure.unit_hint or (unit if number == 0 else "")
        figure_period = _figure_period(value, figure.start - value_start) or period
        reader.claim(metric=metric, figure=figure, quote_start=quote[0], quote_end=quote[1],
                     method=method, statistic=statistic if statistic else (
                         "range" if figure.is_range or P.RANGE_WORD.search(label) else ""),
                     unit=fig_unit, period=figure_period, qualifiers=qualifiers,
                     qualifier_text=qualifier_text)
        if metric != "wage":
            break  # one figure per label for counts, growth and durations
    return True


def _next_value_line(reader: Reader, index: int) -> tuple[int, Line] | None:
    """The line after `index` when it can be a value: not blank, not a label of its own."""
    if index + 1 >= len(reader.lines):
        return None
    nxt = reader.lines[index + 1]
    if nxt.blank or LABEL_VALUE.match(nxt.text) or LADDER_ITEM.match(nxt.text):
        return None
    return index + 1, nxt


def _label_next_line(reader: Reader, ctx: Context, index: int, line: Line) -> int:
    """Claims of a label line whose value is alone on the next line; lines consumed."""
    metric, known = _label_metric(line.text)
    if P.find_education(line.text) or P.find_durations(line.text):
        return 0  # a label names a field; "Associate Degree in …" is itself a value
    found = _next_value_line(reader, index)
    if not known:
        # a card under "Top-Paying Industries" ("Hospitals" / "$56,520"), or a modifier
        # under a metric ("Range" / "$35,080 - $77,810")
        listed = bool(ctx.list_metric and ctx.list_dimension)
        modifier = bool(ctx.last_metric and ctx.last_metric[0] and MODIFIER_LABEL.match(line.text)
                        and index - ctx.last_metric[2] <= 3)
        if found is None or not (listed or modifier) or not _starts_with_figure(found[1].text):
            return 0
        _label_value(reader, ctx, index, (line.start, found[1].end), line.text, found[1].start,
                     found[1].text, method="label-next-line")
        return 2
    ctx.last_metric = (metric, line.text, index)
    if metric is None or found is None:
        return 1 if metric is None and found else 0
    _, nxt = found
    if metric == "education":
        education = P.find_education(nxt.text)
        starts = bool(education) and education[0][1] == 0
    else:
        figures = _figures_for(metric, nxt.text)
        starts = bool(figures) and figures[0].start <= 2
    if not starts:
        return 0
    _label_value(reader, ctx, index, (line.start, nxt.end), line.text, nxt.start, nxt.text,
                 method="label-next-line")
    return 2


def _ladder(reader: Reader, ctx: Context, index: int, line: Line, m: re.Match) -> int:
    """A percentile-ladder rung: the first amount under it is the wage at that rung."""
    statistic = _statistic(m.group("stat")) or "mean"
    level_words = m.group("level").strip()
    j = index + 1
    claimed = False
    while j < len(reader.lines):
        nxt = reader.lines[j]
        if nxt.blank or LADDER_ITEM.match(nxt.text) or INDEX_LINE.match(nxt.text) or (
                LABEL_VALUE.match(nxt.text)) or j - index > 5:
            break
        money = P.find_money(nxt.text)
        if money and not claimed and money[0].start == 0 and not money[0].is_range:
            figure = _shift(money[0], nxt.start)
            reader.claim(metric="wage", figure=figure, quote_start=line.start, quote_end=nxt.end,
                         method="percentile-ladder", statistic=statistic,
                         qualifiers={"level": P.normalise_level(level_words)},
                         qualifier_text=f"level={level_words}")
            claimed = True
        elif money:
            # a band printed under the rung's figure ("$31,572 - $38,588") is part of
            # the rung, not a claim of its own
            for f in money:
                reader.taken.add(nxt.start + f.start)
        j += 1
    return j - index


def _table(reader: Reader, index: int, header: Line) -> int:
    """A table with a header row of column names and one row per line below it."""
    columns = [m.group().lower() for m in TABLE_COLUMN.finditer(header.text)]
    value_at = next((i for i, c in enumerate(columns) if VALUE_COLUMN.search(c)), None)
    if value_at is None:
        return 0
    before, after = columns[:value_at], columns[value_at + 1:]
    statistic = _statistic(columns[value_at]) or _statistic(header.text)
    unit = _unit_from_words(columns[value_at])
    period = _period_in(header.text)
    j = index + 1
    while j < len(reader.lines):
        row = reader.lines[j]
        money = P.find_money(row.text)
        if not _is_table_row(row) or not money:
            break
        figure = money[0]
        if "other" in (unit, figure.unit_hint):
            j += 1
            continue  # a table of weekly or monthly pay
        cells = _split_cells(row.text[:figure.start].strip(), before)
        cells.update(_split_cells(row.text[figure.end:].strip(), after))
        qualifiers, words = _qualifiers_from_cells(cells)
        reader.claim(metric="wage", figure=_shift(figure, row.start), quote_start=row.start,
                     quote_end=row.end, method="table-row", statistic=statistic, period=period,
                     unit=figure.unit_hint or unit, qualifiers=qualifiers, qualifier_text=words)
        j += 1
    return j - index


def _split_cells(text: str, columns: list[str]) -> dict[str, str]:
    """Cells of a space-separated row: a level or schedule phrase anchors the split.

    "US National Average All workers" under Location, Job Level ->
    {"location": "US National Average", "job level": "All workers"}
    """
    if not columns or not text:
        return {}
    if len(columns) == 1:
        return {columns[0]: text}
    level_col = next((c for c in columns if "level" in c), None)
    if level_col is not None:
        tail = re.search(r"(?:" + P.LEVEL.pattern + r"|" + P.SCHEDULE.pattern[2:] + r")$",
                         text, re.I)
        if tail:
            head = text[:tail.start()].strip()
            other = [c for c in columns if c != level_col]
            cells = {level_col: tail.group()}
            if head and other:
                cells[other[0]] = head
            return cells
    return {columns[0]: text}


def _qualifiers_from_cells(cells: dict[str, str]) -> tuple[dict, str]:
    qualifiers: dict[str, str] = {}
    for column, words in cells.items():
        kind = _column_qualifier(column)
        if P.SCHEDULE.fullmatch(words.strip()):
            qualifiers["schedule"] = P.normalise_schedule(words)
        elif VALUE_COLUMN.search(column):
            continue
        elif kind == "level":
            qualifiers["level"] = P.normalise_level(words)
        elif kind == "union_status":
            qualifiers["union_status"] = P.normalise_union(words)
        elif kind == "geography":
            qualifiers["geography"] = P.normalise_geography(words)
        else:
            qualifiers[kind] = words
    words = "; ".join(f"{c}={w}" for c, w in cells.items())
    return qualifiers, words


# --- prose -------------------------------------------------------------------------------

ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){1,3}$|\b(?:e\.g|i\.e|vs|etc|Dr|Mr|Ms|Mrs|St|No)\.$")
SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“(]?[A-Z0-9$])")
CLAUSE_BREAK = re.compile(r",\s+(?:while|whereas|but|and|although)\s+|;\s+|\s+while\s+|\s+whereas\s+")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if ABBREVIATION.search(text[max(start, m.start() - 12):m.start() + 1]):
            continue
        spans.append((start, m.start() + 1))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _clause_start(sentence: str, position: int) -> int:
    start = 0
    for m in CLAUSE_BREAK.finditer(sentence, 0, position):
        start = m.end()
    return start


WORKERS = (r"(?:[\w-]+\s+)?(?:\w+(?:ers|ists|ians|ants|ents|ors|ees|als|ics)|staff|nurses|"
           r"workers?|employees?|positions?|roles?|hires?)\b")
"""Who a level is said of: "Senior developers", "Entry-level medical records specialists",
"junior nurses", "intermediate-level staff"."""


def _prose_qualifiers(words: str) -> tuple[dict, list[str]]:
    qualifiers: dict[str, str] = {}
    said: list[str] = []
    m = P.UNION.search(words)
    if m:
        qualifiers["union_status"] = P.normalise_union(m.group())
        said.append(f"union={m.group()}")
    m = P.SCHEDULE.search(words)
    if m:
        qualifiers["schedule"] = P.normalise_schedule(m.group())
        said.append(f"schedule={m.group()}")
    m = re.search(P.LEVEL.pattern + r"(?=[\s-]+(?:level\b|" + WORKERS + r")|,?\s+and\s+they\b)",
                  words, re.I)
    if m is None:
        m = re.search(r"not\s+able\s+to\s+be\s+leveled", words, re.I)
    if m:
        qualifiers["level"] = P.normalise_level(m.group())
        said.append(f"level={m.group()}")
    m = P.PLACE.search(words)
    if m:
        qualifiers["geography"] = P.normalise_geography(m.group("place"))
        said.append(f"geography={m.group('place')}")
    return qualifiers, said


LONGEST_SENTENCE = 600
"""Longer "sentences" are flattened tables or run-on text: read clause by clause, so the
work per figure stays bounded."""


def _pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A sentence cut at clause breaks (then at spaces) into pieces of bounded length."""
    if b - a <= LONGEST_SENTENCE:
        return [(a, b)]
    pieces, start = [], a
    for m in re.finditer(r"[;,]\s+|\s[–—]\s|\s(?=\S)", text[a:b]):
        if a + m.start() - start >= LONGEST_SENTENCE // 2 and (
                m.group().strip() or a + m.start() - start >= LONGEST_SENTENCE):
            pieces.append((start, a + m.start()))
            start = a + m.end()
    pieces.append((start, b))
    return pieces


def _prose(reader: Reader, ctx: Context, line: Line) -> None:
    text = reader.doc.text[line.start:line.end]
    previous_cites = ""
    for a, b in (piece for span in _sentences(text) for piece in _pieces(text, *span)):
        sentence = text[a:b]
        base = line.start + a
        agency = P.CITED_AGENCY.search(sentence)
        cites = "BLS" if agency and agency.group("agency") in (
            "BLS", "Bureau of Labor Statistics") else (agency.group("agency") if agency else "")
        cites = cites or previous_cites
        previous_cites = cites if agency else ""
        _prose_sentence(reader, ctx, sentence, base, cites)


MAY_STATE = re.compile(r"[\d$%]|licen|certif", re.I)
"""What a sentence needs to hold for any prose rule to apply: a cheap first look."""


def _prose_sentence(reader: Reader, ctx: Context, sentence: str, base: int, cites: str) -> None:
    if not MAY_STATE.search(sentence):
        return
    section = dict(ctx.section)
    stated = P.certification_statement(sentence)
    if stated is not None:
        required, a, b = stated
        reader.claim(metric="certification_required", figure=None, figure_text=sentence[a:b],
                     figure_start=base + a, value_text="yes" if required else "no",
                     unit="boolean", quote_start=base, quote_end=base + len(sentence.rstrip()),
                     method="sentence", qualifiers=section, cites=cites)
    quote = (base, base + len(sentence.rstrip()))
    sentence_stat = _statistic(sentence[:24]) if re.match(r"\s*on\s+average\b", sentence, re.I) else ""
    for figure in P.find_money(sentence):
        if P.COMPARATIVE.match(sentence[figure.end:]):
            continue  # "$4,000 more each year than …" is a difference
        clause_at = _clause_start(sentence, figure.start)
        before = sentence[clause_at:figure.start]
        clause_end = CLAUSE_BREAK.search(sentence, figure.end)
        clause = sentence[clause_at:clause_end.start() if clause_end else len(sentence)]
        if P.COST_WORDS.search(before) or not P.PAY_WORDS.search(clause):
            continue
        qualifiers, said = _prose_qualifiers(before)
        statistic = (_statistic(before) or sentence_stat
                     or ("range" if figure.is_range else ""))
        if statistic in ("p10", "p25", "p75", "p90") and figure.is_range:
            continue
        unit = figure.unit_hint or _unit_near(before)
        if unit == "other":
            continue  # weekly, monthly or daily pay: not a unit of the claims vocabulary
        reader.claim(metric="wage", figure=_shift(figure, base), quote_start=quote[0],
                     quote_end=quote[1], method="sentence", statistic=statistic, unit=unit,
                     period=_sentence_period(sentence, figure),
                     qualifiers={**section, **qualifiers}, qualifier_text="; ".join(said),
                     cites=cites)
    for figure in P.find_percents(sentence):
        if P.SHARE_AFTER.match(sentence[figure.end:]):
            continue  # "62% of tasks" is a share
        clause_at = _clause_start(sentence, figure.start)
        clause_end = CLAUSE_BREAK.search(sentence, figure.end)
        clause = sentence[clause_at:clause_end.start() if clause_end else len(sentence)]
        if not P.GROWTH_WORDS.search(clause) or P.PAY_WORDS.search(clause):
            continue
        if P.DECLINE_WORDS.search(clause[:figure.start - clause_at]) and figure.value > 0:
            figure = replace(figure, value=-figure.value)  # "projected to decline 3 percent"
        reader.claim(metric="employment_growth", figure=_shift(figure, base),
                     quote_start=quote[0], quote_end=quote[1], method="sentence",
                     unit="percent", period=_sentence_period(sentence, figure),
                     qualifiers=section, cites=cites)
    for figure in P.find_counts(sentence):
        after = sentence[figure.end:figure.end + 40]
        if re.search(r"\b(?:held|hold|holds|filled)\s+(?:about\s+|roughly\s+|nearly\s+|over\s+)?$",
                     sentence[:figure.start]) and re.match(r"\s*jobs\b", after):
            reader.claim(metric="employment", figure=_shift(figure, base), quote_start=quote[0],
                         quote_end=quote[1], method="sentence", unit="count",
                         period=_sentence_period(sentence, figure), qualifiers=section,
                         cites=cites)
            continue
        if re.match(r"\s*(?:new\s+)?(?:job\s+)?openings\b|\s*(?:positions|jobs)\s+(?:will\s+)?"
                    r"open\b.*\b(?:each|every|per|a)\s+year", after, re.I):
            reader.claim(metric="annual_openings", figure=_shift(figure, base),
                         quote_start=quote[0], quote_end=quote[1], method="sentence",
                         unit="count", qualifiers=section, cites=cites)


def _sentence_period(sentence: str, figure: P.Figure) -> P.Period | None:
    """The period of a figure in prose: in its own clause ("In 2023 … $80,000; in 2024 it
    was $82,000"), else the sentence's, the one after the figure first."""
    start = _clause_start(sentence, figure.start)
    following = CLAUSE_BREAK.search(sentence, figure.end)
    end = following.start() if following else len(sentence)
    for offset, text in ((start, sentence[start:end]), (0, sentence)):
        periods = P.find_periods(text)
        if periods:
            after = [p for p in periods if p.start + offset >= figure.end]
            return after[0] if after else periods[-1]
    return None


# --- the page ---------------------------------------------------------------------------

def _list_heading(ctx: Context, index: int, line: Line, label: str) -> None:
    ctx.list_line = index
    metric, known = _label_metric(label)
    ctx.list_metric = metric if known else None
    ctx.list_dimension = _dimension(label) if known else ""
    ctx.list_statistic = _statistic(label)
    ctx.list_period = _period_in(label)


def _starts_with_figure(text: str) -> bool:
    lead = re.match(r"[(~≈]?\s*(?:about\s+|approx(?:imately|\.)?\s+)?", text, re.I).end()
    return any(f.start == lead for f in P.find_money(text) + P.find_percents(text))


def _cell_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in ALIGNED.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _aligned_header(line: Line) -> list[str]:
    """Column names of a header row aligned with tabs or runs of spaces, else []."""
    if "\t" not in line.text and "  " not in line.text:
        return []
    cells = [line.text[a:b] for a, b in _cell_spans(line.text)]
    if len(cells) < 2 or any(_has_figure(c) for c in cells) or len(line.text) > 160:
        return []
    values = [c for c in cells if VALUE_COLUMN.search(c)]
    if _lists_occupations(cells[0]):
        return []
    return cells if 0 < len(values) < len(cells) else []


def _column_qualifier(column: str) -> str:
    """The qualifier a non-value column holds: "State" -> geography, "Job Level" -> level."""
    column = column.lower()
    if "level" in column:
        return "level"
    if "union" in column:
        return "union_status"
    if re.search(r"industr|sector|employer", column):
        return "industry"
    if re.search(r"location|state|city|cities|metro|area|region|county", column):
        return "geography"
    return "subgroup"


def _aligned_table(reader: Reader, index: int, header: Line, columns: list[str]) -> int:
    """Rows under an aligned header; each amount is a claim of its column's statistic
    and unit, qualified by the row's label cells. A caption right above the header
    ("Median annual wages by state, May 2024") gives the statistic and period the
    columns do not."""
    above = reader.lines[index - 1] if index > 0 else None
    caption = above.text if above is not None and _is_heading(above) else ""
    j = index + 1
    while j < len(reader.lines):
        row = reader.lines[j]
        spans = _cell_spans(row.text)
        if not _is_table_row(row) or len(spans) < 2 or not P.find_money(row.text):
            break
        labels: dict[str, str] = {}
        amounts: list[tuple[str, P.Figure]] = []
        for column, (a, b) in zip(columns, spans):
            cell = row.text[a:b]
            money = P.find_money(cell)
            if VALUE_COLUMN.search(column):
                if money and money[0].start == 0:
                    amounts.append((column, _shift(money[0], row.start + a)))
            elif not money and not P.find_percents(cell):
                labels[column] = cell
        rung = next(filter(None, (LADDER_ITEM.match(c) for c in labels.values())), None)
        if rung:
            # a percentile table: the rung ("Entry (10th %ile)") is the row's identity and
            # names its level and statistic; other cells only describe it
            labels = {}
        qualifiers, words = _qualifiers_from_cells(labels)
        if rung:
            qualifiers["level"] = P.normalise_level(rung.group("level"))
            words = "; ".join(filter(None, [words, f"level={rung.group()}"]))
        for column, figure in amounts:
            if "other" in (figure.unit_hint, _unit_from_words(column)):
                continue  # a weekly or monthly column
            reader.claim(metric="wage", figure=figure, quote_start=row.start, quote_end=row.end,
                         method="table-row",
                         period=_period_in(column) or _period_in(header.text) or _period_in(caption),
                         statistic=(_statistic(rung.group("stat")) if rung else "")
                         or _statistic(column) or _statistic(header.text) or _statistic(caption),
                         unit=figure.unit_hint or _unit_from_words(column),
                         qualifiers=qualifiers, qualifier_text=words)
        j += 1
    return j - index


def _is_table_row(line: Line) -> bool:
    """A table row is short and is not a sentence."""
    return 0 < len(line.text) <= 140 and not line.text.endswith((".", "!", "?", ":"))


def _is_table_header(line: Line) -> bool:
    if not _is_heading(line):
        return False
    columns = TABLE_COLUMN.findall(line.text)
    covered = sum(len(c) for c in columns)
    values = sum(1 for c in columns if VALUE_COLUMN.search(c))
    # "Location Job Level Salary Unionized" is a header; "Median Annual Pay" is a label
    return (len(columns) >= 2 and 0 < values < len(columns) and not _lists_occupations(line.text)
            and covered >= 0.6 * len(line.text.replace(" ", "")))


def _lists_occupations(header: str) -> bool:
    """Rows of other occupations ("Similar Occupations" tables) are not this page's figures."""
    return bool(re.match(r"\s*occupations?\b", header, re.I))


def _is_major_heading(line: Line) -> bool:
    first = line.text[:1]
    return line.major or bool(MAJOR_HEADING.match(line.text)) or (
        bool(first) and unicodedata.category(first) == "So" and _is_heading(line))


def extract_text(doc: Document) -> list[Claim]:
    """Claims from a plain-text career page, in page order.

    >>> from extractors.document import document_from_bytes
    >>> doc = document_from_bytes("2024 Median Pay: $50,250 per year ($24.16 per hour)".encode(),
    ...                           source_id="demo", path="demo.txt")
    >>> [(c.statistic, c.unit, c.value, c.period) for c in extract_text(doc)]
    [('median', 'USD/year', 50250.0, '2024'), ('median', 'USD/hour', 24.16, '2024')]
    """
    if not doc.page_date:
        doc = replace(doc, page_date=P.stated_page_date(doc.text))
    return read_lines(doc, split_lines(doc.text), extractor="text")


def read_lines(doc: Document, lines: list[Line], extractor: str) -> list[Claim]:
    """Claims from the lines of a page's text (`doc.text`), by the line rules above.

    HTML and PDF pages are rendered to such lines first; `extractor` names the format
    on each claim.
    """
    reader = Reader(doc, lines, extractor=f"{extractor}/{EXTRACTOR_VERSION}")
    ctx = Context()
    i = 0
    lines = reader.lines
    while i < len(lines):
        line = lines[i]
        if line.blank:
            if ctx.list_line != i - 1:
                ctx.list_metric, ctx.list_dimension = None, ""
            i += 1
            continue
        if _is_major_heading(line):
            ctx.section, ctx.section_words = {}, ""
            ctx.list_metric, ctx.list_dimension = None, ""
        if _lists_occupations(line.text) and ALIGNED.search(line.text):
            # a table of other occupations ("Similar Occupations"): skip it to its end
            while i < len(lines) and not lines[i].blank:
                i += 1
            continue
        aligned = _aligned_header(line)
        if aligned:
            consumed = _aligned_table(reader, i, line, aligned)
            if consumed > 1:
                i += consumed
                continue
        if _is_table_header(line):
            consumed = _table(reader, i, line)
            if consumed > 1:
                i += consumed
                continue
        ladder = LADDER_ITEM.match(line.text)
        if ladder:
            i += _ladder(reader, ctx, i, line, ladder)
            continue
        if (ctx.last_metric and ctx.last_metric[0] and ctx.last_metric[2] == i - 1
                and _starts_with_figure(line.text)):
            # "<TAB>$45.32 per hour" under "2024 Median Pay<TAB>$94,260 per year"
            _label_value(reader, ctx, i, (line.start, line.end), ctx.last_metric[1], line.start,
                         line.text)
            i += 1
            continue
        heading = LIST_HEADING.match(line.text)
        if heading:
            _list_heading(ctx, i, line, heading.group("label"))
            if len(line.text) > 60:
                _prose(reader, ctx, line)  # a sentence that introduces a list
            i += 1
            continue
        labelled = LABEL_VALUE.match(line.text)
        if labelled and len(labelled.group("label").split()) <= 12:
            value_start = line.start + labelled.start("value")
            if _label_value(reader, ctx, i, (line.start, line.end), labelled.group("label"),
                            value_start, labelled.group("value")):
                i += 1
                continue
        if _is_heading(line):
            level = _level_heading(line.text)
            place = _geography_heading(line.text)
            if level:
                ctx.section, ctx.section_words = {"level": level}, f"level={line.text}"
                i += 1
                continue
            if place:
                ctx.section = {"geography": P.normalise_geography(place)}
                ctx.section_words = f"geography={place}"
                i += 1
                continue
            consumed = _label_next_line(reader, ctx, i, line)
            if consumed:
                i += consumed
                continue
            if _label_metric(line.text)[0] and _dimension(line.text):
                _list_heading(ctx, i, line, line.text)  # "TOP-PAYING INDUSTRIES (median pay)"
                i += 1
                continue
        _prose(reader, ctx, line)
        i += 1
    return reader.claims
