"""The dataset page's preview in a real browser: paging, a filter and sorting go to the
server through the rows API and change the rows shown."""
from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from portal.catalog import datasets
from portal.catalog.ingest import ingest_file
from tests.browser.conftest import severe_console_errors

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CINEMA = SAMPLE / "localdata" / "서울시 영화상영관 인허가 정보.csv"
PREVIEW = "[aria-label='미리보기 표'] table"


@pytest.fixture
def site(app, seeded, live_server):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        cinema = datasets.create_dataset(session, "cinema", title_ko="서울시 영화상영관 인허가 정보")
        version = ingest_file(session, portal.store, cinema, CINEMA).version
        app.config["CINEMA_TABLE"] = pd.read_parquet(portal.store.path(version.parquet_key))
    return live_server


def body_rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, f"{PREVIEW} tbody tr")


def column_values(browser, column):
    headers = [th.get_attribute("data-column") for th in
               browser.find_elements(By.CSS_SELECTOR, f"{PREVIEW} thead th[data-column]")]
    index = headers.index(column)
    # textContent, not .text: a browser's .text collapses the double spaces real names have.
    return [row.find_elements(By.TAG_NAME, "td")[index].get_attribute("textContent")
            for row in body_rows(browser)]


def status(browser):
    return browser.find_element(By.CSS_SELECTOR, "[data-preview-status]").text


def test_paging_shows_the_next_fifty_rows_from_the_server(browser, site, app):
    names = app.config["CINEMA_TABLE"]["사업장명"].fillna("").tolist()
    browser.get(site + "/datasets/cinema")
    assert column_values(browser, "사업장명") == names[:50]
    browser.find_element(By.CSS_SELECTOR, "[data-preview-next]").click()
    WebDriverWait(browser, 10).until(lambda b: "51–100" in status(b))
    assert column_values(browser, "사업장명") == names[50:100]
    assert severe_console_errors(browser) == []
    assert "전체 903행" in status(browser)
    assert browser.find_element(By.CSS_SELECTOR, "[data-preview-range]").text == "51–100 / 903행"


def test_a_filter_keeps_only_matching_rows_and_announces_the_count(browser, site):
    browser.get(site + "/datasets/cinema")
    box = browser.find_element(By.CSS_SELECTOR, "input[aria-label='영업상태명 조건']")
    box.send_keys("폐업", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: "조건에 맞는 행 251개" in status(b))
    assert set(column_values(browser, "영업상태명")) == {"폐업"}
    area = browser.find_element(By.CSS_SELECTOR, "input[aria-label='시설면적 조건']")
    area.send_keys(">=100", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: "조건에 맞는 행 251개" not in status(b)
                                     and "조건에 맞는 행" in status(b))
    assert all(float(v.replace(",", "")) >= 100 for v in column_values(browser, "시설면적"))


def test_sorting_by_a_header_button_sets_aria_sort(browser, site):
    browser.get(site + "/datasets/cinema")
    header = browser.find_element(By.CSS_SELECTOR, f"{PREVIEW} th[data-column='사업장명']")
    button = header.find_element(By.CSS_SELECTOR, "button.sort-button")
    button.send_keys(Keys.ENTER)  # keyboard, not only the mouse
    WebDriverWait(browser, 10).until(lambda b: header.get_attribute("aria-sort") == "ascending"
                                     and "오름차순" in status(b))
    names = [n for n in column_values(browser, "사업장명") if n]
    assert names == sorted(names)
    button.click()
    WebDriverWait(browser, 10).until(lambda b: header.get_attribute("aria-sort") == "descending"
                                     and "내림차순" in status(b))
    names = [n for n in column_values(browser, "사업장명") if n]
    assert names == sorted(names, reverse=True)


def test_an_impossible_filter_explains_itself(browser, site):
    browser.get(site + "/datasets/cinema")
    box = browser.find_element(By.CSS_SELECTOR, "input[aria-label='시설면적 조건']")
    box.send_keys(">=넓음", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: "조건을 확인해 주세요" in status(b))
    assert box.get_attribute("aria-invalid") == "true"
    assert len(body_rows(browser)) == 50
