"""The claims of a run, held as a columnar table rather than as objects.

A refresh of 10,000 pages reads about two million claims. As `Claim` objects they take
about 2 KB each (a dataclass instance with 33 attributes and its own strings); in Arrow
record batches, with each text column dictionary-encoded (a page repeats its locators'
prefixes, its quotes, its metric and unit words), about 250 bytes. The run keeps them
here and makes `Claim` objects only for the claims a stage is looking at: one document,
one slice of keys, one source.

    store = ClaimStore()
    store.extend(claims)                  # in the order they were read
    len(store), store[0], store.claims([3, 1, 2])
    store.column("source_id")             # one field of every claim, as a list

Rows keep the order they were added in; a row's number never changes.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import NoneType

import numpy as np
import pyarrow as pa

from extractors.claims import CLAIM_COLUMNS, Claim, claim_values, new_claim

NUMBER_FIELDS = ("value", "low", "high", "precision")
YEAR_FIELDS = ("period_start", "period_end")
TEXT_FIELDS = tuple(n for n in CLAIM_COLUMNS if n not in NUMBER_FIELDS + YEAR_FIELDS)
UNIQUE_TEXT = ("claim_id",)
_FRAME_SCHEMA = pa.schema([(name, pa.float64() if name in NUMBER_FIELDS else
                           pa.int64() if name in YEAR_FIELDS else pa.string())
                          for name in CLAIM_COLUMNS])
"""The claims as pipeline.tables.claims_frame types them (years as Int64)."""
"""Text fields that no two claims share: dictionary encoding would only add indices."""


def _plain_column(name: str, values) -> bool:
    """Whether a column of claims' values has the types `_plain` asks of them (the
    types of a column looked at once, as a set: the values one by one only for years)."""
    types = set(map(type, values))
    if name in NUMBER_FIELDS:
        return types <= {float, NoneType}
    if name in YEAR_FIELDS:
        return types <= {int, NoneType} and all(-32768 <= v <= 32767 for v in values
                                              if v is not None)
    return types <= {str}


def _plain(claim: Claim) -> bool:
    """Whether a claim has the types claims are made with (text, float or None, a year
    or None), which the table keeps exactly; any other (a fuzzed input's) is kept as is."""
    return (all(type(getattr(claim, n)) is str for n in TEXT_FIELDS)
            and all(v is None or type(v) is float
                    for v in (claim.value, claim.low, claim.high, claim.precision))
            and all(v is None or (type(v) is int and -32768 <= v <= 32767)
                    for v in (claim.period_start, claim.period_end)))


_PLAIN_TYPES = {name: pa.float64() if name in NUMBER_FIELDS else
                pa.int16() if name in YEAR_FIELDS else pa.string() for name in CLAIM_COLUMNS}
_PLAIN_SCHEMA = pa.schema([(name, _PLAIN_TYPES[name]) for name in CLAIM_COLUMNS])


def plain_batch(claims: list[Claim]) -> pa.RecordBatch | None:
    """Claims as a record batch of plain columns (float64, int16, text), in the
    order given; None when a claim has other types than claims are made with.

    >>> from extractors.claims import new_claim
    >>> c = new_claim(source_id="s", metric="wage", statistic="median", unit="USD/year",
    ...               figure="$50,250", value=50250.0, quote="q", locator="l", method="m")
    >>> plain_batch([c]).column("value").to_pylist()
    [50250.0]
    """
    by_column = list(zip(*map(claim_values, claims)))
    if not by_column:
        return pa.RecordBatch.from_arrays([pa.array([], t) for t in _PLAIN_SCHEMA.types],
                                          schema=_PLAIN_SCHEMA)
    if not all(_plain_column(name, column) for name, column in zip(CLAIM_COLUMNS, by_column)):
        return None
    return pa.RecordBatch.from_arrays(
        [pa.array(column, _PLAIN_TYPES[name]) for name, column in zip(CLAIM_COLUMNS, by_column)],
        schema=_PLAIN_SCHEMA)


def frame_of_batches(batches: list[pa.RecordBatch]):
    """The claims contract's table (pipeline.tables.claims_frame) of plain batches'
    claims, in order: the frame claims_frame makes of the same claims as objects, from
    the columns (a tenth of its time).

    >>> from extractors.claims import new_claim
    >>> c = new_claim(source_id="s", metric="wage", statistic="median", unit="USD/year",
    ...               figure="$50,250", value=50250.0, period_end=2024, quote="q",
    ...               locator="l", method="m")
    >>> from pipeline.tables import claims_frame
    >>> frame_of_batches([plain_batch([c])]).equals(claims_frame([c]))
    True
    """
    return _as_frame(pa.Table.from_batches(batches, schema=_PLAIN_SCHEMA).cast(_FRAME_SCHEMA))


def _as_frame(table: pa.Table):
    import pandas as pd

    frame = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    for name in TEXT_FIELDS:  # the text dtype claims_frame's columns have
        frame[name] = frame[name].astype(str)
    return frame


def _encoded(name: str, column: pa.Array) -> pa.Array:
    """A plain column as the store keeps it: text dictionary-encoded (indices as narrow
    as its dictionary allows), numbers, years and the unique ids as they are."""
    if name not in TEXT_FIELDS or name in UNIQUE_TEXT:
        return column
    encoded = column.dictionary_encode()
    size = len(encoded.dictionary)
    index = pa.int8() if size <= 127 else pa.int16() if size <= 32767 else pa.int32()
    return pa.DictionaryArray.from_arrays(encoded.indices.cast(index), encoded.dictionary)


class ClaimStore(Sequence):
    """An append-only table of claims (see the module docstring). Numbers are kept as
    float64, years as int16 and text dictionary-encoded; a claim read back is equal to
    the one added, with the same types (one of other types is kept as an object)."""

    BATCH = 131_072
    """Claims per record batch: few enough batches that Arrow's per-array overhead does
    not count, small enough that one being filled costs little. A slice's claims are
    spread over every batch (each page's figures are rows of their own), so a slice is
    taken from each batch in turn: at 10,000 pages, 232 slices from 68 batches of 32,768
    claims were 15,800 takes of 68 columns, and batches four times larger made release
    matching and reconciliation 21 s faster (188 -> 165 s for the refresh from the
    caches) for 0.1 GB more while the documents are read, below the later stages' peak."""

    def __init__(self, claims: Iterable[Claim] = (), spill: Path | None = None):
        self._batches: list[pa.RecordBatch] = []
        self._starts: list[int] = []  # the row number of each batch's first row
        self._pending: list[Claim] = []  # added as objects, after the pieces
        self._pieces: list[pa.RecordBatch] = []  # plain batches not yet sealed
        self._piece_rows = 0  # rows in the pieces and in the claims made pieces
        self._odd: dict[int, Claim] = {}  # row -> a claim of other types, kept as it is
        self._rows = 0
        self._file = None  # with `spill`: the file the sealed batches are written to
        self._maps: list = []  # each spilled batch's memory map
        self._sealing = None  # the batch being sealed (a Future), after `_batches`
        self._lost: BaseException | None = None  # why a batch could not be sealed
        if spill is not None:
            import tempfile

            Path(spill).mkdir(parents=True, exist_ok=True)
            self._file = tempfile.TemporaryFile(prefix="claims-", dir=spill)
        self.extend(claims)

    def extend(self, claims: Iterable[Claim]) -> None:
        for claim in claims:
            self._pending.append(claim)
            if len(self._pending) + self._piece_rows >= self.BATCH:
                self._seal(wait=False)

    def seal(self) -> None:
        """Put the claims added since the last batch into a batch of their own, and wait
        for every batch to be sealed."""
        self._seal()

    def extend_batch(self, batch: pa.RecordBatch) -> None:
        """Add claims already in columns: a batch `plain_batch` made (a document's claims
        read back from the cache of read documents, pipeline/cache.py), in row order
        after every claim added before it."""
        if self._pending:
            self._pieces.append(self._as_piece(self._pending))
            self._pending = []
        if batch.num_rows:
            self._pieces.append(batch)
            self._piece_rows += batch.num_rows
            if self._piece_rows >= self.BATCH:
                self._seal(wait=False)

    def _as_piece(self, claims: list[Claim]) -> pa.RecordBatch:
        """Claims as a plain batch; a claim of other types is kept as it is (`_odd`) and
        a stand-in takes its row."""
        first = self._rows + self._piece_rows
        batch = plain_batch(claims)
        if batch is None:
            stand_in = new_claim(source_id="-", metric="-", statistic="-", unit="-", figure="-",
                                 quote="-", locator="-", method="-")
            kept = []
            for offset, claim in enumerate(claims):
                if _plain(claim):
                    kept.append(claim)
                else:
                    self._odd[first + offset] = claim
                    kept.append(stand_in)
            batch = plain_batch(kept)
        self._piece_rows += len(claims)
        return batch

    def _seal(self, wait: bool = True) -> None:
        """The pieces made one batch. Arrow concatenates and dictionary-encodes it
        mostly without the interpreter's lock, so it is sealed in a thread of its own
        while the caller goes on (`wait` False: the next documents read from the cache);
        one batch is sealed at a time, and a read of the store waits for it (`_ready`)."""
        self._sealed_in_flight()  # first: a failure leaves this batch's pieces as they are
        if self._pending:
            self._pieces.append(self._as_piece(self._pending))
            self._pending = []
        if self._pieces:
            pieces = self._pieces
            self._starts.append(self._rows)
            self._rows += self._piece_rows
            self._pieces, self._piece_rows = [], 0
            if wait:
                self._batches.append(self._sealed(pieces))
            else:
                self._sealing = _sealer().submit(self._sealed, pieces)
        if wait:
            self._sealed_in_flight()

    def _ready(self) -> None:
        """The rows added in columns sealed, to be read (claims added as objects since
        the last batch are read as they are)."""
        if self._pieces:
            self._seal()
        else:
            self._sealed_in_flight()

    def _sealed_in_flight(self) -> None:
        """The batch being sealed added to the batches. If it failed, its error is raised,
        now and by every later use of the store: its rows are lost."""
        if self._sealing is not None:
            sealing, self._sealing = self._sealing, None
            try:
                self._batches.append(sealing.result())
            except BaseException as exc:
                self._lost = exc
                raise
        if self._lost is not None:
            raise RuntimeError("the claim store lost a batch it could not seal") \
                from self._lost

    def _sealed(self, pieces: list[pa.RecordBatch]) -> pa.RecordBatch:
        """Plain pieces as one batch of the store's columns, spilled if the store spills."""
        table = pa.Table.from_batches(pieces).combine_chunks()
        columns = [_encoded(name, table.column(name).chunk(0)) for name in CLAIM_COLUMNS]
        del table
        batch = pa.RecordBatch.from_arrays(columns, names=list(CLAIM_COLUMNS))
        return batch if self._file is None else self._spilled(batch)

    def _spilled(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The batch written to the spill file and read back through a memory map of its
        own (its offset a multiple of the map granularity), so that `_release` can hand
        its pages back to the system's file cache."""
        import mmap

        out = self._file
        out.seek(0, 2)
        pad = -out.tell() % mmap.ALLOCATIONGRANULARITY
        out.write(b"\0" * pad)
        start = out.tell()
        with pa.ipc.new_stream(out, batch.schema) as writer:
            writer.write_batch(batch)
        out.flush()
        mapped = mmap.mmap(out.fileno(), out.tell() - start, offset=start,
                           access=mmap.ACCESS_READ)
        self._maps.append(mapped)
        return pa.ipc.open_stream(pa.py_buffer(mapped)).read_next_batch()

    def _release(self, batch: int) -> None:
        """Drop a spilled batch's pages from this process (they stay in the system's file
        cache and are read back from it when the batch is next used): a refresh of
        10,000 pages reads its two million claims a slice at a time, and holds only the
        slice's."""
        if self._maps:
            import mmap

            self._maps[batch].madvise(mmap.MADV_DONTNEED)

    def __len__(self) -> int:
        return self._rows + self._piece_rows + len(self._pending)

    def move_to(self, path: Path) -> None:
        """Keep the claims in a file at `path` from now on, read through a memory map:
        a refresh's later steps (the analyst's view, the database) no longer hold the
        claims in memory, and anything that still reads one reads it from the file."""
        import mmap

        self._seal()
        if self._file is not None:
            return  # spilled from the start
        spans = []
        with open(path, "wb") as out:
            for batch in self._batches:
                start = out.tell()
                with pa.ipc.new_stream(out, batch.schema) as writer:
                    writer.write_batch(batch)
                spans.append((start, out.tell() - start))
        if not spans:
            return
        with open(path, "rb") as data:
            mapped = pa.py_buffer(mmap.mmap(data.fileno(), 0, access=mmap.ACCESS_READ))
        self._batches = [pa.ipc.open_stream(mapped.slice(start, length)).read_next_batch()
                         for start, length in spans]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.claims(range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.claims([index])[0]

    def __iter__(self) -> Iterator[Claim]:
        self._ready()
        for b, (start, batch) in enumerate(zip(self._starts, self._batches)):
            claims = _claims_of(batch)
            self._release(b)
            for row, claim in enumerate(claims, start):
                yield self._odd.get(row, claim)
        yield from list(self._pending)

    def claims(self, rows: Iterable[int]) -> list[Claim]:
        """The claims of these row numbers, in the order given."""
        self._ready()
        rows = np.asarray(rows if isinstance(rows, np.ndarray) else list(rows), dtype=np.int64)
        out: list = [None] * len(rows)
        if not len(rows):
            return out
        # each row's batch, worked out for all of them at once (-1: not sealed yet)
        batch_of = np.searchsorted(np.asarray(self._starts, dtype=np.int64), rows,
                                   side="right") - 1
        batch_of[rows >= self._rows] = -1
        order = np.argsort(batch_of, kind="stable")
        for group in np.split(order, np.flatnonzero(np.diff(batch_of[order])) + 1):
            b = int(batch_of[group[0]])
            wanted = rows[group]
            if b < 0:
                claims = [self._pending[r - self._rows] for r in wanted.tolist()]
            else:
                taken = self._batches[b].take(pa.array(wanted - self._starts[b]))
                claims = _claims_of(taken)
                del taken
                self._release(b)
            for position, claim in zip(group.tolist(), claims):
                out[position] = claim
        if self._odd:
            for position, row in enumerate(rows.tolist()):
                if row in self._odd:
                    out[position] = self._odd[row]
        return out

    def column(self, name: str) -> list:
        """One field of every claim, in row order."""
        self._ready()
        out: list = []
        for b, batch in enumerate(self._batches):
            out.extend(_values(batch.column(name)))
            self._release(b)
        for row, claim in self._odd.items():
            out[row] = getattr(claim, name)
        out.extend(getattr(c, name) for c in self._pending)
        return out

    def column_of(self, rows: Sequence[int], name: str) -> list:
        """One field of the claims of these rows (ascending: a list or a numpy array of
        row numbers), in their order."""
        self._ready()
        rows = np.asarray(rows, dtype=np.int64)
        out: list = []
        at = 0
        for b, (start, batch) in enumerate(zip(self._starts, self._batches)):
            end = start + batch.num_rows
            stop = int(np.searchsorted(rows, end, side="left"))
            if stop > at:
                chosen = rows[at:stop] - start
                column = batch.column(name)
                if stop - at == batch.num_rows:
                    out.extend(_values(column))
                else:
                    out.extend(_values(column.take(pa.array(chosen))))
                del column
                self._release(b)
                at = stop
        out.extend(getattr(self._pending[r - self._rows], name) for r in rows[at:].tolist())
        if self._odd:
            for i, row in enumerate(rows.tolist()):
                if row in self._odd:
                    out[i] = getattr(self._odd[row], name)
        return out

    def codes_of(self, rows: Sequence[int], name: str) -> tuple[np.ndarray, list]:
        """One field of the claims of these rows (ascending) as numbers into a list of
        values: `values[codes[i]]` is row i's. Text is numbered through each batch's
        dictionary, so a question about each row's source or occupation is asked once
        per distinct value, not two million times (`values` may hold values no row has).

        >>> from extractors.claims import new_claim
        >>> store = ClaimStore([new_claim(source_id=s, metric="wage", statistic="median",
        ...     unit="USD/year", figure="$1", quote="q", locator="l", method="m")
        ...     for s in ("a", "b", "a")])
        >>> codes, values = store.codes_of([0, 1, 2], "source_id")
        >>> [values[c] for c in codes.tolist()]
        ['a', 'b', 'a']
        """
        self._ready()
        rows = np.asarray(rows, dtype=np.int64)
        codes = np.empty(len(rows), dtype=np.int64)
        number: dict = {}

        def numbered(values) -> np.ndarray:
            return np.fromiter((number.setdefault(v, len(number)) for v in values),
                               dtype=np.int64, count=len(values))

        at = 0
        for b, (start, batch) in enumerate(zip(self._starts, self._batches)):
            stop = int(np.searchsorted(rows, start + batch.num_rows, side="left"))
            if stop > at:
                column = batch.column(name)
                chosen = rows[at:stop] - start
                if pa.types.is_dictionary(column.type) and not column.null_count:
                    words = numbered(column.dictionary.to_pylist())
                    codes[at:stop] = words[column.indices.to_numpy(zero_copy_only=False)[chosen]]
                else:
                    codes[at:stop] = numbered(_values(column.take(pa.array(chosen))))
                del column
                self._release(b)
                at = stop
        if at < len(rows):
            codes[at:] = numbered([getattr(self._pending[r - self._rows], name)
                                   for r in rows[at:].tolist()])
        if self._odd:
            for i, row in enumerate(rows.tolist()):
                if row in self._odd:
                    codes[i] = numbered([getattr(self._odd[row], name)])[0]
        return codes, list(number)

    def rows_where(self, rows: Sequence[int], name: str, test) -> np.ndarray:
        """Which of these rows (ascending) pass `test` of one field, as a boolean array:
        asked once per distinct value (a page's source id, an occupation), not per row.

        >>> from extractors.claims import new_claim
        >>> store = ClaimStore([new_claim(source_id=s, metric="wage", statistic="median",
        ...     unit="USD/year", figure="$1", quote="q", locator="l", method="m")
        ...     for s in ("a", "b", "a")])
        >>> store.rows_where([0, 1, 2], "source_id", {"a"}.__contains__).tolist()
        [True, False, True]
        """
        codes, values = self.codes_of(rows, name)
        return np.array([bool(test(v)) for v in values], dtype=bool)[codes] if values \
            else np.zeros(len(codes), dtype=bool)

    def values_present(self, rows: Sequence[int], name: str) -> set:
        """The distinct values one field takes in these rows (ascending): which
        occupations, which sources.

        >>> from extractors.claims import new_claim
        >>> store = ClaimStore([new_claim(source_id=s, metric="wage", statistic="median",
        ...     unit="USD/year", figure="$1", quote="q", locator="l", method="m")
        ...     for s in ("a", "b", "a")])
        >>> sorted(store.values_present([0, 2], "source_id"))
        ['a']
        """
        codes, values = self.codes_of(rows, name)
        return {values[c] for c in np.unique(codes).tolist()}

    def factorized(self, rows: Sequence[int], name: str) -> tuple[np.ndarray, np.ndarray]:
        """`pandas.factorize` of one field of these rows (ascending): each row's value
        as a number, numbered in the order the values first appear, and the values in
        that order (an object array); from `codes_of`, without the field as a list.

        >>> from extractors.claims import new_claim
        >>> store = ClaimStore([new_claim(source_id=s, metric="wage", statistic="median",
        ...     unit="USD/year", figure="$1", quote="q", locator="l", method="m")
        ...     for s in ("b", "a", "b")])
        >>> codes, values = store.factorized([0, 1, 2], "source_id")
        >>> codes.tolist(), values.tolist()
        ([0, 1, 0], ['b', 'a'])
        """
        codes, values = self.codes_of(rows, name)
        if not all(type(v) is str for v in values):  # None, NaN, numbers: pandas' own rules
            import pandas as pd

            return pd.factorize(np.asarray(self.column_of(rows, name), dtype=object))
        present, first = np.unique(codes, return_index=True)
        order = present[np.argsort(first, kind="stable")]
        renumber = np.empty(len(values), dtype=np.int64)
        renumber[order] = np.arange(len(order), dtype=np.int64)
        uniques = np.empty(len(order), dtype=object)
        uniques[:] = [values[c] for c in order.tolist()]
        return renumber[codes] if len(codes) else codes, uniques

    def frame(self, rows: Sequence[int]):
        """The claims contract's table (pipeline.tables.claims_frame) of these rows, in
        the order given, made from the columns rather than from claims as objects; None
        when one of the rows holds a claim of other types (`_odd`): read it as claims.

        >>> from extractors.claims import new_claim
        >>> store = ClaimStore([new_claim(source_id="s", metric="wage", statistic="median",
        ...     unit="USD/year", figure="$50,250", value=50250.0, period="2024",
        ...     period_start=2024, period_end=2024, quote="q", locator="l", method="m")])
        >>> store.frame([0])[["source_id", "value", "period_start"]].to_dict("records")
        [{'source_id': 's', 'value': 50250.0, 'period_start': 2024}]
        """
        self._seal()
        rows = np.asarray(rows, dtype=np.int64)
        if self._odd and any(r in self._odd for r in rows.tolist()):
            return None
        order = np.argsort(rows, kind="stable")
        ascending = rows[order]
        pieces = []
        at = 0
        for b, (start, batch) in enumerate(zip(self._starts, self._batches)):
            stop = int(np.searchsorted(ascending, start + batch.num_rows, side="left"))
            if stop > at:
                taken = batch.take(pa.array(ascending[at:stop] - start))
                pieces.append(pa.Table.from_batches([taken]).cast(_FRAME_SCHEMA))
                self._release(b)
                at = stop
        table = pa.concat_tables(pieces) if pieces else _FRAME_SCHEMA.empty_table()
        if len(rows) > 1:  # back to the order given
            table = table.take(pa.array(np.argsort(order, kind="stable")))
        return _as_frame(table)

    def nbytes(self) -> int:
        """The memory the sealed batches take (the claims being batched aside)."""
        return sum(b.nbytes for b in self._batches)


class _Sealer(ThreadPoolExecutor):
    """The one thread the stores of a process seal their batches in; the batches it has
    in flight are known, so that a fork waits for them (`_sealed_before_fork`)."""

    def submit(self, fn, /, *args, **kwargs):
        sealing = super().submit(fn, *args, **kwargs)
        _IN_FLIGHT.add(sealing)
        sealing.add_done_callback(_IN_FLIGHT.discard)
        return sealing


_SEALER: tuple[int, _Sealer | None] = (0, None)  # (the process it belongs to, the sealer)
_IN_FLIGHT: set = set()  # the batches being sealed in this process (Futures)


def _sealer() -> _Sealer:
    """This process's sealer (a forked child has its parent's executor but not its
    thread: it makes its own)."""
    global _SEALER
    if _SEALER[0] != os.getpid():
        _SEALER = (os.getpid(), _Sealer(1, thread_name_prefix="careerfacts-store"))
    return _SEALER[1]


def _sealed_before_fork() -> None:
    """Wait for the batches being sealed before this process forks (a pool of workers
    made again while documents are read): a child copies only the forking thread, and
    with it any lock Arrow's sealing held."""
    for sealing in list(_IN_FLIGHT):
        sealing.exception()  # waited for; its error is the store's to raise


os.register_at_fork(before=_sealed_before_fork)


def _claims_of(batch: pa.RecordBatch) -> list[Claim]:
    return [claim_of(values)
            for values in zip(*(_values(batch.column(n)) for n in CLAIM_COLUMNS))]


def claim_of(values) -> Claim:
    """A Claim of its field values in CLAIM_COLUMNS order, made without running the
    dataclass's __init__ (a third of the time; a Claim does nothing more in it)."""
    claim = object.__new__(Claim)
    claim.__dict__.update(zip(CLAIM_COLUMNS, values))
    return claim


def with_fields(claim: Claim, **changes) -> Claim:
    """`dataclasses.replace(claim, **changes)` for fields of a Claim, in a fifth of the
    time: reconciliation copies hundreds of thousands of claims with a period or a
    release filled in."""
    copy = object.__new__(Claim)
    copy.__dict__.update(claim.__dict__)
    copy.__dict__.update(changes)
    return copy


def _values(column: pa.Array) -> list:
    """A column as Python values. Arrow's own to_pylist takes twenty times longer on a
    dictionary column than on plain text: one is decoded through its dictionary, or,
    when it holds fewer values than its dictionary (rows taken from a batch), cast to
    plain text first."""
    if pa.types.is_dictionary(column.type):
        if len(column) < len(column.dictionary):
            return column.cast(pa.string()).to_pylist()
        if not column.null_count:
            words = column.dictionary.to_pylist()
            return [words[i] for i in column.indices.to_pylist()]
    return column.to_pylist()
