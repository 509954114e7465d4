"""Claims from a PDF career profile (pypdfium2, with pdfplumber's table finder).

Each page's words are read from pdfium's text layer and rebuilt into lines in reading
order — a two-column page is read left column first, then right, with full-width lines
(titles, wide paragraphs) kept where they stand — and the lines of a paragraph wrapped by
the layout are joined back into one. Where a page has ruling lines, pdfplumber's table
finder looks for tables in them; a table's rows become tab-separated lines, and a table
that runs on over the next page stays one table (a repeated header row is dropped).
Lines repeated at the top or bottom of most pages (running headers, footers, page
numbers) are left out. The same line rules as for plain text then read the claims; a
claim's locator is its page and bounding box in pdfplumber's coordinates (points, x from
the left edge, top from the top of the page): `pdf:page=2;bbox=72.0,96.3,523.3,131.0`.

Words and ruling lines come from pdfium (about 4 ms a page) rather than from pdfplumber's
own parse (pdfminer, about 60 ms a page): a word is what pdfplumber's `extract_words`
would give — characters split at spaces and at gaps wider than 3 points, boxes as tall as
the font size and standing on the font's descent — and the lines are the straight
horizontal and vertical sides of the page's stroked or filled paths, as pdfplumber's
`page.edges` lists them. pdfplumber's table finder and cell reader then run on those.

A PDF without a text layer (a scan) is reported as such: there is no OCR here.
"""
from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

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


def _page_lines(page: PageText, number: int, hint: float | None = None
                ) -> tuple[list[Box], list[tuple[float, list[Box]]], float | None]:
    """(text lines in reading order, tables as (top, rows), gutter) of one page; `hint`
    is a gutter found on an earlier page, for a page whose right column is short."""
    tables = []
    for k, ((x0, top, x1, bottom), rows) in enumerate(page.tables):
        row_boxes = page.row_boxes[k] if k < len(page.row_boxes) else []
        if len(row_boxes) != len(rows):
            row_boxes = [(x0, top, x1, bottom)] * len(rows)  # the table's box for each row
        kept = [(row, box) for row, box in zip(rows, row_boxes) if any(c for c in row)]
        if kept:
            boxes = [Box(number, *box, "\t".join(" ".join((c or "").split()) for c in row))
                     for row, box in kept]
            tables.append(((x0, top, x1, bottom), boxes))
    inside = [t[0] for t in tables]
    words = [w for w in page.words
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


# --- reading a page: words, ruling lines and tables ---------------------------------------

X_TOLERANCE = 3.0
"""pdfplumber's default: a gap wider than this between two characters starts a new word,
and a line more than this above or below the last character starts one too."""

_TOLERANCE = X_TOLERANCE + 0.001
"""X_TOLERANCE as compared with pdfium's single-precision coordinates: letters spaced
exactly 3 points apart (`3 Tc`) stay one word, as they are for pdfplumber."""

_CLEAR = 0.05
"""Loose boxes further apart than this may be more than X_TOLERANCE apart where it counts.

pdfplumber measures the gap from where the last character's advance ends; pdfium's loose
box also covers a glyph reaching past its advance (TeX's f: "of" 0.5 pt wider at 11 pt),
so its gaps are never wider than pdfplumber's but may be narrower: "of characters" would
run together. Letters of one word touch (a gap of 0); where loose boxes stand apart, the
advance is looked up (rare outside letter-spaced text and fonts without space characters)."""


@dataclass
class PageText:
    """What the renderer reads of one page, in pdfplumber's coordinates (points).

    `words` are dicts with `text`, `x0`, `x1`, `top`, `bottom` and `size` (the font size),
    as pdfplumber's `extract_words(extra_attrs=["size"])` gives them: "$50,250" set in
    10-point Helvetica at (72, 700) on a US Letter page is {"text": "$50,250", "x0": 72.0,
    "x1": 108.14, "top": 84.24, "bottom": 94.24, "size": 10.0}. `tables` are (bbox, rows)
    with rows of cell texts (None for a cell a span covers), as pdfplumber's
    `find_tables()` and `Table.extract()` give them: ((28.4, 127.6, 583.7, 212.6),
    [["Measure", "Value"], ["2024 Median Pay", "$167,960 per year / $80.75 per hour"], …])."""
    width: float
    height: float
    words: list[dict]
    tables: list[tuple[tuple[float, float, float, float], list[list[str | None]]]]
    row_boxes: list[list[tuple[float, float, float, float]]] = field(default_factory=list)
    """Each table's rows' boxes, in the order of its rows: a figure read from a row is
    located by its row, not by the whole table."""


@dataclass(frozen=True)
class _Frame:
    """pdfium's page space (PDF units, y up, the page unturned) to pdfplumber's:
    x = a*px + c*py + e and top = b*px + d*py + f, with the page turned by its /Rotate
    the way pdfminer turns it. `turn` is pdfminer's page matrix (a, b, c, d), which
    decides whether a character stands upright."""
    a: float
    b: float
    c: float
    d: float
    e: float
    f: float
    turn: tuple[float, float, float, float]
    width: float
    height: float
    bbox: tuple[float, float, float, float]  # the page's box in pdfplumber's coordinates

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f

    def box(self, left: float, bottom: float, right: float, top: float
            ) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of a box given as pdfium gives it."""
        x_1, t_1 = self.point(left, bottom)
        x_2, t_2 = self.point(right, top)
        return min(x_1, x_2), min(t_1, t_2), max(x_1, x_2), max(t_1, t_2)


def _frame(page) -> _Frame:
    """The frame of a pypdfium2 page: its media box (which pdfium does not look up in the
    page tree's parents: the page's bounding box stands in then) and its rotation."""
    box = page.get_mediabox(fallback_ok=False) or page.get_bbox()
    x0, x1 = sorted((box[0], box[2]))
    y0, y1 = sorted((box[1], box[3]))
    rotation = page.get_rotation()
    # pdfminer's page matrix (PDFPageInterpreter.process_page) ...
    a, b, c, d, e, f = {0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1),
                        180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0)}[rotation]
    # ... and pdfplumber's reading of it (Page.process_object): x moved by the turned
    # media box's left edge, y flipped to be counted from the top
    left, low, right, high = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
    height = high - low
    top = height - high
    return _Frame(a, -b, c, -d, e + left, height + top - f, (a, b, c, d), right - left, height,
                  (left, top, right, top + height))


def _text_layer(textpage, frame: _Frame, keep_chars: bool) -> tuple[list[dict], list[tuple]]:
    """(words, characters) of a pdfium text page, the words as pdfplumber's `extract_words`
    makes them: characters split at white space and where the next one starts more than
    X_TOLERANCE after the last one ends, is left of it, or stands on another line; a
    change of font size or of direction ends a word too. `characters` (text, x0, x1, top,
    bottom, upright), spaces included, are kept only when `keep_chars` (for the table finder).

    pdfium's loose character box gives a character's left and right edges and the line
    its font's descent sits on; the box is made as tall as the font size from there, as
    pdfminer makes it, so that lines of one paragraph are spaced as pdfplumber sees them.
    Characters pdfium generates (spaces and line breaks it infers) are not in the file
    and are skipped: pdfplumber does not see them either. A character without a Unicode
    value reads as U+FFFD."""
    import pypdfium2.raw as pdfium_c

    unicode_of = pdfium_c.FPDFText_GetUnicode
    box_of = pdfium_c.FPDFText_GetLooseCharBox
    is_generated = pdfium_c.FPDFText_IsGenerated
    rect = pdfium_c.FS_RECTF()
    a, b, c, d, e, f = frame.a, frame.b, frame.c, frame.d, frame.e, frame.f
    plain = b == 0 and c == 0 and a == 1 and d == -1  # unturned: x as pdfium has it
    words: list[dict] = []
    chars: list[tuple] = []
    texts: list[str] = []  # the current word's characters
    box = [0.0, 0.0, 0.0, 0.0]  # the current word's x0, x1, top, bottom
    last = (0.0, 0.0, 0.0, 0.0)  # x0, x1, top, bottom of its last character
    last_index = 0
    run = None  # the loose box's (bottom, top) where the current run of characters began
    size, upright = 0.0, True
    word_size, word_upright = 0.0, True

    def finish() -> None:
        text = "".join(texts)
        if LIGATURE.search(text):
            text = LIGATURE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
        # pdfium's coordinates are single-precision: to a thousandth of a point, the lines
        # of a paragraph set solid (no leading) still touch, as the renderer expects
        words.append({"text": text, "x0": round(box[0], 3), "x1": round(box[1], 3),
                      "top": round(box[2], 3), "bottom": round(box[3], 3), "size": word_size})
        texts.clear()

    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = unicode_of(textpage, index)
        text = chr(code) if code > 2 else HYPHEN if code == 2 else "\ufffd"
        space = text.isspace()
        if space:
            if is_generated(textpage, index):
                continue
            if texts:
                finish()
            if not keep_chars:
                continue
        box_of(textpage, index, rect)
        left, right, low, high = rect.left, rect.right, rect.bottom, rect.top
        if (low, high) != run:  # another font, size or line: what pdfium says of them
            run = (low, high)
            size, upright = _run_of(textpage, index, frame)
        if plain:
            x0, x1, bottom = left + e, right + e, f - low
            top = bottom - size if upright else f - high
        else:
            x0, top, x1, bottom = frame.box(left, low, right, high)
            if upright:
                top = bottom - size
        if keep_chars:
            chars.append((text, x0, x1, top, bottom, upright))
            if space:
                continue
        if texts and (size != word_size or upright != word_upright or (
                (x0 < last[0] or abs(top - last[2]) > _TOLERANCE or x0 > last[1] + _TOLERANCE
                 or x0 > last[1] + _CLEAR
                 and _gap(textpage, last_index, index, frame, (last[0], last[1], x0)) > _TOLERANCE)
                if upright else
                (top < last[2] or top > last[3] + _TOLERANCE or abs(x0 - last[0]) > _TOLERANCE))):
            finish()
        if texts:
            if x0 < box[0]:
                box[0] = x0
            if x1 > box[1]:
                box[1] = x1
            if top < box[2]:
                box[2] = top
            if bottom > box[3]:
                box[3] = bottom
        else:
            box[:] = x0, x1, top, bottom
            word_size, word_upright = size, upright
        texts.append(text)
        last, last_index = (x0, x1, top, bottom), index
    if texts:
        finish()
    return words, chars


HYPHEN = "-"
"""What pdfium's U+0002 stands for: a hyphen it takes to break a word at the end of a line
("pre-" above "paid"); the file has a hyphen there, and pdfplumber reads one."""

LIGATURE = re.compile("[\ufb00-\ufb06]")
"""Latin ligatures (ﬁ, ﬂ, ﬀ, …), which pdfplumber spells out ("fi") in words."""


def _gap(textpage, before: int, after: int, frame: _Frame, loose: tuple[float, float, float]
         ) -> float:
    """The gap in points between where character `before` advances to and where `after`
    starts, along the line, as pdfminer measures it. `loose` is (x0, x1) of `before`'s
    loose box and x0 of `after`'s; their gap stands when the advance cannot be read (a
    glyph pdfium cannot map back from its character gives no width, or a wrong one)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    x0, x1, next_x0 = loose
    x_1, y_1, x_2, y_2 = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    width, matrix = ctypes.c_float(), pdfium_c.FS_MATRIX()
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage, before))
    if not (font and pdfium_c.FPDFText_GetCharOrigin(textpage, before, x_1, y_1)
            and pdfium_c.FPDFText_GetCharOrigin(textpage, after, x_2, y_2)
            and pdfium_c.FPDFText_GetMatrix(textpage, before, matrix)
            # the width of the glyph pdfium maps the character back to, per point of size
            and pdfium_c.FPDFFont_GetGlyphWidth(
                font, pdfium_c.FPDFText_GetUnicode(textpage, before), 1.0, width)):
        return next_x0 - x1
    advance = width.value * pdfium_c.FPDFText_GetFontSize(textpage, before)
    end, _ = frame.point(x_1.value + advance * matrix.a, y_1.value + advance * matrix.b)
    start, _ = frame.point(x_2.value, y_2.value)
    if not (x0 < end <= x1 + 0.01 and start >= next_x0 - 0.01):
        return next_x0 - x1  # the loose box holds the advance: this width is not the glyph's
    return start - end


def _run_of(textpage, index: int, frame: _Frame) -> tuple[float, bool]:
    """(font size in points, upright) of a character, as pdfminer reckons them: the size
    scaled by the text and graphics matrices (pdfium gives it unscaled), upright when the
    character's matrix, turned with the page, neither rotates nor mirrors it."""
    import pypdfium2.raw as pdfium_c

    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
    size = round(pdfium_c.FPDFText_GetFontSize(textpage, index) * math.hypot(matrix.c, matrix.d), 3)
    ta, tb, tc, td = frame.turn
    a = matrix.a * ta + matrix.b * tc
    b = matrix.a * tb + matrix.b * td
    c = matrix.c * ta + matrix.d * tc
    d = matrix.c * tb + matrix.d * td
    return size, a * d > 0 and b * c <= 0


def _edges(page, frame: _Frame) -> list[dict]:
    """The ruling lines of a page as pdfplumber's `page.edges` lists them: each straight
    horizontal or vertical side of a stroked or filled path (table borders, cell shading,
    rules), in form XObjects too. A path's points are its segments' end points, a closed
    path returning to its start, as pdfminer reads them."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    edges: list[dict] = []
    matrix = pdfium_c.FS_MATRIX()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    x, y = ctypes.c_float(), ctypes.c_float()

    def sides(points: list[tuple[float, float]]) -> None:
        for (x_1, t_1), (x_2, t_2) in zip(points, points[1:]):
            if x_1 == x_2 and t_1 != t_2:
                orientation = "v"
            elif t_1 == t_2 and x_1 != x_2:
                orientation = "h"
            else:
                continue  # a point, or a slanted stroke: not a ruling line
            x0, x1, top, bottom = min(x_1, x_2), max(x_1, x_2), min(t_1, t_2), max(t_1, t_2)
            edges.append({"object_type": "curve_edge", "x0": x0, "x1": x1, "top": top,
                          "bottom": bottom, "doctop": top, "width": x1 - x0,
                          "height": bottom - top, "orientation": orientation})

    def walk(count: int, get, outer: tuple) -> None:
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            a, b, c, d, e, f = outer
            inner = (matrix.a * a + matrix.b * c, matrix.a * b + matrix.b * d,
                     matrix.c * a + matrix.d * c, matrix.c * b + matrix.d * d,
                     matrix.e * a + matrix.f * c + e, matrix.e * b + matrix.f * d + f)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                walk(pdfium_c.FPDFFormObj_CountObjects(obj),
                     lambda k, form=obj: pdfium_c.FPDFFormObj_GetObject(form, k), inner)
                continue
            pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
            if not fill.value and not stroke.value:
                continue
            a, b, c, d, e, f = inner
            points: list[tuple[float, float]] = []
            curve = 0
            for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
                segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
                kind = pdfium_c.FPDFPathSegment_GetType(segment)
                pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
                point = frame.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
                if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                    sides(points)
                    points, curve = [point], 0
                elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                    curve += 1
                    if curve % 3 == 0:  # two control points, then where the curve ends
                        points.append(point)
                else:
                    points.append(point)
                if pdfium_c.FPDFPathSegment_GetClose(segment) and points and points[-1] != points[0]:
                    points.append(points[0])
            sides(points)

    walk(pdfium_c.FPDFPage_CountObjects(page), lambda k: pdfium_c.FPDFPage_GetObject(page, k),
         (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return edges


class _Layout:
    """A page as pdfplumber's table finder looks at it: its box, its ruling lines (`edges`)
    and, for reading the cells, its characters."""

    def __init__(self, bbox: tuple[float, float, float, float], edges: list[dict]):
        self.bbox = bbox
        self.edges = edges
        self.chars: list[dict] = []


def _tables(edges: list[dict], chars: list[tuple], frame: _Frame) -> list[tuple[
        tuple[float, float, float, float], list[list[str | None]], list[tuple]]]:
    """The tables pdfplumber's table finder (default settings, as `page.find_tables()`)
    finds in a page's ruling lines, each (bbox, rows, the rows' boxes) with the cells read
    by `Table.extract()` from the characters inside the table."""
    from pdfplumber.table import TableFinder

    layout = _Layout(frame.bbox, edges)
    found = TableFinder(layout).tables
    if not found:
        return []
    inside: dict[int, tuple] = {}  # a character once, even where two tables' boxes overlap
    for bx0, btop, bx1, bbottom in (table.bbox for table in found):
        inside.update((i, ch) for i, ch in enumerate(chars)
                      if btop <= (ch[3] + ch[4]) / 2 < bbottom and bx0 <= (ch[1] + ch[2]) / 2 < bx1)
    layout.chars = [
        {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
         "upright": upright, "width": x1 - x0, "height": bottom - top}
        for _, (text, x0, x1, top, bottom, upright) in sorted(inside.items())]
    return [(table.bbox, table.extract(), [row.bbox for row in table.rows]) for table in found]


def page_text(page) -> PageText:
    """The words and tables of a pypdfium2 page (see PageText). The table finder runs only
    on a page with both horizontal and vertical ruling lines: cells need both."""
    frame = _frame(page)
    edges = _edges(page.raw, frame)
    ruled = {e["orientation"] for e in edges} == {"h", "v"}
    textpage = page.get_textpage()
    try:
        words, chars = _text_layer(textpage.raw, frame, keep_chars=ruled)
    finally:
        textpage.close()
    found = _tables(edges, chars, frame) if ruled else []
    return PageText(frame.width, frame.height, words, [(box, rows) for box, rows, _ in found],
                    [boxes for _, _, boxes in found])


def _open(data: bytes):
    """A pypdfium2 document; DocumentError for an encrypted or broken file."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if data.find(b"%PDF", 0, 1028) < 0:  # pdfium looks for it in the first 1,024 bytes
        raise DocumentError("document-unreadable", "not a PDF: its bytes hold no %PDF header "
                            "(a text or HTML page? give its entry of raw/sources.yaml "
                            "`format: html` or `format: text`)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise DocumentError("document-unreadable",
                                "encrypted PDF (a password is needed to open it); provide an "
                                "unencrypted copy") from None
        raise DocumentError("document-unreadable", f"not a readable PDF ({exc})") from None
    except Exception as exc:
        raise DocumentError("document-unreadable",
                            f"not a readable PDF ({type(exc).__name__}: {exc})") from None


def render(data: bytes) -> tuple[str, list[Box | None]]:
    """The rendition text and its lines (None = blank) of a PDF."""
    pdf = _open(data)
    pages: list[list[Box]] = []
    tables: list[list[tuple[float, list[Box]]]] = []
    heights = []
    gutter = None
    try:
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            try:
                text = page_text(page)
            finally:
                page.close()
            lines, page_tables, gutter = _page_lines(text, number, gutter)
            pages.append(lines)
            tables.append(page_tables)
            heights.append(text.height)
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError("document-unreadable",
                            f"page {len(pages) + 1} cannot be read ({type(exc).__name__}: "
                            f"{exc})") from None
    finally:
        pdf.close()
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
