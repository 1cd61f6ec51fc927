"""The dataset page's charts, map and sortable tables in headless Chromium, on the real CCTV
table: every canvas draws the profile's figures, the map shows the 25 gu, and the controls
are reachable and usable by keyboard."""
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import severe_console_errors
from tests.factories import add_seoul_cctv

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
CANVASES = ("trend-chart", "district-chart", "map-chart")


@pytest.fixture
def site(app, seeded, live_server):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        add_seoul_cctv(session, portal.store)
    return live_server


def wait_for_charts(browser):
    """Until every canvas has a Chart with data (the map waits for its boundary file)."""
    WebDriverWait(browser, 20).until(lambda b: b.execute_script(
        "return arguments[0].every(function (id) {"
        "  var chart = Chart.getChart(document.getElementById(id));"
        "  return chart && chart.data.datasets.length && chart.data.datasets[0].data.length > 0;"
        "});", list(CANVASES)))


def chart_value(browser, canvas_id, expression):
    return browser.execute_script(
        f"var chart = Chart.getChart(document.getElementById('{canvas_id}')); return {expression};")


def test_every_chart_draws_the_profile_and_the_map_shows_25_gu(browser, site):
    browser.set_window_size(1280, 1000)
    browser.get(site + "/datasets/seoul-cctv")
    wait_for_charts(browser)
    # The Seoul line of the year columns, 2013년 이전 … 2016, and five gu lines by size.
    assert chart_value(browser, "trend-chart", "chart.data.labels") == \
        ["2013년 이전", "2014", "2015", "2016"]
    assert chart_value(browser, "trend-chart", "chart.data.datasets[0].data") == \
        [19119, 3987, 5130, 9647]
    assert chart_value(browser, "trend-chart", "chart.data.datasets.length") == 6
    # 25 bars, largest first: 강남구's 소계 of 2,780.
    assert chart_value(browser, "district-chart", "chart.data.labels.length") == 25
    assert chart_value(browser, "district-chart", "chart.data.labels[0]") == "강남구"
    assert chart_value(browser, "district-chart", "chart.data.datasets[0].data[0]") == 2780
    # 25 gu shapes, each with its figure, and a legend of value ranges.
    assert chart_value(browser, "map-chart", "chart.data.datasets[0].data.length") == 25
    assert chart_value(browser, "map-chart",
                       "chart.data.datasets[0].data.filter(function (d) {"
                       " return d.value !== null; }).length") == 25
    legend = browser.find_elements(By.CSS_SELECTOR, "#map-legend li")
    assert len(legend) == 5 and "485 ~" in legend[0].text and "~ 2,780" in legend[-1].text
    for canvas_id in CANVASES:
        label = browser.find_element(By.ID, canvas_id).get_attribute("aria-label")
        assert "강남구" in label or "서울 전체" in label
    assert severe_console_errors(browser) == []
    ARTEFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1280, 3600)
    browser.save_screenshot(str(ARTEFACTS / "dataset_page_cctv.png"))
    assert (ARTEFACTS / "dataset_page_cctv.png").stat().st_size > 10_000


def test_keyboard_focus_reaches_every_chart_control(browser, site):
    browser.get(site + "/datasets/seoul-cctv")
    wait_for_charts(browser)
    reached = set()
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(150):
        focused = browser.switch_to.active_element
        reached.add(focused.get_attribute("id") or focused.get_attribute("name"))
        focused.send_keys(Keys.TAB)
    for control in ("my-gu", "trend-measure", "trend-gu", "district-measure", "map-measure",
                    *CANVASES):
        assert control in reached


def test_my_gu_is_highlighted_and_remembered(browser, site):
    browser.get(site + "/datasets/seoul-cctv")
    wait_for_charts(browser)
    chooser = browser.find_element(By.ID, "my-gu")
    chooser.send_keys("강동구")  # a keyboard user types the option's name
    Select(chooser).select_by_visible_text("강동구")
    WebDriverWait(browser, 5).until(lambda b: "★ 강동구" in chart_value(
        b, "district-chart", "chart.data.labels"))
    assert "내 자치구 강동구" in browser.find_element(By.ID, "district-summary").text
    assert chart_value(browser, "map-chart", "chart.data.datasets[0].borderWidth").count(4) == 1
    browser.refresh()
    wait_for_charts(browser)
    assert Select(browser.find_element(By.ID, "my-gu")).first_selected_option.text == "강동구"
    assert "★ 강동구" in chart_value(browser, "district-chart", "chart.data.labels")


def test_no_more_than_five_gu_lines_can_be_chosen(browser, site):
    browser.get(site + "/datasets/seoul-cctv")
    wait_for_charts(browser)
    boxes = browser.find_elements(By.CSS_SELECTOR, "#trend-gu input[type=checkbox]")
    checked = [box for box in boxes if box.is_selected()]
    unchecked = [box for box in boxes if not box.is_selected()]
    assert len(checked) == 5 and all(not box.is_enabled() for box in unchecked)
    checked[0].send_keys(Keys.SPACE)
    WebDriverWait(browser, 5).until(lambda b: chart_value(
        b, "trend-chart", "chart.data.datasets.length") == 5)
    assert all(box.is_enabled() for box in unchecked)


def test_the_totals_table_sorts_by_keyboard(browser, site):
    browser.get(site + "/datasets/seoul-cctv")
    wait_for_charts(browser)
    table = browser.find_element(By.CSS_SELECTOR, "[aria-label='자치구별 합계 표'] table")
    header = table.find_elements(By.CSS_SELECTOR, "thead th")[1]  # 소계
    header.find_element(By.TAG_NAME, "button").send_keys(Keys.ENTER)
    assert header.get_attribute("aria-sort") == "descending"
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [row.find_element(By.TAG_NAME, "th").text for row in rows[:2]] == ["강남구", "양천구"]
    assert table.find_element(By.CSS_SELECTOR, "tfoot th").text.startswith("전체 합계")
    header.find_element(By.TAG_NAME, "button").send_keys(Keys.ENTER)
    assert header.get_attribute("aria-sort") == "ascending"
    assert table.find_elements(By.CSS_SELECTOR, "tbody tr th")[0].text == "도봉구"
