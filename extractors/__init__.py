"""Extractors: document bytes in, claims out. Pure: no network, no writes, no validation.

`READERS` maps a format to its reader; `read(doc)` gives the document's claims and a note
for every figure on it (what became of it); `extract(doc)` gives the claims alone.

>>> from extractors.document import document_from_bytes
>>> doc = document_from_bytes(b"Median annual salary: $47,180", source_id="demo", path="demo.txt")
>>> [(c.metric, c.statistic, c.value) for c in extract(doc)]
[('wage', 'median', 47180.0)]
>>> [(n.figure, n.read) for n in read(doc).notes]
[('$47,180', True)]
"""
from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import contextmanager

from extractors.claims import Claim, Reading
from extractors.document import Document, DocumentError
from extractors.html import read_html
from extractors.pdf import read_pdf
from extractors.table import extract_table
from extractors.text import read_text


def read_table(doc: Document) -> Reading:
    """A table of figures read: every row is read by its columns, so there are no notes."""
    return Reading(extract_table(doc), [])


READERS: dict[str, Callable[[Document], Reading]] = {
    "text": read_text,
    "html": read_html,
    "pdf": read_pdf,
    "csv": read_table,
    "xlsx": read_table,
}

EXTRACTORS: dict[str, Callable[[Document], list[Claim]]] = {
    fmt: (lambda doc, reader=reader: reader(doc).claims) for fmt, reader in READERS.items()
}
"""The claims alone, by format."""


def reading_text(doc: Document) -> str:
    """The text an extractor reads, which every quote comes from: a text page as decoded,
    an HTML page or a PDF as rendered to lines, a table's rows."""
    if doc.format == "html":
        from extractors.html import rendered_text
        return rendered_text(doc)
    if doc.format == "pdf":
        from extractors.pdf import render
        return render(doc.data)[0]
    if doc.format == "xlsx":
        from extractors.table import rows_text
        return rows_text(doc)
    from extractors.text import unwrapped
    return unwrapped(doc.text)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while one document is read.

    Reading a page allocates some hundred thousand short-lived objects (figures, lines,
    matches, claims) and makes almost no reference cycles, so the collector's passes free
    nothing refcounting does not, yet they cost a tenth of the reading as they walk every
    object alive (the readers' caches among them). Cycles made meanwhile are collected
    once the collector runs again. It is switched back on only if it was on: a caller
    that turned it off keeps it off; two threads reading at once leave it as they found
    it once both are done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read(doc: Document) -> Reading:
    """The claims of one document and what became of each of its figures.

    Raises DocumentError for a document that cannot be read, including one nested more
    deeply than the readers follow (thousands of levels of HTML elements: no page a
    person reads, but a hostile one)."""
    try:
        reader = READERS[doc.format]
    except KeyError:
        raise DocumentError("format-unsupported", doc.format) from None
    try:
        with _collector_paused():
            return reader(doc)
    except RecursionError:
        raise DocumentError("document-unreadable",
                            f"the {doc.format} document is nested more deeply than careerfacts "
                            "reads (elements inside elements, past Python's recursion "
                            "limit)") from None


def extract(doc: Document) -> list[Claim]:
    """The claims of one document, by the reader registered for its format."""
    return read(doc).claims
