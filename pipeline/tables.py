"""Claims as a table, and tables as deterministic CSV and Parquet bytes or files."""
from __future__ import annotations

import csv
import hashlib
import io
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from extractors.claims import CLAIM_COLUMNS, Claim
from pipeline.cache import file_sha256, known_loads  # a spill may be a rendered chunk's

NUMBER_COLUMNS = ("value", "low", "high", "precision")
YEAR_COLUMNS = ("period_start", "period_end")


def claims_frame(claims: list[Claim]) -> pd.DataFrame:
    """The claims table: one row per claim, the contract's column order and types."""
    frame = pd.DataFrame([c.as_dict() for c in claims], columns=list(CLAIM_COLUMNS))
    for column in NUMBER_COLUMNS:
        frame[column] = frame[column].astype("float64")
    for column in YEAR_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in frame.columns:
        if column not in NUMBER_COLUMNS and column not in YEAR_COLUMNS:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else repr(value)
    return str(value)


EXACT_INTEGERS = 2.0 ** 53
"""Floats below this in magnitude that are whole print as the integer they are."""


def cell_texts(column: pd.Series) -> list[str]:
    """A column's cells as `_cell` spells them, a column at a time: a float column's whole
    numbers through numpy's integer printing, the rest one by one (a claims table at scale
    has tens of millions of cells; a Python call per cell was most of writing it)."""
    import numpy as np

    dtype = column.dtype
    if dtype == "float64":
        values = column.to_numpy()
        texts = np.full(len(values), "", dtype=object)
        present = ~np.isnan(values)
        whole = present & (np.floor(values) == values) & (np.abs(values) < EXACT_INTEGERS) \
            & ~((values == 0) & np.signbit(values))  # -0.0 prints as "-0"
        if whole.any():
            texts[whole] = values[whole].astype(np.int64).astype(str).astype(object)
        rest = present & ~whole
        if rest.any():
            texts[rest] = [_cell(v) for v in values[rest].tolist()]
        return texts.tolist()
    if dtype == "Int64":
        missing = column.isna().to_numpy()
        texts = np.full(len(column), "", dtype=object)
        if (~missing).any():
            texts[~missing] = column.to_numpy()[~missing].astype(np.int64).astype(str).astype(object)
        return texts.tolist()
    if isinstance(dtype, pd.StringDtype):  # text, or missing: read out in one go
        missing = column.isna().to_numpy()
        texts = column.to_numpy(dtype=object)
        if missing.any():
            texts[missing] = ""
        return texts.tolist()
    values = column.tolist()
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values  # text already, as a claims table's text columns are
    return [_cell(v) for v in values]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with one spelling per value: 50250 not 50250.0, empty for missing, LF endings.

    The cells are spelt a column at a time (`cell_texts`) and the rows written by the
    standard library's csv writer, with the dialect pandas' `to_csv` uses (minimal
    quoting, doubled quotes, LF): the same bytes, without a frame of text built first
    (a claims table's pieces at 10,000 pages are 1.1 GB of CSV)."""
    buffer = io.StringIO()
    if not len(frame):
        frame.astype(str).to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue().encode("utf-8")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    writer.writerows(zip(*(cell_texts(frame.iloc[:, n]) for n in range(frame.shape[1]))))
    return buffer.getvalue().encode("utf-8")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(buffer, index=False, engine="pyarrow",
                                            compression="zstd")
    return buffer.getvalue()


PIECE = 8_192
"""Rows rendered to CSV at a time: every cell becomes a Python string on the way, so a
piece of a large table, not the table, is held so."""
ROW_GROUP = 32_768
"""Rows of a Parquet row group when a table is written piece by piece (a row group is held
as an Arrow table until it is written: 32,768 claims are about 25 MB). A table of at most
PIECE rows is one piece and one row group, byte for byte what `parquet_bytes` makes of
it."""


PIECE_BYTES = 16 * 2 ** 20
ROW_GROUP_BYTES = 64 * 2 ** 20
"""A piece, and a row group, also ends at about this many bytes: a table whose rows grow
with the pages (a fact's alternatives, a discrepancy's sources and claim ids list every
page that states the key's figure) would otherwise hold hundreds of MB in one piece at
10,000 pages, several times over on its way to CSV text. A table smaller than
PIECE_BYTES is still one piece."""


class TableFile:
    """A table written as CSV and Parquet files piece by piece, each piece a DataFrame
    with the table's columns and types: the bytes `csv_bytes` and `parquet_bytes` give
    for the whole table (the Parquet file in row groups of ROW_GROUP rows, or fewer of
    ROW_GROUP_BYTES, once there is more than one piece). `placed` says where each piece
    written lies: (first byte of its rows in the CSV file, bytes, first row, rows).

    The row groups are written by a thread of their own (`_flush`): fork no process
    while a TableFile is open, or fork before its first row group."""

    def __init__(self, csv_path: Path, parquet_path: Path | None):
        self.csv = open(csv_path, "wb")
        self.parquet_path = parquet_path
        self.writer = None
        self.worker: ThreadPoolExecutor | None = None  # writes the row groups
        self.in_flight = None  # the row group being written (a Future)
        self.pending: list = []  # Arrow tables of pieces not yet in a row group
        self.rows = 0
        self.written = 0  # rows written, in all
        self.first: pd.DataFrame | None = None
        self.header: bytes | None = None  # the CSV's first line, once written
        self.placed: list[tuple[int, int, int, int]] = []

    def write(self, frame: pd.DataFrame) -> None:
        self.write_piece(self.piece_of(frame, self.parquet_path is not None))

    @staticmethod
    def piece_of(frame: pd.DataFrame, parquet: bool = True) -> tuple:
        """A piece as `write_piece` takes it: (its CSV with the header line, its rows as
        an Arrow table (None: no Parquet file, or no row), the frame's columns and types
        without its rows). Made anywhere: a forked child makes some (pipeline/forked.py)."""
        table = None
        if parquet and len(frame):
            import pyarrow as pa

            table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
        return csv_bytes(frame), table, frame.iloc[0:0]

    def write_piece(self, piece: tuple) -> None:
        """Write a piece `piece_of` made (or `PublishedPieces.piece` gave back)."""
        text, table, empty = piece
        cut = text.index(b"\n") + 1
        if self.header is None:
            self.header = text[:cut]
            self.csv.write(self.header)
        if self.first is None and empty is not None:
            self.first = empty
        start = self.csv.tell()
        self.csv.write(memoryview(text)[cut:])
        rows = table.num_rows if table is not None else 0
        self.placed.append((start, len(text) - cut, self.written, rows))
        self.written += rows
        if table is not None:
            self.pending.append(table)
            self.rows += table.num_rows
            if self.rows >= ROW_GROUP or \
                    sum(t.nbytes for t in self.pending) >= ROW_GROUP_BYTES:
                self._flush()

    def _flush(self) -> None:
        """Hand the pending pieces to the Parquet writer as one row group. Arrow encodes
        and compresses it without the interpreter's lock, in a thread of its own, while
        this one goes on with the next pieces' CSV; one row group is in flight at a
        time, so no more than one more is held."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.pending:
            return
        table = self.pending[0] if len(self.pending) == 1 else pa.concat_tables(self.pending)
        self.pending, self.rows = [], 0
        self._written()  # the row group before it
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.parquet_path, table.schema, compression="zstd")
            self.worker = ThreadPoolExecutor(1, thread_name_prefix="careerfacts-parquet")
        self.in_flight = self.worker.submit(self.writer.write_table, table)

    def _written(self) -> None:
        """Wait for the row group in flight; its error, if it failed, is raised here."""
        if self.in_flight is not None:
            in_flight, self.in_flight = self.in_flight, None
            in_flight.result()

    def close(self, empty: pd.DataFrame | None = None) -> None:
        """Finish both files; `empty` gives the columns of a table no piece was written to."""
        if self.header is None and empty is not None:
            self.write(empty)
        self.csv.close()
        if self.parquet_path is None:
            from pipeline.publish import flushed_soon

            flushed_soon(Path(self.csv.name))  # to be published
            return
        try:
            self._flush()
            self._written()
        finally:
            if self.worker is not None:
                self.worker.shutdown()
        if self.writer is not None:
            self.writer.close()
        else:  # no row at all: the empty table's file, as parquet_bytes writes it
            self.parquet_path.write_bytes(parquet_bytes(self.first if self.first is not None
                                                        else empty))
        from pipeline.publish import flushed_soon

        flushed_soon(Path(self.csv.name), self.parquet_path)  # to be published


class PublishedPieces:
    """The pieces of a table that the last refresh wrote, found again in the files it
    published: a piece whose key is the same (the key hashes everything its rows are
    made of) is copied from there rather than made again — its CSV bytes, checked
    against their sha256, and its rows, read back from the Parquet file, checked whole
    against its sha256. A file changed or removed since costs only time: its pieces are
    made again.

    The index of pieces is kept in the cache (`remember`), as a sealed entry of plain
    values: {"csv": size, "parquet": sha256, "header": bytes, "pieces": {key: (first
    byte, bytes, sha256 of the bytes, first row, rows)}}.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> table = TableFile(folder / "t.csv", folder / "t.parquet")
    >>> table.write(pd.DataFrame({"n": [1, 2]})); table.write(pd.DataFrame({"n": [3]}))
    >>> table.close()
    >>> PublishedPieces.remember(folder / "index", table, ["a", "b"])
    >>> kept = PublishedPieces(folder / "index", folder / "t.csv", folder / "t.parquet")
    >>> text, rows, _ = kept.piece("b")
    >>> text, rows.to_pydict()
    (b'n\\n3\\n', {'n': [3]})
    >>> kept.piece("c") is None
    True
    """

    def __init__(self, index: Path, csv_path: Path, parquet_path: Path):
        """The pieces of the published files at `csv_path` and `parquet_path`, found by
        the index kept for them beside `index` (its name, then the Parquet file's sha256:
        a refresh that failed to publish leaves the index of the files still published)."""
        self.csv_path, self.parquet_path = Path(csv_path), Path(parquet_path)
        self.pieces: dict[str, tuple] = {}
        self.header = b""
        self.parquet_sha = ""  # the published Parquet file's, when an index names it
        self.index: Path | None = None  # the index of the published files
        self._file = None
        self._groups: list[int] = []  # each row group's first row
        self._read: tuple[int, object] | None = None  # the last row group read
        self.checked: dict[str, str] = {}  # key -> sha256 of the pieces given back
        try:
            from pipeline.cache import unsealed

            published = file_sha256(self.parquet_path)
            self.index = _named(index, published)
            entry = unsealed(self.index.read_bytes())
            if self.csv_path.stat().st_size != entry["csv"] or published != entry["parquet"]:
                return  # not the files the index was made of
            self.pieces, self.header = dict(entry["pieces"]), bytes(entry["header"])
            self.parquet_sha = published
        except (OSError, ValueError, TypeError, KeyError):
            self.pieces = {}

    def __contains__(self, key: object) -> bool:
        return key in self.pieces

    def piece(self, key: str) -> tuple | None:
        """The piece of `key` as `TableFile.write_piece` takes it, from the published
        files; None when they do not hold it as it was written (made again then)."""
        import pyarrow.parquet as pq

        found = self.pieces.get(key)
        if found is None:
            return None
        start, size, digest, first, rows = found
        try:
            with open(self.csv_path, "rb") as stream:
                stream.seek(start)
                text = stream.read(size)
            if len(text) != size or hashlib.sha256(text).hexdigest() != digest:
                return None
            if self._file is None:
                self._file = pq.ParquetFile(self.parquet_path)
                meta = self._file.metadata
                self._groups = [0]
                for g in range(meta.num_row_groups):
                    self._groups.append(self._groups[-1] + meta.row_group(g).num_rows)
            table = self._rows(first, rows)
        except OSError:
            return None
        self.checked[key] = digest
        return self.header + text, table, None

    def _rows(self, first: int, rows: int):
        """Rows [first, first + rows) of the Parquet file, as one Arrow table in one chunk
        (as the piece was when it was written: the file's bytes depend on it)."""
        import bisect

        import pyarrow as pa

        tables = []
        at, end = first, first + rows
        while at < end:
            group = bisect.bisect_right(self._groups, at) - 1
            if self._read is None or self._read[0] != group:
                self._read = (group, self._file.read_row_group(group))
            start = self._groups[group]
            take = min(end, self._groups[group + 1]) - at
            tables.append(self._read[1].slice(at - start, take))
            at += take
        table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
        return table.combine_chunks()

    @staticmethod
    def remember(index: Path, table: TableFile, keys: list[str | None],
                 keep: Path | None = None, copied: PublishedPieces | None = None) -> None:
        """Keep the index of the pieces `table` wrote (closed), each under its key (a
        piece without one is not kept), for the next refresh, beside `index` (see
        `__init__`); the other indexes there go, but `keep` (the published files').
        A piece copied from `copied` has the sha256 its bytes were checked against there;
        only the others are read back and hashed."""
        from pipeline.cache import sealed, write_atomically

        pieces = {}
        known = copied.checked if copied is not None else {}
        with open(table.csv.name, "rb") as stream:
            for key, (start, size, first, rows) in zip(keys, table.placed):
                if key is None:
                    continue
                digest = known.get(key)
                if digest is None:
                    stream.seek(start)
                    digest = hashlib.sha256(stream.read(size)).hexdigest()
                pieces[key] = (start, size, digest, first, rows)
        written = file_sha256(Path(table.parquet_path))
        entry = {"csv": Path(table.csv.name).stat().st_size, "parquet": written,
                 "header": table.header or b"", "pieces": pieces}
        path = _named(index, written)
        write_atomically(path, sealed(entry))
        for other in Path(index).parent.glob(f"{Path(index).name}-*"):
            if other not in (path, keep):
                other.unlink(missing_ok=True)


def _named(index: Path, parquet_sha: str) -> Path:
    """The index of the pieces of the Parquet file of this sha256."""
    return Path(index).parent / f"{Path(index).name}-{parquet_sha[:16]}"


class RowSpill:
    """Rows (dicts) kept on disk until they are used, each under a sort key kept in
    memory; `entries()` gives them back in key order. A spill may adopt
    another's rows (a chunk's, rendered on its own: pipeline/outputs.py): they are read
    from its file."""

    def __init__(self, path: Path):
        self.path = path
        self.out = open(path, "wb")
        self.index: list[tuple] = []  # (sort key, offset, length, file number)
        self.files: list[Path] = [path]
        self.ordered = True  # the index is in key order

    def add(self, key, row: dict) -> None:
        data = pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)
        self.index.append((key, self.out.tell(), len(data), 0))
        self.out.write(data)
        self.ordered = False

    def __len__(self) -> int:
        return len(self.index)

    def finish(self) -> None:
        """No more rows: sort the index by key."""
        if not self.out.closed:
            self.out.close()
        if not self.ordered:  # stable: of equal keys, the first added comes first
            self.index.sort(key=lambda entry: entry[0])
            self.ordered = True

    def handed(self) -> tuple[list[Path], list[tuple]]:
        """This spill finished, as `adopt` takes it in another process: (files, index)."""
        self.finish()
        return self.files, self.index

    def adopt(self, handed: tuple[list[Path], list[tuple]]) -> None:
        """Take the rows of a spill `handed` by another process, after this one's own
        (of keys equal to one of these, those added here come first)."""
        files, index = handed
        first = len(self.files)
        self.files.extend(files)
        self.index.extend((key, offset, length, first + n) for key, offset, length, n in index)
        self.ordered = False

    def entries(self, keep=None):
        """(key, row) in key order; only the rows whose key `keep(key)` holds, if given
        (the others are not read)."""
        self.finish()
        opened: dict[int, object] = {}
        try:
            for key, offset, length, n in self.index:
                if keep is not None and not keep(key):
                    continue
                data = opened.get(n)
                if data is None:
                    data = opened[n] = open(self.files[n], "rb")
                data.seek(offset)
                yield key, known_loads(data.read(length))
        finally:
            for data in opened.values():
                data.close()


ENCODED = 1_024
"""Rows a TableSpill turns into CSV text at a time."""


def csv_rows(frame: pd.DataFrame) -> list[bytes]:
    """Each row of `frame` as `csv_bytes` writes it (its line, LF included, or lines: a
    cell may hold a line break), without the header: `csv_bytes(frame)` is the header
    followed by these, joined."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    rows = []
    for cells in zip(*(cell_texts(frame.iloc[:, n]) for n in range(frame.shape[1]))):
        writer.writerow(cells)
        rows.append(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()
    return rows


def csv_header(columns) -> bytes:
    """The header line `csv_bytes` writes for a frame of these columns."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(list(columns))
    return buffer.getvalue().encode("utf-8")


class TableSpill:
    """The rows of a table (dicts) kept on disk already written as CSV (`csv_rows`), each
    under a sort key kept in memory, until the table is written: `pieces()` gives them
    back in key order, a piece at a time, as `TableFile.write_piece` takes them, the
    piece's Arrow values read from its CSV text by Arrow's CSV reader. Writing the table
    then costs no Python work per cell. A spill may adopt another's rows (a chunk's,
    rendered on its own and perhaps kept in the cache: the next refresh writes an
    unchanged chunk's rows as they are).

    `frame_of(rows)` makes the table's frame of a list of rows, with the table's columns
    and their types whatever the rows hold (text never missing, numbers float64 or
    int64): the Parquet values are then the CSV's, read back exactly (a float's text
    is the shortest that reads back as it), and with the schema (pandas' metadata
    included) that Arrow gives such a frame.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> spill = TableSpill(folder / "t", lambda rows: pd.DataFrame(
    ...     rows, columns=["n", "s"]).astype({"n": "int64", "s": "str"}))
    >>> for n in (3, 1, 2):
    ...     spill.add(n, {"n": n, "s": "a, b" if n == 2 else "c"})
    >>> text, rows, _ = next(spill.pieces())
    >>> text, rows.to_pydict()
    (b'n,s\\n1,c\\n2,"a, b"\\n3,c\\n', {'n': [1, 2, 3], 's': ['c', 'a, b', 'c']})
    """

    def __init__(self, path: Path, frame_of):
        self.path = Path(path).with_suffix(".csvrows")
        self.frame_of = frame_of
        self.pending: list[tuple] = []  # (key, row) not yet written
        # (sort key, offset, length, file number, the row if its text holds a bare CR)
        self.index: list[tuple] = []
        self.files: list[Path] = [self.path]
        self._out = None
        self.ordered = True

    def add(self, key, row: dict) -> None:
        self.pending.append((key, row))
        self.ordered = False
        if len(self.pending) >= ENCODED:
            self._encode()

    def __len__(self) -> int:
        return len(self.index) + len(self.pending)

    def _encode(self) -> None:
        """Write the pending rows' CSV text."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        frame = self.frame_of([row for _, row in pending])
        if self._out is None:
            self._out = open(self.path, "wb")
        for (key, row), text in zip(pending, csv_rows(frame)):
            # a carriage return is written bare (as pandas writes it), which a CSV reader
            # takes for a line's end: such a row's values are kept as they are
            self.index.append((key, self._out.tell(), len(text), 0,
                               row if b"\r" in text else None))
            self._out.write(text)

    def finish(self) -> None:
        """No more rows: write the pending ones, close the file, sort the index by key."""
        self._encode()
        if self._out is not None and not self._out.closed:
            self._out.close()
        if not self.ordered:  # stable: of equal keys, the first added comes first
            self.index.sort(key=lambda entry: entry[0])
            self.ordered = True

    def handed(self) -> tuple[list[Path], list[tuple]]:
        """This spill finished, as `adopt` takes it in another process: (files, index)."""
        self.finish()
        return ([self.path], self.index) if self._out is not None else ([], [])

    def adopt(self, handed: tuple[list[Path], list[tuple]]) -> None:
        """Take the rows of a spill `handed` by another process, after this one's own
        (of keys equal to one of these, those added here come first)."""
        self._encode()  # the rows added so far are in the index before these
        files, index = handed
        first = len(self.files)
        self.files.extend(files)
        self.index.extend((key, offset, length, first + n, row)
                          for key, offset, length, n, row in index)
        self.ordered = False

    def pieces(self, size: int = PIECE, max_bytes: int = PIECE_BYTES):
        """The rows in key order, in pieces of at most `size` rows, each ending once its
        CSV text took `max_bytes`: (the header line and the rows' CSV text, their values
        as an Arrow table in one chunk, None), as `TableFile.write_piece` takes them.
        Nothing when no row was added: `TableFile.close` then writes the empty table."""
        self.finish()
        empty = self.frame_of([])
        header = csv_header(empty.columns)
        import pyarrow as pa

        schema = pa.Schema.from_pandas(empty, preserve_index=False)
        piece, held = [], 0
        for entry in self.index:
            piece.append(entry)
            held += entry[2]
            if len(piece) == size or held >= max_bytes:
                yield self._piece(piece, header, schema)
                piece, held = [], 0
        if piece:
            yield self._piece(piece, header, schema)

    def _piece(self, entries: list[tuple], header: bytes, schema) -> tuple:
        """The rows of `entries` (index entries, in the piece's order) read back."""
        texts: list[bytes] = [b""] * len(entries)
        by_file: dict[int, list[int]] = {}
        for at, entry in enumerate(entries):
            by_file.setdefault(entry[3], []).append(at)
        for n, ats in by_file.items():
            with open(self.files[n], "rb") as stream:
                for at in ats:
                    stream.seek(entries[at][1])
                    texts[at] = stream.read(entries[at][2])
        text = header + b"".join(texts)
        kept = [at for at, entry in enumerate(entries) if entry[4] is not None]
        if not kept:
            return text, csv_table(text, schema), None
        import numpy as np
        import pyarrow as pa

        read = [at for at, entry in enumerate(entries) if entry[4] is None]
        tables = [csv_table(header + b"".join(texts[at] for at in read), schema),
                  pa.Table.from_pandas(self.frame_of([entries[at][4] for at in kept]),
                                       schema=schema, preserve_index=False)]
        place = np.empty(len(entries), dtype=np.int64)  # each row's place in the two
        place[np.asarray(read + kept, dtype=np.int64)] = np.arange(len(entries))
        table = pa.concat_tables(tables).take(pa.array(place)).combine_chunks()
        return text, table.replace_schema_metadata(schema.metadata), None


def csv_table(text: bytes, schema):
    """The Arrow table (in one chunk, of `schema`, its metadata included) of CSV `text`
    that `csv_bytes` wrote of a frame of that schema, whose text columns hold no missing
    value: an empty cell is an empty text, or a missing number. ValueError if the text
    is not such a table.

    >>> import pyarrow as pa
    >>> csv_table(b'n,s,v\\n1,"a\\nb",\\n2,,-0\\n', pa.schema(
    ...     [("n", pa.int64()), ("s", pa.large_string()), ("v", pa.float64())])).to_pydict()
    {'n': [1, 2], 's': ['a\\nb', ''], 'v': [None, -0.0]}
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        table = pcsv.read_csv(
            io.BytesIO(text),
            # one block: a row longer than a block (a discrepancy lists every page's
            # figure) cannot be read across two
            read_options=pcsv.ReadOptions(block_size=min(len(text) + 1, 2 ** 31 - 1)),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types={field.name: field.type for field in schema},
                null_values=[""], strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except pa.ArrowInvalid as error:
        raise ValueError(f"not a table of the schema: {error}") from None
    table = table.combine_chunks().replace_schema_metadata(schema.metadata)
    if not table.schema.equals(schema, check_metadata=True):
        raise ValueError(f"columns {table.schema.names} are not {schema.names}")
    return table
