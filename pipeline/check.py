"""`careerfacts check-source`: is a new or changed source usable, and what would it change?

For each source: the registry checks (file, sha256, format, a retrieval date not in the
future), extraction (at least one figure; an HTML error page is named as such), the
pandera contract, the great-expectations suites of `schemas/expectations.py`; warnings
that do not block (figures without an occupation). Then what the change does to the
dataset as a whole: the registry is reconciled as it is and as it was — at the base git
revision, or without the sources checked — and the discrepancies opened, closed and
changed (in outcome, severity or queue: stale → conflict) are listed, each with the
sources in it, so two sources added together that contradict each other open their
conflict. Nothing in curated/ is written; the results go to reports/check-source.md and
reports/validation/.

Tables the suites run on, built from the source's valid claims:

- claims: every claim, with `in_registry` and `quote_found` (the quote, white space
  aside, in the text the extractor read);
- wages_annual / wages_hourly: wage claims by unit (single figures);
- percentiles: one row per page, period and qualifiers, columns p10 … p90;
- hourly_annual: hourly and annual figures of the same statistic, period and
  qualifiers, with `relative_gap` = |hourly × 2,080 − annual| / annual;
- growth: employment growth figures with `period_years` (end − start, where stated).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extractors import read, reading_text
from extractors.document import DocumentError, document_from_bytes
from pipeline.decisions import load_decisions
from pipeline.limits import TimeLimitExceeded, time_limit
from pipeline.refresh import DEFAULT_TIME_LIMIT, Run, default_cache_dir, refresh, run_of
from pipeline.registry import Capture, RegistryError, load_registry
from pipeline.tables import claims_frame
from schemas.vocabulary import HOURS_PER_YEAR

HTTP_ERROR = r"(?:4\d\d|5\d\d)"
ERROR_WORDS = (r"error|not\s+found|forbidden|unauthori[sz]ed|gone|too\s+many\s+requests|"
               r"internal\s+server\s+error|bad\s+gateway|gateway\s+time-?out|"
               r"service\s+(?:temporarily\s+)?unavailable")
ERROR_PAGE = re.compile(
    rf"\b{HTTP_ERROR}\s*(?:[-\u2013\u2014:|.]\s*)?(?:{ERROR_WORDS})\b"  # "404 Not Found", "500 - Error"
    rf"|\b(?:error|http|status)(?:\s+code)?\s*[:#]?\s*{HTTP_ERROR}\b"  # "Error 500", "HTTP 503"
    r"|\b(?:page|file|document|url|resource)\b[^|:.]{0,40}?\b(?:not|cannot\s+be|could\s+not\s+be)"
    r"\s+found\b"  # "Page not found", "The page you requested could not be found"
    r"|^\W*(?:not\s+found|forbidden|unauthori[sz]ed|gone)\W*$"  # the whole title: "Not Found"
    r"|\b(?:access\s+denied|internal\s+server\s+error|bad\s+gateway|gateway\s+time-?out|"
    r"service\s+(?:temporarily\s+)?unavailable|are\s+you\s+a\s+robot|captcha|"
    r"just\s+a\s+moment|enable\s+javascript)\b", re.I)
"""Titles of pages that are not the page: "404 Not Found", "Error 500", "Page not found",
"Service Unavailable", "Access Denied", "Just a moment…". A status code counts only with
error wording beside it: "Pay at Fortune 500 Companies" is a career page."""


NOT_SOURCES = frozenset({"watchlist.yaml"})
"""Files in raw/ that are not documents: the pages `careerfacts capture --from` follows."""


class CheckError(Exception):
    """The check cannot run as asked (a usage error, exit 2)."""


@dataclass(frozen=True)
class Failure:
    check: str  # a stable code: registry-sha256-mismatch, percentiles-out-of-order, …
    message: str
    source_id: str = ""
    path: str = ""
    claim_id: str = ""
    locator: str = ""
    observed: str = ""

    def line(self) -> str:
        where = " ".join(x for x in (self.claim_id, self.locator) if x)
        seen = f" (observed: {self.observed})" if self.observed else ""
        return f"[{self.check}] {self.source_id}: {self.message}{seen}" + (
            f" — {where}" if where else "")

    def as_dict(self) -> dict:
        """The failure or warning as data (`check-source --json`): its check's stable
        code, the message, and where it was found."""
        return {"code": self.check, "message": self.message, "source_id": self.source_id,
                "path": self.path, "claim_id": self.claim_id, "locator": self.locator,
                "observed": self.observed}


@dataclass
class SourceCheck:
    source_id: str
    path: str
    claims: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)  # reported, not blocking
    validation: dict = field(default_factory=dict)  # great-expectations results, as JSON
    money: tuple[int, int] = (0, 0)  # (money figures read as claims, money figures on the page)

    @property
    def usable(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        """The source's check as data (`check-source --json`): usable or not, its claims,
        the money figures read of those on the page, the failures that block it and the
        warnings that do not."""
        return {"source_id": self.source_id, "path": self.path, "usable": self.usable,
                "claims": self.claims,
                "money_figures": {"read": self.money[0], "on_page": self.money[1]},
                "failures": [f.as_dict() for f in self.failures],
                "warnings": [w.as_dict() for w in self.warnings]}


@dataclass(frozen=True)
class Moved:
    """A discrepancy the change opens (before is None), closes (after is None) or changes."""

    discrepancy_id: str
    title: str  # the key, as the report titles it
    before: tuple[str, str, str] | None  # (outcome, severity, queue)
    after: tuple[str, str, str] | None
    sources: tuple[str, ...]

    def line(self) -> str:
        def state(s):
            return f"{s[0]} ({s[1]}, {s[2]})"
        what = (state(self.after) if self.before is None else state(self.before)
                if self.after is None else f"{state(self.before)} → {state(self.after)}")
        return f"{self.discrepancy_id} {what}: {self.title} — {', '.join(self.sources)}"

    def as_dict(self) -> dict:
        def state(s):
            return None if s is None else dict(zip(("outcome", "severity", "queue"), s))
        return {"discrepancy_id": self.discrepancy_id, "title": self.title,
                "before": state(self.before), "after": state(self.after),
                "sources": list(self.sources)}


@dataclass(frozen=True)
class Change:
    """What the change of the registry does to the discrepancies, against `base`."""

    base: str  # "main", or "the registry without dental-2026"
    opened: tuple[Moved, ...] = ()
    closed: tuple[Moved, ...] = ()
    changed: tuple[Moved, ...] = ()  # outcome, severity or queue moved: stale → conflict

    def as_dict(self) -> dict:
        """The change as data (`check-source --json`)."""
        return {"base": self.base, **{kind: [m.as_dict() for m in group] for kind, group in (
            ("opened", self.opened), ("closed", self.closed), ("changed", self.changed))}}

    def involving(self, source_id: str) -> list[tuple[str, Moved]]:
        return [(kind, m) for kind, group in (("open", self.opened), ("close", self.closed),
                                              ("change", self.changed))
                for m in group if source_id in m.sources]


def change_between(before, after, base: str) -> Change:
    """Discrepancies opened, closed and changed from one reconciliation to another.

    A discrepancy is the same across the two when its fingerprint is (it hashes the
    key); it changed when its outcome, severity or queue did.
    """
    from pipeline.report import key_title

    def state(d) -> tuple[str, str, str]:
        return (d.outcome, d.severity, d.queue)

    def sources(*found) -> tuple[str, ...]:
        return tuple(sorted({s for d in found if d is not None for c in d.clusters
                             for s in c.sources}))

    old = {d.discrepancy_id: d for d in before.discrepancies}
    new = {d.discrepancy_id: d for d in after.discrepancies}
    return Change(
        base,
        opened=tuple(Moved(i, key_title(d.key), None, state(d), sources(d))
                     for i, d in new.items() if i not in old),
        closed=tuple(Moved(i, key_title(d.key), state(d), None, sources(d))
                     for i, d in old.items() if i not in new),
        changed=tuple(Moved(i, key_title(d.key), state(old[i]), state(d), sources(old[i], d))
                      for i, d in new.items() if i in old and state(old[i]) != state(d)))


# --- which sources -----------------------------------------------------------------------

def changed_sources(registry: Path, base: str) -> list[str]:
    """Ids of registry entries added or changed since the git revision `base`, and of
    files under raw/ that changed or that no entry registers (as their paths)."""
    root = registry.parent.parent
    relative = registry.relative_to(root).as_posix()

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        if result.returncode != 0:
            raise CheckError(f"git {' '.join(args)} failed: {result.stderr.strip()}; "
                             "give source ids, --all, or an existing --base")
        return result.stdout

    git("rev-parse", "--verify", f"{base}^{{commit}}")
    import yaml
    try:
        before = yaml.safe_load(git("show", f"{base}:{relative}")) or {}
    except CheckError:
        before = {}
    old = {str(e.get("id")): (e.get("path"), str(e.get("sha256"))) for e in
           (before.get("sources") or []) if isinstance(e, dict)}
    now = yaml.safe_load(registry.read_text(encoding="utf-8")) or {}
    entries = [e for e in (now.get("sources") or []) if isinstance(e, dict)]
    changed = [str(e.get("id")) for e in entries
               if old.get(str(e.get("id"))) != (e.get("path"), str(e.get("sha256")))]
    touched = set(git("diff", "--name-only", base, "--", registry.parent.name).split())
    touched |= set(git("ls-files", "--others", "--exclude-standard", registry.parent.name).split())
    registered = {f"{registry.parent.name}/{e.get('path')}": str(e.get("id")) for e in entries}
    for path in sorted(touched):
        if path == relative or Path(path).name in NOT_SOURCES:
            continue
        if path in registered:
            changed.append(registered[path])
        elif not path.endswith(".md"):
            changed.append(path)
    return sorted(set(changed), key=changed.index)


# --- the checks --------------------------------------------------------------------------

def _registry_failures(capture: Capture | None, problems, source_id: str, path: str,
                       today: dt.date) -> list[Failure]:
    failures = [Failure(p.code, f"{p.message} — {p.hint}", source_id, p.path or path)
                for p in problems if p.source_id == source_id]
    if capture is not None and capture.source.retrieved_date > today:
        failures.append(Failure("registry-retrieved-in-future",
                                f"retrieved {capture.source.retrieved} is after today ({today})",
                                source_id, path))
    return failures


UNREAD_FLAG = (3, 0.4)
"""A page is flagged when at least 3 of its money figures, and more than 40% of them, are
unread with no reason (no context said what they are): the extractor is missing a layout."""


def _document_failures(capture: Capture) -> tuple[list, list[Failure], str, tuple[int, int]]:
    """(claims, failures, the text the extractor read, (money read, money figures))."""
    from extractors.text import unexplained as contextless
    s = capture.source
    try:
        with time_limit(DEFAULT_TIME_LIMIT):
            doc = document_from_bytes(capture.data, source_id=s.id, path=s.path,
                                      format=s.format, occupation=s.occupation)
            reading = read(doc)
            claims = reading.claims
            text = reading_text(doc)
    except TimeLimitExceeded as exc:
        from schemas.problems import problem
        p = problem("document-time-limit", source_id=s.id, path=s.path, detail=f"{exc.seconds:g}")
        return [], [Failure(p.code, f"{p.message} — {p.hint}", s.id, s.path)], "", (0, 0)
    except DocumentError as exc:
        from schemas.problems import problem
        p = problem(exc.code, source_id=s.id, path=s.path, detail=exc.detail)
        return [], [Failure(exc.code, f"{p.message} — {p.hint}", s.id, s.path)], "", (0, 0)
    failures = []
    money = [n for n in reading.notes if n.kind == "money"]
    unexplained = [n for n in money if contextless(n)]
    if len(unexplained) >= UNREAD_FLAG[0] and len(unexplained) > UNREAD_FLAG[1] * len(money):
        failures.append(Failure(
            "document-figures-unread",
            f"{len(unexplained)} of its {len(money)} amounts of money were not read and no "
            f"context says what they are (first: {', '.join(n.figure for n in unexplained[:3])}); "
            f"see `careerfacts extract --explain {s.path}`", s.id, s.path,
            observed=f"{len(money) - len(unexplained)}/{len(money)} read or explained"))
    if s.format == "html":
        title = re.search(r"<title[^>]*>(.*?)</title>|<h1[^>]*>(.*?)</h1>", doc.text, re.I | re.S)
        heading = re.sub(r"<[^>]+>|\s+", " ", (title.group(1) or title.group(2)) if title else "")
        if ERROR_PAGE.search(heading):
            failures.append(Failure("error-page", f"the page is an error page, not the career "
                                    f"page (title: {heading.strip()!r}); capture it again",
                                    s.id, s.path, observed=heading.strip()))
    if not claims:
        failures.append(Failure("document-no-figures",
                                "no figures found: no wage, growth, openings, education or "
                                f"certification read; run `careerfacts extract --explain {s.path}`",
                                s.id, s.path))
    return claims, failures, text, reading.share_read("money")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def suite_tables(valid: pd.DataFrame, registered: set[str], text: str) -> dict[str, pd.DataFrame]:
    """The tables the suites of schemas/expectations.py run on (see the module doc)."""
    page = _norm(text)
    claims = valid.assign(
        in_registry=valid["source_id"].isin(registered),
        quote_found=[_norm(q) in page for q in valid["quote"]],
    )[["claim_id", "source_id", "locator", "quote", "in_registry", "quote_found"]]
    single = valid[valid["value"].notna() & (valid["metric"] == "wage")]
    qualifiers = ["source_id", "occupation", "geography", "industry", "union_status",
                  "schedule", "subgroup", "period"]
    percentiles = valid[(valid["metric"] == "wage") & valid["statistic"].isin(
        ["p10", "p25", "median", "p75", "p90"]) & valid["value"].notna()].copy()
    scale = [HOURS_PER_YEAR if unit == "USD/hour" else 1 for unit in percentiles["unit"]]
    percentiles["annual"] = percentiles["value"] * pd.Series(scale, index=percentiles.index,
                                                             dtype="float64")
    rows = []
    for key, group in percentiles.groupby(qualifiers, dropna=False, sort=True):
        if group["statistic"].nunique() < 2:
            continue
        row = dict(zip(qualifiers, key))
        for statistic, values in group.groupby("statistic"):
            row[statistic] = float(values["annual"].iloc[0])
            row[f"{statistic}_claim"] = values["claim_id"].iloc[0]
        row["claim_id"] = "; ".join(sorted(group["claim_id"]))
        row["locator"] = "; ".join(sorted(set(group["locator"])))
        rows.append(row)
    ladder = pd.DataFrame(rows, columns=[*qualifiers, "p10", "p25", "median", "p75", "p90",
                                         "claim_id", "locator"])
    pairs = []
    keyed = ["source_id", "occupation", "statistic", "geography", "level", "industry",
             "union_status", "schedule", "subgroup", "period"]
    for key, group in single.groupby(keyed, dropna=False, sort=True):
        hourly = group[group["unit"] == "USD/hour"]
        annual = group[group["unit"] == "USD/year"]
        for h in hourly.itertuples():
            for a in annual.itertuples():
                pairs.append(dict(
                    claim_id=f"{h.claim_id}; {a.claim_id}", locator=h.locator,
                    hourly=h.value, annual=a.value,
                    relative_gap=abs(h.value * HOURS_PER_YEAR - a.value) / a.value))
    growth = valid[(valid["metric"] == "employment_growth") & valid["period_start"].notna()
                   & valid["period_end"].notna()]
    growth = growth.assign(period_years=(growth["period_end"] - growth["period_start"])
                           .astype("int64"))
    return {
        "claims": claims.reset_index(drop=True),
        "wages_annual": single[single["unit"] == "USD/year"].reset_index(drop=True),
        "wages_hourly": single[single["unit"] == "USD/hour"].reset_index(drop=True),
        "percentiles": ladder,
        "hourly_annual": pd.DataFrame(pairs, columns=["claim_id", "locator", "hourly", "annual",
                                                      "relative_gap"]),
        "growth": growth.reset_index(drop=True)[["claim_id", "locator", "value", "period",
                                                 "period_years"]],
    }


def run_suites(tables: dict[str, pd.DataFrame], source_id: str, path: str
               ) -> tuple[list[Failure], dict]:
    """Run every suite through an ephemeral great-expectations context."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from schemas.expectations import suites

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas(name="claims")
    failures: list[Failure] = []
    report: dict = {"source_id": source_id, "suites": {}}
    for name, expectations in suites().items():
        table = tables[name]
        if table.empty:
            report["suites"][name] = {"success": True, "skipped": "no rows to check"}
            continue
        asset = source.add_dataframe_asset(name=name)
        batch = asset.add_batch_definition_whole_dataframe(name)
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(data=batch, suite=suite, name=name))
        result = definition.run(
            batch_parameters={"dataframe": table},
            result_format={"result_format": "COMPLETE",
                           "unexpected_index_column_names": ["claim_id", "locator"]})
        report["suites"][name] = result.to_json_dict()
        for outcome in result.results:
            if outcome.success:
                continue
            meta = outcome.expectation_config.meta or {}
            for index in outcome.result.get("unexpected_index_list") or [{}]:
                observed = {k: v for k, v in index.items() if k not in ("claim_id", "locator")}
                failures.append(Failure(
                    meta.get("code", outcome.expectation_config.type),
                    meta.get("explains", outcome.expectation_config.type), source_id, path,
                    str(index.get("claim_id", "")), str(index.get("locator", "")),
                    ", ".join(f"{k}={_show(v)}" for k, v in observed.items())))
    return failures, _json_safe(report)


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value)


def _json_safe(value):
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def check_sources(registry: Path, targets: list[str], today: dt.date | None = None,
                  base: str | None = None) -> tuple[list[SourceCheck], Change]:
    """The checks of each target (a source id or a path under raw/), in order given, and
    the change to the discrepancies: against the git revision `base`, or, without one,
    against the registry without the targets."""
    from schemas.claims import quarantine

    today = today or dt.date.today()
    captures, problems = load_registry(registry)
    by_id = {c.source.id: c for c in captures}
    root = registry.parent.parent
    entries = _entries(registry)
    with_all: Run = refresh(registry, decisions=root / "decisions.yaml")
    results = []
    for target in targets:
        source_id, path = _resolve(target, entries, root)
        result = SourceCheck(source_id or target, path)
        results.append(result)
        if source_id is None:
            result.failures.append(Failure(
                "registry-not-registered", f"{path} is in raw/ but no entry of "
                f"{registry.name} registers it: add its entry (see README, 'Adding a source')",
                target, path))
            continue
        capture = by_id.get(source_id)
        result.failures += _registry_failures(capture, problems, source_id, path, today)
        if capture is None:
            continue
        if capture.source.dataset:
            # an official file: its reader's problems, not the page checks
            result.failures += [Failure(p.code, f"{p.message} — {p.hint}", source_id, path)
                                for p in with_all.problems if p.source_id == source_id
                                and p.severity == "error"]
            result.claims = with_all.official.rows_per_source.get(source_id, 0)
            continue
        claims, failures, text, result.money = _document_failures(capture)
        result.failures += failures
        result.claims = len(claims)
        result.warnings += [Failure(p.code, f"{p.message} — {p.hint}", source_id, path)
                            for p in with_all.problems
                            if p.source_id == source_id and p.code.startswith("occupation-")]
        if not claims:
            continue
        valid, bad = quarantine(claims_frame(claims))
        for row in bad.itertuples():
            result.failures.append(Failure("claim-invalid", f"fails the claims contract: "
                                           f"{row.failed_checks}", source_id, path, row.claim_id,
                                           row.locator, f"{row.metric} {row.figure!r}"))
        if len(valid):
            failures, result.validation = run_suites(
                suite_tables(valid, set(by_id), text), source_id, path)
            result.failures += failures
    if base is not None:
        before, described = base_run(registry, base), base
    else:
        checked = {r.source_id for r in results}
        before = run_of([c for c in captures if c.source.id not in checked],
                        load_decisions(root / "decisions.yaml")[0],
                        cache_dir=default_cache_dir(root))
        described = "the registry without " + ", ".join(sorted(checked))
    return results, change_between(before.reconciliation, with_all.reconciliation, described)


def base_run(registry: Path, base: str) -> Run:
    """The refresh (in memory) of the registry, its documents and decisions.yaml as they
    are at the git revision `base`; an empty run when the registry did not exist there."""
    import tempfile

    import yaml

    root = registry.parent.parent
    raw = registry.parent.relative_to(root).as_posix()

    def shown(path: str) -> bytes | None:
        done = subprocess.run(["git", "show", f"{base}:{path}"], cwd=root, capture_output=True)
        return done.stdout if done.returncode == 0 else None

    with tempfile.TemporaryDirectory(prefix="careerfacts-base-") as folder:
        there = Path(folder) / raw
        there.mkdir(parents=True)
        text = shown(registry.relative_to(root).as_posix())
        if text is None:
            return run_of([], cache_dir=default_cache_dir(root))
        (there / registry.name).write_bytes(text)
        try:
            entries = (yaml.safe_load(text) or {}).get("sources") or []
        except (yaml.YAMLError, AttributeError):
            entries = []
        for entry in entries if isinstance(entries, list) else []:
            path = str(entry.get("path", "")) if isinstance(entry, dict) else ""
            target = (there / path).resolve()
            if not path or not target.is_relative_to(there.resolve()):
                continue  # the registry check reports such an entry
            data = shown(f"{raw}/{path}")
            if data is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        decisions = shown("decisions.yaml")
        if decisions is not None:
            (Path(folder) / "decisions.yaml").write_bytes(decisions)
        try:
            return refresh(there / registry.name, decisions=Path(folder) / "decisions.yaml",
                           cache_dir=default_cache_dir(root))
        except RegistryError:
            return run_of([], cache_dir=default_cache_dir(root))


def _entries(registry: Path) -> list[dict]:
    import yaml
    document = yaml.safe_load(registry.read_text(encoding="utf-8")) or {}
    return [e for e in (document.get("sources") or []) if isinstance(e, dict)]


def _resolve(target: str, entries: list[dict], root: Path) -> tuple[str | None, str]:
    for entry in entries:
        path = f"raw/{entry.get('path')}"
        if target in (str(entry.get("id")), path, str(entry.get("path"))) or (
                Path(target).resolve() == (root / path).resolve()):
            return str(entry.get("id")), path
    if Path(target).exists() or (root / target).exists():
        return None, target
    raise CheckError(f"{target!r} is neither a source id of the registry nor a file")


# --- reporting ---------------------------------------------------------------------------

def markdown(results: list[SourceCheck], change: Change | None = None) -> str:
    lines = ["# Source check", ""]
    usable = sum(r.usable for r in results)
    lines += [f"{len(results)} source(s) checked: {usable} usable, {len(results) - usable} "
              "with blocking failures.", ""]
    for r in results:
        lines += [f"## {r.source_id} — {'usable' if r.usable else 'blocked'}", "",
                  f"- file: `{r.path}`", f"- claims extracted: {r.claims}"]
        if r.money[1]:
            lines.append(f"- money figures read: {r.money[0]} of {r.money[1]} "
                         f"({r.money[0] / r.money[1]:.0%})")
        if r.failures:
            lines += ["", "| check | claim | locator | observed | what |", "|---|---|---|---|---|"]
            for f in r.failures:
                cells = [f.check, f.claim_id, f.locator, f.observed, f.message]
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        if r.warnings:
            lines += ["", "Warnings (not blocking):", ""]
            lines += [f"- {w.line()}" for w in r.warnings]
        if change is not None:
            mine = change.involving(r.source_id)
            lines += ["", "Discrepancies with its figures that the change would open, close or "
                      "change: " + ("none" if not mine else "")]
            lines += [f"- would {kind} {m.line()}" for kind, m in mine]
        lines.append("")
    if change is not None:
        lines += [f"## What the change does to the dataset (against {change.base})", ""]
        for title, group in (("Opened", change.opened), ("Closed", change.closed),
                             ("Changed in outcome, severity or queue", change.changed)):
            lines += [f"{title}: " + ("none" if not group else ""), ""]
            lines += [f"- {m.line()}" for m in group]
            lines += [""] if group else []
    return "\n".join(lines).rstrip() + "\n"


def annotations(results: list[SourceCheck]) -> list[str]:
    """GitHub workflow commands, one per failure."""
    out = []
    for r in results:
        for f in r.failures:
            text = f.line().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            out.append(f"::error file={f.path or r.path},title={f.check}::{text}")
    return out


def report_files(results: list[SourceCheck], change: Change | None = None) -> dict[str, bytes]:
    """reports/check-source.md and reports/validation/SOURCE.json, as bytes to publish."""
    files = {"reports/check-source.md": markdown(results, change).encode("utf-8")}
    for r in results:
        if r.validation:
            files[f"reports/validation/{r.source_id}.json"] = (
                json.dumps(r.validation, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return files

