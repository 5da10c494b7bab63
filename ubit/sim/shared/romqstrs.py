"""The V1 firmware's built-in qstrs: names a program can use without interning
them on the heap (made by tests/fidelity/qstr_derive.py from the bundled V1
runtime; do not edit)."""

ROM_QSTRS = frozenset("""
%#o %#x * / 3g 3v 6g 8g <dictcomp> <genexpr> <lambda> <listcomp> <module> <setcomp>
<stdin> <string> ALL_ARROWS ALL_CLOCKS ANGRY ARROW_E ARROW_N ARROW_NE ARROW_NW ARROW_S
ARROW_SE ARROW_SW ARROW_W ASLEEP ArithmeticError AssertionError AttributeError AudioFrame
BADDY BA_DING BIRTHDAY BLUES BUTTERFLY BaseException BytesIO CHASE CHESSBOARD CLOCK1
CLOCK10 CLOCK11 CLOCK12 CLOCK2 CLOCK3 CLOCK4 CLOCK5 CLOCK6 CLOCK7 CLOCK8 CLOCK9 CONFUSED
COW DADADADUM DIAMOND DIAMOND_SMALL DUCK ENTERTAINER EOFError EVEN Ellipsis Exception
FABULOUS FUNERAL FUNK Facade GHOST GIRAFFE GeneratorExit HAPPY HEART HEART_SMALL HOUSE
Image ImportError IndentationError IndexError JUMP_DOWN JUMP_UP KeyError KeyboardInterrupt
LookupError MEH MUSIC_CROTCHET MUSIC_QUAVER MUSIC_QUAVERS MemoryError
MicroBitAccelerometer MicroBitAnalogDigitalPin MicroBitButton MicroBitCompass
MicroBitDigitalPin MicroBitDisplay MicroBitI2C MicroBitIO MicroBitImage MicroBitSPI
MicroBitTouchPin MicroBitUART NO NO_PULL NYAN NameError NeoPixel NoneType
NotImplementedError ODD ODE OSError OrderedDict OverflowError PACMAN PITCHFORK POWER_DOWN
POWER_UP PRELUDE PULL_DOWN PULL_UP PUNCHLINE PYTHON RABBIT RATE_1MBIT RATE_250KBIT
RATE_2MBIT RINGTONE ROLLERSKATE RuntimeError SAD SCISSORS SILLY SKULL SMILE SNAKE SQUARE
SQUARE_SMALL STICKFIGURE SURPRISED SWORD ScrollingString SlicedImage StopIteration
SyntaxError SystemExit TARGET TORTOISE TRIANGLE TRIANGLE_LEFT TSHIRT TextIO TypeError
UMBRELLA UnicodeError ValueError WAWAWAWAA WEDDING XMAS YES ZeroDivisionError _ __add__
__bool__ __build_class__ __call__ __class__ __contains__ __delitem__ __enter__ __eq__
__exit__ __ge__ __getattr__ __getitem__ __gt__ __hash__ __import__ __init__ __iter__
__le__ __len__ __lt__ __main__ __module__ __name__ __new__ __next__ __path__ __qualname__
__repl_print__ __repr__ __reversed__ __setitem__ __str__ __sub__ __traceback__ a a# a#:1
a#:3 a2 a4 a4:1 a4:3 a:1 a:2 a:4 a:5 abs accelerometer acos add addr address align all
and_ antigravity any append args array asin asm_thumb asr atan atan2 audio audio_play
authors b b2:1 b3 b4 b4:1 b4:2 b5 b5:1 b:1 b:2 badaboom baudrate bin bits bl blit bool
bound_method bpm bpp buf builtins button button_a button_b bx bytearray bytecode byteorder
bytes c c# c#5 c#5:1 c#5:2 c#:1 c#:8 c2:2 c3 c3:3 c3:4 c4 c4:1 c4:3 c4:4 c5 c5:1 c5:2 c5:3
c5:4 c:1 c:2 c:3 c:4 c:8 calcsize calibrate callable ceil channel choice chr classmethod
clear clear_calibration close closure clz cmp collect collections compass config const
copy copyfrom copysign cos count cpsid cpsie crop current_gesture d d# d#5:2 d#:2 d#:3 d3
d4 d4:1 d5 d5:1 d5:2 d:1 d:2 d:3 d:4 d:5 d:6 d:8 data data_rate debug default degrees
delay dict dict_view difference difference_update dir disable disable_irq discard display
divmod down duration e e3:3 e4 e4:1 e5 e6:3 e:1 e:2 e:3 e:4 e:5 e:6 e:8 eb:8 enable
enable_irq end endswith enumerate eval exec exit exp extend f f# f#5 f#5:2 f#:1 f#:2 f#:8
f2 f:1 f:2 f:3 f:4 f:8 fabs fill filter find float floor fmod format freefall freq
frequency frexp from_ from_bytes fromkeys frozenset function g g# g#:1 g#:3 g3:1 g4 g4:1
g4:2 g5 g5:1 g:1 g:2 g:3 g:8 gc generator get get_analog_period_microseconds
get_field_strength get_gestures get_mode get_pixel get_presses get_pull get_strength
get_tempo get_values get_x get_y get_z getattr getrandbits globals group hasattr hash
heading heap_lock heap_unlock height help hex i2c id image implementation index init input
insert int intersection intersection_update invert is_calibrated is_gesture is_on
is_playing is_pressed is_touched isalpha isdigit isdisjoint isenabled isfinite isinf
isinstance islower isnan isspace issubclass issubset issuperset isupper items iter
iterator join kbd_intr key keys label ldexp ldr ldrb ldrex ldrh left len length list
listdir little locals log loop love lower lsl lsr lstrip machine map math max mem mem16
mem32 mem8 mem_alloc mem_free mem_info microbit micropython min miso mode modf module
modules monospace mosi mouth mov movt movw movwt mrs music n name namedtuple neopixel next
nodename nop object oct off on open opt_level ord os pack pack_into panic parity pi pin
pin0 pin1 pin10 pin11 pin12 pin13 pin14 pin15 pin16 pin19 pin2 pin20 pin3 pin4 pin5 pin6
pin7 pin8 pin9 pins pitch platform play pop popitem pow power print print_exception
pronounce push qstr_info queue r r4:2 r:1 r:2 r:3 radians radio randint random randrange
range rbit read read_analog read_digital read_light_level readall readinto readline
receive receive_bytes receive_bytes_into receive_full release remove repeat replace repr
reset return_pin reverse reversed rfind right rindex round rsplit rstrip running_time rx
say scale scan scl sclk scroll sda sdiv seed send send_bytes sep set set_analog_period
set_analog_period_microseconds set_brightness set_display_mode set_pixel set_pull
set_range set_tempo setattr setdefault shake shift_down shift_left shift_right shift_up
show sin sing size sleep sleep_ms sleep_us slice sort sorted source speech speed spi split
sqrt stack_use start startswith staticmethod step stop str strb strex strh stride strip
struct sub sum super symmetric_difference symmetric_difference_update sys sysname tan
temperature text this threshold throat throw ticks ticks_add ticks_diff ticks_ms ticks_us
time time_pulse_us to to_bytes touch translate trunc tuple tx type uart ucollections udiv
uint uname uniform union unique_id unpack unpack_from unused up update upper ustruct utf-8
utime value values version version_info wait was_gesture was_pressed wfi width writable
write write_analog write_digital write_readinto zip {:#b}
""".split())
