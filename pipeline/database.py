"""`curated/careerfacts.duckdb`: the curated tables and the views analysts ask for, in one
DuckDB file.

Tables (the same rows as the published files, typed; text is never NULL — "" means not
stated, as in the CSVs — numbers and years are NULL when missing):

| table | primary key | rows |
|---|---|---|
| `sources` | source_id | curated/sources.csv |
| `claims` | claim_id | curated/claims.csv |
| `facts` | fact_id | curated/facts.csv |
| `discrepancies` | discrepancy_id | curated/discrepancies.csv |
| `decisions` | (discrepancy_id, action, target) | decisions.yaml, each with its state (applied, needs-review) |
| `releases` | (source_id, locator, occupation) | curated/releases.parquet (empty without official files) |
| `quarantine`, `page_changes`, `problems` | – | the CSV files of the same names |
| `about` | key | the fingerprint of the content, the layout's version, the careerfacts version |

Views:

| view | one row per |
|---|---|
| `latest_official` | occupation, metric, statistic, unit, geography and programme (OEWS, EP): the latest release's figure |
| `stale_pages` | page figure matched to an older release than the latest, beside the latest release's figure |
| `open_queue` | figure of a discrepancy in the analyst's queue, most severe first |
| `page_vintages` | page (a current capture of a non-primary source): the releases its figures quote |

The file is built in a temporary folder and its bytes published with the other outputs
(pipeline/publish.py), so it is replaced whole — and only when its content changes: the
`about` table holds a fingerprint of everything it is made of (the published tables'
bytes, the decisions, the layout's version), and a refresh whose fingerprint is the
file's leaves it as it is. After a change, the file is usually the last refresh's, copied
and patched (`database_file`): the same rows as one built whole, the claims', facts' and
discrepancies' in another order (a table has none; ask for one with ORDER BY). It is written in DuckDB's
storage format of v1.0.0, which every DuckDB CLI and library from 1.0 on opens. DuckDB
files are not byte-identical from one build to the next, which is why the file is
git-ignored: the CSVs are the committed record. The runs of the history are not in it (they change with every refresh); DuckDB
reads them where they are: `SELECT * FROM read_json('curated/history/*.json')`.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.refresh import Run

DATABASE = "curated/careerfacts.duckdb"
STORAGE_VERSION = "v1.0.0"
"""Older readers (an analyst's DuckDB CLI 1.x) open files of this storage version."""

TABLES = {
    # name: (the published file it mirrors, primary key, comment)
    "sources": ("curated/sources.parquet", ("source_id",),
                "one row per registered source: its registry entry, capture status and how "
                "current its figures are"),
    "claims": ("curated/claims.parquet", ("claim_id",),
               "every valid claim (one figure a page states) with its quote, locator, "
               "source, fact, rank and matched release"),
    "facts": ("curated/facts.parquet", ("fact_id",),
              "one row per key: the resolved value, status, rule and alternatives"),
    "discrepancies": ("curated/discrepancies.parquet", ("discrepancy_id",),
                      "one row per disagreement: outcome, severity, queue, figures, "
                      "proposed resolution and decisions"),
}
RELEASE_KEY = ("source_id", "locator", "occupation")

VIEWS = {
    "latest_official": ("the latest official release's figure of each occupation, metric, "
                        "statistic, unit, geography and programme (OEWS, EP)", """
        SELECT occupation, occupation_title, metric, statistic, unit, geography, program,
               release, period, period_start, period_end, value, low, high, value_text,
               figure, relation, source_id
        FROM releases
        WHERE relation IN ('same', 'crosswalk', 'split', 'hybrid')
          AND (value IS NOT NULL OR low IS NOT NULL OR value_text <> '')
        QUALIFY row_number() OVER (
            PARTITION BY occupation, metric, statistic, unit, geography, program
            ORDER BY period_end DESC NULLS LAST, period_start DESC NULLS LAST,
                     relation = 'same' DESC, source_id, locator) = 1"""),
    "stale_pages": ("page figures matched to an older release than the latest, beside the "
                    "latest release's figure", """
        SELECT c.source_id, c.source_title, c.source_retrieved, c.occupation, c.metric,
               c.statistic, c.unit, c.figure, c.value, c.stated_in, c.releases_behind,
               o.release AS latest_release, o.value AS latest_value, o.figure AS latest_figure,
               c.claim_id, c.quote, c.locator, c.source_path
        FROM claims c
        JOIN sources s USING (source_id)
        LEFT JOIN latest_official o
               ON o.occupation = c.occupation AND o.metric = c.metric
              AND o.statistic = c.statistic AND o.unit = c.unit
              AND o.geography = c.geography
              AND o.program = CASE WHEN c.stated_in LIKE 'OEWS %' THEN 'OEWS'
                                   WHEN c.stated_in LIKE 'Employment Projections %' THEN 'EP'
                                   ELSE split_part(c.stated_in, ' ', 1) END
        WHERE c.source_authority <> 'primary' AND s.capture_status = 'current'
          AND c.release_match = 'matched' AND c.releases_behind > 0
          AND c.period_basis <> 'history'
        ORDER BY c.occupation, c.metric, c.statistic, c.releases_behind DESC, c.source_id,
                 c.claim_id"""),
    "open_queue": ("every figure of each discrepancy in the analyst's queue, most severe "
                   "first", """
        SELECT d.discrepancy_id, d.severity, d.outcome, d.occupation, d.metric, d.statistic,
               d.unit, d.geography, d.level, d.industry, d.union_status, d.schedule,
               d.subgroup, d.explanation, d.proposed, d.rule, d.decision, d.decision_status,
               c.claim_id, c.source_id, c.figure, c.value, c.low, c.high, c.value_text,
               c.period, c.stated_in, c.release_match, c.rank, c.quote, c.locator,
               c.source_path
        FROM discrepancies d
        CROSS JOIN unnest(string_split(d.claim_ids, '; ')) AS ids(claim_id)
        JOIN claims c USING (claim_id)
        WHERE d.queue = 'open'
        ORDER BY CASE d.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2
                                 ELSE 3 END, d.discrepancy_id, c.source_id, c.claim_id"""),
    "page_vintages": ("each page (a current capture of a non-primary source) and the "
                      "releases its figures quote", """
        SELECT s.source_id, s.title, s.retrieved, s.url, s.current, s.stale, s.unmatched,
               s.history, s.mixed_vintage,
               count(c.claim_id) FILTER (WHERE c.release_match = 'matched') AS matched,
               string_agg(DISTINCT c.stated_in, '; ' ORDER BY c.stated_in)
                   FILTER (WHERE c.release_match = 'matched') AS releases_quoted,
               min(c.period_end) FILTER (WHERE c.release_match = 'matched'
                                         AND c.period_basis <> 'history') AS oldest_period_end,
               max(c.period_end) FILTER (WHERE c.release_match = 'matched'
                                         AND c.period_basis <> 'history') AS newest_period_end,
               coalesce(max(c.releases_behind) FILTER (WHERE c.period_basis <> 'history'), 0)
                   AS most_releases_behind
        FROM sources s
        LEFT JOIN claims c USING (source_id)
        WHERE s.authority <> 'primary' AND s.capture_status = 'current'
        GROUP BY ALL
        ORDER BY s.source_id"""),
}


def _sql_type(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_floating(arrow_type):
        return "DOUBLE"
    if pa.types.is_integer(arrow_type):
        return "INTEGER" if arrow_type.bit_width <= 32 else "BIGINT"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMP"
    return "VARCHAR"


def _create(con, name: str, table, key: tuple[str, ...] = (), comment: str = "") -> None:
    """A typed table from an Arrow table: text columns NOT NULL ("" for none), the
    primary key declared, then every row inserted (a duplicate key fails the build)."""
    import pyarrow as pa

    columns = []
    for column in table.schema:
        sql = _sql_type(column.type)
        not_null = sql == "VARCHAR" or column.name in key
        columns.append(f'"{column.name}" {sql}' + (" NOT NULL" if not_null else ""))
        if sql == "VARCHAR" and not (pa.types.is_string(column.type)
                                     or pa.types.is_large_string(column.type)):
            index = table.schema.get_field_index(column.name)
            table = table.set_column(index, column.name,
                                     pa.array([("" if v is None else str(v))
                                               for v in table.column(index).to_pylist()],
                                              type=pa.string()))
    if key:
        columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in key) + ")")
    con.execute(f'CREATE TABLE "{name}" (' + ", ".join(columns) + ")")
    if table.num_rows:
        con.register("incoming", table)
        con.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')
        con.unregister("incoming")
    if comment:
        con.execute(f"COMMENT ON TABLE \"{name}\" IS '{_literal(comment)}'")


def _create_from_parquet(con, name: str, path: Path, key: tuple[str, ...] = (),
                         comment: str = "") -> None:
    """`_create` from a Parquet file, read by DuckDB as it inserts (a table of two million
    claims is never an Arrow table in this process). A file with columns `_create` would
    convert to text is read through Arrow instead."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    if any(_sql_type(f.type) == "VARCHAR" and not (pa.types.is_string(f.type)
                                                   or pa.types.is_large_string(f.type))
           for f in schema):
        _create(con, name, pq.read_table(path), key, comment)
        return
    _create(con, name, schema.empty_table(), key, comment)
    con.execute(f'INSERT INTO "{name}" SELECT * FROM read_parquet(\'{_literal(str(path))}\')')


def _literal(text: str) -> str:
    return text.replace("'", "''")


def _arrow(frame):
    import pyarrow as pa

    return pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)


def _parquet(files, name: str):
    """A rendered Parquet output as an Arrow table, read from its file when it is on disk
    (pipeline.outputs.Rendered), else from its bytes."""
    import pyarrow.parquet as pq

    on_disk = files.file(name) if hasattr(files, "file") else None
    return pq.read_table(on_disk if on_disk is not None else io.BytesIO(files[name]))


def decisions_table(run: Run, results=None):
    """The analysts' decisions with their state (`results`: DecisionResults, by default
    the run's reconciliation's), as an Arrow table."""
    import pyarrow as pa

    results = results if results is not None else run.reconciliation.decisions
    return pa.table({
        "discrepancy_id": pa.array([r.decision.discrepancy for r in results], pa.string()),
        "action": pa.array([r.decision.action for r in results], pa.string()),
        "target": pa.array([r.decision.target for r in results], pa.string()),
        "reason": pa.array([r.decision.reason for r in results], pa.string()),
        "author": pa.array([r.decision.author for r in results], pa.string()),
        "date": pa.array([r.decision.date for r in results], pa.string()),
        "evidence": pa.array([r.decision.evidence for r in results], pa.string()),
        "status": pa.array([r.status for r in results], pa.string()),
        "why": pa.array([r.why for r in results], pa.string()),
    })


LAYOUT = "2"
"""The version of the tables and views built here: a change rebuilds every database."""
FROM_FILES = (*(published for published, _, _ in TABLES.values()), "curated/releases.parquet",
              "curated/quarantine.csv", "curated/page_changes.csv", "reports/problems.csv")
"""The rendered outputs the database is made of, besides the decisions."""


def database_fingerprint(run: Run, files: dict[str, bytes], results=None) -> str:
    """A hash of everything the database holds: the bytes of the outputs it is made of
    (FROM_FILES; a file on disk is read a block at a time), the decisions with their
    state (`results`, see decisions_table), and the layout's version."""
    import hashlib

    digest = hashlib.sha256(f"careerfacts-duckdb {LAYOUT} {STORAGE_VERSION}\n".encode())
    for name in FROM_FILES:
        on_disk = files.file(name) if hasattr(files, "file") and name in files else None
        if on_disk is not None:
            digest.update(f"{name} {on_disk.stat().st_size}\n".encode())
            with open(on_disk, "rb") as data:
                for block in iter(lambda: data.read(1 << 20), b""):
                    digest.update(block)
            continue
        data = files.get(name)
        digest.update(f"{name} {len(data) if data is not None else -1}\n".encode())
        digest.update(data or b"")
    for column in decisions_table(run, results).to_pydict().values():
        digest.update(repr(column).encode("utf-8"))
    return digest.hexdigest()


def stored_fingerprint(path: Path) -> str:
    """The fingerprint of an existing database file, or "" when there is none, it cannot
    be opened (another program holds it) or it has no `about` table (an older layout)."""
    if not Path(path).is_file():
        return ""
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True) as con:
            found = con.execute("SELECT value FROM about WHERE key = 'fingerprint'").fetchall()
    except duckdb.Error:
        return ""
    return found[0][0] if found else ""


def about_table(fingerprint: str, claims: str = "", releases: str = ""):
    """The `about` table: the content's fingerprint, the layout's and careerfacts'
    versions, the storage format, and the sha256 of the Parquet files the `claims` and
    `releases` tables hold (what the next refresh's patch starts from)."""
    import pyarrow as pa

    from importlib.metadata import version

    rows = {"fingerprint": fingerprint, "layout": LAYOUT,
            "careerfacts": version("careerfacts"), "storage": STORAGE_VERSION,
            "claims": claims, "releases": releases}
    return pa.table({"key": pa.array(list(rows), pa.string()),
                     "value": pa.array(list(rows.values()), pa.string())})


RELEASES_TEMPLATE = f"releases-{STORAGE_VERSION}-1.duckdb"
"""A DuckDB file holding only the releases table, kept beside the cached official tables
(pipeline/official.py) and keyed like them: the releases (about 250,000 rows with their
primary key) are loaded once per set of official files, not on every refresh."""


def _releases_template(run: Run) -> Path | None:
    """The cached DuckDB file of the run's releases table, built on first use; None when
    the run has no releases table, or the cache cannot be written (then the releases are
    loaded into the database itself)."""
    import os

    releases = run.official.releases_path
    if releases is None:
        return None
    template = releases.parent / RELEASES_TEMPLATE
    if template.is_file():
        return template
    try:
        handle, partial = tempfile.mkstemp(prefix=".releases-", suffix=".duckdb",
                                           dir=releases.parent)
        os.close(handle)
        os.unlink(partial)  # DuckDB creates the file itself
        try:
            _build(Path(partial), lambda con: _load_releases(con, releases))
            os.replace(partial, template)  # whole or not at all, if two runs race
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    except OSError:
        return None
    return template


def _load_releases(con, releases: Path | None) -> None:
    import pyarrow as pa

    from pipeline.official import RELEASE_COLUMNS

    if releases is not None:
        import pyarrow.parquet as pq

        empty = pq.read_schema(releases).empty_table()
    else:
        empty = pa.table({c: pa.array([], pa.float64() if c in ("value", "low", "high",
                                                                 "precision")
                                      else pa.int64() if c in ("period_start", "period_end")
                                      else pa.string()) for c in RELEASE_COLUMNS})
    _create(con, "releases", empty, RELEASE_KEY,
            "every official release of every occupation (curated/releases.parquet)")
    if releases is not None:  # DuckDB's own reader: several times faster than via Arrow
        con.execute(f"INSERT INTO releases SELECT * FROM read_parquet("
                    f"'{_literal(str(releases))}')")


MEMORY_LIMIT = "384MB"
"""What DuckDB may hold while it builds the file (its default is most of the machine's
memory); beyond it, it spills to a folder beside the file. A refresh of 10,000 pages
loads two million claims with their primary key."""


def _build(path: Path, fill) -> None:
    """Open (or create) the DuckDB file at `path` in the storage format of
    STORAGE_VERSION, let `fill(connection)` write into it, and close it flushed."""
    import duckdb

    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT,
                                 "temp_directory": str(Path(path).parent / ".duckdb-spill")})
    try:
        con.execute(f"ATTACH '{_literal(str(path))}' AS curated "
                    f"(STORAGE_VERSION '{STORAGE_VERSION}')")
        con.execute("USE curated")
        fill(con)
        con.execute("CHECKPOINT curated")
        con.execute("USE memory")
        con.execute("DETACH curated")
    finally:
        con.close()


def database_bytes(run: Run, files: dict[str, bytes], fingerprint: str = "",
                   results=None) -> bytes:
    """The DuckDB file of a run's outputs (see database_file), as bytes."""
    with tempfile.TemporaryDirectory(prefix="careerfacts-duckdb-") as folder:
        path = Path(folder) / "careerfacts.duckdb"
        database_file(run, files, path, fingerprint, results)
        return path.read_bytes()


def database_file(run: Run, files: dict[str, bytes], path: Path, fingerprint: str = "",
                  results=None, previous: Path | None = None) -> Path:
    """The DuckDB file of a run's outputs, written at `path` (a new file): the tables of
    `files` (the rendered outputs: curated/*.parquet), the releases, the run's decisions
    (`results`, see decisions_table), quarantine, page changes and problems, the views,
    and `about` (with `fingerprint`, by default database_fingerprint(run, files)).
    Raises duckdb.Error on a defect (a duplicate primary key).

    When the claims table was written mostly by copying the last refresh's pieces
    (`files.copied`, see pipeline.outputs.rendered) and `previous` is the database that
    refresh published, the file is that database patched (`_patched`): its claims of the
    sources whose pieces were copied are kept, the others replaced, the facts and
    discrepancies patched row by row (`_rows_patched`) and every other table made
    again. The tables hold the same rows either way; a database that cannot be patched
    is built whole."""
    import shutil

    copied = getattr(files, "copied", None)
    about = about_table(fingerprint or database_fingerprint(run, files, results),
                        _digest(files, TABLES["claims"][0]),
                        _digest(files, "curated/releases.parquet"))
    if patchable(files, previous):
        import duckdb

        try:
            shutil.copyfile(previous, path)
            _build(path, lambda con: _patched(con, run, files, results, about, copied))
            return path
        except (duckdb.Error, OSError, _Unpatchable):
            Path(path).unlink(missing_ok=True)
    template = _releases_template(run)
    if template is not None:
        shutil.copyfile(template, path)
    _build(path, lambda con: _filled(con, run, files, results, about,
                                     releases=template is None))
    return path


def patchable(files, previous: Path | None) -> bool:
    """Whether `database_file` starts from the last refresh's database (`previous`) and
    patches it, rather than building the file whole: the claims table was written
    mostly by copying that refresh's pieces (`files.copied`) and the database is there."""
    return (previous is not None and getattr(files, "copied", None) is not None
            and Path(previous).is_file())


class _Unpatchable(Exception):
    """The last refresh's database is not the one the copied pieces came from."""


def _filled(con, run: Run, files, results, about, *, releases: bool = True,
            kept: frozenset[str] = frozenset()) -> None:
    """Every table and view of the database created in `con`, `about` (about_table) the
    last (the releases unless `releases` is False: the file holds them; none of the
    TABLES named in `kept`: the file holds them as this run's)."""
    from pipeline.outputs import page_changes_table, problems_table

    if releases:
        _load_releases(con, run.official.releases_path)
    for name, (published, key, comment) in TABLES.items():
        if name in kept:
            continue
        on_disk = files.file(published) if hasattr(files, "file") else None
        if on_disk is not None:
            _create_from_parquet(con, name, on_disk, key, comment)
        else:
            _create(con, name, _parquet(files, published), key, comment)
    _create(con, "decisions", decisions_table(run, results),
            ("discrepancy_id", "action", "target"),
            "the analysts' decisions (decisions.yaml) and whether each applies")
    _create(con, "quarantine", _arrow(run.quarantined), (),
            "claims that failed the claims contract, with the checks they failed")
    _create(con, "page_changes", _arrow(page_changes_table(run)), (),
            "figures a page changed between two of its captures")
    _create(con, "problems", _arrow(problems_table(run)), (),
            "every problem of the run with its stable code and what to do")
    _create(con, "about", about, ("key",), "what this file was built from: the fingerprint of its content, "
                      "the layout's version, the careerfacts version")
    for name, (comment, sql) in VIEWS.items():
        con.execute(f'CREATE VIEW "{name}" AS {sql}')
        con.execute(f"COMMENT ON VIEW \"{name}\" IS '{_literal(comment)}'")


def _patched(con, run: Run, files, results, about, copied) -> None:
    """The last refresh's database (open in `con`) made this run's, whose `about` table
    is `about`: `copied` is (the sha256 of the claims file whose pieces were copied, the
    ids of the sources whose claims were). Raises _Unpatchable when the file is of
    another layout, holds other claims or releases than those, or is more than half free
    space (it is built whole again, compacted)."""
    import pyarrow as pa

    claims_file, kept = copied
    claims = files.file(TABLES["claims"][0]) if hasattr(files, "file") else None
    found = dict(con.execute("SELECT key, value FROM about").fetchall())
    wanted = dict(zip(*about.to_pydict().values()))
    if claims is None or [found.get(k) for k in ("layout", "storage", "claims", "releases")] \
            != [wanted["layout"], wanted["storage"], claims_file, wanted["releases"]]:
        raise _Unpatchable()
    free, total = con.execute("SELECT free_blocks, total_blocks FROM pragma_database_size() "
                              "WHERE database_name = current_database()").fetchone()
    if 2 * free > total:
        raise _Unpatchable()
    for name in VIEWS:
        con.execute(f'DROP VIEW "{name}"')
    patched = {"claims"} | {name for name in ROW_PATCHED if _rows_patched(con, name, files)}
    for name in (*TABLES, "decisions", "quarantine", "page_changes", "problems", "about"):
        if name not in patched:
            con.execute(f'DROP TABLE "{name}"')
    con.register("kept_sources", pa.table({"source_id": pa.array(sorted(kept), pa.string())}))
    # the other sources' claims patched row by row: most rows of a piece made again are
    # the same (a page's change moves the ranks of a few of its neighbours' claims)
    if not _rows_patched(con, "claims", files,
                         within="source_id NOT IN (SELECT source_id FROM kept_sources)"):
        raise _Unpatchable()
    con.unregister("kept_sources")
    _filled(con, run, files, results, about, releases=False, kept=frozenset(patched))


ROW_PATCHED = ("facts", "discrepancies")
"""Tables a patched database changes row by row rather than making again: at 10,000 pages
the discrepancies are 7,400 rows of 30 MB (each lists the figures of every page in it),
and a change touches a few of them."""


def _rows_patched(con, name: str, files, within: str = "TRUE") -> bool:
    """Table `name` of the last database (open in `con`) made this run's published
    Parquet file's by deleting the rows the file no longer has as they were and inserting
    the file's rows the table lacks (a row changed is both), rows compared by their key
    and a 64-bit hash of their values (DuckDB's `hash`: two versions of a row that differ
    are taken for the same once in 2**64). Only the rows of both for which the SQL
    condition `within` holds are compared (the caller knows the others are the same in
    both; a row whose key moved across it fails the primary key or the count). False,
    with the table as it was, when the file is not on disk or its columns are not the
    table's. Raises _Unpatchable when the table then holds another number of rows than
    the file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    published, key, _ = TABLES[name]
    path = files.file(published) if hasattr(files, "file") else None
    if path is None:
        return False
    schema = pq.read_schema(path)
    if any(_sql_type(f.type) == "VARCHAR" and not (pa.types.is_string(f.type)
                                                   or pa.types.is_large_string(f.type))
           for f in schema):
        return False  # columns _create writes as text: made again, as they were made
    wanted = [(f.name, _sql_type(f.type)) for f in schema]
    found = con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                        "WHERE database_name = current_database() AND table_name = ? "
                        "ORDER BY column_index", [name]).fetchall()
    if [tuple(row) for row in found] != wanted:
        return False
    ids = ", ".join(f'"{k}"' for k in key)
    # each row named by its key and a 64-bit hash of its values, with the sign of each
    # number (equality takes -0.0 for 0.0): the sets of (key, hash) are compared, not
    # the rows' text, which is most of a discrepancy (every page's figure in it)
    row = "hash(" + ", ".join([f'"{c}"' for c, _ in wanted] +
                              [f'signbit("{c}")' for c, sql in wanted if sql == "DOUBLE"]) + ")"
    # the file's rows in the table's own types: a value's hash depends on its type
    con.execute(f'CREATE TEMP TABLE incoming AS SELECT * FROM "{name}" LIMIT 0')
    try:
        con.execute("INSERT INTO incoming SELECT * FROM "
                    f"read_parquet('{_literal(str(path))}') WHERE {within}")
        con.execute(f'CREATE TEMP TABLE outgoing AS SELECT {ids}, {row} AS row_hash FROM "{name}" '
                    f"WHERE {within}")
        con.execute(f'CREATE TEMP TABLE arriving AS SELECT {ids}, {row} AS row_hash FROM incoming')
        con.execute(f'DELETE FROM "{name}" WHERE ({ids}) IN (SELECT ({ids}) FROM '
                    f'(SELECT * FROM outgoing EXCEPT SELECT * FROM arriving))')
        con.execute(f'INSERT INTO "{name}" SELECT * FROM incoming WHERE ({ids}) IN '
                    f'(SELECT ({ids}) FROM (SELECT * FROM arriving EXCEPT SELECT * FROM outgoing))')
        # EXCEPT is a set's difference: a file holding a row twice, which a whole build
        # fails on (its primary key), would pass unseen
        held = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        if held != pq.ParquetFile(path).metadata.num_rows:
            raise _Unpatchable()
    finally:
        for temporary in ("incoming", "outgoing", "arriving"):
            con.execute(f"DROP TABLE IF EXISTS {temporary}")
    return True


def _digest(files, name: str) -> str:
    """The sha256 of a rendered output ("" when there is none)."""
    import hashlib

    from pipeline.cache import file_sha256

    if name not in files:
        return ""
    on_disk = files.file(name) if hasattr(files, "file") else None
    return file_sha256(on_disk) if on_disk is not None else hashlib.sha256(files[name]).hexdigest()
