"""What the words beside a figure say it is: a label, a column header, a row label, a caption.

`sense(words)` reads a piece of text the way an analyst reads a label: which metric the
figures under it are ("Median annual wage" -> wage), which statistic ("10th percentile",
"50% (Median)", "Entry wage (10th pct.)"), which unit ("Hourly", "per year"), which
period ("Number of Jobs, 2023"), whether they are no claims at all ("Wage RSE",
"Location quotient", "Share of industry jobs"), and, for the label column of a table,
which dimension its rows name ("State", "Industry", "Occupational title").

>>> s = sense("Annual mean wage (2)")
>>> (s.metric, s.statistic, s.unit)
('wage', 'mean', 'USD/year')
>>> sense("Employment per thousand jobs").ignore
'employment per thousand jobs'
>>> sense("State").dimension, sense("50% (Median)").statistic
('geography', 'median')
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields, replace

from extractors import patterns as P

IGNORED = (
    (re.compile(r"\bRSE\b|relative\s+standard\s+error", re.I), "relative standard error"),
    (re.compile(r"\blocation\s+quotient\b|\bLQ\b", re.I), "location quotient"),
    (re.compile(r"\bper\s+(?:thousand|1,?000)\s+jobs\b|\bjobs\s+per\s+(?:thousand|1,?000)\b", re.I),
     "employment per thousand jobs"),
    (re.compile(r"\b(?:percent|share|%)\s+of\s+(?:the\s+)?industry(?:'s)?\b|\bshare\s+of\s+industry\b|"
                r"\bindustry\s+share\b|\bpercent\s+of\s+(?:total\s+)?employment\b|"
                r"\bshare\s+of\s+(?:all\s+)?(?:jobs|employment|workers)\b", re.I),
     "share of industry employment"),
    (re.compile(r"\b(?:cost|costs|tuition|fees?|price|loans?|debt|scholarships?|dues|"
                r"(?<!and\s)(?<!&\s)insurance(?!\s+(?:carriers?|agenc|industr|compan))|premiums?|deductions?|fringe|contributions?|take[\s-]home|"
                r"after\s+tax(?:es)?|withholding)\b", re.I),
     "a price, not pay"),
    (re.compile(r"\bminimum\s+wage\b", re.I), "a legal minimum, not a statistic of pay"),
    (re.compile(r"\b(?:rank|ranking|score|rating|reviews?|views|replies|likes?)\b", re.I),
     "a rank or a score"),

    (re.compile(r"\bcomparison\s+to\s+(?:the\s+)?national\b|\bvs\.?\s+national\b|"
                r"\b(?:above|below)\s+(?:the\s+)?national\b", re.I),
     "a comparison, not a figure"),
)
"""Column and label words whose figures are never claims, with the reason."""
IGNORED = tuple((P.Sifted(pattern), reason) for pattern, reason in IGNORED)  # most words hold none
_ANY_IGNORED = P.Sifted(re.compile("|".join(f"(?:{p.regex.pattern})" for p, _ in IGNORED), re.I))
"""All of them at once: one look for the strings any of them needs rules out most words."""

METRIC_WORDS = (
    ("annual_openings", re.compile(r"\bopenings?\b|\bjob\s+openings\b", re.I)),
    ("employment_change", re.compile(
        r"\bemployment\s+change\b|\bjob\s+change\b|\bnew\s+jobs\b|\bjobs?\s+added\b|"
        r"\bchange\s+in\s+(?:employment|jobs)\b|\bnumeric\s+change\b|"
        r"\bchange\b[^%]{0,20}\b(?:numeric|number)\b|"
        r"^\W*(?:projected\s+)?change\s*,?\s*\(?(?:19|20)\d\d(?![^%]*(?:%|percent))",  # "Change, 2024–34"
        re.I)),
    ("employment_growth", re.compile(
        r"\bjob\s+outlook\b|\bgrowth\b|\boutlook\b|\bprojected\s+(?:change|growth)\b|"
        r"\bpercent\s+change\b|\bchange\b.{0,20}(?:\bpercent\b|%)|\bemployment\s+projections?\b",
        re.I)),
    ("training_duration", re.compile(r"\bon[\s-]the[\s-]job\s+training\b", re.I)),
    ("education_duration", re.compile(
        r"\b(?:education\s+duration|program\s+length|time\s+to\s+complete|training\s+time)\b",
        re.I)),
    ("wage", re.compile(
        r"\b(?:pay|paying|salary|salaries|wages?|earnings?|compensation|income|"
        r"paycheck|rate)\b|"
        r"\b(?:how\s+much|what)\s+(?:do|does|can|will|could|did)\b[^?.]{0,60}?"
        r"\b(?:earn|make|get\s+paid)\b", re.I)),  # "How much do welders earn in Ohio?"
    ("employment", re.compile(
        r"\bnumber\s+of\s+jobs\b|\bjobs?\b|\bemploy(?:ment|ed|-\s*ment)\b|\bemploy\.?$|"
        r"\bon\s+payrolls\b|\bworkers\b|\bheadcount\b|\bpositions\b", re.I)),
    ("experience", re.compile(r"\bexperience\b", re.I)),
    ("certification_required", re.compile(
        r"\b(?:licen[sc]e|licensing|licensure|certifications?)\b", re.I)),
    ("education", re.compile(r"\b(?:education|degree|credential|schooling)\b", re.I)),
)
"""Words that name a metric, most specific first."""
METRIC_WORDS = tuple((name, P.Sifted(pattern)) for name, pattern in METRIC_WORDS)
"""Each tried only on words that hold a string it needs: a label names one metric at most,
and the engine tried every other's alternatives case-insensitively at each character."""

DIMENSIONS = (
    ("soc", re.compile(r"^\s*(?:SOC(?:\s+code)?|code|occ\.?\s+code)\s*$", re.I)),
    ("occupation", re.compile(r"\boccupations?\b|\boccupational\s+title\b|\bjob\s+title\b|"
                              r"^\s*title\s*$", re.I)),
    ("industry", re.compile(r"\bindustr(?:y|ies)\b|\bsectors?\b|\bsetting\b", re.I)),
    ("geography", re.compile(r"\b(?:states?|locations?|cit(?:y|ies)|metro(?:politan)?(?:\s+areas?)?|"
                             r"areas?|regions?|county|counties|place)\b", re.I)),
    ("percentile", re.compile(r"^\s*percentiles?\b", re.I)),
    ("level", re.compile(r"\blevels?\b|\bstage\b|\bcareer\s+stage\b", re.I)),
    ("unit", re.compile(r"^\s*(?:pay|wage|rate|salary)?\s*(?:period|type|basis|frequency)\s*$",
                        re.I)),  # "Pay Period": its rows say Hourly or Yearly
)
"""What the rows of a table's label column name, by its header."""
DIMENSIONS = tuple((name, P.Sifted(pattern)) for name, pattern in DIMENSIONS)  # as METRIC_WORDS

PERCENTILE_LABEL = re.compile(
    r"^\s*(?P<n>10|25|50|75|90)(?:st|nd|rd|th)?\s*(?:%|percent(?:ile)?|pct\.?|%\s?ile)?"
    r"(?:\s*\(\s*median\s*\))?\s*$",
    re.I,
)
"""A row or column that is only a percentile: "10%", "50% (Median)", "90th percentile"."""

PERCENTILE_WORDS = P.Sifted(re.compile(
    r"\b(?P<n>10|25|50|75|90)(?:st|nd|rd|th)\s*(?:%\s?ile|percentile|pct\.?)(?!\w)"
    r"|\b(?P<n2>10|25|50|75|90)(?:%|\s*percent)\s*(?:\(\s*median\s*\))?(?=\s*(?:$|\(|\||\)\s*$))",
    re.I,
))
"""A percentile inside a longer label: "Entry wage (10th pct.)", "median (50th percentile)"."""

SIDE_PERCENTILE = P.Sifted(re.compile(
    r"\b(?P<side>lowest|bottom|highest|top|best|worst|least|low|high)(?:[\s-]+(?:paid|earning|"
    r"earners))?\s+(?:(?P<n>10|25|ten|twenty[\s-]?five)\s*(?:%|percent)|"
    r"(?P<part>tenth|quarter|decile|quartile)\b)"
    r"|\b(?P<side3>first|1st|lower|ninth|9th|third|3rd|upper)\s+(?P<part3>decile|quartile)\b",
    re.I,
))
"""A percentile by its side: "Bottom 10%", "the highest 10 percent", "the top ten percent",
"the best-paid tenth", "Lowest decile", "Upper quartile", "first quartile"."""

MIDDLE_HALF = P.Sifted(re.compile(r"\bmiddle\s+(?:half\b|50\s*(?:%|percent\b))|\binterquartile\b|"
                         r"\bhalf\s+of\s+(?:all\s+)?(?:\w+\s+){0,4}?(?:earned|made|were\s+paid|earn|make)"
                         r"\s+between\b|"
                         r"\b25(?:th)?\s*(?:[-–—]|to)\s*75(?:th)?\s*percentile", re.I))
"""The spread of the middle half: its two ends are the 25th and 75th percentiles."""

MEDIAN_WORDS = P.Sifted(re.compile(r"\bmedian\b|\bmidpoint\b|\bmiddle\s+of\s+the\s+pack\b|\b50th\b",
                                  re.I))
MEAN_WORDS = P.Sifted(re.compile(
    r"(?<!above-)(?<!below-)(?<!above )(?<!below )\b(?:average[sd]?|averaging|mean|avg\.?)(?!\w)",
    re.I))
def astuple_shallow(sense) -> tuple:
    """A sense's fields in order, not copied (dataclasses.astuple would copy the period)."""
    return (sense.metric, sense.statistic, sense.unit, sense.change, sense.ignore,
            sense.dimension, sense.period, sense.level, sense.words)


RANGE_WORDS = P.Sifted(re.compile(r"\brang(?:e|es|ing)\b|\bbands?\b|\bspread\b", re.I))


@dataclass(frozen=True)
class Sense:
    """What a label says about the figures it labels; empty fields say nothing."""

    metric: str = ""  # wage, employment, employment_growth, annual_openings, …
    statistic: str = ""  # median, mean, p10 … p90, range, change
    unit: str = ""  # USD/hour, USD/year, USD/month, USD/week, count, percent
    change: bool = False  # a change in the number of jobs ("Employment Change, 2023-33")
    ignore: str = ""  # why its figures are no claims
    dimension: str = ""  # what a label column's rows name: geography, industry, occupation, …
    period: P.Period | None = None
    level: str = ""
    words: str = ""  # keep astuple_shallow in step with these fields

    def merged(self, other: "Sense") -> "Sense":
        """This sense with the empty fields filled from `other`."""
        mine, theirs = astuple_shallow(self), astuple_shallow(other)
        if not any(theirs):
            return self
        if not any(mine):
            return other
        return Sense(*(a if a else b for a, b in zip(mine, theirs)))

    @property
    def says_something(self) -> bool:
        return bool(self.metric or self.statistic or self.ignore)


def percentile_of(words: str) -> str:
    """The statistic a percentile label names, else "".

    >>> percentile_of("Entry wage (10th pct.)"), percentile_of("Top 10%"), percentile_of("50% (Median)")
    ('p10', 'p90', 'median')
    >>> percentile_of("Lowest decile"), percentile_of("Upper quartile"), percentile_of("High (90%)")
    ('p10', 'p75', 'p90')
    >>> percentile_of("the top ten percent"), percentile_of("the bottom twenty-five percent")
    ('p90', 'p25')
    """
    m = SIDE_PERCENTILE.search(words)
    if m:
        side = (m.group("side") or m.group("side3")).lower()
        part = (m.group("part") or m.group("part3") or "").lower()
        if m.group("side3"):
            low = side in ("first", "1st", "lower")
            if part == "quartile" and side in ("ninth", "9th"):
                return ""
            if part == "decile" and side in ("third", "3rd"):
                return ""
        else:
            low = side in ("lowest", "bottom", "worst", "least", "low")
        n = m.group("n") or ("10" if part in ("tenth", "decile") else "25")
        if not n.isdigit():  # spelt out: "ten", "twenty-five"
            n = "10" if n.lower() == "ten" else "25"
        return {("10", True): "p10", ("25", True): "p25", ("10", False): "p90",
                ("25", False): "p75"}[(n, low)]
    m = PERCENTILE_LABEL.match(words) or PERCENTILE_WORDS.search(words)
    if m:
        n = m.group("n") or m.groupdict().get("n2")
        return "median" if n == "50" else f"p{n}"
    return ""


def statistic_of(words: str) -> str:
    """The statistic `words` name: a percentile, median, mean, or ""."""
    found = percentile_of(words)
    if found:
        return found
    if MEDIAN_WORDS.search(words):
        return "median"
    if MEAN_WORDS.search(words):
        return "mean"
    return ""


MONTHLY_WORDS = P.Sifted(re.compile(r"\bmonthly\b|\bper\s+month\b|/\s*mo(?:nth)?\b", re.I))
WEEKLY_WORDS = P.Sifted(re.compile(r"\bweekly\b|\bper\s+week\b|/\s*w(?:ee)?k\b", re.I))
RATE_WORDS = P.Sifted(re.compile(r"\brate\b|\bby\s+the\s+hour\b", re.I))
SALARY_WORDS = P.Sifted(re.compile(r"\bsalary\b|\bsalaries\b|\byearly\b", re.I))
"""Words that name a unit of pay beside HOURLY and ANNUAL's: "Monthly", "per week", "Rate",
"Salary"."""


def unit_of(words: str) -> str:
    """The pay unit `words` name ("Hourly wage", "per year", "Annual mean wage"), else ""."""
    if MONTHLY_WORDS.search(words):
        return "USD/month"
    if WEEKLY_WORDS.search(words):
        return "USD/week"
    hourly = P.HOURLY.search(words) or RATE_WORDS.search(words)
    annual = P.ANNUAL.search(words) or SALARY_WORDS.search(words)
    if hourly and not annual:
        return "USD/hour"
    if annual and not hourly:
        return "USD/year"
    if hourly and annual:
        # "Annual / hourly mean wage": a cell of both, the annual figure first
        return "USD/year" if annual.start() < hourly.start() else "USD/hour"
    return ""


def metric_of(words: str) -> tuple[str, bool]:
    """(metric, is a change in jobs) that `words` name, else ("", False). Between pay and
    jobs, the one named last is the noun the others qualify: "Wage survey employment" is
    employment, "Employment wage" is pay."""
    for name, pattern in METRIC_WORDS:
        m = pattern.search(words)
        if m:
            if name == "employment_change":
                return "employment", True
            if name == "wage":
                if re.search(r"\bwage\s+(?:and|&)\s+salary\s+(?:employment|jobs|workers)\b", words,
                             re.I):
                    return "employment", False  # the BLS count of wage and salary workers
                jobs = [j for j in _EMPLOYMENT.finditer(words) if j.start() > m.start()
                        and not re.search(r"\b(?:for|in|of|per|by|with|and|or|to|at|from)\b",
                                          words[m.end():j.start()], re.I)]
                if jobs and not _WAGE.search(words, jobs[-1].end()):
                    return "employment", False
            return name, False
    return "", False


_WAGE = dict(METRIC_WORDS)["wage"]
_EMPLOYMENT = re.compile(r"\bemployment\b|\bjobs\b", re.I)


def dimension_of(words: str) -> str:
    for name, pattern in DIMENSIONS:
        if pattern.search(words):
            return name
    return ""


def ignored(words: str) -> str:
    if not _ANY_IGNORED.could_match(words):
        return ""
    for pattern, reason in IGNORED:
        if pattern.found(words):
            return reason
    return ""


def sense(words: str) -> Sense:
    """What `words` (a label, a column header, a row label) say about their figures."""
    return _sense(P.clean(words))


@functools.lru_cache(maxsize=8192)
def _sense(words: str) -> Sense:
    if not words:
        return Sense()
    reason = ignored(words)
    if reason:
        return Sense(ignore=reason, words=words)
    statistic = statistic_of(words)
    metric, change = metric_of(words)
    if not metric and (statistic or MIDDLE_HALF.found(words)):
        metric = "wage"  # "Median", "10th percentile", "Mean": figures of pay on career pages
    if MIDDLE_HALF.found(words):
        statistic = "range"
    elif not statistic and RANGE_WORDS.search(words) and metric == "wage":
        statistic = "range"
    unit = unit_of(words) if metric in ("wage", "") else ""
    if metric == "" and unit:
        metric = "wage"  # "Hourly", "Annual", "Rate"
    if metric == "employment_growth":
        statistic = statistic or "change"
    if change:
        statistic = "change"
    dimension = "" if (metric and not PERCENTILE_LABEL.match(words)) else dimension_of(words)
    if PERCENTILE_LABEL.match(words):
        dimension = ""
    elif re.search(r"\bby\s+(?:percentile|state|area|industry|level|occupation)\b", words, re.I):
        dimension = dimension_of(re.search(r"\bby\s+(\w+)", words, re.I).group(1))
        # "Yearly pay, by percentile": the rows' dimension, and the figures' unit
    periods = P.find_periods(words)
    level = ""
    m = P.LEVEL.search(words)
    if m and metric != "education":
        level = P.normalise_level(m.group())
    return Sense(metric=metric, statistic=statistic, unit=unit, change=change,
                 dimension=dimension, period=periods[0] if periods else None, level=level,
                 words=words)


def with_statistic(s: Sense, statistic: str) -> Sense:
    return replace(s, statistic=statistic)


CAMEL_BOUNDARY = re.compile(r"(?<=[a-z)])(?=[A-Z])")


def split_run_together(header: str) -> list[str]:
    """Column names of a header whose cells were flattened without spaces.

    >>> split_run_together("StateAnnual mean wageHourly mean wageAnnual median wage")
    ['State', 'Annual mean wage', 'Hourly mean wage', 'Annual median wage']
    """
    return [part.strip() for part in CAMEL_BOUNDARY.split(header) if part.strip()]


COLUMN_PHRASES = re.compile(
    r"(?:Employment|Empl\.?|Employ-?\s*ment)\s+per\s+(?:thousand|1,?000)\s+jobs(?:\s*\(\d+\))?"
    r"|(?:Employment|Wage|Mean\s+wage)\s+RSE(?:\s*\(\d+\))?"
    r"|Location\s+quotient(?:\s*\(\d+\))?"
    r"|(?:Percent|Share)\s+of\s+industry\s+(?:employment|jobs)(?:\s*\(\d+\))?"
    r"|(?:(?:Hourly|Annual)\s+)?(?:mean|median|average)\s+(?:hourly\s+|annual\s+)?wage(?:\s*\(\d+\))?"
    r"|(?:Hourly|Annual)\s+(?:wage|pay)(?:\s*\(\d+\))?"
    r"|(?:Entry|Experienced)\s+wage(?:\s*\([^)]*\))?"
    r"|(?:10|25|50|75|90)(?:th)?\s*(?:%|percentile|pct\.?)(?:\s*\(\s*median\s*\))?"
    r"|Employment(?:\s*\(\d+\))?"
    r"|(?:State|Area|Industry|Occupation(?:al\s+title)?|Percentile|Location|Metro(?:politan)?\s+area)"
    r"|(?:Hourly|Annual|Yearly|Median|Mean|Average|Jobs|Openings)\b",  # "State Employment Hourly Annual"
    re.I,
)
"""Column names that pages flatten into one line of single spaces ("State Employment (1)
Employment per thousand jobs Location quotient (9) Hourly mean wage …"), so a header can
be cut back into its columns."""


def split_flattened(header: str) -> list[str]:
    """Column names of a header flattened with single spaces, or [] when it cannot be
    cut into known column names without leftovers.

    >>> split_flattened("State Employment (1) Employment per thousand jobs Location quotient (9) "
    ...                 "Hourly mean wage Annual mean wage (2)")
    ['State', 'Employment (1)', 'Employment per thousand jobs', 'Location quotient (9)', 'Hourly mean wage', 'Annual mean wage (2)']
    >>> split_flattened("Percentile 10% 25% 50% (Median) 75% 90%")
    ['Percentile', '10%', '25%', '50% (Median)', '75%', '90%']
    >>> split_flattened("State Employment Hourly Annual")
    ['State', 'Employment', 'Hourly', 'Annual']
    """
    header = P.clean(header)
    out, at = [], 0
    # each name where the one before ends, past a space (no name begins with one): looked
    # for there alone, not searched for through the rest of a header that is none
    while True:
        start = len(header) - len(header[at:].lstrip())
        if start == len(header):
            return out
        m = COLUMN_PHRASES.match(header, start)
        if m is None:
            return []
        out.append(m.group().strip())
        at = m.end()


OCCUPATION_NAME = re.compile(
    r"^(?P<name>(?:total,\s*)?(?:[A-Za-z][\w ,'’&/-]{0,80}?\b)?(?:occupations|workers|staff|aides|"
    r"\w+(?:ers|ists|ians|ants|ents|ors|ees|als|ics|ives|ians|ysts|nurses)))\s*(?:\(|$)",
    re.I,
)
"""A row or item named for an occupation or a group of them: "Dental hygienists",
"Healthcare practitioners and technical occupations", "Total, all occupations",
"Lawyers (median $145,760/yr)"."""


def occupation_named(label: str) -> str:
    """The occupation `label` names, or ""."""
    words = P.clean(label)
    m = OCCUPATION_NAME.match(words)
    if not m or len(m.group("name").split()) > 9 or re.search(r"\d", m.group("name")):
        return ""
    name = m.group("name")
    head = re.sub(r"\s*\bworkers$", "", name, flags=re.I)  # "Sheet metal workers" is a trade
    if not head or re.match(r"(?:number|count|share|percent|all|total\s+number)\b", head, re.I):
        return ""
    if metric_of(head)[0] or dimension_of(name) in ("geography", "industry"):
        return ""
    return name.strip(" ,")


def same_occupation(a: str, b: str) -> bool:
    """Whether two names are the same occupation ("Dental hygienists", "Dental Hygienists")."""
    def norm(words: str) -> str:
        words = re.sub(r"[^a-z ]", " ", words.lower())
        return " ".join(w[:-1] if w.endswith("s") else w for w in words.split())
    x, y = norm(a), norm(b)
    return bool(x and y) and (x == y or x in y or y in x)
