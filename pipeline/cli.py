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

    def show(source_id: str, verb: str = "extracting") -> None:
        seen.append(source_id)
        shown = source_id if verb != "extracting" else f"{len(seen)}: {source_id}"
        stream.write(f"\r\x1b[K{verb} {shown}")
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
    echo(f"discrepancies  {len(rec.discrepancies)} ("
         + ", ".join(f"{severity[s]} {s}" for s in ("high", "medium", "low", "info")) + ")")
    older = sum(p.status != "current" for p in run.pages.values())
    if older:
        changed = {c.page for c in run.changes}
        echo(f"captures       {older} older or duplicate captures kept as history; "
             f"{len(changed)} page{'s' if len(changed) != 1 else ''} changed figures "
             "(see Page changes in the report)")
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
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("--from", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Capture the pages a file names: raw/watchlist.yaml (a `pages:` list with "
                   "url, occupation, …) or plain text, one URL a line.")
@click.option("--occupation", metavar="SOC", default="",
              help="SOC code of the page's occupation, for the registry entry (e.g. 29-2072).")
@click.option("--id", "capture_id", default="",
              help="Id of the new capture (one URL only) [default: made from the URL and time].")
@click.option("--title", default="", help="Title for the registry [default: the page's own].")
@click.option("--authority", type=click.Choice(["primary", "secondary", "unknown"]),
              default="unknown", show_default=True,
              help="primary: the statistical agency itself; secondary: a page citing one.")
@click.option("--registry", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("raw/sources.yaml"), show_default=True, help="The source registry.")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between two requests to one host (a longer Crawl-delay wins).")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=30.0, show_default=True,
              help="Seconds to wait for the site to connect or to send more of a response.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Further attempts after a 429 or 5xx answer, a timeout or a dropped "
                   "connection (with back-off, honouring Retry-After up to a minute).")
@click.option("--max-size", "max_size", type=click.FloatRange(min=0.001), default=20.0,
              show_default=True, help="Largest page to accept, in MB.")
@click.pass_obj
def capture(obj: Options, urls: tuple[str, ...], from_file: Path | None, occupation: str,
            capture_id: str, title: str, authority: str, registry: Path, delay: float,
            timeout: float, retries: int, max_size: float) -> None:
    """Fetch pages into raw/ and register each as a new capture.

    Honours robots.txt, waits between requests to one host, retries 429 and 5xx answers
    with back-off, follows and records redirects, and keeps only HTML pages and PDFs.
    Each capture is a new file in raw/ with its entry appended to the registry (URL,
    final URL, HTTP status, content type, sha256, retrieval time, the capture it
    supersedes); an archived copy (a /web/<timestamp>/<url> address) records the
    archive's timestamp and the original URL. A page that has not changed (a 304
    answer to the previous capture's validators, or the same bytes) writes nothing.
    A URL that fails writes nothing and is reported with a stable code; the others go
    on. Exit 0 when every URL was captured or unchanged, 1 when any failed, 2 on a
    usage error or a registry that cannot be read or appended to.

    Examples:

        careerfacts capture https://www.bls.gov/oes/current/oes292072.htm --occupation 29-2072

        careerfacts capture --from raw/watchlist.yaml
    """
    from pipeline.capture import (Capturer, Target, TargetsError, target_problem,
                                  targets_from_file)
    from pipeline.fetch import Fetcher, Policy
    from pipeline.registry import RegistryError

    try:
        targets = [Target(url, occupation, capture_id, title, authority) for url in urls]
        targets += targets_from_file(from_file) if from_file else []
    except TargetsError as exc:
        raise click.UsageError(str(exc)) from None
    if not targets:
        raise click.UsageError("give at least one URL, or --from FILE")
    if capture_id and len(targets) > 1:
        raise click.UsageError("--id names one capture: give it with a single URL")
    for target in targets[:len(urls)]:
        wrong = target_problem(target)
        if wrong:
            raise click.UsageError(wrong)
    policy = Policy(connect_timeout=timeout, read_timeout=timeout, host_delay=delay,
                    retries=retries, max_bytes=int(max_size * 1024 * 1024))
    counts = Counter()
    progress = _progress(sys.stderr)
    try:
        capturer = Capturer(registry, Fetcher(policy))
        for number, target in enumerate(targets, start=1):
            if progress:
                progress(f"{number}/{len(targets)} {target.url}", verb="capturing")
            outcome = capturer.capture(target)
            counts[outcome.status] += 1
            if progress:
                sys.stderr.write("\r\x1b[K")
            if outcome.status == "captured":
                click.echo(f"captured   {outcome.source_id}  {outcome.path}"
                           + (f"  ({outcome.why})" if outcome.why else ""))
            elif outcome.status == "unchanged":
                click.echo(f"unchanged  {target.url}  ({outcome.why}"
                           + (f"; latest capture {outcome.source_id}" if outcome.source_id
                              and outcome.source_id not in outcome.why else "")
                           + "): nothing written")
            else:
                click.echo(f"failed     {target.url}  [{outcome.problem.code}]")
                click.echo(f"  {outcome.problem.line()}", err=True)
    except RegistryError as exc:
        click.echo(f"careerfacts: {exc.problem.line()}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        if obj.debug:
            raise
        click.echo(f"careerfacts: internal error: {type(exc).__name__}: {exc}. Run with "
                   "--debug for the traceback.", err=True)
        sys.exit(EXIT_DEFECT)
    finally:
        if progress:
            sys.stderr.write("\r\x1b[K")
    click.echo(f"{len(targets)} URL{'s' if len(targets) != 1 else ''}: "
               + ", ".join(f"{counts[s]} {s}" for s in ("captured", "unchanged", "failed"))
               + ("; run `make refresh` to use the new captures" if counts["captured"] else ""))
    sys.exit(EXIT_DATA if counts["failed"] else EXIT_OK)


@main.command()
@click.argument("discrepancy")
@click.option("--prefer", "prefer", metavar="CLAIM|SOURCE|VALUE",
              help="The claim id, source id or value that should win.")
@click.option("--deprecate", metavar="CLAIM|SOURCE",
              help="A claim or source to rank deprecated and leave out of the resolution.")
@click.option("--not-a-conflict", "not_a_conflict", is_flag=True,
              help="The discrepancy is explained; the rules still resolve it.")
@click.option("--split", is_flag=True,
              help="The key mixes two populations: an explained definition difference.")
@click.option("--reason", required=True, help="Why: shown in the report beside the decision.")
@click.option("--author", default=None, help="Who decides [default: $GIT_AUTHOR_NAME or $USER].")
@click.option("--registry", type=click.Path(path_type=Path), default=Path("raw/sources.yaml"),
              show_default=True, help="The source registry.")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path),
              default=Path("decisions.yaml"), show_default=True, help="The decisions file.")
@click.pass_obj
def decide(obj: Options, discrepancy: str, prefer: str | None, deprecate: str | None,
           not_a_conflict: bool, split: bool, reason: str, author: str | None,
           registry: Path, decisions_path: Path) -> None:
    """Record an analyst's decision on a discrepancy in decisions.yaml.

    The decision carries a fingerprint of the evidence it is made on; every refresh
    applies it while that evidence is unchanged and lists it as needs-review when the
    claims behind it change. Take DISCREPANCY from reports/discrepancies.md.

    Example:

        careerfacts decide d-0f6fb36664df --prefer bls-reference --reason "the agency's own figure"
    """
    import os

    from pipeline.decisions import Decision, record, today
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
    claims = [r.claim for c in found.clusters for r in c.readings]
    if target and not any(target in (c.claim_id, c.source_id, c.figure, c.value_text)
                          or (c.value is not None and target.replace(",", "").lstrip("$")
                              in (f"{c.value:g}",)) for c in claims):
        click.echo(f"careerfacts: {target!r} is none of the claims, sources or values of "
                   f"{discrepancy}: " + ", ".join(sorted({c.source_id for c in claims})), err=True)
        sys.exit(EXIT_USAGE)
    who = author or os.environ.get("GIT_AUTHOR_NAME") or os.environ.get("USER") or "unknown"
    decision = Decision(discrepancy=discrepancy, action=chosen[0], target=target, reason=reason,
                        author=who, date=today(), evidence=found.evidence)
    record(decisions_path, decision)
    click.echo(f"recorded in {decisions_path}: {decision.action} {target} on {discrepancy} "
               f"(evidence {found.evidence}); run `make refresh` to apply it")


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
@click.option("--explain", is_flag=True,
              help="Instead of the claims, list every figure on the page in page order with "
                   "what became of it: the claim read from it, or why none was.")
@click.pass_obj
def extract(obj: Options, file: Path, fmt: str | None, source_id: str | None,
            explain: bool) -> None:
    """Print the claims of one document as JSON lines (no registry needed).

    Use it to see what a new page yields before registering it. Each line is one claim
    with its verbatim quote and locator; keys are sorted. With --explain, every figure
    the page states is listed with what became of it, so a curator sees what was missed.

    Example:

        careerfacts extract raw/001_ff2dfab91b0d996c.txt | head -3
        careerfacts extract --explain raw/001_ff2dfab91b0d996c.txt
    """
    from extractors import read as read_document
    from extractors.document import DocumentError, document_from_bytes
    from extractors.document import sniff_format
    from schemas.problems import problem

    data = file.read_bytes()
    source_id = source_id or file.stem.lower()
    fmt = fmt or sniff_format(data, str(file))
    try:
        doc = document_from_bytes(data, source_id=source_id, path=str(file), format=fmt)
        reading = read_document(doc)
        claims = reading.claims
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
    if explain:
        from pipeline.explain import explanation
        click.echo(explanation(reading, str(file)))
    else:
        for claim in claims:
            click.echo(json.dumps(claim.as_dict(), sort_keys=True, ensure_ascii=False))
    if not claims:
        p = problem("document-no-figures", source_id=source_id, path=str(file))
        click.echo(f"careerfacts: {p.line()}", err=True)
        sys.exit(EXIT_DATA)


if __name__ == "__main__":  # pragma: no cover
    main()
