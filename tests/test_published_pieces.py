"""A refresh after a change writes curated/claims from the last refresh's published files
where it can (pipeline/tables.py, PublishedPieces): the pieces whose rows are made of the
same claims, reconciled the same way, are copied, the others made; the database is the
last one patched (pipeline/database.py). Either way the files are, byte for byte, what
making every piece gives, and the database holds the same rows as one built whole. A
published file changed since costs only time."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

import pipeline.database
import pipeline.outputs
from pipeline.cli import main
from pipeline.database import DATABASE
from tests.conftest import copy_seed_project
from tests.test_rendered_chunks import change_a_figure


def change_it_back(root: Path) -> None:
    """seed-000's figure as it was before `change_a_figure`, its registry entry updated."""
    registry = root / "raw" / "sources.yaml"
    text = registry.read_text(encoding="utf-8")
    page = root / "raw" / re.search(r"- id: seed-000\n    path: (\S+)", text).group(1)
    data = page.read_text(encoding="utf-8").replace("$36,912.00", "$36,712.00", 1).encode()
    old = re.search(r"- id: seed-000\n(?:    .*\n)*?    sha256: ([0-9a-f]+)", text).group(1)
    page.write_bytes(data)
    registry.write_text(text.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8")

TABLES = ("curated/claims.csv", "curated/claims.parquet")


@pytest.fixture
def counted(monkeypatch):
    """The seed project's claims in many small pieces; the pieces made and the
    databases patched, counted."""
    monkeypatch.setattr(pipeline.outputs, "PIECE", 40)
    monkeypatch.setattr(pipeline.outputs, "PIECE_CUTS", 2)
    made: list[int] = []
    patched: list[int] = []
    real_piece = pipeline.outputs._Rendering._claims_piece
    real_patch = pipeline.database._patched

    def claims_piece(self, rows, sources):
        made.append(len(rows))
        return real_piece(self, rows, sources)

    def patch(*args, **kwargs):
        patched.append(1)
        return real_patch(*args, **kwargs)

    monkeypatch.setattr(pipeline.outputs._Rendering, "_claims_piece", claims_piece)
    monkeypatch.setattr(pipeline.database, "_patched", patch)
    return made, patched


def refreshed(root: Path, *more: str) -> None:
    result = CliRunner().invoke(main, ["refresh", "--root", str(root), "--jobs", "1", *more])
    assert result.exit_code == 0, result.output


def files(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in TABLES}


def database_rows(root: Path) -> dict[str, list[tuple]]:
    """Every table's and view's rows, in one order (a patched table's own order is the
    order its rows were written in)."""
    with duckdb.connect(str(root / DATABASE), read_only=True) as con:
        names = [n for (n,) in con.execute(
            "SELECT table_name FROM duckdb_tables() UNION ALL "
            "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in sorted(names) if n != "about"} | {
            "about": sorted(r for r in con.execute("SELECT * FROM about").fetchall()
                            if r[0] != "careerfacts")}


def whole(root: Path, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, list[tuple]]]:
    """The same project refreshed with nothing to copy from and no database to patch."""
    other = copy_seed_project(tmp_path / f"whole-{len(list(tmp_path.glob('whole-*')))}")
    for path in [*(root / "raw").rglob("*"), root / "decisions.yaml"]:
        if path.is_file():
            (other / path.relative_to(root)).write_bytes(path.read_bytes())
    refreshed(other)
    return files(other), database_rows(other)


def test_a_changed_page_s_pieces_alone_are_made_and_the_files_are_a_whole_refresh_s(
        tmp_path, counted, monkeypatch):
    made, patched = counted
    by_rows = []  # the tables patched row by row rather than made again
    real_rows = pipeline.database._rows_patched

    def rows_patched(con, name, files, **within):
        done = real_rows(con, name, files, **within)
        by_rows.append((name, done))
        return done

    monkeypatch.setattr(pipeline.database, "_rows_patched", rows_patched)
    root = copy_seed_project(tmp_path / "project")
    refreshed(root)
    pieces = len(made)
    assert pieces > 5 and not patched  # no database to patch yet

    change_a_figure(root)
    made.clear()
    refreshed(root)
    assert 0 < len(made) < pieces  # seed-000's pieces, and those whose ranks moved
    assert patched == [1]
    assert by_rows == [("facts", True), ("discrepancies", True), ("claims", True)]
    assert_index_names_the_published_bytes(root)
    made.clear()
    assert (files(root), database_rows(root)) == whole(root, tmp_path)
    assert len(made) >= pieces  # the whole refresh made every piece


def assert_index_names_the_published_bytes(root: Path) -> None:
    """Each piece in the kept index of curated/claims.csv (the copied ones' sha256 taken
    from the index they were copied by) is the sha256 of the published bytes it names."""
    from pipeline.cache import unsealed
    from pipeline.refresh import default_cache_dir
    from pipeline.tables import _named

    data = (root / "curated/claims.csv").read_bytes()
    [index] = [p for p in default_cache_dir(root).glob("claims-pieces-*")
               if p == _named(p.with_name(p.name.rsplit("-", 1)[0]),
                              hashlib.sha256((root / "curated/claims.parquet").read_bytes())
                              .hexdigest())]
    pieces = unsealed(index.read_bytes())["pieces"]
    assert len(pieces) > 5
    assert all(hashlib.sha256(data[start:start + size]).hexdigest() == digest
               for start, size, digest, _, _ in pieces.values())


def test_a_published_file_changed_since_costs_only_time(tmp_path, counted):
    made, patched = counted
    root = copy_seed_project(tmp_path / "project")
    refreshed(root)
    pieces = len(made)
    claims = root / "curated" / "claims.csv"
    text = claims.read_bytes()
    at = text.rindex(b"seed-")  # a byte of a piece changed, the size kept
    claims.write_bytes(text[:at] + b"SEED-" + text[at + 5:])

    change_a_figure(root)
    made.clear()
    refreshed(root)
    assert 0 < len(made) < pieces  # the damaged piece made again with the changed ones
    assert (files(root), database_rows(root)) == whole(root, tmp_path)

    (root / "curated" / "claims.parquet").write_bytes(b"not parquet")
    change_it_back(root)
    made.clear()
    patched.clear()
    refreshed(root)
    assert len(made) == pieces and not patched  # nothing to copy: every piece made
    assert (files(root), database_rows(root)) == whole(root, tmp_path)


def test_a_database_of_other_claims_is_built_whole(tmp_path, counted):
    made, patched = counted
    root = copy_seed_project(tmp_path / "project")
    refreshed(root)
    with duckdb.connect(str(root / DATABASE)) as con:
        con.execute("UPDATE about SET value = 'another' WHERE key = 'claims'")
        con.execute("DELETE FROM claims WHERE source_id = 'seed-002'")

    change_a_figure(root)
    refreshed(root)
    assert patched == [1]  # tried, refused, built whole
    rows = database_rows(root)
    assert any(r[1] == "seed-002" for r in rows["claims"])
    assert (files(root), rows) == whole(root, tmp_path)


def test_a_refresh_that_fails_to_publish_leaves_the_published_files_pieces_to_copy(
        tmp_path, counted, monkeypatch):
    made, patched = counted
    root = copy_seed_project(tmp_path / "project")
    refreshed(root)
    pieces = len(made)
    import pipeline.publish

    def fails(files, root):
        raise OSError(28, "No space left on device")

    change_a_figure(root)
    with monkeypatch.context() as patch:
        patch.setattr(pipeline.publish, "publish", fails)
        result = CliRunner().invoke(main, ["refresh", "--root", str(root), "--jobs", "1"])
    assert result.exit_code != 0

    made.clear()
    patched.clear()
    refreshed(root)  # the same change, against the files the first refresh published
    assert 0 < len(made) < pieces and patched == [1]
    assert (files(root), database_rows(root)) == whole(root, tmp_path)


def test_a_decision_makes_again_the_pieces_whose_ranks_it_changes(tmp_path, counted):
    """A decision names no page, yet it ranks other claims first: the pieces holding
    them are made again, not copied with their old ranks."""
    made, patched = counted
    root = copy_seed_project(tmp_path / "project")
    refreshed(root)
    pieces = len(made)
    table = list(csv.DictReader(io.StringIO((root / "curated" / "discrepancies.csv")
                                            .read_text(encoding="utf-8"))))
    chosen = next(d for d in table if d["queue"] == "open" and int(d["n_figures"]) > 1)
    claims = {c["claim_id"]: c for c in csv.DictReader(io.StringIO(
        (root / "curated" / "claims.csv").read_text(encoding="utf-8")))}
    preferred = next(i for i in chosen["claim_ids"].split("; ")
                     if claims[i]["rank"] != "preferred")
    decided = CliRunner().invoke(
        main, ["--project", str(root), "decide", chosen["discrepancy_id"], "--prefer", preferred,
               "--reason", "the latest release"], env={"GIT_AUTHOR_NAME": "Ada Analyst"})
    assert decided.exit_code == 0, decided.output

    made.clear()
    refreshed(root)
    assert 0 < len(made) < pieces
    after = {c["claim_id"]: c for c in csv.DictReader(io.StringIO(
        (root / "curated" / "claims.csv").read_text(encoding="utf-8")))}
    assert after[preferred]["rank"] != claims[preferred]["rank"]
    assert (files(root), database_rows(root)) == whole(root, tmp_path)
