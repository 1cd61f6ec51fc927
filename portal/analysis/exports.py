"""Result tables as files: CSV in UTF-8 with a BOM (so Excel on Korean Windows reads it
without mojibake) and XLSX."""
from __future__ import annotations

import io

import pandas as pd


def csv_bytes(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame, sheet: str = "결과") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()
