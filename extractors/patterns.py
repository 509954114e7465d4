"""How career pages state figures: one vocabulary of patterns shared by every extractor.

Each pattern is named for what it recognises and shows a real example. The `find_*`
functions return every match with its offsets in the searched string; the `parse_*`
functions read one whole string (or return None) and are what the property tests drive.
"""
from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from schemas.vocabulary import DEFAULT_GEOGRAPHY, EDUCATION_LEVELS, LEVELS

# --- patterns run only on text that holds what they need ----------------------------------

CASE_ODDITIES = re.compile("[\u0130\u0131\u017f\u212a]")
"""The four letters outside ASCII that a case-insensitive pattern matches to an ASCII letter
(İ and ı to i, ſ to s, the Kelvin sign to k): `str.lower` does not map all of them."""

CASELESS = frozenset("’‘“”–—−‐‑‒≈~•·▪●◦▸►▹➤→…£€¥₹«»×÷°§¶")
"""Characters outside ASCII a pattern read on lowered text may hold: no case, and no other
character lowers to one of them or matches one case-insensitively (tests/test_sifted.py
checks every code point)."""


def lowered_pattern(regex: re.Pattern) -> re.Pattern | None:
    """The case-sensitive pattern that finds in `text.lower()` what the case-insensitive
    `regex` finds in `text`, at the same offsets, for a text without CASE_ODDITIES; None
    when that cannot be made sure of from the pattern's source.

    Python's engine tries a case-insensitive alternation several times slower than a
    case-sensitive one, and a text is lowered once for all the patterns tried on it. Only
    ASCII letters (and CASELESS marks) are lowered: `str.lower` maps no other character to
    an ASCII letter, and keeps every other character's length and class (word, digit,
    space). Escapes, group names and classes are kept; a pattern with inline flags,
    comments, conditionals, escapes that name characters by number, verbose or ASCII-only
    matching, or a class range from one case to another, is left alone.

    >>> lowered_pattern(re.compile(r"\\bMedian\\s+(?P<Pay>pay|[A-Z]age)\\b", re.I)).pattern
    '\\\\bmedian\\\\s+(?P<Pay>pay|[a-z]age)\\\\b'
    """
    flags = regex.flags
    if not flags & re.IGNORECASE or flags & (re.VERBOSE | re.ASCII | re.LOCALE):
        return None
    source = regex.pattern
    if not isinstance(source, str):
        return None
    out: list[str] = []
    i, n, in_class = 0, len(source), False
    while i < n:
        ch = source[i]
        if ch == "\\":
            if source[i + 1:i + 2] in ("", "x", "u", "U", "N") or source[i + 1:i + 2].isdigit():
                return None  # a character by its number: it may be a letter
            out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            elif ch == "-":
                low = source[i - 1] if len(out[-1]) == 1 else out[-1]  # as written
                high = source[i + 1:i + 2]
                lettered = [x for x in (low, high) if x.isascii() and x.isalpha()]
                if lettered and (len(lettered) < 2 or len(low) != 1
                                 or low.isupper() != high.isupper()):
                    # "[A-z]", "[0-Z]": lowered, the range would hold other characters
                    return None
        elif ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            for lead in ("^", "]"):  # "[^…", "[]…": the first member, not the end
                if source[i:i + 1] == lead:
                    out.append(lead)
                    i += 1
            continue
        elif source.startswith("(?P<", i) or source.startswith("(?P=", i):
            end = source.find(">" if source[i + 3] == "<" else ")", i)
            if end < 0:
                return None
            out.append(source[i:end + 1])  # a group's name keeps its case
            i = end + 1
            continue
        elif source.startswith("(?", i) and source[i + 2:i + 3] not in (":", "=", "!", "<"):
            return None  # inline flags, a comment, a conditional
        if ch.isascii():
            out.append(ch.lower())
        elif ch in CASELESS:
            out.append(ch)
        else:
            return None  # a letter outside ASCII: its folding is not str.lower's
        i += 1
    try:
        return re.compile("".join(out), flags & ~re.IGNORECASE)
    except re.error:
        return None


def needed_strings(regex: re.Pattern) -> tuple[str, ...] | None:
    """Strings one of which every match of `regex` contains (lowercase ASCII for a
    case-insensitive pattern), worked out from the parsed pattern; None when no string is
    needed ("\\d+", "[A-Z]\\w*").

    >>> needed_strings(re.compile(r"\\bposted\\s+(?:today|yesterday)\\b|\\bapply\\s+now\\b", re.I))
    ('apply', 'posted')
    """
    from re import _parser as parser  # the parse tree: stable within a Python version

    folded = bool(regex.flags & re.IGNORECASE)
    found = _needed(parser.parse(regex.pattern, regex.flags).data, folded, parser)
    if not found:
        return None
    # a string that holds another of them is found by that one
    return tuple(sorted(s for s in found if not any(t != s and t in s for t in found)))


def sufficient_strings(regex: re.Pattern) -> tuple[str, ...]:
    """Strings any one of which `regex` finds wherever it stands: the alternatives of the
    pattern that are fixed text ("certif", "licen[sc]"), lowercase for a case-insensitive
    pattern; () when no alternative is.

    >>> sufficient_strings(re.compile(r"licen[sc]|certif|\\bGED\\b", re.I))
    ('certif', 'licenc', 'licens')
    """
    from re import _constants as c
    from re import _parser as parser

    items = parser.parse(regex.pattern, regex.flags).data
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is c.BRANCH else [items]
    out: set[str] = set()
    for branch in branches:
        out |= _fixed(branch, bool(regex.flags & re.IGNORECASE)) or set()
    return tuple(sorted(out))


def _fixed(items, folded: bool) -> set[str] | None:
    """The strings a parsed (part of a) pattern matches when they are a few fixed ones a
    lowered text shows as they are (lowercase ASCII, characters without case), else None."""
    from re import _constants as c

    strings = _exact_sequence(items, c)
    if not strings:
        return None
    if folded:
        if any("\u0307" in s or not all(ch.isascii() or ch.lower() == ch == ch.upper()
                                         for ch in s) for s in strings):
            return None  # a cased letter outside ASCII, or the dot str.lower puts after İ
        strings = {s.lower() for s in strings}
    return strings if all(strings) else None


def _needed(items, folded: bool, parser) -> frozenset[str] | None:
    from re import _constants as c

    best: frozenset[str] | None = None

    def consider(strings: frozenset[str] | None) -> None:
        nonlocal best
        if strings and (best is None or (min(map(len, strings)), -len(strings)) > (
                min(map(len, best)), -len(best))):
            best = strings

    run: set[str] = {""}  # what the stretch of fixed text so far can be: "10th", "25th", …
    for op, av in items:
        exact = _exact(op, av, c)
        if exact is not None:
            if len(run) * len(exact) <= 64:
                run = {a + b for a in run for b in exact}
                continue
            consider(_literals(run, folded))
            run = exact
            continue
        consider(_literals(run, folded))
        run = {""}
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if not (add_flags or del_flags):  # flags changed inside: not reasoned about
                consider(_needed(sub, folded, parser))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _high, sub = av
            repeated = _exact_sequence(sub, c) if 1 < low <= 8 else None
            if repeated is not None and len(repeated) == 1:
                # "\.{3,}" needs "...", not "." (which most sentences hold)
                consider(_literals({repeated.pop() * low}, folded))
            elif low >= 1:
                consider(_needed(sub, folded, parser))
        elif op is c.ATOMIC_GROUP:
            consider(_needed(av, folded, parser))
        elif op is c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                strings = _needed(branch, folded, parser)
                if not strings:
                    break
                union |= strings
            else:
                consider(frozenset(union))
        # classes, anchors, lookarounds, back-references and conditionals need no string
    consider(_literals(run, folded))
    return best


def _exact(op, av, c) -> set[str] | None:
    """The strings an item of a parsed pattern matches, when they are a few fixed ones
    ("th", "(?:st|nd|rd|th)"), else None."""
    if op is c.LITERAL:
        return {chr(av)}
    if op is c.IN and all(item_op is c.LITERAL for item_op, _ in av):
        return {chr(item) for _, item in av}  # "[sc]", "[—–]"
    if op is c.SUBPATTERN and not (av[1] or av[2]):
        return _exact_sequence(av[3], c)
    if op is c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            strings = _exact_sequence(branch, c)
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= 64 else None
    return None


def _exact_sequence(items, c) -> set[str] | None:
    out = {""}
    for op, av in items:
        strings = _exact(op, av, c)
        if strings is None or len(out) * len(strings) > 64:
            return None
        out = {a + b for a in out for b in strings}
    return out


def _literals(strings: set[str], folded: bool) -> frozenset[str] | None:
    """A string each of `strings` holds, for each of them; None when one holds none."""
    out = set()
    for text in strings:
        if folded:
            # its longest piece whose letters case folding maps as str.lower does: ASCII,
            # and characters without case ("–", "’", "≈"), which match only themselves
            pieces, piece = [], []
            for ch in text:
                if ch.isascii() or ch.lower() == ch == ch.upper():
                    piece.append(ch.lower())
                else:
                    pieces.append("".join(piece))
                    piece = []
            pieces.append("".join(piece))
            text = max(pieces, key=len)
        if not text:
            return None
        out.add(text)
    return frozenset(out)


def _top_level_branches(pattern: str) -> list[str] | None:
    """The alternatives of a pattern's source split at its top-level "|" (outside groups
    and classes), or None when the pattern has a leading inline flag or a class this
    simple scan cannot be sure of."""
    if pattern.startswith("(?") and pattern[2:3].isalpha():
        return None  # "(?i)…": a global flag that would stay with the first branch only
    pieces, start, depth, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
            if pattern[i + 1:i + 2] == "]":
                return None  # "[]…]": a bracket as the class's first member
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
        i += 1
    pieces.append(pattern[start:])
    return pieces if depth == 0 and not in_class else None


def _any_of(strings: tuple[str, ...]) -> re.Pattern:
    """A pattern that matches where any of `strings` stands, as a tree of their letters
    ("co(?:ntribution|st)|d(?:ebt|ues)|…"): the engine tries one branch per first letter at
    each position rather than every string. A string that holds another is left out: where
    it stands, so does the other."""
    kept = sorted(s for s in set(strings) if not any(t != s and t in s for t in strings))
    tree: dict = {}
    for string in kept:
        node = tree
        for ch in string:
            node = node.setdefault(ch, {})
    # no string of `kept` is the start of another, so every end is a leaf

    def branches(node: dict) -> str:
        alternatives = [re.escape(ch) + branches(child) for ch, child in sorted(node.items())]
        if len(alternatives) <= 1:
            return "".join(alternatives)
        return "(?:" + "|".join(alternatives) + ")"
    return re.compile(branches(tree))


class _Strings:
    """A test for any of some strings in a text: `in` for up to a few dozen, else one
    pattern of them (`_any_of`), which the regex engine scans for with the set of their
    first characters. The engine starts a match at every character of that set, and most
    sets hold common letters: one such start costs as much as scanning a line with `in`
    for several strings (on career pages, `in` is the cheaper up to some forty strings)."""

    __slots__ = ("strings", "alternation")

    def __init__(self, strings: tuple[str, ...]):
        self.strings = strings
        self.alternation = _any_of(strings) if len(strings) > 40 else None

    def in_(self, text: str) -> bool:
        if self.alternation is not None:
            return self.alternation.search(text) is not None
        for string in self.strings:
            if string in text:
                return True
        return False


_lowered: tuple[str | None, str, bool] = (None, "", False)
"""The text a case-insensitive Sifted pattern last lowered, its lowered form, and whether
it holds a letter case folding maps otherwise (CASE_ODDITIES): the patterns of a line or
a sentence are tried one after another on the same string."""


def _lower(text: str) -> tuple[str, bool]:
    """`text` lowered, and whether it holds one of the CASE_ODDITIES."""
    global _lowered
    last = _lowered  # one tuple, read and replaced whole: safe across threads
    if last[0] is text:
        return last[1], last[2]
    low = text.lower()
    odd = not text.isascii() and CASE_ODDITIES.search(text) is not None
    _lowered = (text, low, odd)
    return low, odd


class Sifted:
    """A compiled pattern run only on text that holds one of the strings every match of
    it holds (`needed_strings`): most lines of a page hold no figure, no cue word, no
    label, and looking for a few strings is far cheaper than the regex engine trying every
    alternative at every position. Same results as the pattern, for `search`, `match`,
    `fullmatch`, `finditer`, `findall` and `sub`; anything else is the pattern's own.

    >>> JOBS = Sifted(re.compile(r"\\bapply\\s+now\\b", re.I))
    >>> JOBS.search("Median pay: $50,250") is None, JOBS.search("APPLY NOW").group()
    (True, 'APPLY NOW')
    """

    __slots__ = ("regex", "needed", "folded", "enough", "sift_matches", "_needed", "_enough",
                 "_rest", "_lowered")

    def __init__(self, regex: re.Pattern, sift_matches: bool = False):
        self.regex = regex
        self.folded = bool(regex.flags & re.IGNORECASE)
        self.sift_matches = sift_matches  # test `match` and `fullmatch` too: see below
        try:
            self.needed = needed_strings(regex)
            self.enough = sufficient_strings(regex)
            self._rest = self._other_alternatives()
        except Exception:  # noqa: BLE001 - re's parse tree is internal to Python: where it
            # differs, the bare pattern, which gives the same answers more slowly
            self.needed, self.enough, self._rest = None, (), False
        self._needed = _Strings(self.needed) if self.needed else None
        self._enough = _Strings(self.enough) if self.enough else None
        self._lowered = lowered_pattern(regex)  # tried on the lowered text, see search

    def _other_alternatives(self) -> Sifted | None | bool:
        """The pattern's alternatives that are not fixed text, as a pattern of their own
        (None when there are none; False when the pattern cannot be split: groups, whose
        numbers would change, or a source the split is not sure of)."""
        from re import _parser as parser

        pieces = _top_level_branches(self.regex.pattern)
        if not self.enough or pieces is None or self.regex.groups:
            return False
        flags, folded = self.regex.flags, self.folded
        fixed = [_fixed(parser.parse(piece, flags).data, folded) for piece in pieces]
        if set().union(*(f for f in fixed if f)) != set(self.enough):
            return False  # the split disagrees with the parse: do not rely on it
        rest = [piece for piece, f in zip(pieces, fixed) if not f]
        return Sifted(re.compile("|".join(rest), flags)) if rest else None

    def __getattr__(self, name: str):
        return getattr(self.regex, name)

    def __repr__(self) -> str:
        return f"Sifted({self.regex!r})"

    # could_match, search and found run thousands of times a page, mostly on the text the
    # pattern before them was tried on: the lowered text and the strings' test are inlined
    def could_match(self, text: str) -> bool:
        """False when `text` holds none of the strings a match needs."""
        needed = self._needed
        if needed is None:
            return True
        if self.folded:
            last = _lowered
            if last[0] is text:
                if last[2]:
                    return True
                text = last[1]
            else:
                text, odd = _lower(text)
                if odd:
                    return True
        alternation = needed.alternation
        if alternation is not None:
            return alternation.search(text) is not None
        for string in needed.strings:
            if string in text:
                return True
        return False

    def _low(self, text: str, span: tuple) -> str | None:
        """The lowered text the lowered pattern runs on, or None where the pattern itself
        runs: a span, no lowered pattern, or a text whose lowering moves its offsets."""
        if self._lowered is None or span:
            return None
        last = _lowered  # could_match lowered this text
        low, odd = (last[1], last[2]) if last[0] is text else _lower(text)
        return None if odd else low

    def search(self, text: str, *span):
        if not self.could_match(text):
            return None
        low = self._low(text, span)
        if low is None:
            return self.regex.search(text, *span)
        found = self._lowered.search(low)
        # the same match, on the page's own text: where the lowered pattern first matches
        # the pattern does, the same way (the groups' text is the page's)
        return None if found is None else self.regex.match(text, found.start())

    def _found_lowered(self, text: str) -> bool:
        """Whether the pattern matches in `text`, by its lowered pattern where it has one."""
        lowered = self._lowered
        if lowered is None:
            return self.regex.search(text) is not None
        last = _lowered
        low, odd = (last[1], last[2]) if last[0] is text else _lower(text)
        if odd:
            return self.regex.search(text) is not None
        return lowered.search(low) is not None

    def found(self, text: str) -> bool:
        """Whether the pattern matches somewhere in `text`. An alternative that is fixed
        text matches where the text holds it (`sufficient_strings`; str.lower maps a
        character to an ASCII one, or to one without case, only as case folding does: the
        Kelvin sign to k); else the other alternatives decide, a pattern matching where
        one of its alternatives does."""
        enough = self._enough
        if enough is None:
            return self.could_match(text) and self._found_lowered(text)
        if self.folded:
            last = _lowered
            if last[0] is text:
                low, odd = last[1], last[2]
            else:
                low, odd = _lower(text)
            if odd:
                return self.regex.search(text) is not None  # "CERTİF": folding finds more
            if enough.in_(low):
                return True
        elif enough.in_(text):
            return True
        if self._rest is False:
            return self.could_match(text) and self._found_lowered(text)
        return self._rest is not None and self._rest.found(text)

    def could_match_each(self, texts: list[str]) -> list[bool]:
        """`could_match` of each of `texts` (the lines of a page), worked out for all of
        them at once: the page lowered once and each needed string looked for through it
        with str.find, not each line lowered and searched string by string. A string found
        across two lines marks the first (could_match only says where a match may be)."""
        needed = self._needed
        if needed is None:
            return [True] * len(texts)
        page = "\n".join(texts)
        if self.folded:
            page, odd = _lower(page)
            if odd:
                return [self.could_match(text) for text in texts]
        if needed.alternation is not None:
            return [self.could_match(text) for text in texts]
        starts = list(itertools.accumulate([len(text) + 1 for text in texts], initial=0))
        holding = [False] * len(texts)
        for string in needed.strings:
            at = page.find(string)
            while at >= 0:
                line = bisect.bisect_right(starts, at) - 1
                holding[line] = True
                at = page.find(string, starts[line + 1])  # the next line holding it
        return holding

    # an anchored pattern mostly fails at its first characters, and testing first costs
    # more; a pattern that scans a line before failing ("label: value") is tested first
    def match(self, text: str, *span):
        if self.sift_matches and not self.could_match(text):
            return None
        return self.regex.match(text, *span)

    def fullmatch(self, text: str, *span):
        if self.sift_matches and not self.could_match(text):
            return None
        return self.regex.fullmatch(text, *span)

    def finditer(self, text: str, *span):
        if not self.could_match(text):
            return iter(())
        low = self._low(text, span)
        if low is None:
            return self.regex.finditer(text, *span)
        # each match as search's: found by the lowered pattern, read on the page's text
        return (self.regex.match(text, found.start())
                for found in self._lowered.finditer(low))

    def findall(self, text: str, *span):
        return self.regex.findall(text, *span) if self.could_match(text) else []

    def sub(self, repl, text: str, count: int = 0):
        return self.regex.sub(repl, text, count) if self.could_match(text) else text


DASH_CHARS = "\\-‐‑‒–—−"
DASH = f"[{DASH_CHARS}]"
"""Any hyphen or dash: pages use hyphen-minus, en dash (2023–2033) and em dash alike."""

YEAR = r"(?:19|20)\d{2}"

PROJECTION_PERIOD = re.compile(
    r"(?:\bfrom\s+|(?P<between>\bbetween\s+))?(?<!\d)(?P<start>" + YEAR + r")\s*(?:" + DASH +
    r"|\bto\b|\bthrough\b|(?(between)\band\b|(?!)))\s*"
    r"(?P<end>" + YEAR + r"|\d{2})(?![\d" + DASH_CHARS + r"/])"
)
"""A span of years: "(2023–2033)", "from 2023 to 2033", "between 2024 and 2034",
"2024-2034", "2022-32"."""

THROUGH_YEAR = re.compile(
    r"\b(?:through|thru|until|till|by)\s+(?P<end>" + YEAR + r")\b(?![-–/]\d)")
"""The end of an open period: "grow 8.5% through 2032", "by 2030"."""

SINGLE_YEAR = re.compile(
    r"(?<![\d/\-–.,$])(?:(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+)?(?P<year>" + YEAR + r")(?![\d/\-–]|,\d)"
)
"""A reference year: "2024 Median Pay", "in 2022", "May 2023"."""

DURATION = re.compile(
    r"(?<![\w.])(?P<a>\d+(?:\.\d+)?|{words})(?:\s*(?:" + DASH + r"|\bto\b|\band\b)\s*"
    r"(?P<b>\d+(?:\.\d+)?|{words}))?\s*(?P<plus>\+)?\s*(?:years?|yrs?)\b(?P<plus2>\+)?"
)
"""A duration in years: "2–5 years", "5+ years", "One to two years", "4-5 years"."""

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
DURATION = Sifted(re.compile(
    DURATION.pattern.replace("{words}", "|".join(NUMBER_WORDS)), re.IGNORECASE
))  # looked for only where "year" or "yr" stands: headings and labels are asked for one

HOURLY = Sifted(re.compile(r"\b(?:per|an|a|each|/)\s*(?:hour|hr)\b|/\s*(?:hour|hr)\b|\bhourly\b",
                          re.I))
ANNUAL = Sifted(re.compile(
    r"\b(?:per|a|each|/)\s*(?:year|yr|annum)\b|/\s*(?:year|yr)\b|\bannual(?:ly)?\b|\byearly\b", re.I
))
OTHER_PAY_PERIOD = re.compile(r"\b(?:weekly|monthly|daily|per\s+(?:week|month|day))\b", re.I)
"""Pay for a week, a month or a day: not a unit of the claims vocabulary."""

_NOT_LABEL = r"(?!\s+(?:median|mean|average|wage|wages|pay|rate|salary|earnings|income|figure)\b)"
UNIT_SUFFIX = re.compile(
    r"[^\S\n]*(?:(?P<hour>(?:per|an|a|each)\s+hour\b|/\s*(?:hour|hr|h)\b|hourly\b" + _NOT_LABEL +
    r"|p/h\b)"
    r"|(?P<year>(?:per|a|each)\s+(?:year|annum)\b|/\s*(?:year|yr|annum)\b|(?:annually|yearly)\b"
    + _NOT_LABEL + r"|p\.?a\.?(?!\w))"
    r"|(?P<month>(?:per|a|each)\s+month\b|/\s*(?:month|mo)\b|monthly\b" + _NOT_LABEL + r")"
    r"|(?P<week>(?:per|a|each)\s+week\b|/\s*(?:week|wk)\b|weekly\b" + _NOT_LABEL + r")"
    r"|(?P<other>(?:per|a|each)\s+(?:day|shift)\b|/\s*day\b|daily\b"
    r"|(?:per|a|an|each|por)\s+(?!(?:hour|hr|year|yr|annum|month|week|person|worker|head|"
    r"employee|full[\s-]time|month|and|or|the|few|lot|little|bit|typical)\b)(?:[a-z]+\s+)?"
    r"(?:bin|box|case|caja|session|visit|job|call|piece|unit|load|trip|mile|bag|tree|acre|"
    r"yard|ton|pound|lb|head|shift|class|lesson|client|patient|project|contract|gig|event|"
    r"appointment|treatment|sale|policy|closing|transaction|delivery|order)s?\b))",
    re.I,
)
"""What follows an amount on its line and says its unit: "$50,250 per year", "$49K/year",
"$24.16/hr" (a "Yearly" on the next line labels the next row, not this amount)."""

COMPARATIVE = re.compile(r"^\s*(?:more|less|higher|lower|above|below|extra)\b", re.I)
"""Words after an amount that make it a difference: "$4,000 more each year than"."""

COST_WORDS = re.compile(
    r"\b(?:cost|costs|tuition|fees?|price|loans?|debt|spend|budget|scholarships?)\b", re.I
)
"""Words that make an amount a price, not pay: "Estimated Education Cost"."""

PAY_WORDS = re.compile(
    r"\b(?:pay|paid|paying|salary|salaries|wages?|earn|earns|earned|earning|earnings|make|makes|"
    r"made|income|compensation|t(?:ake|akes|ook)\s+home|br(?:ing|ings|ought)\s+in)\b",
    re.I,
)
GROWTH_WORDS = re.compile(
    r"\b(?:grow|grows|growing|growth|increase|increases|projected|expand|expands|decline|"
    r"declines|job outlook|employment change)\b",
    re.I,
)
DECLINE_WORDS = re.compile(
    r"\b(?:decline|declines|declining|fall|falls|shrink|shrinks|decrease|decreases|drop|drops)\b",
    re.I)
"""Words that make a change negative: "employment is projected to decline 3 percent"."""

SHARE_AFTER = re.compile(r"^\s*(?:of|of\s+the)\b", re.I)
"""A percentage followed by "of" is a share, not a change: "62% of tasks"."""

PERCENTILE_PHRASE = re.compile(
    r"\b(?P<side>lowest|bottom|highest|top)(?:[\s-]+(?:paid|earning))?\s+(?P<n>10|25)\s*(?:%|percent)",
    re.I,
)
"""A percentile in words: "The lowest 10 percent earned less than", "the top 10% took home"."""

PERCENTILE = re.compile(
    r"\b(?P<n>10|25|50|75|90)(?:st|nd|rd|th)?\s*(?:%\s?ile|percentile|pct\.?)(?!\w)", re.I
)
"""A percentile: "10th %ile", "90th percentile"."""

MEDIAN = re.compile(r"\bmedian\b", re.I)
MEAN = re.compile(r"(?<!above-)(?<!below-)(?<!above )(?<!below )\b(?:average|mean|avg\.?)(?!\w)",
                  re.I)
"""An average, but not "above-average pay"."""
RANGE_WORD = re.compile(r"\brang(?:e|es|ing)\b", re.I)

CITED_AGENCY = Sifted(re.compile(
    r"\b(?P<agency>BLS|Bureau of Labor Statistics|O\*NET|Census Bureau|CareerOneStop|"
    r"(?:[A-Z][a-z]+\s+){1,3}(?:Department|Bureau|Office|Division|Agency|Commission)\s+of\s+"
    r"[A-Z][a-z]+(?:(?:\s+and|\s+of|,)?\s+[A-Z][a-z]+)*)\b"
))
"""An agency a page credits: "According to the BLS", "data from the U.S. Bureau of Labor
Statistics (BLS)", "the Ohio Department of Job and Family Services expects"."""

EDUCATION_PATTERNS = (
    ("doctoral or professional degree",
     r"doctoral(?:\s+or\s+professional)?\s+degree|doctorate|ph\.?\s?d\b|professional\s+degree"),
    ("master's degree", r"\bmaster[’'`]?s?\s+degree|\bmaster[’'`]s\b|\bmaster\s+of\s+[A-Z]"),
    ("bachelor's degree",
     r"\bbachelor[’'`]?s?\s+degree|\bbachelor[’'`]s\b|\bbachelor\s+of\s+[A-Z]|baccalaureate"),
    # a bare "associate's" is the degree only beside another degree ("Associate’s or
    # bachelor’s degree"); "a sales associate's pay" is a job title
    ("associate's degree",
     r"\bassociate[’'`]?s?\s+degree|\bassociate[’'`]s(?=\s+(?:or|and|/)\s+\w+[’'`]?s?\s+degree)"),
    ("some college, no degree", r"some\s+college"),
    ("postsecondary nondegree award",
     r"post-?secondary\s+non-?degree\s+award|non-?degree\s+award|post-?secondary\s+certificate|"
     r"certificate(?:\s+program)?|vocational\s+(?:certificate|diploma|training)"),
    ("high school diploma or equivalent",
     r"high\s+school\s+diploma(?:\s+or\s+equivalent)?|high\s+school|\bGED\b|"
     r"secondary\s+school\s+diploma"),
    ("no formal educational credential", r"no\s+formal\s+(?:educational\s+)?credential"),
)
EDUCATION = Sifted(re.compile(
    "|".join(f"(?P<e{i}>{rx})" for i, (_, rx) in enumerate(EDUCATION_PATTERNS)), re.I
))
"""An education level: "Postsecondary nondegree award", "Certificate", "Bachelor's degree"."""
assert {name for name, _ in EDUCATION_PATTERNS} == set(EDUCATION_LEVELS)

_CREDENTIAL = r"(?:licen[sc]es?|licensing|licensure|certifications?)(?:\s*\([^)]{1,20}\))?"
CERTIFICATION_NOT_REQUIRED = Sifted(re.compile(
    r"\bno\s+(?:required\s+)?" + _CREDENTIAL + r"(?:\s+(?:is|are))?(?:\s+required)?"
    r"|\b" + _CREDENTIAL + r"\s+(?:is|are)\s+(?:\w+ly\s+)?not\s+required"
    r"|\b(?:do|does)\s*n[o’']t\s+(?:need|require)\s+(?:a\s+|any\s+)?" + _CREDENTIAL
    + r"|\bdo(?:es)?\s+not\s+(?:need|require)\s+(?:a\s+|any\s+)?" + _CREDENTIAL,
    re.I,
))
"""A credential that is not needed: "There are also no required certifications",
"Certification is not required", "you don’t need a license"."""

CERTIFICATION_REQUIRED = Sifted(re.compile(
    r"\b" + _CREDENTIAL + r"(?:\s+(?:or|and|/)\s+" + _CREDENTIAL + r")?\s+(?:is\s+|are\s+)?"
    r"(?:required|mandatory)\b|\b(?:must|required\s+to)\s+(?:be|become|hold|have|obtain)\s+"
    r"(?:a\s+)?(?:licensed|certified|licen[sc]e|certification)\b"
    r"|\brequires?\s+[^.;]{1,60}?\bto\s+be\s+(?:licensed|certified)\b",
    re.I,
))
"""A credential that is needed: "License or certification required", "A license is
required in all states", "must be licensed"."""

REQUIREMENT_ANSWER = re.compile(
    r"^\s*(?:(?P<no>not\s+required|none(?:\s+required)?|no\b|optional)|(?P<yes>required|yes\b|"
    r"mandatory))", re.I)
"""The answer in a requirement card: "Not required", "Yes", "Required in all states"."""

HEDGE = re.compile(r"\b(?:may|might|can|could|not always|sometimes|some|optional|"
                   r"prefer|preferred|often|usually|typically|recommended)\b", re.I)
"""Words that turn a requirement into a possibility: "may not always be required"."""

LEVEL_PHRASES = (
    ("all", r"all\s+(?:workers|levels|employees|experience\s+levels)"),
    ("not-leveled", r"not\s+able\s+to\s+be\s+leveled|not\s+leveled|unleveled"),
    ("entry", r"entry(?:[\s-]+level)?|junior|beginner|starting|first[\s-]year"),
    ("early", r"early[\s-]+career"),
    ("mid", r"mid(?:[\s-]*(?:level|career))|intermediate(?:[\s-]+level)?|established"),
    ("experienced", r"experienced|late[\s-]+career"),
    ("senior", r"senior(?:[\s-]+level)?|lead"),
    ("principal", r"staff\s*/\s*principal|principal(?:[\s-]+level)?|staff[\s-]+level"),
    ("expert", r"expert(?:[\s-]+level)?|top\s+(?:earners?|producers?|performers?)"),
)
assert {name for name, _ in LEVEL_PHRASES} <= set(LEVELS)
LEVEL = Sifted(re.compile(
    r"\b(?:" + "|".join(f"(?P<l{i}>{rx})" for i, (_, rx) in enumerate(LEVEL_PHRASES)) + r")\b",
    re.I))
"""A career level: "Entry Level", "Intermediate", "Mid-Career", "All workers"."""

SCHEDULE = re.compile(r"\b(?P<full>full[\s-]?time)\b|\b(?P<part>part[\s-]?time)\b", re.I)
"""A work schedule: "Full-time", "part time"."""

UNION = re.compile(
    r"\b(?P<non>non-?union(?:ized)?|not\s+unionized)\b|\b(?P<union>union(?:ized)?|union\s+members?)\b",
    re.I,
)
"""Union status: "Unionized", "nonunionized"."""

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
}
_STATE_NAMES = "|".join(sorted(map(re.escape, US_STATES.values()), key=len, reverse=True))
NATIONAL = re.compile(
    r"^(?:the\s+)?(?:U\.?S\.?A?\.?|United\s+States(?:\s+of\s+America)?|US\s+National(?:\s+Average)?|"
    r"National(?:\s+Average)?|"
    r"Nationwide|Nationally|national)$",
    re.I,
)
"""Words for the whole country: "US National Average", "U.S.", "Nationwide"."""

PLACE = re.compile(
    r"in(?<!\win)\s+(?:the\s+)?(?P<place>"
    r"[A-Z][\w.'’-]*(?:[\s-]+[A-Z][\w.'’-]*)*,\s*(?:" + "|".join(US_STATES) + r")\b"
    r"|(?:[A-Z][\w.'’-]*\s+)+(?:non)?metropolitan\s+area"
    r"|(?:" + _STATE_NAMES + r")\b)"
)
"""A place a figure is for: "in Riverside-San Bernardino-Ontario, CA", "in the Northwest
Mississippi nonmetropolitan area", "in California". ("in(?<!\\win)" is "\\bin" with its letters
first, so that the engine skips from one "in" to the next instead of testing for a word's
start at every character of a sentence.)"""


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH = r"(?:" + "|".join(m.capitalize() for m in MONTHS) + r"|" + "|".join(
    m[:3].capitalize() + r"\.?" for m in MONTHS) + r")"

PAGE_DATE = Sifted(re.compile(
    r"\b(?:last\s+)?(?:updated|modified|reviewed|modified\s+date)(?:\s+(?:on|date))?\s*:?\s*"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})\b"
    r"|(?P<month>" + _MONTH + r")\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d{2})\b"
    r"|(?P<day2>\d{1,2})\s+(?P<month2>" + _MONTH + r")\s+(?P<year2>(?:19|20)\d{2})\b)",
    re.I,
))
"""When a page says it was last changed: "Updated: 2026-01-09", "Updated March 2, 2026",
"Last Modified Date: Thursday, August 28, 2025", "Last reviewed 14 March 2025"."""


def _iso(month: str, day: str, year: str) -> str:
    number = next(i for i, m in enumerate(MONTHS, 1) if m.startswith(month.lower().rstrip(".")[:3]))
    return f"{year}-{number:02d}-{int(day):02d}"


def stated_page_date(text: str) -> str:
    """The latest "updated" date a page states, ISO, or "".

    >>> stated_page_date("Methodology: v2.0 Updated: 2026-01-09 … Last updated: 2026-01-09")
    '2026-01-09'
    >>> stated_page_date("Updated March 2, 2026"), stated_page_date("Last Modified Date: Thursday, August 28, 2025")
    ('2026-03-02', '2025-08-28')
    """
    dates = []
    for m in PAGE_DATE.finditer(text):
        if m.group("iso"):
            dates.append(m.group("iso"))
        elif m.group("month"):
            dates.append(_iso(m.group("month"), m.group("day"), m.group("year")))
        else:
            dates.append(_iso(m.group("month2"), m.group("day2"), m.group("year2")))
    valid = []
    for d in dates:
        try:
            datetime.date.fromisoformat(d)
        except ValueError:
            continue  # "February 30"
        valid.append(d)
    return max(valid) if valid else ""


# --- parsed values -------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A reference period as stated: "2024", "2023-2033", "-2032" (through 2032)."""

    text: str
    start: int
    end: int
    first: int | None
    last: int | None

    @property
    def label(self) -> str:
        if self.first is None:
            return f"-{self.last}"
        if self.first == self.last:
            return str(self.first)
        return f"{self.first}-{self.last}"


# --- figures: one scanner for every number a page states -----------------------------

@dataclass(frozen=True)
class Figure:
    """A number as a page printed it, read: a value or a range, with its precision.

    `kind` says what the number is on its face: `money` (U.S. dollars), `foreign` (another
    currency: "£57,200", "C$20.00", "15.50$"), `percent`, `count` (a whole number of
    things: "490,400", "2.8 million"), or `number` (anything else: "18.40" in a table
    without a "$", "590", "0.86"). What it is a figure *of* is decided from its context.
    """

    text: str  # as printed
    start: int
    end: int
    value: float | None = None
    low: float | None = None  # a range: low and high; low alone is open-ended ("$80,000+")
    high: float | None = None  # high alone: "up to $91,000"
    precision: float = 1.0
    unit_hint: str = ""  # "USD/hour", "USD/year", "USD/month", "USD/week" from the words after it
    kind: str = "money"
    currency: str = ""  # for kind foreign: GBP, EUR, CAD, …
    bound: str = ""  # "under" ("less than $13.02"), "over" ("more than $38.21"), ""
    approx: bool = False  # "about", "roughly", "nearly", "~"
    footnote: str = ""  # a footnote mark glued to the figure: "1" of "$59,810.1"

    @property
    def is_range(self) -> bool:
        return self.value is None and (self.low is not None or self.high is not None)

    @property
    def amount(self) -> float | None:
        """The single value, else the range's first stated bound."""
        if self.value is not None:
            return self.value
        return self.low if self.low is not None else self.high


_FIGURE_FIELDS = {name: getattr(Figure, name, None) for name in Figure.__dataclass_fields__}


def _figure(**values) -> Figure:
    """A Figure of the scanner, its fields set as pickle sets them (a page has hundreds, and
    the frozen dataclass's __init__ sets each field through object.__setattr__)."""
    figure = object.__new__(Figure)
    figure.__dict__.update(_FIGURE_FIELDS, **values)
    return figure


_FOREIGN_PREFIX = {
    "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "C$": "CAD", "CA$": "CAD", "CAD": "CAD",
    "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL",
    "MX$": "MXN", "EUR": "EUR", "GBP": "GBP", "CHF": "CHF",
}
_FOREIGN_SUFFIX = {
    "€": "EUR", "£": "GBP", "$": "CAD", "CAD": "CAD", "EUR": "EUR", "GBP": "GBP",
    "euro": "EUR", "euros": "EUR", "pounds": "GBP", "CHF": "CHF",
}
"""A dollar sign after the amount ("20,00 $", "15.50$") is how French-speaking Canada
writes dollars: not U.S. dollars."""

_NUMBER_LEAD = (
    # what a match can begin with, first: the engine then skips to such characters instead
    # of trying the lookbehind and every currency at every position of the page
    r"(?=[\s\d+\-−$£€¥₹ACEGHMNRSU])"
    r"(?<![\w.,/#$£€¥₹])"
    r"(?P<cur>US\s?\$|USD(?=[\s\d])\s?|CA\$|C\$|AU\$|A\$|NZ\$|HK\$|S\$|R\$|MX\$|CAD\s?|EUR\s?|"
    r"GBP\s?|CHF\s?|\$|£|€|¥|₹)?\s?"
    r"(?P<sign>(?<![^\s(])[+\-−](?=\d))?"
)
NUMBER_TOKEN = re.compile(
    _NUMBER_LEAD +
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![ \u00a0\u202f]?[\d.,]\d)"
    r"|\d+(?:\.\d+)?)"
    r"(?P<mult>\s?(?:[kKmM](?![\w'’])|thousand\b|million\b|billion\b))?"
    r"(?P<plus>\+)?"
    r"(?P<pct>\s?(?:%|percent\b|per\s?cent\b))?"
    r"(?P<after>\s?(?:USD\b|U\.S\.\s+dollars\b|dollars?\b|CAD\b|EUR\b|GBP\b|CHF\b|euros?\b|"
    r"pounds\b|€|£|\$(?![\d\w])))?"
)
"""Every number with what is printed around it: a currency before or after, a
magnitude ("K", "million"), "+", "%"."""

_LEAD_WIDTH = re._parser.parse(_NUMBER_LEAD).getwidth()[1]
"""How far before its first digit a NUMBER_TOKEN match can begin ("US $ -" is 6)."""
_DIGIT = re.compile(r"\d")
_ZEROED = str.maketrans("123456789", "000000000")
"""Every digit of an ASCII text (which holds no other digit "\\d" finds) made "0": in the
text so made str.find skips through the prose between a page's numbers to the next
digit, for far fewer instructions a character than the engine's test of each."""


def _digit_finder(text: str):
    """A function giving where the first digit of `text` at or after an offset is, or -1."""
    if text.isascii():
        zeroed = text.translate(_ZEROED)
        return lambda at: zeroed.find("0", at)
    digit = _DIGIT.search

    def find(at: int) -> int:
        found = digit(text, at)
        return -1 if found is None else found.start()
    return find


def _number_tokens(text: str):
    """NUMBER_TOKEN.finditer(text), the same matches found faster. The engine cannot skip
    ahead to the characters a match begins with (they are only looked ahead for), so it
    tries the pattern at every position of the page; every match holds a digit no more than
    _LEAD_WIDTH characters after its start, and digits it does skip to. A match found from
    there is the next one: none begins further back, where no digit follows close enough
    (the lookbehind still sees the text before where the search starts)."""
    search, next_digit = NUMBER_TOKEN.search, _digit_finder(text)
    at = 0
    while True:
        first = next_digit(at)
        if first < 0:
            return
        m = search(text, max(at, first - _LEAD_WIDTH))
        if m is None:
            return
        yield m
        at = m.end()


MASKED = re.compile(
    r"(?=[\d(A-Z])"  # what a match can begin with (see NUMBER_TOKEN)
    r"(?:\b\d{2}-\d{4}(?:\.\d{2})?\b"  # SOC codes: 29-2072, 29-2072.00
    r"|(?<!\d)(?:19|20)\d{2}-\d{2}-\d{2}(?!\d)"  # ISO dates
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}/\d{1,2}/\d{1,2}\b"  # slashed dates
    r"|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"  # phone numbers
    r"|\b\d{1,2}:\d{2}\b"  # times
    r"|\b\d+(?:\.\d+){2,}\b"  # version numbers: 1.5.5
    r"|\b\d+/\d+\b"  # scores and fractions: 3/6, 15/25
    r"|\((?:\d{1,2}|[a-z])\)"  # footnote marks: "Employment (1)", a "(5)" cell
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"  # ZIP codes: "Wichita, KS 67213"
    r"|\b(?:NOC|SOC|NAICS|CIP|ISCO|ZIP|Zip|Job\s+ID|Req\.?|Ref\.?)\s*(?:code\s*)?#?\s*\d+"  # codes
    r"|\b\d{1,4}\s*[–-]\s*\d{1,4}\s+of\s+[\d,]+\b)"  # result counts: "1–15 of 1,284 jobs"
)
"""Numbers that are never figures: codes, dates, phone numbers, times, versions."""

MASK_CUE = re.compile(r"[\-–/:()]|\d\.\d+\.\d|\d{3}\s\d{3}|\d{5}|NOC|SOC|NAICS|CIP|ISCO|ZIP|Zip|"
                      r"Job|Req|Ref")
"""Something every MASKED match holds (a dash, slash, colon or parenthesis; two dots in a
number; digits spaced as a phone number's; five digits; a code's name): a window around
a number without any is searched no further (tests/test_patterns.py holds MASKED to it).
Most windows are rows of a table: "Iowa  62,862  1.60  $35,469"."""

_SHAPES = str.maketrans({**dict.fromkeys("0123456789", "0"),
                         **dict.fromkeys(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", " ")})
"""An ASCII text's shape: each digit made "0" and each white space (what "\\s" matches) " "."""
_SHAPED_VERSION = re.compile(r"0\.0+\.0")
_CODE_NAMES = ("NOC", "SOC", "NAICS", "CIP", "ISCO", "ZIP", "Zip", "Job", "Req", "Ref")


def _mask_cue(window: str) -> bool:
    """Whether MASK_CUE is found in `window`. The engine tries its sixteen alternatives at
    every character; in an ASCII window (most are) each is looked for with `in` instead,
    the digits and spaces it spells out with "\\d" and "\\s" made alike first."""
    if not window.isascii():
        return MASK_CUE.search(window) is not None
    shape = window.translate(_SHAPES)
    for cue in ("-", "/", ":", "(", ")", "00000", "000 000", *_CODE_NAMES):
        if cue in shape:
            return True
    return "0." in shape and _SHAPED_VERSION.search(shape) is not None

MASK_WINDOW = 32
"""How far around a number codes, dates and periods are looked for: longer than any of them
("from 2023 through 2033", "(555) 123-4567")."""

SEPARATOR = re.compile(r"[ \u00a0]{0,2}(?:" + DASH + r"|to|and)[ \u00a0]{0,2}")
"""What joins the two ends of a range: a dash or "to" with at most two spaces either side
(an empty table cell's "—" between two columns of figures joins nothing)."""
UP_TO = Sifted(re.compile(r"\b(?:up\s+to|as\s+much\s+as)\s*$", re.I))
UNDER = Sifted(re.compile(r"\b(?:less\s+than|under|below|at\s+most|no\s+more\s+than|lower\s+than)\s*$",
                   re.I))
OVER = Sifted(re.compile(r"\b(?:more\s+than|over|above|at\s+least|upwards\s+of|in\s+excess\s+of|"
                  r"higher\s+than|exceed(?:s|ed)?)\s*$", re.I))
APPROX = Sifted(re.compile(r"(?:\b(?:about|around|roughly|nearly|approximately|approx\.|almost|some|"
                    r"close\s+to|near|an\s+estimated|estimated)|~|≈)\s*$", re.I))
HEDGE_ENDS = frozenset("tdy.eorn~≈wfs" + "tdy.eornwfs".upper() + "\u017f")
"""The last characters (before spaces) of what APPROX, UP_TO, UNDER and OVER match:
"about", "approx.", "up to", "less than", "below", "upwards of", "exceeds", … in any case
(and the long s, which folds to s); tests/test_sifted.py holds the patterns to it."""
AND_UP = re.compile(r"\s+(?:and|or)\s+(?:up|above|more|higher|over)\b", re.I)
"""Words after an amount that open it upwards: "$75K and up", "$90,000 or more"."""
FROM_BETWEEN = re.compile(r"\b(?:from|between)\s*$", re.I)


NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


def _number(text: str) -> tuple[float, float]:
    """Value and precision of "50,250" (1), "24.16" (0.01), "8.5" (0.1), "62 690" (1)."""
    plain = text.replace(",", "")
    if not plain.replace(".", "").isdecimal():
        plain = NUMBER_SPACES.sub("", plain)  # "62 690"
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    return float(plain), 10.0 ** -decimals


def _scale(multiplier: str | None) -> float:
    word = (multiplier or "").strip().lower()
    if not word:
        return 1.0
    if word in ("m", "million"):
        return 1e6
    if word == "billion":
        return 1e9
    return 1e3


def _unit_after(text: str, end: int, amount: float | None = None) -> str:
    m = UNIT_SUFFIX.match(text, end)
    if not m:
        return ""
    for unit in ("hour", "year", "month", "week"):
        if m.group(unit):
            if unit == "hour" and amount is not None and amount >= 1000:
                return ""  # "$107,050 Hourly median $47.88": the next label's word
            return f"USD/{unit}"
    return "other"  # a day or a shift: not a unit of the claims vocabulary


@dataclass
class _Token:
    m: re.Match
    start: int
    end: int
    value: float
    precision: float
    kind: str
    currency: str
    has_mult: bool
    footnote: str = ""


FOOTNOTED = re.compile(r"\d{1,3}(?:,\d{3})+\.\d")
"""A grouped whole amount with one decimal: an amount and a footnote ("59,810.1")."""


_RANGE_TOP = re.compile(r"\$\s?\d[\d,.]*[kKmM]?\s*" + DASH + r"\s*$")
_SPACED_DIGITS = re.compile(r"\d[ \u00a0\u202f]\d")


def _token(m: re.Match) -> _Token | None:
    # the groups in NUMBER_TOKEN's order, read at once
    cur, sign, num, mult_text, _, pct, after = m.groups()
    cur = (cur or "").strip()
    after = (after or "").strip()
    footnote = ""
    if "," in num and FOOTNOTED.fullmatch(num):
        # "$59,810.1": a grouped whole amount with one decimal is an amount and a footnote
        num, footnote = num[:-2], num[-1]
    value, precision = _number(num)
    mult = bool(mult_text)
    if mult:
        if mult_text.strip() in "kKmM" and not (cur or after) and not _RANGE_TOP.search(
                m.string[max(0, m.start() - 16):m.start()]):
            return None  # "401k", "5M": a magnitude letter means money only beside a currency
            #              (or as the top of a range: "$49-55K")
        scale = _scale(mult_text)
        value, precision = round(value * scale, 6), precision * scale
    else:
        value = round(value, 6)
    if sign in ("-", "−"):
        value = -value
    start = m.start() if cur else m.start("sign") if sign else m.start("num")
    end = m.end()
    if footnote:
        end = m.start("num") + len(num)
    if pct:
        kind = "percent"
        if after:
            end = m.end("pct")
    elif cur in ("$", "US$", "US $", "USD") or (after in ("USD", "dollars", "dollar", "U.S. dollars")
                                               and not cur):
        kind = "money"
    elif cur or after:
        kind = "foreign"
    elif (mult or "," in num or _SPACED_DIGITS.search(num)) and (
            "." not in num or mult):
        kind = "count"
    else:
        kind = "number"
    if kind not in ("money", "foreign") and after:
        end = m.start("after")  # "50 dollars" is money; a stray "$" after a percent is not
    currency = ""
    if kind == "foreign":
        currency = _FOREIGN_PREFIX.get(cur.replace(" ", ""), "") or _FOREIGN_SUFFIX.get(after, "")
    text_end = end
    while text_end > start and m.string[text_end - 1] in " \u00a0":
        text_end -= 1
    return _Token(m, start, text_end, value, precision, kind, currency, mult, footnote)


def _paired(text: str, a: _Token, b: _Token) -> tuple[float, float, float] | None:
    """(low, high, precision) when `a` and `b` are the two ends of one range."""
    between = text[a.end:b.start]
    sep = SEPARATOR.fullmatch(between)
    if not sep or a.footnote or a.m.group("plus"):
        return None
    if sep.group().strip() == "and" and not FROM_BETWEEN.search(text[max(0, a.start - 12):a.start]):
        return None  # "$30,000 and $45,000 after five years" are two figures
    money = {"money", "foreign"}
    if a.kind in money or b.kind in money:
        if not ({a.kind, b.kind} <= money | {"number", "count"}):
            return None
        if a.kind in money and b.kind in money and a.kind != b.kind:
            return None
        if a.kind in ("number", "count") and not b.m.group("after"):
            return None  # "17-22 USD" has its currency after; "5 - $6" is two things
    elif a.kind == "percent" or b.kind == "percent":
        if b.kind != "percent" or sep.group().strip() in ("to", "and") or a.kind not in (
                "percent", "number"):
            return None  # "from 5% to 7%" is a change, not a range
    else:
        return None
    low, p_low = a.value, a.precision
    high, p_high = b.value, b.precision
    if b.has_mult and not a.has_mult:
        scale = _scale(b.m.group("mult"))
        low, p_low = round(low * scale, 6), p_low * scale  # "$49-55K"
    elif a.has_mult and not b.has_mult and not b.m.group("cur"):
        scale = _scale(a.m.group("mult"))
        high, p_high = round(high * scale, 6), p_high * scale  # "$40K - 55"
    elif (a.kind == "money" and not b.m.group("cur") and low < 1000 and "." not in a.m.group("num")
          and high >= 1000 and high % 1000 == 0 and low * 1000 <= high <= low * 3000):
        low, p_low = low * 1000, 1000.0  # "$39-48,000": the magnitude is printed once
    if high < low:
        return None
    bare = not (b.m.group("cur") or b.m.group("after"))
    if bare and b.kind != "percent" and not (low <= high < 20 * max(low, 1)):
        return None  # "$10 to 300", "$50,250 - 2024 data": the second number is no amount
    return low, high, max(p_low, p_high)


def scan(text: str) -> list[Figure]:
    """Every figure in `text`, in order: amounts and ranges of money (U.S. and foreign),
    percentages, counts and other numbers. Codes, dates, years and periods are not figures.

    >>> [(f.kind, f.text, f.value, f.low, f.high) for f in scan(
    ...     "Median pay: $59,810.1; hourly $ 28.75; $39-48,000 a year; up to $91,000")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('money', '$59,810', 59810.0, None, None), ('money', '$ 28.75', 28.75, None, None),
     ('money', '$39-48,000', None, 39000.0, 48000.0), ('money', '$91,000', None, None, 91000.0)]
    >>> [(f.kind, f.text, f.value) for f in scan("£57,200; 15.50$; 2.8 million jobs; 3.6 %")]
    [('foreign', '£57,200', 57200.0), ('foreign', '15.50$', 15.5), ('count', '2.8 million', 2800000.0), ('percent', '3.6 %', 3.6)]
    """
    def is_masked(a: int, b: int) -> bool:
        """Whether a code, a date or a period covers a..b: looked for in a window around
        it (whole words), so the page is not searched for them where there is no number."""
        lo, hi = max(0, a - MASK_WINDOW), min(len(text), b + MASK_WINDOW)
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        window = text[lo:hi]
        for m in MASKED.finditer(window) if _mask_cue(window) else ():
            if m.start() + lo >= b:
                break  # the rest begin after the number
            if m.end() + lo > a:
                return True
        if not _YEARISH.search(window):
            return False  # no year, so no period (and the window is kept out of its cache)
        return any(p.start + lo < b and p.end + lo > a for p in find_periods(window))

    tokens: list[_Token] = []
    for m in _number_tokens(text):
        nxt = text[m.end():m.end() + 1]
        if nxt.isalnum() and not m.group("pct") and not m.group("after") and not (
                nxt.isalpha() and nxt.islower() and not text[m.end() + 1:m.end() + 2].isalnum()
                and (m.group("cur") or re.search(r"[,.]\d", m.group("num")))):
            continue  # "10th", "3D", "4-year"; but "$91,100a" carries a footnote letter
        if not (m.group("cur") or m.group("pct")) and is_masked(m.start("num"), m.end("num")):
            continue  # an amount or a percentage is never a code, a date or a period
        token = _token(m)
        if token is not None:
            tokens.append(token)
    figures: list[Figure] = []
    i = 0
    while i < len(tokens):
        a = tokens[i]
        b = tokens[i + 1] if i + 1 < len(tokens) else None
        pair = _paired(text, a, b) if b is not None else None
        before = text[max(0, a.start - 24):a.start]
        # the words before a figure that bound or round it all end in one of a few letters
        hedged = before.rstrip()[-1:] in HEDGE_ENDS
        approx = hedged and APPROX.found(before)
        if pair is not None:
            low, high, precision = pair
            kind = "money" if "money" in (a.kind, b.kind) else (
                "foreign" if "foreign" in (a.kind, b.kind) else "percent")
            plus = b.m.group("plus")
            figures.append(_figure(
                text=text[a.start:b.end], start=a.start, end=b.end, low=low,
                high=None if plus else high, precision=precision,
                unit_hint=_unit_after(text, b.end, high) if kind != "percent" else "", kind=kind,
                currency=a.currency or b.currency, approx=approx, footnote=b.footnote))
            i += 2
            continue
        common = dict(text=text[a.start:a.end], start=a.start, end=a.end, precision=a.precision,
                      kind=a.kind, currency=a.currency, approx=approx, footnote=a.footnote,
                      unit_hint=_unit_after(text, a.end, a.value) if a.kind in ("money", "foreign")
                      else "")
        and_up = AND_UP.match(text, a.end) if a.kind in ("money", "foreign") else None
        if (a.m.group("plus") or and_up) and a.kind in ("money", "foreign", "count"):
            figures.append(_figure(low=a.value, **common))  # "$80,000+", "$75K and up"
        elif a.kind in ("money", "foreign") and hedged and UP_TO.found(before):
            figures.append(_figure(high=a.value, **common))  # "up to $91,000"
        else:
            bound = "" if not hedged else "under" if UNDER.found(before) else \
                "over" if OVER.found(before) else ""
            figures.append(_figure(value=a.value, bound=bound, **common))
        i += 1
    return figures


def find_money(text: str) -> list[Figure]:
    """Every amount and range of U.S. dollars in `text`.

    >>> [(f.text, f.low, f.high) for f in find_money("Salary Range: $55,000–$80,000+")]
    [('$55,000–$80,000+', 55000.0, None)]
    >>> [(f.value, f.precision, f.unit_hint) for f in find_money("Median salary: $49K/year")]
    [(49000.0, 1000.0, 'USD/year')]
    """
    return [f for f in scan(text) if f.kind == "money"]


def parse_money(text: str) -> Figure | None:
    """The amount or range that is the whole of `text`, else None.

    >>> parse_money("$36,712.00 – $56,867.20").low
    36712.0
    >>> parse_money("about $5") is None
    True
    """
    figures = find_money(text)
    if len(figures) == 1 and figures[0].text == text.strip():
        return figures[0]
    return None


def find_percents(text: str) -> list[Figure]:
    """Every percentage (or range of percentages) in `text`.

    >>> [(f.value, f.precision) for f in find_percents("grow 8.5% through 2032, +7% projected")]
    [(8.5, 0.1), (7.0, 1.0)]
    """
    return [f for f in scan(text) if f.kind == "percent"]


def parse_percent(text: str) -> Figure | None:
    """The percentage that is the whole of `text`, else None.

    >>> parse_percent("-3.5%").value
    -3.5
    """
    figures = find_percents(text)
    if len(figures) == 1 and figures[0].text == text.strip():
        return figures[0]
    return None


def is_count(figure: Figure) -> bool:
    """A whole number of things: a count, or a plain number of 100 or more that is no year."""
    if figure.kind == "count":
        return figure.value is not None or figure.low is not None
    if figure.kind != "number" or figure.value is None or figure.precision < 1:
        return False
    return abs(figure.value) >= 100 and not (1900 <= figure.value <= 2100 and len(figure.text) == 4)


def find_counts(text: str) -> list[Figure]:
    """Whole numbers of things: not amounts, percentages or years.

    >>> [f.value for f in find_counts("Approximately 15,000 positions will open in 2025")]
    [15000.0]
    >>> [f.value for f in find_counts("hold more than 2.8 million jobs; 396 870 techs")]
    [2800000.0, 396870.0]
    """
    return [f for f in scan(text) if is_count(f)]


def _duration_number(token: str) -> tuple[float, float] | None:
    """(value, precision) of "2", "2.5" or "two"; None for look-alikes such as "ſix"."""
    word = token.lower()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word]), 1.0
    try:
        return _number(token)
    except ValueError:
        return None


def find_durations(text: str) -> list[Figure]:
    """Every duration in years: single, range or open-ended.

    >>> [(f.low, f.high) for f in find_durations("Experience: 2–5 years; senior 5+ years")]
    [(2.0, 5.0), (5.0, None)]
    >>> find_durations("One to two years")[0].high
    2.0
    """
    found = []
    for m in DURATION.finditer(text):
        a = _duration_number(m.group("a"))
        b = _duration_number(m.group("b")) if m.group("b") else None
        if a is None or (m.group("b") and (b is None or b[0] < a[0])):
            continue
        precision = min(a[1], b[1]) if b else a[1]
        common = dict(text=m.group(), start=m.start(), end=m.end(), precision=precision)
        if b is not None:
            found.append(Figure(low=a[0], high=b[0], **common))
        elif m.group("plus") or m.group("plus2"):
            found.append(Figure(low=a[0], **common))
        else:
            found.append(Figure(value=a[0], **common))
    return found


def find_periods(text: str) -> list[Period]:
    """Every reference period in `text`, spans of years before single years.

    >>> [p.label for p in find_periods("projected to grow by 9% from 2023 to 2033")]
    ['2023-2033']
    >>> [p.label for p in find_periods("expected to grow 8.5% through 2032")]
    ['-2032']
    >>> [p.label for p in find_periods("Updated: 2026-01-09; earned $47,180 in 2022")]
    ['2022']
    """
    return list(_periods(text))


_YEARISH = re.compile(r"(?:19|20)\d\d")


@functools.lru_cache(maxsize=16384)
def _periods(text: str) -> tuple[Period, ...]:
    if not _YEARISH.search(text):
        return ()
    periods: list[Period] = []
    taken: list[tuple[int, int]] = []
    for m in PROJECTION_PERIOD.finditer(text):
        first = int(m.group("start"))
        end_text = m.group("end")
        last = int(end_text) if len(end_text) == 4 else (first // 100) * 100 + int(end_text)
        if not first < last <= first + 30:
            continue
        periods.append(Period(m.group(), m.start(), m.end(), first, last))
        taken.append((m.start(), m.end()))
    for m in THROUGH_YEAR.finditer(text):
        if any(a <= m.start("end") < b for a, b in taken):
            continue
        periods.append(Period(m.group(), m.start(), m.end(), None, int(m.group("end"))))
        taken.append((m.start(), m.end()))
    for m in SINGLE_YEAR.finditer(text):
        if any(a <= m.start("year") < b for a, b in taken):
            continue
        if re.match(r"[-–/]\d", text[m.end():m.end() + 2]) or re.search(
                r"\d[-–/]$", text[max(0, m.start() - 2):m.start()]):
            continue  # part of a date such as 2026-01-09
        year = int(m.group("year"))
        periods.append(Period(m.group(), m.start(), m.end(), year, year))
    return tuple(sorted(periods, key=lambda p: p.start))


def parse_period(text: str) -> Period | None:
    """The period that is the whole of `text` (parentheses allowed), else None.

    >>> parse_period("(2023–2033)").label
    '2023-2033'
    """
    periods = find_periods(text)
    if len(periods) == 1 and periods[0].text == text.strip().strip("()").strip():
        return periods[0]
    return None


def find_education(text: str) -> list[tuple[str, int, int]]:
    """(BLS category, start, end) of every education level named in `text`.

    >>> find_education("Postsecondary nondegree award, associate’s degree, or bachelor’s degree")[0]
    ('postsecondary nondegree award', 0, 29)
    >>> find_education("Degree you’ll need: Certificate")[0][0]
    'postsecondary nondegree award'
    """
    found = []
    for m in EDUCATION.finditer(text):
        index = int(m.lastgroup[1:])
        found.append((EDUCATION_PATTERNS[index][0], m.start(), m.end()))
    return found


def certification_statement(text: str) -> tuple[bool, int, int] | None:
    """Whether a sentence says a licence or certification is required, with the span.

    Hedged statements ("may not always be required") say neither.

    >>> certification_statement("There are also no required certifications in the field.")
    (False, 15, 41)
    >>> certification_statement("!License or certification required")[0]
    True
    >>> certification_statement("Certification may not always be required") is None
    True
    """
    negative = CERTIFICATION_NOT_REQUIRED.search(text)
    if negative:
        return False, negative.start(), negative.end()
    positive = CERTIFICATION_REQUIRED.search(text)
    if positive is None:
        return None
    answer = re.match(r"\s*[:?]\s*(?P<answer>yes|no)\b", text[positive.end():], re.I)
    if answer:  # "Certification required: No"
        return answer.group("answer").lower() == "yes", positive.start(), positive.end() + answer.end()
    around = text[max(0, positive.start() - 40):positive.end() + 30]
    if HEDGE.search(around):  # "may be required", "required in some states"
        return None
    return True, positive.start(), positive.end()


def normalise_level(words: str) -> str:
    """The career level named by `words`, or a slug of them.

    >>> normalise_level("Intermediate"), normalise_level("All workers"), normalise_level("Entry (10th %ile)")
    ('mid', 'all', 'entry')
    """
    m = LEVEL.search(words)
    if m:
        return LEVEL_PHRASES[int(m.lastgroup[1:])][0]
    return slug(words)


def normalise_geography(words: str) -> str:
    """A place name with the country's many names folded into one.

    >>> normalise_geography("US National Average"), normalise_geography("Riverside, CA")
    ('United States', 'Riverside, CA')
    """
    words = clean(words)
    if not words or NATIONAL.match(words):
        return DEFAULT_GEOGRAPHY
    return words


def normalise_union(words: str) -> str:
    """ "union", "nonunion", or "" when the page says it does not split ("Varies")."""
    m = UNION.search(words)
    if not m:
        return ""
    return "nonunion" if m.group("non") else "union"


def normalise_schedule(words: str) -> str:
    m = SCHEDULE.search(words)
    if not m:
        return ""
    return "full-time" if m.group("full") else "part-time"


_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=16384)
def clean(text: str) -> str:
    """NFKC-normalised text with every run of white space made one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", clean(text).lower()).strip("-")
