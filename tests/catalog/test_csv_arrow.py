"""The Arrow fast path for large CSV files reads exactly what the pandas path reads."""
import numpy as np
import pandas as pd
import pytest

from portal.catalog import csv_arrow
from portal.catalog.cleaning import clean_table
from portal.catalog.errors import IngestError
from portal.catalog.reading import read_table

GU = ["종로구", "중구", "용산구", "강동구"]


def large_csv(rows: int = 80_000) -> bytes:
    """A LOCALDATA-like CP949 file above the fast path's threshold."""
    rng = np.random.default_rng(7)
    dates = np.where(rng.random(rows) < 0.5, "20240105", "2024-01-05")
    frame = pd.DataFrame({
        "자치구": rng.choice(GU, rows),
        "관리번호": [f"{n:010d}" for n in rng.integers(0, 10**9, rows)],  # leading zeros
        "인허가일자": dates,
        "매출액": pd.Series(rng.integers(0, 10**8, rows)).map("{:,}".format),
        "면적": rng.random(rows).round(2) * 100,
        "비고": np.where(rng.random(rows) < 0.3, "", "정상 영업"),
    })
    data = frame.to_csv(index=False).encode("cp949")
    assert len(data) > csv_arrow.MIN_BYTES
    return data


def test_the_fast_path_and_pandas_give_the_same_clean_table(monkeypatch):
    data = large_csv()
    fast = clean_table(read_table(data, "licences.csv").frame)
    monkeypatch.setattr(csv_arrow, "MIN_BYTES", 10**12)  # pandas path only
    slow = clean_table(read_table(data, "licences.csv").frame)
    pd.testing.assert_frame_equal(fast, slow)
    assert fast["관리번호"].str.len().eq(10).all()
    assert fast["매출액"].dtype == "Int64"
    assert fast["인허가일자"].notna().all()


def test_the_fast_path_is_really_taken_for_a_large_file(monkeypatch):
    calls = []
    original = csv_arrow.pa_csv.read_csv
    monkeypatch.setattr(csv_arrow.pa_csv, "read_csv",
                        lambda *a, **k: calls.append(1) or original(*a, **k))
    read_table(large_csv(), "licences.csv")
    assert calls == [1]


def test_a_ragged_row_deep_in_a_large_file_is_reported_by_line():
    lines = large_csv().decode("cp949").splitlines()
    lines[70_000] += ",덤"
    with pytest.raises(IngestError) as error:
        read_table("\n".join(lines).encode("cp949"), "licences.csv")
    assert error.value.row == 70_001


def korean_text_csv(rows: int = 80_000) -> bytes:
    """CP949 text Arrow reads as bytes: many distinct names, extended hangul whose second
    byte is an ASCII letter (똠 is 0x8C 0x63), quoted commas, numbers padded with blanks."""
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({
        "상호": [f"똠양꿍 {n}호점" for n in rng.integers(0, rows, rows)],
        "주소": rng.choice(["서울특별시 종로구 세종대로 1", "중구, 을지로 2", "똠방각하·뷁"], rows),
        "자치구": rng.choice(GU + [""], rows),
        "금액": np.where(rng.random(rows) < 0.5, " 1,234 ", "56"),
        "면적": pd.Series(rng.random(rows) * 1e4).map("{:,.1f}".format),
    })
    data = frame.to_csv(index=False).encode("cp949")
    assert b"\x8cc" in data and len(data) > csv_arrow.MIN_BYTES
    return data


def arrow_read(data: bytes):
    """The fast path alone on korean_text_csv (상호, 주소, 자치구 are text)."""
    return csv_arrow.read_csv_arrow(data, skip=0, codec="cp949", sep=",", skip_rows=1,
                                    width=5, text_columns=[0, 1, 2])


def test_cp949_text_read_as_bytes_decodes_as_pandas_decodes_it(monkeypatch):
    data = korean_text_csv()
    assert arrow_read(data) is not None
    fast = read_table(data, "shops.csv").frame
    monkeypatch.setattr(csv_arrow, "MIN_BYTES", 10**12)  # pandas path only
    slow = read_table(data, "shops.csv").frame
    pd.testing.assert_frame_equal(fast, slow)
    assert fast["상호"].str.startswith("똠양꿍").all()


def test_a_byte_that_is_not_cp949_in_a_text_cell_leaves_the_file_to_pandas():
    data = korean_text_csv().replace("똠방각하".encode("cp949"), b"\xff\xfe\xff\xfe", 1)
    assert arrow_read(data) is None
    with pytest.raises(IngestError) as error:
        read_table(data, "shops.csv")
    assert "0xFF" in str(error.value)
