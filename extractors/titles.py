"""The titles a page gives itself, in the order a reader meets them: what the page is
about, for pages registered without an `occupation`. Pure: Document in, candidates out.

- HTML: `<title>`, `og:title`, then each `<h1>`; then the opening sentence of the first
  paragraph (kind `lead`);
- text (and a PDF's first page): a Markdown front matter `title:`, then the first
  heading-like lines (short, no sentence punctuation at the end, no figures but years and
  SOC codes: "Pharmacy Technicians", "Occupations A–Z | Healthcare | Pharmacy
  Technicians", "Phlebotomists (31-9097) by area"), then the opening sentence of the
  first paragraph ("Information security analysts protect an organization's networks").

The registry's title is not read here: the resolution stage (pipeline/occupations.py)
weighs it, and decides which candidate names an occupation.

>>> from extractors.document import document_from_bytes
>>> page = b"Home > Careers > Surgical Technologists\\n\\nSurgical Technologists\\n\\nMedian pay: $60,370"
>>> [c.text for c in title_candidates(document_from_bytes(page, source_id="p", path="p.txt"))]
['Home > Careers > Surgical Technologists', 'Surgical Technologists']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.document import Document

HEADING_LINES = 40
"""Heading-like lines are looked for among a page's first 40 non-empty lines: below that
they are sections ("Pay", "Job Outlook"), not the page's title."""

MAX_WORDS = 14


@dataclass(frozen=True)
class TitleCandidate:
    text: str
    kind: str  # title | og:title | h1 | front-matter | heading | lead


def title_candidates(doc: Document) -> list[TitleCandidate]:
    """The page's title candidates, most telling first (see the module docstring)."""
    if doc.format == "html":
        return _html(doc.text)
    if doc.format == "pdf":
        return _pdf(doc.data)
    if doc.format in ("text",):
        return _text(doc.text)
    return []


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def _html(source: str) -> list[TitleCandidate]:
    import lxml.html  # bs4's parser underneath, without building a soup for three elements

    try:
        root = lxml.html.document_fromstring(source)
    except Exception:  # a page lxml cannot parse has no title to offer
        return []
    found: list[TitleCandidate] = []
    for element in root.iter("title"):
        found.append(TitleCandidate(_clean(element.text_content()), "title"))
        break
    for element in root.iter("meta"):
        if (element.get("property") or element.get("name") or "").lower() == "og:title":
            found.append(TitleCandidate(_clean(element.get("content") or ""), "og:title"))
    for element in root.iter("h1"):
        found.append(TitleCandidate(_clean(element.text_content()), "h1"))
    for element in root.iter("p"):
        lead = _lead(_clean(element.text_content()))
        if lead:
            found.append(TitleCandidate(lead, "lead"))
            break
    return _unique(found)


def _pdf(data: bytes) -> list[TitleCandidate]:
    try:
        import pypdfium2 as pdfium  # ships with pdfplumber; ~1 ms for a first page

        pdf = pdfium.PdfDocument(data)
        found = []
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
        if title:
            found.append(TitleCandidate(_clean(title), "title"))
        if len(pdf):
            found += _text(pdf[0].get_textpage().get_text_range())
        pdf.close()
        return _unique(found)
    except Exception:  # an unreadable PDF is the extractor's to report
        return []


FRONT_MATTER_TITLE = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.M)
YEARS_AND_CODES = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{2}-\d{4}(?:\.\d{2})?\b")
TABLE_GAP = re.compile(r"\S {3,}\S|\t")


def heading_like(line: str) -> bool:
    """Whether a line reads as a heading: short, not a sentence, not a row of figures.

    >>> heading_like("Customer Service Representatives: Jobs, Openings and Outlook")
    True
    >>> heading_like("Median pay: $59 810 per year"), heading_like("Updated: 2025-09-18")
    (False, False)
    >>> heading_like("31-9097  Phlebotomists            2,479     21.05     17.99")
    False
    """
    text = line.strip()
    if not 3 <= len(text) <= 120 or TABLE_GAP.search(text):
        return False
    if "$" in text or "%" in text or text[-1] in ".,;:" or text.startswith(("-", "*", "•")):
        return False
    if len(text.split()) > MAX_WORDS or not re.search(r"[A-Za-z]{3}", text):
        return False
    return sum(ch.isdigit() for ch in YEARS_AND_CODES.sub("", text)) <= 2


def _lead(paragraph: str) -> str:
    """The opening sentence of a paragraph of prose (at least eight words), or ""."""
    if len(paragraph.split()) < 8 or not re.search(r"[.!?]", paragraph):
        return ""
    # a sentence ends at . ! ? before a capital, not inside "U.S. workers"
    sentence = re.split(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])", paragraph, maxsplit=1)[0]
    return sentence if len(sentence.split()) >= 5 else ""


def _text(text: str) -> list[TitleCandidate]:
    found: list[TitleCandidate] = []
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is not None:
            m = FRONT_MATTER_TITLE.search("\n".join(lines[1:end]))
            if m:
                found.append(TitleCandidate(_clean(m.group(1)), "front-matter"))
            lines = lines[end + 1:]
    seen = 0
    lead = ""
    for line in lines:
        if not line.strip():
            continue
        seen += 1
        if seen > HEADING_LINES:
            break
        heading = line.strip().lstrip("#").strip()
        if heading_like(heading):
            found.append(TitleCandidate(_clean(heading), "heading"))
        elif not lead:
            lead = _lead(_clean(line))
    if lead:
        found.append(TitleCandidate(lead, "lead"))
    return _unique(found)


def _unique(found: list[TitleCandidate]) -> list[TitleCandidate]:
    seen, out = set(), []
    for candidate in found:
        if candidate.text and (candidate.text, candidate.kind) not in seen:
            seen.add((candidate.text, candidate.kind))
            out.append(candidate)
    return out
