"""Claims from a PDF career profile (pdfplumber).

Each page's words are rebuilt into lines in reading order — a two-column page is read
left column first, then right, with full-width lines (titles, wide paragraphs) kept
where they stand — and the lines of a paragraph wrapped by the layout are joined back
into one. Tables found by pdfplumber's table finder become tab-separated rows; a table
that runs on over the next page stays one table (a repeated header row is dropped).
Lines repeated at the top or bottom of most pages (running headers, footers, page
numbers) are left out. The same line rules as for plain text then read the claims; a
claim's locator is its page and bounding box: `pdf:page=2;bbox=72.0,96.3,523.3,131.0`.

A PDF without a text layer (a scan) is reported as such: there is no OCR here.
"""
from __future__ import annotations

import bisect
import io
import re
from collections import Counter
from dataclasses import dataclass, replace

from extractors.claims import Claim, Reading, relocated_reading
from extractors.document import Document, DocumentError
from extractors.patterns import stated_page_date
from extractors.text import read_page, split_lines


@dataclass(frozen=True)
class Box:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    table: int | None = None  # id of the table the row belongs to
    full: bool = False  # the next line's first word would not have fitted: a wrapped paragraph
    size: float = 0.0  # font size: a heading is not joined to the text under it
    first_word: float = 0.0  # width of the line's first word
    short: bool = False  # under half its column's width: a label or a heading, not prose

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _merge(a: Box, b: Box) -> Box:
    return Box(a.page, min(a.x0, b.x0), min(a.top, b.top), max(a.x1, b.x1),
               max(a.bottom, b.bottom), a.text + " " + b.text, a.table, b.full, a.size,
               a.first_word)


def _raw_lines(words: list[dict], page: int) -> list[list[dict]]:
    """Words grouped into lines by their vertical position, left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 2.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _segments(line: list[dict], gap: float) -> list[list[dict]]:
    """A line cut where words are far apart (a gutter between columns)."""
    parts = [[line[0]]]
    for word in line[1:]:
        if word["x0"] - parts[-1][-1]["x1"] > gap:
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def _gutter(lines: list[list[dict]], width: float) -> float | None:
    """Where the right column starts, when most lines break at the same x there.

    The left column's lines end raggedly; the right column's all start at one x."""
    segments = [part for line in lines for part in _segments(line, gap=14.0)]
    starts = [round(s[0]["x0"]) for s in segments if 0.3 * width < s[0]["x0"] < 0.7 * width]
    if not starts:
        return None
    position, count = Counter(starts).most_common(1)[0]
    crossing = sum(1 for s in segments if s[0]["x0"] < position - 4 and s[-1]["x1"] > position)
    if count < max(4, 0.2 * len(segments)) or crossing > 0.2 * len(segments):
        return None
    return float(position) - 4


def _text_of(words: list[dict]) -> str:
    return " ".join(w["text"] for w in words)


def _box(words: list[dict], page: int) -> Box:
    return Box(page, min(w["x0"] for w in words), min(w["top"] for w in words),
               max(w["x1"] for w in words), max(w["bottom"] for w in words), _text_of(words),
               size=round(max(w.get("size", 0.0) for w in words), 1),
               first_word=words[0]["x1"] - words[0]["x0"])


def _fits(lines: list[list[dict]], gutter: float) -> bool:
    """Whether a page's lines all keep clear of a gutter found on other pages."""
    segments = [part for line in lines for part in _segments(line, gap=14.0)]
    crossing = sum(1 for s in segments if s[0]["x0"] < gutter and s[-1]["x1"] > gutter + 4)
    return bool(segments) and crossing <= 0.1 * len(segments) and any(
        s[0]["x0"] >= gutter for s in segments)


def _page_lines(page, number: int, hint: float | None = None
                ) -> tuple[list[Box], list[tuple[float, list[Box]]], float | None]:
    """(text lines in reading order, tables as (top, rows), gutter) of one page; `hint`
    is a gutter found on an earlier page, for a page whose right column is short."""
    tables = []
    if page.edges:  # the table finder only looks where there are ruling lines: cheap pages stay cheap
        for table in page.find_tables():
            rows = [r for r in table.extract() if any(c for c in r)]
            if rows:
                x0, top, x1, bottom = table.bbox
                boxes = [Box(number, x0, top, x1, bottom, "\t".join(
                    " ".join((c or "").split()) for c in row)) for row in rows]
                tables.append((table.bbox, boxes))
    inside = [t[0] for t in tables]
    words = [w for w in page.extract_words(keep_blank_chars=False, use_text_flow=False,
                                           extra_attrs=["size"])
             if not any(x0 - 1 <= w["x0"] and w["x1"] <= x1 + 1 and top - 1 <= w["top"]
                        and w["bottom"] <= bottom + 1 for x0, top, x1, bottom in inside)]
    if not words:
        return [], [(bbox[1], rows) for bbox, rows in tables], hint
    raw = _raw_lines(words, number)
    gutter = _gutter(raw, float(page.width))
    if gutter is None and hint is not None and _fits(raw, hint):
        gutter = hint
    full, left, right = [], [], []
    for line in raw:
        if gutter is None:
            full.append(_box(line, number))
            continue
        parts = _segments(line, gap=14.0)
        if all(p[-1]["x1"] <= gutter or p[0]["x0"] >= gutter for p in parts):
            for p in parts:
                (left if p[-1]["x1"] <= gutter else right).append(_box(p, number))
        else:
            full.append(_box(line, number))
    ordered = _reading_order(full, left, right)
    return ordered, [(bbox[1], rows) for bbox, rows in tables], gutter


def _reading_order(full: list[Box], left: list[Box], right: list[Box]) -> list[Box]:
    """Full-width lines cut the page into bands; within a band, the left column comes
    before the right one."""
    full, left, right = _wrapped(full), _wrapped(left), _wrapped(right)
    ordered: list[Box] = []
    cuts = sorted(full, key=lambda b: b.top)
    edges = [b.top for b in cuts] + [float("inf")]
    previous = float("-inf")
    for index, edge in enumerate(edges):
        for column in (left, right):
            band = sorted((b for b in column if previous <= b.top < edge), key=lambda b: b.top)
            ordered.extend(band)
        if index < len(cuts):
            ordered.append(cuts[index])
        previous = edge
    return ordered


def _wrapped(lines: list[Box]) -> list[Box]:
    """Each line marked `full` when the first word of the line under it would not have
    fitted at its end: the layout wrapped a paragraph there."""
    if not lines:
        return []
    right_edge = max(b.x1 for b in lines)
    width = right_edge - min(b.x0 for b in lines)
    ordered = sorted(lines, key=lambda b: b.top)
    out = []
    for line, below in zip(ordered, ordered[1:] + [None]):
        room = right_edge - line.x1
        out.append(replace(line, full=below is not None and room < below.first_word + 8,
                           short=line.x1 - line.x0 < 0.5 * width))
    return out


def _paragraphs(lines: list[Box]) -> list[Box | None]:
    """Lines with wrapped paragraphs joined; None marks a gap (a blank line)."""
    out: list[Box | None] = []
    for line in lines:
        previous = out[-1] if out else None
        if previous is not None and previous.page == line.page and previous.table is None \
                and line.table is None:
            gap = line.top - previous.bottom
            height = max(previous.height, line.height, 1.0)
            same_column = abs(line.x0 - previous.x0) < 3 or line.x0 > previous.x0
            if 0 <= gap <= 0.8 * height and same_column and abs(previous.size - line.size) < 0.3 \
                    and _continues(previous, line):
                out[-1] = _merge(previous, line)
                continue
            if gap > 0.9 * height or gap < -height:
                out.append(None)
        elif previous is not None and previous.table != line.table:
            out.append(None)
        elif previous is not None and previous.page != line.page and line.table is None:
            out.append(None)
        out.append(line)
    return out


CONTINUATION = re.compile(r"^[a-z0-9$(’'“\"–-]")
"""How a wrapped line begins: lower case, a figure, or punctuation that carries on."""


def _continues(previous: Box, line: Box) -> bool:
    """Whether `line` carries on the paragraph of `previous`: the layout wrapped there
    (the line's first word did not fit), or the sentence is plainly unfinished."""
    if previous.text.endswith(":"):
        return False
    if previous.full:
        return True
    dangling = previous.text.endswith((",", " and", " or", " the", " of", " to", " a"))
    if previous.short and not dangling:
        return False  # "Median Annual Pay" above "$48,780": a label and its value
    unfinished = not previous.text.endswith((".", "!", "?", ")"))
    return unfinished and (bool(CONTINUATION.match(line.text)) or dangling)


def _furniture(pages: list[list[Box]], heights: list[float]) -> set[str]:
    """Text of lines repeated near the top or bottom of most pages (headers, footers)."""
    if len(pages) < 2:
        return set()
    seen: Counter = Counter()
    for lines, height in zip(pages, heights):
        keys = {re.sub(r"\d+", "#", b.text) for b in lines
                if b.top < 0.1 * height or b.bottom > 0.9 * height}
        seen.update(keys)
    return {key for key, n in seen.items() if n >= max(2, 0.6 * len(pages))}


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # parse the page tree now, so a broken file fails here
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DocumentError("document-unreadable",
                            f"encrypted PDF ({type(exc).__name__}); provide an unencrypted "
                            "copy") from None
    except Exception as exc:  # pdfminer raises many types for broken files
        raise DocumentError("document-unreadable",
                            f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    return pdf


def render(data: bytes) -> tuple[str, list[Box | None]]:
    """The rendition text and its lines (None = blank) of a PDF."""
    with _open(data) as pdf:
        pages: list[list[Box]] = []
        tables: list[list[tuple[float, list[Box]]]] = []
        heights = []
        gutter = None
        try:
            for number, page in enumerate(pdf.pages, start=1):
                lines, page_tables, gutter = _page_lines(page, number, gutter)
                pages.append(lines)
                tables.append(page_tables)
                heights.append(float(page.height))
        except DocumentError:
            raise
        except Exception as exc:
            raise DocumentError("document-unreadable",
                                f"page {len(pages) + 1} cannot be read ({type(exc).__name__}: "
                                f"{exc})") from None
    if not any(pages) and not any(tables):
        raise DocumentError("document-no-text-layer")
    furniture = _furniture(pages, heights)
    flow: list[Box] = []
    table_id = 0
    last_header: str | None = None
    for number, (lines, page_tables) in enumerate(zip(pages, tables), start=1):
        kept = [b for b in lines if re.sub(r"\d+", "#", b.text) not in furniture]
        for top, rows in sorted(page_tables, key=lambda t: t[0]):
            continues = (flow and flow[-1].table is not None and flow[-1].page == number - 1
                         and not [b for b in kept if b.top < top]
                         and rows[0].text.count("\t") == flow[-1].text.count("\t"))
            if continues and rows[0].text == last_header:
                rows = rows[1:]  # a header row repeated on the next page
            if not continues:
                table_id += 1
                last_header = rows[0].text
            position = next((i for i, b in enumerate(kept) if b.top > top), len(kept))
            kept[position:position] = [replace(r, table=table_id) for r in rows]
        flow.extend(kept)
    lines = _paragraphs(flow)
    text_parts = []
    for line in lines:
        text_parts.append("" if line is None else line.text.replace("\n", " "))
    return "\n".join(text_parts) + "\n", lines


def _locator(boxes: list[Box]) -> str:
    parts = []
    for page in sorted({b.page for b in boxes}):
        on_page = [b for b in boxes if b.page == page]
        x0, top = min(b.x0 for b in on_page), min(b.top for b in on_page)
        x1, bottom = max(b.x1 for b in on_page), max(b.bottom for b in on_page)
        parts.append(f"page={page};bbox={x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}")
    return "pdf:" + "|".join(parts)


def extract_pdf(doc: Document) -> list[Claim]:
    """Claims from a PDF, located by page and bounding box."""
    return read_pdf(doc).claims


def read_pdf(doc: Document) -> Reading:
    """A PDF read: claims and notes located by page and bounding box."""
    text, boxes = render(doc.data)
    starts, owners, offset = [], [], 0
    for box in boxes:
        length = 0 if box is None else len(box.text)
        if box is not None:
            starts.append(offset)
            owners.append(box)
        offset += length + 1
    rendered = Document(source_id=doc.source_id, path=doc.path, format="pdf", text=text,
                        encoding="", occupation=doc.occupation,
                        page_date=doc.page_date or stated_page_date(text))
    reading = read_page(rendered, split_lines(text), extractor="pdf")

    def where(locator: str) -> str:
        a, b = map(int, locator.removeprefix("chars=").split("-"))
        first = max(bisect.bisect_right(starts, a) - 1, 0)
        last = max(bisect.bisect_right(starts, max(a, b - 1)) - 1, 0)
        return _locator(owners[first:last + 1])

    return relocated_reading(reading, where)
