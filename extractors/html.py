"""Claims from an HTML career page.

Pages are parsed with lxml's HTML parser (the tree beautifulsoup4 builds on with its
"lxml" builder, walked directly: building bs4's objects on top cost more than all the
reading after it).

The page's visible content is rendered to lines of text the way a reader sees it — a
table row is one line with its cells separated by tabs, a definition list pairs each
term with its description, a block element starts a new line, inline elements
(`$50,<span>250</span>`) stay joined — and the same line rules as for plain text read
the claims. Each line remembers the element it came from, so a claim's locator is an
element path a person can follow (`html/body/main/table#facts.quick/tr[2]`) and its
quote is that element's visible text.

Not read: `script`, `style`, `template`, `noscript`, inline `svg`, hidden elements, and
navigation, footers and cookie banners.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from extractors.claims import Claim, Reading, relocated_reading
from extractors.document import Document
from extractors.patterns import stated_page_date
from extractors.text import read_page, split_lines

SKIPPED = frozenset({
    "script", "style", "template", "noscript", "svg", "math", "head", "nav", "footer",
    "iframe", "object", "embed", "canvas", "button", "select", "option", "input",
    "textarea", "form", "audio", "video", "picture", "img", "map",
})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "center",
})
MAJOR = frozenset({"h1", "h2"})
CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|site-?header|footer|cookies?|"
    r"consent|gdpr|advert|ads|share|social|skip-link)(?:$|[-_\s])",
    re.I,
)
"""Class or id words of page chrome: "cookie-banner", "site-footer", "breadcrumb"."""
CHROME_ROLES = frozenset({"navigation", "contentinfo", "banner", "search", "alertdialog"})
JOB_POSTING = re.compile(r"(?:^|[-_\s])(?:job|jobs|job-?card|listing|listings|posting|vacanc\w*)"
                         r"(?:$|[-_\s])", re.I)
"""Class or id words of a job posting: "job-card", "listing", "vacancy"."""
INLINE = frozenset({"span", "strong", "b", "em", "i", "a", "small", "label", "data", "abbr",
                    "mark", "sup", "sub", "u", "code", "time", "big"})
CARD_BREAKERS = frozenset({"div", "p", "table", "ul", "ol", "dl", "section", "article", "li"})
LEAF_BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "dt", "dd",
                         "strong", "b", "small", "figcaption", "time", "a", "em"})
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
SPACES = re.compile(r"[ \r\n\f\v]+")
SPACED_TAB = re.compile(r" ?\t ?")
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
"""Soft hyphens and zero-width characters: invisible, and they split numbers."""


UNREAD = re.compile(r"<(script|style|svg|template|noscript)\b[^>]*>", re.I)
"""Elements whose content is never read. Their content is emptied before parsing (the
elements stay, so element paths keep their positions): on real career pages scripts,
styles and inline icons are a third of the bytes, and the parser need not build them."""
UNREAD_END = re.compile(r"</(\w{3,8})\s*>")
"""What may close one of them: its name (of 3 to 8 letters) is checked by SAME_NAME."""
SAME_NAME = re.compile(r"(.+)\x00\1", re.I | re.S)
"""Two names the same as a backreference compares them: letter by letter, lowered."""

UNREAD_NESTED = re.compile(r"<(/?)(nav|footer)\b[^>]*>", re.I)
"""Navigation and footers may nest, so they are emptied by counting, not by a pattern."""


def unread_emptied(html: str) -> str:
    """The page with the content of never-read elements removed (the elements stay).

    Each is emptied up to the first end tag of its name (as `<(script|…)\\b[^>]*>.*?</\\1\\s*>`
    does, with re.I) after its start tag, which jumps to each end tag instead of trying
    one at every character of a script; one that never ends is left whole.

    >>> unread_emptied("<p>a</p><SCRIPT src=x>if (a</b) {}</Script ><p>b</p><svg>")
    '<p>a</p><SCRIPT src=x></Script ><p>b</p><svg>'
    """
    pieces, kept_from, at = [], 0, 0
    endless: set[str] = set()  # names no end tag closes after some point: none later
    while (start := UNREAD.search(html, at)) is not None:
        name = start.group(1)
        end = None if name in endless else UNREAD_END.search(html, start.end())
        while end is not None and not SAME_NAME.fullmatch(f"{name}\x00{end.group(1)}"):
            end = UNREAD_END.search(html, end.start() + 1)
        if end is None:
            endless.add(name)
            at = start.start() + 1  # no end tag: another element's may have one
            continue
        pieces.append(html[kept_from:start.end()])
        kept_from, at = end.start(), end.end()
    pieces.append(html[kept_from:])
    html = "".join(pieces)
    out, depth, kept_to = [], 0, 0
    for m in UNREAD_NESTED.finditer(html):
        closing = bool(m.group(1))
        if not closing:
            if depth == 0:
                out.append(html[kept_to:m.end()])
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                kept_to = m.start()
    out.append(html[kept_to:] if depth == 0 else "")
    return "".join(out) if depth == 0 else html  # unbalanced: leave it to the parser


Tag = etree._Element


def _name(el) -> str | None:
    """An element's tag name, or None for a comment or processing instruction."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else None


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _skipped(tag: Tag) -> bool:
    name = _name(tag)
    if name is None or name in SKIPPED:
        return True
    attrs = tag.attrib
    if not attrs:
        return False  # most elements: nothing hides them
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if HIDDEN_STYLE.search(attrs.get("style", "") or ""):
        return True
    if attrs.get("role") in CHROME_ROLES:
        return True
    words = " ".join([attrs.get("id", "") or ""] + _classes(tag))
    return bool(words.strip() and CHROME.search(words))


def _flow(el):
    """The element's content in order: ("text", str) and ("el", child) items; a child
    that is skipped or a comment still lets the text after it through."""
    if el.text:
        yield "text", el.text
    for child in el:
        yield "el", child
        if child.tail:
            yield "text", child.tail


class ElementPaths:
    """Paths a person can follow: tag, #id, .classes and [n] among same-tag siblings,
    e.g. "html/body/div#pay/table.wages/tr[3]". Each element's path is worked out once,
    from its parent's, so locating every claim of a page costs one pass over the
    elements it touches."""

    def __init__(self) -> None:
        self._paths: dict[Tag, tuple[str, ...]] = {}
        self._places: dict[Tag, dict[Tag, int]] = {}  # parent -> {child: n among its tag}
        self._counts: dict[tuple[Tag, str], int] = {}

    def steps(self, tag: Tag) -> tuple[str, ...]:
        known = self._paths.get(tag)
        if known is not None:
            return known
        name = _name(tag)
        if name is None:
            return ()
        step = name
        if tag.get("id"):
            step += f"#{tag.get('id')}"
        classes = _classes(tag)
        if classes:
            step += "." + ".".join(classes[:3])
        parent = tag.getparent()
        if parent is None:
            path: tuple[str, ...] = (step,)
        else:
            if parent not in self._places:
                self._index(parent)
            if self._counts[(parent, name)] > 1:
                step += f"[{self._places[parent][tag]}]"
            path = self.steps(parent) + (step,)
        self._paths[tag] = path
        return path

    def _index(self, parent: Tag) -> None:
        places: dict[Tag, int] = {}
        for child in parent:
            name = _name(child)
            if name is not None:
                n = self._counts.get((parent, name), 0) + 1
                self._counts[(parent, name)] = n
                places[child] = n
        self._places[parent] = places

    def common(self, tags: list[Tag]) -> str:
        """The path of the innermost element holding all of `tags`."""
        if len(tags) == 1:
            return "/".join(self.steps(tags[0]))  # most claims are read from one line
        paths = [self.steps(tag) for tag in tags]
        common = []
        for steps in zip(*paths):
            if len(set(steps)) != 1:
                break
            common.append(steps[0])
        return "/".join(common)


def element_path(tag: Tag) -> str:
    """A path a person can follow: tag, #id, .classes and [n] among same-tag siblings."""
    return "/".join(ElementPaths().steps(tag))


@dataclass
class Rendition:
    """The visible text of a page as lines, each with the element it came from."""

    parts: list[str] = field(default_factory=list)
    lines: list[tuple[int, int, Tag, bool, int, str]] = field(default_factory=list)
    length: int = 0
    buffer: list[str] = field(default_factory=list)
    owner: Tag | None = None
    times: list[str] = field(default_factory=list)  # <time> stamps met on the way
    block: int = -1  # the card being rendered, so its lines can be told apart from others
    hint: str = ""  # "job-ad" inside a job posting
    blocks: int = 0

    def add_line(self, text: str, owner: Tag, major: bool = False, preformatted: bool = False
                 ) -> None:
        if preformatted:
            # a <pre> keeps its spaces: columns aligned with them are a table
            text = text.translate(INVISIBLE).replace("\t", "    ").rstrip()
            if text.strip():
                start = self.length
                self.parts.append(text + "\n")
                self.length += len(text) + 1
                self.lines.append((start, start + len(text), owner, major, self.block, self.hint))
            else:
                self.blank()
            return
        if not text.isascii():  # every invisible character is outside ASCII
            text = text.translate(INVISIBLE)
        if "  " in text or "\n" in text or "\r" in text or "\f" in text or "\v" in text:
            text = SPACES.sub(" ", text)
        text = text.strip(" ")
        if "\t" in text:
            text = SPACED_TAB.sub("\t", text).strip("\t")
        if not text:
            return
        start = self.length
        self.parts.append(text + "\n")
        self.length += len(text) + 1
        self.lines.append((start, start + len(text), owner, major, self.block, self.hint))

    def blank(self) -> None:
        if self.parts and self.parts[-1] != "\n":
            self.parts.append("\n")
            self.length += 1

    def flush(self) -> None:
        if self.buffer:
            self.add_line("".join(self.buffer), self.owner)
            self.buffer = []

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Page:
    """What rendering asks of a page's elements, each worked out once: whether an element
    is skipped, and its visible text (a block's cells and a card's lines are looked at
    before they are rendered, and a container's children by each test in turn)."""

    def __init__(self) -> None:
        self._skipped: dict[Tag, bool] = {}
        self._texts: dict[Tag, str] = {}

    def skipped(self, tag: Tag) -> bool:
        known = self._skipped.get(tag)
        if known is None:
            known = self._skipped[tag] = _skipped(tag)
        return known

    def visible_text(self, tag: Tag) -> str:
        known = self._texts.get(tag)
        if known is None:
            pieces: list[str] = []
            self._collect(tag, pieces)
            known = self._texts[tag] = "".join(pieces)
        return known

    def _collect(self, node: Tag, pieces: list[str]) -> None:
        if node.text:
            pieces.append(node.text)
        for item in node:
            if not self.skipped(item):
                name = _name(item)
                if name in BLOCKS:
                    pieces.append(" ")
                    self._collect(item, pieces)
                    pieces.append(" ")
                else:
                    if name == "br":
                        pieces.append(" ")
                    self._collect(item, pieces)
            if item.tail:
                pieces.append(item.tail)

    def children(self, tag: Tag) -> list[Tag]:
        return [c for c in tag if not self.skipped(c)]

    def cells(self, tag: Tag) -> list[Tag] | None:
        """The inline children of a block that are cells of one row, not words of one
        sentence: `<div class="card"><span class="label">Median annual wage</span><span
        class="value">$89,340</span></div>` reads "Median annual wage<TAB>$89,340"."""
        if _has_own_text(tag):
            return None
        children = self.children(tag)
        if len(children) < 2 or any(_name(c) not in INLINE for c in children):
            return None
        if any(_has_block(c) for c in children):
            return None
        return children

    def card(self, tag: Tag) -> bool:
        """A small box of facts: a few leaf blocks ("Median salary" / "$56,230" / "per year,
        May 2021"), read as lines of one block without paragraph breaks between them."""
        if _name(tag) not in CARD_BOXES or _has_own_text(tag):
            return False
        children = self.children(tag)
        if not 2 <= len(children) <= 8:
            return False
        for c in children:
            if _name(c) not in LEAF_BLOCKS or any(_name(d) in CARD_BREAKERS
                                                 for d in c.iterdescendants()):
                return False
            if len(self.visible_text(c).strip()) > 120:
                return False  # a heading over a paragraph is a section, not a card
        return True

    def table_rows(self, table: Tag) -> list[tuple[Tag, list[str]]]:
        """Each row's cell texts, with row- and column-spanning cells repeated into the
        grid positions they cover."""
        rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
        carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows left)
        grid: list[tuple[Tag, list[str]]] = []
        for tr in rows:
            cells: list[str] = []
            column = 0
            own = [c for c in tr if _name(c) in ("td", "th")]
            if len(own) == 1 and not carried:
                grid.append((tr, [self.visible_text(own[0])]))  # a note spanning the table: once
                continue
            for cell in own:
                while column in carried:
                    text, left = carried[column]
                    cells.append(text)
                    carried[column] = (text, left - 1)
                    if left - 1 == 0:
                        del carried[column]
                    column += 1
                if self.skipped(cell):
                    continue
                text = self.visible_text(cell)
                span = _span(cell.get("colspan"))
                down = _span(cell.get("rowspan"))
                for _ in range(span):
                    cells.append(text)
                    if down > 1:
                        carried[column] = (text, down - 1)
                    column += 1
            while column in carried:
                text, left = carried[column]
                cells.append(text)
                carried[column] = (text, left - 1)
                if left - 1 == 0:
                    del carried[column]
                column += 1
            grid.append((tr, cells))
        return grid


def _has_own_text(tag: Tag) -> bool:
    if tag.text and tag.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in tag)


def _has_block(tag: Tag) -> bool:
    return any(_name(d) in BLOCKS for d in tag.iterdescendants())


CARD_BOXES = frozenset({"div", "li", "article", "section", "aside", "figure"})


def _span(value) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip()), 50))
    except (TypeError, ValueError):
        return 1


def _alt_text(out: Rendition, image: Tag) -> None:
    """An image's text alternative, as a screen reader reads it, when it states figures:
    an infographic's "Median pay $62,580 a year … Workers employed: 11,220"."""
    images = [image] if _name(image) == "img" else [i for i in image.iter("img")]
    for img in images:
        attrs = img.attrib
        alt = " ".join((attrs.get("alt") or "").split())
        if not alt or not re.search(r"\d", alt) or "hidden" in attrs \
                or attrs.get("aria-hidden") == "true" or attrs.get("role") == "presentation":
            continue
        out.flush()
        out.add_line(alt, img)


def parse(text: str) -> Tag:
    """The page's tree (lxml's HTML parser), the content of never-read elements emptied.

    The elements are lxml's own, not lxml.html's: those are looked up by a Python class
    for every element touched, and nothing here uses their extra methods."""
    html = unread_emptied(text)
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=False)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>", parser=parser)


_text_content = etree.XPath("string()", smart_strings=False)
"""An element's text with its descendants', as lxml.html's `text_content()` gives it."""


def _body(root: Tag) -> Tag:
    body = root.find("body")
    return body if body is not None else root


def render(root: Tag) -> Rendition:
    out = Rendition()
    page = _Page()

    def walk(node: Tag) -> None:
        for kind, child in _flow(node):
            if kind == "text":
                if out.owner is None:
                    out.owner = node
                out.buffer.append(child)
                continue
            name = _name(child)
            if name in ("img", "picture"):
                _alt_text(out, child)
                continue
            if page.skipped(child):
                continue
            if name == "time":
                out.times.append(str(child.get("datetime", "")) or _text_content(child))
            if name == "br":
                out.flush()
                continue
            if name == "pre":
                out.flush()
                out.blank()
                for row in _text_content(child).split("\n"):
                    out.add_line(row, child, preformatted=True)
                out.blank()
                continue
            if name == "table":
                out.flush()
                out.blank()
                caption = next((c for c in child.iter("caption")
                                if next(c.iterancestors("table"), None) is child), None)
                if caption is not None:
                    out.add_line(page.visible_text(caption), caption)
                for tr, cells in page.table_rows(child):
                    out.add_line("\t".join(c.replace("\t", " ") for c in cells), tr)
                out.blank()
                continue
            if name == "dl":
                out.flush()
                term: Tag | None = None
                for item in [c for c in child if _name(c) in ("dt", "dd")]:
                    if _name(item) == "dt":
                        if term is not None:
                            out.add_line(page.visible_text(term), term)
                        term = item
                    elif term is not None:
                        # located at the description, where the figure is
                        out.add_line(page.visible_text(term) + "\t" + page.visible_text(item), item)
                        term = None
                    else:
                        out.add_line(page.visible_text(item), item)
                if term is not None:
                    out.add_line(page.visible_text(term), term)
                out.blank()
                continue
            if name in BLOCKS:
                out.flush()
                saved_hint = out.hint
                words = " ".join([str(child.get("id", "") or "")] + _classes(child))
                if words and JOB_POSTING.search(words):
                    out.hint = "job-ad"
                cells = page.cells(child)
                if cells is not None:
                    out.add_line("\t".join(page.visible_text(c).replace("\t", " ") for c in cells),
                                 child)
                    out.hint = saved_hint
                    continue
                if page.card(child):
                    out.blank()
                    saved_block = out.block
                    out.blocks += 1
                    out.block = out.blocks
                    for c in page.children(child):
                        cells = page.cells(c)
                        if cells is not None:
                            out.add_line("\t".join(page.visible_text(x).replace("\t", " ")
                                                   for x in cells), c)
                        else:
                            out.add_line(page.visible_text(c), c, major=_name(c) in MAJOR)
                    out.block = saved_block
                    out.hint = saved_hint
                    out.blank()
                    continue
                if name in MAJOR or name in ("h3", "h4", "h5", "h6"):
                    if name in MAJOR:
                        out.blank()
                    out.add_line(page.visible_text(child), child, major=name in MAJOR)
                    out.hint = saved_hint
                    continue
                saved = out.owner
                out.owner = child
                walk(child)
                out.flush()
                out.owner = saved
                out.hint = saved_hint
                if name in ("p", "ul", "ol", "section", "article", "blockquote"):
                    out.blank()
                continue
            walk(child)  # inline: joins the current line

    walk(_body(root))
    out.flush()
    return out


DATE_META = (
    ("property", "article:modified_time"), ("property", "og:updated_time"),
    ("name", "last-modified"), ("name", "dcterms.modified"), ("itemprop", "dateModified"),
    ("property", "article:published_time"), ("name", "date"), ("itemprop", "datePublished"),
)
ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}-\d{2}-\d{2}(?!\d)")


def page_date(root: Tag, rendition: Rendition) -> str:
    """When the page says it was updated: metadata, a `<time>`, or "Updated 2026-01-09"."""
    metas: dict[tuple[str, str], str] = {}
    head = root.find("head")
    for tag in (head if head is not None else root).iter("meta"):
        for attribute, value in DATE_META:
            if tag.get(attribute) == value:
                metas.setdefault((attribute, value), str(tag.get("content", "")))
    for key in DATE_META:
        m = ISO_DATE.search(metas.get(key, ""))
        if m:
            return m.group()
    for stamp in rendition.times:
        m = ISO_DATE.search(stamp)
        if m:
            return m.group()
    return stated_page_date(rendition.text)


def rendered_text(doc: Document) -> str:
    """The lines a reader sees on the page, as the extractor reads them."""
    return render(parse(doc.text)).text


def extract_html(doc: Document) -> list[Claim]:
    """Claims from an HTML page, located by element path.

    >>> from extractors.document import document_from_bytes
    >>> page = b'<html><body><nav>Median pay: $1</nav><table id="facts"><tr><th>2024 Median Pay</th>'
    >>> page += b'<td>$50,<span>250</span> per year</td></tr></table></body></html>'
    >>> doc = document_from_bytes(page, source_id="demo", path="demo.html", format="html")
    >>> [(c.value, c.period, c.quote, c.locator) for c in extract_html(doc)]
    [(50250.0, '2024', '2024 Median Pay\\t$50,250 per year', 'html:html/body/table#facts/tr')]
    """
    return read_html(doc).claims


def read_html(doc: Document) -> Reading:
    """An HTML page read: claims and notes located by element path."""
    root = parse(doc.text)
    rendition = render(root)
    text = rendition.text
    marks = {start: (major, block, hint) for start, _, _, major, block, hint in rendition.lines}
    lines = split_lines(text, marks)
    owners = {start: owner for start, _, owner, *_ in rendition.lines}
    starts = sorted(owners)
    rendered = Document(source_id=doc.source_id, path=doc.path, format="html", text=text,
                        encoding=doc.encoding, occupation=doc.occupation,
                        page_date=doc.page_date or page_date(root, rendition))
    reading = read_page(rendered, lines, extractor="html")
    paths = ElementPaths()
    spans: dict[tuple[int, int], str] = {}

    located: dict[str, str] = {}  # the claims of a line share its locator

    def where(locator: str) -> str:
        known = located.get(locator)
        if known is not None:
            return known
        a, b = map(int, locator.removeprefix("chars=").split("-"))
        first = max(bisect.bisect_right(starts, a) - 1, 0)
        last = max(bisect.bisect_right(starts, max(a, b - 1)) - 1, 0)
        if (first, last) not in spans:
            tags = [owners[starts[i]] for i in range(first, last + 1)]
            spans[(first, last)] = f"html:{paths.common(tags)}"
        located[locator] = spans[(first, last)]
        return located[locator]

    return relocated_reading(reading, where)
