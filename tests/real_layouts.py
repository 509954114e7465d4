"""The real-layouts corpus (tests/corpus/real-layouts) as test data: each page's SOC code
and the releases its figures come from (from the corpus README), and its expected
claims as Claim records, built directly so that tests of vintage matching and occupation
resolution do not depend on today's extraction."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from extractors.claims import Claim, new_claim

CORPUS = Path(__file__).resolve().parent / "corpus" / "real-layouts"
README = CORPUS / "README.md"


def pages() -> dict[str, dict]:
    """{file name: {"soc": "29-2052", "oews": "OEWS May 2024" or "", "ep": [...]}} from the
    README's table of pages."""
    found = {}
    for m in re.finditer(r"^\| `([^`]+)` \|[^|]*\|[^|]*\| (\d{2}-\d{4}) \| ([^|]*) \|",
                         README.read_text(encoding="utf-8"), re.M):
        name, soc, sources = m.groups()
        oews = re.search(r"OEWS May (\d{4})", sources)
        found[name] = {"soc": soc, "oews": f"OEWS May {oews.group(1)}" if oews else "",
                       "sources": sources}
    return found


def expected_claims(name: str, soc: str, must: str = "1") -> list[tuple[dict, Claim]]:
    """(the expected row, a claim stating it) of each row of one page."""
    out = []
    with (CORPUS / "expected_claims.csv").open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row["seed"] != name or row["must"] != must:
                continue
            period = row["period"]
            first, _, last = period.partition("-")
            number_of = (lambda x: float(x) if x else None)
            text = row["value"] if row["unit"] in ("category", "boolean") else ""
            value = None if text else number_of(row["value"])
            figure = row["evidence"] or row["value"]
            precision = 1.0
            if value is not None and "." in row["value"]:
                precision = 10 ** -len(row["value"].split(".")[1])
            if re.search(r"\d+(?:\.\d+)?\s*[Kk]\b", figure):
                precision = 1000.0
            if m := re.search(r"\d+(?:\.(\d+))?\s*million", figure):
                precision = 10.0 ** (6 - len(m.group(1) or ""))
            out.append((row, new_claim(
                source_id=name, occupation=soc, occupation_basis="registry",
                metric=row["metric"], statistic=row["statistic"], unit=row["unit"],
                value=value, low=number_of(row["low"]), high=number_of(row["high"]),
                value_text=text.lower().replace("\u2019", "'"), figure=figure,
                precision=precision, period=period,
                period_start=int(first) if first else None,
                period_end=int(last or first) if period else None,
                geography=row["geography"] or "", level=row["level"].lower(),
                industry=row["other"] if row["other"].startswith("industry=") else "",
                quote=row["evidence"] or figure, locator=f"csv:row={number}", method="test")))
    return out
