"""Bad input at scale: generated and mutated documents and registries never crash or hang
careerfacts, and one bad source costs nothing of the others.

Every generated input must end in claims or in a catalogued problem: a DocumentError of
the catalogue, `document-no-figures`. A crash is any other exception (`extractor-failed`
in a refresh); a hang is a document that runs into the time limit. Hostile documents
made on purpose (0 bytes, 50 MB, 100,000 levels of nesting, zip bombs, PDFs with broken
cross-reference tables) are checked one by one; the 50 MB pages may meet the time
limit, which is then the problem the refresh reports.

Each target generates a fixed number of inputs (QUOTAS, at least 1,000 in all); under CI
(the CI environment variable) hypothesis' `ci` profile derandomises them, so a run is
reproducible, and a developer's runs keep exploring. The counts are printed at the end of
the session.
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from collections import Counter

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.claims import Claim
from extractors.document import DocumentError, document_from_bytes
from pipeline.refresh import default_cache_dir, document_claims, run_of
from pipeline.registry import Capture, RegistryError, Source, load_registry
from schemas.problems import CATALOGUE
from tests.conftest import REPO, SEED_PROJECT, SWALLOWED_ALARM

pytestmark = pytest.mark.fuzz

QUOTAS = {"text": 250, "html": 250, "pdf": 120, "xlsx": 100, "csv": 120, "registry": 200,
          "refresh": 12}
"""Inputs generated per target in one run."""
COUNTS: Counter = Counter()
"""Inputs run per target (read by the session summary in conftest.py)."""
OUTCOMES: Counter = Counter()
HANG = 10.0
"""Seconds a generated document may take: far more than any takes (tens of ms); past
it, the time limit stops it and the test calls it a hang."""

FUZZ = settings(deadline=None, database=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])


def seeds(pattern: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(REPO.glob(pattern))]


HTML_SEEDS = seeds("tests/renditions/*/*.html") + seeds("tests/golden/*/input.html")
PDF_SEEDS = seeds("tests/renditions/*/*.pdf")
TEXT_SEEDS = seeds("tests/fixtures/seed-project/raw/0*.txt") + seeds("tests/golden/*/input.txt")
CSV_SEEDS = seeds("tests/fixtures/seed-project/raw/*.csv")
XLSX_SEEDS = seeds("tests/renditions/reference.xlsx")


# --- the oracle --------------------------------------------------------------------------

def survives(data: bytes, fmt: str, limit: float = HANG, may_time_out: bool = False) -> str:
    """What careerfacts makes of a document: "claims" or a problem code. Fails the test
    on a crash (an exception that is not a catalogued DocumentError, or a defect the
    refresh would report as extractor-failed) and on a hang (the time limit)."""
    try:
        doc = document_from_bytes(data, source_id="fuzzed", path="raw/fuzzed", format=fmt)
    except DocumentError as exc:
        assert exc.code in CATALOGUE, exc.code
        OUTCOMES[(fmt, exc.code)] += 1
        return exc.code
    claims, problems, trace = document_claims(doc, limit)
    assert not trace, f"crash: the extractor failed on this {fmt} document\n{trace}"
    codes = [p.code for p in problems]
    assert "extractor-failed" not in codes
    if not may_time_out:
        assert "document-time-limit" not in codes, f"hang: {fmt} document past {limit} s"
    assert all(p.code in CATALOGUE and p.source_id == "fuzzed" for p in problems)
    assert all(isinstance(c, Claim) and re.fullmatch(r"c-[0-9a-f]{16}", c.claim_id)
               and c.source_id == "fuzzed" for c in claims)
    outcome = codes[0] if codes else "claims"
    OUTCOMES[(fmt, outcome)] += 1
    return outcome


def fuzz(target: str, strategy, check) -> None:
    """Run `check` on QUOTAS[target] inputs drawn from `strategy`, and count them."""
    ran = []

    @settings(FUZZ, max_examples=QUOTAS[target])
    @given(strategy)
    def run(example):
        ran.append(1)
        check(example)

    run()
    COUNTS[target] += len(ran)
    assert len(ran) >= QUOTAS[target]


# --- strategies ----------------------------------------------------------------------------

@st.composite
def mutated(draw, corpus: list[bytes]) -> bytes:
    """A seed document with a few byte-level mutations: flips, deletions, insertions of
    random or copied bytes, truncation, reversal."""
    data = bytearray(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            data += b"<"
        i = draw(st.integers(0, len(data) - 1))
        j = min(len(data), i + draw(st.integers(1, 256)))
        op = draw(st.sampled_from(["flip", "delete", "copy", "insert", "truncate", "reverse"]))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[i:j]
        elif op == "copy":
            k = draw(st.integers(0, len(data) - 1))
            data[i:i] = data[k:k + draw(st.integers(1, 512))]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=32))
        elif op == "truncate":
            del data[i:]
        else:
            data[i:j] = data[i:j][::-1]
    return bytes(data)


MONEY = st.builds(lambda n, cents, k: f"${n:,}" + (f".{cents:02d}" if cents is not None else "")
                  + ("K" if k else ""),
                  st.integers(0, 3_000_000), st.none() | st.integers(0, 99), st.booleans())
FIGURE = st.one_of(
    MONEY,
    st.builds(lambda a, b: f"{a} - {b}", MONEY, MONEY),
    st.builds(lambda p: f"{p}%", st.floats(-200, 2000, allow_nan=False).map(lambda x: round(x, 1))),
    st.builds(lambda a, b: f"{a}–{b}", st.integers(1800, 2200), st.integers(1800, 2200)),
    st.sampled_from(["Bachelor's degree", "Postsecondary nondegree award", "None", "1-2 years",
                     "License or certification required", "$", "%", "—", "N/A", "*", "#"]),
)
LABEL = st.sampled_from([
    "Median Pay", "2024 Median Pay", "Median annual wage", "Job Growth (2023–2033)",
    "Entry (10th %ile)", "Expert (90th %ile)", "Salary", "Hourly", "Employment, 2023",
    "Typical Education", "Job Outlook, 2024-34", "Updated 2026-01-09", "Top Industries:",
    "Pay in Texas", "Senior Level", "Location Job Level Salary Unionized", "Range",
])
NOISE = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
LINE = st.one_of(
    st.builds(lambda label, sep, figure: f"{label}{sep}{figure}", LABEL,
              st.sampled_from([": ", "\t", " - ", "\n", " ", "|"]), FIGURE),
    st.builds(lambda a, figure, b: f"{a} earned {figure} in {b}", NOISE, FIGURE,
              st.integers(1800, 2200)),
    NOISE, LABEL, FIGURE,
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252",
                             "latin-1", "shift_jis", "koi8-r", "mac-roman", "gb18030"])
NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x0c"])


@st.composite
def career_text(draw) -> bytes:
    """A page of career-like lines in some encoding, with or without its byte-order mark."""
    lines = draw(st.lists(LINE, max_size=30))
    text = draw(NEWLINES).join(lines)
    return text.encode(draw(ENCODINGS), errors=draw(st.sampled_from(["ignore", "replace"])))


TAGS = ["div", "p", "span", "table", "tr", "td", "th", "dl", "dt", "dd", "ul", "li", "h1", "h2",
        "h3", "section", "main", "nav", "footer", "script", "style", "svg", "template", "b",
        "br", "time", "a", "sup"]
ATTRIBUTES = st.sampled_from(["", ' class="quick-facts"', ' class="cookie-banner"',
                              ' style="display:none"', " hidden", ' id="facts"',
                              ' datetime="2026-01-09"', ' colspan="3"', ' rowspan="0"',
                              ' colspan="-1"', ' role="navigation"', ' class="nav"'])


def _element(draw_children):
    return st.builds(lambda tag, attrs, children, closed: f"<{tag}{attrs}>" + "".join(children)
                     + (f"</{tag}>" if closed else ""),
                     st.sampled_from(TAGS), ATTRIBUTES, draw_children, st.booleans())


HTML_BODY = st.recursive(LINE.map(lambda s: s.replace("<", "&lt;")),
                         lambda inner: _element(st.lists(inner, max_size=5)), max_leaves=40)
CHARSETS = st.sampled_from(["", "utf-8", "windows-1252", "iso-8859-1", "utf-16", "rot13",
                            "base64", "utf-7", "x-unknown", "undefined", "cp037", "shift_jis",
                            "punycode", "idna"])


@st.composite
def tag_soup(draw) -> bytes:
    """An HTML page of nested elements (closed or not) around career-like lines, with a
    declared charset that may be a lie or no text encoding at all."""
    charset = draw(CHARSETS)
    head = f'<meta charset="{charset}">' if charset else ""
    body = "".join(draw(st.lists(HTML_BODY, max_size=8)))
    page = f"<!doctype html><html><head>{head}<title>Pay</title></head><body>{body}</body></html>"
    return page.encode(draw(ENCODINGS), errors="replace")


@st.composite
def broken_xref(draw) -> bytes:
    """A seed PDF whose cross-reference table or trailer is damaged: offsets rewritten,
    `startxref` pointing elsewhere or gone, the table cut, a /Prev that loops."""
    data = draw(st.sampled_from(PDF_SEEDS))
    how = draw(st.sampled_from(["offsets", "startxref", "no-startxref", "cut-table",
                                "prev-loop", "no-trailer"]))
    if how == "offsets":
        return re.sub(rb"\d{10} \d{5} n", lambda m: b"%010d 00000 n" % draw(
            st.integers(0, 10 ** 10 - 1)), data)
    if how == "startxref":
        return re.sub(rb"startxref\s+\d+", b"startxref\n%d" % draw(st.integers(0, 10 ** 9)), data)
    if how == "no-startxref":
        return re.sub(rb"startxref\s+\d+", b"", data)
    if how == "cut-table":
        at = data.rfind(b"xref")
        return data[:at + draw(st.integers(0, 200))] + data[data.rfind(b"trailer"):]
    if how == "prev-loop":
        at = data.rfind(b"xref")
        return data.replace(b"trailer\n<<", b"trailer\n<< /Prev %d" % at, 1)
    return data[:data.rfind(b"trailer")]


@st.composite
def workbook(draw) -> bytes:
    """The reference workbook with its XML members mutated, dropped or renamed, re-zipped."""
    source = zipfile.ZipFile(io.BytesIO(draw(st.sampled_from(XLSX_SEEDS))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            fate = draw(st.sampled_from(["keep", "keep", "mutate", "drop", "rename"]))
            if fate == "drop":
                continue
            if fate == "mutate":
                content = draw(mutated([content]))
            name = info.filename + ("x" if fate == "rename" else "")
            target.writestr(name, content)
    return out.getvalue()


CELL = st.one_of(FIGURE, NOISE, st.sampled_from(["29-2072", "wage", "median", "USD/year",
                                                 "2024", "OEWS", "official", '"', "\x00", ""]))


@st.composite
def csv_table(draw) -> bytes:
    """A table with the official table's header and rows of arbitrary cells."""
    header = "soc,title,metric,statistic,unit,value,period,program,status,source,note"
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=13), max_size=20))
    body = "\n".join(",".join(cells) for cells in rows)
    return (draw(st.sampled_from([header, header.upper(), "value", ""])) + "\n" + body).encode(
        draw(ENCODINGS), errors="replace")


# --- generated documents -------------------------------------------------------------------

def test_text_pages_never_crash_or_hang():
    fuzz("text", st.one_of(career_text(), mutated(TEXT_SEEDS), st.binary(max_size=2048)),
         lambda data: survives(data, "text"))


def test_html_pages_never_crash_or_hang():
    fuzz("html", st.one_of(tag_soup(), mutated(HTML_SEEDS)), lambda data: survives(data, "html"))


def test_pdfs_never_crash_or_hang():
    fuzz("pdf", st.one_of(broken_xref(), mutated(PDF_SEEDS)), lambda data: survives(data, "pdf"))


def test_workbooks_never_crash_or_hang():
    fuzz("xlsx", st.one_of(workbook(), mutated(XLSX_SEEDS)), lambda data: survives(data, "xlsx"))


def test_csv_tables_never_crash_or_hang():
    fuzz("csv", st.one_of(csv_table(), mutated(CSV_SEEDS)), lambda data: survives(data, "csv"))


# --- registries ----------------------------------------------------------------------------

KEYS = st.sampled_from(["id", "path", "sha256", "retrieved", "title", "authority", "format",
                        "occupation", "publisher", "url", "notes", "colour", ""])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(
                        ["seed-000", "page.txt", "../outside.txt", "/etc/passwd", "a\x00b",
                         "primary", "secondary", "2026-02-30", "2026-01-09", "29-2072",
                         "text", "pdf", "exe", "0" * 64, "raw/page.txt", ".", ""]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
ENTRY = st.one_of(st.dictionaries(KEYS, VALUES, max_size=12), VALUES)
REGISTRY = st.one_of(
    st.builds(lambda entries: {"sources": entries}, st.lists(ENTRY, max_size=6)),
    VALUES,
)


def test_registries_never_crash_and_every_entry_is_loaded_or_reported(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_bytes(b"2024 Median Pay: $50,250 per year\n")
    registry = raw / "sources.yaml"

    def check(document) -> None:
        if isinstance(document, bytes):
            registry.write_bytes(document)
        else:
            registry.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        try:
            captures, problems = load_registry(registry)
        except RegistryError as exc:
            assert exc.problem.code in CATALOGUE and "\n" not in str(exc)
            return
        assert all(p.code in CATALOGUE for p in problems)
        if isinstance(document, dict):  # nothing silently dropped: loaded or reported
            assert len(captures) + len(problems) == len(document["sources"])

    fuzz("registry", st.one_of(REGISTRY, st.binary(max_size=300)), check)


# --- a refresh with fuzzed sources among good ones ----------------------------------------------

@pytest.fixture(scope="module")
def seed_captures():
    captures, problems = load_registry(SEED_PROJECT / "raw" / "sources.yaml")
    assert problems == []
    # the seed pages alone: the official files are no page, and reading their tables
    # into every refresh would cost seconds per example
    captures = [c for c in captures if not c.source.dataset]
    cache = default_cache_dir(SEED_PROJECT)  # the session's cache (conftest.py)
    baseline = run_of(captures, cache_dir=cache, time_limit=HANG)
    return captures, {c.claim_id for c in baseline.claims}, cache


FUZZED = st.one_of(
    st.tuples(st.just("text"), career_text() | mutated(TEXT_SEEDS)),
    st.tuples(st.just("html"), tag_soup() | mutated(HTML_SEEDS)),
    st.tuples(st.just("pdf"), broken_xref() | mutated(PDF_SEEDS)),
    st.tuples(st.just("xlsx"), workbook()),
    st.tuples(st.just("csv"), csv_table()),
)


def test_fuzzed_sources_cost_nothing_of_the_good_ones(seed_captures):
    import hashlib
    captures, baseline, cache = seed_captures

    def check(documents) -> None:
        fuzzed = [Capture(Source(id=f"fuzzed-{n}", path=f"raw/fuzzed-{n}", format=fmt,
                                 sha256=hashlib.sha256(data).hexdigest(),
                                 retrieved="2026-03-02", title="Fuzzed", authority="secondary",
                                 occupation="29-2072"), data)
                  for n, (fmt, data) in enumerate(documents)]
        run = run_of(captures + fuzzed, cache_dir=cache, time_limit=HANG)
        codes = [p.code for p in run.problems]
        assert "extractor-failed" not in codes and "document-time-limit" not in codes
        good = {c.claim_id for c in run.claims if not c.source_id.startswith("fuzzed-")}
        assert good == baseline
        for capture in fuzzed:  # each fuzzed source yields claims or says why not
            source = capture.source.id
            assert any(c.source_id == source for c in run.claims) or any(
                p.source_id == source for p in run.problems), source
        assert len(run.valid) + len(run.quarantined) == len(run.claims)

    fuzz("refresh", st.lists(FUZZED, min_size=1, max_size=3), check)


def test_the_quotas_add_up_to_a_thousand_inputs():
    assert sum(QUOTAS.values()) >= 1000


# --- hostile documents made on purpose ---------------------------------------------------------

def fifty_megabytes(line: bytes) -> bytes:
    return line * (50_000_000 // len(line))


def nested(depth: int, tag: bytes = b"div") -> bytes:
    return (b"<html><body>" + b"<%s>" % tag * depth + b"<p>Median pay: $50,250</p>"
            + b"</%s>" % tag * depth + b"</body></html>")


def zip_bomb(declared_honestly: bool = True) -> bytes:
    """An XLSX whose sheet inflates to 300 MB of one repeated row from a few hundred KB;
    or, lying, whose archive declares the sheet 100 bytes long."""
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>Median pay $50,250</t></is></c></row>'
    with zipfile.ZipFile(io.BytesIO(XLSX_SEEDS[0])) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith("sheet1.xml"):
                content = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml'
                           b'/2006/main"><sheetData>' + row * (300_000_000 // len(row))
                           + b"</sheetData></worksheet>")
            target.writestr(info.filename, content)
    data = out.getvalue()
    if declared_honestly:
        return data
    # rewrite the sheet's declared size (local header and central directory) to 100 bytes
    name = b"xl/worksheets/sheet1.xml"
    blob = bytearray(data)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = blob.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if blob[name_at:name_at + len(name)] == name:
                blob[at + size_at:at + size_at + 4] = (100).to_bytes(4, "little")
            at = blob.find(signature, at + 4)
    return bytes(blob)


HOSTILE = {
    "empty-text": (b"", "text", False),
    "empty-html": (b"", "html", False),
    "empty-pdf": (b"", "pdf", False),
    "empty-csv": (b"", "csv", False),
    "empty-xlsx": (b"", "xlsx", False),
    "text-50MB": (fifty_megabytes(b"2024 Median Pay: $50,250 per year ($24.16 per hour)\n"),
                  "text", True),
    "html-50MB": (b"<html><body><table>" + fifty_megabytes(
        b"<tr><td>Median annual wage</td><td>$50,250</td></tr>\n") + b"</table></body></html>",
                  "html", True),
    "nested-divs-100000": (nested(100_000), "html", False),
    "nested-tables-20000": (b"<html><body>" + b"<table><tr><td>" * 20_000 + b"$50,250"
                            + b"</td></tr></table>" * 20_000 + b"</body></html>", "html", False),
    "nested-unclosed-50000": (b"<html><body>" + b"<div><span><b>" * 50_000 + b"$50,250", "html",
                              False),
    "zip-bomb": (zip_bomb(), "xlsx", False),
    "zip-bomb-lying-sizes": (zip_bomb(declared_honestly=False), "xlsx", False),
    "pdf-xref-offsets-garbage": (re.sub(rb"\d{10} \d{5} n", b"9999999999 00000 n",
                                        PDF_SEEDS[0]), "pdf", False),
    "pdf-prev-loop": (PDF_SEEDS[0].replace(b"trailer\n<<", b"trailer\n<< /Prev %d"
                                           % PDF_SEEDS[0].rfind(b"xref"), 1), "pdf", False),
    "pdf-startxref-past-the-end": (re.sub(rb"startxref\s+\d+", b"startxref\n99999999",
                                          PDF_SEEDS[0]), "pdf", False),
    "pdf-only-header": (b"%PDF-1.7\n%%EOF\n", "pdf", False),
    "utf16-without-bom": ("Median pay: $50,250".encode("utf-16-le"), "text", False),
    "html-declaring-rot13": (b'<meta charset="rot13"><p>Median pay: $50,250</p>', "html", False),
    "html-declaring-utf16": (b'<meta charset="utf-16"><p>Median pay: $50,250</p>', "html", False),
    "csv-nul-and-cr": (b"soc,metric,value\r29-2072,wage\x00,50250\r\n\"open quote", "csv", False),
    "csv-huge-field": (b"soc,metric,value\n" + b"9" * 200_000 + b",wage,1\n", "csv", False),
}


# An alarm of the time limit may land in hypothesis' garbage-collector callback, where
# Python swallows it with a warning; the next alarm stops the document (pipeline/limits.py).
@pytest.mark.filterwarnings(SWALLOWED_ALARM)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_end_in_claims_or_a_problem(name):
    data, fmt, may_time_out = HOSTILE[name]
    limit = 3.0 if may_time_out else HANG
    started = time.monotonic()

    outcome = survives(data, fmt, limit=limit, may_time_out=may_time_out)

    assert time.monotonic() - started < limit + 10, name
    if name.startswith("empty-"):
        assert outcome == "document-empty"
    if name.startswith("zip-bomb"):
        assert outcome == "document-unreadable"
    if name.startswith("html-declaring"):
        assert outcome == "claims"  # the false declaration is ignored, the page is read
    COUNTS["hostile"] += 1
