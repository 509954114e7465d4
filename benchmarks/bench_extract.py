"""Pages per second per format, next to the bare parsers on the same files in the same run.

    make bench            # or: python -m benchmarks.bench_extract [--html 200] [--seed N]

HTML: a corpus generated reproducibly (seeded) from the seed pages' renditions in
tests/renditions, padded to 50-300 KB with navigation, scripts and article text; the bare
parse is BeautifulSoup(page, "lxml"), what any bs4 user pays.

PDF: the ten career-profile PDFs (50 pages: prose, bordered tables on two pages in
three, two-column pages, running headers and footers) that benchmarks/gen_corpus.py
writes for a seed, read three ways: pdfplumber's page.extract_text() (pdfminer), pypdfium2's
plain text (the engine under careerfacts' PDF reader) and careerfacts' read of each PDF
into claims.

Times are the best of a few repeats, because the machine is shared; compare the ratios,
not the absolute figures.
"""
from __future__ import annotations

import argparse
import io
import random
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RENDITIONS = ROOT / "tests" / "renditions"


def html_corpus(count: int, seed: int = 7) -> list[bytes]:
    """Pages of 50-300 KB built like real career pages: one of the seed renditions as the
    article, inside a mega-menu, inline scripts (analytics, JSON state), inline SVG icons,
    a style block, related-article teasers and a footer link farm. About a fifth of the
    bytes is visible text, as on the career sites the seeds come from."""
    rng = random.Random(seed)
    layouts = sorted(RENDITIONS.glob("*/*.html"))
    prose = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw").glob("0*.txt"))]
    paragraphs = [line for text in prose for line in text.splitlines() if len(line) > 120]
    pages = []
    for _ in range(count):
        page = rng.choice(layouts).read_text(encoding="utf-8")
        target = rng.randint(50_000, 300_000)
        parts: list[str] = []
        size = len(page)
        while size < target:
            kind = rng.random()
            if kind < 0.25:
                block = "<nav class='mega-menu'><ul>" + "".join(
                    f"<li><a href='/careers/{rng.randint(1, 9999)}'>Career guide {i}</a></li>"
                    for i in range(rng.randint(40, 120))) + "</ul></nav>"
            elif kind < 0.6:
                state = ",".join(f'"k{i}":{{"id":{rng.randint(1, 10**6)},"slug":"career-{i}",'
                                 f'"salary":"${rng.randint(30, 150)},000"}}'
                                 for i in range(rng.randint(50, 200)))
                block = f"<script>window.__STATE__={{{state}}};dataLayer.push({{'e':'view'}});</script>"
            elif kind < 0.75:
                block = "<svg class='icon' viewBox='0 0 24 24'>" + "".join(
                    f"<path d='M{rng.randint(0, 24)} {rng.randint(0, 24)}l3 4h-6z'/>"
                    for _ in range(rng.randint(20, 60))) + "</svg>"
            elif kind < 0.82:
                block = "<style>" + "".join(f".c{i}{{margin:{i % 7}px;color:#{i:06x}}}"
                                            for i in range(rng.randint(100, 300))) + "</style>"
            else:
                block = "<aside class='related'><h3>Related careers</h3>" + "".join(
                    f"<p>{rng.choice(paragraphs)}</p>" for _ in range(rng.randint(1, 4))) + "</aside>"
            parts.append(block)
            size += len(block)
        cut = rng.randint(0, len(parts))
        page = page.replace("<body>", "<body>" + "".join(parts[:cut]), 1)
        page = page.replace("</body>", "".join(parts[cut:]) + "</body>", 1)
        pages.append(page.encode("utf-8"))
    return pages


def pdf_corpus(seed: int = 20250101, files: int | None = None) -> list[tuple[bytes, dict]]:
    """The PDFs benchmarks/gen_corpus.py writes for `seed` (10 files, 50 pages; the first
    `files` of them), each with the figures the generator put in it (median_annual, ...)."""
    import tempfile

    from benchmarks import gen_corpus

    corpus = []
    with tempfile.TemporaryDirectory() as folder:
        for index, pages in enumerate(gen_corpus.PDF_PAGES[:files]):
            path = Path(folder) / f"profile_{index:02d}.pdf"
            # the generator's own seeding (gen_corpus.main), so the files are the same
            facts = gen_corpus.make_pdf(random.Random(seed * 1000 + 500 + index), str(path),
                                        pages, index)
            corpus.append((path.read_bytes(), facts))
    return corpus


def best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=int, default=200, help="HTML pages (default 200)")
    parser.add_argument("--seed", type=int, default=20250101,
                        help="seed of the generated PDFs (default: the generator's own)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import pdfplumber
    import pypdfium2 as pdfium
    from bs4 import BeautifulSoup

    from extractors import extract
    from extractors.document import document_from_bytes
    from extractors.pdf import render

    html = html_corpus(args.html)
    pdfs = [data for data, _ in pdf_corpus(args.seed)]
    pdf_pages = 0
    for data in pdfs:
        document = pdfium.PdfDocument(data)
        pdf_pages += len(document)
        document.close()

    def bare_html():
        for page in html:
            BeautifulSoup(page, "lxml")

    def ours(pages, fmt):
        def run():
            for i, page in enumerate(pages):
                extract(document_from_bytes(page, source_id=f"p{i}", path=f"p{i}", format=fmt))
        return run

    def pdfplumber_text():
        for data in pdfs:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    page.extract_text()

    def pdfium_text():
        for data in pdfs:
            document = pdfium.PdfDocument(data)
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            document.close()

    def rendered():
        for data in pdfs:
            render(data)

    mb = sum(map(len, html)) / 1e6
    t_bare = best(bare_html, args.repeats)
    t_ours = best(ours(html, "html"), args.repeats)
    name = f"HTML ({len(html)} pages, {mb:.1f} MB)"
    print(f"{'corpus':34} {'bare parse':>12} {'careerfacts':>12} {'added':>8}")
    print(f"{'':34} {'pages/s':>12} {'pages/s':>12} {'':>8}")
    print(f"{name:34} {len(html) / t_bare:12.1f} {len(html) / t_ours:12.1f} "
          f"{t_ours / t_bare - 1:+8.0%}")
    sizes = [len(p) for p in html]
    print(f"\nHTML page sizes: median {statistics.median(sizes) / 1e3:.0f} KB, "
          f"min {min(sizes) / 1e3:.0f} KB, max {max(sizes) / 1e3:.0f} KB; "
          f"best of {args.repeats} runs each.")

    rates = [(label, pdf_pages / best(fn, args.repeats)) for label, fn in (
        ("pdfplumber extract_text()", pdfplumber_text),
        ("pypdfium2 plain text", pdfium_text),
        ("careerfacts read (claims)", ours(pdfs, "pdf")),
        ("  of which rendering to lines", rendered))]
    reference = rates[0][1]
    print(f"\nPDF ({len(pdfs)} generated profiles, {pdf_pages} pages, seed {args.seed}; "
          f"best of {args.repeats} runs each)")
    print(f"{'reader':34} {'pages/s':>12} {'× pdfplumber':>14}")
    for label, rate in rates:
        print(f"{label:34} {rate:12.1f} {rate / reference:13.1f}×")
    pdfium_rate, our_rate = rates[1][1], rates[2][1]
    print(f"careerfacts reads a page in {1000 / our_rate:.1f} ms: pypdfium2's plain text takes "
          f"{1000 / pdfium_rate:.1f} ms of it ({our_rate / pdfium_rate:.1%}).")


if __name__ == "__main__":
    main()
