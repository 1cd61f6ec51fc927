"""A model run's result page in a real browser: the charts are drawn with their data."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.analysis.sample_model import MODEL_ID, SEOUL_FIGURES, gu_frame, sample_model  # noqa: F401
from tests.browser.conftest import severe_console_errors
from tests.factories import make_dataset


@pytest.fixture
def site(app, seeded, sample_model, live_server):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        make_dataset(session, slug="population", title_ko="자치구별 인구", with_table=True,
                     store=portal.store, frame=gu_frame(SEOUL_FIGURES))
    return live_server


def test_running_from_the_form_draws_the_chart_with_its_data(browser, site):
    browser.get(f"{site}/models/{MODEL_ID}/run?input.counts=population&gu=11740")
    browser.find_element(By.CSS_SELECTOR, "form.model-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "canvas#chart-sums[data-drawn=true]"))
    drawn = browser.execute_script("""
        const chart = Chart.getChart(document.getElementById('chart-sums'));
        return {type: chart.config.type, labels: chart.data.labels.length,
                values: chart.data.datasets[0].data, height: chart.height,
                colours: chart.data.datasets[0].backgroundColor};""")
    assert drawn["type"] == "bar" and drawn["labels"] == 25 and drawn["height"] > 100
    assert sorted(drawn["values"])[-1] == 25_000
    assert drawn["colours"].count("#d9480f") == 1  # the gu that ran it stands out
    canvas = browser.find_element(By.ID, "chart-sums")
    assert canvas.get_attribute("aria-label").startswith("자치구별 합계 막대 차트")
    assert "강동구의 합계는 25,000명입니다." in browser.find_element(By.TAG_NAME, "main").text
    errors = severe_console_errors(browser)
    assert errors == []
