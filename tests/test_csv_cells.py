"""The curated CSVs spell each value one way, whether a cell is printed alone or a column
at a time (pipeline/tables.py)."""
import math
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables import _cell, cell_texts, csv_bytes

floats = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-10**17, 10**17).map(float),
                   st.sampled_from([0.0, -0.0, 50250.0, 24.16, 0.5, 2.0 ** 53, -(2.0 ** 60),
                                    1e20, 47.88, 0.001]))

cells = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t;é€\x00\'#-')), max_size=6)


@settings(max_examples=300)
@given(st.lists(floats, max_size=40))
def test_a_float_column_is_spelt_as_its_cells_are(values):
    column = pd.Series(values, dtype="float64")
    assert cell_texts(column) == [_cell(v) for v in column.tolist()]


@given(st.lists(st.one_of(st.none(), st.integers(1900, 2200)), max_size=40))
def test_a_year_column_is_spelt_as_its_cells_are(values):
    column = pd.Series(values, dtype="Int64")
    assert cell_texts(column) == [_cell(v) for v in column.tolist()]


@given(st.lists(st.one_of(st.text(max_size=8), st.none(), st.floats(allow_nan=True)),
                max_size=20))
def test_a_text_column_with_gaps_is_spelt_as_its_cells_are(values):
    column = pd.Series(values, dtype=object)
    assert cell_texts(column) == [_cell(v) for v in column.tolist()]


@given(st.lists(st.one_of(st.text(max_size=8), st.none()), max_size=20),
       st.sampled_from(["string", "str"]))
def test_a_string_dtype_column_is_spelt_as_its_cells_are(values, dtype):
    column = pd.Series(values, dtype=object).astype(dtype) if dtype == "string" else \
        pd.Series(values, dtype=object).astype("string").astype(str)
    assert cell_texts(column) == [_cell(v) for v in column.tolist()]


def test_the_csv_of_a_claims_like_frame():
    frame = pd.DataFrame({"value": [50250.0, 24.16, math.nan, -0.0],
                          "period_end": pd.array([2024, None, 2023, 2022], dtype="Int64"),
                          "unit": ["USD/year", "USD/hour", "", "count"]})
    assert csv_bytes(frame) == (b"value,period_end,unit\n50250,2024,USD/year\n24.16,,USD/hour\n"
                                b",2023,\n-0,2022,count\n")


# --- tables written a piece at a time ---------------------------------------------------------

def test_spilled_rows_come_back_in_key_order_in_pieces_bounded_by_rows_and_bytes(tmp_path):
    from pipeline.tables import TableSpill

    spill = TableSpill(tmp_path / "rows", lambda rows: pd.DataFrame(
        rows, columns=["n", "text"]).astype({"n": "int64", "text": "str"}))
    for n in [5, 3, 9, 1, 7, 2]:
        spill.add(n, {"n": n, "text": "x" * 1000 * n})

    by_rows = list(spill.pieces(size=4, max_bytes=10**9))
    by_bytes = list(spill.pieces(size=100, max_bytes=6_000))

    assert [piece[1].column("n").to_pylist() for piece in by_rows] == [[1, 2, 3, 5], [7, 9]]
    # a piece ends with the row that took it past the bytes: 1+2+3 KB, 5, 7, 9
    assert [piece[1].column("n").to_pylist() for piece in by_bytes] == [[1, 2, 3], [5, 7], [9]]
    assert by_rows[1][0] == b"n,text\n7," + b"x" * 7000 + b"\n9," + b"x" * 9000 + b"\n"


def _frame_of(rows: list[dict]) -> pd.DataFrame:
    """A table like curated/facts (outputs.facts_frame): text, never missing (a row's
    may be None), a count and a float."""
    frame = pd.DataFrame(rows, columns=["key", "text", "count", "value"])
    frame = frame.astype({"key": "str", "text": "str", "count": "int64", "value": "float64"})
    frame["text"] = frame["text"].fillna("")
    return frame


spilled_rows = st.lists(st.fixed_dictionaries({
    "key": st.integers(0, 30).map(lambda n: f"k-{n:02d}"),
    "text": st.one_of(st.none(), cells),
    "count": st.integers(0, 10**6),
    "value": floats,
    "spill": st.integers(0, 2),  # which of three spills (a chunk's) it is added to
    "late": st.booleans(),  # added to the first spill after it adopted the others
}), min_size=1, max_size=40)


@settings(max_examples=120, deadline=None)
@given(spilled_rows, st.integers(1, 5), st.integers(1, 12), st.integers(10, 400))
def test_rows_spilled_encoded_are_the_table_written_from_frames(rows, batch, size, max_bytes):
    """Rows kept as CSV text and Arrow values, in chunks' spills adopted by one, come back
    as the pieces of the table made from frames of the same rows: the same CSV and
    Parquet bytes, in key order (of equal keys, the adopting spill's first, then each
    adopted spill's in turn, each in the order added)."""
    import tempfile

    import pyarrow.parquet as pq

    import pipeline.tables
    from pipeline.tables import TableFile, TableSpill

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        saved, pipeline.tables.ENCODED = pipeline.tables.ENCODED, batch
        try:
            spills = [TableSpill(folder / f"s{n}", _frame_of) for n in range(3)]
            for row in rows:
                if not (row["spill"] == 0 and row["late"]):
                    spills[row["spill"]].add(row["key"], _row(row))
            for other in spills[1:]:
                spills[0].adopt(other.handed())
            for row in rows:
                if row["spill"] == 0 and row["late"]:
                    spills[0].add(row["key"], _row(row))
            table = TableFile(folder / "t.csv", folder / "t.parquet")
            counts = []
            for piece in spills[0].pieces(size=size, max_bytes=max_bytes):
                counts.append(piece[1].num_rows)
                table.write_piece(piece)
            table.close(_frame_of([]))
        finally:
            pipeline.tables.ENCODED = saved

        def rank(row):
            late = row["spill"] == 0 and row["late"]
            return (row["key"], (0 if row["spill"] == 0 and not late else
                                 row["spill"] if not late else 3))
        ordered = [_row(r) for r in sorted(rows, key=rank)]  # stable: the order added
        frames = TableFile(folder / "f.csv", folder / "f.parquet")
        at = 0
        for count in counts:
            frames.write(_frame_of(ordered[at:at + count]))
            at += count
        frames.close(_frame_of([]))

        assert at == len(rows) and all(0 < count <= size for count in counts)
        assert (folder / "t.csv").read_bytes() == csv_bytes(_frame_of(ordered))
        assert (folder / "t.csv").read_bytes() == (folder / "f.csv").read_bytes()
        assert (folder / "t.parquet").read_bytes() == (folder / "f.parquet").read_bytes()
        assert pq.read_table(folder / "t.parquet").column("key").to_pylist() == \
            [r["key"] for r in ordered]


def _row(row: dict) -> dict:
    return {name: row[name] for name in ("key", "text", "count", "value")}


def test_a_row_larger_than_arrow_s_blocks_is_read_back(tmp_path):
    """A discrepancy's row lists every page's figure: at 10,000 pages, megabytes."""
    from pipeline.tables import TableSpill

    spill = TableSpill(tmp_path / "rows", _frame_of)
    long = ("$47,180 (page-00001, 2022) | " * 120_000).strip()
    for n in range(3):
        spill.add(f"k-{n}", {"key": f"k-{n}", "text": long if n == 1 else "short", "count": n,
                             "value": 1.5})
    text, table, _ = next(spill.pieces())

    assert table.column("text").to_pylist() == ["short", long, "short"]
    assert text == csv_bytes(_frame_of([{"key": f"k-{n}", "text": long if n == 1 else "short",
                                         "count": n, "value": 1.5} for n in range(3)]))


def test_an_empty_spill_gives_no_piece_and_the_empty_table(tmp_path):
    from pipeline.tables import TableFile, TableSpill

    spill = TableSpill(tmp_path / "rows", _frame_of)
    spill.adopt(TableSpill(tmp_path / "other", _frame_of).handed())
    table = TableFile(tmp_path / "t.csv", tmp_path / "t.parquet")
    for piece in spill.pieces():
        table.write_piece(piece)
    table.close(_frame_of([]))

    assert (tmp_path / "t.csv").read_bytes() == b"key,text,count,value\n"
    assert not list(tmp_path.glob("*.csvrows"))


def test_a_table_written_in_pieces_is_the_whole_table_s_csv_and_parquet(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    import pipeline.tables
    from pipeline.tables import TableFile, csv_bytes

    monkeypatch.setattr(pipeline.tables, "ROW_GROUP_BYTES", 2_000)  # a row group every piece
    whole = pd.DataFrame({"fact_id": [f"f-{n}" for n in range(30)],
                          "alternatives": [" | ".join(["$47,180 (page)"] * n) for n in range(30)],
                          "value": [float(n) if n % 3 else None for n in range(30)]})
    table = TableFile(tmp_path / "t.csv", tmp_path / "t.parquet")
    for start in range(0, 30, 7):
        table.write(whole.iloc[start:start + 7])
    table.close()

    assert (tmp_path / "t.csv").read_bytes() == csv_bytes(whole)
    written = pq.ParquetFile(tmp_path / "t.parquet")
    assert written.metadata.num_row_groups > 1
    pd.testing.assert_frame_equal(written.read().to_pandas(), whole)


def pandas_csv(frame: pd.DataFrame) -> bytes:
    """What csv_bytes wrote through pandas' writer: the cells spelt, then to_csv."""
    import io

    text = pd.DataFrame({column: cell_texts(frame[column]) for column in frame.columns},
                        columns=frame.columns, dtype=object) if len(frame) else frame.astype(str)
    buffer = io.StringIO()
    text.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(
    st.tuples(*[st.one_of(cells, st.none())] * width), max_size=12)), floats)
def test_the_csv_writer_writes_what_pandas_did(rows, number):
    width = len(rows[0]) if rows else 2
    frame = pd.DataFrame(rows, columns=[f"c{n}" for n in range(width)], dtype=object)
    frame["value"] = pd.Series([number] * len(frame), dtype="float64")

    assert csv_bytes(frame) == pandas_csv(frame)
    assert csv_bytes(frame[["c0"]]) == pandas_csv(frame[["c0"]])  # a lone empty cell: ""
