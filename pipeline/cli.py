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


class Context:
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
    ctx.obj = Context(debug)


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
def refresh(obj: Context, registry: Path, root: Path) -> None:
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
        run = run_refresh(registry, progress)
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
    echo(f"sources        {len(run.captures)} readable"
         + (f", {len({p.source_id for p in run.problems if p.code.startswith(('registry', 'document'))})}"
            " with problems" if run.problems else ""))
    echo(f"claims         {len(run.claims)} extracted, {len(run.valid)} valid, "
         f"{len(run.quarantined)} quarantined")
    echo(f"facts          {len(rec.facts)} ("
         + ", ".join(f"{status[s]} {s}" for s in ("consensus", "single-source", "resolved",
                                                   "conflict")) + ")")
    echo(f"discrepancies  {len(rec.discrepancies)} ("
         + ", ".join(f"{severity[s]} {s}" for s in ("high", "medium", "low", "info")) + ")")
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
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "html", "pdf"]), default=None,
              help="Document format; sniffed from the content when not given.")
@click.option("--source-id", default=None, help="Source id to put on the claims [default: file stem].")
@click.pass_obj
def extract(obj: Context, file: Path, fmt: str | None, source_id: str | None) -> None:
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
