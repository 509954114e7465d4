"""Pages per second per format, next to the bare parser on the same files in the same run.

    make bench            # or: python -m benchmarks.bench_extract [--html 200] [--pdf 50]

The corpus is generated reproducibly (seeded) from the seed pages' renditions in
tests/renditions: HTML pages padded to 50–300 KB with navigation, scripts and article
text, and PDFs of several pages each. Times are the best of a few repeats, because the
machine is shared; compare the ratios, not the absolute figures.

- HTML bare parse: BeautifulSoup(page, "lxml"), what any bs4 user pays.
- PDF bare parse:  pdfplumber page.extract_text() on every page.
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


def pdf_corpus(min_pages: int) -> list[bytes]:
    import pdfplumber

    files = [p.read_bytes() for p in sorted(RENDITIONS.glob("*/*.pdf"))]
    corpus, pages = [], 0
    while pages < min_pages:
        for data in files:
            corpus.append(data)
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                pages += len(pdf.pages)
            if pages >= min_pages:
                break
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
    parser.add_argument("--pdf", type=int, default=50, help="PDF pages at least (default 50)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import pdfplumber
    from bs4 import BeautifulSoup

    from extractors import extract
    from extractors.document import document_from_bytes

    html = html_corpus(args.html)
    pdfs = pdf_corpus(args.pdf)
    pdf_pages = 0
    for data in pdfs:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pdf_pages += len(pdf.pages)

    def bare_html():
        for page in html:
            BeautifulSoup(page, "lxml")

    def ours(pages, fmt):
        def run():
            for i, page in enumerate(pages):
                extract(document_from_bytes(page, source_id=f"p{i}", path=f"p{i}", format=fmt))
        return run

    def bare_pdf():
        for data in pdfs:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    page.extract_text()

    rows = []
    mb = sum(map(len, html)) / 1e6
    for name, count, bare, mine in (
            (f"HTML ({len(html)} pages, {mb:.1f} MB)", len(html), bare_html, ours(html, "html")),
            (f"PDF ({len(pdfs)} files, {pdf_pages} pages)", pdf_pages, bare_pdf, ours(pdfs, "pdf"))):
        t_bare = best(bare, args.repeats)
        t_ours = best(mine, args.repeats)
        rows.append((name, count / t_bare, count / t_ours, t_ours / t_bare - 1))
    print(f"{'corpus':34} {'bare parse':>12} {'careerfacts':>12} {'added':>8}")
    print(f"{'':34} {'pages/s':>12} {'pages/s':>12} {'':>8}")
    for name, bare_rate, our_rate, added in rows:
        print(f"{name:34} {bare_rate:12.1f} {our_rate:12.1f} {added:+8.0%}")
    sizes = [len(p) for p in html]
    print(f"\nHTML page sizes: median {statistics.median(sizes) / 1e3:.0f} KB, "
          f"min {min(sizes) / 1e3:.0f} KB, max {max(sizes) / 1e3:.0f} KB; "
          f"best of {args.repeats} runs each.")


if __name__ == "__main__":
    main()
