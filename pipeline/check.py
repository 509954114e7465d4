"""`careerfacts check-source`: is a new or changed source usable, and what would it change?

For each source: the registry checks (file, sha256, format, a retrieval date not in the
future), extraction (at least one figure; an HTML error page is named as such), the
pandera contract, the great-expectations suites of `schemas/expectations.py`, and a dry
reconciliation of the curated dataset with and without the source. Nothing in curated/
is written; the results go to reports/check-source.md and reports/validation/.

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
from pipeline.reconcile import reconcile
from pipeline.refresh import Run, refresh
from pipeline.registry import Capture, load_registry
from pipeline.tables import claims_frame
from schemas.vocabulary import HOURS_PER_YEAR

ERROR_PAGE = re.compile(
    r"\b(?:404|403|500|502|503|not\s+found|page\s+not\s+found|access\s+denied|forbidden|"
    r"service\s+unavailable|bad\s+gateway|are\s+you\s+a\s+robot|captcha|just\s+a\s+moment|"
    r"enable\s+javascript|internal\s+server\s+error)\b", re.I)
"""Titles of pages that are not the page: "404 Not Found", "Access Denied", "Just a moment…"."""


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


@dataclass
class SourceCheck:
    source_id: str
    path: str
    claims: int = 0
    failures: list[Failure] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)  # discrepancies the source would open
    closed: list[str] = field(default_factory=list)  # … and close
    validation: dict = field(default_factory=dict)  # great-expectations results, as JSON
    money: tuple[int, int] = (0, 0)  # (money figures read as claims, money figures on the page)

    @property
    def usable(self) -> bool:
        return not self.failures


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
        doc = document_from_bytes(capture.data, source_id=s.id, path=s.path, format=s.format,
                                  occupation=s.occupation)
        reading = read(doc)
        claims = reading.claims
        text = reading_text(doc)
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


def check_sources(registry: Path, targets: list[str], today: dt.date | None = None
                  ) -> list[SourceCheck]:
    """The checks of each target (a source id or a path under raw/), in order given."""
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
            result.opened, result.closed = _dry_reconciliation(with_all, source_id)
            continue
        claims, failures, text, result.money = _document_failures(capture)
        result.failures += failures
        result.claims = len(claims)
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
        result.opened, result.closed = _dry_reconciliation(with_all, source_id)
    return results


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


def _dry_reconciliation(run: Run, source_id: str) -> tuple[list[str], list[str]]:
    """Discrepancies (open ones marked) the source opens and closes in the dataset."""
    from pipeline.refresh import current_claims, pages

    rec = run.reconciliation
    valid_ids = set(run.valid["claim_id"])
    authorities = {c.source.id: c.source.authority for c in run.captures}
    # without the source, the capture it superseded is its page's current one again
    paged, _ = pages([c for c in run.captures if c.source.id != source_id
                      and not c.source.dataset])
    without = reconcile(current_claims([c for c in run.claims if c.source_id != source_id],
                                       valid_ids, paged), authorities,
                        figures=[f for f in rec.figures if f.source_id != source_id])

    def described(d) -> str:
        from pipeline.report import key_title
        return f"{d.discrepancy_id} {d.outcome} ({d.queue}): {key_title(d.key)}"

    before = {d.discrepancy_id: d for d in without.discrepancies}
    after = {d.discrepancy_id: d for d in rec.discrepancies}
    opened = [described(after[i]) for i in after if i not in before]
    closed = [described(before[i]) for i in before if i not in after]
    return opened, closed


# --- reporting ---------------------------------------------------------------------------

def markdown(results: list[SourceCheck]) -> str:
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
        lines += ["", "Discrepancies it would open: " + ("none" if not r.opened else "")]
        lines += [f"- {d}" for d in r.opened]
        lines += ["", "Discrepancies it would close: " + ("none" if not r.closed else "")]
        lines += [f"- {d}" for d in r.closed]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def annotations(results: list[SourceCheck]) -> list[str]:
    """GitHub workflow commands, one per failure."""
    out = []
    for r in results:
        for f in r.failures:
            text = f.line().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            out.append(f"::error file={f.path or r.path},title={f.check}::{text}")
    return out


def write_reports(results: list[SourceCheck], root: Path) -> list[Path]:
    from pipeline.outputs import write_atomically

    files = {"reports/check-source.md": markdown(results).encode("utf-8")}
    for r in results:
        if r.validation:
            files[f"reports/validation/{r.source_id}.json"] = (
                json.dumps(r.validation, indent=2, sort_keys=True) + "\n").encode("utf-8")
    write_atomically(files, root)
    return [root / name for name in files]

