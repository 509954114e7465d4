"""A document as the extractors see it: bytes from `raw/`, decoded once.

>>> doc = document_from_bytes(b"Median pay: $50,250", source_id="demo", path="demo.txt")
>>> doc.text, doc.encoding
('Median pay: $50,250', 'utf-8')
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass


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


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a page: a BOM decides, then strict UTF-8, then cp1252.

    Binary content (NUL bytes without a UTF-16/32 BOM) and bytes valid in neither
    encoding raise DocumentError("document-undecodable").

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
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise DocumentError(
                "document-undecodable",
                f"neither UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) nor cp1252",
            ) from None


def document_from_bytes(data: bytes, *, source_id: str, path: str, format: str = "text",
                        occupation: str = "") -> Document:
    """A Document from raw bytes; raises DocumentError when they cannot be read."""
    text, encoding = decode(data)
    if not text.strip():
        raise DocumentError("document-empty")
    return Document(source_id=source_id, path=path, format=format, text=text,
                    encoding=encoding, occupation=occupation)
