"""The cyclic garbage collector is paused while a document is read (extractors.read) and
left as it was found, whatever becomes of the reading."""
from __future__ import annotations

import gc

import pytest

from extractors import read
from extractors.document import Document, DocumentError, document_from_bytes

PAGE = b"<html><body><p>Median annual wage: $50,250 in May 2024.</p></body></html>"


@pytest.fixture
def collector():
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_collector_as_it_was(collector, enabled):
    (gc.enable if enabled else gc.disable)()
    seen = []
    doc = document_from_bytes(PAGE, source_id="demo", path="demo.html", format="html")
    reading = read(doc)
    seen.append(gc.isenabled())
    assert [c.value for c in reading.claims] == [50250.0]
    assert seen == [enabled]


def test_the_collector_is_paused_during_a_reading_and_back_after_a_failure(collector,
                                                                           monkeypatch):
    import extractors

    during = []

    def failing(doc):
        during.append(gc.isenabled())
        raise DocumentError("document-unreadable", "broken")

    monkeypatch.setitem(extractors.READERS, "html", failing)
    gc.enable()
    doc = Document(source_id="demo", path="demo.html", format="html", text="<p>x</p>",
                   encoding="utf-8")
    with pytest.raises(DocumentError):
        read(doc)
    assert during == [False] and gc.isenabled()
