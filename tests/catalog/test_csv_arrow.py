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
