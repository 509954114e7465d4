"""Claims from a table of figures: a CSV file or an XLSX export of an official table.

Two shapes are read, told apart by the header row:

- *long*: one figure per row, in the claims vocabulary — `soc`, `metric`, `statistic`,
  `unit`, `value`, `period`, and optionally `program` (OEWS, EP, OOH), `status`
  (official, reprint, secondary), `source` (the row's own citation), `note`, `title`;
- *wide*: an OEWS-style export, one occupation per row — `OCC_CODE` (or `soc`),
  `A_MEDIAN`, `H_MEDIAN`, `A_MEAN`, `A_PCT10` … `A_PCT90`, `TOT_EMP`, with the year in
  a `YEAR` column or the file's first cell of a title.

Each row's quote is the row as it reads in the file; the locator names the row
(`csv:row=12`, `xlsx:Sheet1!row=12`).
"""
from __future__ import annotations

import csv
import io
import re
import zipfile

from extractors.claims import EXTRACTOR_VERSION, Claim, new_claim
from extractors.document import Document, DocumentError
from extractors.patterns import find_education, find_periods

PROGRAM_RELEASE = {"OEWS": "OEWS May {period}", "EP": "Employment Projections {period}",
                   "OOH": "Occupational Outlook Handbook {period}"}

WIDE_COLUMNS = {
    "A_MEDIAN": ("wage", "median", "USD/year"), "H_MEDIAN": ("wage", "median", "USD/hour"),
    "A_MEAN": ("wage", "mean", "USD/year"), "H_MEAN": ("wage", "mean", "USD/hour"),
    "A_PCT10": ("wage", "p10", "USD/year"), "A_PCT25": ("wage", "p25", "USD/year"),
    "A_PCT75": ("wage", "p75", "USD/year"), "A_PCT90": ("wage", "p90", "USD/year"),
    "H_PCT10": ("wage", "p10", "USD/hour"), "H_PCT25": ("wage", "p25", "USD/hour"),
    "H_PCT75": ("wage", "p75", "USD/hour"), "H_PCT90": ("wage", "p90", "USD/hour"),
    "TOT_EMP": ("employment", "unspecified", "count"),
}
"""OEWS export columns and what they state."""


def _rows_csv(doc: Document) -> list[tuple[str, list[str], str]]:
    """(locator, cells, the row's text) of every row; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(doc.text, newline=""))  # "\r" ends a row, as "\n" does
    lines = doc.text.splitlines()
    rows = []
    previous = 0
    try:
        for number, row in enumerate(reader, start=1):
            shown = "\n".join(lines[previous:reader.line_num])
            previous = reader.line_num
            rows.append((f"csv:row={number}", row, shown))
    except csv.Error as exc:  # a NUL byte, a field over the size limit
        raise DocumentError("document-unreadable",
                            f"not a readable CSV table at row {len(rows) + 1} ({exc})") from None
    return rows


XLSX_MAX_EXPANDED = 256_000_000
"""Bytes an XLSX workbook may expand to. Official tables expand to a few MB (OEWS
national: 2 MB, O*NET alternate titles: 13 MB); a zip bomb expands to gigabytes."""
XLSX_MAX_RATIO = 200
"""How much one large member may be compressed: real sheets 6–26 times, bombs thousands."""


def _unbombed(data: bytes) -> None:
    """Refuse a workbook that would expand past the limits, before anything inflates it.

    The sizes are the ones the archive declares; Python's zipfile never inflates a member
    past its declared size (it fails the CRC instead), so they bound what is read."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise DocumentError("document-unreadable", f"not a readable XLSX workbook "
                            f"({type(exc).__name__}: {exc})") from None
    expanded = sum(m.file_size for m in members)
    worst = max(members, key=lambda m: m.file_size / max(m.compress_size, 1), default=None)
    if expanded > XLSX_MAX_EXPANDED or (
            worst is not None and worst.file_size > 16_000_000
            and worst.file_size / max(worst.compress_size, 1) > XLSX_MAX_RATIO):
        raise DocumentError("document-unreadable",
                            f"the workbook would expand to {expanded / 1e6:,.0f} MB "
                            f"({worst.filename} {worst.file_size / max(worst.compress_size, 1):,.0f} "
                            "times its size): not a table of figures (a zip bomb?); export "
                            "the sheet as CSV")


def _rows_xlsx(doc: Document) -> list[tuple[str, list[str], str]]:
    from openpyxl import load_workbook  # only for XLSX sources

    _unbombed(doc.data)
    rows = []
    try:
        book = load_workbook(io.BytesIO(doc.data), read_only=True, data_only=True)
        if not book.worksheets:
            raise DocumentError("document-unreadable", "the workbook has no worksheet")
        sheet = book.worksheets[0]
        # the sheet is parsed while its rows are read: a broken one fails here
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else _cell_text(v) for v in values]
            rows.append((f"xlsx:{sheet.title}!row={number}", cells, ", ".join(cells)))
        book.close()
    except DocumentError:
        raise
    except Exception as exc:  # openpyxl, zipfile and XML parsers raise many types
        where = f" at row {len(rows) + 1}" if rows else ""
        raise DocumentError("document-unreadable",
                            f"not a readable XLSX workbook{where} ({type(exc).__name__}: "
                            f"{exc})") from None
    return rows


def rows_text(doc: Document) -> str:
    """The rows of a table as the quotes show them, one per line."""
    rows = _rows_xlsx(doc) if doc.format == "xlsx" else _rows_csv(doc)
    return "\n".join(shown for _, _, shown in rows)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(text: str) -> tuple[float, float] | None:
    plain = text.replace(",", "").replace("$", "").strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", plain):
        return None
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    return float(plain), 10.0 ** -decimals


def _period(text: str) -> tuple[str, int | None, int | None]:
    periods = find_periods(text)
    if not periods:
        return "", None, None
    p = periods[0]
    return p.label, p.first, p.last


def extract_table(doc: Document) -> list[Claim]:
    """Claims from the rows of a CSV or XLSX table of figures.

    >>> from extractors.document import document_from_bytes
    >>> data = b"soc,metric,statistic,unit,value,period,program,status,source\\n"
    >>> data += b"29-2072,wage,median,USD/year,50250,2024,OEWS,official,https://www.bls.gov/ooh/\\n"
    >>> doc = document_from_bytes(data, source_id="bls", path="bls.csv", format="csv")
    >>> [(c.occupation, c.value, c.period, c.stated_in, c.status, c.locator) for c in extract_table(doc)]
    [('29-2072', 50250.0, '2024', 'OEWS May 2024', 'official', 'csv:row=2')]
    """
    rows = _rows_xlsx(doc) if doc.format == "xlsx" else _rows_csv(doc)
    header_at = next((i for i, (_, row, _) in enumerate(rows)
                      if {c.strip().lower() for c in row} & {"metric", "occ_code", "a_median",
                                                              "value"}), None)
    if header_at is None:
        raise DocumentError("document-no-figures")
    header = [c.strip().lower() for c in rows[header_at][1]]
    body = rows[header_at + 1:]
    extractor = f"table/{EXTRACTOR_VERSION}"
    if "metric" in header:
        return [c for where, row, shown in body
                for c in _long_row(doc, header, where, row, shown, extractor)]
    return [c for where, row, shown in body
            for c in _wide_row(doc, header, where, row, shown, extractor)]


def _long_row(doc: Document, header: list[str], where: str, row: list[str], shown: str,
              extractor: str) -> list[Claim]:
    cell = dict(zip(header, (c.strip() for c in row)))
    if not cell.get("metric") or not cell.get("value"):
        return []
    period, first, last = _period(cell.get("period", ""))
    program = cell.get("program", "")
    release = PROGRAM_RELEASE.get(program, "{program} {period}").format(
        program=program, period=period).strip() if period else ""
    common = dict(
        source_id=doc.source_id, occupation=cell.get("soc", "") or doc.occupation,
        metric=cell["metric"], statistic=cell.get("statistic", "unspecified"),
        unit=cell.get("unit", ""), figure=cell["value"], quote=shown, locator=where,
        period=period, period_start=first, period_end=last, stated_in=release,
        status=cell.get("status", ""), citation=cell.get("source", ""),
        extractor=extractor, method="table-row",
        geography=cell.get("geography", ""),
    )
    if common["unit"] in ("category", "boolean"):
        found = find_education(cell["value"])
        text = found[0][0] if found and common["metric"] == "education" else cell["value"].lower()
        return [new_claim(value_text=text, **common)]
    number = _number(cell["value"])
    if number is None:
        return []  # an unreadable figure: the contract would quarantine it; say nothing
    return [new_claim(value=number[0], precision=number[1], **common)]


def _wide_row(doc: Document, header: list[str], where: str, row: list[str], shown: str,
              extractor: str) -> list[Claim]:
    cell = dict(zip(header, (c.strip() for c in row)))
    occupation = cell.get("occ_code") or cell.get("soc") or doc.occupation
    period, first, last = _period(cell.get("year", ""))
    claims = []
    for column, (metric, statistic, unit) in WIDE_COLUMNS.items():
        text = cell.get(column.lower(), "")
        number = _number(text)
        if number is None:
            continue  # "*", "#" and blanks: OEWS marks suppressed or top-coded figures
        claims.append(new_claim(
            source_id=doc.source_id, occupation=occupation, metric=metric, statistic=statistic,
            unit=unit, value=number[0], precision=number[1], figure=text, quote=shown,
            locator=f"{where};col={column}", period=period, period_start=first,
            period_end=last, stated_in=f"OEWS May {period}" if period else "",
            extractor=extractor, method="table-row", status="official"))
    return claims
