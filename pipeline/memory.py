"""What a refresh does to stay within its memory budget.

A refresh of 10,000 pages holds two million claims; its process tree is meant to stay
under MEMORY_BUDGET (docs/performance.md, "Scale"). Two helpers serve that:

- `returned_to_system()` hands the C allocator's free memory back to the system between
  stages. Python frees a stage's objects, but the allocator keeps the freed pages of its
  heap for reuse, so the process's resident size only ever grows; at the stage
  boundaries of a large refresh, trimming returns about a tenth of it.
- `processes_within_budget(wanted, each)` says how many helper processes of `each` bytes
  fit beside this process (the chart-drawing pool, pipeline/charts.py, `drawn_ahead`).

Both are Linux facilities (glibc's `malloc_trim`, /proc/self/statm); elsewhere the first
does nothing and the second allows every process asked for.

>>> processes_within_budget(2, each=0)
2
>>> processes_within_budget(2, each=MEMORY_BUDGET) >= 1
True
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

MEMORY_BUDGET = 1_000_000_000
"""Bytes the refresh's process tree should stay under (issue targets: 10,000 pages)."""


@functools.cache
def _libc():
    try:
        name = ctypes.util.find_library("c")
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def returned_to_system() -> None:
    """Give the C heap's free pages back to the system (glibc `malloc_trim(0)`)."""
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim(0)


def resident_bytes() -> int | None:
    """This process's resident memory, or None where /proc does not say it."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def processes_within_budget(wanted: int, each: int) -> int:
    """How many of `wanted` helper processes, each about `each` bytes, fit in what is
    left of MEMORY_BUDGET beside this process: at least one, at most `wanted`."""
    own = resident_bytes()
    if own is None or each <= 0:
        return wanted
    return max(1, min(wanted, (MEMORY_BUDGET - own) // each))
