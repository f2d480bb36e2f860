"""The HTML report in a real headless browser (Debian's chromium + chromedriver, driven
by selenium): the page builds its trace list and source view, and clicking a trace
switches the pane. Skipped only when the browser is missing and
``TRACEJIT_REQUIRE_BROWSER`` is unset (CI sets it, so there it fails instead)."""
import os
import shutil

import pytest

from log_programs import BASIC_PROGRAM
from tracejit.logview import html, model

REQUIRED = bool(os.environ.get("TRACEJIT_REQUIRE_BROWSER"))


def _missing() -> str | None:
    for program in ("chromium", "chromedriver"):
        if shutil.which(program) is None:
            return f"{program} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"TRACEJIT_REQUIRE_BROWSER is set but {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(basic_log, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    html.write(model.load(basic_log.path), str(path))
    return path


def test_page_shows_trace_list_source_and_summary(browser, report):
    from selenium.webdriver.common.by import By
    browser.get(report.as_uri())
    items = browser.find_elements(By.CSS_SELECTOR, "#trace-list .trace-item")
    assert [i.get_attribute("data-trace") for i in items] == ["summary", "1", "2"]
    assert items[1].text.startswith("TRACE 1 basic.py:3 main()")
    assert browser.find_element(By.CSS_SELECTOR, "#pane h2").text == "summary"
    lines = browser.find_elements(By.CSS_SELECTOR, "#source .line")
    assert len(lines) == len(BASIC_PROGRAM.splitlines())
    shares = {int(l.get_attribute("data-line")): l.get_attribute("data-share") for l in lines}
    assert float(shares[6]) > 0.9            # the compiled loop's body
    assert float(shares[9]) == 0.0           # the blacklisted loop's body
    marks = {int(l.get_attribute("data-line")): l.find_element(By.CLASS_NAME, "marks").text for l in lines}
    assert marks[9] == "!" and marks[4] == "\u219030"
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_clicking_a_trace_switches_the_pane(browser, report):
    from selenium.webdriver.common.by import By
    browser.get(report.as_uri())
    items = browser.find_elements(By.CSS_SELECTOR, "#trace-list .trace-item")
    items[2].click()
    assert browser.find_element(By.ID, "trace-title").text.startswith("TRACE 2 ")
    assert browser.find_element(By.ID, "trace-body").text.startswith("TRACE main@")
    assert "LOOP [" in browser.find_element(By.ID, "trace-body").text
    outlined = {int(l.get_attribute("data-line")) for l in browser.find_elements(By.CSS_SELECTOR, ".line.in-trace")}
    assert outlined == {12, 13, 14}
    items[1].click()
    assert browser.find_element(By.ID, "trace-title").text.startswith("TRACE 1 ")
    tabs = {b.text: b for b in browser.find_elements(By.CSS_SELECTOR, ".tabs button")}
    assert list(tabs) == ["IR after record", "IR after fold", "IR after cse", "IR after guards",
                          "IR after ranges", "IR after dce", "generated source", "bytecode", "exits"]
    tabs["generated source"].click()
    assert browser.find_element(By.ID, "trace-body").text.startswith("def trace(")
    tabs["exits"].click()
    assert "exit #0 guard_false at line 4 in main(): taken 30" in browser.find_element(By.ID, "trace-body").text
    items[0].click()
    assert browser.find_element(By.CSS_SELECTOR, "#pane h2").text == "summary"
    assert browser.find_elements(By.CSS_SELECTOR, ".line.in-trace") == []
