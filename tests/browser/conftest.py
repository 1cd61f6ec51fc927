"""Pages as a person sees them: Debian's headless Chromium driven by Selenium.

Skipped where Chromium or its driver is not installed (`.ci/run` installs both)."""
from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    if CHROMIUM and CHROMEDRIVER:
        return
    skip = pytest.mark.skip(reason="headless Chromium and chromedriver are not installed")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(params=["sqlite"])
def database_url(request, tmp_path):
    """Browser tests check pages, not databases: SQLite only."""
    return request.getfixturevalue("sqlite_template_copy")


@pytest.fixture
def sqlite_template_copy(sqlite_template, tmp_path):
    path = tmp_path / "catalog.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def severe_console_errors(browser) -> list[dict]:
    """The page's console errors (Chromium's SEVERE entries)."""
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
