"""The KOSIS connector against responses written in KOSIS's documented format from the
real values of sample_data/kosis/DT_1B04005N_population_raw_data.xlsx."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from connectors import get_connector
from connectors.errors import AuthError, QuotaExceeded, SourceError
from connectors.jsliteral import loads_lenient
from connectors.kosis import ListRoot, TableMeta, TableQuery, data_frame, region_codes
from connectors.kosis_periods import (cycle_of, normalise_period_code, periods_between,
                                      step_back)

from .conftest import RECORDED, options

TABLE = ("101", "DT_1B04005N")
ALL_LEVELS = (("ALL",), ("ALL",))


def kosis(server, clock, **overrides):
    return get_connector("kosis", **options(server, clock, "kosis", **overrides))


def data_requests(server) -> list[dict]:
    return [seen.query for seen in server.seen if seen.path.endswith("ParameterData.do")]


def test_the_list_tree_is_walked_and_each_table_listed_once(server, clock):
    records = list(kosis(server, clock).list_datasets())
    assert [r.source_id for r in records] == ["101/DT_1B040B3", "101/DT_1B04005N",
                                              "101/DT_1B040A3"]
    lists = [s.query["parentListId"] for s in server.seen if s.path.endswith("List.do")]
    assert lists == ["110_20103", "110_20103_A"]
    assert {r.kind for r in records} == {"stats"} and {r.theme for r in records} == {"인구/가구"}


def test_table_metadata_gives_cycle_last_update_and_seoul_region_codes(server, clock):
    record = {r.source_id: r for r in kosis(server, clock).list_datasets()}["101/DT_1B04005N"]
    assert record.title_ko == "행정구역(읍면동)별/5세별 주민등록인구(2011년~)"
    assert record.update_cycle == "monthly"            # 월 and 년: the finer one
    assert record.last_modified == "2017-03-20"         # from the unquoted-key NCD answer
    assert record.owner == "101"
    assert record.source_url == ("https://kosis.kr/statHtml/statHtml.do?orgId=101"
                                 "&tblId=DT_1B04005N")
    codes = {c.code: c for c in record.spatial}
    assert len(codes) == 26 and codes["11"].name == "서울특별시"
    # 종로구 is 11110 here, so the table uses MOIS codes, and says so.
    assert codes["11110"].name == "종로구" and {c.code_system for c in codes.values()} == {"mois"}
    assert "00" not in codes


def test_region_codes_are_kostat_codes_unless_the_table_shows_otherwise():
    meta = TableMeta("101", "DT_X", classifications={
        "A": {"name": "행정구역(시군구)별", "items": [("11", "서울특별시"), ("11010", "종로구"),
                                                 ("11250", "강동구"), ("26", "부산광역시")]}})
    assert [(c.code, c.code_system) for c in region_codes(meta)] == [
        ("11", "kostat"), ("11010", "kostat"), ("11250", "kostat")]


def test_tables_without_metadata_are_still_listed_with_what_the_list_says(server, clock):
    record = {r.source_id: r for r in kosis(server, clock).list_datasets()}["101/DT_1B040B3"]
    assert record.title_ko == "행정구역(시군구)별 주민등록세대수"
    assert record.update_cycle is None and record.spatial == ()  # getMeta answered err 30


def test_every_request_asks_for_json_with_quoted_keys_and_sends_the_key(server, clock):
    list(kosis(server, clock, with_meta=False).list_datasets())
    for seen in server.seen:
        assert seen.query["format"] == "json" and seen.query["jsonVD"] == "Y"
        assert seen.query["apiKey"] == "kosis-test-key"


def test_err_31_splits_the_request_by_period_and_merges_the_parts(server, clock):
    query = TableQuery(levels=ALL_LEVELS, start="2015", end="2016")
    frame = kosis(server, clock).fetch_data(*TABLE, query)
    periods = [(q["startPrdDe"], q["endPrdDe"]) for q in data_requests(server)]
    assert periods == [("2015", "2016"), ("2015", "2015"), ("2016", "2016")]
    assert len(frame) == 27 * 13 * 3  # 2015 had no data (err 30): an empty part
    assert set(frame["PRD_DE"]) == {"2016"}


def test_err_31_with_one_period_splits_by_item_and_gives_the_same_table(server, clock):
    connector = kosis(server, clock)
    whole = connector.fetch_data(*TABLE, TableQuery(levels=ALL_LEVELS, start="2016", end="2016"))
    server.seen.clear()
    split = connector.fetch_data(*TABLE, TableQuery(items=("T2", "T3", "T4"), levels=ALL_LEVELS,
                                                    start="2016", end="2016"))
    items = [" ".join(q["itmId"].split()) for q in data_requests(server)]
    assert items == ["T2 T3 T4", "T2", "T3 T4"]
    key = ["ITM_ID", "C1", "C2"]
    assert split.sort_values(key).reset_index(drop=True).equals(
        whole.sort_values(key).reset_index(drop=True))


def test_a_request_over_the_cap_that_cannot_be_split_raises_source_error(server, clock):
    server.faults.add("body", times=1, body=(RECORDED / "kosis/err31.json").read_bytes())
    query = TableQuery(items=("T2",), levels=(("11",), ("0",)), start="2016", end="2016")
    with pytest.raises(SourceError, match="cannot be split") as caught:
        kosis(server, clock).fetch_data(*TABLE, query, meta=TableMeta(*TABLE))
    assert caught.value.code == "31"


def test_err_20_asks_again_with_the_next_classification_level_set_to_all(server, clock):
    frame = kosis(server, clock).fetch_data(*TABLE, TableQuery(levels=(("ALL",),), start="2016",
                                                                end="2016"))
    first, second = data_requests(server)
    assert "objL2" not in first and second["objL2"] == "ALL"
    assert len(frame) == 1053


def test_err_30_no_data_is_an_empty_table_not_an_error(server, clock):
    frame = kosis(server, clock).fetch_data(*TABLE, TableQuery(levels=ALL_LEVELS, start="2015",
                                                                end="2015"))
    assert frame.empty


def test_values_stay_strings_dash_is_missing_and_period_codes_are_normalised(server, clock):
    frame = kosis(server, clock).fetch_data(*TABLE, TableQuery(levels=ALL_LEVELS, start="2016",
                                                                end="2016"))
    seoul = frame[(frame.C1 == "11") & (frame.C2 == "0") & (frame.ITM_ID == "T2")]
    assert seoul["DT"].tolist() == ["9930616"] and seoul["C1_NM"].tolist() == ["서울특별시"]
    assert set(frame["PRD_SE"]) == {"Y"}              # sent as "A"
    assert frame.loc[frame.C1 == "00", "C1"].iloc[0] == "00"  # leading zero kept
    rows = [{"C1": "11", "DT": "-", "PRD_SE": "A"}, {"C1": "11", "DT": "1,234", "PRD_SE": "M"},
            {"C1": "11", "DT": "", "PRD_SE": "년"}]
    small = data_frame(rows)
    assert small["DT"].isna().tolist() == [True, False, True]
    assert small["PRD_SE"].tolist() == ["Y", "M", "Y"]


def test_fetch_table_reads_the_declared_query(server, clock):
    queries = {"101/DT_1B04005N": TableQuery(levels=ALL_LEVELS, start="2016", end="2016")}
    connector = kosis(server, clock, queries=queries)
    record = {r.source_id: r for r in connector.list_datasets()}["101/DT_1B04005N"]
    table = connector.fetch_table(record)
    assert not table.is_file and len(table.frame) == 1053


def test_the_default_query_reads_the_newest_periods_of_the_finest_period_type(server, clock):
    meta = TableMeta(*TABLE, periods=[{"PRD_SE": "년", "STRT_PRD_DE": "2011", "END_PRD_DE": "2016"},
                                      {"PRD_SE": "월", "STRT_PRD_DE": "201101",
                                       "END_PRD_DE": "201702"}],
                     classifications={"ITEM": {"name": "항목", "items": []},
                                      "A": {"name": "행정구역", "items": []},
                                      "B": {"name": "5세별", "items": []}})
    query = kosis(server, clock).default_query(meta)
    assert (query.period_type, query.start, query.end) == ("M", "201610", "201702")
    assert query.levels == ALL_LEVELS and query.items == ("ALL",)
    yearly = kosis(server, clock, period_type="Y", recent_periods=3).default_query(meta)
    assert (yearly.period_type, yearly.start, yearly.end) == ("Y", "2014", "2016")


def test_fetch_table_without_a_query_reads_the_newest_periods(server, clock):
    connector = kosis(server, clock, period_type="Y", recent_periods=1)
    record = {r.source_id: r for r in connector.list_datasets()}["101/DT_1B04005N"]
    frame = connector.fetch_table(record).frame
    assert len(frame) == 1053 and set(frame["PRD_DE"]) == {"2016"}


def test_an_invalid_key_is_an_auth_error_and_is_not_retried(server, clock):
    with pytest.raises(AuthError) as caught:
        list(kosis(server, clock, env={"PORTAL_KOSIS_API_KEY": "invalid"}).list_datasets())
    assert caught.value.code == "11" and len(server.seen) == 1


def test_the_call_limit_is_quota_exceeded(server, clock):
    with pytest.raises(QuotaExceeded):
        list(kosis(server, clock, env={"PORTAL_KOSIS_API_KEY": "exhausted"}).list_datasets())
    assert len(server.seen) == 1


def test_err_50_server_error_is_retried(server, clock):
    server.faults.add("body", times=1, body=(RECORDED / "kosis/err50.json").read_bytes())
    records = list(kosis(server, clock, with_meta=False).list_datasets())
    assert len(records) == 3 and len(clock.sleeps) >= 1


def test_an_answer_with_unquoted_keys_is_read(server, clock):
    body = ('[{ORG_ID:"101",TBL_ID:"DT_1B040A3",TBL_NM:"행정구역(시군구)별 성별 인구수",'
            'REC_TBL_SE:"Y",},]').encode()
    server.faults.add("body", times=1, body=body, content_type="text/html;charset=UTF-8")
    roots = (ListRoot("MT_OTITLE", "x"),)
    records = list(kosis(server, clock, with_meta=False, roots=roots).list_datasets())
    assert [r.source_id for r in records] == ["101/DT_1B040A3"]


@pytest.mark.parametrize("text, expected", [
    ('[{ORG_ID:"101",TBL_NM:"a"}]', [{"ORG_ID": "101", "TBL_NM": "a"}]),
    ('[{A:"10:30",B:"x"},]', [{"A": "10:30", "B": "x"}]),           # ":" inside a value
    ('[{A:"그는 "좋다" 했다",B:1}]', [{"A": '그는 "좋다" 했다', "B": 1}]),  # unescaped quotes
    ("[{A:'single',B:true,C:null}]", [{"A": "single", "B": True, "C": None}]),
    ('{err:"30",errMsg:"데이터가 존재하지 않습니다."}', {"err": "30",
                                                  "errMsg": "데이터가 존재하지 않습니다."}),
    ('[{A:"tab\there"}]', [{"A": "tab\there"}]),
])
def test_javascript_literals_are_read_as_json(text, expected):
    assert loads_lenient(text) == expected


def test_a_missing_key_where_kosis_leaves_a_raw_tab_is_filled_in():
    text = (RECORDED / "kosis/DT_1B04005N_meta_NCD.txt").read_text(encoding="utf-8")
    rows = loads_lenient(text, missing_key="SEND_DE")
    assert [r["SEND_DE"] for r in rows] == ["2017-03-20", "2017-01-25"]
    with pytest.raises(ValueError):
        loads_lenient("[{A:")


def test_period_codes_labels_and_arithmetic():
    assert [normalise_period_code(x) for x in ("A", "Y", "년", "월", "분기", "5년", "?")] == \
        ["Y", "Y", "Y", "M", "Q", "F", None]
    assert [cycle_of(x) for x in ("월", "년", "반기", "5년")] == \
        ["monthly", "yearly", "half-yearly", "irregular"]
    assert periods_between("M", "202311", "202402") == ["202311", "202312", "202401", "202402"]
    assert periods_between("Y", "2014", "2016") == ["2014", "2015", "2016"]
    assert periods_between("Q", "2024Q1", "2024Q4") is None
    assert step_back("M", "202402", 4) == "202310" and step_back("Y", "2016", 4) == "2012"


def test_the_recorded_data_holds_the_workbook_values():
    rows = json.loads((RECORDED / "kosis/DT_1B04005N_2016.json").read_text(encoding="utf-8"))
    frame = pd.DataFrame(rows)
    total = frame[(frame.C1 == "00") & (frame.C2 == "0") & (frame.ITM_ID == "T2")]
    assert total["DT"].tolist() == ["51696216"]  # 전국 총인구수 2016, as in the xlsx
