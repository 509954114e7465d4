"""Pages per second per format, next to the bare parsers on the same files in the same run.

    make bench            # or: python -m benchmarks.bench_extract [--html 200] [--repeats 3]

HTML, two corpora, each read three ways in the same run: BeautifulSoup(page,
"lxml").get_text() (what any bs4 user pays to get a page's text), lxml's
`lxml.html.fromstring(page).text_content()` (the bare C parser), and careerfacts' read of
the page into claims (parse, render, every figure read in context, claims located):

- the career pages benchmarks/gen_corpus.py writes for its default seed (200 pages of
  50-300 KB with state and percentile tables, FAQ prose, scripts and styles: the pages of
  the scale series and of issue 11's figures);
- a corpus generated reproducibly (seeded) from the seed pages' renditions in
  tests/renditions, padded to 50-300 KB with navigation, scripts, icons and article text.

PDF: the ten career-profile PDFs (50 pages: prose, bordered tables on two pages in
three, two-column pages, running headers and footers) that benchmarks/gen_corpus.py
writes for a seed, read three ways: pdfplumber's page.extract_text() (pdfminer), pypdfium2's
plain text (the engine under careerfacts' PDF reader) and careerfacts' read of each PDF
into claims.

Times are CPU seconds of this process (one core), the best of a few repeats with the
readers taking turns within each repeat, because the machine is shared: compare the
ratios, not the absolute figures.
"""
from __future__ import annotations

import argparse
import gc
import io
import random
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


def best_of(readers: dict, repeats: int) -> dict[str, float]:
    """The least CPU time of each reader over `repeats` rounds, the readers taking turns
    within a round so that they share the machine's moods."""
    times: dict[str, float] = {}
    for _ in range(repeats):
        for name, read in readers.items():
            gc.collect()
            start = time.process_time()
            read()
            times[name] = min(times.get(name, float("inf")), time.process_time() - start)
    return times


def html_rates(pages: list[bytes], repeats: int) -> dict[str, float]:
    """Pages per second of bs4 get_text, lxml text_content and careerfacts on `pages`."""
    import lxml.html
    from bs4 import BeautifulSoup

    from extractors import extract
    from extractors.document import document_from_bytes

    def bs4_text():
        for page in pages:
            BeautifulSoup(page, "lxml").get_text()

    def lxml_text():
        for page in pages:
            lxml.html.fromstring(page).text_content()

    def careerfacts():
        for i, page in enumerate(pages):
            extract(document_from_bytes(page, source_id=f"p{i}", path=f"p{i}.html",
                                        format="html"))

    times = best_of({"bs4 get_text": bs4_text, "lxml text_content": lxml_text,
                     "careerfacts (claims)": careerfacts}, repeats)
    return {name: len(pages) / seconds for name, seconds in times.items()}


def generated_pages() -> list[bytes]:
    """The HTML pages `python -m benchmarks.gen_corpus OUTDIR` writes (its default seed)."""
    from benchmarks.bench_scale import base_pages

    return [page.encode("utf-8") for page in base_pages()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=int, default=200,
                        help="pages of the renditions corpus (default 200)")
    parser.add_argument("--seed", type=int, default=20250101,
                        help="seed of the generated PDFs (default: the generator's own)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import pdfplumber
    import pypdfium2 as pdfium

    from extractors import extract
    from extractors.document import document_from_bytes
    from extractors.pdf import render

    print(f"HTML, pages per second on one core (best of {args.repeats} rounds, CPU time)")
    print(f"{'corpus':48} {'bs4 get_text':>13} {'lxml text':>10} {'careerfacts':>12} "
          f"{'× bs4':>6} {'× lxml':>7}")
    for name, pages in (("gen_corpus.py career pages", generated_pages()),
                        ("seed renditions, padded", html_corpus(args.html))):
        rates = html_rates(pages, args.repeats)
        sizes = sorted(len(p) for p in pages)
        label = f"{name} ({len(pages)}, median {sizes[len(sizes) // 2] / 1e3:.0f} KB)"
        ours, bs4, lxml = (rates["careerfacts (claims)"], rates["bs4 get_text"],
                           rates["lxml text_content"])
        print(f"{label:48} {bs4:13.1f} {lxml:10.1f} {ours:12.1f} {ours / bs4:6.2f} "
              f"{ours / lxml:7.3f}", flush=True)

    pdfs = [data for data, _ in pdf_corpus(args.seed)]
    pdf_pages = 0
    for data in pdfs:
        document = pdfium.PdfDocument(data)
        pdf_pages += len(document)
        document.close()

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

    def ours():
        for i, data in enumerate(pdfs):
            extract(document_from_bytes(data, source_id=f"p{i}", path=f"p{i}.pdf", format="pdf"))

    def rendered():
        for data in pdfs:
            render(data)

    times = best_of({"pdfplumber extract_text()": pdfplumber_text,
                     "pypdfium2 plain text": pdfium_text,
                     "careerfacts read (claims)": ours,
                     "  of which rendering to lines": rendered}, args.repeats)
    rates = [(label, pdf_pages / seconds) for label, seconds in times.items()]
    reference = rates[0][1]
    print(f"\nPDF ({len(pdfs)} generated profiles, {pdf_pages} pages, seed {args.seed}; "
          f"best of {args.repeats} rounds, CPU time)")
    print(f"{'reader':34} {'pages/s':>12} {'× pdfplumber':>14}")
    for label, rate in rates:
        print(f"{label:34} {rate:12.1f} {rate / reference:13.1f}×")
    pdfium_rate, our_rate = rates[1][1], rates[2][1]
    print(f"careerfacts reads a page in {1000 / our_rate:.1f} ms: pypdfium2's plain text takes "
          f"{1000 / pdfium_rate:.1f} ms of it ({our_rate / pdfium_rate:.1%}).")


if __name__ == "__main__":
    main()
