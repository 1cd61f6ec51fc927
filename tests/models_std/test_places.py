"""The gu a point lies in, checked against what the real files say in words."""
import json
from pathlib import Path

import numpy as np
import pandas as pd

from connectors.coords import tm_to_wgs84
from models_std.semantics import places
from portal.catalog.cleaning import clean_table
from portal.catalog.reading import read_table

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def read(relative: str) -> pd.DataFrame:
    path = SAMPLE / relative
    return clean_table(read_table(path.read_bytes(), path.name).frame)


def test_licence_points_in_epsg_5174_fall_in_the_gu_of_their_address():
    cinemas = read("localdata/서울시 영화상영관 인허가 정보.csv")
    lon, lat = tm_to_wgs84(cinemas["좌표정보(X)"], cinemas["좌표정보(Y)"])
    located = pd.Series(places.gu_of_points(lon, lat))
    address_gu = cinemas["지번주소"].astype(str).str.extract(r"서울특별시 (\S+구)")[0]
    has_position = cinemas["좌표정보(X)"].notna().to_numpy()
    assert located[~has_position].isna().all()
    agree = (located[has_position].to_numpy() == address_gu[has_position].to_numpy()).mean()
    assert has_position.sum() > 850 and agree >= 0.995


def test_event_points_name_the_gu_of_the_venue_not_of_the_organiser():
    rows = json.loads((SAMPLE / "seoul_openapi/culturalEventInfo_1_1000.json")
                      .read_text(encoding="utf-8"))["culturalEventInfo"]["row"]
    events = pd.DataFrame(rows).set_index("PLACE")
    # culturalEventInfo's LAT holds the longitude and LOT the latitude.
    gu = pd.Series(places.gu_of_points(pd.to_numeric(events["LAT"], errors="coerce"),
                                       pd.to_numeric(events["LOT"], errors="coerce")),
                   index=events.index)
    # GUNAME says the organiser's gu (종로구, 은평구) for these venues.
    assert set(gu[["서울남산국악당 크라운해태홀"]]) == {"중구"}
    assert set(gu[["서울돈화문국악당"]]) == {"종로구"}
    assert gu.notna().mean() > 0.95


def test_points_outside_seoul_or_without_a_position_have_no_gu():
    lon = np.array([126.9780, 129.0756, np.nan, 126.9780])   # 서울시청, 부산시청, none
    lat = np.array([37.5665, 35.1796, 37.5, 37.5665])
    assert places.gu_of_points(lon, lat).tolist() == ["중구", None, None, "중구"]
