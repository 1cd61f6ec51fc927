"""Rebuild the recorded responses that are derived from the real files of sample_data/.

    .venv/bin/python sample_data/recorded/build.py

- seoul/SearchCatalogService/{start}-{end}.json: the 8,212 catalog entries of
  seoul_opendata/seoul-api-catalog_SearchCatalogService.json, back in the service's
  envelope, 1,000 rows a page (1-1000 … 8001-8212), under the service's field names.
- kosis/DT_1B04005N_*.json: KOSIS getMeta ITM and statisticsParameterData answers for
  table 101/DT_1B04005N, with the values of kosis/DT_1B04005N_population_raw_data.xlsx
  (2016; 전국, 서울특별시 and its 25 구).

Everything else in this folder is written by hand (see README.md).
`tests/connectors/test_recorded.py` checks that the files match what this script writes.
"""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent
PAGE = 1000

# The crawler that saved the catalog renamed six of the service's fields.
CATALOG_FIELDS = {"id": "INF_ID", "name": "INF_NM", "category": "CATE_NM",
                  "district": "DITC_NM", "mapCategory": "MAP_CATE_NM", "serviceType": "SRV_TYPE"}

# Assumed codes (the xlsx has names only): MOIS 5-digit 구 codes, as KOSIS registry tables
# use them (korean_apis.md §6); item and age-band codes are illustrative.
GU_CODES = {
    "종로구": "11110", "중구": "11140", "용산구": "11170", "성동구": "11200", "광진구": "11215",
    "동대문구": "11230", "중랑구": "11260", "성북구": "11290", "강북구": "11305",
    "도봉구": "11320", "노원구": "11350", "은평구": "11380", "서대문구": "11410",
    "마포구": "11440", "양천구": "11470", "강서구": "11500", "구로구": "11530",
    "금천구": "11545", "영등포구": "11560", "동작구": "11590", "관악구": "11620",
    "서초구": "11650", "강남구": "11680", "송파구": "11710", "강동구": "11740"}
ITEMS = {"총인구수 (명)": ("T2", "총인구수"), "남자인구수 (명)": ("T3", "남자인구수"),
         "여자인구수 (명)": ("T4", "여자인구수")}
TABLE = {"ORG_ID": "101", "TBL_ID": "DT_1B04005N",
         "TBL_NM": "행정구역(읍면동)별/5세별 주민등록인구(2011년~)"}
REGION_AXIS, AGE_AXIS = "행정구역(동읍면)별", "5세별"


def write_json(path: Path, payload) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")


def catalog_pages() -> dict[Path, object]:
    entries = json.loads((SAMPLE / "seoul_opendata/seoul-api-catalog_SearchCatalogService.json")
                         .read_text(encoding="utf-8"))
    total = len(entries)
    pages = {}
    for start in range(1, total + 1, PAGE):
        end = min(start + PAGE - 1, total)
        rows = [{CATALOG_FIELDS[k]: v for k, v in entry.items()}
                for entry in entries[start - 1:end]]
        pages[HERE / f"seoul/SearchCatalogService/{start}-{end}.json"] = {
            "SearchCatalogService": {"list_total_count": total,
                                     "RESULT": {"CODE": "INFO-000", "MESSAGE": "정상 처리되었습니다"},
                                     "row": rows}}
    return pages


def kosis_rows() -> tuple[list[dict], list[dict]]:
    """(ITM metadata rows, data rows) for 전국, 서울특별시 and the 25 구, 2016."""
    sheet = openpyxl.load_workbook(SAMPLE / "kosis/DT_1B04005N_population_raw_data.xlsx",
                                   read_only=True)["데이터"]
    rows = list(sheet.iter_rows(values_only=True))
    ages = [str(a) for a in rows[1][3:]]
    age_codes = {age: "0" if age == "계" else age.split()[0].rstrip("+") for age in ages}
    data, regions, province = [], {}, None
    for row in rows[2:]:
        if row[0]:
            province = row[0]
        if province not in ("전국", "서울특별시"):
            continue
        name = province if row[1] == "소계" else (row[1] or last)
        last = name
        code = {"전국": "00", "서울특별시": "11"}.get(name) or GU_CODES[name]
        regions[code] = name
        item, item_name = ITEMS[row[2]]
        for age, value in zip(ages, row[3:]):
            data.append({**TABLE, "C1": code, "C1_NM": name, "C1_OBJ_NM": REGION_AXIS,
                         "C2": age_codes[age], "C2_NM": age, "C2_OBJ_NM": AGE_AXIS,
                         "ITM_ID": item, "ITM_NM": item_name, "UNIT_NM": "명",
                         "PRD_SE": "A", "PRD_DE": "2016", "DT": str(value)})
    meta = [{"ORG_ID": "101", "TBL_ID": "DT_1B04005N", "OBJ_ID": "ITEM", "OBJ_NM": "항목",
             "ITM_ID": code, "ITM_NM": name, "UNIT_NM": "명"} for code, name in ITEMS.values()]
    meta += [{"ORG_ID": "101", "TBL_ID": "DT_1B04005N", "OBJ_ID": "A", "OBJ_NM": REGION_AXIS,
              "ITM_ID": code, "ITM_NM": name, "UP_ITM_ID": "" if code in ("00", "11") else "11"}
             for code, name in regions.items()]
    meta += [{"ORG_ID": "101", "TBL_ID": "DT_1B04005N", "OBJ_ID": "B", "OBJ_NM": AGE_AXIS,
              "ITM_ID": code, "ITM_NM": age} for age, code in age_codes.items()]
    return meta, data


def outputs() -> dict[Path, object]:
    files = catalog_pages()
    meta, data = kosis_rows()
    files[HERE / "kosis/DT_1B04005N_meta_ITM.json"] = meta
    files[HERE / "kosis/DT_1B04005N_2016.json"] = data
    files[HERE / "kosis/DT_1B04005N_2016_T2.json"] = [r for r in data if r["ITM_ID"] == "T2"]
    files[HERE / "kosis/DT_1B04005N_2016_T3_T4.json"] = [r for r in data
                                                          if r["ITM_ID"] in ("T3", "T4")]
    return files


if __name__ == "__main__":
    for path, payload in outputs().items():
        write_json(path, payload)
        print(path.relative_to(SAMPLE))
