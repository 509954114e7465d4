"""The refresh: a one-way chain of stages, each named for what it produces.

    captures(registry) -> pages -> documents -> raw_claims -> validated_claims
        -> current claims -> reconciliation; history -> outputs (the only stage that writes)

Only the current capture of each page is reconciled; older captures and duplicates are
its history (see pipeline/pages.py).

Every stage returns its problems beside its product; a bad source yields problems and
no claims, and the others go on.
"""
from __future__ import annotations

import hashlib
import os
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from extractors.claims import Claim
from pipeline.cache import (OUTPUT_LIBRARIES, ClaimsCache, KnownUnpickler, RenderedChunks,
                            code_fingerprint, entry_key, read_fingerprint)
from pipeline.decisions import Decision, DecisionResult, load_decisions
from pipeline.extraction import (DEFAULT_TIME_LIMIT, Progress, document_claims,  # noqa: F401
                                 extract_each, extraction_tasks, parallel_jobs, plain_problems,
                                 problems_of)
from pipeline.forked import forked_map
from pipeline.occupations import resolved_occupations, undecided_splits
from pipeline.official import (Official, official_readings_of, official_tables,
                               wanted_programs)
from pipeline.pages import (CURRENT, DUPLICATE, PageCapture, PageChange, page_captures, page_changes,
                            repeated_bytes)
from pipeline.reconcile import (Reconciler, Reconciliation, Slice, collector_paused,
                                discrepancy_ids, fact_id_of, infer_periods, key_of,
                                matched_fields, reconcile, settings_of, slices_by_key)
from pipeline.registry import Capture, Source, load_registry
from pipeline.store import ClaimStore, frame_of_batches, plain_batch
from pipeline.tables import claims_frame
from pipeline.vintage import Match, ReleaseFigure, match_releases, release_figures
from schemas.problems import Problem, problem

@dataclass
class Run:
    """Everything a refresh produced, in memory, before anything is written."""

    captures: list[Capture]
    claims: list[Claim]  # every claim extracted, valid or not
    valid: pd.DataFrame
    quarantined: pd.DataFrame
    reconciliation: Reconciliation
    problems: list[Problem] = field(default_factory=list)
    tracebacks: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)  # source id -> encoding decoded with
    pages: dict[str, PageCapture] = field(default_factory=dict)  # source id -> its page's captures
    changes: list[PageChange] = field(default_factory=list)  # figures pages changed
    history: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """claim id -> (fact id, rank, reason) of the claims of superseded and duplicate captures"""
    official: Official = field(default_factory=Official)
    reproducible: bool = True
    """False when a document's result depended on the moment (its time limit, a defect,
    its file changing during the run): the same inputs may give another run."""
    set_aside: int = 0
    """Damaged entries of the caches of documents (pipeline/cache.py) refused and deleted
    by this run, their documents read again: nothing in the outputs, said on stderr."""

    @property
    def troubled_sources(self) -> set[str]:
        """Sources that could not be read in full: registry, document or extractor problems."""
        return {p.source_id for p in self.problems if p.source_id
                and p.code.startswith(("registry", "document", "format", "extractor"))}

    @property
    def valid_count(self) -> int:
        return len(self.valid)


@dataclass
class Basis:
    """What a refresh keeps to reconcile and render its claims a slice at a time. Rows
    are numbers of the store's claims, in numpy arrays (ascending)."""

    store: ClaimStore  # every claim extracted, in document order, then the official readings
    valid: np.ndarray  # the rows that passed the claims contract
    reconciled: np.ndarray  # the rows reconciliation sees: current captures' and readings'
    readings: int  # the row of the first official reading
    authorities: dict[str, str]
    decisions: list[Decision]
    figures: list[ReleaseFigure]
    pairings: set[tuple[int, int]]
    parts: dict[str, tuple[str, ...]]  # claim id -> the SOC 2018 parts of its split code
    split: dict[int, tuple[str, ...]] = field(default_factory=dict)  # the same, by row
    matched: MatchedRows | None = None  # release matching's results, by row
    jobs: int = 1  # processes reconciliation may use (Engine.local_jobs)
    origins: list[tuple[int, str]] = field(default_factory=list)  # Read.origins
    cache_dir: Path | None = None  # where rendered chunks are cached (None: they are not)
    official_key: str = "none"  # the official tables' (`_official_key`)
    figures_digest: str = ""  # a hash of the release figures
    _names: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def rendered_chunks(self) -> RenderedChunks | None:
        """The cache of rendered chunks for what this basis holds (None: not caching)."""
        if self.cache_dir is None:
            return None
        return RenderedChunks.cached(self.cache_dir, rendering_fingerprint(
            self.official_key, self.figures_digest, self.decisions, self.pairings))

    def chunk_keys(self, chunks: list[np.ndarray], sources: dict[str, Source],
                   cache: RenderedChunks) -> list[str | None]:
        """Each chunk's key in the cache of rendered chunks (`chunk_keys`)."""
        return chunk_keys(self.store, self.origins, self.readings, chunks, sources,
                          cache.folder.name, self.named_rows(sources))

    def named_rows(self, sources: dict[str, Source]) -> tuple[np.ndarray, np.ndarray]:
        """Every store row named by what it is (`named_rows`), worked out once a run."""
        if self._names is None:
            self._names = named_rows(self.store, self.origins, self.readings, sources)
        return self._names

    def chunks(self) -> list[np.ndarray]:
        """The rows reconciliation sees, in chunks of whole slices of keys (`shared_chunk`
        claims, so that `jobs` processes hold no more than one did)."""
        return chunked(self.store, self.reconciled, self.split, shared_chunk(self.jobs))

    def slice_of(self, reconciler: Reconciler, rows: np.ndarray,
                 claims: list[Claim] | None = None) -> Slice:
        """The chunk of `rows` (whose `claims` the caller may have taken already)
        reconciled, taking release matching's results where it has them (reconciliation
        would match each claim the same way again)."""
        claims = self.store.claims(rows) if claims is None else claims
        return reconciler.slice(claims, self.matched.of(rows) if self.matched else None)


def named_rows(store: ClaimStore, origins: list[tuple[int, str]], readings: int,
               sources: dict[str, Source]) -> tuple[np.ndarray, np.ndarray]:
    """Each store row named by what it is, as two arrays of the store's length: (what,
    where). A page's claim is named by its document's key in the cache of documents read
    (`origins`, Read.origins: it hashes the document, its registry entry and the code
    that read it; 64 bits of it) and its place among that document's claims; an
    official reading (the rows from `readings` on) by its fields and its source's entry
    (place 0). `what` is 0 for a claim of a document whose reading is not cached (its
    result depended on the moment): it has no name that holds from run to run."""
    starts = np.array([first for first, _ in origins], dtype=np.int64)
    named = np.array([_digest64(key) if key else 0 for _, key in origins], dtype=np.uint64)
    what = np.zeros(len(store), dtype=np.uint64)
    where = np.zeros(len(store), dtype=np.int64)
    pages = min(readings, len(store))
    if len(starts) and pages:
        rows = np.arange(pages, dtype=np.int64)
        document = np.searchsorted(starts, rows, side="right") - 1
        what[:pages] = named[document]
        where[:pages] = rows - starts[document]
    what[pages:] = np.array([_digest64(repr((c, sources.get(c.source_id))))
                             for c in store.claims(range(pages, len(store)))], dtype=np.uint64)
    return what, where


def chunk_keys(store: ClaimStore, origins: list[tuple[int, str]], readings: int,
               chunks: list[np.ndarray], sources: dict[str, Source], salt: str,
               names: tuple[np.ndarray, np.ndarray] | None = None) -> list[str | None]:
    """Each chunk's key in a cache of what is made of chunks (rendered chunks, release
    matching's results): a hash of `salt` (the cache's folder: the code and the run's
    inputs) and of the chunk's claims, row by row in its order, each named by what it
    is (`named_rows`, or `names` when the caller has them). None for a chunk holding a
    claim of a document whose reading is not cached: it is made every time."""
    names = names if names is not None else named_rows(store, origins, readings, sources)
    return keyed_rows(chunks, salt, names)


def keyed_rows(groups: list[np.ndarray], salt: str, names: tuple[np.ndarray, np.ndarray],
               columns: tuple[np.ndarray, ...] = (),
               more: Callable[[np.ndarray], bytes] | None = None) -> list[str | None]:
    """Each group of store rows' key: a hash of `salt`, of its rows' `names`
    (`named_rows`) and `columns` (a number per store row) in its order, and of
    `more(rows)`. None for a group holding a row without a name."""
    what, where = names
    keys: list[str | None] = []
    for rows in groups:
        if (what[rows] == 0).any():
            keys.append(None)
            continue
        digest = hashlib.sha256(salt.encode("utf-8"))
        for column in (what, where, *columns):
            digest.update(column[rows].tobytes())
        if more is not None:
            digest.update(more(rows))
        keys.append(digest.hexdigest()[:32])
    return keys


class MatchedRows:
    """What release matching made of each page claim (`matched_pages`), kept for
    reconciliation by store row: its MATCHED_FIELDS after its period was inferred and
    its release matched, with its Match, the pair interned (a few thousand distinct
    pairs for millions of claims: one narrow integer column, not an object per claim).

    >>> from extractors.claims import new_claim
    >>> from pipeline.vintage import Match
    >>> c = new_claim(source_id="s", metric="wage", statistic="median", unit="USD/year",
    ...               figure="$50,250", value=50250.0, quote="q", locator="l", method="m")
    >>> kept = MatchedRows(3)
    >>> kept.add(np.array([1]), [c], {c.claim_id: Match("unmatched")})
    >>> kept.of(np.array([0, 1]))
    [None, (('', '', '', '', None, None, 'unknown'), Match(outcome='unmatched', release='', releases_behind=None, candidates=(), edition=None, program='', figure=None, note=''))]
    """

    def __init__(self, rows: int):
        self.pair = np.full(rows, -1, dtype=np.int16)  # widened when the pairs outgrow it
        self._pairs: list[tuple[tuple, Match | None]] = []
        self._numbers: dict[tuple, int] = {}

    def add(self, rows: np.ndarray, claims: list[Claim], matches: dict[str, Match]) -> None:
        """Keep the results of the claims of these rows (in the same order)."""
        self.add_interned(rows, *interned_pairs(claims, matches))

    def add_interned(self, rows: np.ndarray, numbers: np.ndarray,
                     pairs: list[tuple[tuple, Match | None]]) -> None:
        """Keep the results of these rows, given as `interned_pairs` gives them."""
        ours = np.empty(len(pairs), dtype=np.int64)
        for k, (fields, match) in enumerate(pairs):
            key = (fields, _match_key(match))
            n = self._numbers.get(key)
            if n is None:
                n = self._numbers[key] = len(self._pairs)
                self._pairs.append((fields, match))
            ours[k] = n
        if len(self._pairs) > np.iinfo(self.pair.dtype).max:
            self.pair = self.pair.astype(np.int32)
        self.pair[np.asarray(rows, dtype=np.int64)] = ours[numbers]

    def of(self, rows: np.ndarray) -> list[tuple[tuple, Match | None] | None]:
        """Per row: (its MATCHED_FIELDS, its Match or None), or None when release
        matching did not see it (an official reading added after it)."""
        pair, pairs, size = self.pair, self._pairs, len(self.pair)
        return [pairs[n] if row < size and (n := pair[row]) >= 0 else None
                for row in rows.tolist()]


CHUNK = 10_000
"""Claims made objects at a time: whole slices of keys (an occupation, metric and place)
taken together up to this many. A chunk's claims, readings and clusters as objects take
about 5 KB a claim while it is reconciled; larger chunks read the store in fewer takes
but cost memory, not time. A slice larger than this is a chunk of its own: at 10,000
pages, the national wage figures of the pages that name no occupation are 60,000."""


def _digest64(text: str) -> int:
    """Sixty-four bits of the text's sha256, never 0 (0 stands for "not known")."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little") or 1


def shared_chunk(jobs: int) -> int:
    """The claims of a chunk when `jobs` processes each reconcile one at a time: CHUNK
    shared out, so that together they hold about what one process did."""
    return max(1, CHUNK // max(1, jobs))


CUT_EVERY = 8
"""One slice key in this many (by a hash of the key) may begin a chunk once the chunk
holds a quarter of its claims: chunks end where the keys say, not only where the claims
before them add up to a chunk, so that a page that gains or loses a figure changes the
chunks around it and not every chunk after it (each chunk's rendering is cached:
pipeline/cache.py, RenderedChunks)."""


def chunked(store: ClaimStore, rows, split: dict[int, tuple[str, ...]],
            size: int | None = None) -> list[np.ndarray]:
    """`rows` (ascending) in chunks of whole slices (pipeline.reconcile.slices_of), slices
    in key order, rows in their order within a slice; a chunk ends before a slice that
    would take it past `size` claims (default CHUNK), or before a slice whose key is
    marked once it holds a quarter of them (CUT_EVERY); a slice larger than `size` is a
    chunk of its own. `split` holds the parts of the rows whose SOC 2010 occupation was
    split. The keys are grouped as numbers (no tuple per claim: two million claims'
    would take 400 MB)."""
    size = CHUNK if size is None else size
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return []
    (c0, u0), (c1, u1), (c2, u2) = (store.factorized(rows, name)
                                    for name in ("occupation", "metric", "geography"))
    combined = (c0.astype(np.int64) * len(u1) + c1) * len(u2) + c2
    found, inverse = np.unique(combined, return_inverse=True)
    o, rest = np.divmod(found, len(u1) * len(u2))
    m, g = np.divmod(rest, len(u2))
    keys = [(f"k{n}", u0[a], u1[b], u2[c])
            for n, (a, b, c) in enumerate(zip(o.tolist(), m.tolist(), g.tolist()))]
    parts: dict[str, tuple[str, ...]] = {}
    for row, codes in split.items():  # a split claim's key joins its parts' (and none)
        at = int(np.searchsorted(rows, row))
        if at < len(rows) and rows[at] == row:
            parts[f"s{row}"] = codes
            keys.append((f"s{row}", *keys[int(inverse[at])][1:]))
    slice_of = np.empty(len(found), dtype=np.int64)
    groups = slices_by_key(keys, parts)
    for number, positions in enumerate(groups):
        for position in positions:
            if position < len(found):
                slice_of[position] = number
    per_row = slice_of[np.ravel(inverse)]
    order = rows[np.argsort(per_row, kind="stable")]
    ends = np.cumsum(np.bincount(per_row, minlength=len(groups))).tolist()
    # where a chunk may end whatever came before: before a slice whose key is marked
    marked = [zlib.crc32(repr(keys[positions[0]][1:]).encode("utf-8")) % CUT_EVERY == 0
              for positions in groups]
    chunks: list[np.ndarray] = []
    start = end = 0
    for number, stop in enumerate(ends):
        if end > start and (stop - start > size or (marked[number] and end - start >= size // 4)):
            chunks.append(order[start:end])
            start = end
        end = stop
    if end > start:
        chunks.append(order[start:end])
    return chunks


class StoredRun(Run):
    """A run whose claims stay in a ClaimStore (a refresh's, from `run_of`).

    A refresh's own outputs are rendered from the store a slice of keys at a time
    (pipeline/outputs.py), so its memory does not grow with all the claims as objects.
    The valid claims as one table (`valid`) and the reconciliation as one set of objects
    (`reconciliation`) are made the first time something asks for them: tests,
    check-source and decide, which look into a run.
    """

    def __init__(self, basis: Basis, **fields):
        self.basis = basis
        self._valid = self._reconciliation = None
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def valid(self) -> pd.DataFrame:
        if self._valid is None:
            b = self.basis
            pages = b.valid[b.valid < b.readings]
            frame = claims_frame(b.store.claims(pages))
            frame.index = pages
            readings = b.valid[b.valid >= b.readings]
            if len(readings):
                frame = pd.concat([frame, claims_frame(b.store.claims(readings))],
                                  ignore_index=True)
            self._valid = frame
        return self._valid

    @property
    def valid_count(self) -> int:
        return len(self.basis.valid)

    @property
    def reconciliation(self) -> Reconciliation:
        if self._reconciliation is None:
            b = self.basis
            self._reconciliation = reconcile(b.store.claims(b.reconciled), b.authorities,
                                             b.decisions, b.figures, b.parts)
        return self._reconciliation


def pages(captures: list[Capture]) -> tuple[dict[str, PageCapture], list[Problem]]:
    """Each capture's place among its page's captures, and a warning for each entry
    that repeats another's bytes (pipeline.pages.repeated_bytes) or supersedes an entry
    that is not there."""
    sources = [c.source for c in captures]
    found = page_captures(sources)
    paths = {s.id: s.path for s in sources}
    problems = [problem("duplicate-capture", source_id=later, path=paths[later], detail=earlier)
                for later, earlier in repeated_bytes(sources, found)]
    ids = {s.id for s in sources}
    for source in sources:
        if source.supersedes and source.supersedes not in ids:
            problems.append(problem("supersedes-unknown", source_id=source.id, path=source.path,
                                    detail=source.supersedes))
    return found, problems


def current_claims(claims: list[Claim], valid_ids: set[str],
                   paged: dict[str, PageCapture]) -> list[Claim]:
    """The valid claims of each page's current capture: what reconciliation sees."""
    return [c for c in claims if c.claim_id in valid_ids
            and (c.source_id not in paged or paged[c.source_id].status == CURRENT)]


def history(claims: list[Claim], valid_ids: set[str], paged: dict[str, PageCapture],
            reconciliation: Reconciliation) -> tuple[dict[str, tuple[str, str, str]],
                                                     list[PageChange]]:
    """The ranks of the claims of older and duplicate captures (deprecated, with the fact
    of their key where the current claims have one) and what each page changed."""
    facts = {f.key: f.fact_id for f in reconciliation.facts}
    valid = [c for c in claims if c.claim_id in valid_ids]
    return _deprecated(valid, paged, facts), page_changes(valid, paged)


def _deprecated(claims: list[Claim], paged: dict, facts: dict) -> dict[str, tuple]:
    """claim id -> (fact id of its key, "deprecated", why) for the claims of pages that are
    not their page's current capture."""
    ranks = {}
    for claim in claims:
        page = paged.get(claim.source_id)
        if page is None or page.status == CURRENT:
            continue
        reason = "duplicate-capture" if page.status == DUPLICATE else "superseded-capture"
        ranks[claim.claim_id] = (facts.get(key_of(claim), ""), "deprecated", reason)
    return ranks


def unresolved_occupations(captures: list[Capture], claims: list[Claim],
                           reported: list[Problem] = ()) -> list[Problem]:
    """A warning per source with figures that still have no SOC code once occupations are
    resolved (registry, page, title): its facts would belong to no occupation. Sources the
    resolution already reported (`reported`: unresolved, ambiguous) are not named twice.

    >>> from extractors.claims import new_claim
    >>> from pipeline.registry import Source
    >>> source = Source(id="guide", path="raw/guide.txt", format="text", sha256="0" * 64,
    ...                 retrieved="2026-03-02", title="Pay guide", authority="secondary")
    >>> claim = new_claim(source_id="guide", metric="wage", statistic="median",
    ...                   unit="USD/year", value=50250.0, figure="$50,250", quote="$50,250",
    ...                   locator="chars=0-7", method="label-value")
    >>> [p] = unresolved_occupations([Capture(source, b"")], [claim])
    >>> p.code, p.severity, p.source_id
    ('occupation-unresolved', 'warning', 'guide')
    >>> p.message
    'raw/guide.txt: 1 of 1 figures have no occupation (SOC code): neither the registry entry, the page nor its title names one'
    """
    paths = {c.source.id: c.source.path for c in captures}
    said = {p.source_id for p in reported if p.code.startswith("occupation-")}
    totals = Counter(c.source_id for c in claims)
    missing = Counter(c.source_id for c in claims if not c.occupation and c.source_id not in said)
    return [problem("occupation-unresolved", source_id=source_id, path=paths.get(source_id, ""),
                    detail=f"{n} of {totals[source_id]} figures have no occupation (SOC code): "
                           "neither the registry entry, the page nor its title names one")
            for source_id, n in sorted(missing.items())]


def decisions_to_review(reconciliation: Reconciliation) -> list[Problem]:
    """A warning per analyst decision that was not applied, so that a refresh says so
    in its exit code and summary, not only in the report."""
    return review_problems(reconciliation.decisions)


def validated_claims(claims: list[Claim], frame: pd.DataFrame | None = None,
                     sources: dict[str, Source] | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """(valid rows, quarantined rows, a problem per quarantined row, naming the source's
    file when `sources` has the source). `frame` is the claims' table when the caller has
    it (pipeline.store.frame_of_batches)."""
    from schemas.claims import quarantine  # pandera costs ~1 s to import: only here

    valid, bad = quarantine(frame if frame is not None else claims_frame(claims))
    sources = sources or {}
    problems = [
        problem("claim-invalid", source_id=row.source_id, locator=row.locator,
                path=getattr(sources.get(row.source_id), "path", ""),
                detail=f"{row.claim_id} ({row.metric} {row.figure!r} at {row.locator}): "
                       f"{row.failed_checks}")
        for row in bad.itertuples()
    ]
    return valid, bad, problems


def default_cache_dir(root: Path) -> Path:
    """Where the official tables are cached: $CAREERFACTS_CACHE, else `.cache/careerfacts/`
    in the project (git-ignored)."""
    configured = os.environ.get("CAREERFACTS_CACHE")
    return Path(configured) if configured else Path(root) / ".cache" / "careerfacts"


@dataclass(frozen=True)
class Engine:
    """Where and how documents are extracted (pipeline/extraction.py): `jobs` worker
    processes (1: in this process), or the `dask` executor at `scheduler` (None: a
    LocalCluster of `jobs` workers); `cache` False extracts every document again
    instead of reading the claims cache."""

    jobs: int = 1
    executor: str = "local"
    scheduler: str | None = None
    cache: bool = True

    @property
    def local_jobs(self) -> int:
        """The processes the stages after reading may use on this machine (they share
        out the slices of keys: pipeline/forked.py): `jobs`, or with the Dask executor,
        whose workers may be elsewhere, this machine's cores."""
        return self.jobs if self.executor == "local" else parallel_jobs(None)


def refresh(registry: Path, progress: Progress | None = None,
            decisions: Path | None = None, cache_dir: Path | None = None,
            time_limit: float | None = DEFAULT_TIME_LIMIT, engine: Engine = Engine(),
            rehash: bool = False, loaded: tuple[list[Capture], list[Problem]] | None = None
            ) -> Run:
    """Run every stage up to, not including, writing. Raises RegistryError when the
    registry as a whole cannot be read. `decisions` defaults to decisions.yaml beside
    raw/, `cache_dir` to default_cache_dir(the project root); `time_limit` is in seconds
    per document (None: no limit); `rehash` reads every registered file instead of
    trusting the digests of files whose stat did not change (pipeline/cache.py);
    `loaded` is what load_registry gave for this registry, when the caller read it."""
    root = Path(registry).parent.parent
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir(root)
    captures, problems = loaded if loaded is not None else load_registry(
        registry, cache_dir=cache_dir, rehash=rehash)
    decided, decision_problems = load_decisions(
        decisions if decisions is not None else root / "decisions.yaml")
    return run_of(captures, decided, problems + decision_problems, progress=progress,
                  cache_dir=cache_dir, time_limit=time_limit, engine=engine)


def run_of(captures: list[Capture], decisions: list[Decision] = (),
           problems: list[Problem] = (), *, cache_dir: Path, progress: Progress | None = None,
           time_limit: float | None = DEFAULT_TIME_LIMIT, engine: Engine = Engine()) -> Run:
    """Every stage after the registry, for captures already loaded: the refresh of a
    registry (`refresh`), or of one as it was (check-source's base). `problems` are the
    registry's and the decisions file's, carried into the run; `cache_dir` is where the
    official tables and the documents' extractions are cached. Raises ExecutorError
    (pipeline/dask_executor.py) when the Dask executor cannot run.

    Each document's claims are taken from its extraction and dropped into a ClaimStore
    as the extractions come in; what needs claims as objects takes them a slice of keys
    (an occupation, metric and place) or a source at a time. The result is a StoredRun."""
    decisions = list(decisions)
    stage = getattr(progress, "stage", lambda doing: None)  # the CLI's display, if any
    page_files = [c for c in captures if not c.source.dataset]  # official files are no page
    paged, page_problems = pages(page_files)
    stage("reading the official tables")
    official, official_problems = official_tables(captures, cache_dir)
    stage("")
    sources = {c.source.id: c.source for c in captures}
    read = read_documents(page_files, sources, official, cache_dir=cache_dir, engine=engine,
                          progress=progress, time_limit=time_limit)
    store = read.store
    stage("matching the pages' figures to the official releases")
    authorities = {c.source.id: c.source.authority for c in captures}
    kept = current_rows(store, read.valid, paged)
    primary = kept[store.rows_where(kept, "source_id",
                                    lambda s: authorities.get(s) == "primary")]
    primary_claims = store.claims(primary)
    occupations = store.values_present(kept, "occupation")
    occupations |= {p for ps in read.parts.values() for p in ps}
    occupations |= {p for c in primary_claims for p in official.crosswalk.get(c.occupation, ())}
    rows = official.releases_of(occupations - {""})
    figures = release_figures(rows, primary_claims, authorities, official.crosswalk)
    matched = MatchedRows(len(store))
    jobs = engine.local_jobs
    figures_digest = hashlib.sha256("\n".join(map(repr, figures)).encode("utf-8")).hexdigest()
    wanted, keys, undecided = matched_pages(
        store, kept, authorities, sources, figures, read.parts, read.split, matched, jobs,
        matching_cache(cache_dir, _official_key(official), figures_digest)
        if engine.cache else None, read.origins)
    split_problems = undecided_splits(undecided.claims, read.parts, undecided.matches, sources,
                                      official)
    readings = official_readings_of(wanted, rows, sources)
    valid_readings, bad_readings, reading_problems = validated_claims(readings, None, sources)
    reading_ids = set(valid_readings["claim_id"])
    quarantined = read.quarantined
    if len(bad_readings):
        quarantined = pd.concat([quarantined, bad_readings], ignore_index=True)
    first_reading = len(store)
    store.extend(readings)
    valid_reading_rows = np.array([first_reading + i for i, r in enumerate(readings)
                                   if r.claim_id in reading_ids], dtype=np.int64)
    valid = np.concatenate([read.valid, valid_reading_rows])
    reconciled = np.concatenate([kept, valid_reading_rows])
    keys |= {key_of(r) for r in readings if r.claim_id in reading_ids}
    pairings = settings_of(primary_claims, authorities, figures)[1]
    basis = Basis(store, valid, reconciled, first_reading, authorities, decisions, figures,
                  pairings, read.parts, read.split, matched, jobs, read.origins,
                  cache_dir if engine.cache else None, _official_key(official), figures_digest)
    ranks, changes = stored_history(store, read.valid, paged, keys)
    decided = decision_results(basis)
    return StoredRun(
        basis, captures=captures, claims=store, quarantined=quarantined,
        problems=[*problems, *page_problems, *official_problems, *read.document_problems,
                  *read.extract_problems, *read.occupation_problems, *split_problems,
                  *read.claim_problems,
                  *reading_problems, *review_problems(decided)],
        tracebacks=read.tracebacks, encodings=read.encodings, pages=paged, changes=changes,
        history=ranks, official=official, reproducible=read.reproducible,
        set_aside=read.set_aside)


def rendering_fingerprint(official_key: str, figures_digest: str,
                          decisions: list[Decision], pairings: set[tuple[int, int]]) -> str:
    """What a chunk's reconciliation and rendering depend on besides its claims and their
    sources: the code of pipeline/, schemas/ and extractors/, the libraries that write
    the outputs, the official tables, the release figures matched against, the
    analysts' decisions and the editions' pairings. A change to any is a new folder of
    rendered chunks (a decision recorded reconciles every chunk again)."""
    return code_fingerprint(("pipeline", "schemas", "extractors"), (), OUTPUT_LIBRARIES, (
        official_key, figures_digest,
        hashlib.sha256(repr(decisions).encode("utf-8")).hexdigest(),
        repr(sorted(pairings))))


@dataclass
class Read:
    """The documents of a run read: their claims in a store, and what went wrong."""

    store: ClaimStore
    valid: np.ndarray  # rows that passed the claims contract, ascending
    quarantined: pd.DataFrame  # rows that did not, each with the checks it failed
    parts: dict[str, tuple[str, ...]]  # claim id -> the SOC 2018 parts of its split occupation
    encodings: dict[str, str]
    tracebacks: dict[str, str]
    document_problems: list[Problem]
    extract_problems: list[Problem]
    occupation_problems: list[Problem]
    claim_problems: list[Problem]
    reproducible: bool = True  # no document's result depended on the moment
    split: dict[int, tuple[str, ...]] = field(default_factory=dict)  # `parts`, by row
    set_aside: int = 0  # damaged cache entries refused (Run.set_aside)
    origins: list[tuple[int, str]] = field(default_factory=list)
    """Each document's first row in the store, in row order, with its key in the cache of
    documents read ("" when its reading is not kept): what its claims are, row by row."""


VALIDATION_BATCH = 8_192
"""Claims validated together: the contract costs about half as much per claim in a batch
of this size as in one of a page's few hundred claims, and no less in one four times
larger (which holds twice the memory while it is checked)."""


def read_documents(page_files: list[Capture], sources: dict[str, Source], official: Official,
                   *, cache_dir: Path, engine: Engine = Engine(),
                   progress: Progress | None = None,
                   time_limit: float | None = DEFAULT_TIME_LIMIT) -> Read:
    """Each document's extraction (pipeline/extraction.py: from the claims cache, or run
    by the engine) taken in registry order as it comes in, and dropped: its claims,
    their occupations resolved, go into a ClaimStore, validated a batch of documents at
    a time. The extractions in flight are held, never all of them. Problems are kept by
    kind, in the order the stages found them.

    A document read by an earlier refresh, whose extraction, registry entry, official
    tables and reading code are unchanged, is taken from the cache of documents read
    (pipeline/cache.py) instead: its claims as a record batch, what the contract made of
    them and its problems, with no extraction looked up and no Python work per claim.
    What a refresh reads is the same either way, byte for byte."""
    store = ClaimStore(spill=cache_dir)  # on disk as it fills: see pipeline/store.py
    valid = array("q")  # eight bytes a row, where a list of ints takes 36
    bad: list[pd.DataFrame] = []
    parts: dict[str, tuple[str, ...]] = {}
    split_rows: dict[int, tuple[str, ...]] = {}
    encodings: dict[str, str] = {}
    tracebacks: dict[str, str] = {}
    found = {kind: [] for kind in ("document", "extract", "occupation", "claim")}
    titles = _Titles(official)
    batch: list[Claim] = []
    waiting: list[_Reading] = []  # the documents of `batch`, to be kept once validated
    reproducible = True
    counts: dict[str, list[int]] = {}  # source id -> [figures, figures without an occupation]
    origins: list[tuple[int, str]] = []  # (first row, key in the cache of documents read)

    tasks = extraction_tasks(page_files)
    extractions = ClaimsCache(cache_dir) if engine.cache else None
    reads = ClaimsCache(cache_dir, read_fingerprint(extractions.fingerprint,
                                                    _official_key(official)), kind="read") \
        if engine.cache else None
    keys = [entry_key(t.key, repr(sources.get(t.source_id))) for t in tasks]
    held = [reads is not None and reads.holds(k) for k in keys]
    to_extract = [i for i, h in enumerate(held) if not h]
    turn = 0  # the next document, in registry order, whose reading is taken

    def validate() -> None:
        if not batch:
            return
        start = len(store)
        for reading in waiting:  # made once: the contract's table, then the store's rows
            reading.batch = plain_batch(reading.claims)
        plain = [r.batch for r in waiting]
        good, wrong, trouble = validated_claims(
            batch, frame_of_batches(plain) if all(b is not None for b in plain) else None,
            sources)
        good_rows = [start + int(i) for i in good.index]
        valid.extend(good_rows)
        if len(wrong):
            wrong.index = wrong.index + start
            bad.append(wrong)
        found["claim"].extend(trouble)
        for reading in waiting:
            reading.store_in(store, good_rows, wrong, trouble, reads)
        waiting.clear()
        batch.clear()

    def count(source_id: str, total: int, missing: int) -> None:
        n = counts.setdefault(source_id, [0, 0])
        n[0] += total
        n[1] += missing

    def taken(result, index: int) -> None:
        nonlocal reproducible
        reproducible = reproducible and result.cacheable
        found["document"].extend(result.unreadable)
        found["extract"].extend(result.problems)
        if result.traceback:
            tracebacks[result.source_id] = result.traceback
        if result.decoded:
            encodings[result.source_id] = result.encoding
        claims, split, trouble = resolved_occupations(
            result.claims, {result.source_id: result.titles}, sources, official, titles)
        parts.update(split)
        first = len(store) + len(batch)  # the row the first of these claims will have
        origins.append((first, keys[index] if reads is not None and result.cacheable else ""))
        if split:
            split_rows.update((first + n, split[c.claim_id]) for n, c in enumerate(claims)
                              if c.claim_id in split)
        found["occupation"].extend(trouble)
        for claim in claims:
            count(claim.source_id, 1, not claim.occupation)
        waiting.append(_Reading(keys[index] if reads and result.cacheable else "", result,
                                claims, split, trouble, first))
        batch.extend(claims)
        if len(batch) >= VALIDATION_BATCH:
            validate()

    def from_cache(index: int) -> bool:
        """Take a document's reading from the cache; False when its entry fails."""
        entry = reads.get(keys[index])
        try:
            kept = _Reading.unpacked(entry) if entry is not None else None
        except (ValueError, TypeError, KeyError, IndexError, pa.ArrowException):
            reads.reject(keys[index])  # an entry of another shape: read again
            kept = None
        if kept is None:
            return False
        validate()  # the claims before it go into the store first
        start = len(store)
        origins.append((start, keys[index]))
        store.extend_batch(kept.batch)
        valid.extend(map(start.__add__, kept.valid))  # two million rows at 10,000 pages
        if kept.bad:
            frame = claims_frame(store.claims([start + i for i, _ in kept.bad]))
            frame.index = [start + i for i, _ in kept.bad]
            frame["failed_checks"] = [why for _, why in kept.bad]
            bad.append(frame)
        for name, value in kept.problems.items():
            found[name].extend(value)
        if kept.decoded:
            encodings[kept.source_id] = kept.encoding
        for offset, claim_id, codes in kept.split:
            parts[claim_id] = codes
            split_rows[start + offset] = codes
        for source_id, total, missing in kept.counts:
            count(source_id, total, missing)
        return True

    def hand_on(until: int) -> None:
        """Take the cached readings of the documents before `until`."""
        nonlocal turn
        while turn < until:
            if held[turn] and not from_cache(turn):  # a damaged entry: extracted again
                extract_each([tasks[turn]], lambda r, i=turn: taken(r, i),
                             cache=extractions, jobs=1, time_limit=time_limit)
            turn += 1

    order = iter(to_extract)

    def extracted(result) -> None:
        nonlocal turn
        index = next(order)
        hand_on(index)
        taken(result, index)
        turn = index + 1

    if to_extract:
        extract_each([tasks[i] for i in to_extract], extracted,
                     cache=extractions, jobs=engine.jobs,
                     executor=engine.executor, scheduler=engine.scheduler,
                     time_limit=time_limit,
                     # counted among the documents to extract ("1/1" when one page
                     # changed), not the registered ones: the others come from the cache
                     progress=progress)
    hand_on(len(tasks))
    validate()
    store.seal()  # no claim kept as an object
    found["occupation"] += _unresolved(page_files, counts, found["occupation"])
    quarantined = pd.concat(bad) if bad else claims_frame([]).assign(failed_checks="")
    return Read(store, np.frombuffer(valid, dtype=np.int64) if valid else
                np.zeros(0, dtype=np.int64), quarantined, parts, encodings, tracebacks,
                found["document"], found["extract"], found["occupation"], found["claim"],
                reproducible, split_rows,
                sum(cache.rejected for cache in (extractions, reads) if cache is not None),
                origins)


def _official_key(official: Official) -> str:
    """The official tables' key (the name of their cache folder), or "none"."""
    return official.directory.name if official.directory is not None else "none"


@dataclass
class _Reading:
    """One document as a refresh read it: kept in the cache of documents read once its
    claims are validated (`store_in`), and taken back from it (`unpacked`)."""

    key: str  # "" when it is not to be kept
    result: object = None  # the Extracted
    claims: list = field(default_factory=list)  # occupations resolved
    split: dict = field(default_factory=dict)
    occupation_problems: list = field(default_factory=list)
    first: int = 0  # the store row of its first claim
    batch: object = None  # its claims as a plain record batch, once made (None: not plain)

    def store_in(self, store: ClaimStore, good_rows: list[int], wrong: pd.DataFrame,
                 trouble: list[Problem], reads: ClaimsCache | None) -> None:
        """Put its claims into the store and, when it is to be kept, into the cache."""
        end = self.first + len(self.claims)
        batch = self.batch
        if batch is None:  # claims of other types than extraction makes: kept as objects
            store.extend(self.claims)
            return
        store.extend_batch(batch)
        if not self.key or reads is None:
            return
        result = self.result
        from bisect import bisect_left
        mine = good_rows[bisect_left(good_rows, self.first):bisect_left(good_rows, end)]
        rows = [int(r) for r in wrong.index if self.first <= r < end]
        checks = [str(c) for r, c in zip(wrong.index, wrong["failed_checks"])
                  if self.first <= r < end] if len(wrong) else []
        claim_problems = [p for p in trouble if p.source_id == result.source_id]
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, batch.schema) as writer:
            writer.write_batch(batch)
        totals: dict[str, list[int]] = {}
        for claim in self.claims:
            n = totals.setdefault(claim.source_id, [0, 0])
            n[0] += 1
            n[1] += not claim.occupation
        reads.put(self.key, (
            result.source_id, sink.getvalue().to_pybytes(), [r - self.first for r in mine],
            [(r - self.first, c) for r, c in zip(rows, checks)],
            {"document": plain_problems(result.unreadable),
             "extract": plain_problems(result.problems),
             "occupation": plain_problems(self.occupation_problems),
             "claim": plain_problems(claim_problems)},
            result.encoding, result.decoded,
            [(n, c.claim_id, self.split[c.claim_id]) for n, c in enumerate(self.claims)
             if c.claim_id in self.split],
            [(s, t, m) for s, (t, m) in totals.items()]))

    @staticmethod
    def unpacked(entry) -> _Kept:
        (source_id, data, good, wrong, problems, encoding, decoded, split, counts) = entry
        batch = pa.ipc.open_stream(pa.py_buffer(data)).read_next_batch()
        return _Kept(source_id, batch, good, wrong,
                     {name: problems_of(found) for name, found in problems.items()},
                     encoding, decoded, [(n, i, tuple(codes)) for n, i, codes in split],
                     counts)


@dataclass
class _Kept:
    """A document's reading as the cache gives it back."""

    source_id: str
    batch: object  # pa.RecordBatch of its claims, plain columns
    valid: list  # offsets of the claims that passed the contract
    bad: list  # (offset, the checks it failed)
    problems: dict  # kind -> [Problem]
    encoding: str
    decoded: bool
    split: list  # (offset, claim id, SOC 2018 parts)
    counts: list  # (source id, figures, figures without an occupation)


class _Titles:
    """The index of SOC and O*NET titles, built the first time a page's title must be
    read (pipeline.occupations.TitleIndex): a registry whose entries all name their
    occupation never builds it."""

    def __init__(self, official: Official):
        self.official = official
        self.index = None

    def __getattr__(self, name: str):
        if self.index is None:
            from pipeline.occupations import TitleIndex
            self.index = TitleIndex.of(self.official)
        return getattr(self.index, name)


def _unresolved(captures: list[Capture], counts: dict[str, list[int]],
                reported: list[Problem]) -> list[Problem]:
    """unresolved_occupations, from each source's counts of figures."""
    paths = {c.source.id: c.source.path for c in captures}
    said = {p.source_id for p in reported if p.code.startswith("occupation-")}
    return [problem("occupation-unresolved", source_id=source_id, path=paths.get(source_id, ""),
                    detail=f"{missing} of {total} figures have no occupation (SOC code): "
                           "neither the registry entry, the page nor its title names one")
            for source_id, (total, missing) in sorted(counts.items())
            if missing and source_id not in said]


def current_rows(store: ClaimStore, valid: np.ndarray, paged: dict[str, PageCapture]
                 ) -> np.ndarray:
    """The valid rows of each page's current capture: what reconciliation sees."""
    current = {s: p.status == CURRENT for s, p in paged.items()}
    return valid[store.rows_where(valid, "source_id", lambda s: current.get(s, True))]


@dataclass
class Undecided:
    """Pages' claims of a split SOC 2010 occupation that no part's releases told apart,
    with their matches: what pipeline.occupations.undecided_splits reports."""

    claims: list[Claim] = field(default_factory=list)
    matches: dict = field(default_factory=dict)


def _match_key(match: Match | None) -> tuple | None:
    """A Match by value, its release figure by identity (release matching's own): what
    two claims' results are told apart by."""
    return None if match is None else (
        match.outcome, match.release, match.releases_behind, match.candidates, match.edition,
        match.program, id(match.figure), match.note)


def interned_pairs(claims: list[Claim], matches: dict[str, Match]
                   ) -> tuple[np.ndarray, list[tuple[tuple, Match | None]]]:
    """Each claim's (MATCHED_FIELDS, Match or None) as a number into the distinct pairs:
    (numbers, pairs). A few hundred pairs stand for a slice's thousands of claims."""
    numbers = np.empty(len(claims), dtype=np.int32)
    pairs: list[tuple[tuple, Match | None]] = []
    seen: dict[tuple, int] = {}
    for k, claim in enumerate(claims):
        fields = matched_fields(claim)
        match = matches.get(claim.claim_id)
        key = (fields, _match_key(match))
        n = seen.get(key)
        if n is None:
            n = seen[key] = len(pairs)
            pairs.append((fields, match))
        numbers[k] = n
    return numbers, pairs


@dataclass
class _ChunkMatched:
    """What release matching made of one chunk, as a forked child sends it and the cache
    keeps it: its claims' results interned (each Match's release figure as its number in
    the run's figures), the programs its families were matched to, its keys once
    matched, and its split claims no part's releases told apart."""

    numbers: np.ndarray
    pairs: list[tuple[tuple, Match | None, int]]  # (fields, Match without figure, figure)
    wanted: dict[tuple, set[str]]
    keys: set[tuple]
    undecided: list[tuple[Claim, Match | None, int]]


def matching_cache(cache_dir: Path, official_key: str, figures_digest: str) -> ClaimsCache:
    """The cache of release matching's results by chunk (`matched_pages`): under the
    code of pipeline/, schemas/ and extractors/, the official tables and the release
    figures (`figures_digest`)."""
    return ClaimsCache(cache_dir, code_fingerprint(
        ("pipeline", "schemas", "extractors"), (), OUTPUT_LIBRARIES,
        (official_key, figures_digest)), kind="matched", unpickler=KnownUnpickler)


def _taken(cache: ClaimsCache, key: str) -> _ChunkMatched | None:
    """A chunk's results from the cache, or None (none there, or not of this shape)."""
    done = cache.get(key)
    if done is not None and not isinstance(done, _ChunkMatched):
        cache.reject(key)
        return None
    return done


def _figureless(match: Match | None, number: dict[int, int]) -> tuple[Match | None, int]:
    """A Match without its release figure, and the figure's number (-1: none)."""
    if match is None or match.figure is None:
        return match, -1
    return replace(match, figure=None), number[id(match.figure)]


def _with_figure(match: Match | None, n: int, figures: list[ReleaseFigure]) -> Match | None:
    return match if n < 0 else replace(match, figure=figures[n])


def matched_pages(store: ClaimStore, kept: np.ndarray, authorities: dict[str, str],
                  sources: dict[str, Source], figures: list[ReleaseFigure],
                  parts: dict[str, tuple[str, ...]], split: dict[int, tuple[str, ...]],
                  matched: MatchedRows | None = None, jobs: int = 1,
                  cache: ClaimsCache | None = None, origins: list[tuple[int, str]] = ()
                  ) -> tuple[dict[tuple, set[str]], set[tuple], Undecided]:
    """The pages' claims matched to the releases a slice at a time: (the programs each
    family was matched to, which chooses the official readings; the keys of the claims
    once matched, a split occupation's claim under the part it matched; the split
    claims no part's releases told apart). Each claim's result is kept in `matched`,
    for reconciliation to take instead of matching it again.

    The chunks of slices are shared between this process and `jobs - 1` forked
    children (pipeline/forked.py); their results are taken in chunk order, so the
    outcome is the same whatever `jobs` is. With a `cache` (`matching_cache`), a chunk
    whose claims an earlier run matched with the same figures and code (`chunk_keys`,
    of `origins`: Read.origins) is taken from it rather than matched again."""
    reconciler = Reconciler(authorities, [], figures, set(), parts)
    number = {id(f): n for n, f in enumerate(figures)}

    def chunk_matched(rows: np.ndarray) -> _ChunkMatched:
        stated = infer_periods(store.claims(rows))
        claims, matches = match_releases(stated, authorities, reconciler.figures_for(stated),
                                         parts)
        numbers, pairs = interned_pairs(claims, matches)
        undecided = []
        for claim in stated:
            match = matches.get(claim.claim_id)
            if claim.claim_id in parts and (match is None or match.outcome not in
                                            ("matched", "differs")):
                undecided.append((claim, *_figureless(match, number)))
        return _ChunkMatched(numbers, [(f, *_figureless(m, number)) for f, m in pairs],
                             dict(wanted_programs(claims, matches, sources)),
                             {key_of(c) for c in claims}, undecided)

    wanted: dict[tuple, set[str]] = defaultdict(set)
    found: set[tuple] = set()
    undecided = Undecided()
    chunks = chunked(store, kept, split, shared_chunk(jobs))
    keys = (chunk_keys(store, list(origins), len(store), chunks, sources, cache.folder.name)
            if cache is not None else [None] * len(chunks))
    matched_chunks: list[_ChunkMatched | None] = [
        _taken(cache, key) if key is not None else None for key in keys]
    todo = [n for n, done in enumerate(matched_chunks) if done is None]
    with collector_paused():  # as reconciliation: many objects, no cycle among them
        made = forked_map(chunk_matched, [chunks[n] for n in todo], jobs, weight=len)
    for n, done in zip(todo, made):
        matched_chunks[n] = done
        if keys[n] is not None:
            cache.put(keys[n], done)
    if cache is not None:
        cache.retain({key for key in keys if key is not None})
    for rows, done in zip(chunks, matched_chunks):
        if matched is not None:
            matched.add_interned(rows, done.numbers,
                                 [(f, _with_figure(m, n, figures)) for f, m, n in done.pairs])
        for claim, match, n in done.undecided:
            undecided.claims.append(claim)
            undecided.matches[claim.claim_id] = _with_figure(match, n, figures)
        for family, programs in done.wanted.items():
            wanted[family] |= programs
        found |= done.keys
    return wanted, found, undecided


def stored_history(store: ClaimStore, valid: np.ndarray, paged: dict[str, PageCapture],
                   keys: set[tuple]) -> tuple[dict[str, tuple[str, str, str]], list[PageChange]]:
    """`history` for claims in a store: the ranks of older and duplicate captures' claims
    (with the fact of their key among the reconciled `keys`) and what each page changed.
    Only the claims of pages with more than one capture are made objects."""
    followed = {s for p in paged.values() if p.status != CURRENT or p.previous
                for s in (p.source_id, p.previous) if s}
    claims = store.claims(valid[store.rows_where(valid, "source_id", followed.__contains__)]
                          ) if followed else []
    facts = {key: fact_id_of(key) for key in keys}
    return _deprecated(claims, paged, facts), page_changes(claims, paged)


def decision_results(basis: Basis) -> list[DecisionResult]:
    """The analysts' decisions applied, or not: the slices that hold a decided
    discrepancy are reconciled (those alone), the rest cannot hold one."""
    if not basis.decisions:
        return []
    wanted = {d.discrepancy for d in basis.decisions}
    reconciler = Reconciler(basis.authorities, basis.decisions, basis.figures,
                            basis.pairings, basis.parts)
    with collector_paused():
        for rows in basis.chunks():
            claims = basis.store.claims(rows)
            if discrepancy_ids(claims, basis.parts) & wanted:
                basis.slice_of(reconciler, rows, claims)
            else:  # for the ids a mistyped decision is compared with, as reconciling keeps
                reconciler.looked_at({key_of(c) for c in claims})
    return reconciler.decisions()


def review_problems(results: list[DecisionResult]) -> list[Problem]:
    """A warning per analyst decision that was not applied, so that a refresh says so
    in its exit code and summary, not only in the report."""
    return [problem("decision-needs-review", path="decisions.yaml",
                    detail=f"{r.decision.label} on {r.decision.discrepancy} "
                           f"({r.decision.author}, {r.decision.date}) is not applied: {r.why}")
            for r in results if r.status == "needs-review"]
