"""The claim: one figure a document states, with the words it was read from.

Extractors build claims with `new_claim`, which fills the defaults and the stable id:

>>> c = new_claim(source_id="demo", metric="wage", statistic="median", unit="USD/year",
...               value=50250.0, figure="$50,250", precision=1.0,
...               quote="2024 Median Pay: $50,250 per year", locator="chars=0-33",
...               method="label-value", period="2024", period_start=2024, period_end=2024)
>>> c.claim_id, c.geography, c.period_basis
('c-336c1acc04daa89f', 'United States', 'stated')
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from operator import attrgetter, itemgetter
from typing import Callable

from schemas.vocabulary import DEFAULT_GEOGRAPHY

EXTRACTOR_VERSION = "1"


@dataclass(frozen=True)
class Claim:
    claim_id: str
    source_id: str
    occupation: str
    occupation_basis: str  # how `occupation` was found: stated (a SOC code on the page),
    #                        registry, title, crosswalk; "" = not resolved
    metric: str
    statistic: str
    unit: str
    value: float | None  # a single figure
    low: float | None  # a range; high None with low set = open-ended ("$80,000+")
    high: float | None
    value_text: str  # normalised category for categorical metrics ("bachelor's degree", "yes")
    figure: str  # the figure exactly as printed ("$49K/year", "9%", "Certificate")
    precision: float  # what the figure was rounded to as printed (1, 0.01, 1000 …)
    period: str  # as stated: "2024", "2023-2033", "-2032" (through 2032), "" = none
    period_start: int | None
    period_end: int | None
    period_basis: str  # stated | inferred | history (a past figure cited as such) | unknown
    geography: str
    level: str
    industry: str
    union_status: str
    schedule: str
    subgroup: str  # a row label of an unnamed dimension ("Long-haul (OTR)")
    scope: str  # "" = a statistic of the occupation; "job-ad" = an employer's offer in a listing
    occupation_text: str  # the page's words for another occupation a row or box states the
    #                       figure of ("Database Architects"); "" = the page's own occupation
    qualifier_text: str  # the page's own words for the qualifiers ("level=All workers")
    cites: str  # agency the page credits for the figure ("BLS"), if any
    page_date: str  # when the page says it was updated ("2026-01-09"), if it does
    stated_in: str  # the official release the figure is from ("OEWS May 2023"), as stated by
    #               an official table or as matched by reconciliation
    status: str  # for rows of a reference table: official, reprint or secondary
    citation: str  # for rows of a reference table: where that row's figure was published
    quote: str  # verbatim text the figure was read from
    locator: str  # "chars=START-END" into the decoded text (code points)
    extractor: str  # "text/1"
    method: str  # label-value, label-next-line, table-row, percentile-ladder, sentence

    def as_dict(self) -> dict:
        return dict(zip(CLAIM_COLUMNS, claim_values(self)))


CLAIM_COLUMNS = tuple(f.name for f in fields(Claim))
claim_values = attrgetter(*CLAIM_COLUMNS)
"""A claim's values as a tuple, in column order (one call for all of them)."""

_ID_FIELDS = ("source_id", "locator", "figure", "metric", "statistic", "unit", "geography",
              "level", "industry", "union_status", "schedule", "subgroup")
_ID_EXTRAS = ("scope", "occupation_text")
"""Hashed only when set, so adding them left every other claim's id as it was."""


_DEFAULTS = dict(
    occupation="", occupation_basis="", value=None, low=None, high=None, value_text="", precision=1.0,
    period="", period_start=None, period_end=None, period_basis="",
    geography="", level="", industry="", union_status="", schedule="", subgroup="",
    scope="", occupation_text="",
    qualifier_text="", cites="", page_date="", stated_in="", status="", citation="",
    extractor=f"text/{EXTRACTOR_VERSION}",
)
_UNSET = object()
_BLANK = {name: _DEFAULTS.get(name, _UNSET) for name in CLAIM_COLUMNS}
"""Every column in column order, the defaults filled: a claim's values are laid over a copy
of it, so they come out in column order without being sorted into it."""
_REQUIRED = frozenset(name for name, value in _BLANK.items() if value is _UNSET) - {"claim_id"}
_id_fields_of = itemgetter(*_ID_FIELDS)


def new_claim(**values) -> Claim:
    """A Claim with defaults for what was not given and a stable `claim_id`.

    The id hashes where the figure was read and what it was read as, so it survives
    re-runs and changes elsewhere in the document's extraction.
    """
    return claim_of(values)


def claim_of(values: dict) -> Claim:
    """`new_claim` of the columns in `values` (and its "anchor", if any), which is left as it
    was: for a reader that gathers a claim's columns in a dict of its own."""
    merged = _BLANK.copy()
    merged.update(values)
    anchor = merged.pop("anchor", None)
    if not merged["geography"]:
        merged["geography"] = DEFAULT_GEOGRAPHY
    if not merged["period_basis"]:
        merged["period_basis"] = "stated" if merged["period"] else "unknown"
    if len(merged) != len(CLAIM_COLUMNS) or not values.keys() >= _REQUIRED:
        # a column missing or unknown: the dataclass says which
        merged = {name: value for name, value in merged.items() if value is not _UNSET}
        key = "\x1f".join(str(merged.get(name, "")) for name in _ID_FIELDS)
        key += "".join(f"\x1f{name}={merged[name]}" for name in _ID_EXTRAS if merged.get(name))
        if anchor:
            key += "\x1f" + anchor
        merged["claim_id"] = "c-" + hashlib.sha256(key.encode()).hexdigest()[:16]
        return Claim(**merged)
    merged["claim_id"] = _claim_id(merged, anchor)
    # frozen: its fields set as pickle sets them, in column order (the dataclass's own
    # __init__ costs a third of building a claim)
    claim = object.__new__(Claim)
    claim.__dict__.update(merged)
    return claim


def _claim_id(values: dict, anchor: str | None) -> str:
    key = "\x1f".join(map(str, _id_fields_of(values)))
    for name in _ID_EXTRAS:
        if values[name]:
            key += f"\x1f{name}={values[name]}"
    if anchor:
        key += "\x1f" + anchor
    return "c-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def relocated(claim: Claim, locator: str) -> Claim:
    """The claim with a locator for people (an element path, a page and box); its id
    stays anchored to the exact span it was read from, so it remains unique."""
    # every column in column order (a claim's own fields are, as new_claim and the
    # dataclass set them: every field, and nothing else)
    own = claim.__dict__
    values = own.copy() if len(own) == len(CLAIM_COLUMNS) else claim.as_dict()
    values["locator"] = locator
    if not values["geography"]:
        values["geography"] = DEFAULT_GEOGRAPHY
    if not values["period_basis"]:
        values["period_basis"] = "stated" if values["period"] else "unknown"
    values["claim_id"] = _claim_id(values, claim.claim_id)
    moved = object.__new__(Claim)
    moved.__dict__.update(values)
    return moved


@dataclass(frozen=True)
class Note:
    """What became of one figure of a page: the claims read from it, or why none.

    `figure` is the figure as printed, `locator` where it is (as for claims), `kind` what it
    is on its face (money, foreign, percent, count, number)."""

    figure: str
    kind: str
    locator: str
    line: int  # 1-based line of the reading text (a page's text, or HTML/PDF as rendered)
    claim_ids: tuple[str, ...] = ()
    reason: str = ""  # why no claim ("a price, not pay"); empty when read

    @property
    def read(self) -> bool:
        return bool(self.claim_ids)


def new_note(figure: str, kind: str, locator: str, line: int, claim_ids: tuple[str, ...] = (),
             reason: str = "") -> Note:
    """A Note, its fields set as pickle sets them: a page has hundreds, and the frozen
    dataclass's __init__ sets each through object.__setattr__."""
    note = object.__new__(Note)
    note.__dict__.update(figure=figure, kind=kind, locator=locator, line=line,
                         claim_ids=claim_ids, reason=reason)
    return note


class Reading:
    """A document read: its claims, and a note for every figure on it, in page order.

    The notes are worked out when first asked for (`notes_of`, a function of no
    arguments): a refresh keeps only the claims, and noting each of a page's few hundred
    figures, located for people, is some 3% of reading it."""

    __slots__ = ("claims", "_notes", "_notes_of")

    def __init__(self, claims: list[Claim], notes: list[Note] | None = None, *,
                 notes_of: Callable[[], list[Note]] | None = None):
        self.claims = claims
        self._notes = notes if notes is not None or notes_of is not None else []
        self._notes_of = notes_of

    @property
    def notes(self) -> list[Note]:
        if self._notes is None:
            self._notes, self._notes_of = self._notes_of(), None
        return self._notes

    def __repr__(self) -> str:
        return f"Reading({len(self.claims)} claims)"

    def share_read(self, kind: str = "money") -> tuple[int, int]:
        """(figures of `kind` read as claims, figures of `kind`)."""
        notes = [n for n in self.notes if n.kind == kind]
        return sum(1 for n in notes if n.read), len(notes)


def relocated_reading(reading: Reading, where) -> Reading:
    """A reading of rendered text with every claim and note located for people by
    `where(chars_locator)` (an element path, a page and box); claim ids stay anchored.
    The notes are located when they are first asked for."""
    claims = [relocated(c, where(c.locator)) for c in reading.claims]

    def notes() -> list[Note]:
        renamed = {old.claim_id: new.claim_id for old, new in zip(reading.claims, claims)}
        return [new_note(n.figure, n.kind, where(n.locator), n.line,
                         tuple([renamed.get(i, i) for i in n.claim_ids]), n.reason)
                for n in reading.notes]

    return Reading(claims, notes_of=notes)
