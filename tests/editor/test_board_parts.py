"""The board's other parts as a user sees them in the editor: what the program drives on the
pins (the big pads and the edge connector's small pins), the V2 speaker lighting while it
sounds, and NeoPixel strips drawn as coloured dots under the board."""

from __future__ import annotations

from tests.editor.browser import Editor, needs_browser
from tests.editor.test_page import open_project, play, set_code

EDGE_PINS = [f"pin{n}" for n in (*range(3, 17), 19, 20)]
SPEAKER = ".board-panel svg.board g.speaker"


def lit(page, selector: str) -> float:
    """How bright the level light of a pin is drawn (its computed opacity, 0 to 1)."""
    return page.evaluate("(s) => Number(getComputedStyle(document.querySelector(s)"
                         ".querySelector('.pin-led-lit')).opacity)", selector)


def wait_label(page, selector: str, label: str) -> None:
    page.wait_for_function("([s, label]) => document.querySelector(s)?.getAttribute('aria-label')"
                           " === label", arg=[selector, label], polling=20, timeout=10_000)


@needs_browser
def test_pins_show_what_the_program_drives(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, "from microbit import *\npin8.write_digital(1)\npin1.write_analog(511)\n"
                   "while True:\n    sleep(100)\n")
    play(page)
    cell = ".board-panel g.edge-pin[data-pin='pin8']"
    wait_label(page, cell, "pin 8: write_digital 1")
    # every small pin of the edge connector the board describes has a cell, in order
    assert page.evaluate("() => [...document.querySelectorAll('.board-panel g.edge-pin')]"
                         ".map(g => g.dataset.pin)") == EDGE_PINS
    assert lit(page, cell) == 1
    assert page.locator(cell).locator("title").text_content() == "pin 8: write_digital 1"
    # a pin the program leaves alone is dark and looks idle; a display pin too
    for pin, label in (("pin9", "pin 9: unused"), ("pin3", "pin 3: display")):
        other = f".board-panel g.edge-pin[data-pin='{pin}']"
        assert page.get_attribute(other, "aria-label") == label
        assert lit(page, other) == 0
        assert "idle" in page.get_attribute(other, "class")
    assert "idle" not in page.get_attribute(cell, "class")
    # the big pad 1 at half brightness (a duty of 511 out of 1023), still a touch pad
    pad = ".board-panel g.pad[data-input='pin1']"
    wait_label(page, pad, "pin 1: write_analog 511 (touch)")  # may come a frame after pin 8
    assert abs(lit(page, pad) - 0.5) < 0.02
    assert lit(page, ".board-panel g.pad[data-input='pin2']") == 0


def wait_speaker(page, label: str, waves: bool, cross: bool) -> None:
    """Wait until the speaker is drawn so, all at one instant (a tune has 10 ms gaps between
    notes, so its look can change between two looks from here)."""
    page.wait_for_function("""([s, label, waves, cross]) => {
        const g = document.querySelector(s);
        const shown = (part) => getComputedStyle(g.querySelector(part)).visibility === 'visible';
        return g.getAttribute('aria-label') === label && g.querySelector('title').textContent
            === label && shown('.speaker-waves') === waves && shown('.speaker-cross') === cross;
    }""", arg=[SPEAKER, label, waves, cross], polling=10, timeout=10_000)


@needs_browser
def test_the_v2_speaker_lights_while_it_sounds_and_shows_off(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, "from microbit import *\nimport music\nsleep(200)\n"
                   "music.play(music.BA_DING, wait=False)\nsleep(1500)\nspeaker.off()\n"
                   "while True:\n    sleep(100)\n")
    play(page)
    assert page.locator(SPEAKER).is_visible()
    # while the tune sounds: sound waves beside it
    wait_speaker(page, "speaker: on, sounding", waves=True, cross=False)
    # between the notes and once the tune ends (half a second): on and quiet
    wait_speaker(page, "speaker: on", waves=False, cross=False)
    # speaker.off(): struck out
    wait_speaker(page, "speaker: off", waves=False, cross=True)
    assert "on" not in page.get_attribute(SPEAKER, "class").split()


@needs_browser
def test_neopixels_are_coloured_dots_under_the_board(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, "from microbit import *\nimport neopixel\nnp = neopixel.NeoPixel(pin0, 3)\n"
                   "np[0] = (255, 0, 0)\nnp[1] = (0, 128, 0)\nnp[2] = (10, 20, 255)\nnp.show()\n"
                   "while True:\n    if button_a.was_pressed():\n        np[1] = (0, 0, 0)\n"
                   "        np.show()\n    sleep(20)\n")
    play(page)
    strip = ".board-panel .neopixel-strip[data-pin='pin0']"
    wait_label(page, strip, "NeoPixels on pin0: 3")
    assert page.locator(strip).is_visible()
    colours = ("() => [...document.querySelectorAll(\"" + strip + " .neopixel\")]"
               ".map(d => getComputedStyle(d).backgroundColor)")
    assert page.evaluate(colours) == ["rgb(255, 0, 0)", "rgb(0, 128, 0)", "rgb(10, 20, 255)"]
    # the program changes a pixel: that dot follows
    page.locator(".board-panel g.button").first.click()
    page.wait_for_function(f"() => ({colours})()[1] === 'rgb(0, 0, 0)'", polling=20,
                           timeout=10_000)
    assert page.evaluate(colours) == ["rgb(255, 0, 0)", "rgb(0, 0, 0)", "rgb(10, 20, 255)"]


@needs_browser
def test_a_v1_board_has_no_speaker(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, "from microbit import *\nwhile True:\n    sleep(100)\n")
    play(page)
    assert page.locator(SPEAKER).is_visible()  # V2, the default
    page.select_option(".board-panel select[title='which micro:bit']", "v1")
    play(page)
    page.wait_for_function("() => document.querySelector('.board-panel').dataset.status"
                           " === 'running (V1)'")
    assert page.locator(SPEAKER).count() == 1 and not page.locator(SPEAKER).is_visible()
    assert not page.locator(".board-panel svg.board .mic-led").is_visible()
    # its pins are still drawn
    assert page.locator(".board-panel g.edge-pin").count() == len(EDGE_PINS)
