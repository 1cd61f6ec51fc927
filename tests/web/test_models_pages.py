"""The model pages: catalogue, model page, run form, result, downloads, comparison, history,
and the dataset page's links into the run form."""
import html
import io
import json
import re

import openpyxl
import pandas as pd
import pytest

from tests.analysis.sample_model import MODEL_ID, SEOUL_FIGURES, gu_frame, sample_model  # noqa: F401
from tests.factories import add_table_version, make_dataset, make_organisation

ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}


@pytest.fixture
def catalog(app, seeded, sample_model):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="welfare-team", name_ko="복지정책과")
        population = make_dataset(session, slug="population", title_ko="자치구별 인구",
                                  with_table=True, store=portal.store,
                                  frame=gu_frame(SEOUL_FIGURES))
        add_table_version(session, population, portal.store,
                          gu_frame({**SEOUL_FIGURES, "강동구": 30_000.0}))
        make_dataset(session, slug="demo-cases", title_ko="자치구별 건수 (예시)",
                     keywords=["생성데이터"], source_id="models/gu-sums/counts/demo-cases",
                     with_table=True, store=portal.store,
                     frame=gu_frame(SEOUL_FIGURES, column="건수"))
        make_dataset(session, slug="gu-list", title_ko="자치구 목록", with_table=True,
                     store=portal.store,
                     frame=pd.DataFrame({"자치구": ["종로구", "중구"], "비고": ["가", "나"]}))
        make_dataset(session, slug="secret", title_ko="내부 인구", internal=True,
                     owner=division, with_table=True, store=portal.store,
                     frame=gu_frame(SEOUL_FIGURES))
    return portal


def csrf(client, path):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def submit(client, headers=None, **fields):
    path = f"/models/{MODEL_ID}/run"
    form = {"csrf_token": csrf(client, path), "gu": "11740", "period_start": "2024-01-01",
            "period_end": "2024-03-31", "unit_id": "", "input.counts": "population",
            "param.weights.scale": "1.0", **fields}
    return client.post(path, data=form, headers=headers or {})


def run_id_of(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_catalogue_lists_the_model_and_the_menu_links_to_it(client, catalog):
    page = client.get("/models/").get_data(as_text=True)
    assert "자치구 합계 모델" in page and f'href="/models/{MODEL_ID}"' in page
    assert 'href="/models/">분석 모델</a>' in client.get("/").get_data(as_text=True)


def test_the_model_page_says_what_it_answers_its_inputs_and_default_weights(client, catalog):
    page = client.get(f"/models/{MODEL_ID}").get_data(as_text=True)
    assert "우리 구의 합계는 서울에서 몇 번째인가?" in page
    assert "자치구별 수치" in page and "<span class=\"badge\">자치구</span>" in page
    assert "배율" in page and "합계에 곱하는 값 (검증용)" in page and "<code>합계</code>" in page
    assert client.get("/models/no-such-model").status_code == 404


def test_the_form_lists_only_matching_visible_datasets_and_takes_a_prefill(client, catalog):
    page = client.get(f"/models/{MODEL_ID}/run?input.counts=population&gu=강동구"
                      ).get_data(as_text=True)
    options = re.findall(r'<option value="([a-z-]+)"( selected)?>', page)
    assert dict(options) == {"population": " selected", "demo-cases": ""}
    assert "자치구별 건수 (예시) (생성된 예시 데이터)" in page
    assert '<option value="11740" selected>강동구</option>' in page
    assert page.count("<option value=\"1") == 25  # the 25 gu, by MOIS code
    admin = client.get(f"/models/{MODEL_ID}/run", headers=ADMIN).get_data(as_text=True)
    assert 'value="secret"' in admin


def test_a_role_nobody_chose_starts_on_the_models_demo_input(client, catalog):
    page = client.get(f"/models/{MODEL_ID}/run").get_data(as_text=True)
    assert '<option value="demo-cases" selected>' in page
    assert '<option value="population">' in page


def test_the_dataset_page_links_to_the_run_form_with_the_dataset(client, catalog):
    page = client.get("/datasets/population").get_data(as_text=True)
    assert "이 데이터로 분석하기" in page
    assert f'href="/models/{MODEL_ID}/run?input.counts=population"' in page
    assert "이 데이터로 분석하기" not in client.get("/datasets/gu-list").get_data(as_text=True)


def test_a_run_shows_its_summary_charts_and_result_table(client, catalog):
    run_id = run_id_of(submit(client))
    page = client.get(f"/models/{MODEL_ID}/runs/{run_id}").get_data(as_text=True)
    assert "강동구의 합계는 30,000명입니다." in page
    charts = re.search(r'<script type="application/json" id="model-charts-data">(.*?)</script>',
                       page, re.S).group(1)
    [chart] = json.loads(html.unescape(charts))
    assert chart["highlight"] == "강동구" and chart["title_ko"] == "자치구별 합계"
    assert len(chart["labels"]) == 25
    assert chart["series"][0]["values"][chart["labels"].index("강동구")] == 30_000
    assert 'role="img" aria-label="자치구별 합계 막대 차트. 강동구을(를) 강조합니다."' in \
        html.unescape(page)
    assert '<tr class="highlight-row"><th scope="row">강동구</th><td class="num">30,000</td>' in page
    assert "gen/model_charts.js" in page and "gen/charts.js" in page
    assert "버전 2" in page  # the newest table version was read
    assert "서울 전체 결과" in page and "25행" in page


def test_the_result_table_is_paged(client, catalog, monkeypatch):
    monkeypatch.setattr("portal.web.models.RESULT_PAGE_ROWS", 10)
    run_id = run_id_of(submit(client))
    first = client.get(f"/models/{MODEL_ID}/runs/{run_id}").get_data(as_text=True)
    third = client.get(f"/models/{MODEL_ID}/runs/{run_id}?page=3").get_data(as_text=True)
    assert "1 / 3쪽" in first and "3 / 3쪽" in third
    assert "<td>중구</td>" in first and "<td>중구</td>" not in third


def test_results_download_as_csv_with_a_bom_and_as_xlsx(client, catalog):
    run_id = run_id_of(submit(client))
    csv = client.get(f"/models/{MODEL_ID}/runs/{run_id}/result.csv")
    assert csv.data.startswith(b"\xef\xbb\xbf") and "attachment" in csv.headers["Content-Disposition"]
    table = pd.read_csv(io.BytesIO(csv.data), encoding="utf-8-sig", dtype={"gu_code": str})
    assert len(table) == 25 and table.columns[0] == "model_id"
    assert table.loc[table["unit_name"] == "강동구", "value"].item() == 30_000
    xlsx = client.get(f"/models/{MODEL_ID}/runs/{run_id}/result.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.title == "결과" and sheet.max_row == 26 and sheet["A1"].value == "model_id"


def test_form_errors_are_shown_in_korean_beside_the_fields(client, catalog):
    response = submit(client, gu="", period_end="2023-01-01", **{"param.weights.scale": "99",
                                                                "input.counts": ""})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    for message in ("자치구를 선택해 주세요.", "기간의 끝이 시작보다 빠릅니다.",
                    "'배율' 값이 최댓값 10보다 큽니다.", "'자치구별 수치' 입력에 쓸 데이터셋을 선택해 주세요."):
        assert message in page
    assert 'value="99"' in page  # what was typed is kept


def test_a_dataset_without_the_needed_column_is_explained(client, catalog):
    response = submit(client, **{"input.counts": "gu-list"})
    assert response.status_code == 400
    assert "데이터셋 '자치구 목록'(gu-list)에 '자치구별 수치' 입력에 필요한 열이 없습니다: 값" in \
        html.unescape(response.get_data(as_text=True))


def test_a_form_without_its_token_runs_nothing(client, catalog):
    response = client.post(f"/models/{MODEL_ID}/run", data={"gu": "11740"})
    assert response.status_code == 400 and "페이지가 만료되었습니다" in response.get_data(as_text=True)


def test_a_run_on_an_internal_dataset_is_a_plain_404_for_the_public(client, catalog):
    run_id = run_id_of(submit(client, headers=ADMIN, **{"input.counts": "secret"}))
    hidden = client.get(f"/models/{MODEL_ID}/runs/{run_id}")
    missing = client.get(f"/models/{MODEL_ID}/runs/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data() == missing.get_data()
    assert client.get(f"/models/{MODEL_ID}/runs/{run_id}/result.csv").status_code == 404
    assert "내부 전용" in client.get(f"/models/{MODEL_ID}/runs/{run_id}",
                                     headers=ADMIN).get_data(as_text=True)


def test_history_lists_visible_runs_newest_first(client, catalog):
    first = run_id_of(submit(client))
    second = run_id_of(submit(client, **{"input.counts": "demo-cases"}))
    internal = run_id_of(submit(client, headers=ADMIN, **{"input.counts": "secret"}))
    page = client.get(f"/models/{MODEL_ID}/runs").get_data(as_text=True)
    listed = [int(n) for n in re.findall(r'>#(\d+)</a>', page)]
    assert listed == [second, first] and internal not in listed
    assert "생성된 예시 데이터" in page


def test_a_result_from_generated_inputs_says_so(client, catalog):
    run_id = run_id_of(submit(client, **{"input.counts": "demo-cases"}))
    page = client.get(f"/models/{MODEL_ID}/runs/{run_id}").get_data(as_text=True)
    assert '<span class="badge generated">생성된 예시 데이터</span>' in page
    assert "입력에 생성된 예시 데이터가 있습니다" in page


def test_two_gu_compare_metric_by_metric(client, catalog):
    gangdong = run_id_of(submit(client))
    jongno = run_id_of(submit(client, gu="11110"))
    page = client.get(f"/models/{MODEL_ID}/compare?a={gangdong}&b={jongno}").get_data(as_text=True)
    assert "지표별로 맞춤" in page
    row = re.search(r'<th scope="row">합계</th>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[:6] == ["강동구", "30,000", "종로구", "1,000", "-29,000", "-96.7"]


def test_two_periods_of_one_gu_compare_unit_by_unit(client, catalog):
    newest = run_id_of(submit(client))
    earlier = run_id_of(submit(client, period_start="2023-01-01", period_end="2023-03-31",
                               **{"input.counts": "population", "param.weights.scale": "2"}))
    page = client.get(f"/models/{MODEL_ID}/compare?a={newest}&b={earlier}").get_data(as_text=True)
    row = re.search(r'<th scope="row">합계</th>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[:6] == \
        ["강동구", "30,000", "강동구", "60,000", "+30,000", "+100"]
    assert "매개변수가 다릅니다" in page


def test_comparing_with_an_invisible_run_is_a_404(client, catalog):
    public = run_id_of(submit(client))
    internal = run_id_of(submit(client, headers=ADMIN, **{"input.counts": "secret"}))
    assert client.get(f"/models/{MODEL_ID}/compare?a={public}&b={internal}").status_code == 404
    choose = client.get(f"/models/{MODEL_ID}/compare?a={public}").get_data(as_text=True)
    assert "비교하려면 실행 기록이 두 개 이상" in choose


def test_the_page_of_a_generated_dataset_says_it_is_not_real_data(client, catalog):
    generated = client.get("/datasets/demo-cases").get_data(as_text=True)
    real = client.get("/datasets/population").get_data(as_text=True)
    assert "생성된 예시 데이터" in generated and "실제 통계가 아닙니다" in generated
    assert "실제 통계가 아닙니다" not in real
