"""Benchmark: render a synthetic 2,000-actor / 10,000-statement graph and open it in headless Chromium.

Reports: time to aggregate (build_network), time to write the HTML file, file size, time until the
page is interactive in Chromium (window.graphkitReady: layout settled, physics off, first draw),
the frame rate while panning, and how long one filter pass (the time slider) takes in the page.

    python benchmarks/bench_render.py [--actors 2000] [--statements 10000] [--screenshot /tmp/render.png]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit import typology  # noqa: E402
from graphkit.model import ActorRef, Statement  # noqa: E402
from graphkit.viz.network import build_network, render_network  # noqa: E402

KINDS = ["state", "government", "military", "police", "militia", "party", "igo", "ngo", "media", "person", "group"]
OUTLETS = ["Reuters", "AP", "AFP", "Al Jazeera", "BBC", "Rudaw", "Shafaq News"]
MODALITIES = ["asserted"] * 6 + ["negated", "future", "claimed"]


def synthetic(n_actors: int, n_statements: int, seed: int = 8) -> list[Statement]:
    """Heavy-tailed activity (a few actors in most statements), conflict-leaning types, two years of dates."""
    rng = random.Random(seed)
    actors = [ActorRef(f"A{i:04d}", f"Actor {i}", KINDS[i % len(KINDS)], rng.choice(["IRQ", "IRN", "USA", "SYR"]))
              for i in range(n_actors)]
    weights = [1.0 / (i + 1) ** 0.9 for i in range(n_actors)]
    types = list(typology.types().values())
    start = date(2023, 1, 1)
    out = []
    for i in range(n_statements):
        source, target = rng.choices(actors, weights=weights, k=2)
        if source.id == target.id:
            target = actors[(int(target.id[1:]) + 1 + rng.randrange(n_actors - 1)) % n_actors]
        kind = rng.choice(types)
        out.append(Statement(
            id=f"st{i}", source=source, target=target, type=kind.name, cameo=kind.cameo, quad_class=kind.quad_class,
            goldstein=kind.goldstein, date=start + timedelta(days=rng.randrange(730)), date_precision="day",
            modality=rng.choice(MODALITIES), article_id=f"art{i // 3}", rule="synthetic",
            sentence=f"{source.name} {kind.name.lower()} {target.name}, officials said on statement {i}.",
            extra={"outlet": rng.choice(OUTLETS)}))
    return out


def open_in_chromium(path: Path, screenshot: Path | None) -> dict:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,900"):
        options.add_argument(arg)
    profile = tempfile.mkdtemp(prefix="gk-bench-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        started = time.perf_counter()
        driver.get(path.resolve().as_uri())
        loaded = time.perf_counter() - started
        while not driver.execute_script("return window.graphkitReady === true"):
            if time.perf_counter() - started > 300:
                raise SystemExit("page not interactive after 300 s")
            time.sleep(0.05)
        interactive = time.perf_counter() - started
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        if screenshot:
            driver.save_screenshot(str(screenshot))
        # programmatic pan (every edge drawn each frame): frames per second over two seconds
        pan_fps = driver.execute_async_script("""
            var done = arguments[arguments.length - 1], net = graphkit.network, frames = 0;
            var count = function () { frames += 1; };
            net.on('afterDrawing', count);
            var p = net.getViewPosition(), t0 = performance.now();
            function step() {
              var t = performance.now() - t0;
              net.moveTo({position: {x: p.x + 400 * Math.sin(t / 300), y: p.y + 200 * Math.cos(t / 300)}});
              if (t < 2000) requestAnimationFrame(step); else { net.off('afterDrawing', count); done(frames / (t / 1000)); }
            }
            requestAnimationFrame(step);
        """)
        # a real mouse drag (edges hidden while dragging, as a user sees it): mean time per drawn frame
        driver.execute_script("""
            window.__frames = []; graphkit.network.on('afterDrawing', function () { __frames.push(performance.now()); });
        """)
        box = driver.find_element("css selector", "#gk-network canvas").rect
        x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x0, "y": y0 + 300,
                                                              "button": "left", "clickCount": 1})
        for i in range(1, 41):
            driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x0 + 5 * i,
                                                                  "y": y0 + 300 - 3 * i, "button": "left"})
        driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x0 + 200, "y": y0 + 180,
                                                              "button": "left", "clickCount": 1})
        frames = driver.execute_script("return window.__frames")
        drag_fps = (len(frames) - 1) / ((frames[-1] - frames[0]) / 1000) if len(frames) > 1 else 0.0
        filter_ms = driver.execute_script("""
            var days = graphkit.data.meta.days, slider = document.getElementById('gk-to'), out = [];
            function move(v) { var t = performance.now(); slider.value = String(v);
                               slider.dispatchEvent(new Event('input')); graphkit.apply(); out.push(performance.now() - t); }
            move(Math.floor(days / 2)); move(days); move(days - 7); move(days - 14); move(days);
            return out;
        """)
        fps = {"pan": pan_fps, "drag": drag_fps, "drag_frames": len(frames)}
        return {"dom_loaded_s": loaded, "interactive_s": interactive, "fps": fps, "filter_ms": filter_ms,
                "errors": errors}
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "gk-bench-render.html")
    parser.add_argument("--screenshot", type=Path, default=Path("/tmp/render.png"))
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="skip timing `graphkit report` on the same data")
    args = parser.parse_args()

    statements = synthetic(args.actors, args.statements)
    t0 = time.perf_counter()
    data = build_network(statements)
    t1 = time.perf_counter()
    render_network(data, args.out, title="benchmark: synthetic network")
    t2 = time.perf_counter()
    print(f"graph: {len(data.nodes)} actors, {len(data.edges)} edges, {data.statement_count} statements")
    print(f"build_network:        {t1 - t0:6.2f} s")
    print(f"write file:           {t2 - t1:6.2f} s  ({args.out}, {args.out.stat().st_size / 1e6:.1f} MB)")
    if not args.no_report:
        import cProfile
        import pstats

        from graphkit.viz.report import write_report

        profile = cProfile.Profile()
        t3 = time.perf_counter()
        profile.runcall(write_report, statements, [], args.out.with_suffix(".report"))
        t4 = time.perf_counter()
        stats = pstats.Stats(profile)
        factions = sum(v[3] for k, v in stats.stats.items() if k[2] == "factions")
        alerts = sum(v[3] for k, v in stats.stats.items() if k[2] == "escalation_alerts")
        print(f"write report:         {t4 - t3:6.2f} s  (of which analysis.factions {factions:.1f} s, "
              f"escalation_alerts {alerts:.1f} s; {args.out.with_suffix('.report')})")
    if args.no_browser:
        return
    result = open_in_chromium(args.out, args.screenshot)
    print(f"chromium DOM loaded:  {result['dom_loaded_s']:6.2f} s")
    print(f"chromium interactive: {result['interactive_s']:6.2f} s  (layout settled, physics off, first draw)")
    fps, ms = result["fps"], result["filter_ms"]
    print(f"pan (all edges drawn):{fps['pan']:6.1f} frames/s  (network.moveTo every animation frame)")
    print(f"mouse drag:           {fps['drag']:6.1f} frames/s  ({fps['drag_frames']} frames; edges hidden while dragging)")
    print(f"time slider:          {ms[0]:6.0f} ms jump to half window, {ms[1]:.0f} ms back to full; "
          f"{ms[2]:.0f} / {ms[3]:.0f} / {ms[4]:.0f} ms for 7-day steps")
    print(f"JS errors:            {len(result['errors'])} {result['errors'][:3]}")
    if args.screenshot:
        print(f"screenshot:           {args.screenshot}")


if __name__ == "__main__":
    main()
