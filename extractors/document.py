"""A document as the extractors see it: bytes from `raw/`, decoded once.

>>> doc = document_from_bytes(b"Median pay: $50,250", source_id="demo", path="demo.txt")
>>> doc.text, doc.encoding
('Median pay: $50,250', 'utf-8')
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field


class DocumentError(Exception):
    """A document that cannot be read at all; `code` is a problem code of the catalogue."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Document:
    source_id: str
    path: str  # as shown to people, e.g. "raw/001_ff2d.txt"
    format: str
    text: str
    encoding: str
    occupation: str = ""  # SOC code hint from the registry, e.g. "29-2072"
    page_date: str = ""  # when the page says it was updated, ISO date
    data: bytes = field(default=b"", repr=False)  # the bytes, for formats read from them (PDF)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
"""A charset an HTML page declares: <meta charset="windows-1252">, or http-equiv content."""

BINARY_FORMATS = frozenset({"pdf", "xlsx", "xls"})
"""Formats whose extractor reads the bytes themselves."""

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""A Compound File: legacy Excel (.xls), but also legacy Word: told apart by the name."""

HTML_MARKER = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)


def sniff_format(data: bytes, path: str = "") -> str:
    """The format of a document from its first bytes, then its file name.

    >>> sniff_format(b"%PDF-1.7 ..."), sniff_format(b"\\xef\\xbb\\xbf<!DOCTYPE html><html>"), sniff_format(b"Pay: $5")
    ('pdf', 'html', 'text')
    """
    head = data[:2048]
    if b"%pdf-" in head[:1024].lower():
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"xl/" in data[:65536]:
        return "xlsx"
    if head.startswith(OLE2_MAGIC) and path.lower().endswith(".xls"):
        return "xls"
    for bom, encoding in _BOMS:
        if head.startswith(bom) and encoding != "utf-8-sig":
            head = head.decode(encoding, errors="ignore").encode("utf-8")
            break
    if HTML_MARKER.search(head):
        return "html"
    suffix = path.lower().rsplit(".", 1)[-1] if "." in path else ""
    return {"pdf": "pdf", "html": "html", "htm": "html", "csv": "csv",
            "xlsx": "xlsx"}.get(suffix, "text")


ASCII_PROBE = b'<meta charset="x">\t+Median: $50,250 (2024)'


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares, if it is one the page can be in.

    A declaration read as ASCII can only be true of an ASCII-compatible text encoding:
    as browsers do, "utf-16" or an EBCDIC code page is ignored, and so is a codec that
    is no text encoding at all ("rot13", "base64") or that decodes ASCII otherwise
    ("utf-7").

    >>> _declared_charset(b'<meta charset="windows-1252">'), _declared_charset(b'<meta charset="rot13">')
    ('cp1252', None)
    """
    m = META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        info = codecs.lookup(m.group(1).decode("ascii"))
        if not getattr(info, "_is_text_encoding", True):
            return None
        if ASCII_PROBE.decode(info.name) != ASCII_PROBE.decode("ascii"):
            return None
    except (LookupError, UnicodeError):
        return None
    return info.name


def decode(data: bytes, format: str = "text") -> tuple[str, str]:
    """Text and encoding of a page: its BOM, else the charset an HTML page declares,
    else UTF-8, else what a detector finds, with cp1252 as the last resort.

    Binary content (NUL bytes without a UTF-16/32 BOM) and bytes no encoding explains
    raise DocumentError("document-undecodable").

    >>> decode("Pay: $50,250 – 2024".encode("cp1252"))
    ('Pay: $50,250 – 2024', 'cp1252')
    """
    if not data:
        raise DocumentError("document-empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DocumentError("document-undecodable", f"invalid {encoding}: {exc.reason} "
                                    f"at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise DocumentError("document-undecodable", "binary content (NUL bytes), not a text page")
    declared = _declared_charset(data) if format == "html" else None
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeError:
            pass  # a page that lies about its charset: detect it instead
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    detected = _detected(data)
    if detected:
        return detected
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise DocumentError(
            "document-undecodable",
            f"neither UTF-8 ({utf8_error.reason} at byte {utf8_error.start}), a detectable "
            "encoding nor cp1252",
        ) from None


WESTERN = re.compile(r"[^\x00-\u024f\u2010-\u2044\u20ac\u2122]")
"""Anything but Latin letters, Western punctuation, € and ™."""


def _detected(data: bytes) -> tuple[str, str] | None:
    """The encoding of bytes that are not UTF-8: cp1252 when it reads them as Western
    text (what most non-UTF-8 pages in English are: a detector guesses badly on text
    that is nearly all ASCII), else what charset-normalizer finds. A guess that leaves
    less than half the text ASCII is refused: figures and their labels are ASCII, and
    random bytes decode to something in some East Asian codec."""
    try:
        text = data.decode("cp1252")
        if not WESTERN.search(text):
            return text, "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the rare page that needs it

    matches = from_bytes(data[:65536])
    best = matches.best()
    if best is None:
        return None
    encoding = best.encoding
    try:
        text = data.decode(encoding)
    except (UnicodeError, LookupError):
        return None
    if sum(ch.isascii() for ch in text) < len(text) / 2:
        return None
    return text, encoding


def document_from_bytes(data: bytes, *, source_id: str, path: str, format: str = "text",
                        occupation: str = "") -> Document:
    """A Document from raw bytes; raises DocumentError when they cannot be read.

    A PDF keeps its bytes for its extractor; text and HTML are decoded here."""
    if format in BINARY_FORMATS:
        if not data:
            raise DocumentError("document-empty")
        return Document(source_id=source_id, path=path, format=format, text="", encoding="",
                        occupation=occupation, data=data)
    text, encoding = decode(data, format)
    if not text.strip():
        raise DocumentError("document-empty")
    return Document(source_id=source_id, path=path, format=format, text=text,
                    encoding=encoding, occupation=occupation)
