"""Every claim the extractors read from the test corpora passes the claims schema: a page's
figures are never quarantined because the reader and the schema disagree on a shape."""
from pathlib import Path

import pytest

from extractors import extract
from extractors.document import document_from_bytes, sniff_format
from pipeline.refresh import validated_claims

ROOT = Path(__file__).resolve().parent
CORPORA = ["real-layouts", "holdout", "holdout-2", "holdout-3", "holdout-4", "unseen"]


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_claim_of_a_corpus_is_valid(corpus):
    claims = []
    for page in sorted((ROOT / "corpus" / corpus).glob("*.*")):
        if page.suffix in (".md", ".csv"):
            continue  # the corpus's notes and its expected claims
        data = page.read_bytes()
        claims += extract(document_from_bytes(data, source_id=page.stem.lower()[:40],
                                              path=page.name,
                                              format=sniff_format(data, page.name)))
    _, bad, problems = validated_claims(claims)
    assert [p.detail for p in problems] == []
