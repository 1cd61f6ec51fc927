"""The market model's demo inputs, and its optional context from real files (LOCALDATA
licences, the traditional market standard data)."""
from __future__ import annotations

import importlib
import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from models_std.market import SPEC, context, synthetic
from models_std.market.run import area_table, read_inputs
from models_std.market.schema import canonical

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
DEMO = SAMPLE / "models" / "market"
MARKETS = SAMPLE / "datagokr" / "전국전통시장표준데이터.csv"
CINEMAS = SAMPLE / "localdata" / "서울시 영화상영관 인허가 정보.csv"


def manifest() -> list[dict]:
    return tomllib.loads((DEMO / "datasets.toml").read_text(encoding="utf-8"))["dataset"]


def load(entry: dict) -> pd.DataFrame:
    if "generator" in entry:
        module, function = entry["generator"].split(":")
        return getattr(importlib.import_module(module), function)()
    return pd.read_csv(DEMO / entry["file"], encoding="cp949", dtype=str)


def test_manifest_entries_are_complete_and_label_generated_data():
    entries = manifest()
    roles = {e["role"] for e in entries}
    assert roles == {r.name for r in SPEC.inputs}
    assert len({e["slug"] for e in entries}) == len(entries)
    for entry in entries:
        assert entry["model"] == "market"
        assert {"slug", "title_ko", "description_ko", "theme", "role", "generated"} <= set(entry)
        assert ("file" in entry) != ("generator" in entry)
        if entry["generated"]:
            assert "생성 데이터" in entry["description_ko"] + entry["title_ko"]
        if "file" in entry:
            path = DEMO / entry["file"]
            assert path.is_file() and path.stat().st_size < 5_000_000, entry["file"]


def test_every_demo_input_reads_as_its_role():
    for entry in manifest():
        frame = canonical(load(entry), entry["role"])
        assert len(frame) > 0, entry["slug"]


def test_shipped_files_are_what_the_generator_makes():
    tables = synthetic.generate()
    for entry in manifest():
        if entry["generated"] and "file" in entry:
            shipped = pd.read_csv(DEMO / entry["file"], encoding="cp949", dtype=str,
                                  keep_default_na=False)
            fresh = tables[entry["role"]].astype(str)
            pd.testing.assert_frame_equal(shipped, fresh, check_dtype=False)


def test_generated_world_covers_seoul():
    areas = synthetic.areas_table()
    assert len(areas) == 1650
    assert areas["자치구_코드"].nunique() == 25
    assert set(areas["상권_구분_코드"]) == {"A", "D", "R", "U"}
    assert areas["상권_코드"].is_unique
    # The gu is also the first five digits of the 행정동 code, as in the real 영역 file.
    assert (areas["행정동_코드"].str[:5] == areas["자치구_코드"]).all()
    sales = synthetic.sales_table()
    assert sorted(sales["기준_년분기_코드"].unique()) == [20231, 20232, 20233, 20234,
                                                     20241, 20242, 20243, 20244]
    assert "시간대_건수~06_매출_건수" in sales.columns
    assert sales["당월_매출_금액"].isna().any()        # blank cells, as in the real files


def test_gu_comes_from_the_dong_code_when_the_gu_column_is_missing():
    inputs = synthetic.generate()
    inputs["areas"] = inputs["areas"].drop(columns=["자치구_코드", "자치구_코드_명"])
    areas = area_table(read_inputs(inputs))
    expected = synthetic.areas_table().set_index("상권_코드")["자치구_코드"]
    assert (areas.set_index("area_code")["gu_code"] == expected).all()


@pytest.mark.parametrize("role", ["sales", "stores", "change_indicator", "foot_traffic",
                                  "areas"])
def test_profiler_tags_of_the_real_layout_satisfy_the_role(role):
    # Read and profiled the way the portal ingests an upload (a check across packages).
    reading = pytest.importorskip("portal.catalog.reading")
    from portal.catalog.cleaning import clean_table
    from portal.catalog.profiles import compute_profile
    frame = synthetic.generate()[role].head(2000)
    raw = reading.read_table(frame.to_csv(index=False).encode("cp949"), f"{role}.csv")
    profile = compute_profile(clean_table(raw.frame))
    columns = profile["columns"]
    tags = {c["tag"] for c in (columns.values() if isinstance(columns, dict) else columns)}
    assert SPEC.role(role).required_tags <= tags


@pytest.mark.parametrize("role, path", [("markets", MARKETS), ("licences", CINEMAS)])
def test_profiler_tags_of_the_real_context_files_satisfy_the_role(role, path):
    reading = pytest.importorskip("portal.catalog.reading")
    from portal.catalog.cleaning import clean_table
    from portal.catalog.profiles import compute_profile
    profile = compute_profile(clean_table(reading.read_table(path.read_bytes(), path.name).frame))
    columns = profile["columns"]
    tags = {c["tag"] for c in (columns.values() if isinstance(columns, dict) else columns)}
    assert SPEC.role(role).required_tags <= tags


def test_real_traditional_markets_link_to_r_areas_by_name():
    real = pd.read_csv(MARKETS, encoding="cp949", dtype=str)
    tables = read_inputs({"markets": real, **synthetic.generate()})
    # Names only: the generated areas' coordinates are invented.
    per_area, unmatched = context.link_markets(tables["markets"], area_table(tables), 2024)
    areas = synthetic.areas_table().set_index("상권_코드_명")
    mapo = areas.loc["마포시장", "상권_코드"]
    stores = int(real.loc[real["시장명"] == "마포시장", "점포수"].astype(int).sum())
    assert per_area.set_index("area_code").loc[mapo, "market_stores"] == stores
    seoul = real["소재지도로명주소"].fillna(real["소재지지번주소"]).str.startswith("서울")
    assert 0 < unmatched < int(seoul.sum())


def test_unnamed_market_takes_the_nearest_r_area_within_300_m():
    from pyproj import Transformer
    to_tm = Transformer.from_crs(4326, context.AREA_EPSG, always_xy=True)
    x, y = to_tm.transform(127.0, 37.55)
    areas = pd.DataFrame({"area_code": ["near", "far"], "area_type": "R",
                          "area_name": ["가시장", "나시장"], "x": [x + 200, x + 5000],
                          "y": [y, y]})
    markets = pd.DataFrame({"market_name": ["다른이름시장", "먼시장"],
                            "road_address": ["서울특별시 중구 어딘가 1", "서울특별시 중구 2"],
                            "lat": ["37.55", "37.60"], "lon": ["127.0", "127.0"],
                            "market_stores": ["40", "10"], "opened_year": ["1990", "2000"]})
    per_area, unmatched = context.link_markets(markets, areas, 2024)
    assert per_area.to_dict("records") == [
        {"area_code": "near", "market_stores": 40.0, "market_age_years": 34.0}]
    assert unmatched == 1


def test_market_name_key_ignores_brackets_and_the_word_market():
    keys = context._name_key(pd.Series(["중곡제일시장(이오상사)", "망원 전통시장", "통인시장"]))
    assert keys.tolist() == ["중곡제일", "망원", "통인"]


def test_licence_context_by_hand():
    licences = pd.DataFrame({
        "org_code": ["3000000"] * 4 + ["3010000"],
        "licence_date": ["20210301", "2021-06-01", "2021-09-01", "20000101", "20210101"],
        # 9999-12-31 is LOCALDATA's "not closed"; the second closed before the reference.
        "closure_date": ["9999-12-31", "2023-05-01", "", "2024-06-30", ""],
        "status_code": ["01", "03", "03", "03", "01"]})
    out = context.licence_context(licences, date(2024, 12, 31), long_closure_months=120)
    jongno = out.set_index("gu_code").loc["11110"]
    # Cohort licensed 2021-01 … 2021-12 (3–4 years before): three businesses, one alive;
    # the third is closed without a closure date.
    assert jongno["cohort"] == 3 and jongno["survival_3y"] == pytest.approx(1 / 3)
    # Last year's one closure had run 24 years: all long-operating.
    assert jongno["long_closure_share"] == 1.0
    assert out.set_index("gu_code").loc["11140", "survival_3y"] == 1.0


def test_real_localdata_file_gives_gu_figures():
    cinemas = pd.read_csv(CINEMAS, encoding="cp949", dtype=str)
    tables = read_inputs({"licences": cinemas, **synthetic.generate()})
    out = context.licence_context(tables["licences"], date(2024, 12, 31),
                                  long_closure_months=120)
    assert out["gu_code"].nunique() >= 20
    assert (out["business_age_months"].dropna() > 0).all()
    assert out["survival_3y"].dropna().between(0, 1).all()
