"""curated/careerfacts.duckdb: the curated tables typed and keyed, the releases, and the
views analysts query; the README's example queries run against it, through the
Python library and through the DuckDB command line `make refresh` installs."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.database import DATABASE, database_bytes
from pipeline.decisions import Decision
from pipeline.outputs import rendered
from tests.conftest import REPO, copy_seed_project, run_from_claims, stated_claim

MEDIAN = dict(metric="wage", statistic="median", unit="USD/year")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_seed_project(tmp_path_factory.mktemp("database") / "project")
    result = CliRunner().invoke(main, ["refresh", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def con(project):
    with duckdb.connect(str(project / DATABASE), read_only=True) as connection:
        yield connection


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def query(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def test_every_table_has_its_primary_key(con):
    keys = {table: columns for table, columns in query(
        con, "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
             "WHERE constraint_type = 'PRIMARY KEY'")}

    assert keys == {"sources": ["source_id"], "claims": ["claim_id"], "facts": ["fact_id"],
                    "discrepancies": ["discrepancy_id"],
                    "decisions": ["discrepancy_id", "action", "target"],
                    "releases": ["source_id", "locator", "occupation"], "about": ["key"]}
    tables = {t for (t,) in query(con, "SELECT table_name FROM duckdb_tables()")}
    assert tables == set(keys) | {"quarantine", "page_changes", "problems"}
    views = {v for (v,) in query(con, "SELECT view_name FROM duckdb_views() WHERE NOT internal")}
    assert views == {"latest_official", "stale_pages", "open_queue", "page_vintages"}


def test_columns_are_typed(con):
    types = {(t, c): d for t, c, d in query(
        con, "SELECT table_name, column_name, data_type FROM duckdb_columns()")}

    assert types[("claims", "value")] == "DOUBLE"
    assert types[("claims", "period_start")] == "BIGINT"
    assert types[("claims", "releases_behind")] == "BIGINT"
    assert types[("claims", "quote")] == "VARCHAR"
    assert types[("facts", "n_sources")] == "BIGINT"
    assert types[("releases", "value")] == "DOUBLE"
    # text is never NULL: "" means not stated, as in the CSV files
    nullable = {c for (c,) in query(con, "SELECT column_name FROM duckdb_columns() WHERE "
                                         "table_name = 'claims' AND is_nullable")}
    assert nullable == {"value", "low", "high", "precision", "period_start", "period_end",
                        "releases_behind"}


@pytest.mark.parametrize("table", ["claims", "facts", "discrepancies", "sources"])
def test_the_tables_hold_the_published_rows(con, project, table):
    key = {"claims": "claim_id", "facts": "fact_id", "discrepancies": "discrepancy_id",
           "sources": "source_id"}[table]
    published = rows(project / "curated" / f"{table}.csv")

    found = [r[0] for r in query(con, f"SELECT {key} FROM {table} ORDER BY {key}")]

    assert found == sorted(r[key] for r in published)


def test_the_releases_are_there_and_the_file_says_what_it_was_built_from(con, project):
    [(n,)] = query(con, "SELECT count(*) FROM releases WHERE occupation = '29-2072'")
    about = dict(query(con, "SELECT key, value FROM about"))

    assert n > 100
    assert set(about) == {"fingerprint", "layout", "careerfacts", "storage", "claims",
                          "releases"}
    assert re.fullmatch(r"[0-9a-f]{64}", about["fingerprint"])
    assert about["storage"] == "v1.0.0"
    for name in ("claims", "releases"):  # the files its tables hold, by their sha256
        data = (project / "curated" / f"{name}.parquet").read_bytes()
        assert about[name] == hashlib.sha256(data).hexdigest()


def test_duckdb_reads_the_history_where_it_is(project):
    with duckdb.connect() as con:
        found = con.execute("SELECT run, exit_code FROM read_json(?)",
                            [str(project / "curated" / "history" / "*.json")]).fetchall()

    assert found == [(1, 0)]


def test_a_database_is_rebuilt_only_when_its_content_changes(project, tmp_path):
    from pipeline.database import database_fingerprint, stored_fingerprint

    claims = [stated_claim(48780, source="a", figure="$48,780", **MEDIAN)]
    run = run_from_claims(claims, {"a": "secondary"})
    files = rendered(run)
    path = tmp_path / "careerfacts.duckdb"
    path.write_bytes(database_bytes(run, files))

    assert stored_fingerprint(path) == database_fingerprint(run, files)
    other = run_from_claims([stated_claim(52000, source="a", figure="$52,000", **MEDIAN)],
                            {"a": "secondary"})
    assert database_fingerprint(other, rendered(other)) != stored_fingerprint(path)
    assert stored_fingerprint(tmp_path / "missing.duckdb") == ""
    (tmp_path / "broken.duckdb").write_bytes(b"not a database")
    assert stored_fingerprint(tmp_path / "broken.duckdb") == ""


def test_latest_official_is_the_latest_release_of_each_programme(con):
    found = query(con, "SELECT program, release, value FROM latest_official WHERE occupation "
                       "= '29-2072' AND metric = ? AND statistic = ? AND unit = ? "
                       "ORDER BY program", "wage", "median", "USD/year")
    growth = query(con, "SELECT release, value FROM latest_official WHERE occupation = "
                        "'29-2072' AND metric = 'employment_growth'")

    assert found == [("OEWS", "OEWS May 2024", 50250.0)]
    assert growth == [("Employment Projections 2024-2034", 7.1)]


def test_stale_pages_are_the_pages_quoting_an_older_release(con):
    found = set(query(con, "SELECT source_id, figure, stated_in, releases_behind, "
                           "latest_release, latest_value FROM stale_pages WHERE metric = "
                           "'wage' AND statistic = 'median'"))

    assert found == {("seed-002", "$47,180", "OEWS May 2022", 2, "OEWS May 2024", 50250.0),
                     ("seed-003", "$48,780", "OEWS May 2023", 1, "OEWS May 2024", 50250.0),
                     ("seed-003", "$49K", "OEWS May 2023", 1, "OEWS May 2024", 50250.0)}
    # the agency's own files are the series, never stale pages
    assert query(con, "SELECT count(*) FROM stale_pages s JOIN sources USING (source_id) "
                      "WHERE authority = 'primary'") == [(0,)]


def test_open_queue_lists_every_figure_of_the_open_discrepancies(con, project):
    published = [d for d in rows(project / "curated" / "discrepancies.csv")
                 if d["queue"] == "open"]

    found = query(con, "SELECT discrepancy_id, claim_id FROM open_queue")

    expected = {(d["discrepancy_id"], c) for d in published for c in d["claim_ids"].split("; ")}
    assert set(found) == expected and len(found) == len(expected)
    severities = [s for (s,) in query(con, "SELECT severity FROM open_queue")]
    order = ["high", "medium", "low", "info"]
    assert severities == sorted(severities, key=order.index)


def test_page_vintages_say_which_releases_each_page_quotes(con):
    found = {s: (quoted, behind) for s, quoted, behind in query(
        con, "SELECT source_id, releases_quoted, most_releases_behind FROM page_vintages")}

    assert set(found) == {"seed-000", "seed-001", "seed-002", "seed-003"}
    assert "OEWS May 2022" in found["seed-002"][0] and found["seed-002"][1] == 2
    assert "OEWS May 2024" in found["seed-001"][0]
    assert found["seed-000"] == (None, 0)  # no figure of any release


# --- the README's queries -----------------------------------------------------------------

def readme_queries() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Querying with DuckDB", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.DOTALL)


def test_the_readme_shows_three_queries():
    assert len(readme_queries()) == 3


@pytest.mark.parametrize("number", range(3))
def test_the_readme_queries_answer(con, number):
    sql = readme_queries()[number]

    found = con.execute(sql).fetchall()

    assert found, sql
    text = repr(found)
    assert [("seed-002" in text and "OEWS May 2022" in text),  # who quotes 2022
            ("conflict" in text or "categorical" in text),  # the queue
            ("$50,250 a year" in text and "OEWS May 2024" in text)][number], found


@pytest.mark.parametrize("number", range(3))
def test_the_duckdb_command_answers_the_readme_queries(project, number):
    command = Path(sys.executable).with_name("duckdb")
    if not command.exists():
        pytest.fail(f"{command} is missing: the duckdb-cli package installs it")
    sql = readme_queries()[number]

    done = subprocess.run([str(command), "-readonly", "-csv", str(project / DATABASE), sql],
                          capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) > 1  # a header and rows


# --- built from claims stated directly -----------------------------------------------------

def test_a_database_without_official_files_has_an_empty_releases_table_and_the_decisions(
        tmp_path):
    claims = [stated_claim(48780, source="a", figure="$48,780", **MEDIAN),
              stated_claim(52000, source="b", figure="$52,000", **MEDIAN)]
    first = run_from_claims(claims, {"a": "secondary", "b": "secondary"})
    [found] = first.reconciliation.discrepancies
    decision = Decision(found.discrepancy_id, "prefer", "because", "Ada", "2026-11-30",
                        found.evidence, "a")
    run = run_from_claims(claims, {"a": "secondary", "b": "secondary"}, [decision])
    path = tmp_path / "careerfacts.duckdb"

    path.write_bytes(database_bytes(run, rendered(run)))

    with duckdb.connect(str(path), read_only=True) as con:
        assert query(con, "SELECT count(*) FROM releases") == [(0,)]
        assert query(con, "SELECT count(*) FROM latest_official") == [(0,)]
        assert query(con, "SELECT discrepancy_id, action, target, status FROM decisions") == [
            (found.discrepancy_id, "prefer", "a", "applied")]
        assert query(con, "SELECT count(*) FROM open_queue") == [(0,)]  # decided


def test_a_project_of_official_files_alone_builds_its_database(tmp_path):
    """No page registered yet: no claim, and the claims table's text columns stay text
    (a column built from no values must not become a DOUBLE that the views cannot
    compare with text)."""
    import yaml

    root = copy_seed_project(tmp_path / "project")
    registry = root / "raw" / "sources.yaml"
    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    document["sources"] = [s for s in document["sources"]
                           if str(s["path"]).startswith("official/")]
    assert document["sources"]
    registry.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")

    result = CliRunner().invoke(main, ["refresh", "--root", str(root)])

    assert result.exit_code == 0, result.output
    assert "claims         0 extracted" in result.output
    with duckdb.connect(str(root / DATABASE), read_only=True) as connection:
        types = dict(query(connection, "SELECT column_name, data_type FROM "
                           "information_schema.columns WHERE table_name = 'claims'"))
        assert types["stated_in"] == types["release_match"] == "VARCHAR"
        assert query(connection, "SELECT count(*) FROM stale_pages") == [(0,)]


def test_a_table_patched_row_by_row_is_the_file_s_rows_or_is_built_whole(tmp_path):
    """_rows_patched: a figure whose sign alone changed (-0.0 for 0.0, which EXCEPT takes
    as equal) is written as the file has it, and a file holding a row twice, which a whole
    build fails on (the primary key), is left to the whole build."""
    import math

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.database import TABLES, _create, _rows_patched, _Unpatchable

    published, key, _ = TABLES["facts"]
    path = tmp_path / "facts.parquet"

    class Files:
        def file(self, name):
            return path if name == published else None

    def table(ids, values):
        return pa.table({"fact_id": pa.array(ids, pa.string()),
                         "value": pa.array(values, pa.float64()),
                         "status": pa.array(["consensus"] * len(ids), pa.string())})

    con = duckdb.connect()
    _create(con, "facts", table(["f1", "f2", "f3"], [0.0, 1.5, None]), key)
    pq.write_table(table(["f1", "f2", "f4"], [-0.0, 1.5, 2.0]), path)
    assert _rows_patched(con, "facts", Files())
    rows = sorted(con.execute("SELECT fact_id, value FROM facts").fetchall())
    assert [r[0] for r in rows] == ["f1", "f2", "f4"]
    assert math.copysign(1.0, rows[0][1]) == -1.0 and rows[1:] == [("f2", 1.5), ("f4", 2.0)]

    pq.write_table(table(["f1", "f2", "f4", "f4"], [-0.0, 1.5, 2.0, 2.0]), path)
    with pytest.raises(_Unpatchable):
        _rows_patched(con, "facts", Files())
