"""What became of every figure of a page, for a curator: `careerfacts extract --explain`.

One line per figure in page order: where it is, the figure as printed, and the claim(s)
read from it or why none was ("a price, not pay", "a percentile label", "no context says
what this figure is"). A summary says how many money figures were read.

>>> from extractors import read
>>> from extractors.document import document_from_bytes
>>> doc = document_from_bytes("Median pay: $47,180 a year. Tuition: $12,000.".encode(),
...                           source_id="demo", path="demo.txt")
>>> print(explanation(read(doc), "demo.txt"))
demo.txt: 2 figures, 1 read as claims; money figures read: 1 of 2 (50%)
line  figure    what became of it
   1  $47,180   wage median USD/year
   1  $12,000   not read: a price, not pay
"""
from __future__ import annotations

from extractors.claims import Claim, Reading

LOW_SHARE = 0.6
"""A page whose money figures are read less often than this is flagged by check-source."""


def describe(claim: Claim) -> str:
    """A claim in a few words: "wage p10 USD/hour 2023 Texas level=entry"."""
    parts = [claim.metric, claim.statistic, claim.unit]
    if claim.value_text:
        parts.append(repr(claim.value_text))
    if claim.period:
        parts.append(claim.period)
    if claim.geography and claim.geography != "United States":
        parts.append(claim.geography)
    for name in ("level", "industry", "union_status", "schedule", "subgroup", "scope"):
        value = getattr(claim, name)
        if value:
            parts.append(f"{name}={value}")
    if claim.occupation_text:
        parts.append(f"occupation={claim.occupation_text}")
    return " ".join(parts)


def money_share(reading: Reading) -> tuple[int, int, float | None]:
    """(money figures read, money figures, their share or None when there are none)."""
    read, total = reading.share_read("money")
    return read, total, (read / total if total else None)


def explanation(reading: Reading, path: str) -> str:
    by_id = {c.claim_id: c for c in reading.claims}
    read, total, share = money_share(reading)
    figures = len(reading.notes)
    read_notes = sum(1 for n in reading.notes if n.read)
    head = f"{path}: {figures} figures, {read_notes} read as claims"
    if total:
        head += f"; money figures read: {read} of {total} ({share:.0%})"
    width = max([len(n.figure) for n in reading.notes] + [6])
    lines = [head, f"line  {'figure':<{width}}   what became of it"]
    for note in reading.notes:
        if note.read:
            fate = "; ".join(describe(by_id[i]) for i in note.claim_ids if i in by_id)
        else:
            fate = f"not read: {note.reason}"
        lines.append(f"{note.line:>4}  {note.figure:<{width}}   {fate}")
    return "\n".join(lines)
