"""The home page, search with autocomplete, and a dataset page in a real browser."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as when
from selenium.webdriver.support.ui import WebDriverWait

from portal import sync
from tests.browser.conftest import severe_console_errors
from tests.factories import add_seoul_cctv, make_dataset


@pytest.fixture
def site(app, seeded, live_server):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        add_seoul_cctv(session, portal.store)
        make_dataset(session, slug="gangdong-parking", title_ko="강동구 공영주차장 현황",
                     theme="교통", spatial_coverage=["11740"])
    sync.drain(portal.sessions, portal.search)
    return live_server


def test_typing_initial_consonants_offers_the_gu_and_searching_shows_hits(browser, site):
    browser.get(site + "/")
    box = browser.find_element(By.ID, "site-q")
    box.send_keys("ㄱㄷㄱ")
    options = WebDriverWait(browser, 10).until(
        when.visibility_of_element_located((By.CSS_SELECTOR, "#site-q-suggestions li")))
    assert "강동구" in options.text
    assert box.get_attribute("aria-expanded") == "true"
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    WebDriverWait(browser, 10).until(when.url_contains("/search"))
    hits = browser.find_elements(By.CSS_SELECTOR, ".search-hits li")
    assert any("강동구 공영주차장 현황" in hit.text for hit in hits)
    assert severe_console_errors(browser) == []


def test_the_dataset_page_shows_totals_by_gu_and_the_preview(browser, site):
    browser.get(site + "/datasets/seoul-cctv")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("서울시 자치구 CCTV 설치현황")
    gu_table = browser.find_element(By.CSS_SELECTOR, "[aria-label='자치구별 합계 표'] table")
    rows = gu_table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 25
    assert rows[-1].find_element(By.TAG_NAME, "th").text == "강동구"
    preview = browser.find_element(By.CSS_SELECTOR, "[aria-label='미리보기 표'] table")
    assert len(preview.find_elements(By.CSS_SELECTOR, "tbody tr")) == 25
    assert severe_console_errors(browser) == []


def test_keyboard_users_can_skip_to_the_content(browser, site):
    browser.get(site + "/")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "본문 바로가기"
