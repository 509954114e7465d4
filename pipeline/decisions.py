"""Analyst decisions: `decisions.yaml`, kept under version control.

Each entry names a discrepancy by its fingerprint, an action, the reason, who decided
and when, and a fingerprint of the evidence it was made on (the claims behind the
discrepancy, their figures and periods). A refresh applies each decision only while
that evidence is unchanged; otherwise the decision is listed as `needs-review` — never
applied silently, never dropped.

Actions: `prefer` (a claim id, a source id or a value wins), `not-a-conflict` (the
discrepancy is explained; the rules still resolve it), `deprecate` (a claim or source is
ranked deprecated and left out of the resolution), `split` (the key mixes two
populations: an explained definition difference).

A discrepancy may carry several decisions: any number of `deprecate`s, at most one
`prefer` and one of `not-a-conflict` / `split`. A new decision that would contradict a
recorded one replaces it only when asked to (`careerfacts decide --replace`).
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from extractors.claims import Claim
from schemas.problems import Problem, problem

ACTIONS = ("prefer", "not-a-conflict", "deprecate", "split")
NEEDS_TARGET = ("prefer", "deprecate")
KEYS = ("discrepancy", "action", "target", "reason", "author", "date", "evidence")
HEADER = """\
# Analyst decisions, applied by every refresh while their evidence is unchanged.
# Edit by hand or with `careerfacts decide DISCREPANCY --prefer CLAIM|SOURCE|VALUE --reason "…"`.
# A decision whose evidence changed is listed as needs-review in reports/discrepancies.md.
"""


@dataclass(frozen=True)
class Decision:
    discrepancy: str
    action: str
    reason: str
    author: str
    date: str
    evidence: str
    target: str = ""

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in KEYS if getattr(self, k) or k != "target"}

    @property
    def label(self) -> str:
        """The action and its target, as messages and reports name the decision:
        "prefer seed-003", "not-a-conflict"."""
        return f"{self.action} {self.target}".strip()


@dataclass(frozen=True)
class DecisionResult:
    decision: Decision
    status: str  # applied | needs-review
    why: str = ""
    winner: int | None = None
    deprecated: frozenset = field(default_factory=frozenset)


def evidence_of(claims: Iterable[Claim]) -> str:
    """A fingerprint of the claims a decision is made on: ids, figures and periods."""
    parts = sorted(f"{c.claim_id}|{c.value}|{c.low}|{c.high}|{c.value_text}|{c.period}"
                   for c in claims)
    return "e-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def load_decisions(path: Path) -> tuple[list[Decision], list[Problem]]:
    """The decisions of a file (none when it does not exist) and a problem per bad entry."""
    path = Path(path)
    if not path.exists():
        return [], []
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return [], [problem("decision-invalid", path=path.name,
                            detail=f"{path.name} is not valid YAML: {' '.join(str(exc).split())}")]
    entries = document.get("decisions") if isinstance(document, dict) else None
    if entries is None:
        return [], []
    decisions, problems = [], []
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        issue = _invalid(entry)
        if issue:
            problems.append(problem("decision-invalid", path=path.name,
                                    detail=f"entry {number}: {issue}"))
            continue
        decisions.append(Decision(**{k: str(entry.get(k, "") or "") for k in KEYS}))
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for decision in decisions:
        same = (decision.discrepancy, decision.action, decision.target)
        if same in seen:
            problems.append(problem("decision-invalid", path=path.name,
                                    detail=f"{decision.label} on "
                                           f"{decision.discrepancy} is recorded twice: the later "
                                           "entry is ignored"))
            continue
        seen.add(same)
        unique.append(decision)
    return unique, problems


EXCLUSIVE = (("prefer",), ("not-a-conflict", "split"))
"""Actions of which one discrepancy holds one decision at most: one figure is preferred;
a discrepancy is either not a conflict or a split key."""


def contradicted(recorded: list[Decision], new: Decision,
                 names: Callable[[str], set[str]] | None = None) -> list[Decision]:
    """The recorded decisions on the new one's discrepancy that it would contradict or
    repeat: another `prefer`, another of `not-a-conflict`/`split`, the same action on the
    same target, and — given `names`, the ids of the claims a target names in the
    discrepancy — a `deprecate` of a claim a `prefer` names, or the other way round.

    >>> d = lambda action, target="": Decision("d-0f6fb36664df", action, "why", "Ada",
    ...                                        "2026-03-02", "e-0", target)
    >>> [x.target for x in contradicted([d("prefer", "seed-001"), d("deprecate", "seed-002")],
    ...                                 d("prefer", "c-1"))]
    ['seed-001']
    >>> contradicted([d("deprecate", "seed-002")], d("deprecate", "seed-003"))
    []
    >>> claims = {"$47,180": {"c-2", "c-9"}, "seed-002": {"c-2"}}
    >>> [x.target for x in contradicted([d("prefer", "$47,180")], d("deprecate", "seed-002"),
    ...                                 claims.get)]
    ['$47,180']
    >>> claims["47180"] = claims["$47,180"]
    >>> [x.target for x in contradicted([d("deprecate", "47180")], d("deprecate", "$47,180"),
    ...                                 claims.get)]
    ['47180']
    """
    def group(d: Decision) -> tuple[str, ...] | None:
        return next((g for g in EXCLUSIVE if d.action in g), None)

    def opposed(d: Decision) -> bool:
        if names is None or {d.action, new.action} != {"prefer", "deprecate"}:
            return False
        return bool((names(d.target) or set()) & (names(new.target) or set()))

    def repeated(d: Decision) -> bool:  # the same figures named otherwise: 48000, "$48,000"
        if names is None or d.action != new.action or not d.target:
            return False
        claims = names(d.target) or set()
        return bool(claims) and claims == (names(new.target) or set())

    return [d for d in recorded if d.discrepancy == new.discrepancy and (
        (d.action, d.target) == (new.action, new.target) or repeated(d)
        or (group(d) is not None and group(d) == group(new)) or opposed(d))]


def _invalid(entry) -> str:
    if not isinstance(entry, dict):
        return "not a mapping"
    unknown = sorted(set(map(str, entry)) - set(KEYS))
    if unknown:
        return f"unknown key(s) {', '.join(unknown)}"
    missing = [k for k in ("discrepancy", "action", "reason", "author", "date", "evidence")
               if not entry.get(k)]
    if missing:
        return f"lacks {', '.join(missing)}"
    if entry["action"] not in ACTIONS:
        return f"action {entry['action']!r} is not one of {', '.join(ACTIONS)}"
    if entry["action"] in NEEDS_TARGET and not entry.get("target"):
        return f"action {entry['action']} needs a target (a claim id, source id or value)"
    if not re.match(r"^d-[0-9a-f]{12}$", str(entry["discrepancy"])):
        return f"discrepancy {entry['discrepancy']!r} is not a fingerprint such as d-0e1829b8bdaf"
    return ""


def record(path: Path, decision: Decision, replacing: list[Decision] = ()) -> None:
    """Add the decision to the file, dropping the recorded ones it replaces (the caller
    asked for that: see `contradicted`); the file is written atomically."""
    path = Path(path)
    existing, _ = load_decisions(path)
    kept = [d for d in existing if d not in replacing] + [decision]
    text = HEADER + yaml.safe_dump({"decisions": [d.as_dict() for d in kept]},
                                   sort_keys=False, allow_unicode=True, width=100)
    from pipeline.publish import publish
    publish({path.name: text.encode("utf-8")}, path.resolve().parent)


def today() -> str:
    return dt.date.today().isoformat()


def author(project: Path) -> str:
    """Who decides: $GIT_AUTHOR_NAME, else git's user.name (as `git config` reads it in
    the project), else the login name; "unknown" only when none can be found."""
    name = os.environ.get("GIT_AUTHOR_NAME", "").strip()
    if name:
        return name
    try:
        found = subprocess.run(["git", "config", "user.name"], cwd=project, capture_output=True,
                               text=True, timeout=10)
        name = found.stdout.strip() if found.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment or the password database
        return "unknown"
