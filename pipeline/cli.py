"""The `careerfacts` command line. Each command's docstring is its --help.

Exit codes: 0 clean; 1 data problems (quarantined rows, unreadable sources, pages with
no figures); 2 usage or configuration errors (a registry that cannot be read); 3 an
internal error (a defect: the message says how to see the traceback).
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_DEFECT = 0, 1, 2, 3


class Options:
    """What the top-level options say to every command."""

    def __init__(self, debug: bool):
        self.debug = debug


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for failures.")
@click.version_option(package_name="careerfacts")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn career and salary pages into one curated, source-attributed dataset.

    Documents live in raw/ and are registered in raw/sources.yaml; `refresh` extracts
    their claims, validates them, reconciles disagreeing figures and writes curated/
    and reports/.

    Example:

        careerfacts refresh
    """
    ctx.obj = Options(debug)


def _progress(stream):
    """A one-line progress display on a terminal; nothing when output is piped."""
    if not stream.isatty():
        return None
    seen = []

    def show(source_id: str) -> None:
        seen.append(source_id)
        stream.write(f"\r\x1b[Kextracting {len(seen)}: {source_id}")
        stream.flush()
    return show


@main.command()
@click.option("--registry", type=click.Path(path_type=Path), default=Path("raw/sources.yaml"),
              show_default=True, help="The source registry.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Project root; curated/ and reports/ are written there.")
@click.pass_obj
def refresh(obj: Options, registry: Path, root: Path) -> None:
    """Extract, validate and reconcile every registered source; write curated/ and reports/.

    Writes curated/{claims,facts,discrepancies}.{csv,parquet}, curated/quarantine.csv,
    reports/discrepancies.md and reports/problems.csv, each atomically. A source that
    cannot be read is reported and skipped; the others are still processed.

    Example:

        careerfacts refresh --registry raw/sources.yaml
    """
    from pipeline.outputs import PartialWrite, rendered, write_atomically
    from pipeline.refresh import refresh as run_refresh
    from pipeline.registry import RegistryError

    registry = registry if registry.is_absolute() else root / registry
    progress = _progress(sys.stderr)
    try:
        run = run_refresh(registry, progress, decisions=root / "decisions.yaml")
        files = rendered(run)
        changed = write_atomically(files, root)
    except RegistryError as exc:
        click.echo(f"careerfacts: {exc.problem.line()}", err=True)
        sys.exit(EXIT_USAGE)
    except PartialWrite as exc:
        click.echo(f"careerfacts: writing outputs failed part way: {exc}. Every file is whole; "
                   "run the refresh again once the cause is fixed.", err=True)
        sys.exit(EXIT_DEFECT)
    except Exception as exc:
        if obj.debug:
            raise
        click.echo(f"careerfacts: internal error: {type(exc).__name__}: {exc}. Nothing was "
                   "written; the previous outputs are unchanged. Run with --debug for the "
                   "traceback.", err=True)
        sys.exit(EXIT_DEFECT)
    finally:
        if progress:
            sys.stderr.write("\r\x1b[K")
    if obj.debug:
        for source_id, text in sorted(run.tracebacks.items()):
            click.echo(f"--- traceback for {source_id}\n{text}", err=True)
    _summary(run, files, changed, root)
    sys.exit(EXIT_DATA if run.problems else EXIT_OK)


def _summary(run, files: dict, changed: list, root: Path) -> None:
    rec = run.reconciliation
    severity = Counter(d.severity for d in rec.discrepancies)
    status = Counter(f.status for f in rec.facts)
    echo = click.echo
    troubled = run.troubled_sources
    echo(f"sources        {len(run.captures)} registered and readable"
         + (f", {len(troubled)} with problems" if troubled else ""))
    echo(f"claims         {len(run.claims)} extracted, {len(run.valid)} valid, "
         f"{len(run.quarantined)} quarantined")
    echo(f"facts          {len(rec.facts)} ("
         + ", ".join(f"{status[s]} {s}" for s in ("consensus", "single-source", "resolved",
                                                   "conflict")) + ")")
    queues = Counter(d.queue for d in rec.discrepancies)
    echo(f"discrepancies  {len(rec.discrepancies)} ("
         + ", ".join(f"{queues[q]} {q}" for q in ("open", "decided", "explained")) + "; "
         + ", ".join(f"{severity[s]} {s}" for s in ("high", "medium", "low", "info")) + ")")
    if rec.decisions:
        review = sum(r.status == "needs-review" for r in rec.decisions)
        echo(f"decisions      {len(rec.decisions)} ({len(rec.decisions) - review} applied, "
             f"{review} needs-review)")
    if run.problems:
        echo(f"problems       {len(run.problems)}:")
        for code, n in sorted(Counter(p.code for p in run.problems).items()):
            echo(f"  {n} × {code}")
        for p in run.problems[:10]:
            echo(f"  {p.line()}", err=True)
        if len(run.problems) > 10:
            echo(f"  … {len(run.problems) - 10} more in reports/problems.csv", err=True)
    echo(f"wrote          {len(changed)} of {len(files)} output files changed "
         f"(report: {root / 'reports/discrepancies.md'})")


@main.command()
@click.argument("discrepancy")
@click.option("--prefer", "prefer", metavar="CLAIM|SOURCE|VALUE",
              help="The figure that should win: a claim id, a value (\"$50,250\") or a source "
                   "that states one figure of the discrepancy.")
@click.option("--deprecate", metavar="CLAIM|SOURCE|VALUE",
              help="Rank these claims deprecated and leave them out of the resolution: a claim "
                   "id, every claim of a source, or every claim of a value. Repeat the command "
                   "to deprecate several.")
@click.option("--not-a-conflict", "not_a_conflict", is_flag=True,
              help="The discrepancy is explained; the rules still resolve it.")
@click.option("--split", is_flag=True,
              help="The key mixes two populations: an explained definition difference.")
@click.option("--reason", required=True, help="Why: shown in the report beside the decision.")
@click.option("--replace", is_flag=True,
              help="Replace a recorded decision this one contradicts (another --prefer, or "
                   "--not-a-conflict against --split) instead of refusing.")
@click.option("--author", default=None,
              help="Who decides [default: $GIT_AUTHOR_NAME, git's user.name, the login name].")
@click.option("--registry", type=click.Path(path_type=Path), default=Path("raw/sources.yaml"),
              show_default=True, help="The source registry.")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),
              default=Path("decisions.yaml"), show_default=True, help="The decisions file.")
@click.pass_obj
def decide(obj: Options, discrepancy: str, prefer: str | None, deprecate: str | None,
           not_a_conflict: bool, split: bool, reason: str, replace: bool, author: str | None,
           registry: Path, decisions_path: Path) -> None:
    """Record an analyst's decision on a discrepancy in decisions.yaml.

    A decision names one figure unambiguously: --prefer a claim id or a value, or a
    source only when it states one figure of the discrepancy (otherwise the command
    lists that source's figures with their claim ids and exits 2). A discrepancy may
    carry several --deprecate decisions; a second --prefer is refused unless --replace.
    The decision carries a fingerprint of the evidence it is made on; every refresh
    applies it while that evidence is unchanged and lists it as needs-review when the
    claims behind it change. Take DISCREPANCY from reports/discrepancies.md.

    Example:

        careerfacts decide d-0f6fb36664df --prefer '$50,250' --reason "the agency's latest release"
    """
    from pipeline.decisions import (Decision, author as default_author, contradicted,
                                    load_decisions, record, today)
    from pipeline.reconcile import figures_text, named_clusters
    from pipeline.refresh import refresh as run_refresh
    from pipeline.registry import RegistryError

    chosen = [a for a, on in (("prefer", prefer), ("deprecate", deprecate),
                              ("not-a-conflict", not_a_conflict), ("split", split)) if on]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --prefer, --deprecate, --not-a-conflict, --split")
    try:
        run = run_refresh(registry, decisions=decisions_path)
    except RegistryError as exc:
        click.echo(f"careerfacts: {exc.problem.line()}", err=True)
        sys.exit(EXIT_USAGE)
    found = next((d for d in run.reconciliation.discrepancies
                  if d.discrepancy_id == discrepancy), None)
    if found is None:
        click.echo(f"careerfacts: no discrepancy {discrepancy!r} in this refresh; see the ids in "
                   "reports/discrepancies.md (run `make refresh` first)", err=True)
        sys.exit(EXIT_USAGE)
    target = prefer or deprecate or ""
    every = list(range(len(found.clusters)))
    named = named_clusters(found.clusters, target) if target else []
    if target and not named:
        click.echo(f"careerfacts: {target!r} names no claim, source or value of {discrepancy}; "
                   "its figures are:\n  " + "\n  ".join(figures_text(found.clusters, every)),
                   err=True)
        sys.exit(EXIT_USAGE)
    if prefer and len(named) > 1:
        click.echo(f"careerfacts: {prefer!r} names {len(named)} figures of {discrepancy}; a "
                   "decision must name one: prefer one of these claim ids (or a value)\n  "
                   + "\n  ".join(figures_text(found.clusters, named, prefer if any(
                       prefer in c.sources for c in found.clusters) else "")),
                   err=True)
        sys.exit(EXIT_USAGE)
    decision = Decision(discrepancy=discrepancy, action=chosen[0], target=target, reason=reason,
                        author=author or default_author(decisions_path.resolve().parent),
                        date=today(), evidence=found.evidence)
    recorded, _ = load_decisions(decisions_path)
    clashes = contradicted(recorded, decision)
    if clashes and not replace:
        click.echo(f"careerfacts: {discrepancy} already has " + "; ".join(
            f"{' '.join(x for x in (d.action, d.target) if x)} ({d.author}, {d.date})"
            for d in clashes) + "; pass --replace to replace it, or edit decisions.yaml",
                   err=True)
        sys.exit(EXIT_USAGE)
    record(decisions_path, decision, replacing=clashes)
    what = f"{decision.action} {target}".strip()
    click.echo(f"recorded in {decisions_path}: {what} on {discrepancy} "
               f"(evidence {found.evidence})"
               + (f", replacing {len(clashes)} earlier decision(s)" if clashes else "")
               + "; run `make refresh` to apply it")


@main.command("check-source")
@click.argument("targets", nargs=-1, metavar="[ID|PATH]...")
@click.option("--base", default="main", show_default=True,
              help="Without targets: check the sources added or changed since this git revision.")
@click.option("--all", "check_all", is_flag=True, help="Check every registered source.")
@click.option("--registry", type=click.Path(path_type=Path), default=Path("raw/sources.yaml"),
              show_default=True, help="The source registry.")
@click.pass_obj
def check_source(obj: Options, targets: tuple[str, ...], base: str, check_all: bool,
                 registry: Path) -> None:
    """Say whether new or changed sources are usable, and what they would change.

    For each source: registry checks (file, sha256, format, retrieval date), extraction
    (at least one figure; error pages named), the claims contract, the
    great-expectations suites (plausible wages, ordered percentiles, hourly × 2,080 =
    annual, ten-year growth, quotes found in the document, unique ids, registered
    sources), and a dry reconciliation listing the discrepancies it would open or
    close. Writes reports/check-source.md and reports/validation/*.json; nothing in
    curated/. Exit 0 when every source is usable, 1 on a blocking failure, 2 on a
    usage error. Under GitHub Actions each failure is also an ::error annotation and
    the summary is appended to $GITHUB_STEP_SUMMARY.

    Example:

        careerfacts check-source raw/new_career_page.html
    """
    import os

    from pipeline.check import (CheckError, annotations, changed_sources, check_sources,
                                markdown, write_reports)

    root = registry.resolve().parent.parent
    try:
        if check_all:
            import yaml
            listed = [str(e.get("id")) for e in (yaml.safe_load(registry.read_text(
                encoding="utf-8")) or {}).get("sources", []) if isinstance(e, dict)]
        elif targets:
            listed = list(targets)
        else:
            listed = changed_sources(registry.resolve(), base)
        if not listed:
            click.echo(f"no source added or changed since {base}; nothing to check "
                       "(give ids, paths or --all)")
            sys.exit(EXIT_OK)
        results = check_sources(registry.resolve(), listed)
    except CheckError as exc:
        click.echo(f"careerfacts: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        if obj.debug:
            raise
        click.echo(f"careerfacts: internal error: {type(exc).__name__}: {exc}. Run with "
                   "--debug for the traceback.", err=True)
        sys.exit(EXIT_DEFECT)
    write_reports(results, root)
    if os.environ.get("GITHUB_ACTIONS"):
        for line in annotations(results):
            click.echo(line)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as out:
                out.write(markdown(results))
    for r in results:
        status = "usable" if r.usable else f"BLOCKED ({len(r.failures)} failing checks)"
        click.echo(f"{r.source_id:24} {r.claims:4} claims  {status}")
        for f in r.failures:
            click.echo(f"    {f.line()}")
        for d in r.opened:
            click.echo(f"    would open  {d}")
        for d in r.closed:
            click.echo(f"    would close {d}")
    click.echo(f"report: {root / 'reports/check-source.md'}")
    sys.exit(EXIT_OK if all(r.usable for r in results) else EXIT_DATA)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "html", "pdf"]), default=None,
              help="Document format; sniffed from the content when not given.")
@click.option("--source-id", default=None, help="Source id to put on the claims [default: file stem].")
@click.pass_obj
def extract(obj: Options, file: Path, fmt: str | None, source_id: str | None) -> None:
    """Print the claims of one document as JSON lines (no registry needed).

    Use it to see what a new page yields before registering it. Each line is one claim
    with its verbatim quote and locator; keys are sorted.

    Example:

        careerfacts extract raw/001_ff2dfab91b0d996c.txt | head -3
    """
    from extractors import extract as extract_claims
    from extractors.document import DocumentError, document_from_bytes
    from extractors.document import sniff_format
    from schemas.problems import problem

    data = file.read_bytes()
    source_id = source_id or file.stem.lower()
    fmt = fmt or sniff_format(data, str(file))
    try:
        doc = document_from_bytes(data, source_id=source_id, path=str(file), format=fmt)
        claims = extract_claims(doc)
    except DocumentError as exc:
        p = problem(exc.code, source_id=source_id, path=str(file), detail=exc.detail)
        click.echo(f"careerfacts: {p.line()}", err=True)
        sys.exit(EXIT_USAGE if exc.code == "format-unsupported" else EXIT_DATA)
    except Exception as exc:
        if obj.debug:
            raise
        p = problem("extractor-failed", source_id=source_id, path=str(file),
                    detail=f"{type(exc).__name__}: {exc}")
        click.echo(f"careerfacts: {p.line()}", err=True)
        sys.exit(EXIT_DATA)
    for claim in claims:
        click.echo(json.dumps(claim.as_dict(), sort_keys=True, ensure_ascii=False))
    if not claims:
        p = problem("document-no-figures", source_id=source_id, path=str(file))
        click.echo(f"careerfacts: {p.line()}", err=True)
        sys.exit(EXIT_DATA)


if __name__ == "__main__":  # pragma: no cover
    main()
