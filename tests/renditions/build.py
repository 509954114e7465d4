"""Render the seed pages as HTML and PDF, in the layouts real career sites use.

    python -m tests.renditions.build      # rewrites tests/renditions/<seed>/*

These files are test fixtures, not sources: `raw/` keeps only real captures. The
format-invariance test checks that every rendition of a page yields the same claims as
its text capture. The renderer reads a text page into blocks by simple rules of its own
(headings, "label: value" pairs, paragraphs, tables, percentile rungs) and lays them out:

- quickfacts.html  a government-style page: pairs in a "quick facts" table of th/td rows
- cards.html       a card layout: label and value in sibling divs
- article.html     an article: pairs as <li><strong>label:</strong> value</li>, a
                   percentile table with a header row
- profile.pdf      a one-column profile with bordered tables, running header and footer
- two-column.pdf   the same content flowed in two columns

Pages of chrome (navigation, cookie banner, scripts, footer) carry figures of their own,
which must never become claims.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
SEEDS = sorted((ROOT / "raw").glob("0*.txt"))
LAYOUTS = ("quickfacts.html", "cards.html", "article.html", "profile.pdf", "two-column.pdf")

RUNG = re.compile(r"\((?:\d+(?:st|nd|rd|th)\s*%ile|median)\)\s*$", re.I)
PAIR = re.compile(r"^(?P<label>[^:.]{1,70}):\s*(?P<value>.*)$")
MONEY_ROW = re.compile(r"\$\d")


@dataclass
class Block:
    kind: str  # heading, pair, para, table, rungs, blank
    text: str = ""
    value: str = ""
    major: bool = False
    rows: list = field(default_factory=list)


def blocks_of(text: str) -> list[Block]:
    lines = [line.strip() for line in text.splitlines()]
    out: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            out.append(Block("blank"))
            i += 1
            continue
        if RUNG.search(line):
            rungs = []
            while i < len(lines) and lines[i] and not lines[i].isdigit() or (
                    i < len(lines) and lines[i].isdigit()):
                if lines[i].isdigit():
                    i += 1
                    continue
                if RUNG.search(lines[i]):
                    rungs.append([lines[i]])
                else:
                    rungs[-1].append(lines[i])
                i += 1
            out.append(Block("rungs", rows=rungs))
            continue
        following = lines[i + 1:i + 3]
        if (len(line.split()) <= 8 and not MONEY_ROW.search(line) and ":" not in line
                and len(following) == 2 and all(MONEY_ROW.search(f) and not f.endswith(".")
                                                for f in following)):
            rows = []
            j = i + 1
            while j < len(lines) and lines[j] and MONEY_ROW.search(lines[j]) \
                    and not lines[j].endswith("."):
                rows.append(lines[j])
                j += 1
            out.append(Block("table", text=line, rows=rows))
            i = j
            continue
        pair = PAIR.match(line)
        if pair and len(pair.group("label").split()) <= 10:
            if pair.group("value"):
                out.append(Block("pair", pair.group("label"), pair.group("value")))
            else:
                out.append(Block("heading", line))
        elif (len(line) <= 60 and not line.endswith((".", "?")) and not MONEY_ROW.search(line)
              and not line[0].isdigit() or re.match(r"\d+\.\s", line)):
            out.append(Block("heading", line, major=bool(re.match(r"\d+\.\s", line))))
        else:
            out.append(Block("para", line))
        i += 1
    return out


def _grouped(blocks: list[Block]):
    """Consecutive pairs together, so a layout can put them in one table or list."""
    group: list[Block] = []
    for block in blocks:
        if block.kind == "pair":
            group.append(block)
            continue
        if group:
            yield Block("pairs", rows=group)
            group = []
        yield block
    if group:
        yield Block("pairs", rows=group)


# --- HTML --------------------------------------------------------------------------------

CHROME_TOP = """<nav class="site-nav"><a href="/">Home</a> | <a href="/salaries">Salaries from $30,000</a></nav>
<div id="cookie-consent" class="cookie-banner">We use cookies. Median pay data $1,000 (ad).</div>
<script>window.stats = {"median": "$99,999", "growth": "50%"};</script>
"""
CHROME_BOTTOM = """<footer class="site-footer">© 2026 Careers Inc. Average salary $12,345 · 20% off courses</footer>
"""


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _rung_cells(rung: list[str]) -> tuple[str, str, str]:
    """(pay, typical band, other words) of a percentile rung's lines."""
    money = [line for line in rung[1:] if line.startswith("$")]
    other = " · ".join(line for line in rung[1:] if not line.startswith("$"))
    return (money[0] if money else "", money[1] if len(money) > 1 else "", other)


def html_page(title: str, blocks: list[Block], layout: str) -> str:
    body: list[str] = []
    for block in _grouped(blocks):
        if block.kind == "blank":
            continue
        if block.kind == "heading":
            tag = "h2" if block.major else ("h4" if layout == "cards" else "h3")
            body.append(f"<{tag}>{_e(block.text)}</{tag}>")
        elif block.kind == "para":
            body.append(f"<p>{_e(block.text)}</p>")
        elif block.kind == "pairs":
            if layout == "quickfacts":
                rows = "".join(f"<tr><th scope=\"row\">{_e(p.text)}</th><td>{_e(p.value)}</td></tr>"
                               for p in block.rows)
                body.append(f'<table class="quick-facts">{rows}</table>')
            elif layout == "cards":
                body.extend(f'<div class="stat"><div class="stat-label">{_e(p.text)}</div>'
                            f'<div class="stat-value">{_e(p.value)}</div></div>' for p in block.rows)
            else:
                items = "".join(f"<li><strong>{_e(p.text)}:</strong> {_e(p.value)}</li>"
                                for p in block.rows)
                body.append(f"<ul>{items}</ul>")
        elif block.kind == "table":
            rows = "".join(f"<tr><td>{_e(r)}</td></tr>" for r in block.rows)
            body.append(f"<table><thead><tr><th>{_e(block.text)}</th></tr></thead>"
                        f"<tbody>{rows}</tbody></table>")
        elif block.kind == "rungs":
            if layout == "cards":
                for rung in block.rows:
                    inner = "".join(f"<div>{_e(line)}</div>" for line in rung[1:])
                    body.append(f'<div class="rung"><div class="rung-title">{_e(rung[0])}</div>'
                                f"{inner}</div>")
            else:
                rows = "".join(
                    f"<tr><td>{_e(r[0])}</td><td>{_e(pay)}</td><td>{_e(band)}</td>"
                    f"<td>{_e(other)}</td></tr>"
                    for r in block.rows for pay, band, other in [_rung_cells(r)])
                body.append('<table class="percentiles"><thead><tr><th>Career stage</th>'
                            "<th>Salary</th><th>Typical band</th><th>Experience</th></tr>"
                            f"</thead><tbody>{rows}</tbody></table>")
    wrapper = {"quickfacts": "main", "cards": "div class=\"content\"", "article": "article"}[layout]
    closing = wrapper.split()[0]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><style>.stat{{display:flex}}</style></head>\n<body>\n"
            f"{CHROME_TOP}<{wrapper}>\n" + "\n".join(body) + f"\n</{closing}>\n{CHROME_BOTTOM}"
            "</body></html>\n")


# --- PDF ---------------------------------------------------------------------------------

def _pdf_text(text: str) -> str:
    """What a cp1252 core font can show: emoji and other symbols are dropped."""
    return text.encode("cp1252", errors="ignore").decode("cp1252")


def pdf_page(title: str, blocks: list[Block], layout: str) -> bytes:
    from fpdf import FPDF

    class Page(FPDF):
        def header(self):
            if layout == "profile":
                self.set_font("Helvetica", "I", 8)
                self.cell(0, 6, _pdf_text(f"Career profile - {title}"), new_x="LMARGIN",
                          new_y="NEXT")
                self.ln(2)

        def footer(self):
            self.set_y(-12)
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    pdf = Page(format="Letter")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_creation_date(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    pdf.set_producer("careerfacts test renditions")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    if layout == "two-column":
        _two_columns(pdf, blocks)
    else:
        _one_column(pdf, blocks)
    return bytes(pdf.output())


def _one_column(pdf, blocks: list[Block]) -> None:
    for block in _grouped(blocks):
        if block.kind == "blank":
            pdf.ln(2)
        elif block.kind == "heading":
            pdf.set_font("Helvetica", "B", 13 if block.major else 11)
            pdf.multi_cell(0, 7, _pdf_text(block.text), new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "para":
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, _pdf_text(block.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "pairs":
            pdf.set_font("Helvetica", "", 10)
            with pdf.table(col_widths=(2, 3), first_row_as_headings=False) as table:
                for p in block.rows:
                    row = table.row()
                    row.cell(_pdf_text(p.text))
                    row.cell(_pdf_text(p.value))
            pdf.ln(2)
        elif block.kind == "table":
            pdf.set_font("Helvetica", "", 10)
            with pdf.table(col_widths=(1,)) as table:
                table.row().cell(_pdf_text(block.text))
                for r in block.rows:
                    table.row().cell(_pdf_text(r))
            pdf.ln(2)
        elif block.kind == "rungs":
            pdf.set_font("Helvetica", "", 10)
            with pdf.table(col_widths=(3, 2, 3, 3)) as table:
                head = table.row()
                for name in ("Career stage", "Salary", "Typical band", "Experience"):
                    head.cell(name)
                for rung in block.rows:
                    row = table.row()
                    for cell in (rung[0], *_rung_cells(rung)):
                        row.cell(_pdf_text(cell))
            pdf.ln(2)


def _two_columns(pdf, blocks: list[Block]) -> None:
    pdf.set_font("Helvetica", "", 9)
    with pdf.text_columns(ncols=2, gutter=24, text_align="LEFT") as columns:
        for block in blocks:
            if block.kind == "blank":
                columns.ln()
            elif block.kind == "heading":
                with columns.paragraph(text_align="LEFT") as paragraph:
                    pdf.set_font("Helvetica", "B", 10)
                    paragraph.write(_pdf_text(block.text))
                pdf.set_font("Helvetica", "", 9)
            elif block.kind == "pair":
                columns.write(_pdf_text(f"{block.text}: {block.value}") + "\n")
            elif block.kind == "para":
                columns.write(_pdf_text(block.text) + "\n")
                columns.ln()
            elif block.kind == "table":
                columns.write(_pdf_text("\n".join([block.text, *block.rows])) + "\n")
                columns.ln()
            elif block.kind == "rungs":
                for rung in block.rows:
                    columns.write(_pdf_text("\n".join(rung)) + "\n")
                columns.ln()


def xlsx_table(csv_path: Path) -> bytes:
    """An official CSV table saved as the XLSX export agencies also publish, with fixed
    timestamps so the bytes are the same every time."""
    import csv
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    with open(csv_path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append([float(c) if re.fullmatch(r"\d+(\.\d+)?", c) else c for c in row])
    stamp = dt.datetime(2026, 1, 1)
    book.properties.created = book.properties.modified = stamp
    raw = io.BytesIO()
    book.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
        for item in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                              rb"<dcterms:\1\2>2026-01-01T00:00:00Z<", data)
            out.writestr(zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return fixed.getvalue()


def build() -> list[Path]:
    written = []
    table = OUT / "reference.xlsx"
    table.write_bytes(xlsx_table(ROOT / "tests" / "golden" / "reference-table" / "input.csv"))
    written.append(table)
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        title = text.strip().splitlines()[0].strip()
        blocks = blocks_of(text)
        folder = OUT / seed.stem[:3]
        folder.mkdir(exist_ok=True)
        for layout in LAYOUTS:
            name, ext = layout.rsplit(".", 1)
            data = (html_page(title, blocks, name).encode("utf-8") if ext == "html"
                    else pdf_page(title, blocks, name))
            (folder / layout).write_bytes(data)
            written.append(folder / layout)
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(ROOT))
    sys.exit(0)
