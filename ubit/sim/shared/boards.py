"""micro:bit V1 and V2 as data: what the firmware reports and which parts exist.

Figures are from the firmware sources and measurements summarised in
shared/reference/microbit-micropython-api.md (the sections the fields cite) and
firmware-v1-observed.md; each field says where it shows to a user. Every V1/V2
difference is a field here: the rest of ubit.sim asks the spec what a board does,
never which board it is (tests/sim/test_core.py checks that).
"""

from __future__ import annotations

from ubit.hexfile import targets  # the boards' names, one list for the whole of ubit

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
    float_digits: int  # significant digits when floats are printed
    heap_total: int  # GC pool in bytes (micropython.mem_info "total")
    heap_free_at_start: int  # gc.mem_free() at the start of main.py
    small_heap_compiler: bool  # compiles in the heap it runs in, checked (compilememory)
    stack_limit: int  # micropython.mem_info "out of"
    max_frames: int  # Python call depth before "maximum recursion depth exceeded"
    stack_start: int  # C stack bytes in use at main.py's top level: 0 counts frames instead
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
    # Wording of errors: MicroPython 1.9.2 (V1) and 1.18 (V2) (reference §33, mperrors.py)
    is_not: str  # "is not" / "isn't": "name 'x' isn't defined", "object isn't iterable"…
    does_not: str  # "does not" / "doesn't": "function doesn't take keyword arguments"
    cannot: str  # "cannot" / "can't": "can't create 'slice' instances" (firmware-v2-observed 018)
    division_error: str  # ZeroDivisionError's text: "division by zero" / "divide by zero"
    errno_names: bool  # OSError prints "[Errno 2] ENOENT" (V2 uerrno, §31); V1 the bare number
    fs_errors: dict[int, str]  # errno -> V1's own OSError text for open() (§28.2); V2: errno
    converts_right_operand: bool  # V1 str/float ops convert the right side: "can't convert…"
    all_special_methods: bool  # user classes get every operator (V2, 1.18)
    named_ops: frozenset[str]  # operators a TypeError names ("__add__"), the rest print ""
    array_in_error: tuple[str, ...]  # args of `1 in array`'s NotImplementedError: V1 ("",)
    # The language: 1.9.2 lacks much of 1.18 (reference §33, firmware-v1-observed.md)
    grammar_1_9: bool  # 1.9's lexer/parser/compiler (V1): no walrus, async, @, f-string text…
    step_slices: bool  # str/bytes/tuple slices take a step (neither firmware: NotImplementedError)
    builtins_1_9: bool  # V1's next, pow, slice, round, hash and class keywords (mpbuiltins)
    full_attributes: bool  # __class__, __name__, __dict__… and .real, .bit_length()… exist
    str_codecs: bool  # str.encode, bytes.decode, array.decode exist (V1 has none)
    dir_probes: bool  # dir(obj) probes every name (1.18); 1.9.2 lists the type's methods only
    function_names: bool  # repr of a user function: "<function f at 0x…>" (V2) / "<function>"
    floats_in_word: bool  # floats in the 30-bit object word (V1): 2 bits lost, no heap block
    systemexit_traceback: bool  # an uncaught SystemExit prints its traceback (V1, 1.9.2)
    help_sentences: bool  # help(obj) prints V1's sentence for micro:bit objects (helptext.py)
    # Modules (reference §15-§31)
    math_domain_checked: bool  # math: "math domain error" for a finite arg giving nan/inf (V2)
    struct_checks_whole_buffer: bool  # struct: size and codes checked first (V1: per group)
    struct_q_sign_extended: bool  # struct.pack('Q', -1) sign-extends (V1 zero-fills the top)
    namedtuple_splits_string: bool  # namedtuple('P', 'x y') splits the string (V1: TypeError)
    popitem_last: bool  # OrderedDict.popitem() takes the last item (V1: the first, QEMU)
    random_generator: str  # random: "dal" (V1 microbit_random) / "yasmarang" (V2 modurandom.c)
    sys_extras: bool  # sys.path, argv, maxsize and modules (V2, §31)
    os_stat: bool  # os.stat and os.ilistdir (V2, §28.3)
    micropython_schedule: bool  # micropython.schedule (V2)
    heap_address: int  # micropython.mem_info(1): "GC memory layout; from <address>:"
    qstr_hash_bytes: int  # micropython.qstr_info's bytes of hash per interned string
    radio_250kbit: bool  # radio.RATE_250KBIT (V1 modradio.cpp; V2 leaves it out, takes 2)
    neopixel_python: bool  # NeoPixel is V2's frozen Python (fill, write, no checks); V1's is C
    ws2812_write: bool  # microbit.ws2812_write and neopixel.ws2812_write (V2)
    run_every: bool  # microbit.run_every (V2, §4)
    # Sound (reference §15, §19, §20)
    audio_routed: bool  # audio.play routes one pin via the mixer, holds it (V2 §8.3)
    audio_frames_mixed: bool  # frames 7812 Hz smoothed, last plays on at the end (V2 §15)
    sound_expressions: bool  # audio plays Sound and SoundEffect (CODAL synthesiser, V2)
    speech_channel: bool  # speech on its own channel: mode, volume, pin (V2 modspeech.c)
    music_on_ticks: bool  # music moves on at 6 ms display ticks (V1 §5.1, §19.2)
    music_frees_pin: bool  # the pin is freed when a tune ends (V1 microbit_pin_audio_free)
    pitch_zero_keeps_tone: bool  # music.pitch(0) keeps the previous period (V2; V1 silence)
    pitch_range_checked: bool  # music.pitch refuses periods the PWM can't make (V1)
    # The microbit module (reference §5-§14, §28)
    empty_gesture: bool  # accelerometer takes '' as "no gesture" (V2's table; V1 refuses it)
    display_clear_stops: bool  # display.clear() stops an animation (V1; V2 v2.1.2 doesn't)
    i2c_sensors: bool  # accelerometer and compass answer on the edge I2C bus (V1)
    i2c_dal_errors: bool  # no I2C device: "I2C read error -1010" (V1 DAL); V2 ENODEV
    spi_checked: bool  # spi refuses bits != 8 and unequal write_readinto buffers (V2)
    uart_parity: tuple[int, int]  # uart.ODD, uart.EVEN (V1 mbed SerialParity: 1, 2)
    binary_file_type: str  # type of a file opened in binary mode: "BytesIO" / "FileIO"
    sad_face_on_error: bool  # an uncaught error shows Image.SAD for 1 s first (V2, §1.3)
    raw_paste: bool  # the raw REPL's raw-paste mode, Ctrl-E A (V2, MicroPython 1.18)
    # The inline assembler and the chip behind it (ubit.sim.micropython.asm)
    asm_armv7m: bool  # Thumb-2 forms: movw, sdiv, it... (MICROPY_EMIT_INLINE_THUMB_ARMV7M)
    asm_fpu: bool  # the VFP instructions (MICROPY_EMIT_INLINE_THUMB_FLOAT)
    cpu_model: str  # the core unicorn emulates: "cortex-m0" (nRF51822) / "cortex-m4" (nRF52833)
    flash_size: int  # bytes of flash from address 0
    ram_size: int  # bytes of RAM from 0x20000000 (the stack starts at its top)
    gpio_ports: tuple[int, ...]  # base address of each GPIO port (OUT at +0x504, P0 first)
    gpio_of_pin: dict[int, int]  # microbit pin number -> port * 32 + bit
    led_rows: tuple[int, ...]  # GPIO of each LED matrix row (driven high to light)
    led_cols: tuple[int, ...]  # GPIO of each LED matrix column (driven low to light)
    led_map: tuple[tuple[tuple[int, int] | None, ...], ...]  # [row][col] -> display (x, y)
    button_gpios: tuple[int, int]  # GPIO of buttons A and B (low while pressed)

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

    def module_name(self, plain: str) -> str:
        """The ``__name__`` of built-in module ``plain``: "sys" on V1, "usys" on V2 (aliases)."""
        return self.aliases.get(plain, plain)

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
    name=targets.V1.name,
    label=targets.V1.label,
    banner="MicroPython v1.9.2-34-gd64154c73 on 2017-09-01; micro:bit v1.1.1 with nRF51822",
    soft_reboot="soft reboot",
    uname=("microbit", "microbit", "1.1.1",
           "micro:bit v1.1.1+58405de on 2022-11-10; MicroPython v1.9.2-34-gd64154c73 on "
           "2017-09-01", "micro:bit with nRF51822"),
    implementation_version=(1, 9, 2),
    main_source_name="__main__",
    float_digits=6,
    heap_total=10048,
    heap_free_at_start=9776,  # firmware-v1-observed.md: 9776 at the start of main.py
    # bbcmicrobit inc/microbit/mpconfigport.h: MICROPY_USE_SMALL_HEAP_COMPILER (1)
    small_heap_compiler=True,
    stack_limit=1800,
    max_frames=5,  # firmware-v1-observed.md: f(n)=1+f(n-1) fails at n=6
    # with the stack model (stackmodel.py), fitted with its frame costs to programs 113-133
    # and QEMU depth probes (tests/sim/test_call_depth.py), for a main.py whose state is
    # 64 bytes on the C stack (stackmodel.START_STATE)
    stack_start=492,
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
    is_not="is not",
    does_not="does not",
    cannot="cannot",
    division_error="division by zero",
    errno_names=False,
    fs_errors={2: "file not found", 28: "no more storage space"},  # ENOENT, ENOSPC
    converts_right_operand=True,
    all_special_methods=False,
    # firmware-v2-observed 027, 051 (V1 names `in`: "unsupported types for __contains__")
    named_ops=frozenset({"+", "-", "<", ">", "<=", ">=", "in"}),
    array_in_error=("",),
    grammar_1_9=True,
    step_slices=False,
    builtins_1_9=True,
    full_attributes=False,
    str_codecs=False,
    dir_probes=False,
    function_names=False,
    floats_in_word=True,
    systemexit_traceback=True,
    help_sentences=True,
    math_domain_checked=False,
    struct_checks_whole_buffer=False,
    struct_q_sign_extended=False,
    namedtuple_splits_string=False,
    popitem_last=False,
    random_generator="dal",
    sys_extras=False,
    os_stat=False,
    micropython_schedule=False,
    heap_address=0x200001F0,
    qstr_hash_bytes=1,
    radio_250kbit=True,
    neopixel_python=False,
    ws2812_write=False,
    run_every=False,
    audio_routed=False,
    audio_frames_mixed=False,
    sound_expressions=False,
    speech_channel=False,
    music_on_ticks=True,
    music_frees_pin=True,
    pitch_zero_keeps_tone=False,
    pitch_range_checked=True,
    empty_gesture=False,
    display_clear_stops=True,
    i2c_sensors=True,
    i2c_dal_errors=True,
    spi_checked=False,
    uart_parity=(1, 2),
    binary_file_type="BytesIO",
    sad_face_on_error=False,
    raw_paste=False,
    asm_armv7m=False,  # bbcmicrobit/micropython inc/microbit/mpconfigport.h
    asm_fpu=False,
    cpu_model="cortex-m0",
    flash_size=256 * 1024,
    ram_size=16 * 1024,
    gpio_ports=(0x50000000,),
    # the edge connector (micro:bit V1 schematic): pin -> P0.n
    gpio_of_pin={0: 3, 1: 2, 2: 1, 3: 4, 4: 5, 5: 17, 6: 12, 7: 11, 8: 18, 9: 10, 10: 6,
                 11: 26, 12: 20, 13: 23, 14: 22, 15: 21, 16: 16, 19: 0, 20: 30},
    led_rows=(13, 14, 15),
    led_cols=tuple(range(4, 13)),
    # display_map in source/microbit/microbitdisplay.cpp, by row: (x, y) of each column's LED
    led_map=(((0, 0), (2, 0), (4, 0), (4, 3), (3, 3), (2, 3), (1, 3), (0, 3), (1, 2)),
             ((4, 2), (0, 2), (2, 2), (1, 0), (3, 0), (3, 4), (1, 4), None, None),
             ((2, 4), (4, 4), (0, 4), (0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (3, 2))),
    button_gpios=(17, 26),
)

V2 = BoardSpec(
    name=targets.V2.name,
    label=targets.V2.label,
    banner="MicroPython v1.18 on 2023-10-30; micro:bit v2.1.2 with nRF52833",
    soft_reboot="MPY: soft reboot",
    uname=("microbit", "microbit", "2.1.2",
           "micro:bit v2.1.2+0697c6d on 2023-10-30; MicroPython v1.18 on 2023-10-30",
           "micro:bit with nRF52833"),
    implementation_version=(1, 18, 0),
    main_source_name="main.py",
    float_digits=7,
    heap_total=64512,
    small_heap_compiler=False,  # 1.18's usual compiler in a 64 KB heap: not modelled
    heap_free_at_start=63984,  # reference §27: after gc.collect() at the start of a script
    stack_limit=7680,
    max_frames=25,
    # C stack in use at main.py's top level (stackmodel.py), derived from the sources (the
    # V2 probes' depth figures are artefacts): src/codal_port/main.c mp_main sets the top,
    # microbit_pyexec_file 152 + the module's fun_bc_call 48 and its state 64 + the VM 112
    # + the callee's fun_bc_call 48 + mp_stack_check's 8 (tests/fidelity/stack_derive.py)
    stack_start=432,
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
    is_not="isn't",
    does_not="doesn't",
    cannot="can't",
    division_error="divide by zero",
    errno_names=True,
    fs_errors={},
    converts_right_operand=False,
    all_special_methods=True,
    # firmware-v2-observed 027, 051, 072 (`+=` names __iadd__; `1 in 5` names nothing)
    named_ops=frozenset({"+", "-", "<", ">", "<=", ">=", "+=", "-="}),
    array_in_error=(),
    grammar_1_9=False,
    step_slices=False,  # NotImplementedError on both (firmware-v2-observed 045)
    builtins_1_9=False,
    full_attributes=True,
    str_codecs=True,
    dir_probes=True,
    function_names=True,
    floats_in_word=False,
    systemexit_traceback=False,
    help_sentences=False,
    math_domain_checked=True,
    struct_checks_whole_buffer=True,
    struct_q_sign_extended=True,
    namedtuple_splits_string=True,
    popitem_last=True,
    random_generator="yasmarang",
    sys_extras=True,
    os_stat=True,
    micropython_schedule=True,
    heap_address=0x20002A30,
    qstr_hash_bytes=2,
    radio_250kbit=False,
    neopixel_python=True,
    ws2812_write=True,
    run_every=True,
    audio_routed=True,
    audio_frames_mixed=True,
    sound_expressions=True,
    speech_channel=True,
    music_on_ticks=False,
    music_frees_pin=False,
    pitch_zero_keeps_tone=True,
    pitch_range_checked=False,
    empty_gesture=True,
    display_clear_stops=False,
    i2c_sensors=False,
    i2c_dal_errors=False,
    spi_checked=True,
    uart_parity=(1, 0),
    binary_file_type="FileIO",
    sad_face_on_error=True,
    raw_paste=True,
    # micropython-microbit-v2 src/codal_port/mpconfigport.h sets MICROPY_EMIT_INLINE_THUMB;
    # MicroPython 1.18's defaults add the ARMv7-M forms and the FPU instructions
    asm_armv7m=True,
    asm_fpu=True,
    cpu_model="cortex-m4",
    flash_size=512 * 1024,
    ram_size=128 * 1024,
    gpio_ports=(0x50000000, 0x50000300),
    # the edge connector (micro:bit V2 schematic): pin -> P0.n, or 32 + n for P1.n
    gpio_of_pin={0: 2, 1: 3, 2: 4, 3: 31, 4: 28, 5: 14, 6: 37, 7: 11, 8: 10, 9: 9, 10: 30,
                 11: 23, 12: 12, 13: 17, 14: 1, 15: 13, 16: 34, 19: 26, 20: 32},
    led_rows=(21, 22, 15, 24, 19),
    led_cols=(28, 11, 31, 37, 30),
    led_map=tuple(tuple((x, y) for x in range(5)) for y in range(5)),
    button_gpios=(14, 23),
)

BOARDS = {"v1": V1, "v2": V2}


def board_spec(name: str) -> BoardSpec:
    """The spec for "v1" or "v2"."""
    return BOARDS[name.lower()]
