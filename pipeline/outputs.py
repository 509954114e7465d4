"""Curated tables and reports from a run, rendered to files.

Every table is sorted and every value spelled one way, so the same inputs give
byte-identical files. A refresh's reconciliation is rendered a chunk of slices of keys
at a time (pipeline/reconcile.py, `Reconciler`): each chunk's claims are made objects,
reconciled, and what the outputs need of them is kept in compact form — per claim, a
few numbers (its fact, rank, release match, copy cluster, the period reconciliation
gave it); per fact and per discrepancy, its row and its section of the report, on disk
— before the next chunk is read. The large files (claims, facts, discrepancies, the
report) are then written piece by piece into a folder of their own; the small ones
are bytes. Nothing here writes to the project: `pipeline/publish.py` publishes the
rendered set together.

    files = rendered(run)             # a mapping of path -> bytes, files on disk behind it
    publish(files, root)
    files.close()                     # the rendered folder goes
"""
from __future__ import annotations

import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.reconcile import (KEY_FIELDS, QUEUES, Cluster, Discrepancy, Reading, Reconciler,
                                Slice, collector_paused, discrepancy_order, reused_figures)
from pipeline.cache import RenderedChunks
from pipeline.forked import forked_in_turn, forked_map
from pipeline.memory import returned_to_system
from pipeline.publish import RENDERED, flushed_soon
from pipeline.report_html import AnalystParts
from pipeline.refresh import Run
from pipeline.report import (ReportParts, add_quoted, discrepancy_report, fact_value, figure_of,
                             key_title, listing, occupation_title, section_lines)
from pipeline.store import ClaimStore, with_fields
from pipeline.tables import (PIECE, PublishedPieces, RowSpill, TableFile, TableSpill,
                             claims_frame, csv_bytes, parquet_bytes)

SOURCE_COLUMNS = {"title": "source_title", "publisher": "source_publisher",
                  "authority": "source_authority", "retrieved": "source_retrieved",
                  "path": "source_path"}
FACT_COLUMNS = ["fact_id", *KEY_FIELDS, "outcome", "status", "value", "low", "high", "value_text",
                "stated", "display", "period", "period_basis", "rule", "chosen_claim_id",
                "supporting_sources", "dissenting_sources", "alternatives", "n_claims",
                "n_sources", "discrepancy_id"]
DISCREPANCY_COLUMNS = ["discrepancy_id", *KEY_FIELDS, "outcome", "severity", "queue",
                       "explanation", "n_figures", "figures", "sources", "claim_ids", "proposed",
                       "rule", "evidence", "decision", "decision_status"]
CLAIMS_CSV, CLAIMS_PARQUET = "curated/claims.csv", "curated/claims.parquet"
LARGE = ("curated/claims.csv", "curated/claims.parquet", "curated/facts.csv",
         "curated/facts.parquet", "curated/discrepancies.csv", "curated/discrepancies.parquet",
         "reports/discrepancies.md")
"""The files that grow with the claims: written to files, never held as bytes."""
PIECE_CUTS = 16
"""curated/claims is written in pieces of whole sources that may end after one source
in this many (chosen by a hash of its id): see `_Rendering._claims_files`."""


# --- rows of the tables, one fact, discrepancy or piece of claims at a time ---------------

def claims_rows(frame: pd.DataFrame, claim, sources: dict, role, match, copy) -> pd.DataFrame:
    """The rows of curated/claims.csv for the valid claims of `frame` (the claims
    contract's table): each claim as reconciliation left it (`claim(id)`: the period it
    inferred or matched, the release), its source's metadata (`sources`: id -> Source),
    its role (`role(id)`: fact id, rank, reason), release match (`match(id)`: a Match or
    None) and copy cluster (`copy(id)`), sorted by source and claim id."""
    frame = frame.copy()
    ids = frame["claim_id"].tolist()
    claims = [claim(i) for i in ids]

    def text(values: list) -> pd.Series:
        # object, as the contract's text columns are: a list assigned to a frame of no
        # rows would make a float column, and the database a DOUBLE one
        return pd.Series(values, index=frame.index, dtype=object)

    # periods inferred during reconciliation replace the unknown ones
    for column in ("period", "period_basis", "stated_in"):
        frame[column] = text([getattr(c, column) for c in claims])
    for column in ("period_start", "period_end"):
        frame[column] = pd.array([getattr(c, column) for c in claims], dtype="Int64")
    for attribute, column in SOURCE_COLUMNS.items():
        frame[column] = text([getattr(sources[s], attribute) for s in frame["source_id"]])
    roles = [role(i) for i in ids]
    frame["fact_id"] = text([r[0] for r in roles])
    frame["rank"] = text([r[1] for r in roles])
    frame["rank_reason"] = text([r[2] for r in roles])
    matches = [match(i) for i in ids]
    frame["release_match"] = text([m.outcome if m else "" for m in matches])
    frame["releases_behind"] = pd.array([m.releases_behind if m else None for m in matches],
                                        dtype="Int64")
    frame["release_candidates"] = text(["; ".join(m.candidates) if m else "" for m in matches])
    frame["copy_cluster"] = text([copy(i) for i in ids])
    return frame.sort_values(["source_id", "claim_id"]).reset_index(drop=True)


def curated_claims(run: Run) -> pd.DataFrame:
    """Every valid claim with its source's metadata and its role in its fact."""
    rec = run.reconciliation
    by_id = {c.claim_id: c for c in run.claims}  # older captures' claims are not reconciled
    by_id.update({c.claim_id: c for c in rec.claims})
    ranks = {**run.history, **rec.ranks}
    copies = {r.claim.claim_id: c.copies for f in rec.facts for c in f.clusters
              for r in c.readings}
    return claims_rows(run.valid, by_id.__getitem__, {c.source.id: c.source for c in run.captures},
                       ranks.__getitem__, rec.matches.get, lambda i: copies.get(i, ""))


def _sources(cluster: Cluster) -> str:
    return "; ".join(cluster.sources)


def _supporting(cluster: Cluster, ranks: dict) -> list[str]:
    """The winning figure's sources, but for those an analyst deprecated there."""
    return sorted({r.source_id for r in cluster.readings
                   if ranks.get(r.claim.claim_id, ("", "", ""))[1:] != ("deprecated", "analyst")})


def _alternative(cluster: Cluster) -> str:
    period = "/".join(sorted(cluster.periods))
    return f"{figure_of(cluster.representative)} ({_sources(cluster)}{', ' + period if period else ''})"


def fact_row(fact, ranks: dict, shown: Callable[[Cluster], str] = _alternative) -> dict:
    """A fact's row of curated/facts.csv; `ranks` are its claims' (claim id -> fact id,
    rank, reason), `shown` gives a figure's text in the alternatives ("$47,180 (seed-002,
    2022)")."""
    chosen = fact.chosen
    winner = fact.clusters[fact.winner] if fact.winner is not None else None
    others = [c for i, c in enumerate(fact.clusters) if i != fact.winner]
    row = dict(zip(KEY_FIELDS, fact.key))
    row.update(
        fact_id=fact.fact_id,
        outcome=fact.outcome,
        status=fact.status,
        value=chosen.value if chosen else None,
        low=chosen.low if chosen else None,
        high=chosen.high if chosen else None,
        value_text=chosen.claim.value_text if chosen else "",
        stated=chosen.claim.figure if chosen else "",
        display=fact_value(chosen) if chosen else "",
        period=chosen.claim.period if chosen else "",
        period_basis=chosen.claim.period_basis if chosen else "",
        rule=fact.rule,
        chosen_claim_id=chosen.claim.claim_id if chosen else "",
        supporting_sources="; ".join(_supporting(winner, ranks)) if winner else "",
        dissenting_sources="; ".join(sorted({s for c in others for s in c.sources}
                                            - (set(winner.sources) if winner else set()))),
        alternatives=" | ".join(shown(c) for c in others),
        n_claims=sum(len(c.readings) for c in fact.clusters),
        n_sources=len({s for c in fact.clusters for s in c.sources}),
        discrepancy_id=fact.discrepancy_id,
    )
    return row


def _typed(frame: pd.DataFrame, floats: tuple[str, ...] = (),
           integers: tuple[str, ...] = ()) -> pd.DataFrame:
    """`frame` with each column's type, whatever its rows hold: text (never missing) but
    for `floats` and `integers` (a table written a few rows at a time, as
    tables.TableSpill does, has the same types in every piece)."""
    frame = frame.astype({column: "float64" if column in floats else
                          "int64" if column in integers else "str" for column in frame.columns})
    text = [column for column in frame.columns if column not in floats + integers]
    frame[text] = frame[text].fillna("")
    return frame


def facts_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of curated/facts.csv (already in fact id order) as its table."""
    return _typed(pd.DataFrame(rows, columns=FACT_COLUMNS), floats=("value", "low", "high"),
                  integers=("n_claims", "n_sources"))


def facts_table(run: Run) -> pd.DataFrame:
    rec = run.reconciliation
    frame = facts_frame([fact_row(f, rec.ranks) for f in rec.facts])
    return frame.sort_values("fact_id").reset_index(drop=True)


def _readings(clusters: tuple[Cluster, ...]) -> list[Reading]:
    return [r for c in clusters for r in c.readings]


def discrepancy_row(d: Discrepancy, shown: Callable[[Cluster], str] = _alternative) -> dict:
    """A discrepancy's row of curated/discrepancies.csv (`shown` as for fact_row)."""
    row = {"discrepancy_id": d.discrepancy_id, **dict(zip(KEY_FIELDS, d.key))}
    row.update(
        outcome=d.outcome,
        severity=d.severity,
        queue=d.queue,
        explanation=d.explanation,
        n_figures=len(d.clusters),
        figures=" | ".join(shown(c) for c in d.clusters),
        sources="; ".join(sorted({s for c in d.clusters for s in c.sources})),
        claim_ids="; ".join(sorted(r.claim.claim_id for r in _readings(d.clusters))),
        proposed=fact_value(d.proposed) if d.proposed else "",
        rule=d.rule,
        evidence=d.evidence,
        decision="; ".join(r.decision.label for r in d.decisions),
        decision_status="; ".join(r.status for r in d.decisions),
    )
    return row


def discrepancies_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of curated/discrepancies.csv (already in their order) as its table."""
    return _typed(pd.DataFrame(rows, columns=DISCREPANCY_COLUMNS), integers=("n_figures",))


def discrepancies_table(run: Run) -> pd.DataFrame:
    return discrepancies_frame([discrepancy_row(d) for d in run.reconciliation.discrepancies])


def sources_table(run: Run, parts: ReportParts | None = None) -> pd.DataFrame:
    """One row per source: its registry entry and how current its figures are."""
    if parts is None:
        vintages = run.reconciliation.sources
        figures = Counter(run.valid["source_id"]) if len(run.valid) else Counter()
    else:
        vintages, figures = parts.sources, parts.figures
    rows = []
    for capture in run.captures:
        s = capture.source
        v = vintages.get(s.id)
        page = run.pages.get(s.id)
        rows.append(dict(
            source_id=s.id, title=s.title, authority=s.authority, format=s.format,
            retrieved=s.retrieved, path=s.path, sha256=s.sha256,
            url=s.original_url or s.url, archived=s.archived,
            capture_status=page.status if page else "current",
            current_capture=page.current if page else s.id,
            encoding=run.encodings.get(s.id, ""),
            claims=figures[s.id],
            current=v.current if v else 0, stale=v.stale if v else 0,
            unmatched=v.unmatched if v else 0, ambiguous=v.ambiguous if v else 0,
            differs=v.differs if v else 0, history=v.history if v else 0,
            mixed_vintage=", ".join(map(str, v.editions)) if v and v.editions else "",
        ))
    columns = ["source_id", "title", "authority", "format", "encoding", "retrieved", "path",
               "sha256", "url", "archived", "capture_status", "current_capture", "claims",
               "current", "stale", "unmatched", "ambiguous", "differs", "history",
               "mixed_vintage"]
    return pd.DataFrame(rows, columns=columns).sort_values("source_id").reset_index(drop=True)


def page_changes_table(run: Run) -> pd.DataFrame:
    """One row per figure a page changed between two of its captures."""
    columns = ["page", "before_capture", "before_as_of", "after_capture", "after_as_of",
               "change", *KEY_FIELDS, "before", "after"]
    rows = [{**dict(zip(KEY_FIELDS, c.key)), "page": c.page, "before_capture": c.before_capture,
             "before_as_of": c.before_as_of, "after_capture": c.after_capture,
             "after_as_of": c.after_as_of, "change": c.change, "before": c.before,
             "after": c.after} for c in run.changes]
    return pd.DataFrame(rows, columns=columns)


def problems_table(run: Run) -> pd.DataFrame:
    columns = ["severity", "code", "source_id", "path", "locator", "message", "hint"]
    rows = [{c: getattr(p, c) for c in columns} for p in run.problems]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["severity", "code", "source_id", "locator", "message"]
                             ).reset_index(drop=True)


# --- the rendered set --------------------------------------------------------------------

class Rendered(MutableMapping):
    """A run's output files: path relative to the project -> bytes. The large files are
    on disk (`file(path)`), read only when their bytes are asked for; a file added may
    be bytes or a file in the rendered folder. `parts` holds the counts a summary gives
    (facts by status, discrepancies by queue, outcome and severity, decisions) and what
    the analyst's view is made of. `close()` removes the rendered folder."""

    def __init__(self, files: dict[str, bytes | Path], folder: Path | None, parts: ReportParts,
                 view: AnalystParts | None = None):
        self._files = files
        self.folder = folder
        self.parts = parts
        self.view = view  # what reports/index.html and the run's record are made of
        self.drawing = None  # the charts drawn in the background (charts.DrawingAhead)
        self.copied: tuple[str, set[str]] | None = None
        """(the sha256 of the last refresh's curated/claims.parquet, the ids of the
        sources whose rows of curated/claims were copied from it), when some were: the
        database (pipeline/database.py) is then that refresh's, patched."""

    def __getitem__(self, path: str) -> bytes:
        value = self._files[path]
        return value.read_bytes() if isinstance(value, Path) else value

    def __setitem__(self, path: str, value: bytes | Path) -> None:
        self._files[path] = value

    def __delitem__(self, path: str) -> None:
        del self._files[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __contains__(self, path: object) -> bool:  # without reading the file
        return path in self._files

    def __len__(self) -> int:
        return len(self._files)

    def file(self, path: str) -> Path | None:
        """The file holding `path`'s bytes, when they are on disk."""
        value = self._files[path]
        return value if isinstance(value, Path) else None

    def close(self) -> None:
        if self.drawing is not None:  # it reads the view's files in the folder
            self.drawing.finish()
            self.drawing = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> Rendered:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def rendered(run: Run, folder: Path | None = None, published: Path | None = None,
             chart_cache: Path | None = None) -> Rendered:
    """Every output file of a run (see the module docstring). The large files are written
    into a new folder inside `folder` (default: the system's temporary folder); a
    refresh gives the project's `.careerfacts/`, so that publishing renames them rather
    than copies them, and the next command deletes what a killed run left there.
    `published`: the project whose published curated/claims.csv and .parquet (the last
    refresh's) may hold pieces of the new ones, copied from there when their keys are
    the same (PublishedPieces); None makes every piece. `chart_cache`: the folder of
    drawn charts (pipeline/charts.py) into which the report's charts are drawn in the
    background from the end of reconciliation on, while the files are written
    (`Rendered.drawing`, finished by pipeline.analyst before the report is)."""
    if folder is not None:
        Path(folder).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=RENDERED if folder is not None else "careerfacts-render-",
                                 dir=folder))
    drawing = None
    try:
        rendering = _Rendering(run, work)
        rendering.published = Path(published) if published is not None else None
        rendering.reconcile()
        returned_to_system()  # the slices' objects are gone: their heap pages too
        if chart_cache is not None:
            from pipeline.charts import drawing_ahead
            drawing = drawing_ahead(rendering.view.charts(chart_cache), chart_cache,
                                    claims=len(rendering.valid))
        files = Rendered(rendering.files(), work, rendering.parts, rendering.view)
        files.copied = rendering.copied
        files.drawing, drawing = drawing, None
        return files
    except BaseException:
        if drawing is not None:
            drawing.finish()
        shutil.rmtree(work, ignore_errors=True)
        raise


class _Interned:
    """Values numbered in order of first appearance: a column of numbers stands for a
    column of repeated values."""

    def __init__(self) -> None:
        self.number: dict = {}
        self.values: list = []

    def __call__(self, value) -> int:
        n = self.number.get(value)
        if n is None:
            n = self.number[value] = len(self.values)
            self.values.append(value)
        return n


class _Rendering:
    """A run's reconciliation rendered a chunk at a time, then its files written."""

    def __init__(self, run: Run, work: Path, size: int | None = None, like=None):
        """`size`: the rows of one chunk, numbered from 0, rather than the store's rows
        (a chunk rendered on its own, `_chunks`), in a rendering `like` another of the
        same run (what it worked out of the run's sources and figures is shared)."""
        self.run = run
        self.work = work
        self.published: Path | None = None  # the project whose published files hold pieces
        self.copied: tuple[str, set[str]] | None = None  # see Rendered.copied
        self.authorities = (like.authorities if like is not None else
                            {c.source.id: c.source.authority for c in run.captures})
        basis = getattr(run, "basis", None)
        if basis is not None:
            self.store, self.valid = basis.store, basis.valid
        else:  # a run given as objects: its claims as a store, for one way of writing them
            self.store = ClaimStore(run.claims)
            ids = set(run.valid["claim_id"]) if len(run.valid) else set()
            self.valid = [row for row, claim_id in enumerate(self.store.column("claim_id"))
                          if claim_id in ids]
        n = len(self.store) if size is None else size
        # per row of the store: what reconciliation made of the claim (-1: nothing)
        self.updated = np.full(n, -1, dtype=np.int32)  # (period, start, end, basis, release)
        self.fact = np.full(n, -1, dtype=np.int32)
        self.role = np.full(n, -1, dtype=np.int32)  # (rank, reason)
        self.match = np.full(n, -1, dtype=np.int32)  # a Match
        self.copy = np.full(n, -1, dtype=np.int32)  # a copy cluster's id
        self.periods, self.fact_ids, self.roles = _Interned(), _Interned(), _Interned()
        self.matches, self.copies = _Interned(), _Interned()
        self.occupations: dict[int, tuple[str, str]] = {}  # row -> a split code's part
        self.facts = TableSpill(work / "facts", facts_frame)
        self.discrepancies = TableSpill(work / "discrepancies", discrepancies_frame)
        self.sections = RowSpill(work / "sections.spill")
        self.deferred: list[tuple[Discrepancy, dict, dict]] = []
        self.parts = ReportParts()
        self.reused_pending = basis is not None
        self.split = basis.parts if basis is not None else {}
        if basis is not None:
            figures, decisions = basis.figures, basis.decisions
        else:
            rec = run.reconciliation
            figures, decisions = rec.figures, [r.decision for r in rec.decisions]
        self.view = AnalystParts(run, figures, decisions, work,
                                 like.view if like is not None else None)

    def reconcile(self) -> None:
        run = self.run
        basis = getattr(run, "basis", None)
        if basis is None:
            rec = run.reconciliation
            rows = {}
            for row, claim_id in enumerate(self.store.column("claim_id")):
                rows.setdefault(claim_id, row)
            self.add([rows[c.claim_id] for c in rec.claims],
                     Slice(rec.claims, rec.facts, rec.discrepancies, rec.ranks, rec.matches))
            self.parts.decisions, self.parts.sources = rec.decisions, rec.sources
            self.parts.releases = rec.figures
        else:
            self._chunks(basis)
            with collector_paused():
                self._reused(basis)
        codes, names = self.store.codes_of(self.valid, "source_id")
        self.parts.figures = Counter({names[c]: n for c, n in enumerate(
            np.bincount(codes, minlength=len(names)).tolist()) if n})

    def _chunks(self, basis) -> None:
        """Every chunk reconciled and rendered on its own, into a folder of its own, and
        adopted here in chunk order. A chunk whose key (Basis.chunk_keys) the cache of
        rendered chunks holds is taken from it as it is; the others are shared out
        between this process and forked children (pipeline/forked.py), which put them
        into the cache (or, when the run caches nothing, into this rendering's folder).
        Whichever made a chunk, and however many shared them, the outputs are the same."""
        chunks = basis.chunks()
        basis.store.seal()  # a child reads the store, never writes its spill file
        cache = basis.rendered_chunks()
        sources = {c.source.id: c.source for c in self.run.captures}
        keys = (basis.chunk_keys(chunks, sources, cache) if cache is not None
                else [None] * len(chunks))
        scratch = RenderedChunks(self.work / "chunks")
        template = Reconciler(basis.authorities, basis.decisions, basis.figures,
                              basis.pairings, basis.parts)

        def made(n: int, here: bool = False) -> Path:
            """Chunk n reconciled and rendered in a folder of its own (in this rendering's
            folder when `here` or when it is not to be cached): where it is."""
            kept, key = ((scratch, f"chunk-{n}") if keys[n] is None or here
                         else (cache, keys[n]))
            if kept.holds(key):  # made by a child that failed later
                return kept.folder / key
            try:
                folder = kept.making(key)
            except OSError:  # a cache that cannot be written costs only time
                kept, key = scratch, f"chunk-{n}"
                folder = kept.making(key)
            rendering = _Rendering(self.run, folder, size=len(chunks[n]), like=self)
            reconciler = template.fresh()
            with collector_paused():
                rendering.add(range(len(chunks[n])), basis.slice_of(reconciler, chunks[n]))
            return kept.put(key, folder, (rendering.handed(), reconciler.state()))

        todo = [n for n, key in enumerate(keys) if key is None or not cache.holds(key)]
        made_now = set(todo)
        forked_map(made, todo, max(1, min(basis.jobs, len(todo))),
                   weight=lambda n: len(chunks[n]))
        reconciler = template.fresh()
        for n, rows in enumerate(chunks):
            folder = self.work / "taken" / str(n)
            value = (cache.get(keys[n], folder, checked=n not in made_now)
                     if keys[n] is not None else None)
            if value is None:  # not to be cached, or the cache failed it: made here
                folder = made(n, here=True)
                value = scratch.read(folder, checked=False)
            handed, state = value
            self.adopt(handed, rows, folder)
            reconciler.absorb(state)
        if cache is not None:
            cache.retain({key for key in keys if key is not None})
        self.parts.decisions, self.parts.sources = reconciler.decisions(), reconciler.sources()
        self.parts.releases = basis.figures

    _COLUMNS = (("updated", "periods"), ("fact", "fact_ids"), ("role", "roles"),
                ("match", "matches"), ("copy", "copies"))
    """Each column kept per store row, and the values its numbers stand for."""

    _SPILLS = ("facts", "discrepancies", "sections")

    def handed(self) -> dict:
        """What this rendering of one chunk (`size` rows) kept, as `adopt` takes it:
        each column's numbers by the chunk's row and the values they stand for, its
        spills' files by name (in this rendering's folder)."""
        def named(spill):
            files, index = spill
            return [Path(f).name for f in files], index

        view = self.view.handed()
        for name in ("spill", "headline"):
            if view[name] is not None:
                view[name] = named(view[name])
        return {"columns": {name: (getattr(self, name), getattr(self, values).values)
                            for name, values in self._COLUMNS},
                "occupations": self.occupations,
                "spills": {name: named(getattr(self, name).handed()) for name in self._SPILLS},
                "deferred": self.deferred, "parts": self.parts, "view": view}

    def adopt(self, handed: dict, rows: np.ndarray, folder: Path) -> None:
        """Take what the rendering of the chunk of `rows` (in `folder`) `handed`, after
        the chunks added here: the same as adding the chunk here."""
        def found(spill):
            names, index = spill
            return [folder / name for name in names], index

        for name, values in self._COLUMNS:
            numbers, theirs = handed["columns"][name]
            interned = getattr(self, values)
            ours = np.fromiter((interned(v) for v in theirs), dtype=np.int32, count=len(theirs))
            has = numbers >= 0
            getattr(self, name)[rows[has]] = ours[numbers[has]]
        self.occupations.update((int(rows[n]), part) for n, part in handed["occupations"].items())
        for name, spill in handed["spills"].items():
            getattr(self, name).adopt(found(spill))
        self.deferred.extend(handed["deferred"])
        self.parts.merge(handed["parts"])
        view = handed["view"]
        for name in ("spill", "headline"):
            if view[name] is not None:
                view[name] = found(view[name])
        self.view.adopt(view)

    def add(self, rows: list[int], part: Slice) -> None:
        """Keep what the outputs need of one reconciled chunk."""
        row_of = {}
        texts: dict[int, str] = {}

        def shown(cluster: Cluster) -> str:
            """A figure's text, made once for its fact's row and its discrepancy's (the
            part holds every cluster while it is added: ids stay theirs)."""
            text = texts.get(id(cluster))
            if text is None:
                text = texts[id(cluster)] = _alternative(cluster)
            return text

        for row, claim in zip(rows, part.claims):
            row_of[claim.claim_id] = row
            self.updated[row] = self.periods((claim.period, claim.period_start, claim.period_end,
                                              claim.period_basis, claim.stated_in))
            if claim.claim_id in self.split:  # its occupation may be one of the parts
                self.occupations[row] = (claim.occupation, claim.occupation_basis)
            rank = part.ranks.get(claim.claim_id)
            if rank is not None:
                self.fact[row] = self.fact_ids(rank[0])
                self.role[row] = self.roles(rank[1:])
            match = part.matches.get(claim.claim_id)
            if match is not None:
                self.match[row] = self.matches((match.outcome, match.releases_behind,
                                                match.candidates))
        for fact in part.facts:
            for cluster in fact.clusters:
                if cluster.copies:
                    for r in cluster.readings:
                        self.copy[row_of[r.claim.claim_id]] = self.copies(cluster.copies)
            self.facts.add(fact.fact_id, fact_row(fact, part.ranks, shown))
        self.parts.add_facts(part.facts, part.matches, self.authorities)
        self.view.add_facts(part.facts, part.matches,
                            {d.discrepancy_id for d in part.discrepancies if d.queue == "open"})
        add_quoted(self.parts.quoted, part.claims, part.matches, self.authorities)
        for d in part.discrepancies:
            if self.reused_pending and d.outcome == "intra-source":
                ids = {r.claim.claim_id for c in d.clusters for r in c.readings}
                self.deferred.append((d, {i: part.ranks[i] for i in ids if i in part.ranks},
                                      {i: part.matches[i] for i in ids if i in part.matches}))
            else:
                self._discrepancy(d, part.ranks, part.matches, shown)

    def _discrepancy(self, d: Discrepancy, ranks, matches,
                     shown: Callable[[Cluster], str] = _alternative) -> None:
        order = discrepancy_order(d)
        self.parts.add_discrepancy(d)
        listed = listing(d, ranks)  # what the Markdown and the HTML reports list of it
        self.view.add_discrepancy(d, ranks, matches, listed)
        self.discrepancies.add(order, discrepancy_row(d, shown))
        title = key_title(d.key, occupation_title(self.run, d.key[0]))
        self.sections.add(order, {"queue": d.queue, "title": title,
                                  "lines": section_lines(d, ranks, matches, listed)})

    def _reused(self, basis) -> None:
        """The deferred self-contradictions of pages, with the figures each page reuses in
        keys of other slices (reconcile.reused_figures), rendered."""
        if not self.deferred:
            return
        wanted = {d.clusters[0].readings[0].source_id for d, _, _ in self.deferred}

        reconciled = np.asarray(basis.reconciled, dtype=np.int64)
        rows = reconciled[basis.store.rows_where(reconciled, "source_id",
                                                 wanted.__contains__)].tolist()
        by_source: dict[str, list] = defaultdict(list)
        for row, claim in zip(rows, basis.store.claims(rows)):
            by_source[claim.source_id].append(self._as_reconciled(row, claim))
        for d, ranks, matches in self.deferred:
            self._discrepancy(reused_figures(d, by_source), ranks, matches)

    def _as_reconciled(self, row: int, claim):
        """A stored claim as reconciliation left it: its period and release, and the part
        a split occupation's claim turned out to be."""
        changes = {}
        if self.updated[row] >= 0:
            period, start, end, basis, release = self.periods.values[self.updated[row]]
            changes.update(period=period, period_start=start, period_end=end,
                           period_basis=basis, stated_in=release)
        if row in self.occupations:
            changes.update(occupation=self.occupations[row][0],
                           occupation_basis=self.occupations[row][1])
        return with_fields(claim, **changes) if changes else claim

    # --- the files ---------------------------------------------------------------------

    def files(self) -> dict[str, bytes | Path]:
        run, work = self.run, self.work
        files: dict[str, bytes | Path] = {}
        self._claims_files(files)
        if getattr(run, "basis", None) is not None:
            # the claims are written: from now on they are read from a file, if at all
            self.store.move_to(work / "claims.arrows")
        table = TableFile(work / "facts.csv", work / "facts.parquet")
        for piece in self.facts.pieces():
            table.write_piece(piece)
        table.close(facts_frame([]))
        files["curated/facts.csv"], files["curated/facts.parquet"] = \
            work / "facts.csv", work / "facts.parquet"
        table = TableFile(work / "discrepancies.csv", work / "discrepancies.parquet")
        for piece in self.discrepancies.pieces():
            table.write_piece(piece)
        table.close(discrepancies_frame([]))
        files["curated/discrepancies.csv"], files["curated/discrepancies.parquet"] = \
            work / "discrepancies.csv", work / "discrepancies.parquet"
        frame = sources_table(run, self.parts)
        files["curated/sources.csv"] = csv_bytes(frame)
        files["curated/sources.parquet"] = parquet_bytes(frame)
        files["curated/quarantine.csv"] = csv_bytes(run.quarantined)
        files["curated/page_changes.csv"] = csv_bytes(page_changes_table(run))
        if run.official.releases_path is not None:
            # the cached table as it is: the same official files give the same bytes
            files["curated/releases.parquet"] = run.official.releases_path.read_bytes()
        files["reports/problems.csv"] = csv_bytes(problems_table(run))
        with open(work / "discrepancies.md", "w", encoding="utf-8", newline="") as out:
            discrepancy_report(run, out, self.parts, self._sections())
        files["reports/discrepancies.md"] = work / "discrepancies.md"
        flushed_soon(work / "discrepancies.md")  # to be published
        return dict(sorted(files.items()))

    def _sections(self):
        """queue -> its sections (title, lines) in report order, read back from disk."""
        spill = self.sections
        spill.finish()

        def sections(queue: str):
            number = QUEUES.index(queue)
            for _, section in spill.entries(lambda key: key[0] == number):
                yield section["title"], section["lines"]
        return sections

    def _claims_files(self, files: dict) -> None:
        """curated/claims.{csv,parquet}: the valid claims, source by source in id order,
        a piece at a time."""
        run, store = self.run, self.store
        sources = {c.source.id: c.source for c in run.captures}
        codes, names = store.codes_of(self.valid, "source_id")
        in_order = sorted(names[c] for c in np.unique(codes).tolist())
        number = {name: n for n, name in enumerate(in_order)}
        codes = np.array([number.get(name, -1) for name in names], dtype=np.int64)[codes] \
            if names else codes
        order = np.argsort(codes, kind="stable")
        rows = np.asarray(self.valid, dtype=np.int64)[order]
        codes = codes[order]
        ends = np.append(np.flatnonzero(np.diff(codes)) + 1, len(rows))  # each source's end
        # whole sources, up to a piece of rows (a larger source alone), cut after a
        # source whose id's hash marks it once a piece holds a quarter of that: the
        # pieces around a page that gains or loses claims move, not every piece after it
        from pipeline.refresh import _digest64

        marked = [_digest64(name) % PIECE_CUTS == 0 for name in in_order]
        pieces, spans = [], []  # each piece's rows, and its first and last source's number
        begin = first = 0
        for k, end in enumerate(ends.tolist() if len(rows) else []):
            size = end - begin
            follows = int(ends[k + 1]) - end if k + 1 < len(ends) else 0
            if not follows or (marked[k] and size >= PIECE // 4) or size + follows > PIECE:
                pieces.append(rows[begin:end])
                spans.append((first, k))
                begin, first = end, k + 1
        table = TableFile(self.work / "claims.csv", self.work / "claims.parquet")
        jobs = getattr(getattr(run, "basis", None), "jobs", 1)
        store.seal()  # a child reads the store, never writes its spill file
        keys, index = self._piece_keys(pieces, sources)
        kept = (PublishedPieces(index, self.published / CLAIMS_CSV, self.published / CLAIMS_PARQUET)
                if index is not None and self.published is not None else None)
        todo = [n for n, key in enumerate(keys) if kept is None or key not in kept]
        # the pieces made in turn by this process and forked children (their rows, what
        # reconciliation made of them and the sources are all in memory here); the
        # others copied from the published files
        made = iter(forked_in_turn(lambda n: TableFile.piece_of(self._claims_piece(
            [int(r) for r in pieces[n]], sources)), todo, jobs))
        # the children forked now, before `table` has a row group in flight: a fork
        # copies only the forking thread, and with it any lock Arrow's writing held
        first_made = [next(made)] if todo else []
        wanted = set(todo)
        for n, key in enumerate(keys):
            piece = ((first_made.pop() if first_made else next(made)) if n in wanted
                     else kept.piece(key))
            if piece is None:  # the published files no longer hold it as it was
                piece = TableFile.piece_of(self._claims_piece([int(r) for r in pieces[n]],
                                                              sources))
                wanted.add(n)
            table.write_piece(piece)
        table.close(claims_rows(claims_frame([]), None, sources, None, None, None))
        if kept is not None and len(wanted) < len(pieces):
            self.copied = (kept.parquet_sha, {in_order[c] for n, (start, stop) in
                                              enumerate(spans) if n not in wanted
                                              for c in range(start, stop + 1)})
        if index is not None:
            try:
                PublishedPieces.remember(index, table, keys,
                                         kept.index if kept is not None else None, kept)
            except OSError:  # a cache that cannot be written costs the next run time
                pass
        files["curated/claims.csv"] = self.work / "claims.csv"
        files["curated/claims.parquet"] = self.work / "claims.parquet"

    def _piece_keys(self, pieces: list[np.ndarray], sources: dict
                    ) -> tuple[list[str | None], Path | None]:
        """Each piece of curated/claims.csv named by everything its rows are made of (a
        hash of the code that writes it, of each row's claim named by what it is — see
        pipeline/refresh.py, `named_rows` — and of what reconciliation made of it), and
        where the index of the published pieces is kept (None: in no cache, so no piece
        is kept). A piece holding a claim that has no name from run to run has no key."""
        basis = getattr(self.run, "basis", None)
        if basis is None or basis.cache_dir is None or self.published is None:
            return [None] * len(pieces), None
        from pipeline.cache import OUTPUT_LIBRARIES, code_fingerprint, project_key
        from pipeline.refresh import _digest64, keyed_rows

        salt = code_fingerprint(("pipeline", "schemas", "extractors"), (), OUTPUT_LIBRARIES,
                                ("curated/claims",))
        columns = []
        for name, values in self._COLUMNS:  # each row's values as 64 bits of their repr
            table = np.array([_digest64(repr(v)) for v in getattr(self, values).values] + [0],
                             dtype=np.uint64)
            columns.append(table[getattr(self, name)])
        history = self.run.history
        split_rows = np.array(sorted(self.occupations), dtype=np.int64)

        def more(rows: np.ndarray) -> bytes:
            """What the store rows do not say: older captures' ranks, split codes' parts."""
            unranked = rows[self.fact[rows] < 0]  # older captures: ranked by the history
            ids = (self.store.column_of([int(r) for r in unranked], "claim_id")
                   if len(unranked) else [])
            split = rows[np.isin(rows, split_rows)].tolist() if len(split_rows) else []
            return repr(([history.get(i) for i in ids],
                         [(r, self.occupations[r]) for r in split])).encode("utf-8")

        keys = keyed_rows(pieces, salt, basis.named_rows(sources), tuple(columns), more)
        # one index per project (a cache may be shared), of this code's pieces only
        folder = Path(basis.cache_dir)
        project = project_key(self.published)
        index = folder / f"claims-pieces-{project}-{salt}"
        for old in folder.glob(f"claims-pieces-{project}-*"):
            if not old.name.startswith(f"{index.name}-"):  # another code's
                old.unlink(missing_ok=True)
        return keys, index

    def _claims_piece(self, rows: list[int], sources: dict) -> pd.DataFrame:
        """The rows of curated/claims.csv of these store rows (claims_rows' table), made a
        column at a time from the store and what reconciliation kept of each row."""
        frame = self.store.frame(rows)
        if frame is None:  # a claim of other types: the claims as objects
            return self._claims_piece_of_objects(rows, sources)
        at = np.asarray(rows, dtype=np.int64)
        n = len(at)

        def text(values) -> pd.Series:
            return pd.Series(values, index=frame.index, dtype=object)

        def looked_up(numbers: np.ndarray, values: list, fields: int):
            """Each row's interned tuple (None where its number is -1), field by field."""
            table = np.empty(len(values) + 1, dtype=object)
            for k, value in enumerate(values):  # tuples: one object each, not a row
                table[k] = value
            table[-1] = (None,) * fields
            chosen = table[numbers]  # -1 picks the last: None
            return [[t[k] for t in chosen] for k in range(fields)]

        updated = self.updated[at]
        if (updated >= 0).any():
            period, start, end, basis, release = looked_up(updated, self.periods.values, 5)
            has = updated >= 0
            for column, values in (("period", period), ("period_basis", basis),
                                   ("stated_in", release)):
                old = frame[column].to_numpy(dtype=object)
                frame[column] = text(np.where(has, np.array(values, dtype=object), old))
            for column, values in (("period_start", start), ("period_end", end)):
                old = frame[column].astype(object).where(frame[column].notna(), None).tolist()
                frame[column] = pd.array([v if h else o for v, o, h in zip(values, old, has)],
                                         dtype="Int64")
        source_ids = frame["source_id"].tolist()
        for attribute, column in SOURCE_COLUMNS.items():
            of = {s: getattr(sources[s], attribute) for s in set(source_ids)}
            frame[column] = text([of[s] for s in source_ids])
        fact = self.fact[at]
        role_numbers = self.role[at]
        facts = [self.fact_ids.values[f] if f >= 0 else None for f in fact.tolist()]
        role_values = self.roles.values
        roles = [(facts[k], *role_values[role_numbers[k]]) if fact[k] >= 0 else None
                 for k in range(n)]
        if any(r is None for r in roles):
            history, ids = self.run.history, frame["claim_id"].tolist()
            roles = [r if r is not None else history[ids[k]] for k, r in enumerate(roles)]
        frame["fact_id"] = text([r[0] for r in roles])
        frame["rank"] = text([r[1] for r in roles])
        frame["rank_reason"] = text([r[2] for r in roles])
        outcome, behind, candidates = looked_up(self.match[at], self.matches.values, 3)
        frame["release_match"] = text([o if o is not None else "" for o in outcome])
        frame["releases_behind"] = pd.array(behind, dtype="Int64")
        frame["release_candidates"] = text(["; ".join(c) if c is not None else ""
                                            for c in candidates])
        copies = self.copies.values
        frame["copy_cluster"] = text([copies[c] if c >= 0 else "" for c in self.copy[at].tolist()])
        return frame.sort_values(["source_id", "claim_id"]).reset_index(drop=True)

    def _claims_piece_of_objects(self, rows: list[int], sources: dict) -> pd.DataFrame:
        claims = self.store.claims(rows)
        history = self.run.history
        by_id, role, match, copy = {}, {}, {}, {}
        for row, claim in zip(rows, claims):
            i = claim.claim_id
            by_id[i] = self._as_reconciled(row, claim)
            if self.fact[row] >= 0:
                role[i] = (self.fact_ids.values[self.fact[row]], *self.roles.values[self.role[row]])
            elif i in history:
                role[i] = history[i]
            if self.match[row] >= 0:
                match[i] = _Matched(*self.matches.values[self.match[row]])
            copy[i] = self.copies.values[self.copy[row]] if self.copy[row] >= 0 else ""
        return claims_rows(claims_frame(claims), by_id.__getitem__, sources, role.__getitem__,
                           match.get, copy.__getitem__)


class _Matched:
    """What curated/claims.csv says of a claim's release match."""

    def __init__(self, outcome: str, releases_behind, candidates: tuple):
        self.outcome, self.releases_behind, self.candidates = outcome, releases_behind, candidates
