"""PDF pages read through pdfium give what pdfplumber's own parse gives: the same words
(text, box within half a point, font size), the same ruling lines and the same tables.

pdfplumber is the reference here, run on the same files: on every PDF of the test suite,
on pages drawn here by hand (scaled text matrices, character spacing, kerning, turned
pages, media boxes away from the origin, paths in form XObjects) and on pages hypothesis
lays out."""
from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.document import DocumentError
from extractors.pdf import page_text, render

ROOT = Path(__file__).resolve().parent.parent
TEST_PDFS = sorted(p for p in (ROOT / "tests").rglob("*.pdf"))
FONTS = ("Helvetica", "Helvetica-Bold", "Times-Roman", "Times-Bold", "Courier",
         "Helvetica-Oblique", "Times-Italic")


# --- a PDF written by hand ---------------------------------------------------------------

def a_pdf(*contents: str, mediabox=(0, 0, 612, 792), rotate: int = 0, forms: tuple = (),
          fonts: tuple = FONTS) -> bytes:
    """A PDF of one page per content stream, fonts /F1.. of the standard 14 and form
    XObjects /X1.. (each (matrix, content))."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font_ids = [add(f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} "
                    f"/Encoding /WinAnsiEncoding >>".encode()) for name in fonts]
    font_dict = " ".join(f"/F{i} {ref} 0 R" for i, ref in enumerate(font_ids, start=1))
    form_ids = []
    for matrix, content in forms:
        stream = content.encode("latin-1")
        form_ids.append(add(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 1000 1000] /Matrix [%s] "
            b"/Resources << /Font << %s >> >> /Length %d >>\nstream\n%s\nendstream"
            % (" ".join(map(str, matrix)).encode(), font_dict.encode(), len(stream), stream)))
    xobjects = " ".join(f"/X{i} {ref} 0 R" for i, ref in enumerate(form_ids, start=1))
    resources = f"<< /Font << {font_dict} >> /XObject << {xobjects} >> >>"
    pages_ref = len(objects) + 2 * len(contents) + 1
    kids = []
    for content in contents:
        stream = content.encode("latin-1")
        ref = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox "
                        f"[{' '.join(map(str, mediabox))}] /Rotate {rotate} "
                        f"/Resources {resources} /Contents {ref} 0 R >>".encode()))
    assert add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
               f"/Count {len(kids)} >>".encode()) == pages_ref
    catalog = add(f"<< /Type /Catalog /Pages {pages_ref} 0 R >>".encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    return bytes(out)


def upright_on(mediabox, rotate: int) -> str:
    """The `cm` that makes the content stand upright on a page turned by /Rotate, with
    (0, 0) at the bottom left of the page as displayed."""
    x0, y0, x1, y1 = mediabox
    a, b, c, d, e, f = {0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1),
                        180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0)}[rotate]
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return f"{ia} {ib} {ic} {id_} {-(e * ia + f * ic)} {-(e * ib + f * id_)} cm"


# --- comparing with pdfplumber -------------------------------------------------------------

def plumber_pages(data: bytes) -> list:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.extract_words(extra_attrs=["size"]),
                 [e for e in page.edges if e["orientation"] in ("h", "v")
                  and (e["width"] >= 1 or e["height"] >= 1)],
                 [(t.bbox, t.extract()) for t in page.find_tables()],
                 (page.width, page.height)) for page in pdf.pages]


def our_pages(data: bytes) -> list:
    pdf = pdfium.PdfDocument(data)
    try:
        return [page_text(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()


def by_place(words: list[dict]) -> list[dict]:
    return sorted(words, key=lambda w: (w["text"], w["top"], w["x0"]))


def assert_same_words(theirs: list[dict], ours: list[dict]) -> None:
    """The same words, their boxes within half a point, the same font size.

    Two allowances, both growing with the font size: a word stands on its font's descent,
    which pdfium takes from the font program and pdfminer from the Adobe metrics (Courier's
    differ by 0.054 of the size), and pdfium's box of a glyph reaching past its advance (an
    oblique C, a Times f or j) covers the glyph, where pdfminer's box is the advance."""
    assert [w["text"] for w in by_place(ours)] == [w["text"] for w in by_place(theirs)]
    for mine, reference in zip(by_place(ours), by_place(theirs)):
        size = reference["size"]
        descent, glyph = max(0.5, 0.06 * size), max(0.5, 0.2 * size)
        for key, slack in (("x0", glyph), ("top", descent), ("bottom", descent), ("x1", glyph)):
            assert abs(mine[key] - reference[key]) <= slack, (key, mine, reference)
        assert mine["size"] == pytest.approx(reference["size"], abs=0.01), (mine, reference)


def assert_same_tables(theirs: list, ours: list) -> None:
    assert [rows for _, rows in ours] == [rows for _, rows in theirs]
    for (mine, _), (reference, _) in zip(ours, theirs):
        assert mine == pytest.approx(reference, abs=0.01)


# --- every PDF of the test suite -------------------------------------------------------------

@pytest.mark.parametrize("path", TEST_PDFS, ids=[str(p.relative_to(ROOT / "tests")) for p in TEST_PDFS])
def test_every_test_pdf_reads_as_pdfplumber_reads_it(path):
    data = path.read_bytes()
    for (words, _, tables, size), page in zip(plumber_pages(data), our_pages(data), strict=True):
        assert_same_words(words, page.words)
        assert_same_tables(tables, page.tables)
        assert (page.width, page.height) == pytest.approx(size)


# --- pages drawn by hand ---------------------------------------------------------------------

@pytest.mark.parametrize("content, expected", [
    ("BT /F1 10 Tf 72 700 Td (Median pay: $50,250) Tj ET", ["Median", "pay:", "$50,250"]),
    # a font of size 1 scaled by the text matrix, as many producers write it
    ("BT /F1 1 Tf 10 0 0 10 72 700 Tm (Median pay: $50,250) Tj ET", ["Median", "pay:", "$50,250"]),
    # letters spaced 3 points apart are still one word; 4 points apart they are not
    ("BT /F1 9 Tf 3 Tc 72 700 Td (Spaced) Tj ET", ["Spaced"]),
    ("BT /F1 9 Tf 4 Tc 72 700 Td (ab) Tj ET", ["a", "b"]),
    # kerning: 2.5 points between two runs joins them (pdfium's inferred space is not
    # a character of the file), 4 points parts them
    ("BT /F1 10 Tf 72 700 Td [(Median) -250 (pay)] TJ ET", ["Medianpay"]),
    ("BT /F1 10 Tf 72 700 Td [(Median) -400 (pay)] TJ ET", ["Median", "pay"]),
    # "of the" kerned 3.3 points apart: Times' f reaches past its advance, the gap counts
    # from the advance (pdfium's loose box covers the glyph)
    ("BT /F3 11 Tf 72 700 Td [(of) -300 (the)] TJ ET", ["of", "the"]),
    # a hyphen that ends a line (pdfium calls it U+0002) is a hyphen
    ("BT /F1 10 Tf 72 700 Td (well-known pre-) Tj ET BT /F1 10 Tf 72 688 Td (paid) Tj ET",
     ["well-known", "pre-", "paid"]),
    # a change of font size ends a word, a change of weight does not
    ("BT /F1 10 Tf 72 700 Td ($50,250) Tj /F1 6 Tf (1) Tj ET", ["$50,250", "1"]),
    ("BT /F1 10 Tf 72 700 Td ($50,) Tj /F2 10 Tf (250) Tj ET", ["$50,250"]),
    # text in a form XObject, placed by its matrix
    ("q 1 0 0 1 20 30 cm /X1 Do Q", ["Inside", "a", "form"]),
], ids=["plain", "scaled-matrix", "tc-3", "tc-4", "kern-join", "kern-split", "overhang",
        "line-end-hyphen", "superscript", "bold-run", "form"])
def test_hand_drawn_pages_read_as_pdfplumber_reads_them(content, expected):
    data = a_pdf(content, forms=[((1, 0, 0, 1, 50, 600), "BT /F1 11 Tf 0 0 Td (Inside a form) Tj ET")])
    [(words, _, _, _)] = plumber_pages(data)
    [page] = our_pages(data)
    assert [w["text"] for w in page.words] == expected
    assert_same_words(words, page.words)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize("mediabox", [(0, 0, 612, 792), (10, 20, 600, 800)], ids=["origin", "offset"])
def test_turned_and_offset_pages_keep_pdfplumber_coordinates(rotate, mediabox):
    content = (f"q {upright_on(mediabox, rotate)} BT /F1 10 Tf 72 500 Td (Median pay: $50,250) Tj "
               "ET 0.5 w 60 480 m 300 480 l S 60 470 200 40 re S Q")
    data = a_pdf(content, mediabox=mediabox, rotate=rotate)
    [(words, edges, tables, size)] = plumber_pages(data)
    [page] = our_pages(data)
    assert [w["text"] for w in page.words] == ["Median", "pay:", "$50,250"]
    assert_same_words(words, page.words)
    assert (page.width, page.height) == pytest.approx(size)


def test_ruling_lines_are_pdfplumbers_edges():
    """Stroked and filled rectangles, lines, a polyline, a rounded box, transformed paths
    and paths in a form give the edges pdfplumber lists; an unpainted path gives none."""
    from extractors.pdf import _edges, _frame
    content = ("0.5 w 72 600 200 30 re S 0.9 g 72 560 200 30 re f "
               "72 540 m 300 540 l S 72 500 m 150 500 l 150 470 l 200 470 l S "
               "100 400 m 180 400 l 190 400 200 390 200 380 c 200 340 l S "
               "72 300 m 300 300 l n "
               "q 2 0 0 1.5 10 10 cm 50 100 60 20 re S Q "
               "q 0 1 -1 0 400 100 cm 0 0 m 80 0 l S Q "
               "/X1 Do")
    data = a_pdf(content, forms=[((1, 0, 0, 1, 300, 650), "0 0 m 0 60 l 90 60 l S")])
    [(_, theirs, _, _)] = plumber_pages(data)
    page = pdfium.PdfDocument(data)[0]  # held: pdfium frees a page its handle outlives
    ours = _edges(page.raw, _frame(page))

    def lines(edges):
        return sorted((e["orientation"], round(e["x0"], 2), round(e["top"], 2), round(e["x1"], 2),
                       round(e["bottom"], 2)) for e in edges)

    assert lines(ours) == lines(theirs)
    assert len(ours) == 4 + 4 + 1 + 3 + 2 + 4 + 1 + 2


def test_a_bordered_table_is_read_as_pdfplumber_reads_it():
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, "Wages for medical records specialists, May 2024.")
    with pdf.table(col_widths=(60, 40, 40)) as table:
        for row in (("Percentile", "Hourly", "Annual"), ("10%", "$16.05", "$33,380"),
                    ("50% (median)", "$24.16", "$50,250"), ("90%", "$38.11", "$79,270")):
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    data = bytes(pdf.output())
    [(words, _, tables, _)] = plumber_pages(data)
    [page] = our_pages(data)
    assert [rows for _, rows in page.tables] == [[
        ["Percentile", "Hourly", "Annual"], ["10%", "$16.05", "$33,380"],
        ["50% (median)", "$24.16", "$50,250"], ["90%", "$38.11", "$79,270"]]]
    assert_same_tables(tables, page.tables)
    assert_same_words(words, page.words)


# --- pages hypothesis lays out ---------------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHMNRSTW0123456789$,.%:-", min_size=1,
               max_size=9)
# kerning between two runs, in thousandths of the font size
KERN = st.one_of(st.integers(-100, 0), st.integers(-2000, -400))


@st.composite
def layouts(draw):
    rotate = draw(st.sampled_from([0, 90, 180, 270]))
    shift = draw(st.tuples(st.integers(0, 40), st.integers(0, 40)))
    mediabox = (shift[0], shift[1], shift[0] + 612, shift[1] + 792)
    width = 792 if rotate in (90, 270) else 612
    height = 612 if rotate in (90, 270) else 792
    y = height - 60
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        size = draw(st.sampled_from([7, 8, 9, 10, 11, 12, 14, 18, 24]))
        font = draw(st.integers(1, len(FONTS)))
        spacing = draw(st.sampled_from([0, 0.25, 1]))  # points between letters
        scaled = draw(st.booleans())
        x = draw(st.integers(20, width // 3))
        runs = draw(st.lists(st.tuples(st.lists(WORD, min_size=1, max_size=4), KERN),
                             min_size=1, max_size=4))
        # a gap of exactly 3 points is split or not by pdfplumber as the floating point
        # noise of its arithmetic falls: keep the gaps between runs clear of it
        runs = [(words, kern if abs(spacing - kern * size / 1000 - 3) > 0.05 else 0)
                for words, kern in runs]
        # keep size and run length so that the line stays on the page: a line of n
        # characters is at most 0.6 * size * n wide in these fonts, plus kerning
        chars = sum(len(" ".join(words)) for words, _ in runs)
        if x + (0.6 * size + spacing) * chars + sum(-k for _, k in runs) * size / 1000 > width - 10:
            continue
        text = " ".join(f"({' '.join(words)}) {kern}" for words, kern in runs)
        place = (f"1 0 0 1 {x} {y} Tm /F{font} {size} Tf {spacing} Tc" if not scaled
                 else f"{size} 0 0 {size} {x} {y} Tm /F{font} 1 Tf {spacing / size:.6f} Tc")
        lines.append(f"BT {place} [{text}] TJ ET")
        y -= 2 * size + 4
        if y < 40:
            break
    content = f"q {upright_on(mediabox, rotate)} {' '.join(lines)} Q"
    return a_pdf(content, mediabox=mediabox, rotate=rotate)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_laid_out_pages_read_as_pdfplumber_reads_them(data):
    [(words, _, _, _)] = plumber_pages(data)
    [page] = our_pages(data)
    assert_same_words(words, page.words)


# --- what cannot be read -----------------------------------------------------------------

def test_a_pdf_locked_only_against_editing_is_read():
    """An owner password alone (no password to open) does not stop reading."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, "2024 Median Pay: $50,250 per year")
    text, _ = render(bytes(pdf.output()))
    assert text == "2024 Median Pay: $50,250 per year\n"


@pytest.mark.parametrize("data, detail", [
    (b"", "not a PDF: its bytes hold no %PDF header"),
    (b"%PDF-1.4\n%%EOF\n", "not a readable PDF"),
    (a_pdf("BT /F1 10 Tf 72 700 Td (Median pay: $50,250) Tj ET")[:60], "not a readable PDF"),
], ids=["empty", "no-objects", "cut-short"])
def test_a_broken_pdf_is_unreadable_with_the_reason(data, detail):
    with pytest.raises(DocumentError) as error:
        render(data)
    assert error.value.code == "document-unreadable" and detail in error.value.detail


# --- the benchmark's pages -----------------------------------------------------------------

def test_the_benchmark_pdfs_read_as_pdfplumber_reads_them():
    """The generated career profiles `make bench` times (here the first three: 12 pages of
    prose, bordered tables and two columns) give pdfplumber's words and tables, and the
    median wage the generator wrote."""
    from benchmarks.bench_extract import pdf_corpus
    for data, facts in pdf_corpus(files=3):
        for (words, _, tables, _), page in zip(plumber_pages(data), our_pages(data), strict=True):
            assert_same_words(words, page.words)
            assert_same_tables(tables, page.tables)
        text, _ = render(data)
        median = f"${facts['median_annual']:,}"
        assert f"2024 Median Pay\t{median} per year" in text
