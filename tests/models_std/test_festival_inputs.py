"""Real header variants, the real event files and the dong map behind the festival model."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from models_std.festival import SPEC
from models_std.festival.footprint import catalogue, normalised_name, previous_edition
from models_std.festival.geography import load_dong_map
from models_std.festival.inputs import BAND_COLUMNS, events_frame, living_population_frame

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "sample_data" / "datagokr" / "전국문화축제표준데이터.csv"
CULTURAL = ROOT / "sample_data" / "seoul_openapi" / "culturalEventInfo_1_1000.json"


def test_every_sex_age_header_of_both_variants_has_an_alias():
    aliases = SPEC.role("living_population").aliases
    assert aliases["남자0세부터9세생활인구수"] == "male_0_9"
    assert aliases["여자70세이상생활인구수"] == "female_70_plus"
    # The API calls its open top band F70T74 although it holds everyone aged 70 and over.
    assert aliases["FEMALE_F70T74_LVPOP_CO"] == "female_70_plus"
    assert sorted(set(aliases.values()) - {"date", "hour", "dong_code", "total"}) == \
        sorted(BAND_COLUMNS)


def test_api_codes_padded_with_spaces_and_numeric_dates_are_read():
    raw = pd.DataFrame({"STDR_DE_ID": [20251018, 20251018], "TMZON_PD_SE": ["00", "01"],
                        "ADSTRD_CODE_SE": [" 11620585 ", "1162058500"],
                        "TOT_LVPOP_CO": ["12.5", "13.0"]})
    lp = living_population_frame(raw, bands=False)
    assert lp["dong_code"].tolist() == ["11620585", "11620585"]
    assert lp["date"].astype(str).tolist() == ["2025-10-18", "2025-10-18"]
    assert lp["hour"].tolist() == [0, 1]


def test_cultural_event_info_coordinates_are_swapped_back():
    rows = pd.DataFrame(json.loads(CULTURAL.read_text(encoding="utf-8"))["culturalEventInfo"]["row"])
    events = events_frame(rows)
    located = events.dropna(subset=["lat"])
    assert located["lat"].between(37.0, 38.0).all()
    assert located["lon"].between(126.5, 127.5).all()
    assert events["start_date"].notna().all()


def test_headers_already_canonical_are_not_renamed_again():
    # The portal renames 위도/경도 to lat/lon first; `lat` is not culturalEventInfo's LAT.
    rows = pd.DataFrame({"name": ["관악강감찬축제"], "start_date": ["2025-10-17"],
                         "lat": [37.4719], "lon": [126.9593]})
    events = events_frame(rows)
    assert events.loc[0, "lat"] == 37.4719 and events.loc[0, "lon"] == 126.9593


def test_national_festival_file_yields_located_seoul_festivals_without_duplicates():
    events = events_frame(pd.read_csv(NATIONAL, encoding="cp949", dtype=str))
    festivals, skipped = catalogue(events, load_dong_map())
    assert len(festivals) > 40
    assert len({f.id for f in festivals}) == len(festivals)
    assert "서울 밖" in " ".join(skipped["reason_ko"])          # the rest of Korea
    gangam = [f for f in festivals if normalised_name(f.name) == "관악강감찬축제"]
    assert {f.venue_dong for f in gangam} == {"11620585"}       # 낙성대동
    latest = max(gangam, key=lambda f: f.start)
    assert previous_edition(latest, festivals).start < latest.start


def test_dong_map_locates_points_and_its_neighbours_are_symmetric():
    dongs = load_dong_map()
    assert len(dongs.dongs) == 425 and len({d.gu_code for d in dongs.dongs}) == 25
    assert dongs.locate(37.47197208, 126.959371) == "11620585"
    assert dongs.locate(35.1, 129.0) is None                    # Busan
    for i, neighbours in enumerate(dongs.neighbours):
        assert neighbours and all(i in dongs.neighbours[j] for j in neighbours)
    ring = dongs.ring({"11620585"})
    assert "11620585" not in ring and len(dongs.ring({"11620585"}, 2)) > len(ring)


def test_names_of_editions_normalise_to_one_key():
    assert normalised_name("[관악구] 2025 제27회 관악강감찬축제") == normalised_name("2024 관악강감찬축제")
    assert normalised_name("시험축제1") != normalised_name("시험축제10")
