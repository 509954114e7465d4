"""Extractors: document bytes in, claims out. Pure: no network, no writes, no validation.

`EXTRACTORS` maps a format to its function; `extract(doc)` dispatches on `doc.format`.

>>> from extractors.document import document_from_bytes
>>> doc = document_from_bytes(b"Median annual salary: $47,180", source_id="demo", path="demo.txt")
>>> [(c.metric, c.statistic, c.value) for c in extract(doc)]
[('wage', 'median', 47180.0)]
"""
from __future__ import annotations

from collections.abc import Callable

from extractors.claims import Claim
from extractors.document import Document, DocumentError
from extractors.html import extract_html
from extractors.pdf import extract_pdf
from extractors.table import extract_table
from extractors.text import extract_text

EXTRACTORS: dict[str, Callable[[Document], list[Claim]]] = {
    "text": extract_text,
    "html": extract_html,
    "pdf": extract_pdf,
    "csv": extract_table,
    "xlsx": extract_table,
}


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
    return doc.text


def extract(doc: Document) -> list[Claim]:
    """The claims of one document, by the extractor registered for its format.

    Raises DocumentError for a document that cannot be read, including one nested more
    deeply than the extractors follow (thousands of levels of HTML elements: no page a
    person reads, but a hostile one)."""
    try:
        extractor = EXTRACTORS[doc.format]
    except KeyError:
        raise DocumentError("format-unsupported", doc.format) from None
    try:
        return extractor(doc)
    except RecursionError:
        raise DocumentError("document-unreadable",
                            f"the {doc.format} document is nested more deeply than careerfacts "
                            "reads (elements inside elements, past Python's recursion "
                            "limit)") from None
