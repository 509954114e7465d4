"""Documents that are hard to read: encodings, broken and imageless PDFs, huge pages."""
from pathlib import Path

import pytest
from click.testing import CliRunner
from fpdf import FPDF

from extractors import extract
from extractors.document import DocumentError, decode, document_from_bytes, sniff_format
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
QUICKFACTS = ROOT / "tests" / "renditions" / "001" / "quickfacts.html"


def claims_of(data: bytes, name: str = "page"):
    fmt = sniff_format(data, name)
    return extract(document_from_bytes(data, source_id="page", path=name, format=fmt))


def a_pdf(**options) -> bytes:
    pdf = FPDF()
    if options.get("encrypted"):
        pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    if options.get("text", True):
        pdf.set_font("Helvetica", size=11)
        pdf.cell(0, 8, "2024 Median Pay: $50,250 per year")
    else:
        pdf.rect(20, 20, 100, 60, style="F")  # a scan: shapes, no text
    return bytes(pdf.output())


# --- formats and encodings ---------------------------------------------------------------

@pytest.mark.parametrize("data, name, expected", [
    (b"%PDF-1.7\n...", "page.txt", "pdf"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html><body>", "page.txt", "html"),
    ("<html><body>Pay</body></html>".encode("utf-16"), "page", "html"),
    (b"  \n<HTML lang=en><BODY>", "page.dat", "html"),
    (b"Median pay: $50,250", "page.html", "html"),  # the name decides only when content can't
    (b"Median pay: $50,250", "page.txt", "text"),
], ids=["pdf-marker", "bom-html", "utf16-html", "upper-case-html", "by-extension", "plain"])
def test_format_is_sniffed_from_content_first(data, name, expected):
    assert sniff_format(data, name) == expected


def test_declared_charset_decides_html_encoding():
    page = '<meta charset="windows-1252"><p>Median pay: $61,590 – 2023</p>'.encode("cp1252")
    assert decode(page, "html") == (page.decode("cp1252"), "cp1252")


def test_undeclared_cp1252_falls_back_without_mojibake():
    text, encoding = decode("Median pay: $61,590 – “BLS”".encode("cp1252"))
    assert (text, encoding) == ("Median pay: $61,590 – “BLS”", "cp1252")


def test_utf16_html_page_yields_its_claims():
    page = "<html><body><p>Median pay: $61,590 per year</p></body></html>".encode("utf-16")
    assert [c.value for c in claims_of(page)] == [61590.0]


# --- PDFs that cannot be read --------------------------------------------------------------

@pytest.mark.parametrize("data, code", [
    (a_pdf(text=False), "document-no-text-layer"),
    (a_pdf(encrypted=True), "document-unreadable"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "document-unreadable"),
], ids=["no-text-layer", "encrypted", "broken"])
def test_unreadable_pdf_is_a_clear_error(data, code):
    with pytest.raises(DocumentError) as error:
        claims_of(data, "page.pdf")
    assert error.value.code == code


def test_a_page_registered_as_a_pdf_names_the_format_key():
    with pytest.raises(DocumentError) as error:
        document = document_from_bytes(b"<p>Median pay: $50,250</p>", source_id="p",
                                       path="page.html", format="pdf")
        extract(document)
    assert error.value.code == "document-unreadable"
    assert "no %PDF header" in error.value.detail and "`format: html`" in error.value.detail


def test_readable_pdf_yields_claims_with_page_and_box():
    [claim] = claims_of(a_pdf(), "page.pdf")
    assert (claim.value, claim.period) == (50250.0, "2024")
    assert claim.locator.startswith("pdf:page=1;bbox=")


def test_cli_names_the_file_of_an_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(a_pdf(encrypted=True))
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    assert "locked.pdf" in result.output and "encrypted" in result.output
    assert "Traceback" not in result.output


# --- size --------------------------------------------------------------------------------

def test_a_5_mb_page_is_read_to_the_end():
    """Megabytes of scripts, navigation and boilerplate around a quick-facts table."""
    page = QUICKFACTS.read_text(encoding="utf-8")
    filler = ("<nav class='menu'>" + "<a href='/x'>Salaries from $1</a>" * 200 + "</nav>"
              "<script>" + "var x = '$9,999';" * 2000 + "</script>"
              + "<p>Career advice without figures, repeated for length.</p>" * 300)
    copies = []
    while sum(map(len, copies)) < 5_000_000:
        copies.append(filler)
    big = page.replace("<main>", "<main>" + "".join(copies), 1).encode("utf-8")
    assert len(big) > 5_000_000
    figures = {(c.metric, c.value) for c in claims_of(big, "big.html")}
    assert ("wage", 50250.0) in figures and ("wage", 9999.0) not in figures


def test_each_row_of_a_ruled_pdf_table_is_located_by_its_own_box():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Medical Records Specialists pay, May 2024", new_x="LMARGIN", new_y="NEXT")
    for label, wage in [("Measure", "Annual wage"), ("10th percentile", "$35,780"),
                        ("Median", "$50,250"), ("90th percentile", "$79,540")]:
        pdf.cell(60, 8, label, border=1)
        pdf.cell(60, 8, wage, border=1, new_x="LMARGIN", new_y="NEXT")

    claims = claims_of(bytes(pdf.output()), "table.pdf")

    boxes = {c.statistic: tuple(map(float, c.locator.split("bbox=")[1].split(",")))
             for c in claims}
    assert set(boxes) == {"p10", "median", "p90"}
    tops = sorted(box[1] for box in boxes.values())
    # one row each, one under the other, each about a row (8 mm) high
    assert all(20 < box[3] - box[1] < 25 for box in boxes.values()), boxes
    assert tops[0] < tops[1] < tops[2] and boxes["p10"][3] <= boxes["median"][1] + 0.1
