"""micro:bit V1 and V2 as data: what the firmware reports and which parts exist.

Figures are from the firmware sources and measurements summarised in
shared/reference/microbit-micropython-api.md (sections 1, 3, 8, 28, 31) and
firmware-v1-observed.md; each field says where it shows to a user.
"""

from __future__ import annotations

# The part modules (``ubit.sim.board.parts.<name>``) every board has; V2 adds the rest.
COMMON_PARTS = ("display", "buttons", "pins", "accelerometer", "compass", "thermometer",
                "light", "filesystem", "radio", "neopixel", "uart", "audio")
V2_PARTS = ("microphone", "speaker", "log", "power")


class BoardSpec:
    """One micro:bit variant as its MicroPython firmware presents itself.

    A plain class, not a dataclass: the board process imports it at every start,
    and dataclasses (with inspect) would add a fifth to that start-up.
    """

    name: str  # "v1" / "v2"
    label: str  # "V1" / "V2"
    banner: str  # first REPL line (without CRLF)
    soft_reboot: str  # what a soft reboot prints before the banner
    uname: tuple[str, str, str, str, str]  # sysname, nodename, release, version, machine
    implementation_version: tuple[int, int, int]
    main_source_name: str  # how tracebacks name main.py's code
    name_error: str  # "isn't" / "is not" in "name 'x' ... defined"
    float_digits: int  # significant digits when floats are printed
    heap_total: int  # GC pool in bytes (micropython.mem_info "total")
    heap_free_at_start: int  # gc.mem_free() at the start of main.py
    stack_limit: int  # micropython.mem_info "out of"
    max_frames: int  # Python call depth before "maximum recursion depth exceeded"
    fs_chunks: int  # 128-byte chunks in the empty filesystem
    machine_freq: int
    unique_id: bytes
    modules: tuple[str, ...]  # help('modules'), without "Plus any modules..."
    aliases: dict[str, str]  # import name -> module that answers it
    parts: tuple[str, ...]  # its part modules, in the order they are made and described
    touch_logo: bool  # the touch-sensitive logo (pin_logo)
    gestures: tuple[str, ...]
    pull_up: int
    pull_down: int
    no_pull: int
    missing_builtins: tuple[str, ...]
    display_pins: tuple[int, ...]  # pins the LED matrix holds at start (§8.1)
    pause_display_when_off: bool  # animations stop while the display is off (V1 refresh)
    shake_is_current: bool  # a shake is the current gesture for a sample (CODAL; not DAL)
    pulls_from_hardware: bool  # pulls read back from the GPIO (V1) or remembered (V2 HAL)
    music_pin_held: bool  # a pin in music mode can't be taken even when silent (V1)
    pwm_period_shared: bool  # one PWM period for all pins, in 16 µs ticks (V1)
    pull_checked: bool  # set_pull refuses a value that isn't a pull (V1: "invalid pull")
    touch_modes: bool  # touch pins have set_touch_mode, RESISTIVE and CAPACITIVE (V2)

    def __init__(self, **fields: object) -> None:
        missing = set(self.__annotations__) - set(fields)
        if missing:
            raise TypeError(f"BoardSpec needs {sorted(missing)}")
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        return f"BoardSpec({self.name!r})"

    def has(self, part: str) -> bool:
        """Whether this board has ``part`` (e.g. "microphone")."""
        return part in self.parts

    def describe(self) -> dict[str, object]:
        """The board as ``ready`` describes it to a front end."""
        return {"name": self.name, "label": self.label, "banner": self.banner,
                "micropython": ".".join(map(str, self.implementation_version)),
                "firmware": self.uname[2]}


_GESTURES_V1 = ("up", "down", "left", "right", "face up", "face down", "freefall",
                "3g", "6g", "8g", "shake")

# Builtins MicroPython lacks (reference §33); V1 also lacks complex, memoryview, property.
_MISSING_BOTH = ("format", "ascii", "vars", "compile", "breakpoint", "aiter", "anext",
                 "NotImplemented", "copyright", "credits", "license", "exit", "quit")

V1 = BoardSpec(
    name="v1",
    label="V1",
    banner="MicroPython v1.9.2-34-gd64154c73 on 2017-09-01; micro:bit v1.1.1 with nRF51822",
    soft_reboot="soft reboot",
    uname=("microbit", "microbit", "1.1.1",
           "micro:bit v1.1.1+58405de on 2022-11-10; MicroPython v1.9.2-34-gd64154c73 on "
           "2017-09-01", "micro:bit with nRF51822"),
    implementation_version=(1, 9, 2),
    main_source_name="__main__",
    name_error="is not",
    float_digits=6,
    heap_total=10048,
    heap_free_at_start=9776,  # firmware-v1-observed.md: 9776 at the start of main.py
    stack_limit=1800,
    max_frames=5,  # firmware-v1-observed.md: f(n)=1+f(n-1) fails at n=6
    fs_chunks=224,
    machine_freq=16_000_000,
    unique_id=b"\x03\x00\x00\x00xV4\x12",
    modules=("__main__", "antigravity", "array", "audio", "builtins", "collections", "gc",
             "love", "machine", "math", "microbit", "micropython", "music", "neopixel", "os",
             "radio", "random", "speech", "struct", "sys", "this", "time", "ucollections",
             "ustruct", "utime"),
    aliases={"ucollections": "collections", "ustruct": "struct", "utime": "time"},
    parts=COMMON_PARTS,
    touch_logo=False,
    gestures=_GESTURES_V1,
    pull_up=3, pull_down=1, no_pull=0,
    missing_builtins=_MISSING_BOTH + ("complex", "memoryview", "property", "delattr"),
    display_pins=(3, 4, 6, 7, 9, 10),
    pause_display_when_off=True,
    shake_is_current=False,
    pulls_from_hardware=True,
    music_pin_held=True,
    pwm_period_shared=True,
    pull_checked=True,
    touch_modes=False,
)

V2 = BoardSpec(
    name="v2",
    label="V2",
    banner="MicroPython v1.18 on 2023-10-30; micro:bit v2.1.2 with nRF52833",
    soft_reboot="MPY: soft reboot",
    uname=("microbit", "microbit", "2.1.2",
           "micro:bit v2.1.2+0697c6d on 2023-10-30; MicroPython v1.18 on 2023-10-30",
           "micro:bit with nRF52833"),
    implementation_version=(1, 18, 0),
    main_source_name="main.py",
    name_error="isn't",
    float_digits=7,
    heap_total=64512,
    heap_free_at_start=63984,  # reference §27: after gc.collect() at the start of a script
    stack_limit=7680,
    max_frames=25,
    fs_chunks=160,
    machine_freq=64_000_000,
    unique_id=b"j\x11\xe7S*\xcf\xc3\xee",
    modules=("__main__", "antigravity", "audio", "builtins", "gc", "log", "love", "machine",
             "math", "microbit", "micropython", "music", "neopixel", "os", "power", "radio",
             "speech", "this", "uarray", "ucollections", "uerrno", "urandom", "ustruct",
             "usys", "utime"),
    aliases={"array": "uarray", "collections": "ucollections", "errno": "uerrno",
             "random": "urandom", "struct": "ustruct", "sys": "usys", "time": "utime"},
    parts=COMMON_PARTS + V2_PARTS,
    touch_logo=True,
    gestures=_GESTURES_V1 + ("2g",),
    pull_up=0, pull_down=1, no_pull=2,
    missing_builtins=_MISSING_BOTH,
    display_pins=(3, 4, 6, 7, 10),
    pause_display_when_off=False,
    shake_is_current=True,
    pulls_from_hardware=False,
    music_pin_held=False,
    pwm_period_shared=False,
    pull_checked=False,
    touch_modes=True,
)

BOARDS = {"v1": V1, "v2": V2}


def board_spec(name: str) -> BoardSpec:
    """The spec for "v1" or "v2"."""
    return BOARDS[name.lower()]
