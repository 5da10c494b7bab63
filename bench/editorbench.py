"""The editor in a browser: page load, Play to the first LED, a click to the program's
reaction, and a print flood's frame rate and memory — measured inside the page."""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.editor.browser import CHROMIUM, CHROMIUM_ARGS, STATIC, Editor  # noqa: E402

RUNS = 5
SHOW = "from microbit import *\ndisplay.show(Image.HEART)\n"
REACT = ("from microbit import *\nwhile True:\n    if button_a.is_pressed():\n"
         "        display.set_pixel(0, 0, 9)\n    else:\n        display.set_pixel(0, 0, 0)\n")
FLOOD = "n = 0\nwhile True:\n    n += 1\n    print('flood', n, 'x' * 60)\n"

PLAY_TO_LED = """() => new Promise(resolve => {
    const panel = window.ubit.workspace.panels[0];
    const began = performance.now();
    const seen = new MutationObserver(() => {
        if (panel.picture.levels().flat().some(level => level > 0)) {
            seen.disconnect();
            resolve(performance.now() - began);
        }
    });
    seen.observe(panel.picture.svg, {subtree: true, attributes: true});
    document.querySelector('.board-panel .play').click();
})"""
CLICK_TO_LED = """() => new Promise(resolve => {
    const panel = window.ubit.workspace.panels[0];
    const button = document.querySelector('.board-panel g.button');
    const began = performance.now();
    const seen = new MutationObserver(() => {
        if (panel.picture.levels()[0][0] === 9) {
            seen.disconnect();
            button.dispatchEvent(new PointerEvent('pointerup', {bubbles: true}));
            resolve(performance.now() - began);
        }
    });
    seen.observe(panel.picture.svg, {subtree: true, attributes: true});
    button.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));
})"""
FRAMES = """(seconds) => new Promise(resolve => {
    let frames = 0;
    const began = performance.now();
    const frame = () => {
        frames += 1;
        if (performance.now() - began < seconds * 1000) requestAnimationFrame(frame);
        else resolve(frames / seconds);
    };
    requestAnimationFrame(frame);
})"""


def write(folder: Path, code: str) -> None:
    """The project's main.py (the editor loads a change made on disk)."""
    (folder / "main.py").write_text(code)


def cold_board_to_led() -> float:
    """Milliseconds from starting a board for ``SHOW`` in this process (no browser, no
    websocket; after the first, forked from the fork server as the editor's are) to its
    first lit LED: the floor under a Play."""
    import threading

    from ubit.sim.host.start import BoardOptions, start_board

    lit = threading.Event()

    def hear(message: dict) -> None:
        rows = message.get("value") if message.get("part") == "display" else None
        if rows and any(level for row in rows for level in row):
            lit.set()

    began = time.perf_counter()
    options = BoardOptions(files={"main.py": SHOW.encode()}, clock="real", repl=True)
    with start_board(options, [hear]) as board:
        lit.wait(10)
        elapsed = time.perf_counter() - began
        board.stop()
    return elapsed * 1000


def main() -> None:
    """Print the editor's figures against their targets."""
    if not (Path(CHROMIUM).exists() and STATIC.exists()):
        print("\nEditor: skipped (needs chromium and the built page: make test)")
        return
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="ubit-editorbench-"))
    folder = work / "game"
    folder.mkdir()
    write(folder, SHOW)
    editor = Editor(work / "library", folder)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            loads, plays, clicks = [], [], []
            for _ in range(RUNS):
                page = browser.new_page()
                page.goto(editor.project_url)
                page.wait_for_function("() => window.ubit && window.ubit.workspace && "
                                       "window.ubit.workspace.editor.text().length > 0")
                loads.append(page.evaluate("() => performance.now()"))
                plays.append(page.evaluate(PLAY_TO_LED))
                page.close()
            page = browser.new_page()
            page.goto(editor.project_url)
            page.wait_for_function("() => window.ubit && window.ubit.workspace")
            write(folder, REACT)
            page.wait_for_function("() => window.ubit.workspace.editor.text()"
                                   ".includes('is_pressed')")
            page.evaluate(PLAY_TO_LED.replace("some(level => level > 0)", "length === 25"))
            time.sleep(1)
            for _ in range(RUNS * 2):
                clicks.append(page.evaluate(CLICK_TO_LED))
                time.sleep(0.2)
            write(folder, FLOOD)
            page.wait_for_function("() => window.ubit.workspace.editor.text().includes('flood')")
            page.click(".board-panel .play")
            time.sleep(1)
            before = page.evaluate("() => performance.memory.usedJSHeapSize")
            fps = page.evaluate(FRAMES, 10)
            grown = page.evaluate("() => performance.memory.usedJSHeapSize") - before
            browser.close()
    finally:
        editor.close()
        shutil.rmtree(work, ignore_errors=True)
    cold = statistics.median(cold_board_to_led() for _ in range(RUNS))
    load, play, click = (statistics.median(values) for values in (loads, plays, clicks))

    def verdict(value: float, target: float) -> str:
        return "met" if value < target else "NOT met"

    print("\nEditor in chromium (medians, measured in the page)")
    print(f"  page load to interactive   {load:7.0f} ms   (target < 1000 ms: "
          f"{verdict(load, 1000)})")
    print(f"  Play to the first LED lit  {play:7.0f} ms   (target < 300 ms: {verdict(play, 300)});"
          f" {play / cold:.2f}x a board started in-process for it ({cold:.0f} ms, same run)")
    print(f"  button A to the program    {click:7.1f} ms   (target < 50 ms: {verdict(click, 50)})")
    print(f"  print flood for 10 s: {fps:.0f} frames/s (target >= 30: "
          f"{'met' if fps >= 30 else 'NOT met'}),"
          f" page memory {grown / 1e6:+.1f} MB (target < 50 MB: "
          f"{verdict(grown, 50e6)})")


if __name__ == "__main__":
    main()
