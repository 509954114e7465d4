"""Claims from the lines of a career page: every figure found first, then read in context.

One scanner (`patterns.scan`) finds every figure on the page: amounts of money, ranges,
percentages, counts, numbers in tables. Each figure is then attributed from what
surrounds it, the way an analyst reads a page:

- a table cell by its column header and row label (`extractors.tables` finds the grid;
  `extractors.labels` says what the words mean);
- a label on its line ("2024 Median Pay $43,460 per year", "Number of Jobs, 2023
  133,900", "Median salary ........ $120 360"), a label on the line above ("Median Annual
  Pay" / "$48,780"), below ("$206,680" / "National median, May 2023"), or the label of the
  line a value continues ("$20.90 per hour" under the median pay);
- a legend ("Each figure pair below is the annual mean wage followed by the hourly mean
  wage") for figures printed without a label, a percentile key ("Levels map to the 10th,
  25th, 50th, 75th and 90th percentile wages") for levels;
- the sentence, by its words (`extractors.prose`);
- the heading chain and place lines above: a level ("Senior Level"), a place
  ("California", "Plumber Pay in Washington State"), another country ("United Kingdom"),
  a job posting.

A figure that no context explains is kept as unread, with the reason (`Reading.notes`),
never silently dropped. Every rule is about how career pages state figures; none knows a
site or a file.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from extractors import labels as L
from extractors import patterns as P
from extractors import prose
from extractors.claims import EXTRACTOR_VERSION, Claim, Note, Reading, claim_of, new_note
from extractors.document import Document
from extractors.tables import PLACEHOLDER, Figures, Table, find_tables

# --- lines ----------------------------------------------------------------------------------

BULLET = re.compile(r"^[\s•·▪●◦▸►▹➤→*!–—\-]*(?:\*\*)?")
"""Leading bullets and marks: "  • Median annual salary", "!License or certification"."""
BULLET_MARKS = "•·▪●◦▸►▹➤→*!–—-"
"""What BULLET's marks can begin with, white space aside: a line that begins otherwise
(most do) has none, and the pattern is not tried."""


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first character after leading bullets/space
    end: int  # offset after the last non-space character
    text: str  # the content between start and end
    major: bool = False  # a heading that closes the sections above (h1/h2 in HTML)
    block: int = -1  # the card, list item or paragraph the line belongs to (HTML)
    hint: str = ""  # what the markup says of the line's block: "job-ad"

    @property
    def blank(self) -> bool:
        return not self.text


def new_line(start: int, end: int, text: str, major: bool = False, block: int = -1,
             hint: str = "") -> Line:
    """A Line, its fields set as pickle sets them: a page has hundreds, and the frozen
    dataclass's __init__ sets each through object.__setattr__."""
    line = object.__new__(Line)
    line.__dict__.update(start=start, end=end, text=text, major=major, block=block, hint=hint)
    return line


def split_lines(text: str, marks: dict[int, tuple[bool, int, str]] | None = None) -> list[Line]:
    """The lines of `text`. `marks` gives (major, block, hint) by the offset where a line
    that ends with a newline begins (HTML's rendered lines): a line split off at another
    line break ("\u2028") takes the marks of the newline-ended line it is part of."""
    lines = []
    offset = 0
    after_newline = True  # the text's start, or a "\n" just before `offset`
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        first = body[:1]
        lead = BULLET.match(body).end() if first in BULLET_MARKS or first.isspace() else 0
        if lead and body[lead - 2:lead] == "**" and not body[lead:].lstrip().startswith(("$", "0",
                                                                                        "1", "2")):
            lead -= 2  # "**Quick take:**" keeps its marks; only a bullet is cut
        content = body[lead:].rstrip()
        start = offset + lead
        if marks is None:
            lines.append(new_line(start, start + len(content), content))
        else:
            begins = offset if after_newline else text.rfind("\n", 0, start) + 1
            major, block, hint = marks.get(begins, (False, -1, ""))
            lines.append(new_line(start, start + len(content), content, major, block, hint))
        offset += len(raw)
        after_newline = raw.endswith("\n")
    return lines


LABEL_VALUE = P.Sifted(sift_matches=True, regex=re.compile(
    r"^(?P<label>[^:\t\n]{1,90}?)(?P<sep>\s*:\s*|\t+\s*|\s+[—–]\s+|\s*\.{3,}\s*|\s*…+\s*)"
    r"(?P<value>\S.*?)\s*$"))
"""A label and its value on one line, after a colon, a tab, a dash or dot leaders:
"Job Growth (2023–2033): 9%", "2024 Median Pay<TAB>$94,260 per year", "Annual Openings —
~140,100", "Median salary ........ $120 360"."""

LABEL_VERBS = P.Sifted(re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|should|may|might|do|does|"
    r"did|come|comes|came|get|gets|got|make|makes|made|earn|earns|earned|expect|expects|"
    r"pays|paid|grow|grows|need|needs|say|says|said|look|looks)\b", re.I))
"""Verbs that make the words before a colon a sentence, not a label."""

LIST_HEADING = P.Sifted(re.compile(r"^(?P<label>[^:\n]{2,200}?)\s*:\s*$"), sift_matches=True)
"""A line that introduces a list: "Top-Paying Industries:" (tried only on a line with a
colon: its lazy label otherwise runs on through a paragraph before failing)."""

MODIFIER_LABEL = re.compile(
    r"^(?:\w+\s+)?(?:range|hourly|annual(?:ly)?|yearly|per\s+(?:hour|year)|monthly|weekly|"
    r"starting|typical|average|median|mean|(?:10|25|50|75|90)(?:th)?\s+percentile)"
    r"(?:\s+\w+)?$",
    re.I,
)
"""A label that only qualifies the figure above it: "Range: $35,080 - $77,810"."""

MAJOR_HEADING = re.compile(r"^(?:\d{1,2}\.\s+\S|#{1,6}\s+\S|[A-Z][A-Z &/-]{3,}$)")
"""A heading that closes every section before it: "3. How to Become One", "## Pay", "OVERVIEW"."""

LABEL_SEPARATOR = re.compile(r"\s[-–—|»›]\s|(?<=\w)[-–—]\s|\s[|»›]")
"""What separates a label from text run into it: "…specialists- Median salary"."""

LADDER_ITEM = P.Sifted(re.compile(
    r"^(?P<level>[A-Za-z][\w ’'-]{1,40}?)\s*\(\s*(?P<stat>(?:10|25|50|75|90)(?:st|nd|rd|th)?\s*"
    r"(?:%\s?ile|percentile)|median|mean|average)\s*\)\s*$",
    re.I,
), sift_matches=True)
"""A rung of a percentile ladder: "Entry (10th %ile)", "Mid-Career (Median)" (tried only
on a line with a parenthesis: table cells, headings and list items are asked)."""

INDEX_LINE = re.compile(r"^\s*\d{1,2}[.)]?\s*$")
SEGMENT = re.compile(r"\s+[·•|]\s+|\s{3,}")
"""What separates the items of a line of facts: "28,660 jobs · median $46.74 an hour"."""

LEGEND = P.Sifted(re.compile(r"\b(?:each|every)\b.{0,40}?\b(?:is|shows|are|gives)\s+(?:the\s+)?(?P<first>.{3,50}?)"
                    r"\s+followed\s+by\s+(?:the\s+)?(?P<second>.{3,50}?)[.;]?$", re.I))
"""A legend for figures printed without labels: "Each figure pair below is the annual mean
wage followed by the hourly mean wage."."""

PERCENTILE_KEY = P.Sifted(re.compile(
    r"\b(?P<list>(?:(?:10|25|50|75|90)(?:st|nd|rd|th)|median)(?:\s*(?:,|and|,\s*and)\s*"
    r"(?:(?:10|25|50|75|90)(?:st|nd|rd|th)|median))+)\s*(?:percentiles?|percentile\s+wages)?", re.I))
"""A key mapping levels to percentiles: "Levels map to the 10th, 25th, 50th, 75th and 90th
percentile wages", "Rounded national percentiles: 10th, 50th and 90th."."""

JOB_POSTING = P.Sifted(re.compile(
    r"posted(?<!\wposted)\b.{0,20}\bago\b|posted(?<!\wposted)\s+(?:today|yesterday)\b|"
    r"apply(?<!\wapply)\s+now\b|easy(?<!\weasy)\s+apply\b|job(?<!\wjob)\s+type\b|"
    r"hiring(?<!\whiring)\s+now\b|salary(?<!\wsalary)\s+estimates?\s+in\s+listings\b", re.I))
"""The words of a job posting: "Posted 3 days ago", "Apply now", "Job type". Each "\\b" that
begins a word is written after it ("posted(?<!\\wposted)"), so that the engine skips to
the letters the words begin with instead of testing for a word's start at every
character of a line (a paragraph that holds "cost estimates" is tried)."""
JOBS_HEADING = P.Sifted(re.compile(r"\bjobs?\s+(?:in|near|around|posted)\b|\bjob\s+(?:listings?|board|postings?)\b|"
                          r"\brecent\s+listings?\b|\bnow\s+hiring\b|\bopen\s+positions\b|"
                          r"\blistings?\s+(?:near|in|this\s+week)\b", re.I))
"""A page or section of job listings: "Delivery Driver Jobs Near Reno, NV"."""

PLACE_LINE = re.compile(
    r"^(?:#\s*\d{1,3}[.:)]?\s+|\d{1,3}[.)]\s+)?"  # a rank: "#1 Huntsville, AL", "2. Ohio"
    r"(?P<place>(?:[A-Z][\w.'’-]*(?:[\s-]+[A-Z][\w.'’-]*)*,\s*[A-Z]{2}(?:-[A-Z]{2})*)"
    r"|(?:[A-Z][\w.'’-]*\s+)+(?:non)?metropolitan\s+area|" + P._STATE_NAMES + r"|Statewide|"
    r"United\s+States|U\.S\.|National)(?:\s*\((?P<extra>[^)]{1,30})\))?$")
"""A line that is only a place: "California", "Cincinnati, OH-KY-IN", "Piedmont North
Carolina nonmetropolitan area", "United States (May 2016)"."""

AREA_LINE = P.Sifted(re.compile(r"\b(?:Area|Location|Region|Geography)\s*:\s*(?P<place>[A-Z][^\t:]{1,40}?)"
                       r"(?:\s*\((?:statewide|state)\)|\s+statewide)?(?:\s{2,}|$)"))
"""A sheet's area: "Area: Virginia (statewide)", "Area: Washington statewide"."""

RELATED = P.Sifted(re.compile(r"\b(?:related|similar|other)\s+(?:careers?|occupations?|jobs|roles)\b|"
                     r"\bsee\s+also\b|\byou\s+might\s+also\b|^\W*compare\s+(?:with|to)\b", re.I))
"""A section of other occupations: their figures are theirs, never the page's."""

PAY_SECTION = re.compile(r"^(?:pay|salary|salaries|earnings|wages?|compensation|what\s+.*\s+pays?|"
                         r".*\bsalary\b.*|.*\bpay\b.*|by\s+the\s+hour)$", re.I)

CATEGORY_LABELS = (
    ("education", re.compile(r"(?:typical\s+)?(?:entry[\s-]level\s+)?education|degree|"
                             r"minimum\s+education(?:\s+level)?", re.I)),
    ("experience", re.compile(r"work\s+experience(?:\s+in\s+a\s+related\s+occupation)?", re.I)),
    ("training_duration", re.compile(r"on[\s-]the[\s-]job\s+training", re.I)),
)
"""Labels of categorical quick facts, read even when a single space separates them from
their value: "Typical Entry-Level Education High school diploma or equivalent"."""

EXPERIENCE_CATEGORIES = re.compile(r"^(?:none|less\s+than\s+5\s+years|5\s+years\s+or\s+more)\b",
                                   re.I)
TRAINING_CATEGORIES = re.compile(
    r"^(?:none|(?:short|moderate|long)-term\s+on-the-job\s+training|apprenticeship|"
    r"internship/residency)\b", re.I)
"""The Bureau of Labor Statistics' categories of work experience and on-the-job training."""


# --- what became of each figure ------------------------------------------------------------

UNEXPLAINED = "no context says what this figure is"


def unexplained(note: Note) -> bool:
    """A figure left unread for want of context (its reason starts "no …"), not one read
    and set aside for a reason ("a price, not pay", "a percentile label")."""
    return not note.read and note.reason.startswith("no ")


def listed(figure: P.Figure) -> bool:
    """Figures a reading accounts for: money, percentages and counts; a small number
    ("9 min read", "Page 14 of 38", a footnote) only when it was read as a claim."""
    return figure.kind in ("money", "foreign", "percent") or P.is_count(figure)


# --- reading context ---------------------------------------------------------------------

@dataclass
class Context:
    """What the headings, labels and lines above the current line say."""

    section: dict = field(default_factory=dict)  # qualifiers from a section heading
    section_words: str = ""
    foreign: str = ""  # the place outside the United States a section is about
    unit: str = ""  # the unit a section heading names ("By the hour")
    pay_context: bool = False  # a section about pay: bare amounts are pay
    job_ad: bool = False  # the current block is a job posting
    jobs_page: bool = False  # a page or section of job listings
    place: tuple[str, str, int] | None = None  # (geography, words, line) of a place line
    legend: tuple[L.Sense, ...] = ()
    list_sense: L.Sense | None = None  # "Top-Paying Industries:" -> wage …
    list_dimension: str = ""  # … for each industry below
    list_line: int = -1
    last_label: tuple[L.Sense, str, int] | None = None  # the label of the last label-value line
    modified: tuple[L.Sense, str, int] | None = None  # … of the last value with its label below
    group: list[list[int]] = field(default_factory=list)  # claims of the current run of levels
    group_labels: list[str] = field(default_factory=list)  # … and the label of each
    group_end: int = -1  # line index of the group's last entry
    related: bool = False  # a "Related careers" section: figures of other occupations
    jobs_section: bool = False  # a section of job listings ("Jobs posted this week")
    cost: bool = False  # a section about costs ("Estimated Education Cost"): amounts are prices
    section_block: int = -1  # the card whose heading opened the section, if any
    paragraph_period: P.Period | None = None  # the period an earlier sentence stated
    paragraph_span: P.Period | None = None  # the span of years an earlier sentence stated
    sentence_stats: list[str] = field(default_factory=list)  # statistics read so far in a sentence

    def defaults(self, index: int) -> dict:
        qualifiers = dict(self.section)
        if self.place is not None:
            qualifiers["geography"] = self.place[0]
        return qualifiers


# --- the reader ------------------------------------------------------------------------------

QUALIFIER_COLUMNS = ("geography", "level", "industry", "union_status", "schedule", "subgroup")
"""The qualifiers a section, a place line or a rule's own words give a claim."""


class Reader:
    """Builds the claims of one page and remembers what became of each figure."""

    def __init__(self, doc: Document, lines: list[Line], extractor: str):
        self.doc = doc
        self.lines = lines
        self.text = doc.text
        self.extractor = extractor
        self.figures = P.scan(doc.text)
        self.index = Figures(self.figures)
        self.claims: list[Claim] = []
        self.claimed: dict[int, list[str]] = {}  # figure start -> ids of its claims
        self.reasons: dict[int, str] = {}  # figure start -> why it is no claim
        self.anchors: dict[str, str] = {}  # claim id -> anchor, to rebuild a claim
        self.occupation = ""  # SOC code the page states for itself
        self.title = ""  # the occupation the page is about, as its first heading names it
        self.cites = ""  # the one agency the page's source lines credit for its figures
        self.job_ads: set[int] = set()  # lines of job postings
        self.provisional: set[str] = set()  # claims kept only if a later pass explains them

    def within(self, start: int, end: int) -> list[P.Figure]:
        return self.index.within(start, end)

    def line_figures(self, line: Line) -> list[P.Figure]:
        return self.index.within(line.start, line.end)

    def free(self, figure: P.Figure) -> bool:
        return figure.start not in self.claimed and figure.start not in self.reasons

    def skip(self, figure: P.Figure, reason: str) -> None:
        if figure.start not in self.claimed:
            self.reasons.setdefault(figure.start, reason)

    def claim(self, figure: P.Figure | None, *, metric: str, quote: tuple[int, int], method: str,
              statistic: str = "", unit: str = "", period: P.Period | None = None,
              qualifiers: dict | None = None, words: str = "", cites: str = "", scope: str = "",
              value: float | None = None, part: str = "", value_text: str = "",
              figure_text: str = "", figure_start: int | None = None, occupation: str = "",
              occupation_text: str = "", context: Context | None = None,
              line: int = -1, period_basis: str = "") -> Claim | None:
        """One claim, with the columns every rule fills the same way. A figure read twice
        (a table cell a prose rule also sees) gives one claim."""
        start = figure.start if figure is not None else figure_start
        anchor = f"@{start}" + (f":{part}" if part else "")
        if start is not None and start in self.claimed and not part:
            return None
        merged = context.defaults(line) if context is not None else {}
        if qualifiers:
            merged.update({k: v for k, v in qualifiers.items() if v})
        if str(merged.get("geography", "")).startswith("foreign:"):
            if figure is not None:
                self.skip(figure, f"a figure for {merged['geography'][8:]}, outside the United States")
            return None
        if context is not None and context.section_words and not words:
            words = context.section_words
        values: dict = dict(
            source_id=self.doc.source_id, occupation=occupation or self.occupation or
            self.doc.occupation, metric=metric, quote=self.text[quote[0]:quote[1]],
            locator=f"chars={quote[0]}-{quote[1]}", method=method, qualifier_text=words,
            cites=cites, extractor=self.extractor, page_date=self.doc.page_date, scope=scope,
            occupation_text=occupation_text, anchor=anchor,
        )
        for k in QUALIFIER_COLUMNS:
            if k in merged:
                values[k] = merged[k]
        if occupation or self.occupation:
            values["occupation_basis"] = "stated"
        elif self.doc.occupation:
            values["occupation_basis"] = "registry"
        if figure is not None:
            values.update(figure=figure.text, precision=figure.precision)
            if value is not None:
                values.update(value=value, low=None, high=None)
            else:
                values.update(value=figure.value, low=figure.low, high=figure.high)
        else:
            values.update(figure=figure_text, precision=1.0)
        if metric == "wage":
            unit = unit or (figure.unit_hint if figure is not None else "") or _by_magnitude(
                values.get("value") if values.get("value") is not None else (
                    values.get("low") if values.get("low") is not None else values.get("high")))
            if unit == "other":
                if figure is not None:
                    self.skip(figure, "pay per day, shift or piece: not a unit the data holds")
                return None
            if not unit:
                if figure is not None:
                    self.skip(figure, "an amount whose unit (hour or year) cannot be told")
                return None
        values["unit"] = unit
        if not statistic:
            is_range = values.get("value") is None and values.get("figure") and figure is not None
            statistic = _default_statistic(metric, bool(is_range))
        values["statistic"] = statistic
        values["value_text"] = value_text
        if period is not None:
            values.update(period=period.label, period_start=period.first, period_end=period.last)
            if period_basis:
                values["period_basis"] = period_basis
        if not cites and self.cites and metric in ("wage", "employment", "employment_growth",
                                                   "annual_openings"):
            values["cites"] = self.cites  # "Source: U.S. Bureau of Labor Statistics …"
        claim = claim_of(values)
        self.claims.append(claim)
        self.anchors[claim.claim_id] = anchor
        if start is not None:
            self.claimed.setdefault(start, []).append(claim.claim_id)
            self.reasons.pop(start, None)
        return claim

    def rebuilt(self, claim: Claim, **changes) -> Claim:
        """`claim` with some columns changed, its id recomputed from the same anchor."""
        values = claim.as_dict()
        del values["claim_id"]
        values.update(changes, anchor=self.anchors.get(claim.claim_id, ""))
        new = claim_of(values)
        self.anchors[new.claim_id] = self.anchors.get(claim.claim_id, "")
        for ids in self.claimed.values():
            if claim.claim_id in ids:
                ids[ids.index(claim.claim_id)] = new.claim_id
        if claim.claim_id in self.provisional:
            self.provisional.discard(claim.claim_id)
            self.provisional.add(new.claim_id)
        return new

    def notes(self) -> list[Note]:
        """A note for every listed figure (and every figure read), in page order; the
        locator is the figure's span, `chars=START-END`, in the reading text."""
        out = []
        line = 1
        at = 0
        for f in self.figures:
            ids = tuple(self.claimed.get(f.start, ()))
            if not ids and not listed(f):
                continue
            line += self.text.count("\n", at, f.start)
            at = f.start
            reason = "" if ids else self.reasons.get(f.start, UNEXPLAINED)
            out.append(new_note(f.text, f.kind, f"chars={f.start}-{f.end}", line, ids, reason))
        return out


def _by_magnitude(amount: float | None) -> str:
    """An amount with no unit stated: under $300 an hourly wage, $1,000 or more a year's."""
    if amount is None:
        return ""
    if abs(amount) < 300:
        return "USD/hour"
    if abs(amount) >= 1000:
        return "USD/year"
    return ""


def _default_statistic(metric: str, is_range: bool) -> str:
    if metric == "employment_growth":
        return "change"
    if metric in ("education", "experience", "training_duration") and not is_range:
        return "typical"
    if metric == "certification_required":
        return "flag"
    if is_range:
        return "range"
    return "unspecified"


# --- labels and their values ---------------------------------------------------------------

def _label_part(label: str) -> str:
    return LABEL_SEPARATOR.split(label)[-1].strip(" *_:|·")


def _metric_for(figure: P.Figure, s: L.Sense) -> str:
    """The metric of a figure under a label, by what the label names and what the figure
    is: an amount is pay, a percentage growth, a count jobs or openings."""
    if figure.kind == "money":
        return "wage" if s.metric in ("wage", "") else ""
    if figure.kind == "percent":
        return "employment_growth" if s.metric in ("employment_growth",) or (
            s.metric == "employment" and s.change) else ""
    if P.is_count(figure) or (figure.kind == "number" and figure.precision >= 1
                              and s.metric in ("employment", "annual_openings")):
        if s.metric in ("employment", "annual_openings"):
            return s.metric
        if s.metric == "employment_growth":
            return "employment"  # "Employment Change, 2023-33: 15,300", "Job growth: 1,200"
    return ""


def read_labelled(reader: Reader, ctx: Context, index: int, label: str, figures: list[P.Figure],
                  quote: tuple[int, int], method: str = "label-value", value_text: str = "",
                  extra: L.Sense | None = None) -> bool:
    """Claims of figures under a label; False when the label names nothing we read."""
    label = _label_part(label)
    s = L.sense(label)
    if extra is not None:
        s = s.merged(extra)
    qualifiers: dict = {}
    words = ""
    occupation_text = ""
    if not s.says_something and ctx.list_sense is not None and ctx.list_dimension and figures:
        # an item under "Top-Paying Industries:" -> the label is the industry
        dimension = ctx.list_dimension
        qualifiers[dimension] = (P.normalise_geography(label) if dimension == "geography"
                                 else P.normalise_level(label) if dimension == "level" else label)
        words = f"{dimension}={label}"
        s = ctx.list_sense
    elif not s.says_something and (ctx.last_label or ctx.modified) and index - (
            ctx.last_label or ctx.modified)[2] <= 3 and MODIFIER_LABEL.match(label):
        # "Range: $35,080 - $77,810" right under "Median Annual Pay": its metric and unit,
        # the modifier's own statistic
        last = (ctx.last_label or ctx.modified)[0]
        s = L.Sense(metric=last.metric, unit=s.unit or last.unit,
                    statistic="range" if L.RANGE_WORDS.search(label) else s.statistic,
                    period=last.period, words=label)
    elif not s.says_something and L.occupation_named(label) and ctx.last_label is not None \
            and index - ctx.last_label[2] <= 4:
        # a chart of occupations under its caption: "Median annual wages, May 2024" /
        # "Dental hygienists  $94,260" / "Total, all occupations  $49,500"
        s = ctx.last_label[0]
        occupation_text = _other_occupation(reader, L.occupation_named(label))
        if occupation_text:
            words = f"occupation={occupation_text}"
    elif not s.says_something:
        level = _level_label(label)
        if not level or not any(f.kind == "money" for f in figures):
            return False
        s = L.Sense(metric="wage", level=level, words=label)  # "Starting pay" / "Mid-career"
    if not occupation_text:
        occupation_text = _other_occupation(reader, L.occupation_named(label)) if (
            ctx.related or "(" in label) else ""
    if ctx.related and not occupation_text:
        for f in figures:
            reader.skip(f, "a figure of another occupation (a related-careers section)")
        return True
    if s.ignore:
        for f in figures:
            reader.skip(f, s.ignore)
        ctx.last_label = None
        return True
    ctx.last_label = (s, label, index)
    if s.level and "level" not in qualifiers and s.metric != "education":
        qualifiers["level"] = s.level
    place = _label_place(label)
    if place:
        qualifiers["geography"] = place
    statistic = s.statistic
    if s.metric == "employment" and s.change:
        statistic = "change"
    if not statistic and figures:
        # "Typical pay: $22.54 an hour, or $46,880 a year (median, May 2021)"
        trailing = re.search(r"\(\s*(?P<stat>median|mean|average|(?:10|25|75|90)th\s+percentile)"
                             r"\b[^)]{0,30}\)", reader.text[figures[-1].end:quote[1]], re.I)
        if trailing:
            statistic = L.statistic_of(trailing.group("stat"))
    claimed_any = False
    previous_ends = None
    for number, figure in enumerate(figures):
        if not reader.free(figure):
            continue
        metric = _metric_for(figure, s)
        if not metric:
            if figure.kind == "foreign":
                reader.skip(figure, f"not U.S. dollars ({figure.currency})")
            continue
        fig_stat = statistic
        if metric == "employment" and s.metric == "employment_growth":
            fig_stat = "change"
        if metric == "employment_growth":
            fig_stat = "change"
        if metric == "annual_openings":
            fig_stat = "unspecified"
        unit = {"employment_growth": "percent", "annual_openings": "count",
                "employment": "count"}.get(metric, "")
        if metric == "wage":
            # the label's unit is the first figure's; a second figure says its own
            # ("$50,250 per year ($24.16 per hour)") or is told by its size
            unit = figure.unit_hint or (s.unit if number == 0 else "") or (
                ctx.unit if number == 0 else "")
            if figure.bound == "under" and not fig_stat:
                fig_stat = ""
            if fig_stat in ("p75", "p90", "median", "p10", "p25") and figure.is_range and \
                    figure.low is not None and figure.high is None:
                figure = replace(figure, value=figure.low, low=None)  # "Top 10%: $182K+"
            if not fig_stat and figure.is_range and L.RANGE_WORDS.search(label):
                fig_stat = "range"
        period = _figure_period(reader.text, figure) or s.period or _period_after(
            reader.text, figure, quote[1])
        ends = _percentile_pair(label) or (previous_ends if fig_stat in ("", "range") and
                                           figure.unit_hint and number > 0 else None)
        if metric == "wage" and ends and figure.is_range and figure.low is not None \
                and figure.high is not None:
            # "Wage range (10th to 90th percentile): $13.47 – $22.76 per hour", "Middle 50%
            # of cooks: $15.05 – $20.97 per hour ($31,310 – $43,610 a year)": the two
            # percentiles, and the range they make
            for part, stat, value in (("low", ends[0], figure.low), ("high", ends[1], figure.high),
                                      ("range", "range", None)):
                claim = reader.claim(figure, metric=metric, statistic=stat, unit=unit,
                                     quote=quote, method=method, period=period, value=value,
                                     part=part, qualifiers=qualifiers, words=words,
                                     occupation_text=occupation_text, context=ctx, line=index)
                claimed_any = claimed_any or claim is not None
            previous_ends = ends
            continue
        scope = "job-ad" if ctx.job_ad and metric == "wage" and not fig_stat else ""
        if scope:
            fig_stat = "range" if figure.is_range else ""
        claim = reader.claim(figure, metric=metric, statistic=fig_stat, unit=unit, quote=quote,
                             method=method, period=period, qualifiers=qualifiers, words=words,
                             scope=scope, occupation_text=occupation_text, context=ctx,
                             line=index)
        claimed_any = claimed_any or claim is not None
        if claim is not None and metric == "wage" and (
                claim.level or method == "value-label" or (ctx.group and index - ctx.group_end <= 1)):
            _grouped(ctx, index, claim, label)
    if s.metric in ("education", "experience", "training_duration", "certification_required") \
            and not figures and value_text:
        return _categorical(reader, ctx, index, s.metric, value_text, quote, method)
    if not claimed_any and not any(reader.claimed.get(f.start) for f in figures):
        # the label names something none of the figures can be ("Find paralegal jobs —
        # typical pay ≈ $61K/year"): let the sentence rules read them
        for f in figures:
            reader.reasons.pop(f.start, None)
        return False
    return True


def _grouped(ctx: Context, index: int, claim: Claim, label: str = "") -> None:
    """Remember a level's claim and its label, so a percentile key after the group can
    name its statistic."""
    if ctx.group and index - ctx.group_end > 3:
        ctx.group, ctx.group_labels = [], []
    if ctx.group and ctx.group_end == index:
        ctx.group[-1].append(id(claim))
    else:
        ctx.group.append([id(claim)])
        ctx.group_labels.append(label or claim.qualifier_text)
    ctx.group_end = index


def _level_label(label: str) -> str:
    """The level a short label names ("Starting pay", "Mid-career", "Entry / low")."""
    words = label.strip()
    if len(words.split()) > 5:
        return ""
    m = P.LEVEL.search(words) or prose.ENTRY_WORDS.search(words) or prose.SENIOR_WORDS.search(words)
    if not m:
        return ""
    level, _ = prose.level_of(words + " workers") if not P.LEVEL.search(words) else (
        P.normalise_level(m.group()), "")
    return level or P.normalise_level(m.group())


STATE_FIRST = re.compile(r"^(?P<place>" + P._STATE_NAMES + r")(?:'s|’s)?\s+(?=[a-z(])")
"""A label that starts with a state: "New Mexico median", "Ohio employment (2023)"."""


def _label_place(label: str) -> str:
    m = P.PLACE.search(label) or STATE_FIRST.match(label.strip())
    if m:
        return P.normalise_geography(m.group("place"))
    if re.search(r"\b(?:national(?:ly)?|nationwide|U\.S\.|United\s+States)\b", label, re.I):
        return "United States"
    return ""


def _figure_period(text: str, figure: P.Figure) -> P.Period | None:
    """A period printed right after a figure: "$50,250 (2023)"."""
    m = re.match(r"\s*\((?P<p>(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)?\d{2})?)\)", text[figure.end:
                                                                                  figure.end + 16])
    if not m:
        return None
    periods = P.find_periods(m.group("p"))
    return periods[0] if periods else None


def _period_after(text: str, figure: P.Figure, end: int) -> P.Period | None:
    periods = P.find_periods(text[figure.end:end])
    return periods[0] if periods else None


def _categorical(reader: Reader, ctx: Context, index: int, metric: str, value: str,
                 quote: tuple[int, int], method: str, value_start: int | None = None) -> bool:
    """An education level, a work-experience or training category, or whether a licence
    is required, read from a label's value."""
    start = value_start if value_start is not None else quote[1] - len(value)
    if metric == "education":
        found = P.find_education(value)
        if found:
            category, a, b = found[0]
            reader.claim(None, metric=metric, figure_text=value[a:b], figure_start=start + a,
                         value_text=category, quote=quote, method=method, unit="category",
                         context=ctx, line=index)
        return bool(found)
    if metric in ("experience", "training_duration"):
        pattern = EXPERIENCE_CATEGORIES if metric == "experience" else TRAINING_CATEGORIES
        m = pattern.match(value.strip())
        if m:
            reader.claim(None, metric=metric, figure_text=m.group(), figure_start=start,
                         value_text=m.group().lower(), quote=quote, method=method,
                         unit="category", context=ctx, line=index)
            return True
        durations = P.find_durations(value)
        if durations:
            figure = replace(durations[0], start=durations[0].start + start,
                             end=durations[0].end + start, kind="duration")
            reader.claim(figure, metric=metric, quote=quote, method=method, unit="years",
                         statistic="range" if figure.is_range else "typical", context=ctx,
                         line=index)
        return bool(durations)
    if metric == "education_duration":
        durations = P.find_durations(value)
        if durations:
            figure = replace(durations[0], start=durations[0].start + start,
                             end=durations[0].end + start, kind="duration")
            reader.claim(figure, metric=metric, quote=quote, method=method, unit="years",
                         statistic="range" if figure.is_range else "typical", context=ctx,
                         line=index)
        return bool(durations)
    if metric == "certification_required":
        answer = P.REQUIREMENT_ANSWER.match(value)
        if answer and not P.HEDGE.search(value):
            reader.claim(None, metric=metric, figure_text=answer.group(), figure_start=start,
                         value_text="no" if answer.group("no") else "yes", quote=quote,
                         method=method, unit="boolean", context=ctx, line=index)
            return True
        stated = P.certification_statement(value)
        if stated is not None:
            required, a, b = stated
            reader.claim(None, metric=metric, figure_text=value[a:b], figure_start=start + a,
                         value_text="yes" if required else "no", quote=quote, method=method,
                         unit="boolean", context=ctx, line=index)
        return stated is not None
    return False


# --- tables ---------------------------------------------------------------------------------

SOC_CODE = re.compile(r"^\s*(?P<code>\d{2}-\d{4})(?:\.\d{2})?\s*$")
NATIONAL_SUFFIX = re.compile(r",?\s*(?:\(?\s*(?:U\.S\.|US|United\s+States|national)\s*\)?)\s*$", re.I)


YEAR_LABEL = re.compile(r"^(?:(?:May|June|Q[1-4])\s+)?(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)?\d{2})?$")
"""A row labelled by its year ("2019", "May 2019"): the period of the row's figures."""


NONE_OR_VARIES = re.compile(r"none|varies", re.I)


def _row_qualifiers(label_cells: dict[str, str], columns) -> tuple[dict, str, str, str, L.Sense]:
    """(qualifiers, words, occupation code, occupation title, row sense) of a row's labels."""
    qualifiers: dict = {}
    said: list[str] = []
    code, title = "", ""
    row_sense = L.Sense()
    dims = {c.name: c.sense.dimension for c in columns}
    heads = {c.name: c.sense for c in columns}
    rung_row = any(LADDER_ITEM.match(t.strip()) for t in label_cells.values())
    for name, text in sorted(label_cells.items(), key=lambda kv: not LADDER_ITEM.match(
            kv[1].strip())):
        text = text.strip()
        if not text or PLACEHOLDER.fullmatch(text) or NONE_OR_VARIES.fullmatch(text):
            continue  # an empty cell's placeholder, or a footnote mark in place of a figure
        m = SOC_CODE.match(text)
        if m:
            code = m.group("code")
            continue
        if YEAR_LABEL.match(text):
            periods = P.find_periods(text)
            row_sense = row_sense.merged(L.Sense(period=periods[0] if periods else None))
            said.append(f"{name or 'year'}={text}")
            continue
        dim = dims.get(name, "")
        s = L.sense(text)
        if LADDER_ITEM.match(text):
            # a percentile rung ("Entry (10th %ile)") is the row's identity; other cells of
            # the row ("0-2 years experience") only describe it
            rung = LADDER_ITEM.match(text)
            row_sense = row_sense.merged(L.Sense(metric="wage",
                                                 statistic=L.statistic_of(rung.group("stat"))))
            qualifiers["level"] = P.normalise_level(rung.group("level"))
            said.append(f"level={text}")
            continue
        if rung_row:
            said.append(f"{name or 'row'}={text}")
            continue
        if s.metric and s.metric != "wage" and not s.dimension and not dim and not heads.get(
                name, L.Sense()).metric:
            row_sense = row_sense.merged(s)  # "Employment" in a table of wages
            continue
        if s.statistic or (s.metric == "wage" and s.unit and not dim in ("geography", "industry")):
            row_sense = row_sense.merged(s)  # "10th percentile", "Hourly Wage"
            if s.level:
                qualifiers["level"] = s.level
                said.append(f"level={text}")
            continue
        if dim == "occupation" or (not dim and code):
            national = NATIONAL_SUFFIX.search(text)
            if national:
                qualifiers["geography"] = "United States"
                text = text[:national.start()].strip()
            title = text
            said.append(f"occupation={text}")
            continue
        if dim == "industry":
            qualifiers["industry"] = text
        elif dim == "geography" or PLACE_LINE.match(text) or P.NATIONAL.match(text):
            qualifiers["geography"] = P.normalise_geography(text)
        elif dim == "level" or P.LEVEL.search(text) or _level_label(text):
            qualifiers["level"] = P.normalise_level(text) if P.LEVEL.search(text) else (
                _level_label(text) or P.normalise_level(text))
        elif dim == "percentile":
            continue
        else:
            qualifiers["subgroup"] = text
        said.append(f"{name or dim or 'row'}={text}")
    return qualifiers, "; ".join(said), code, title, row_sense


def read_table(reader: Reader, ctx: Context, table: Table) -> None:
    """Claims of every figure of a table, by its column and its row."""
    table_sense = L.Sense()
    for c in table.columns:
        if not c.is_value or (c.sense.metric == "wage" and not any(
                cell.column is c for cell in table.cells)):
            period = c.sense.period if YEAR_LABEL.match(c.name) else None  # "May 2024" over the labels
            table_sense = table_sense.merged(L.Sense(metric=c.sense.metric, unit=c.sense.unit,
                                                     period=period))
    caption = _caption(reader, table)
    caption_sense = L.sense(caption) if caption else L.Sense()
    caption_code = _coded_title(caption)
    caption_sense = L.Sense(metric=caption_sense.metric if caption_sense.metric == "wage" else "",
                            unit=caption_sense.unit, period=caption_sense.period,
                            statistic=caption_sense.statistic if caption_sense.statistic in (
                                "mean", "median") else "")  # "… May 2023 (mean wages)"
    if ctx.foreign:
        for cell in table.cells:
            reader.skip(cell.figure, f"a figure for {ctx.foreign}, outside the United States")
        return
    made: list[tuple[int, Claim, object]] = []
    ctx.group, ctx.group_labels = [], []  # a table's rows are a group of their own
    jobs_table = any(c.sense.metric == "employment" for c in table.columns)
    corner = _corner_place(table)
    corner_periods = P.find_periods(table.columns[0].name) if corner else []
    named = list(dict.fromkeys(c.occupation for c in table.columns if c.occupation))
    own_column = next((n for n in named if not _other_occupation(reader, n)), "") \
        if reader.title else (named[0] if named else "")
    named_values = any(c.is_value for c in table.columns)
    for row in table.rows:
        qualifiers, words, code, title, row_sense = _row_qualifiers(row.labels, table.columns)
        if corner and "geography" not in qualifiers:
            qualifiers["geography"] = corner
        first_line = reader.lines[row.lines[0]]
        last_line = reader.lines[row.lines[-1]]
        quote = (first_line.start, last_line.end)
        occupation, occupation_text = "", ""
        if not code and not title and caption_code:
            code, title = caption_code  # "Phlebotomists (31-9097) by area" over rows of places
        if code or title:
            own = (code and code in (reader.occupation, reader.doc.occupation)) or (
                title and not _other_occupation(reader, title))
            occupation = code
            occupation_text = "" if own else title
        row_claims = []
        for cell in row.cells:
            f = cell.figure
            if not reader.free(f):
                continue
            if cell.column is not None and cell.column.occupation and not title:
                # occupations side by side, a group of columns each
                occupation_text = "" if cell.column.occupation == own_column else \
                    cell.column.occupation
            col = cell.column.sense if cell.column is not None else L.Sense()
            if cell.column is not None and not col.says_something and jobs_table:
                col = _jobs_column(cell.column.name, col)
            if named_values and cell.column is not None and not cell.column.is_value \
                    and not col.metric:
                # "Typical band" beside "Salary": the table names its figures' columns,
                # and this one is not among them
                reader.skip(f, f"a column that names no figure we read ({cell.column.name})")
                continue
            if row_sense.metric and row_sense.metric != col.metric and not col.statistic:
                # "Employment" across columns of "Hourly" and "Annual": the row says what
                # its figures are, the columns only how pay is counted
                col = L.Sense(period=col.period)
            s = col.merged(row_sense).merged(table_sense).merged(caption_sense)
            if col.ignore or row_sense.ignore:
                reader.skip(f, col.ignore or row_sense.ignore)
                continue
            if f.kind == "foreign":
                reader.skip(f, f"not U.S. dollars ({f.currency})")
                continue
            metric = _cell_metric(f, s)
            if not metric:
                reader.skip(f, f"a column that holds no figure we read ({s.words or 'unnamed'})")
                continue
            unit = {"employment_growth": "percent", "employment": "count",
                    "annual_openings": "count"}.get(metric, "")
            statistic = s.statistic
            if metric == "wage":
                unit = f.unit_hint or (s.unit if cell.position == 0 else "") or _by_magnitude(f.amount)
                if f.kind == "number" and not unit:
                    reader.skip(f, "a number without a unit in a pay column")
                    continue
            elif metric == "employment":
                statistic = "change" if s.change else "unspecified"
            elif metric == "employment_growth":
                statistic = "change"
            elif metric == "annual_openings":
                statistic = "unspecified"  # "Average annual openings" is the openings figure
            value = None
            if metric == "wage" and statistic in ("p75", "p90", "median") and f.is_range \
                    and f.high is None:
                value = f.low
            period = row_sense.period or s.period or caption_sense.period or (
                corner_periods[0] if corner_periods else None)
            if metric == "employment" and statistic != "change":
                period = _end_of_projection(period, cell.column)
            claim = reader.claim(f, metric=metric, statistic=statistic, unit=unit, quote=quote,
                                 method="table-row", period=period,
                                 qualifiers=qualifiers, words=words, value=value,
                                 occupation=occupation, occupation_text=occupation_text,
                                 context=ctx, line=row.lines[0])
            if claim is not None:
                made.append((len(reader.claims) - 1, claim, cell))
                row_claims.append(id(claim))
        cell_starts = {c.figure.start for c in row.cells}
        for k in row.lines:
            for f in reader.line_figures(reader.lines[k]):
                if f.start not in cell_starts:
                    reader.skip(f, "a number inside a row's label")
        if row_claims and (qualifiers.get("level") or row_sense.statistic):
            ctx.group.append(row_claims)
            ctx.group_labels.append(row.label)
            ctx.group_end = table.end - 1
    _annual_from_hourly(reader, made)


def _jobs_column(name: str, sense: L.Sense) -> L.Sense:
    """What a bare column says beside columns of employment: "Projected 2033" is the
    projected employment, "Change" the change in jobs."""
    if re.match(r"^\s*projected\b(?![^%]*(?:%|percent))", name, re.I):
        return sense.merged(L.Sense(metric="employment"))
    if re.match(r"^\s*(?:numeric\s+|number\s+)?change\b(?![^%]*(?:%|percent))", name, re.I):
        return sense.merged(L.Sense(metric="employment", change=True))
    return sense


def _corner_place(table) -> str:
    """The place a table's corner cell names for all its rows: "Oregon, 2023" over rows
    of "Entry wage" and "Experienced wage"."""
    if not table.columns or table.columns[0].is_value:
        return ""
    name = re.sub(r",?\s*(?:May\s+)?(?:19|20)\d{2}\s*$", "", table.columns[0].name).strip()
    m = PLACE_LINE.match(name)
    if not m or not name or m.group("place") in ("Statewide",):
        return ""
    return P.normalise_geography(m.group("place"))


def _end_of_projection(period: P.Period | None, column) -> P.Period | None:
    """The year of a projection's employment column: "Base year" under a 2023-2033 row is
    2023, "Projected" is 2033; other columns keep the period."""
    if period is None or period.first is None or period.first == period.last or column is None:
        return period
    if re.search(r"\bbase\b|\bcurrent\b|\bestimated\b", column.name, re.I):
        year = period.first
    elif re.search(r"\bprojected\b|\bprojection\b", column.name, re.I):
        year = period.last
    else:
        return period
    return P.Period(str(year), period.start, period.end, year, year)


PERCENTILE_PAIR = re.compile(
    r"\b(?P<a>10|25)(?:th)?\s*(?:%|percentile)?\s*(?:to|[-–—])\s*(?P<b>75|90)(?:th)?\s*"
    r"(?:%|percentiles?)", re.I)


def _percentile_pair(label: str) -> tuple[str, str] | None:
    """The two percentiles a label gives the ends of a range: "(10th to 90th percentile)",
    "Middle 50%", "middle half", "interquartile range"."""
    m = PERCENTILE_PAIR.search(label)
    if m:
        return f"p{m.group('a')}", f"p{m.group('b')}"
    if L.MIDDLE_HALF.found(label) or re.search(r"\bmiddle\s+(?:half|50\s*(?:%|percent))",
                                                 label, re.I):
        return "p25", "p75"
    return None


def _cell_metric(f: P.Figure, s: L.Sense) -> str:
    if s.metric == "wage" or (not s.metric and (s.statistic or s.unit)):
        if f.kind == "money":
            return "wage"
        if f.kind in ("number", "count") and f.value is not None and f.value > 0:
            return "wage"  # a table of wages printed without "$"
        return ""
    if s.metric in ("employment", "annual_openings"):
        return s.metric if (P.is_count(f) or (f.kind == "number" and f.precision >= 1)) else ""
    if s.metric == "employment_growth":
        if f.kind == "percent" or (f.kind == "number" and re.search(r"percent|%", s.words, re.I)):
            return "employment_growth"
        if P.is_count(f):
            return "employment"
    return ""


def _caption(reader: Reader, table: Table) -> str:
    """The line just above a table's header when it names the table ("Top industries (May
    2023)", "Pay by percentile, May 2024")."""
    i = table.first - 1
    while i >= 0 and reader.lines[i].blank:
        i -= 1
    if i < 0 or table.first - i > 2:
        return ""
    line = reader.lines[i]
    numbered = TABLE_NUMBER.match(line.text)
    figures = reader.within(line.start + (numbered.end() if numbered else 0), line.end)
    if len(line.text) > 120 or figures:
        return ""
    return line.text


TABLE_NUMBER = re.compile(r"^(?:table|exhibit|figure|chart)\s+[\w.-]{1,5}[.:]\s*", re.I)
"""A caption's number: "Table 1. Employment and wages, May 2023"."""


def _annual_from_hourly(reader: Reader, made: list) -> None:
    """An annual column that names no statistic ("Annual wage") takes the statistic of the
    hourly column whose figures it is 2,080 times, row by row: that is how the agency
    makes annual wages from hourly ones."""
    by_column: dict[int, list] = {}
    for index, claim, cell in made:
        if claim.metric == "wage" and cell.column is not None:
            by_column.setdefault(id(cell.column), []).append((index, claim, cell))
    bare = [rows for rows in by_column.values()
            if all(c.unit == "USD/year" and c.statistic == "unspecified" for _, c, _ in rows)]
    for rows in bare:
        for other in by_column.values():
            if other is rows or not all(c.unit == "USD/hour" and c.statistic not in (
                    "unspecified", "range") for _, c, _ in other):
                continue
            hourly = {id(cell.row): c for _, c, cell in other}
            pairs = [(c, hourly.get(id(cell.row))) for _, c, cell in rows]
            if pairs and all(h is not None and abs(h.value * 2080 - c.value) <= 0.003 * c.value
                             for c, h in pairs):
                statistic = other[0][1].statistic
                for index, claim, _ in rows:
                    reader.claims[index] = reader.rebuilt(claim, statistic=statistic,
                                                          qualifier_text=(claim.qualifier_text + (
                                                              "; " if claim.qualifier_text else "")
                                                              + "statistic=as the hourly column ×2080"))
                break


# --- the page ------------------------------------------------------------------------------

def _is_heading(line: Line, figures: list) -> bool:
    """A short line without a figure or a sentence's full stop: a heading or a label."""
    text = line.text
    return (0 < len(text) <= 60 and len(text.split()) <= 8 and not text.endswith((".", ","))
            and not [f for f in figures if listed(f)] and ":" not in text)


def _is_major(line: Line, figures: list) -> bool:
    first = line.text[:1]
    return line.major or bool(MAJOR_HEADING.match(line.text)) or (
        bool(first) and unicodedata.category(first) == "So" and _is_heading(line, figures))


def _starts_with_figure(reader: Reader, line: Line) -> P.Figure | None:
    figures = [f for f in reader.line_figures(line) if listed(f)]
    if not figures:
        return None
    lead = re.match(r"[(~≈]?\s*(?:about\s+|approx(?:imately|\.)?\s+|around\s+)?", line.text,
                    re.I).end()
    return figures[0] if figures[0].start - line.start <= lead + 1 else None


def _bare(reader: Reader, line: Line) -> list[P.Figure]:
    """The figures of a line that holds nothing else (a unit and "about" aside)."""
    figures = [f for f in reader.line_figures(line) if listed(f)]
    if not figures:
        return []
    rest = line.text
    for f in sorted(figures, key=lambda f: -f.start):
        rest = rest[:f.start - line.start] + " " + rest[f.end - line.start:]
    if len(rest.split()) > 3 * len(figures) + 2:
        return []  # more words than units and "about"s: a sentence, not a bare figure
    rest = P.UNIT_SUFFIX.sub(" ", rest)
    if re.sub(r"(?i)\b(?:about|around|roughly|approx\.?|usd|/|\+|·|\||,|–|-)\b|[()·|,/+~]", " ",
              rest).strip():
        return []
    return figures


FOREIGN_LINE = re.compile(r"^(?:" + prose.FOREIGN_PLACES + r")(?:\s*(?:,|and|&)\s*(?:" +
                          prose.FOREIGN_PLACES + r"))*(?:\s*\([^)]*\))?$")
"""A line that is only places outside the United States: "Norway, Germany and Switzerland"."""


def _place_line(line: Line) -> tuple[str, str] | None:
    text = line.text.strip()
    m = PLACE_LINE.match(text)
    if m:
        place = m.group("place")
        if place == "Statewide":
            return None
        return P.normalise_geography(place), place
    m = prose.FOREIGN.fullmatch(text) or FOREIGN_LINE.match(text)
    if m:
        return "foreign:" + text, text
    return None


def _job_ad_lines(lines: list[Line]) -> set[int]:
    """Lines of blocks that are job postings: the markup says so, or the block (a card, or
    lines between blank lines) reads like one ("Posted 3 days ago")."""
    out = {i for i, line in enumerate(lines) if line.hint == "job-ad"}
    maybe = JOB_POSTING.could_match_each([line.text for line in lines])
    if not any(maybe):
        return out  # no line holds a word of a posting: one look at the page says so
    start = 0
    for i in range(len(lines) + 1):
        if i == len(lines) or lines[i].blank:
            block = range(start, i)
            if any(lines[k].block < 0 and maybe[k] and JOB_POSTING.found(lines[k].text)
                   for k in block):
                out.update(k for k in block if lines[k].block < 0)
            start = i + 1
    return out


def _job_ad_place(reader: Reader, index: int) -> str:
    line = reader.lines[index]
    a, b = index, index
    same = (lambda k: reader.lines[k].block == line.block) if line.block >= 0 else (
        lambda k: not reader.lines[k].blank)
    while a > 0 and same(a - 1) and index - a < 6:
        a -= 1
    while b + 1 < len(reader.lines) and same(b + 1) and b - index < 6:
        b += 1
    for k in range(a, b + 1):
        m = re.search(r"(?:·|-|–|—|\|)\s*(?P<place>[A-Z][\w.' -]+,\s*(?:[A-Z]{2}\b|"
                      + P._STATE_NAMES + r"))\s*$", reader.lines[k].text)
        if m:
            return m.group("place").strip()
    return ""


def _segments(line: Line) -> list[tuple[int, int]]:
    """Spans of the items of a line of facts, or [] when it is one item."""
    spans, start = [], 0
    for m in SEGMENT.finditer(line.text):
        spans.append((start, m.start()))
        start = m.end()
    if not spans:
        return []
    spans.append((start, len(line.text)))
    return [(line.start + a, line.start + b) for a, b in spans if b > a]


def _read_segment(reader: Reader, ctx: Context, index: int, a: int, b: int,
                  quote: tuple[int, int]) -> None:
    """One item of a line of facts: "median $46.74 an hour", "1,080 jobs", "Top 10%: over
    $52,000"."""
    text = reader.text[a:b]
    figures = [f for f in reader.within(a, b) if listed(f) or f.kind == "number"]
    money_or_count = [f for f in figures if f.kind in ("money", "foreign") or P.is_count(f)
                      or (f.kind == "number" and re.match(r"\s*(?:jobs|workers|employees)\b",
                                                          reader.text[f.end:f.end + 12]))
                      or (f.kind == "percent" and not L.percentile_of(
                          reader.text[max(a, f.start - 8):f.end]))]
    if not money_or_count:
        return
    first = money_or_count[0]
    label = text[:first.start - a]
    labelled = LABEL_VALUE.match(text)
    if labelled and labelled.start("value") <= first.start - a:
        label = labelled.group("label")
    for f in figures:
        if f.kind == "percent" and L.percentile_of(reader.text[max(a, f.start - 8):f.end]) \
                and f.end <= first.start and f is not first:
            reader.skip(f, "a percentile label")
    if L.sense(label).says_something or _level_label(label):
        percentiles = [f for f in figures if f.kind == "percent" and f.end <= first.start]
        for f in percentiles:
            reader.skip(f, "a percentile label")
        read_labelled(reader, ctx, index, label, [f for f in money_or_count if f not in percentiles],
                      quote)
        return
    prose.read_sentence(reader, ctx, a, text, prose.cites_of(text), figures)


def _legend(text: str) -> tuple[L.Sense, ...]:
    m = LEGEND.search(text)
    if not m:
        return ()
    first, second = L.sense(m.group("first")), L.sense(m.group("second"))
    if first.metric == "wage" and second.metric == "wage":
        return first, second
    return ()


KEY_CUE = P.Sifted(re.compile(r"percentile|(?:10|25|50|75|90)(?<!\w\d\d)(?:st|nd|rd|th)\b", re.I))
"""What a percentile key names: "percentile", or "10th", "25th", … ("(?<!\\w\\d\\d)" after the
digits is "\\b" before them: with the digits first the engine skips from digit to digit,
and the strings the other alternatives need are "st", "nd", "rd" and "th", found at once,
not twenty such as "25th" looked for one by one through a paragraph)."""


def _percentile_key(text: str) -> list:
    """The statistics a sentence maps levels to: in order (["p10", "median", "p90"]) or by
    name ([("entry level", "p10"), ("the working tech", "median"), …]); [] when none."""
    if not KEY_CUE.found(text):
        return []
    named = []
    for part in re.split(r"[,;:]|\band\b", text):
        m = NAMED_KEY.search(part)
        if m:
            name = " ".join(m.group("name").split()[-4:])
            named.append((name, L.statistic_of(m.group("stat")) or "median"))
    if len(named) >= 2:
        return named
    m = PERCENTILE_KEY.search(text)
    if not m or not re.search(r"percentile|map|levels?|bands?", text, re.I):
        return []
    out = []
    for token in re.findall(r"(10|25|50|75|90)(?:st|nd|rd|th)|median", m.group("list"), re.I):
        out.append("median" if token in ("", "50") else f"p{token}")
    return out


def _group_above(ctx: Context, index: int) -> bool:
    """Whether a group of levels ends close enough above line `index` for a percentile key
    there to name its statistics: where none does (most lines of a page), the line is not
    looked at for a key."""
    return index - ctx.group_end <= 3 and any(ctx.group)


def _apply_key(reader: Reader, ctx: Context, index: int, key) -> bool:
    """A percentile key names the statistics of the group of levels just above it: in
    order ("the 10th, 25th, 50th, 75th and 90th percentiles"), or by name ("entry level is
    the 10th percentile, the working tech is the median")."""
    if not _group_above(ctx, index):
        return False
    groups = [(g, label) for g, label in zip(ctx.group, ctx.group_labels) if g]
    if not groups:
        return False
    if key and isinstance(key[0], tuple):
        assigned = []
        for members, label in groups:
            statistic = _named_statistic(label, key)
            if statistic is None:
                return False
            assigned.append((members, statistic))
    elif len(groups) == len(key):
        assigned = [(members, statistic) for (members, _), statistic in zip(groups, key)]
    else:
        return False
    by_id = {id(c): i for i, c in enumerate(reader.claims)}
    for members, statistic in assigned:
        for member in members:
            i = by_id.get(member)
            if i is None:
                continue
            claim = reader.claims[i]
            open_top = claim.statistic == "range" and claim.value is None and claim.high is None
            if claim.statistic not in ("unspecified", statistic) and not open_top:
                continue
            changes: dict = {"statistic": statistic}
            if claim.value is None and claim.low is not None and claim.high is None:
                changes.update(value=claim.low, low=None)  # "$163K+" at the 90th percentile
            reader.claims[i] = reader.rebuilt(claim, **changes)
    ctx.group, ctx.group_labels = [], []
    return True


KEY_WORDS_IGNORED = frozenset({"the", "a", "an", "level", "levels", "is", "are", "of", "and", "pay",
                               "wage", "wages", "salary", "our", "we", "set", "how", "tech", "techs"})


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in KEY_WORDS_IGNORED
            and len(w) > 2}


def _named_statistic(label: str, key: list[tuple[str, str]]) -> str | None:
    """The statistic a named key gives the level `label`: the name sharing most words."""
    words = _words(label)
    best, score = None, 0
    for name, statistic in key:
        shared = len(words & _words(name))
        if shared > score:
            best, score = statistic, shared
    return best


NAMED_KEY = P.Sifted(re.compile(
    r"(?P<name>[A-Za-z][\w /-]{1,40}?)\s+(?:is|are|=|means|maps?\s+to|equals|sits\s+at)\s+"
    r"(?:the\s+)?(?P<stat>(?:10|25|50|75|90)(?:st|nd|rd|th)(?:\s+percentile)?|median)\b", re.I))
"""One level named in a key: "entry level is the 10th percentile wage"."""


def _page_occupation(reader: Reader) -> str:
    """The SOC code a page states for itself in its first headings ("15-1243 Database
    Architects", "Phlebotomists (31-9097)"); a table row's code ("31-1131  Nursing
    Assistants  26,049 …") is that row's, not the page's."""
    for line in reader.lines[:12]:
        coded = _coded_title(line.text)
        if coded and not [f for f in reader.line_figures(line) if listed(f)] \
                and "\t" not in line.text and "  " not in line.text.strip():
            return coded[0]
    return ""


def _coded_title(text: str) -> tuple[str, str] | None:
    """(SOC code, title) of a heading that names an occupation with its code: "15-1243
    Database Architects", "Phlebotomists (31-9097) by area", "Medical Records
    Specialists — SOC 29-2072"; None for a group's code ("Healthcare Support Occupations
    (31-0000)")."""
    m = re.match(r"^(?P<code>\d{2}-\d{4})(?:\.\d{2})?\s+(?P<title>[A-Z][^\d\t]{2,80})$", text.strip()) \
        or re.match(r"^(?P<title>[A-Z][\w ,'’-]{2,60}?)\s*\((?:SOC\s+)?(?P<code>\d{2}-\d{4})\)"
                    r"(?:\s+(?:by|in|for|across)\s+[\w ,.-]{1,40}|\s*[:–—-].{0,60})?\s*$", text.strip()) \
        or re.match(r"^(?P<title>[A-Z][\w ,'’-]{2,60}?)\s*[:–—|-]\s*SOC(?:\s+code)?:?\s*"
                    r"(?P<code>\d{2}-\d{4})(?:\.\d{2})?\s*$", text.strip())
    if not m or m.group("code").endswith("00"):
        return None
    return m.group("code"), m.group("title").strip()


def _page_title(reader: Reader) -> str:
    """The occupation the page is about, as its first heading names it ("Dental
    Hygienists", "Paralegals and Legal Assistants: Salary and Career Facts")."""
    candidates = [line for line in reader.lines[:40] if not line.blank and len(line.text) <= 90]
    for line in [c for c in candidates if c.major] + candidates:
        text = re.split(r"\s*[:|–—]\s+|\s+(?:Salary|Pay|Career)\b|\s+(?:vs\.?|versus|compared\s+"
                        r"(?:with|to))\s+", line.text, flags=re.I)[0]  # "X vs. Y" is about X
        name = L.occupation_named(text)
        possessive = re.match(r"^(?P<who>[A-Z][\w ,-]{2,50}?)(?:’|')s?\s+(?:pay|salary|salaries|wages?|"
                              r"earnings|raises?|paychecks?)\b", line.text)
        if not name and possessive:
            name = L.occupation_named(possessive.group("who"))  # "Janitors’ pay is up 31% …"
        if name and not re.search(r"[›>/]|\bjobs?\b", line.text):
            return name
    return ""


SOURCE_LINE = P.Sifted(re.compile(
    r"^\W*(?:sources?|data(?:\s+sources?)?|figures|wage\s+data|pay|outlook|notes?)\b[^:]{0,40}:|"
    r"(?:figures(?<!\wfigures)|data(?<!\wdata)|wage(?<!\wwage)s?|statistics(?<!\wstatistics))\s+"
    r"(?:are\s+)?(?:from|reproduced\s+from|come\s+from)\b|"
    r"^\s*\d{1,2}\.?\s+(?:U\.S\.\s+)?(?:BLS|Bureau)\b",
    re.I,
))
"""A line that credits the page's figures: "Source: U.S. Bureau of Labor Statistics …",
"Figures are reproduced from …", a numbered note "1 BLS Occupational Employment …". (Its
unanchored words are written letters first, as JOB_POSTING's: every line is asked.)"""


def _page_cites(reader: Reader) -> str:
    """The agency the page's source lines credit, when they name exactly one."""
    agencies = set()
    maybe = SOURCE_LINE.could_match_each([line.text for line in reader.lines])
    for line, could in zip(reader.lines, maybe):
        if could and line.text and len(line.text) <= 220 and SOURCE_LINE.found(line.text):
            cited = prose.cites_of(line.text)
            if cited and ";" in line.text:
                return ""  # "Sources: BLS (…); a salary survey": which figure is whose is not said
            if cited:
                agencies.add(cited)
    return agencies.pop() if len(agencies) == 1 else ""


def _other_occupation(reader: Reader, name: str) -> str:
    """`name` when it is another occupation than the page's, else "" (the page's own)."""
    if not name or (reader.title and L.same_occupation(name, reader.title)):
        return ""
    return name


def read_lines(doc: Document, lines: list[Line], extractor: str) -> list[Claim]:
    """Claims from the lines of a page's text (`doc.text`). HTML and PDF pages are
    rendered to such lines first; `extractor` names the format on each claim."""
    return read_page(doc, lines, extractor).claims


def read_page(doc: Document, lines: list[Line], extractor: str) -> Reading:
    """The page's claims and what became of each of its figures."""
    reader = Reader(doc, lines, extractor=f"{extractor}/{EXTRACTOR_VERSION}")
    reader.occupation = "" if doc.occupation else _page_occupation(reader)
    reader.title = _page_title(reader)
    reader.cites = _page_cites(reader)
    reader.job_ads = _job_ad_lines(lines)
    tables = {t.first: t for t in find_tables(lines, reader.figures, doc.text)}
    ctx = Context()
    ctx.jobs_page = any(JOBS_HEADING.found(line.text) and len(line.text) < 80
                        for line in lines[:3] if not line.blank)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            following = next((x for x in lines[i + 1:i + 3] if not x.blank), None)
            if ctx.list_line != i - 1 and not (following is not None and following.block >= 0):
                ctx.list_sense, ctx.list_dimension = None, ""
            if ctx.place is not None and i - ctx.place[2] > 1:
                ctx.place = None
            ctx.job_ad = False
            if ctx.section_block >= 0:
                ctx.section, ctx.section_words, ctx.section_block = {}, "", -1
            i += 1
            continue
        if i in tables:
            read_table(reader, ctx, tables[i])
            if ctx.related and TABLE_NUMBER.match(_caption(reader, tables[i])):
                ctx.related = False  # "Table 7. Related occupations" is about its table only
            i = tables[i].end
            continue
        i += _read_line(reader, ctx, i, tables)
    _infer_statistics(reader)
    _drop_restatements(reader)
    _drop_unexplained(reader)
    return Reading(reader.claims, notes_of=reader.notes)


RELATED_LEAD = re.compile(r"^\W*(?:related|similar|see\s+also)\b[^:]{0,30}:", re.I)
"""A line that opens a list of other occupations: "Related careers: …"."""


def _read_line(reader: Reader, ctx: Context, i: int, tables: dict) -> int:
    """Claims of line `i`; the number of lines read."""
    lines = reader.lines
    line = lines[i]
    figures = reader.line_figures(line)
    listed_figures = [f for f in figures if listed(f)]
    ctx.job_ad = i in reader.job_ads or (ctx.jobs_page and ctx.job_ad)
    major = _is_major(line, figures)
    heading = major or _is_heading(line, figures)
    if heading:
        ctx.jobs_section = JOBS_HEADING.found(line.text)
    if ctx.jobs_section:
        ctx.job_ad = True
    key = _percentile_key(line.text) if listed_figures and _group_above(ctx, i) else []
    if key:
        _apply_key(reader, ctx, i, key)  # a key that states figures of its own too
    if heading or RELATED_LEAD.match(line.text):
        ctx.related = bool(RELATED.found(line.text) or RELATED_LEAD.match(line.text))
        ctx.cost = L.ignored(P.clean(line.text)) == "a price, not pay"  # sense()'s ignore
    if major:
        ctx.section, ctx.section_words, ctx.foreign, ctx.unit = {}, "", "", ""
        ctx.list_sense, ctx.list_dimension, ctx.place = None, "", None
        ctx.pay_context = bool(PAY_SECTION.match(re.sub(r"^[\d.#\s]+", "", line.text)))
        if JOBS_HEADING.found(line.text):
            ctx.jobs_page = True
    if not listed_figures:
        return _read_wordy_line(reader, ctx, i, tables)
    for f in prose.arithmetic(line.text, line.start, listed_figures):
        reader.skip(f, "arithmetic restatement of another figure")
    listed_figures = [f for f in listed_figures if reader.free(f)]
    if not listed_figures:
        return 1
    if _paragraph(line, listed_figures):
        _prose(reader, ctx, i)  # no rule for labels, cells or lists can read a paragraph
        return 1
    # a line of figures printed without labels under a legend: "$140,490 $67.54"
    bare = _bare(reader, line)
    if bare and ctx.legend and len(bare) == len(ctx.legend):
        for f, s in zip(bare, ctx.legend):
            reader.claim(f, metric="wage", statistic=s.statistic, unit=f.unit_hint or s.unit,
                         quote=(line.start, line.end), method="legend", context=ctx, line=i,
                         period=s.period)
        return 1
    # a bare value whose label is on the line below: "$206,680" / "National median, May 2023"
    if bare and i + 1 < len(lines) and _label_line(reader, lines[i + 1]) and _label_below(reader, i):
        below = lines[i + 1]
        saved = ctx.last_label
        read_labelled(reader, ctx, i, below.text, bare, (line.start, below.end),
                      method="value-label", extra=_descriptor_sense(below.text))
        if any(reader.claimed.get(f.start) for f in bare):
            # a "Likely range:" under "$108,400" / "Estimated base salary per year" is its range
            ctx.modified = (ctx.last_label[0], ctx.last_label[1], i + 1) if ctx.last_label else None
            ctx.last_label = None
            return 2
        ctx.last_label = saved  # the line below labels something else
        for f in bare:
            reader.reasons.pop(f.start, None)
    # a value and its label on one line, the value first: "$50,710<TAB>Median salary (May 2021)"
    first = _starts_with_figure(reader, line)
    if first is not None:
        value_end = max(f.end for f in listed_figures)
        rest = reader.text[value_end:line.end]
        unit = P.UNIT_SUFFIX.match(rest)
        rest_start = value_end + (unit.end() if unit else 0)
        rest = reader.text[rest_start:line.end].strip(" \t·|:–—-")
        head = reader.text[line.start:listed_figures[0].start]
        if rest and not head.strip(" ~≈(") and len(rest) <= 60 and _label_line(
                reader, replace(line, start=rest_start, text=rest)):
            if read_labelled(reader, ctx, i, rest, listed_figures, (line.start, line.end),
                             method="value-label", extra=_descriptor_sense(rest)):
                return 1
    # a value that continues the label-value line above: "$20.90 per hour"
    first = _starts_with_figure(reader, line)
    if first is not None and ctx.last_label is not None and ctx.last_label[2] >= i - 2 \
            and not LABEL_VALUE.match(line.text) and not _segments(line) and (
                len(line.text) <= 100 or _bare(reader, line)):
        s, label, _ = ctx.last_label
        quote_start = lines[ctx.last_label[2]].start
        if read_labelled(reader, ctx, i, label, listed_figures, (quote_start, line.end),
                         method="label-next-line"):
            ctx.last_label = (s, label, i)
            _descriptor(reader, ctx, i)
            return 1
        ctx.last_label = None  # "424,040 welders … employed" under "Average: $26.49/hr"
    # items of a line of facts: "28,660 jobs · median $46.74 an hour · mean …"
    segments = _segments(line)
    whole = LABEL_VALUE.match(line.text)
    wordy = [x for x in segments[1:] if not _bare(reader, replace(
        line, start=x[0], end=x[1], text=reader.text[x[0]:x[1]]))]
    if segments and (len(listed_figures) >= 2 or ctx.related) and not (
            whole and L.sense(_label_part(whole.group("label"))).says_something
            and not SEGMENT.search(whole.group("label")) and not wordy
            and not re.search(r"(?:" + SEGMENT.pattern + r")[^:·|]{1,40}:", whole.group("value"))):
        for a, b in segments:
            _read_segment(reader, ctx, i, a, b, (line.start, line.end))
        return 1
    labelled = LABEL_VALUE.match(line.text)
    if labelled and re.search(r"[.;]\s+[A-Z][^:.]{0,40}:\s*\S", labelled.group("value")):
        labelled = None  # "Hourly midpoint: $16.81. Mean: $20.09.": a label per sentence
    if labelled and len(labelled.group("label").split()) > 4 and LABEL_VERBS.search(
            labelled.group("label")):
        labelled = None  # "Most openings come from turnover …: the occupation will add …"
    if labelled and len(labelled.group("value")) > 80 and SENTENCE_VERBS.search(
            labelled.group("value")) and re.search(r"\b[a-z]+\s+[a-z]+\s+[a-z]+\s+[a-z]+\b",
                                                   labelled.group("value")):
        labelled = None  # "Outlook: Oregon employment … is projected to grow …": a lead-in
    if labelled and len(labelled.group("label").split()) <= 12 and not labelled.group(
            "label").rstrip().endswith((".", "!", "?")):
        value_start = line.start + labelled.start("value")
        value_figures = [f for f in listed_figures if f.start >= value_start]
        label_figures = [f for f in listed_figures if f.start < value_start]
        if value_figures and read_labelled(reader, ctx, i, labelled.group("label"),
                                           value_figures, (line.start, line.end)):
            for f in label_figures:
                reader.skip(f, "a figure in a label")
            return 1
    # a quick-facts box flattened onto one line: "Median pay (May 2024) $99,590 Mean pay
    # $107,050 Hourly median $47.88 Jobs, 2024 368,900 …": each figure's label is the
    # words since the figure before it
    if _inline_facts(reader, ctx, i, line, listed_figures):
        return 1
    # a label and its figure separated by one space: "Number of Jobs, 2023 133,900"
    head = line.text[:listed_figures[0].start - line.start]
    if head.strip() and _single_space_label(reader, line, listed_figures):
        if read_labelled(reader, ctx, i, head, listed_figures, (line.start, line.end)):
            return 1
    # a bare figure in a section whose heading says what it is ("Beginner" / "$49K – $63K"),
    # perhaps with a line under it that says more ("the top 10% earn more")
    if bare and (ctx.section.get("level") or ctx.pay_context) and all(
            f.kind == "money" for f in bare):
        below = lines[i + 1] if i + 1 < len(lines) else None
        extra = L.Sense()
        consumed = 1
        if below is not None and not below.blank and len(below.text) <= 60 and not [
                f for f in reader.line_figures(below) if f.kind in ("money", "count")] \
                and not _label_line_strict(below.text):
            extra = _descriptor_sense(below.text)
            for f in reader.line_figures(below):
                if f.kind == "percent":
                    reader.skip(f, "a percentile label")
            consumed = 2
        for f in bare:
            statistic = extra.statistic if extra.metric in ("wage", "") else ""
            value = f.low if statistic in ("p75", "p90", "median") and f.is_range \
                and f.high is None else None
            claim = reader.claim(f, metric="wage", quote=(line.start, line.end),
                                 method="section-value", context=ctx, line=i, value=value,
                                 unit=f.unit_hint or extra.unit, period=extra.period,
                                 statistic=statistic or ("range" if f.is_range else ""))
            if claim is not None:
                _grouped(ctx, i, claim, ctx.section_words.partition("=")[2])
        return consumed
    if bare and not ctx.job_ad:
        # a bare figure nobody labels: kept only if the page states it elsewhere with its
        # statistic (see _infer_statistics)
        for f in bare:
            if f.kind == "money":
                claim = reader.claim(f, metric="wage", quote=(line.start, line.end),
                                     method="bare-value", context=ctx, line=i)
                if claim is not None:
                    reader.provisional.add(claim.claim_id)
        return 1
    _prose(reader, ctx, i)
    return 1


PARAGRAPH = re.compile(r"[a-z][.!?]\s+[A-Z]")


def _paragraph(line: Line, figures: list) -> bool:
    """A line of running sentences: long, two sentences or more, words before its first
    figure, and none of the marks that set labels, cells or list items apart."""
    text = line.text
    return (len(text) > 150 and "\t" not in text and "·" not in text and "|" not in text
            and ":" not in text[:60] and bool(PARAGRAPH.search(text))
            and len(text[:figures[0].start - line.start].split()) >= 6)


def _inline_facts(reader: Reader, ctx: Context, i: int, line: Line, figures: list) -> bool:
    """Labels and figures run together on one line; False unless it reads as such: three
    figures or more, each after a short label that names something, no sentence."""
    if len(figures) < 3 or re.search(r"[.!?](?:\s|$)", line.text):
        return False
    pieces = []
    at = line.start
    for f in figures:
        label = reader.text[at:f.start]
        unit = P.UNIT_SUFFIX.match(label) if pieces else None
        label = label[unit.end():] if unit else label  # "… $107,050 a year Hourly median"
        label = label.strip(" ,;·|")
        if not label or len(label.split()) > 9 or LABEL_VERBS.search(
                re.sub(r"\bMay\s+(?:19|20)\d{2}", "", label)):
            return False
        pieces.append((label, f))
        at = f.end
    if sum(1 for label, _ in pieces if L.sense(_label_part(label)).says_something) < len(pieces) - 1:
        return False
    for label, f in pieces:
        read_labelled(reader, ctx, i, label, [f], (line.start, line.end), method="label-value")
    tail = reader.text[at:line.end]
    for metric, pattern in CATEGORY_LABELS:
        m = pattern.search(tail)
        if m:
            _categorical(reader, ctx, i, metric, tail[m.end():].strip(), (line.start, line.end),
                         "label-value", at + m.end() + (len(tail[m.end():]) -
                                                          len(tail[m.end():].lstrip())))
            break
    return True


def _label_below(reader: Reader, i: int) -> bool:
    """Whether the labels of a run of bare values and label lines come after their values
    ("$49K" / "Entry / low" / "$91K" / "Median") rather than before them ("Beginner" /
    "$49K – $63K" / "Mid-level" / "$63K – $124K"): pairing value-then-label leaves no value
    without a label at the end of the run."""
    lines = reader.lines
    j = i
    while j + 1 < len(lines) and _bare(reader, lines[j]) and _label_line(reader, lines[j + 1]):
        j += 2
    return not (j < len(lines) and _bare(reader, lines[j]))


def _single_space_label(reader: Reader, line: Line, figures: list) -> bool:
    """A line that is a short label, its figure(s) and at most a few words of unit."""
    first, last = figures[0], figures[-1]
    head = line.text[:first.start - line.start].strip()
    tail = line.text[last.end - line.start:].strip()
    if len(head.split()) > 9 or head.endswith((".", "!", "?")) or len(tail.split()) > 6:
        return False
    if re.search(r"[a-z][.!?]\s", head) or prose.NOT_JOBS_AFTER.match(tail.lstrip("(")):
        return False  # "… jobs brief. Join 22,500 subscribers.", "(186 posted this week)"
    value = replace(line, start=first.start, text=line.text[first.start - line.start:])
    if len(figures) > 1 and not _bare(reader, value):
        return False  # "the median came to $43,600. Salaries ranged from …": prose
    if re.search(r"\b(?:is|are|was|were|has|have|had|will|can|earn|earned|made|make|paid)\b",
                 head, re.I):
        return False
    return L.sense(_label_part(head)).says_something or bool(_level_label(head))


def _label_line(reader: Reader, line: Line) -> bool:
    """A line that labels a figure next to it: short, no figure, names a metric."""
    if line.blank or len(line.text) > 70 or line.text.endswith((".", "!", "?")):
        return False
    if [f for f in reader.line_figures(line) if f.kind in ("money", "count")]:
        return False
    s = L.sense(re.sub(r"\b(?:19|20)\d{2}\b|\b10%|\b90%", " ", line.text))
    return s.says_something or bool(_level_label(line.text))


def _descriptor_sense(text: str) -> L.Sense:
    """What a line under a value says of it: "per year, May 2021", "median, $25.57/hr",
    "the top 10% earn more"."""
    s = L.sense(text)
    statistic = L.percentile_of(text)
    if statistic:
        s = L.Sense(metric="wage", statistic=statistic, unit=s.unit, period=s.period)
    return s


def _descriptor(reader: Reader, ctx: Context, i: int) -> None:
    """A line under a value that says its unit, period or percentile ("per year, May
    2021", "the top 10% earn more") and holds no amount of its own."""
    if i + 1 >= len(reader.lines):
        return
    below = reader.lines[i + 1]
    if below.blank or [f for f in reader.line_figures(below) if f.kind in ("money", "count")]:
        return
    for f in reader.line_figures(below):
        if f.kind == "percent":
            reader.skip(f, "a percentile label")


WORDY_CUES = P.Sifted(re.compile(r"percentile|followed\s+by|licen[sc]|certif|degree|diploma|award|"
                        r"credential|education|experience|training|years?\b|area\s*:|related|"
                        r"similar|:\s*$", re.I))
"""What a long line without figures must hold for any rule to read it."""


def _read_wordy_line(reader: Reader, ctx: Context, i: int, tables: dict) -> int:
    """A line with no figure: a heading, a place, a label for the next line, a legend, a
    key, a categorical fact, or prose (a licence statement)."""
    lines = reader.lines
    line = lines[i]
    text = line.text
    figures = reader.line_figures(line)
    if len(text) > 100 and not WORDY_CUES.found(text):
        return 1  # a paragraph with no figure, no key, legend, licence or education
    key = _percentile_key(text) if _group_above(ctx, i) else []
    if key and _apply_key(reader, ctx, i, key):
        return 1
    legend = _legend(text)
    if legend:
        ctx.legend = legend
        return 1
    area = AREA_LINE.search(text)
    if area:
        place, _ = prose.place_of("in " + area.group("place"))
        if place and not place.startswith("foreign:"):
            ctx.section = {**ctx.section, "geography": place}
    place = _place_line(line) if len(text) <= 70 else None
    if place is not None:
        geography, words = place
        if geography.startswith("foreign:"):
            ctx.foreign = words
            ctx.place = None
        else:
            ctx.foreign = ""
            ctx.place = (geography, words, i)
        return 1
    ladder = LADDER_ITEM.match(text)
    if ladder:
        return _ladder(reader, ctx, i, line, ladder)
    if _is_word_table_header(reader, line):
        consumed = _word_table(reader, ctx, i, line)
        if consumed > 1:
            return consumed
    heading = LIST_HEADING.match(text)
    if heading and not _categorical_line(reader, ctx, i):
        _list_heading(ctx, i, heading.group("label"))
        if len(text) > 60:
            _prose(reader, ctx, i)
        return 1
    if _categorical_line(reader, ctx, i):
        return 1
    if _is_heading(line, figures):
        ctx.foreign = ctx.foreign if not _major_or_place(line) else ""
        level = _level_heading(text)
        place = _geography_heading(text)
        if level:
            ctx.section, ctx.section_words = {"level": level}, f"level={text}"
            ctx.section_block = line.block  # a level card's heading: the card is its section
            return 1
        if place:
            ctx.section = {"geography": P.normalise_geography(place)}
            ctx.section_words = f"geography={place}"
            return 1
        if PAY_SECTION.match(re.sub(r"^[\d.#\s]+", "", text)):
            ctx.pay_context = True
            ctx.unit = _prose_unit(text)
        consumed = _label_next_line(reader, ctx, i, line)
        if consumed:
            return consumed
        s = L.sense(text)
        if s.metric and L.dimension_of(text):
            _list_heading(ctx, i, text)  # "TOP-PAYING INDUSTRIES (median pay)"
            return 1
    _prose(reader, ctx, i)  # a licence statement: "License or certification required"
    return 1


def _prose_unit(text: str) -> str:
    """The unit a heading names outright ("2. By the hour", "Annual pay"), not one a word
    such as "salary" suggests."""
    if re.search(r"\bby\s+the\s+hour\b|\bhourly\b|\bper\s+hour\b", text, re.I):
        return "USD/hour"
    if re.search(r"\bannual\b|\byearly\b|\bper\s+year\b|\bby\s+the\s+year\b", text, re.I):
        return "USD/year"
    return ""


def _major_or_place(line: Line) -> bool:
    return line.major or bool(MAJOR_HEADING.match(line.text))


def _categorical_line(reader: Reader, ctx: Context, i: int) -> bool:
    """A categorical quick fact: "Typical Entry-Level Education High school diploma or
    equivalent", "Typical Education: Doctoral or professional degree"."""
    line = reader.lines[i]
    text = line.text
    labelled = LABEL_VALUE.match(text)
    if labelled and len(labelled.group("label").split()) <= 8:
        label, value = labelled.group("label"), labelled.group("value")
        s = L.sense(_label_part(label))
        if s.metric in ("education", "experience", "training_duration", "certification_required",
                        "education_duration"):
            if s.metric == "education" and P.LEVEL.search(label) and not re.search(
                    r"entry[\s-]level\s+education|typical|required|minimum", label, re.I):
                pass
            return _categorical(reader, ctx, i, s.metric, value, (line.start, line.end),
                                "label-value", line.start + labelled.start("value"))
        return False
    for metric, pattern in CATEGORY_LABELS:
        m = pattern.match(text)
        if m and m.end() < len(text) and text[m.end()] == " ":
            value = text[m.end():].strip()
            if metric == "education" and not P.find_education(value):
                continue
            if metric == "experience" and not (EXPERIENCE_CATEGORIES.match(value)
                                               or P.find_durations(value)):
                continue
            if metric == "training_duration" and not (TRAINING_CATEGORIES.match(value)
                                                      or P.find_durations(value)):
                continue
            return _categorical(reader, ctx, i, metric, value, (line.start, line.end),
                                "label-value", line.start + m.end() + 1)
    return False


def _list_heading(ctx: Context, index: int, label: str) -> None:
    ctx.list_line = index
    s = L.sense(label)
    ctx.list_sense = s if s.metric else None
    ctx.list_dimension = L.dimension_of(label) if s.metric else ""


TRAILING_PARENTHESES = re.compile(r"\s*\([^)]*\)$")


def _level_heading(text: str) -> str:
    """The level a whole-line heading names ("Senior Level", "Beginner"), else ""."""
    m = P.LEVEL.fullmatch(TRAILING_PARENTHESES.sub("", text.strip()))
    return P.normalise_level(text) if m else ""


def _geography_heading(text: str) -> str:
    """The place a heading such as "Pay in California" is about, else ""."""
    m = P.PLACE.search(text)
    if m and L.sense(text).metric == "wage":
        return m.group("place")
    return ""


def _label_next_line(reader: Reader, ctx: Context, index: int, line: Line) -> int:
    """A label whose value is alone on the next line ("Median Annual Pay" / "$48,780"),
    with perhaps a line under the value that says its unit or period."""
    lines = reader.lines
    if index + 1 >= len(lines):
        return 0
    nxt = lines[index + 1]
    if nxt.blank or LADDER_ITEM.match(nxt.text):
        return 0
    if P.find_education(line.text) or P.find_durations(line.text):
        return 0  # "Associate Degree in …" names a value itself, not a field
    s = L.sense(_label_part(line.text))
    first = _starts_with_figure(reader, nxt)
    if s.metric in ("education", "experience", "training_duration", "education_duration",
                    "certification_required") and not first:
        found = P.find_education(nxt.text)
        durations = P.find_durations(nxt.text)
        starts = (found and found[0][1] == 0) or (durations and durations[0].start == 0)
        if len(nxt.text) > 80 and not starts:
            return 0  # a heading over a paragraph: its sentences are read as prose
        if _categorical(reader, ctx, index, s.metric, nxt.text, (line.start, nxt.end),
                        "label-next-line", nxt.start):
            ctx.last_label = (s, line.text, index)
            return 2
        return 0
    if first is None:
        if s.says_something and len(nxt.text) <= 80:
            ctx.last_label = (s, line.text, index)  # not a heading over a paragraph
        return 0
    if LABEL_VALUE.match(nxt.text) and not _bare(reader, nxt):
        return 0
    if len(nxt.text) > 80 and not _bare(reader, nxt):
        return 0  # "Outlook" over a paragraph: a heading, not a label
    value_figures = [f for f in reader.line_figures(nxt) if listed(f)]
    extra = None
    end = nxt.end
    consumed = 2
    if index + 2 < len(lines) and not lines[index + 2].blank and _bare(reader, nxt):
        below = lines[index + 2]
        if not [f for f in reader.line_figures(below) if f.kind in ("money", "count")] \
                and len(below.text) <= 60 and not _label_line_strict(below.text):
            extra = _descriptor_sense(below.text)  # "per year, May 2021"
            end = below.end
            consumed = 3
            for f in reader.line_figures(below):
                if f.kind == "percent":
                    reader.skip(f, "a percentile label")
    if not (s.says_something or _level_label(line.text) or (
            ctx.list_sense is not None and ctx.list_dimension) or (
            ctx.last_label and MODIFIER_LABEL.match(line.text))):
        return 0
    if not read_labelled(reader, ctx, index, line.text, value_figures, (line.start, end),
                         method="label-next-line", extra=extra):
        return 0
    ctx.last_label = (ctx.last_label[0] if ctx.last_label else s, line.text, index + 1)
    return consumed


def _label_line_strict(text: str) -> bool:
    """A line that is a label of its own (for the figure below it), not a descriptor."""
    s = L.sense(text)
    return bool(s.metric) and not re.match(r"^\s*(?:per|a|an|the|median,|mean,|about)\b", text,
                                           re.I) and s.metric != "wage" or bool(_level_label(text))


def _ladder(reader: Reader, ctx: Context, index: int, line: Line, m: re.Match) -> int:
    """A percentile-ladder rung: the first amount under it is the wage at that rung."""
    statistic = L.statistic_of(m.group("stat")) or "mean"
    level_words = m.group("level").strip()
    j = index + 1
    claimed = False
    while j < len(reader.lines):
        nxt = reader.lines[j]
        if nxt.blank or LADDER_ITEM.match(nxt.text) or INDEX_LINE.match(nxt.text) or (
                LABEL_VALUE.match(nxt.text)) or j - index > 5:
            break
        money = [f for f in reader.line_figures(nxt) if f.kind == "money"]
        if money and not claimed and money[0].start == nxt.start and not money[0].is_range:
            reader.claim(money[0], metric="wage", quote=(line.start, nxt.end),
                         method="percentile-ladder", statistic=statistic,
                         qualifiers={"level": P.normalise_level(level_words)},
                         words=f"level={level_words}")
            claimed = True
        else:
            for f in money:
                # a band printed under the rung's figure ("$31,572 - $38,588") is part of
                # the rung, not a claim of its own
                reader.skip(f, "a band printed under a percentile rung's figure")
        j += 1
    return j - index


STATEMENT_CUES = P.Sifted(re.compile(r"licen[sc]|certif|degree|diploma|award|credential|"
                            r"GED(?<!\wGED)\b|doctora|master|bachelor|associate|ph\.?\s?d", re.I))
"""What a sentence without figures must name for a prose rule to read it. ("GED(?<!\\wGED)" is
"\\bGED": its letters first, so that where no other cue is, the engine skips to a "g" or a
"p" instead of trying both at every character of a paragraph.)"""


SENTENCE_VERBS = P.Sifted(re.compile(
    r"\b(?:is|are|was|were|will|would|projected|expected|earned|earn|made|make|grow|decline|"
    r"rise|fall|add|held|hold)\b", re.I))
"""Verbs that make the words after a colon a sentence to read by its words, not a value:
"(2) National outlook, 2023-2033: employment … is projected to decline 7 percent"."""


def _prose(reader: Reader, ctx: Context, i: int) -> None:
    """The sentences of a line: each figure read by its words; a sentence that is a label
    and its value ("Hourly midpoint: $16.81.") read as one."""
    line = reader.lines[i]
    text = reader.text[line.start:line.end]
    statements = STATEMENT_CUES.found(text)
    if not statements and not reader.line_figures(line):
        return  # no figure, and no licence or education statement
    paragraph_period = None
    sentence = ""
    for a, b in prose.sentences(text):
        before, sentence = sentence, text[a:b]
        base = line.start + a
        stating = statements and STATEMENTS.could_match(sentence)
        education = _education_statement(sentence) if stating else None
        if education is not None:
            category, x, y = education
            reader.claim(None, metric="education", figure_text=sentence[x:y], figure_start=base + x,
                         value_text=category, unit="category",
                         quote=(base, base + len(sentence.rstrip())), method="sentence",
                         cites=_credited(sentence, before), context=ctx, line=i)
        stated = P.certification_statement(sentence) if stating else None
        if stated is not None:
            required, x, y = stated
            reader.claim(None, metric="certification_required", figure_text=sentence[x:y],
                         figure_start=base + x, value_text="yes" if required else "no",
                         unit="boolean", quote=(base, base + len(sentence.rstrip())),
                         method="sentence", cites=_credited(sentence, before), context=ctx,
                         line=i)
        figures = [f for f in reader.within(base, base + len(sentence))
                   if f.kind != "number" or P.is_count(f) or re.match(
                       r"\s*(?:jobs|workers|employees|people|positions)\b",
                       reader.text[f.end:f.end + 12], re.I)]
        if not figures:
            continue
        labelled = LABEL_VALUE.match(sentence.rstrip(". "))
        if labelled and len(labelled.group("label").split()) <= 6 and labelled.group("sep").strip() \
                and all(f.start >= base + labelled.start("value") for f in figures) \
                and not SENTENCE_VERBS.search(labelled.group("value")):
            if read_labelled(reader, ctx, i, labelled.group("label"), figures,
                             (base, base + len(sentence.rstrip()))):
                continue
        prose.read_sentence(reader, ctx, base, sentence, _credited(sentence, before), figures,
                            paragraph_period)
        periods = P.find_periods(sentence)
        if any(f.kind == "money" for f in figures):
            said = [p for p in periods if p.first is not None and p.first == p.last]
            paragraph_period = said[-1] if said else paragraph_period
        spans = [p for p in periods if p.first is not None and p.first != p.last]
        if spans:
            ctx.paragraph_span = spans[-1]
    ctx.paragraph_period = None
    ctx.paragraph_span = None


def _credited(sentence: str, before: str) -> str:
    """The agency a sentence credits for its figures, else the one the sentence before it
    credits ("According to the BLS, … . They also report …"). Looked for only where a
    sentence states something: most state nothing."""
    return prose.cites_of(sentence) or prose.cites_of(before)


TYPICAL_EDUCATION = P.Sifted(re.compile(
    r"\b(?:typical(?:ly)?|usual(?:ly)?|entry[\s-]level\s+(?:education|credential)|"
    r"entry\s+requirement|minimum\s+(?:education|requirement)|most\s+(?:\w+\s+)?need|"
    r"no\s+formal\s+educational\s+credential)\b", re.I))
"""What makes an education level named in a sentence the occupation's typical entry-level
education: "The typical entry-level credential is a postsecondary nondegree award"."""


STATEMENTS = P.Sifted(re.compile("|".join(f"(?:{p.regex.pattern})" for p in (
    TYPICAL_EDUCATION, P.CERTIFICATION_NOT_REQUIRED, P.CERTIFICATION_REQUIRED)), re.I))
"""The patterns of a sentence's education and licence statements at once: a sentence
holding none of the strings they need states neither (most sentences of a paragraph)."""


def _education_statement(sentence: str) -> tuple[str, int, int] | None:
    """(category, start, end) of the typical education a sentence states, else None."""
    cue = TYPICAL_EDUCATION.search(sentence)
    if cue is None:
        return None
    found = [e for e in P.find_education(sentence) if e[1] >= cue.start()]
    if not found or len({e[0] for e in found}) > 1:
        return None  # "a certificate, an associate degree, or even a bachelor's": no one level
    return found[0]


def _infer_statistics(reader: Reader) -> None:
    """A wage figure stated without its statistic takes the statistic the page gives the
    same figure elsewhere: a card's "Starting pay $18.52/hr" is the table's 10th
    percentile $18.52."""
    known: dict[tuple, set[str]] = {}
    for c in reader.claims:
        if c.metric == "wage" and c.value is not None and c.statistic not in (
                "unspecified", "range") and c.method != "sentence":
            known.setdefault((c.unit, c.value), set()).add(c.statistic)
    for i, c in enumerate(reader.claims):
        if c.metric != "wage" or c.value is None or c.statistic != "unspecified" or c.method not in (
                "label-next-line", "value-label", "bare-value", "section-value", "label-value"):
            continue
        found = known.get((c.unit, c.value), set())
        if len(found) == 1:
            reader.claims[i] = reader.rebuilt(c, statistic=next(iter(found)), method=c.method,
                                              qualifier_text=(c.qualifier_text + ("; " if
                                                              c.qualifier_text else "") +
                                                              "statistic=as the same figure "
                                                              "elsewhere on the page"))
            if c.claim_id in reader.provisional:
                reader.provisional.discard(c.claim_id)


RESTATED = re.compile(r"(?:\b(?:about|roughly|around|approximately|nearly|some|comes?\s+to|"
                      r"works?\s+out\s+to|that's|that\s+is|equals?|or)|=|≈|~)\s*$", re.I)
"""Words before an amount that make it a conversion: "… comes to about $4,787 a month"."""

DIVISORS = {"USD/month": (12, 10, 9), "USD/week": (52,)}
"""How a page turns a year's pay into a month's or a week's: twelve months (ten or nine for
a school year), 52 weeks."""


def _drop_restatements(reader: Reader) -> None:
    """A month's or a week's pay that is a year's pay on the same page divided ("$57,440 a
    year comes to about $4,787 a month", "at the median, that is roughly $4,900 a month")
    is the page doing arithmetic, not a figure it states: it becomes a note."""
    yearly = [f.amount for f in reader.figures if f.kind == "money" and f.amount and (
        f.unit_hint == "USD/year" or f.amount >= 1000)]
    hourly = [f.amount for f in reader.figures if f.kind == "money" and f.amount and (
        f.unit_hint == "USD/hour" or (not f.unit_hint and f.amount < 300))]
    drop = set()
    by_start = {f.start: f for f in reader.figures}
    for c in reader.claims:
        if c.metric != "wage" or c.unit not in DIVISORS or c.value is None:
            continue
        anchor = reader.anchors.get(c.claim_id, "@").lstrip("@").split(":")[0]
        figure = by_start.get(int(anchor)) if anchor.isdigit() else None
        before = reader.text[max(0, figure.start - 40):figure.start] if figure else ""
        if figure is not None and c.statistic in ("", "unspecified") and _breakdown_of_year(
                reader, figure, c):
            drop.add(c.claim_id)  # "Estimated salary $108,400 / Monthly $9,033 / Biweekly …"
            continue
        if not RESTATED.search(before) or re.search(r"\b(?:weekly|monthly)\b", before, re.I):
            continue  # "Median weekly earnings were $915": a figure of its own
        for divisor in DIVISORS[c.unit]:
            if any(abs(y / divisor - c.value) <= 0.015 * c.value for y in yearly if y != c.value):
                drop.add(c.claim_id)
                break
        if c.unit == "USD/week" and any(abs(h * 40 - c.value) <= 0.015 * c.value for h in hourly):
            drop.add(c.claim_id)  # "$18 an hour … that is about $720 a week": 40 hours of it
    if not drop:
        return
    reader.claims = [c for c in reader.claims if c.claim_id not in drop]
    for start, ids in list(reader.claimed.items()):
        remaining = [x for x in ids if x not in drop]
        if remaining:
            reader.claimed[start] = remaining
        else:
            del reader.claimed[start]
            reader.reasons[start] = "arithmetic restatement of pay the page states elsewhere"


def _breakdown_of_year(reader: Reader, figure: P.Figure, claim: Claim) -> bool:
    """Whether a month's or a week's pay with no statistic is a year's pay stated just
    above or below it, divided exactly: a calculator's breakdown of one estimate."""
    for other in reader.within(max(0, figure.start - 400), figure.end + 400):
        if other.kind != "money" or not other.amount or other is figure or other.amount < 1000:
            continue
        divisor = 12 if claim.unit == "USD/month" else 52
        if abs(other.amount / divisor - claim.value) <= 0.005 * claim.value + 0.5:
            return True
    return False


def _drop_unexplained(reader: Reader) -> None:
    """Provisional claims (bare figures nobody labelled) that no pass explained become
    unread figures."""
    if not reader.provisional:
        return
    kept = []
    dropped = set()
    for c in reader.claims:
        if c.claim_id in reader.provisional:
            dropped.add(c.claim_id)
        else:
            kept.append(c)
    reader.claims = kept
    for start, ids in list(reader.claimed.items()):
        remaining = [x for x in ids if x not in dropped]
        if remaining:
            reader.claimed[start] = remaining
        else:
            del reader.claimed[start]
            reader.reasons[start] = "no label says what this figure is"


def extract_text(doc: Document) -> list[Claim]:
    """Claims from a plain-text career page, in page order.

    >>> from extractors.document import document_from_bytes
    >>> doc = document_from_bytes("2024 Median Pay: $50,250 per year ($24.16 per hour)".encode(),
    ...                           source_id="demo", path="demo.txt")
    >>> [(c.statistic, c.unit, c.value, c.period) for c in extract_text(doc)]
    [('median', 'USD/year', 50250.0, '2024'), ('median', 'USD/hour', 24.16, '2024')]
    """
    return read_text(doc).claims


def read_text(doc: Document) -> Reading:
    """A plain-text page read: its claims and what became of each figure."""
    if not doc.page_date:
        doc = replace(doc, page_date=P.stated_page_date(doc.text))
    doc = replace(doc, text=unwrapped(doc.text))
    return read_page(doc, split_lines(doc.text), extractor="text")


def unwrapped(text: str) -> str:
    """`text` with the line breaks a capture put inside paragraphs made spaces (so every
    offset stays where it was): "the middle half fell between $47,170 and" / "$76,230".

    A page is wrapped when many of its lines run to about the same width; a break is a
    wrap when the line before it runs to that width and the next line carries on (it does
    not start a list item, a label or a cell, and the line before does not end a label).
    """
    lines = text.split("\n")
    lengths = sorted(len(x.rstrip()) for x in lines if x.strip())
    if len(lengths) < 8:
        return text
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width < 60 or width > 200:
        return text
    full = [len(x.rstrip()) >= 0.8 * width for x in lines]
    if sum(full) < 5:
        return text
    out = list(text)
    at = 0
    for k, line in enumerate(lines[:-1]):
        at += len(line)
        nxt = lines[k + 1]
        body = line.rstrip()
        if full[k] and nxt.strip() and WRAPS_ON.match(nxt) and not WRAP_STOPS.search(line) \
                and not WRAP_STOPS.search(nxt) and "  " not in body.strip() \
                and not body.endswith(":") and (CONTINUES.match(nxt) or (
                    body[-1:].islower() or body.endswith((",", ";"))) and not LABEL_START.match(body)):
            out[at] = " "
        at += 1
    return "".join(out)


WRAPS_ON = re.compile(r"^(?![\s•·▪●◦▸►*–—-]|\d+[.)]\s|[A-Z][^:]{0,40}:(?:\s|$))")
"""A line that can carry on the paragraph above: not indented, not a list item or a
numbered point, not a "Label:"."""
WRAP_STOPS = re.compile(r"[\t|]")
"""Cells: a line of a tab or pipe table is never a paragraph's."""
LABEL_START = re.compile(r"^[A-Z][^:.]{0,40}:\s")
"""A label's line ("Employment: 97,820 …"): the next line starting a sentence is its own."""
CONTINUES = re.compile(r"^[a-z0-9$(“\"'’]")
"""A line that carries on a sentence even after a full stop above ("U.S." / "payrolls")."""


# --- tables of words: a header of column names over rows in one line each ---------------

TABLE_COLUMN = P.Sifted(re.compile(
    r"job\s+level|experience\s+level|level|location|state|city|metro(?:politan)?\s+area|area|"
    r"region|industry|union(?:ized)?(?:\s+status)?|occupation|percentile|salary|pay|wage|"
    r"earnings|income|hourly(?:\s+wage)?|annual(?:\s+wage)?|median|mean|average",
    re.I,
))
VALUE_COLUMN = re.compile(r"salary|pay|wage|earnings|income|hourly|annual|median|mean|average", re.I)


TITLE_WORDS = re.compile(r"\b(?:by|of|for|in|per|and|the|at|a)\b", re.I)


def _is_word_table_header(reader: Reader, line: Line) -> bool:
    """A header of column names separated by single spaces: "Location Job Level Salary
    Unionized"."""
    if not _is_heading(line, reader.line_figures(line)) or TITLE_WORDS.search(line.text):
        return False  # "PAY BY LEVEL" is a title, not column names
    columns = TABLE_COLUMN.findall(line.text)
    if len(columns) < 3:
        return False
    covered = sum(len(c) for c in columns)
    values = sum(1 for c in columns if VALUE_COLUMN.search(c))
    return (len(columns) >= 2 and 0 < values < len(columns)
            and not re.match(r"\s*occupations?\b", line.text, re.I)
            and covered >= 0.6 * len(line.text.replace(" ", "")))


def _word_table(reader: Reader, ctx: Context, index: int, header: Line) -> int:
    """Rows under a header of single-space column names; each row one amount, with the
    words before and after it split among the other columns."""
    columns = [m.group().lower() for m in TABLE_COLUMN.finditer(header.text)]
    value_at = next((k for k, c in enumerate(columns) if VALUE_COLUMN.search(c)), None)
    if value_at is None:
        return 0
    before, after = columns[:value_at], columns[value_at + 1:]
    statistic = L.statistic_of(columns[value_at]) or L.statistic_of(header.text)
    unit = L.unit_of(columns[value_at]) if L.unit_of(columns[value_at]) in (
        "USD/hour", "USD/year") else ""
    periods = P.find_periods(header.text)
    period = periods[0] if periods else None
    j = index + 1
    while j < len(reader.lines):
        row = reader.lines[j]
        money = [f for f in reader.line_figures(row) if f.kind == "money"]
        if not (0 < len(row.text) <= 140 and not row.text.endswith((".", "!", "?", ":"))) \
                or not money:
            break
        figure = money[0]
        cells = _split_cells(reader.text[row.start:figure.start].strip(), before)
        cells.update(_split_cells(reader.text[figure.end:row.end].strip(), after))
        qualifiers, words = _qualifiers_from_cells(cells)
        reader.claim(figure, metric="wage", quote=(row.start, row.end), method="table-row",
                     statistic=statistic, period=period, unit=figure.unit_hint or unit,
                     qualifiers=qualifiers, words=words, context=ctx, line=j)
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
