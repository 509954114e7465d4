"""Claims as a table, and tables as deterministic CSV and Parquet bytes."""
from __future__ import annotations

import io

import pandas as pd

from extractors.claims import CLAIM_COLUMNS, Claim

NUMBER_COLUMNS = ("value", "low", "high", "precision")
YEAR_COLUMNS = ("period_start", "period_end")


def claims_frame(claims: list[Claim]) -> pd.DataFrame:
    """The claims table: one row per claim, the contract's column order and types."""
    frame = pd.DataFrame([c.as_dict() for c in claims], columns=list(CLAIM_COLUMNS))
    for column in NUMBER_COLUMNS:
        frame[column] = frame[column].astype("float64")
    for column in YEAR_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in frame.columns:
        if column not in NUMBER_COLUMNS and column not in YEAR_COLUMNS:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else repr(value)
    return str(value)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with one spelling per value: 50250 not 50250.0, empty for missing, LF endings."""
    text = pd.DataFrame({column: [_cell(v) for v in frame[column].tolist()]
                         for column in frame.columns}, columns=frame.columns, dtype=object) \
        if len(frame) else frame.astype(str)
    buffer = io.StringIO()
    text.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(buffer, index=False, engine="pyarrow",
                                            compression="zstd")
    return buffer.getvalue()
