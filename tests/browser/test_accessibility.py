"""KWCAG 2.2 asks for what WCAG 2.x asks: axe-core (pinned in package.json, injected from
node_modules, never a CDN) finds no serious or critical violation on the home, search and
dataset pages, with the charts and the map drawn."""
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from portal import sync
from portal.catalog import datasets
from portal.catalog.ingest import ingest_file

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SAMPLE = ROOT / "sample_data"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def site(app, seeded, live_server):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        for slug, title, path in (
                ("seoul-cctv", "서울시 자치구 CCTV 설치현황", "seoul_opendata/CCTV_in_Seoul.csv"),
                ("seoul-population", "서울시 주민등록인구 (구별)",
                 "seoul_opendata/population_in_Seoul_2017Q1.xls"),
                ("cultural-events", "서울시 문화행사 정보",
                 "seoul_openapi/culturalEventInfo_1_1000.json")):
            dataset = datasets.create_dataset(session, slug, title_ko=title, theme="문화/관광")
            ingest_file(session, portal.store, dataset, SAMPLE / path)
    sync.drain(portal.sessions, portal.search)
    return live_server


def serious_violations(browser) -> list[str]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        "  .then(function (result) { done(result.violations); })"
        "  .catch(function (error) { done([{id: 'axe-error', impact: 'critical',"
        "    nodes: [{target: [String(error)]}]}]); });", RULES)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations if v["impact"] in ("serious", "critical")]


def charts_drawn(browser) -> bool:
    return browser.execute_script(
        "var canvases = ['district-chart', 'map-chart'].map(function (id) {"
        "  return document.getElementById(id); }).filter(Boolean);"
        "return !canvases.length || (typeof Chart !== 'undefined' && canvases.every("
        "  function (canvas) { var chart = Chart.getChart(canvas);"
        "    return chart && chart.data.datasets[0] && chart.data.datasets[0].data.length > 0;"
        "  }));")


@pytest.mark.parametrize("path", ["/", "/search?q=인구", "/search?q=없는말없는말",
                                  "/datasets/seoul-cctv", "/datasets/seoul-population",
                                  "/datasets/cultural-events", "/orgs/seoul"])
def test_no_serious_accessibility_violations(browser, site, path):
    browser.get(site + path)
    WebDriverWait(browser, 20).until(charts_drawn)
    assert serious_violations(browser) == []
