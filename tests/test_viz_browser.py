"""The generated pages in a real headless Chromium: no JS errors, the canvas draws, the time slider
filters, and script injected through article text runs nowhere.  One browser for the module."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from graphkit.model import ActorRef, Statement
from graphkit.viz.map import build_map, render_map
from graphkit.viz.network import build_network, build_network_frame, render_network
from graphkit.viz.report import as_report_frame, write_report

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("GRAPHKIT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GRAPHKIT_CHROMEDRIVER", "/usr/bin/chromedriver")
TITLE = "browser test network"
XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2;document.title=\'pwned\'">'
XSS_EDGE = "USA|IRQ.PMF|ACCUSE"
DAY0 = date(2024, 1, 1)

# Capture errors from the very first script on, including ones the console log might drop.
CAPTURE_ERRORS = """
window.__gkErrors = [];
window.addEventListener('error', function (e) { window.__gkErrors.push(String(e.message || e)); });
window.addEventListener('unhandledrejection', function (e) { window.__gkErrors.push('rejection: ' + String(e.reason)); });
"""


def _fail_or_skip(message: str):
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def driver():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _fail_or_skip("selenium is not installed (pip install selenium)")
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        _fail_or_skip(f"headless Chromium not found ({CHROMIUM}, {CHROMEDRIVER}); apt install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,800"):
        options.add_argument(arg)
    profile = tempfile.mkdtemp(prefix="gk-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as err:  # noqa: BLE001 - any start-up failure means "no browser here"
        shutil.rmtree(profile, ignore_errors=True)
        _fail_or_skip(f"headless Chromium would not start: {str(err).splitlines()[0]}")
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CAPTURE_ERRORS})
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _statements() -> list[Statement]:
    """A small conflict system over six months; day 0 has exactly two dyad-type edges."""
    usa = ActorRef("USA", "United States", "state", "USA")
    pmf = ActorRef("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ")
    irn = ActorRef("IRN", "Iran", "state", "IRN")
    irq = ActorRef("IRQGOV", "Government of Iraq", "government", "IRQ")
    mil = ActorRef("USAMIL", "US military", "military", "USA")
    pm = ActorRef("PER.IRQ.PM", "Prime Minister of Iraq", "person", "IRQ")
    plan = [  # (day, source, target, type, goldstein, quad)
        (0, usa, irq, "CONSULT", 1.0, 1), (0, mil, pmf, "ASSAULT", -10.0, 4),
        (20, irn, pmf, "AID", 7.0, 2), (35, pmf, usa, "THREATEN", -4.4, 3), (50, irq, usa, "REQUEST", 3.0, 1),
        (70, mil, pmf, "ASSAULT", -10.0, 4), (90, pm, irn, "CONSULT", 1.0, 1), (120, usa, irn, "SANCTION", -4.0, 4),
        (150, irn, irq, "COOPERATE", 6.0, 2), (170, pmf, mil, "ASSAULT", -10.0, 4),
    ]
    out = [Statement(id=f"s{i}", source=s, target=t, type=ty, cameo=None, quad_class=q, goldstein=g,
                     date=DAY0 + timedelta(days=d), date_precision="day", article_id=f"art{i}",
                     sentence=f"{s.name} {ty.lower()} {t.name} (statement {i}).", rule="test",
                     extra={"outlet": "Test Wire"})
           for i, (d, s, t, ty, g, q) in enumerate(plan)]
    out.append(Statement(id="xss", source=usa, target=pmf, type="ACCUSE", cameo=None, quad_class=3, goldstein=-2.0,
                         date=DAY0 + timedelta(days=100), date_precision="day", article_id="evil",
                         sentence=XSS, rule="test", extra={"outlet": "<b>Evil Outlet</b>"}))
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("viz")
    statements = _statements()
    network = render_network(build_network(statements), folder / "graph.html", title=TITLE)
    large = render_network(build_network(statements), folder / "large.html", title=TITLE, large=True)
    empty = render_network(build_network([]), folder / "empty.html", title=TITLE)
    report = write_report(statements, [], folder / "report", title="browser test report")
    events = render_map(build_map(_placed(statements)), folder / "map.html", title="browser test map")
    # as a large report builds it: one sentence kept per edge, every statement counted
    sampled = render_network(build_network_frame(as_report_frame(statements), sample=1), folder / "sampled.html",
                             title=TITLE)
    return {"network": network, "large": large, "empty": empty, "report": report, "map": events, "sampled": sampled}


# Where the test statements happened: s0-s9 and the injected one get coordinates, s10 has none.
PLACES = {"s0": (33.34, 44.40), "s1": (35.47, 44.39), "s2": (32.62, 44.02), "s3": (33.42, 43.30), "s4": (33.34, 44.40),
          "s5": (36.19, 44.01), "s6": (35.69, 51.42), "s7": (38.90, -77.04), "s8": (33.34, 44.40),
          "s9": (33.98, 44.94), "xss": (33.30, 44.20)}


def _placed(statements: list[Statement]) -> list[Statement]:
    from dataclasses import replace

    # s9's sentence names no place: the dateline placed it (a fallback the page marks and can hide)
    return [replace(st, latitude=PLACES[st.id][0], longitude=PLACES[st.id][1], place_name="somewhere",
                    place_precision="town", killed=5 if st.type == "ASSAULT" else None,
                    place_source="dateline" if st.id == "s9" else "sentence")
            if st.id in PLACES else st for st in statements]


def _open(driver, path: Path, ready_flag: str, timeout: float = 60) -> None:
    driver.get(path.resolve().as_uri())
    deadline = time.monotonic() + timeout
    while not driver.execute_script(f"return window.{ready_flag} === true"):
        if time.monotonic() > deadline:
            pytest.fail(f"{path.name}: window.{ready_flag} not set within {timeout}s; errors: {_errors(driver)}")
        time.sleep(0.1)


def _errors(driver) -> list[str]:
    logged = [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    return logged + (driver.execute_script("return window.__gkErrors || []") or [])


def _wait_for(driver, script: str, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for: {script}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def network_page(driver, pages):
    _open(driver, pages["network"], "graphkitReady")
    return driver


def test_network_page_loads_without_errors(network_page):
    assert _errors(network_page) == []
    assert network_page.title == TITLE
    stats = network_page.find_element("id", "gk-stats").text
    assert "6 of 6 actors" in stats and "11 of 11 statements" in stats


def test_network_canvas_draws(network_page):
    from PIL import Image

    canvas = network_page.find_element("css selector", "#gk-network canvas")
    image = Image.open(io.BytesIO(canvas.screenshot_as_png)).convert("RGB")
    pixels = [image.getpixel((x, y)) for y in range(image.height) for x in range(image.width)]
    inked = sum(1 for r, g, b in pixels if min(r, g, b) < 225)
    reddish = sum(1 for r, g, b in pixels if r > g + 60 and r > b + 60)  # conflict edges
    greenish = sum(1 for r, g, b in pixels if g > r + 30 and g > b + 30)  # cooperation edges
    assert inked > 2000, f"canvas looks blank ({inked} inked pixels of {len(pixels)})"
    assert reddish > 20 and greenish > 20, (reddish, greenish)


def test_time_slider_changes_what_is_shown(network_page):
    drawn = "return graphkit.drawnEdges()"
    total = network_page.execute_script(drawn)
    assert total == network_page.execute_script("return graphkit.data.edges.length") == 10
    move = ("var s = document.getElementById(arguments[0]); s.value = arguments[1];"
            "s.dispatchEvent(new Event('input', {bubbles: true}));")
    network_page.execute_script(move, "gk-to", "0")
    _wait_for(network_page, "return graphkit.visibleEdges === 2")
    assert network_page.execute_script(drawn) == 2  # vis's own edge objects, i.e. what the canvas draws
    assert network_page.find_element("id", "gk-to-label").text == "2024-01-01"
    hidden_nodes = network_page.execute_script(
        "return graphkit.nodes.get({filter: function (n) { return n.hidden; }}).map(function (n) { return n.id; })")
    assert sorted(hidden_nodes) == ["IRN", "PER.IRQ.PM"]
    network_page.execute_script(move, "gk-to", "180")
    _wait_for(network_page, "return graphkit.visibleEdges === 10")
    assert _errors(network_page) == []


def test_type_filter_hides_edges(network_page):
    box = network_page.find_element("css selector", "#gk-types input[value='ASSAULT']")
    box.click()
    _wait_for(network_page, "return graphkit.visibleEdges === 8")
    box.click()
    _wait_for(network_page, "return graphkit.visibleEdges === 10")


def test_injected_markup_in_article_text_does_not_run(network_page):
    page = network_page
    # the same handler a real hover calls, fired through vis's own event emitter
    page.execute_script("graphkit.network.body.emitter.emit('hoverEdge', "
                        "{edge: arguments[0], pointer: {DOM: {x: 30, y: 30}}})", XSS_EDGE)
    tooltip = page.find_element("id", "gk-tooltip")
    assert tooltip.is_displayed()
    assert XSS in page.execute_script("return document.getElementById('gk-tooltip').textContent")
    assert "<b>Evil Outlet</b>" in tooltip.text
    page.execute_script("graphkit.showEdge(arguments[0])", XSS_EDGE)
    details = page.execute_script("return document.getElementById('gk-details').textContent")
    assert XSS in details and "article evil" in details
    assert page.execute_script("return document.querySelectorAll('#gk-tooltip *:is(img,script,b), "
                               "#gk-details *:is(img,script,b)').length") == 0
    assert page.execute_script("return window.__pwned === undefined")
    assert page.title == TITLE
    assert _errors(page) == []


def test_large_graph_mode_uses_the_precomputed_layout_and_still_filters(driver, pages):
    """The settings used above LARGE_GRAPH_NODES actors, forced on for the small graph."""
    _open(driver, pages["large"], "graphkitReady")
    assert driver.execute_script("return graphkit.data.meta.large") is True
    placed = driver.execute_script("""  // getPositions() truncates to whole pixels
        var pos = graphkit.network.getPositions();
        return graphkit.data.nodes.every(function (n) {
          return Math.abs(pos[n.id].x - n.x) < 1 && Math.abs(pos[n.id].y - n.y) < 1; });""")
    assert placed, "nodes moved: physics ran although the layout was precomputed"
    driver.execute_script("var s = document.getElementById('gk-to'); s.value = '0';"
                          "s.dispatchEvent(new Event('input'));")
    _wait_for(driver, "return graphkit.drawnEdges() === 2")
    _wait_for(driver, "return graphkit.nodesSettled === true && graphkit.visibleNodes === 4")
    hidden = driver.execute_script(
        "return graphkit.nodes.get({filter: function (n) { return n.hidden; }}).map(function (n) { return n.id; })")
    assert sorted(hidden) == ["IRN", "PER.IRQ.PM"]
    assert _errors(driver) == []


def test_empty_network_page(driver, pages):
    _open(driver, pages["empty"], "graphkitReady")
    assert driver.find_element("id", "gk-busy").text == "no statements"
    assert "0 of 0 actors" in driver.find_element("id", "gk-stats").text
    assert _errors(driver) == []


def test_report_page(driver, pages):
    _open(driver, pages["report"], "graphkitReportReady")
    assert driver.title == "browser test report"
    # file:// frames are cross-origin to each other: look inside the embedded network by switching to it
    driver.switch_to.frame(driver.find_element("css selector", "iframe"))
    _wait_for(driver, "return window.graphkitReady === true", timeout=60)
    assert driver.execute_script("return graphkit.visibleEdges") == 10
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.find_element("css selector", "iframe[src='map.html']"))
    _wait_for(driver, "return window.__gkMapReady === true", timeout=60)
    assert driver.find_element("id", "unplaced").text == "11"  # these statements have no coordinates
    assert driver.execute_script("return window.__gkErrors") == []
    driver.switch_to.default_content()
    assert driver.execute_script("return document.querySelectorAll('#gk-trends svg polyline').length") >= 2
    rows = "return document.querySelectorAll('#gk-table tbody tr').length"
    assert driver.execute_script(rows) == 11
    search = driver.find_element("id", "gk-search")
    search.send_keys("onerror")
    _wait_for(driver, rows.replace("return ", "return 1 === "))
    row_text = driver.execute_script("return document.querySelector('#gk-table tbody tr').textContent")
    assert XSS in row_text
    assert driver.execute_script("return document.querySelectorAll('#gk-table img, #gk-table script, "
                                 ".alert img, .alert script').length") == 0
    assert driver.execute_script("return window.__pwned === undefined")
    assert driver.title == "browser test report"
    assert _errors(driver) == []


def test_notebook_view_draws_inside_its_frame(driver, tmp_path):
    """graphkit.show's HTML output, as a notebook page holds it: the sandboxed frame runs the page."""
    from graphkit.viz.notebook import NetworkView

    view = NetworkView(build_network(_statements()), title=TITLE, height=500)
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body><h1>a notebook</h1>" + view._repr_html_() + "</body></html>",
                    encoding="utf-8")
    driver.get(host.resolve().as_uri())
    frame = driver.find_element("css selector", "iframe.graphkit-network")
    assert frame.size["height"] >= 490
    driver.switch_to.frame(frame)
    try:
        _wait_for(driver, "return window.graphkitReady === true", timeout=60)
        assert driver.execute_script("return window.__gkErrors || []") == []
        assert "6 of 6 actors" in driver.find_element("id", "gk-stats").text
        assert driver.execute_script("return graphkit.drawnEdges()") == 10
        assert driver.execute_script("return window.__pwned === undefined")
    finally:
        driver.switch_to.default_content()
    # the sandbox keeps the page away from the notebook around it
    assert driver.execute_script("return document.querySelector('h1').textContent") == "a notebook"
    assert _errors(driver) == []


@pytest.fixture(scope="module")
def map_page(driver, pages):
    _open(driver, pages["map"], "__gkMapReady")
    return driver


def test_map_page_draws_every_placed_event_offline(map_page):
    page = map_page
    assert _errors(page) == []
    assert page.title == "browser test map"
    assert page.execute_script("return document.querySelectorAll('circle.pt').length") == 11
    assert page.execute_script("return window.__gkMapShown") == 11
    assert page.find_element("id", "unplaced").text == "0"
    assert page.execute_script("return document.querySelectorAll('path.country').length") > 150
    # nothing was fetched: no resource but the page itself, no external reference in it
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert page.execute_script("return document.querySelectorAll('[src], link[href]').length") == 0
    # the points sit where their coordinates say, inside the view
    svg = page.find_element("id", "map")
    assert page.execute_script("return document.getElementById('map').getAttribute('viewBox')")
    from PIL import Image

    image = Image.open(io.BytesIO(svg.screenshot_as_png)).convert("RGB")
    reddish = sum(1 for y in range(0, image.height, 2) for x in range(0, image.width, 2)
                  if (lambda p: p[0] > p[1] + 80 and p[0] > p[2] + 80)(image.getpixel((x, y))))
    assert reddish > 20, "no material-conflict points drawn"


def test_map_filters_change_what_is_shown(map_page):
    page = map_page
    box = page.find_element("css selector", "#types input[value='ASSAULT']")
    box.click()
    _wait_for(page, "return window.__gkMapShown === 8")
    visible = page.execute_script("return Array.from(document.querySelectorAll('circle.pt'))"
                                  ".filter(function (c) { return c.style.display !== 'none'; }).length")
    assert visible == 8
    box.click()
    _wait_for(page, "return window.__gkMapShown === 11")
    quad = page.find_element("css selector", "#quads input[value='4']")
    quad.click()
    _wait_for(page, "return window.__gkMapShown === 7")  # ASSAULT x3 and SANCTION are QuadClass 4
    quad.click()
    _wait_for(page, "return window.__gkMapShown === 11")
    set_date = ("var s = document.getElementById(arguments[0]); s.value = arguments[1];"
                "s.dispatchEvent(new Event('change'));")
    page.execute_script(set_date, "until", "2024-01-01")
    _wait_for(page, "return window.__gkMapShown === 2")  # the two day-0 events
    page.execute_script(set_date, "until", "2024-12-31")
    _wait_for(page, "return window.__gkMapShown === 11")
    sizes = "return Array.from(document.querySelectorAll('circle.pt')).map(function (c) { return +c.getAttribute('r'); })"
    by_mentions = page.execute_script(sizes)
    page.find_element("css selector", "input[name=size][value=casualties]").click()
    by_casualties = page.execute_script(sizes)
    assert by_casualties != by_mentions and max(by_casualties) > max(by_mentions)
    assert _errors(page) == []


def test_map_marks_and_filters_fallback_placements(map_page):
    page = map_page
    page.execute_script("document.querySelector('circle.pt[data-id=s9]').dispatchEvent(new MouseEvent('click'))")
    assert "placed by dateline" in page.execute_script("return document.getElementById('detail').textContent")
    page.execute_script("document.querySelector('circle.pt[data-id=s1]').dispatchEvent(new MouseEvent('click'))")
    assert "placed by" not in page.execute_script("return document.getElementById('detail').textContent")
    box = page.find_element("css selector", "#placements input[value='dateline']")
    box.click()
    _wait_for(page, "return window.__gkMapShown === 10")
    assert page.execute_script("return document.querySelector('circle.pt[data-id=s9]').style.display") == "none"
    box.click()
    _wait_for(page, "return window.__gkMapShown === 11")
    assert _errors(page) == []


def test_map_shows_the_sentence_as_text(map_page):
    page = map_page
    page.execute_script("document.querySelector('circle.pt[data-id=xss]').dispatchEvent(new MouseEvent('click'))")
    detail = page.execute_script("return document.getElementById('detail').textContent")
    assert XSS in detail and "ACCUSE" in detail
    page.execute_script("document.querySelector('circle.pt[data-id=s1]')"
                        ".dispatchEvent(new MouseEvent('mousemove', {clientX: 400, clientY: 300}))")
    assert page.find_element("id", "tip").is_displayed()
    assert "(statement 1)" in page.find_element("id", "tip").text
    assert page.execute_script("return document.querySelectorAll('#detail *:is(img,script), #tip *:is(img,script)')"
                               ".length") == 0
    assert page.execute_script("return window.__pwned === undefined")
    assert _errors(page) == []


def test_seed_map_draws_the_kirkuk_strike(driver, tmp_path, seed_path):
    """Done-when: the seed's Kirkuk strike, extracted and drawn by `graphkit map`, offline."""
    from click.testing import CliRunner

    from graphkit.cli.main import cli

    result = CliRunner().invoke(cli, ["extract", str(seed_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (tmp_path / "seed.jsonl").write_text(result.stdout, encoding="utf-8")
    out = tmp_path / "seed-map.html"
    result = CliRunner().invoke(cli, ["map", "--from", str(tmp_path / "seed.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    _open(driver, out, "__gkMapReady")
    strike = driver.execute_script(
        "var c = Array.from(document.querySelectorAll('circle.pt')).filter(function (c) {"
        "  return c.querySelector('title') === null && Math.abs(+c.getAttribute('cx') - 44.39) < 0.05; });"
        "return c.length")
    assert strike >= 1
    driver.find_element("css selector", "#types input[value='ASSAULT']").click()
    assert driver.execute_script("return window.__gkMapShown") < driver.execute_script(
        "return document.querySelectorAll('circle.pt').length")
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert _errors(driver) == []


def test_sampled_network_counts_every_statement_and_says_what_it_shows(driver, pages):
    _open(driver, pages["sampled"], "graphkitReady")
    assert "11 of 11 statements" in driver.find_element("id", "gk-stats").text
    edge = "USAMIL|IRQ.PMF|ASSAULT"  # s1 (day 0) and s5 (day 70): only s5's sentence is embedded
    tip = driver.execute_script("return graphkit.tooltipForEdge(arguments[0]).textContent", edge)
    assert "2 statements" in tip and "showing 1 of 2 sentences" in tip and "(statement 5)" in tip
    move = ("var s = document.getElementById(arguments[0]); s.value = arguments[1];"
            "s.dispatchEvent(new Event('input', {bubbles: true}));")
    driver.execute_script(move, "gk-to", "0")
    _wait_for(driver, "return graphkit.visibleEdges === 2")  # s1 counts at day 0 without its sentence
    tip = driver.execute_script("return graphkit.tooltipForEdge(arguments[0]).textContent", edge)
    assert "1 statement " in tip and "showing 0 of 1 sentences" in tip
    assert _errors(driver) == []
