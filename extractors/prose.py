"""Figures in sentences: what each one is, from the words around it.

Every figure the scanner found in a sentence is looked at, whatever words the sentence
uses. Its clause (the sentence cut at ", while", "; ", ", and" …) is where its cues are:

- money is pay unless its clause makes it a price, a difference ("$4,000 more"), a
  threshold in a footnote, arithmetic ("$125k/year is roughly $10,400/month") or
  another country's; "median", "mean"/"average", "midpoint", a percentile phrase
  ("the lowest 10 percent earned less than", "the bottom tenth made under", "ranged from
  less than X to more than Y", "the middle 50 percent earned between X and Y") give its
  statistic, the nearest first; a clause without one takes the sentence's;
- a count is employment when jobs are held or people counted ("hold more than 2.8
  million jobs", "stood at 2,725,930", "About 45,310 surveyors work"), a change when
  jobs are added or lost ("will add 820,500 jobs", "a loss of roughly 153,700
  positions"), openings when it is openings;
- a percentage is growth when employment grows or declines ("projected to fall about
  5.5 percent", "8% more HVAC jobs"), never a share ("62% of tasks") or a percentile
  ("the top 10%").

Places ("in Texas", "Nationally", "In Norway"), industries ("In fabricated metal product
manufacturing", "Among plastics and rubber products manufacturers"), levels ("New web
developers", "Entry-level") and periods come from the clause, then the sentence.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from extractors import labels as L
from extractors import patterns as P

ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){1,3}$|\b(?:e\.g|i\.e|vs|etc|Dr|Mr|Ms|Mrs|St|No|approx)\.$")
ABBREVIATION_REACH = 8
"""How far back from a sentence's end ABBREVIATION can see: its longest match ("approx.", 7
characters) and the one before, which says whether the match begins a word."""
SENTENCE_END = re.compile(r"[.!?][\"”’)*]*\s+(?=[\"“(*]?[A-Z0-9$])")
CLAUSE_BREAK = re.compile(
    r",\s+(?:while|whereas|but|and|although)\s+|;\s+|\s+while\s+|\s+whereas\s+|\s+·\s+|"
    r",\s+and\s+(?=\S)|\s+—\s+")

LONGEST_SENTENCE = 600
"""Longer "sentences" are flattened tables or run-on text: read clause by clause, so the
work per figure stays bounded."""


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`."""
    spans = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if ABBREVIATION.search(text[max(start, m.start() + 1 - ABBREVIATION_REACH):m.start() + 1]):
            continue
        spans.append((start, m.start() + 1))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for a, b in spans:
        out.extend(_pieces(text, a, b))
    return out


def _pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
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


@functools.lru_cache(maxsize=256)
def clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `sentence` holding the span start..end. (Kept for the last few
    figures: a sentence's figure asks for its clause three times as it is read.)"""
    a = 0
    for m in CLAUSE_BREAK.finditer(sentence, 0, start):
        a = m.end()
    following = CLAUSE_BREAK.search(sentence, end)
    return a, following.start() if following else len(sentence)


# --- cues ----------------------------------------------------------------------------------

PAY_CUES = P.Sifted(re.compile(
    r"\b(?:pay|paid|pays|paying|salary|salaries|wages?|earn|earns|earned|earning|earnings|"
    r"make|makes|made|making|income|compensation|t(?:ake|akes|ook)\s+home|"
    r"br(?:ing|ings|ought)\s+(?:in|home)|averaged?|averages|median|mean|midpoint|"
    r"start|starts|starting|reach|reaches|top(?:ped|s)?\s+out|topped|per\s+hour|an\s+hour|"
    r"clear|clears|gross|grosses|net|nets|pull(?:s)?\s+in|"
    r"a\s+year|per\s+year|hourly|annual|yearly|percentile|lowest|highest|bottom|top|"
    r"tenth|paycheck)\b",
    re.I,
))
"""Words that make money in a sentence pay. Career pages often use none of the obvious
ones: "The national average for bookkeepers is $52,020 per year", "can reach $73K"."""

NOT_PAY = P.Sifted(re.compile(
    r"\b(?:cost|costs|tuition|fees?|price|prices|loans?|debt|spend|spent|budget|scholarships?|"
    r"bonus(?:es)?|grants?|revenue|sales|funding|raised|worth|rent|savings|"
    r"valued|profit|investment|dues|insurance|premiums?|deductions?|deducted|fringe|"
    r"contributions?|take[\s-]home|after\s+tax(?:es)?|minimum\s+wage|standby|on-call|"
    r"differential|stipend|subscribe\s+(?:for|at|now|today)|"
    r"(?:subscription|membership)s?\s+(?:fees?|prices?|plans?|costs?|is|are|starts?|runs?))\b|"
    r"\bI(?:'m|\s+am)?\s+(?:make|making|earn|earning|get|got|made|earned)\b|\bmy\s+(?:salary|pay|"
    r"wage|offer)\b",  # one person's own pay, in a forum or a comment
    re.I,
))
"""Words that make money something other than pay: a price, a bonus, a budget, a
subscription's price ("Subscribe for $9.99/month", "A premium membership is $19 a
month"; not "workers with union membership earn $65,000")."""

TOP_CODE = P.Sifted(re.compile(r"\bat\s+or\s+above\b|\bnot\s+shown\b|\btop[\s-]?coded\b|"
                      r"\bhighest\s+wage\s+the\s+survey\b|\bnot\s+(?:published|available)\b",
                      re.I))
"""A footnote's threshold: "The median is not shown because it is at or above $115.00"."""

RESTATEMENT = re.compile(r"\b(?:is|are|comes?\s+to|works?\s+out\s+to|equals?|means?|"
                         r"that's|roughly|about|approximately)\b|=|≈", re.I)

JOB_COUNT_AFTER = re.compile(
    r"^\s*(?:\w+[\s,-]+){0,8}?(?:jobs?\b(?!\s+(?:openings|growth))|positions\b|workers\b|"
    r"employees\b|people\b(?=.{0,30}\b(?:work|employ|jobs|held|hold|payroll))|"
    r"(?:were|are|was|is)\s+(?:employed|working|on\s+" + r"(?:U\.?S\.?\s+|employer\s+|state\s+)?"
    r"payrolls)|employed\b|on\s+(?:U\.?S\.?\s+|employer\s+|state\s+)?payrolls\b|work\s+in\b|work(?:ed|ing)?\s+(?:in|as|for)\b|"
    r"drew\s+a\s+paycheck|held\s+(?:such\s+)?jobs|that\s+existed|in\s+existence)",
    re.I,
)
"""What follows a count of workers: "2.8 million jobs", "45,310 surveyors work in",
"175,350 analysts were employed", "294,840 hairdressers … drew a paycheck"."""

JOB_COUNT_BEFORE = re.compile(
    r"\b(?:held|hold|holds|holding|stood\s+at|counted|employ|employs|employed|numbered|"
    r"totaled|totalled|from(?:\s+the)?|headcount\s+of|workforce\s+of|employment\s+of|"
    r"payroll\s+(?:count|employment)\s+of|(?:employment|headcount|workforce)\s+(?:reached|hit|"
    r"was|stood\s+at))\s+"
    r"(?:about\s+|roughly\s+|nearly\s+|over\s+|more\s+than\s+|some\s+|approximately\s+|"
    r"around\s+|almost\s+)?$",
    re.I,
)
"""What precedes a count of workers: "held about 657,800", "stood at 2,725,930"."""

CHANGE_BEFORE = re.compile(
    r"\b(?:add|adds|adding|added|gain|gains|gaining|gain\s+of|create|creating|loss\s+of|lose|"
    r"losing|shed|shedding|cut|cutting|increase\s+of|decrease\s+of|decline\s+of|growth\s+of|"
    r"drop\s+of|reduction\s+of|fall\s+of)\s+"
    r"(?:about\s+|roughly\s+|nearly\s+|over\s+|more\s+than\s+|some\s+|approximately\s+|"
    r"around\s+|an\s+estimated\s+)?$",
    re.I,
)
"""What precedes a change in the number of jobs: "will add 820,500", "a loss of roughly"."""

NEW_JOBS_AFTER = re.compile(r"^\s*(?:new|additional|more|fewer)\s+(?:jobs|positions)\b|"
                            r"^\s*(?:more|fewer)\s+(?:by|over|through|between)\b", re.I)
LOSS = re.compile(r"\b(?:loss|lose|losing|shed|shedding|cut|cutting|decline|decrease|fewer|drop|"
                  r"reduction|fall)\b", re.I)

OPENINGS_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,3}?(?:job\s+)?openings\b|^\s*(?:positions|jobs)\s+(?:will\s+)?open\b",
    re.I)

GROWTH = re.compile(
    r"\b(?:grow|grows|growing|growth|grew|increase|increases|increasing|rise|rises|rising|"
    r"projected|project|projects|projection|expand|expands|expansion|add|adding|decline|"
    r"declines|declining|fall|falls|falling|shrink|shrinks|shrinking|decrease|decreases|"
    r"drop|drops|cut|cuts|job\s+outlook|employment\s+change|more\s+\w+\s+jobs|"
    r"(?:more|fewer)\s+jobs)\b",
    re.I,
)
DECLINE = re.compile(
    r"\b(?:decline|declines|declining|fall|falls|falling|shrink|shrinks|shrinking|decrease|"
    r"decreases|drop|drops|cut|cuts|cutting|fewer|loss|lose)\b",
    re.I,
)
NOT_JOBS_AFTER = re.compile(
    r"^\s*(?:subscribers|readers|members|followers|users|views|viewers|visitors|downloads|"
    r"students|graduates|applicants|applications|listings|postings|job\s+(?:ads|postings|listings)|"
    r"companies|employers|reviews|ratings|comments|votes|shares|likes|calls|clicks|"
    r"(?:job\s+)?(?:ads|postings)\b|posted\b|listed\b|results\b)", re.I)
"""What a count is of when it is not jobs or workers: "Join 22,500 subscribers", "(186
posted this week)"."""

THRESHOLD_BEFORE = re.compile(
    r"\b(?:with|having|excluding|exclude[sd]?|leaving\s+out|omit\w*|if|only|at\s+least)\s+"
    r"(?:fewer|less|more|greater)\s+than\s+$|\bat\s+least\s+$", re.I)
"""A count that sets a rule of the page's method: "metros with fewer than 1,000 jobs"."""

SHARE_AFTER = re.compile(r"^\)?\s*(?:of|of\s+the)\b|^\s*(?:of\s+)?(?:all\s+)?\w+\s+(?:earned|made|"
                         r"make|earn)\b|^\)?\s*(?:are|were|is|work)\s+(?:self[\s-]employed|"
                         r"part[\s-]time|union\s+members|women|men)\b", re.I)
"""A percentage followed by "of" is a share, not a change: "62% of tasks"."""

RANGED = P.Sifted(re.compile(r"\brang(?:e|ed|es|ing)\s+from\b", re.I))

NATIONAL_CUE = P.Sifted(re.compile(
    r"\b(?:nationally|nationwide|national(?:ly)?\s+(?:average|median|mean|figure|level)?|"
    r"across\s+(?:the\s+)?(?:country|nation|U\.?S\.?|United\s+States)|"
    r"in\s+the\s+(?:United\s+States|U\.?S\.?|nation|country)|"
    r"(?:U\.?S\.?|United\s+States|American)\b)",
    re.I,
))

FOREIGN_PLACES = (
    "United Kingdom|U\\.K\\.|UK|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|"
    "Ireland|Canada|Canadian|Qu[eé]bec|Ontario|British Columbia|Alberta|Manitoba|Nova Scotia|"
    "Saskatchewan|Australia|New Zealand|Germany|France|Spain|Italy|Portugal|Netherlands|"
    "Belgium|Switzerland|Austria|Norway|Sweden|Denmark|Finland|Iceland|Poland|Czechia|"
    "Czech Republic|Hungary|Greece|Turkey|Israel|India|China|Japan|South Korea|Korea|"
    "Singapore|Hong Kong|Taiwan|Philippines|Indonesia|Malaysia|Thailand|Vietnam|Mexico|"
    "Brazil|Argentina|Chile|Colombia|Peru|South Africa|Nigeria|Kenya|Egypt|Saudi Arabia|"
    "United Arab Emirates|UAE|Dubai|Qatar|Russia|Ukraine|Luxembourg|Europe|European Union|"
    "the EU|EU|OECD|Eurozone"
)
FOREIGN = P.Sifted(re.compile(r"(?<![\w-])(?:" + FOREIGN_PLACES + r")(?![\w-])"))
"""Places outside the United States: a figure for them is never a U.S. claim."""

INDUSTRY_PHRASE = P.Sifted(re.compile(
    r"\b(?:in|among|for|at)\s+(?P<a>(?:[a-z][\w,'’-]*\s+){0,6}?(?:manufacturing|manufacturers|"
    r"makers|plants|construction|services|hospitals|government|retail(?:\s+trade)?|"
    r"wholesale(?:\s+trade)?|insurance|finance|utilities|industry|sector|offices|"
    r"facilities|agencies|firms|companies|schools|universities|clinics|warehousing|"
    r"transportation|mining|contractors))\b"
    r"|^(?P<b>(?:[A-Z][\w'’-]*|[a-z][\w'’-]*)(?:\s+(?:and\s+)?[a-z][\w'’-]*){0,5}\s+"
    r"(?:manufacturers|makers|plants|producers|firms|employers|hospitals|contractors))"
    r"(?:\s*\([^)]*\))?\s+(?:paid|pay|topped|were|came|offered|led|averaged|had)\b",
    re.I,
))
"""An industry named in prose: "In fabricated metal product manufacturing, …", "Among
plastics and rubber products manufacturers the median was …", "machinery manufacturers
topped the group at …"."""

ENTRY_WORDS = P.Sifted(re.compile(r"\b(?:new|newcomers?|starting|start|starts|beginners?|entry[\s-]level|"
                         r"junior|first[\s-]year)\b", re.I))
SENIOR_WORDS = P.Sifted(re.compile(r"\b(?:experienced|senior|top[\s-]end|veteran|seasoned|"
                          r"executive[\s-]level|most\s+experienced)\b", re.I))

WORKERS = (r"(?:[\w-]+\s+)?(?:\w+(?:ers|ists|ians|ants|ents|ors|ees|als|ics|ives)|staff|nurses|"
           r"workers?|employees?|positions?|roles?|hires?|techs?|specialists)\b")


@functools.lru_cache(maxsize=16384)
def cites_of(sentence: str) -> str:
    agency = P.CITED_AGENCY.search(sentence)
    if not agency:
        return ""
    return "BLS" if agency.group("agency") in ("BLS", "Bureau of Labor Statistics") else \
        agency.group("agency")


STATE_ADJECTIVE = P.Sifted(re.compile(
    r"(?<![\w-])(?P<place>" + P._STATE_NAMES + r")(?:'s|’s)?\s+(?=(?:total\s+)?(?:employment|jobs|"
    r"wages?|pay|median|mean|average|workers|projections?|openings)\b)"))
"""A state named as the figures' own: "Oregon employment of inspectors", "Ohio's median"."""


@functools.lru_cache(maxsize=16384)
def place_of(words: str) -> tuple[str, str]:
    """(geography, the words) a clause names: a U.S. place, "United States" for national
    words, or a foreign place as "foreign:<name>"."""
    m = FOREIGN.search(words)
    us = P.PLACE.search(words)
    if m and not (us and us.start() < m.start()):
        return "foreign:" + m.group(), m.group()
    if us:
        return P.normalise_geography(us.group("place")), us.group("place")
    m = STATE_ADJECTIVE.search(words)
    if m:
        return P.normalise_geography(m.group("place")), m.group()
    m = NATIONAL_CUE.search(words)
    if m:
        return "United States", m.group()
    return "", ""


@functools.lru_cache(maxsize=16384)
def industry_of(clause: str) -> str:
    m = INDUSTRY_PHRASE.search(clause)
    if not m:
        return ""
    words = (m.group("a") or m.group("b") or "").strip(" ,")
    words = re.sub(r"^(?:the|all)\s+", "", words, flags=re.I)
    if len(words) < 6 or re.match(r"(?:the\s+)?(?:United|U\.S|May|\d)", words):
        return ""
    return words


LEVEL_CUE = P.Sifted(re.compile(P.LEVEL.pattern + r"(?=[\s-]+(?:level\b|" + WORKERS +
                       r")|,?\s+and\s+they\b)", re.I))
"""A level named before the workers or "level" it qualifies: "entry-level", "senior
technicians"."""
NOT_LEVELED = re.compile(r"not\s+able\s+to\s+be\s+leveled", re.I)


@functools.lru_cache(maxsize=16384)
def level_of(words: str) -> tuple[str, str]:
    """The level `words` say a figure is for, the cue nearest their end first: "New typists
    earn $30,000 and experienced ones" -> experienced."""
    found: list[tuple[int, str, str]] = []
    for m in LEVEL_CUE.finditer(words):
        found.append((m.start(), P.normalise_level(m.group()), m.group()))
    for m in NOT_LEVELED.finditer(words):
        found.append((m.start(), "not-leveled", m.group()))
    for m in ENTRY_WORDS.finditer(words):
        found.append((m.start(), "entry", m.group()))
    for m in SENIOR_WORDS.finditer(words):
        found.append((m.start(), "senior" if m.group().lower().startswith("senior")
                      else "experienced", m.group()))
    if not found:
        return "", ""
    _, level, text = max(found)
    return level, text


def qualifiers_of(words: str) -> tuple[dict, list[str]]:
    """Union status, schedule, level and place named in `words`, with the words."""
    qualifiers, said = _qualifiers(words)
    return dict(qualifiers), list(said)


@functools.lru_cache(maxsize=16384)
def _qualifiers(words: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
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
    level, text = level_of(words)
    if level:
        qualifiers["level"] = level
        said.append(f"level={text}")
    place, text = place_of(words)
    if place:
        qualifiers["geography"] = place
        said.append(f"geography={text}")
    return tuple(qualifiers.items()), tuple(said)


@functools.lru_cache(maxsize=16384)
def statistic_before(words: str) -> str:
    """The statistic named nearest the end of `words` ("… the median hourly wage was")."""
    best, at = "", -1
    for pattern, name in ((L.MEDIAN_WORDS, "median"), (L.MEAN_WORDS, "mean")):
        for m in pattern.finditer(words):
            if m.start() > at:
                best, at = name, m.start()
    m = None
    for m in L.SIDE_PERCENTILE.finditer(words):
        pass
    if m is not None and m.start() > at:
        best, at = L.percentile_of(m.group()), m.start()
    for m in L.PERCENTILE_WORDS.finditer(words):
        if m.start() > at:
            best, at = L.percentile_of(m.group()), m.start()
    return best


HISTORY = re.compile(r"\b(?:up|down|rising|climbing|falling|rose|fell|grew|increased|decreased)\s+"
                     r"from\s+(?:about\s+|roughly\s+)?$|\bcompared\s+(?:with|to)\s+$|"
                     r"\b(?:previously|a\s+year\s+earlier|the\s+year\s+before|back\s+in\s+\S+)"
                     r"[^.;]{0,30}$", re.I)
"""Words that state a figure as a past one: "up from $58,000 in May 2022"."""


def history_basis(sentence: str, start: int, end: int, period: P.Period | None) -> str:
    """ "history" when the figure at start..end is stated as a past figure beside a later
    one in the same sentence, else ""."""
    if period is None or period.last is None:
        return ""
    later = [p for p in P.find_periods(sentence) if p.last is not None and p.last > period.last]
    if later and HISTORY.search(sentence[max(0, start - 40):start]):
        return "history"
    return ""


def period_of(sentence: str, start: int, end: int, ctx=None) -> P.Period | None:
    """The period of a figure: in its own clause, else the sentence's, the one after the
    figure first, else the paragraph's ("The median … was $94,260 in May 2024. The lowest
    10 percent earned less than $67,950")."""
    a, b = clause_span(sentence, start, end)
    for offset, text in ((a, sentence[a:b]), (0, sentence)):
        periods = P.find_periods(text)
        if periods:
            after = [p for p in periods if p.start + offset >= end]
            return after[0] if after else periods[-1]
    return getattr(ctx, "paragraph_period", None)


# --- the reader of a sentence ---------------------------------------------------------------

def read_sentence(reader, ctx, base: int, sentence: str, cites: str, figures: list,
                  paragraph_period: P.Period | None = None) -> None:
    """Claims of the figures of one sentence at `base` in the page's text;
    `paragraph_period` is the period an earlier sentence of the paragraph stated."""
    ctx.paragraph_period = paragraph_period
    quote = (base, base + len(sentence.rstrip()))
    restated = arithmetic(sentence, base, figures)
    for figure in restated:
        reader.skip(figure, "arithmetic restatement of another figure")
    previous_stat = ""
    ctx.sentence_stats = []
    for index, figure in enumerate(figures):
        if not reader.free(figure) or figure in restated:
            continue
        a, b = figure.start - base, figure.end - base
        c0, c1 = clause_span(sentence, a, b)
        before = sentence[c0:a]
        clause = sentence[c0:c1]
        if figure.kind == "foreign":
            reader.skip(figure, f"not U.S. dollars ({figure.currency or 'another currency'})")
            continue
        if figure.kind == "money":
            stat = _read_money(reader, ctx, sentence, base, quote, figure, before, clause, cites,
                               previous_stat, figures[:index], figures)
            previous_stat = stat or previous_stat
            ctx.sentence_stats.append(stat)
        elif figure.kind == "percent":
            _read_percent(reader, ctx, sentence, base, quote, figure, before, clause, cites)
        elif figure.kind in ("count", "number"):
            _read_count(reader, ctx, sentence, base, quote, figure, before, clause, cites)


def arithmetic(sentence: str, base: int, figures: list) -> list:
    """Figures of a sum a page does for the reader: "$125k/year is roughly $10,400/month"."""
    money = [f for f in figures if f.kind == "money" and f.value is not None]
    out = []
    for x, y in zip(money, money[1:]):
        between = sentence[x.end - base:y.start - base]
        units = {x.unit_hint, y.unit_hint}
        if not RESTATEMENT.search(between) or len(between) > 40:
            continue
        factor = {frozenset({"USD/year", "USD/month"}): 12, frozenset({"USD/year", "USD/week"}): 52,
                  frozenset({"USD/month", "USD/week"}): 52 / 12}.get(frozenset(units))
        if factor is None:
            continue
        big, small = (x, y) if x.value >= y.value else (y, x)
        if abs(big.value / factor - small.value) <= 0.03 * small.value:
            out += [x, y]
    return out


STATE_NAME = re.compile(r"(?<![\w-])(?P<place>" + P._STATE_NAMES + r")(?![\w-])")


def _place(ctx, clause: str, sentence: str, since: str = "") -> tuple[str, str]:
    if since:
        place, words = place_of(since)
        if place:
            return place, words
        states = list(STATE_NAME.finditer(since))
        if states:
            # "followed closely by California at $126,600", "California ($137,690)"
            return states[-1].group("place"), states[-1].group("place")
    place, words = place_of(clause)
    if not place:
        place, words = place_of(sentence)
        if place == "United States" and not re.match(r"\s*(?:Nationally|Nationwide|Across)",
                                                     sentence, re.I):
            place, words = "", ""  # "the U.S. economy" elsewhere in the sentence says nothing
    return place, words


DIFFERENCE_WORDS = P.Sifted(re.compile(
    r"\b(?:jump|gap|difference|premium|raise|bump|boost|differential|bonus|adds|"
    r"added|more\s+than\s+(?:a|an|the)\s+\w+)\b", re.I))
"""Words before an amount that make it a difference: "a premium of $4,000"."""
ON_AVERAGE = re.compile(r"\s*(?:on\s+average|the\s+average)\b", re.I)
FOR_WHOM = re.compile(r"[^,;]{0,25}?\b(?:for|among)\s+(?P<who>[^,;.]{3,60})")
"""Words after an amount that say whom it is for: "… $57,900 for non-union electricians"."""


def _read_money(reader, ctx, sentence, base, quote, figure, before, clause, cites,
                previous_stat, earlier, everything) -> str:
    after = sentence[figure.end - base:figure.end - base + 40]
    if ctx.related:
        reader.skip(figure, "a figure of another occupation (a related-careers section)")
        return ""
    if (figure.amount or 0) <= 0:
        reader.skip(figure, "an amount of $0 is no pay")
        return ""
    if P.COMPARATIVE.match(after) or OUTDONE_BY.search(before) or DIFFERENCE_WORDS.found(
            sentence[:figure.start - base]):
        reader.skip(figure, "a difference between two figures, not a figure")
        return ""
    if NOT_PAY.found(before) or (NOT_PAY.found(clause) and not PAY_CUES.search(before)) or (
            getattr(ctx, "cost", False) and not PAY_CUES.search(clause)):
        reader.skip(figure, "a price or another sum, not pay")
        return ""
    if TOP_CODE.found(sentence):
        reader.skip(figure, "the survey's top-code threshold in a note, not a figure")
        return ""
    opening = clause_start(sentence, figure, base)  # where the figure's clause starts
    between = before
    for f in earlier:
        if f.kind == "money" and f.end <= figure.start and f.end - base >= opening:
            between = sentence[f.end - base:figure.start - base]
    place, place_words = _place(ctx, clause, sentence, between)
    if place.startswith("foreign:") or (not place and ctx.foreign):
        reader.skip(figure, f"a figure for {place[8:] or ctx.foreign}, outside the United States")
        return ""
    if not (PAY_CUES.search(sentence) or figure.unit_hint or ctx.pay_context
            or level_of(sentence)[0]):
        reader.skip(figure, "no words say what this amount is")
        return ""
    statistic = ""
    side = SHARE_SIDE.search(before)  # "10% of sonographers earned less than"
    # the statistic named since the amount before ("… $74,670 for the lowest-paid tenth … to
    # above $175,460 for the best-paid tenth"), else just after it, else before it
    own = between[_label_after_end(between):] if between is not before else before
    stat_here = statistic_before(own) or _statistic_after(sentence[figure.end - base:]) or (
        statistic_before(before) if between is not before else "")
    if L.MIDDLE_HALF.found(clause) and figure.is_range and figure.low is not None \
            and figure.high is not None:
        _claim_ends(reader, ctx, quote, figure, sentence, base, clause, cites, place, place_words)
        return "range"
    if RANGED.search(sentence) and figure.bound in ("under", "over") and not stat_here:
        statistic = "p10" if figure.bound == "under" else "p90"  # "ranged from less than X to more than Y"
    elif stat_here:
        statistic = stat_here
    elif side is not None:
        low = side.group("dir").lower() in ("less", "under", "below")
        n = side.group("n") or ("10" if (side.group("part") or side.group("in") or "").lower()
                                in ("tenth", "ten") else "25")
        statistic = {("10", True): "p10", ("25", True): "p25", ("10", False): "p90",
                     ("25", False): "p75"}[(n, low)]
    if not statistic:
        # "… and in fabricated metal product manufacturing it was $103.22": the clause
        # continues the sentence's statistic; so does "($24.16 an hour)" after a figure
        statistic = previous_stat if previous_stat not in ("", "range") else ""
        if not statistic and not previous_stat and not any(
                f.kind == "money" and f.end <= figure.start for f in earlier):
            # "The median annual wage for educational, guidance, and career counselors
            # and advisors was $57,040": the clause broke at a list's ", and"
            statistic = statistic_before(sentence[:figure.start - base])
        if not statistic and ON_AVERAGE.match(sentence):
            statistic = "mean"
        if not statistic and TYPICAL_EARNER.search(before):
            statistic = "median"  # "the typical janitor earned $35,930": the middle worker
        if not statistic:
            # "California ($137,690), Hawaii ($129,550) and Oregon ($120,470) paid the highest
            # annual mean wages": a statistic named after the sentence's last amount
            last = max((f.end - base for f in everything if f.kind == "money"), default=0)
            if last and last + base >= figure.end:
                statistic = statistic_before(sentence[last:last + 80].split(".")[0])
    if statistic in ("p10", "p25", "p75", "p90") and figure.is_range and figure.low is not None \
            and figure.high is not None:
        ends = tuple(ctx.sentence_stats[-2:])
        if ends in (("p10", "p90"), ("p25", "p75")) and before.rstrip().endswith("(") \
                and figure.unit_hint:
            # "from under $74,670 … to above $175,460 … ($35.90 to $84.36 an hour)": the
            # same two percentiles in another unit
            _claim_ends(reader, ctx, quote, figure, sentence, base, clause, cites, place,
                        place_words, ends)
            return ""
        reader.skip(figure, "a range under a percentile phrase")
        return ""
    scope = ""
    if ctx.job_ad and not statistic and (figure.is_range or figure.high is not None):
        scope = "job-ad"
    if not statistic and figure.is_range:
        statistic = "range"
    if statistic in ("p75", "p90", "median") and figure.is_range and figure.high is None:
        figure = replace(figure, value=figure.low, low=None)  # "Top 10%: $182K+"
    since = before
    for f in earlier:
        if f.end <= figure.start and f.end - base >= opening:
            since = sentence[f.end - base:figure.start - base]  # words after the figure before
            unit_after = P.UNIT_SUFFIX.match(since)
            since = since[unit_after.end():] if unit_after else since
    unattached = sentence[:figure.start - base]
    for f in sorted(earlier, key=lambda f: -f.start):
        if f.end <= figure.start:
            tail = P.UNIT_SUFFIX.match(unattached, f.end - base)
            cut = tail.end() if tail else f.end - base
            unattached = unattached[:f.start - base] + " " * (cut - (f.start - base)) + \
                unattached[cut:]
    # the unit named nearest before the figure, not one printed after another figure:
    # "$126,960 a year ($61.04 an hour), followed by California at $126,600"
    unit = figure.unit_hint or _unit_near(since) or _unit_near(unattached) or ctx.unit
    qualifiers, said = qualifiers_of(before)
    qualifiers.pop("geography", None)
    following = clause[figure.end - base - opening:]
    m = FOR_WHOM.match(following)
    if m:
        # "compared with $57,900 for non-union electricians": words after the figure say
        # whom it is for
        after_q, after_said = qualifiers_of(m.group("who") + " workers")
        after_q.pop("geography", None)
        qualifiers.update(after_q)
        said += after_said
    if place:
        qualifiers["geography"] = place
        said.append(f"geography={place_words}")
    industry = industry_of(clause) or industry_of(sentence[:figure.start - base])
    if industry:
        qualifiers["industry"] = industry
        said.append(f"industry={industry}")
    if "level" not in qualifiers:
        level, words = level_of(clause)
        if level and not statistic.startswith("p"):
            qualifiers["level"] = level
            said.append(f"level={words}")
    period = period_of(sentence, figure.start - base, figure.end - base, ctx)
    other = subject_occupation(reader, sentence[:figure.start - base])
    if other:
        said.append(f"occupation={other}")
    basis = history_basis(sentence, figure.start - base, figure.end - base, period)
    earlier = getattr(ctx, "paragraph_period", None)
    if not basis and period is not None and earlier is not None and period is not earlier \
            and period.last is not None and earlier.last is not None and period.last < earlier.last:
        # "… a median of $62,350 in May 2024. In May 2022 the median was $60,240.": a past
        # figure after the paragraph's current one
        basis = "history"
    reader.claim(figure, metric="wage", statistic=statistic, unit=unit, quote=quote,
                 method="sentence", period=period, qualifiers=qualifiers, occupation_text=other,
                 words="; ".join(said), cites=cites, scope=scope, context=ctx,
                 period_basis=basis)
    return statistic


TYPICAL_EARNER = re.compile(r"\bthe\s+typical\s+(?:[\w-]+\s+){1,3}?(?:earned|earns|made|makes|"
                            r"took\s+home|takes\s+home|was\s+paid|is\s+paid)\s+(?:about\s+)?$",
                            re.I)

SUBJECT_END = re.compile(r",|\s(?:who|which|had|have|has|earned|earn|earns|made|make|makes|"
                         r"were|was|are|is|took|take|takes|received|receive|saw|averaged|"
                         r"brought|pulled|commanded)\b", re.I)
NOT_AN_OCCUPATION = re.compile(
    r"^(?:the\s+)?(?:most|many|some|these|those|all|new|other|such|our|their|your|its|both|"
    r"full[\s-]time|part[\s-]time|union|nonunion|non-union|entry[\s-]level|(?:in)?experienced|"
    r"senior|skilled|unskilled|novice|veteran|seasoned|newly|starting|beginning|self[\s-]employed|"
    r"junior|top|bottom|typical|average|apprentices?|trainees?|beginners?|graduates?|employees?|"
    r"workers?|members?|people|staff|professionals?|earners?|those\s+who)\b", re.I)


SUBJECT_LEAD = re.compile(r"^\s*(?:by\s+comparison|meanwhile|in\s+contrast|by\s+contrast|still|"
                          r"similarly|likewise)\s*,?\s*", re.I)


def subject_occupation(reader, words: str) -> str:
    """Another occupation a sentence is about, named as its subject: "Maids and housekeeping
    cleaners, who mostly work in hotels, had a median of …" on a janitors' page; "" when
    the subject is the page's own occupation, a group of its workers, or not a name."""
    if not reader.title:
        return ""
    words = SUBJECT_LEAD.sub("", words)
    end = SUBJECT_END.search(words)
    subject = words[:end.start()].strip() if end else ""
    if not subject or len(subject.split()) > 7 or NOT_AN_OCCUPATION.match(subject):
        return ""
    name = L.occupation_named(subject)
    if not name or L.same_occupation(name, reader.title):
        return ""
    return name


OUTDONE_BY = P.Sifted(re.compile(
    r"\b(?:out-?earns?|out-?earned|outpaces?|outpaced|exceeds?|exceeded|trails?|trailed|"
    r"lags?|lagged|beats?|tops?|topped)\b[^.;]{0,60}\bby\s+(?:just\s+|only\s+|about\s+|"
    r"roughly\s+|nearly\s+|some\s+|around\s+)?$", re.I))
"""A difference stated as a margin: "the median advisor out-earns the median analyst by
just $790 a year"."""

SHARE_SIDE = P.Sifted(re.compile(
    r"\b(?:(?P<n>10|25)\s*(?:%|percent)\s+of|(?:a|one)\s+(?P<part>quarter|tenth|fourth)\s+of|"
    r"one\s+in\s+(?P<in>four|ten))\b.*\b(?P<dir>less|under|below|more|over|above)\b",
    re.I))
"""A share of the workers on one side of a figure: "10% of sonographers earned less than",
"a quarter of salaried lawyers made under"."""

AFTER_STATISTIC = re.compile(
    r"^[^\S\n]*(?:(?:a|an|per)\s+(?:year|hour)\s*)?[(,–—-]?\s*(?:for|among|at)?\s*(?:the\s+)?"
    r"(?P<words>[^()$,;.]{2,40})")
STATISTIC_VERB = re.compile(
    r"(?<![\w-])(?:earn\w*|made|make\w*|was|were|is|are|had|took|got|paid)\b", re.I)


def _span_of(span, ctx):
    """The projection span a paragraph stated ("from 2023 to 2033"), for a figure whose
    sentence names none ("That is about 12,800 openings each year")."""
    for candidate in (span, getattr(ctx, "paragraph_span", None)):
        if candidate is not None and candidate.first is not None \
                and candidate.first != candidate.last:
            return candidate
    return None


def _label_after_end(after: str) -> int:
    """Where the percentile named just after an amount ends (0 when none): the words past
    it are the next amount's."""
    m = AFTER_STATISTIC.match(after)
    return m.end() if m and _statistic_after(after) else 0


def _statistic_after(after: str) -> str:
    """A percentile named just after an amount: "$74,670 for the lowest-paid tenth",
    "$87,590 (25th percentile)"; "" when the words go on to a clause of their own ("$50,000,
    the lowest 10 percent earned …")."""
    m = AFTER_STATISTIC.match(after)
    if not m:
        return ""
    words = m.group("words")
    if STATISTIC_VERB.search(words):
        return ""
    if L.SIDE_PERCENTILE.match(words) or L.PERCENTILE_WORDS.match(words) or \
            L.PERCENTILE_LABEL.match(words.strip()):
        return L.percentile_of(words)
    if re.match(r"\s*median\s*$", words, re.I) and after.lstrip().startswith("("):
        return "median"  # "$48,780 (median)"
    return ""


def clause_start(sentence: str, figure, base: int) -> int:
    return clause_span(sentence, figure.start - base, figure.end - base)[0]


def _claim_ends(reader, ctx, quote, figure, sentence, base, clause, cites, place, place_words,
                ends: tuple[str, str] = ("p25", "p75")):
    """"The middle 50 percent earned between $16.24 and $28.22": the 25th and 75th
    percentiles (or the two `ends` given), and the range they make."""
    unit = figure.unit_hint or _unit_near(sentence[:figure.start - base]) or ctx.unit
    period = period_of(sentence, figure.start - base, figure.end - base, ctx)
    qualifiers = {"geography": place} if place else {}
    for part, statistic, value in (("low", ends[0], figure.low), ("high", ends[1], figure.high)):
        reader.claim(figure, metric="wage", statistic=statistic, unit=unit, quote=quote,
                     method="sentence", period=period, qualifiers=qualifiers, cites=cites,
                     value=value, part=part, context=ctx)
    reader.claim(figure, metric="wage", statistic="range", unit=unit, quote=quote,
                 method="sentence", period=period, qualifiers=qualifiers, cites=cites,
                 part="range", context=ctx)


@functools.lru_cache(maxsize=16384)
def _unit_near(before: str) -> str:
    """The unit named closest before an amount: "median annual wage of $86,070"."""
    last = {}
    for unit, pattern in (("USD/hour", P.HOURLY), ("USD/year", P.ANNUAL),
                          ("USD/month", re.compile(r"\bmonthly\b|\bper\s+month\b", re.I)),
                          ("USD/week", re.compile(r"\bweekly\b|\bper\s+week\b", re.I))):
        last[unit] = max((m.end() for m in pattern.finditer(before)), default=-1)
    if re.search(r"\bby\s+the\s+hour\b", before, re.I):
        last["USD/hour"] = max(last["USD/hour"], 0)
    unit, at = max(last.items(), key=lambda item: item[1])
    return unit if at >= 0 else ""


def _read_percent(reader, ctx, sentence, base, quote, figure, before, clause, cites) -> None:
    after = sentence[figure.end - base:]
    if SHARE_AFTER.match(after):
        reader.skip(figure, "a share of a group, not a change")
        return
    around = sentence[max(0, figure.start - base - 25):figure.end - base + 3]
    if L.SIDE_PERCENTILE.search(around) or L.MIDDLE_HALF.found(around) \
            or re.match(r"\s*(?:percentile|of\s+earners)", after, re.I):
        reader.skip(figure, "a percentile, not a change")
        return
    if not GROWTH.search(clause) or (PAY_CUES.search(before) and not GROWTH.search(before)):
        reader.skip(figure, "no words say what this percentage is")
        return
    place, words = _place(ctx, clause, sentence)
    if place.startswith("foreign:"):
        reader.skip(figure, f"a figure for {place[8:]}, outside the United States")
        return
    value_figure = figure
    if DECLINE.search(clause[:figure.start - base]) and (figure.value or 0) > 0:
        value_figure = replace(figure, value=-figure.value)
    reader.claim(value_figure, metric="employment_growth", statistic="change", unit="percent",
                 quote=quote, method="sentence",
                 period=period_of(sentence, figure.start - base, figure.end - base),
                 qualifiers={"geography": place} if place else {}, cites=cites, context=ctx)


def _read_count(reader, ctx, sentence, base, quote, figure, before, clause, cites) -> None:
    if figure.value is None or figure.precision < 1 and figure.kind == "number":
        return  # "18.40" in prose is no count; "0.5" neither
    after = sentence[figure.end - base:figure.end - base + 80]
    place, words = _place(ctx, clause, sentence)
    qualifiers = {"geography": place} if place and not place.startswith("foreign:") else {}
    if place.startswith("foreign:") or ctx.foreign:
        if P.is_count(figure):
            reader.skip(figure, "a figure for a place outside the United States")
        return
    period = period_of(sentence, figure.start - base, figure.end - base)
    signed = figure.text[:1] in "+−-" and figure.kind == "count"
    span = period_of(sentence, figure.start - base, figure.end - base, ctx)
    m = re.search(r"\bfrom\s+(?:about\s+|roughly\s+)?$", before)
    if m is None:
        m2 = re.search(r"\bfrom\s+(?:about\s+|roughly\s+)?[\d,.]+(?:\s+(?:million|thousand))?"
                       r"(?:\s+(?:jobs|workers|positions))?\s+to\s+(?:about\s+|roughly\s+|nearly\s+)?$",
                       before)
    else:
        m2 = None
    reach = re.search(r"\b(?:reach|reaching|bringing\s+the\s+total\s+to|for\s+a\s+total\s+of|"
                      r"(?:employment|jobs)\s+(?:will\s+)?(?:rise|grow|climb|increase|fall|"
                      r"decline)\s+to)\s+(?:about\s+|roughly\s+|nearly\s+)?$", before, re.I)
    if reach and P.is_count(figure) and re.search(r"\b(?:employment|jobs|workers|total)\b",
                                                  sentence, re.I):
        # "BLS expects employment to reach 136,200 by 2034": employment in the year it names
        year = next((p for p in P.find_periods(sentence[figure.end - base:]) if p.last), None)
        span = span or getattr(ctx, "paragraph_span", None)
        end = year.last if year is not None else (span.last if span is not None else None)
        if end is not None:
            reader.claim(figure, metric="employment", statistic="unspecified", unit="count",
                         quote=quote, method="sentence",
                         period=P.Period(str(end), 0, 0, end, end), qualifiers=qualifiers,
                         cites=cites, context=ctx)
            return
    if re.search(r"\bbase\s+(?:year\s+)?(?:employment\s+)?of\s+(?:about\s+|roughly\s+)?$", before,
                 re.I) and P.is_count(figure):
        # "adding about 47,800 jobs to a base of 2,447,700": the projection's first year
        span = span or getattr(ctx, "paragraph_span", None)
        if span is not None and span.first is not None and span.first != span.last:
            reader.claim(figure, metric="employment", statistic="unspecified", unit="count",
                         quote=quote, method="sentence",
                         period=P.Period(str(span.first), 0, 0, span.first, span.first),
                         qualifiers=qualifiers, cites=cites, context=ctx)
            return
    dated = re.match(r"\s+in\s+(?P<year>(?:19|20)\d{2})\b", sentence[figure.end - base:])
    if dated and re.search(r"\b(?:from|to)\s+(?:about\s+|roughly\s+|nearly\s+)?$", before) \
            and GROWTH.search(sentence) and P.is_count(figure) and re.search(
                r"\b(?:jobs|employment|workers|positions)\b", sentence, re.I):
        # "projected to climb from 941,700 in 2024 to 1,004,700 in 2034"
        year = int(dated.group("year"))
        reader.claim(figure, metric="employment", statistic="unspecified", unit="count",
                     quote=quote, method="sentence", period=P.Period(str(year), 0, 0, year, year),
                     qualifiers=qualifiers, cites=cites, context=ctx)
        return
    if span is None:
        span = getattr(ctx, "paragraph_span", None)
    m3 = re.search(r"\bto\s+(?:about\s+|roughly\s+)?$", before) if span is not None else None
    if m3 and re.search(r"\bin\s+" + str(span.last) + r"\b", sentence[figure.end - base:]
                        [:12]) and GROWTH.search(clause) and P.is_count(figure):
        m2 = m3  # "from 2024's 958,000 to 1,004,700 in 2034"
    if (m or m2) and span is not None and span.first is not None and span.first != span.last \
            and GROWTH.search(clause) and P.is_count(figure):
        # "projected to increase 4% between 2024 and 2034, from 158,800 to about 165,600":
        # the employment of the span's first year, and of its last
        year = span.first if m else span.last
        reader.claim(figure, metric="employment", statistic="unspecified", unit="count",
                     quote=quote, method="sentence", period=P.Period(str(year), 0, 0, year, year),
                     qualifiers=qualifiers, cites=cites, context=ctx)
        return
    if NOT_JOBS_AFTER.match(after):
        reader.skip(figure, "a count of something else than jobs (subscribers, postings, …)")
        return
    if THRESHOLD_BEFORE.search(before):
        reader.skip(figure, "a threshold a method applies, not a figure")
        return
    if OPENINGS_AFTER.match(after) or re.search(r"\bopenings?\s*(?:of|:|at|around|near)?\s*"
                                                r"(?:about\s+|roughly\s+|~\s*)?$", before, re.I):
        reader.claim(figure, metric="annual_openings", statistic="unspecified", unit="count",
                     quote=quote, method="sentence", period=period or _span_of(span, ctx),
                     qualifiers=qualifiers,
                     cites=cites, context=ctx)
        return
    if CHANGE_BEFORE.search(before) or NEW_JOBS_AFTER.match(after) or (
            signed and re.match(r"\s*(?:jobs|positions)\b", after, re.I)):
        if not re.search(r"\b(?:jobs|positions|employment|workers)\b", clause, re.I):
            return
        loss = LOSS.search(before[-30:]) or re.match(r"\s*fewer\b", after, re.I) or (
            figure.value < 0)
        value = -abs(figure.value) if loss else figure.value
        reader.claim(replace(figure, value=value), metric="employment", statistic="change",
                     unit="count", quote=quote, method="sentence", period=period,
                     qualifiers=qualifiers, cites=cites, context=ctx)
        return
    if re.search(r"⭐|★|\brat(?:ed|ing|ings)\b|\breviews?\b|\bstars?\b|/\s?5\b", clause, re.I):
        return  # "4.6/5 from 812 drivers": a rating
    before_cue = JOB_COUNT_BEFORE.search(before)
    if before_cue and before_cue.group().lower().startswith("from") and not re.search(
            r"\b(?:jobs|employment|positions|workers)\b", clause, re.I):
        before_cue = None
    if before_cue or JOB_COUNT_AFTER.match(after):
        if not P.is_count(figure) and not re.match(r"\s*(?:jobs|workers|employees|people)\b",
                                                    after, re.I):
            return  # "5 jobs", "30+ days ago": too small to be a count without a noun
        if re.match(r"\s*(?:hours|days|weeks|months|years|minutes|percent)\b", after, re.I):
            return
        reader.claim(figure, metric="employment", statistic="unspecified", unit="count",
                     quote=quote, method="sentence", period=period, qualifiers=qualifiers,
                     cites=cites, context=ctx)
