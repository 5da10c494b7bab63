"""V1 (MicroPython 1.9.2) behaviours of firmware-v2-observed 032 and 118 beyond the probes.

Every expected V1 line is what the real V1 firmware printed for the same program under
QEMU (``ubit.device.qemu.run_hex``, December 2026): a float key's probe chain converting a
tuple to float (hashorder.py) and ``str(bytes, encoding)`` keeping the raw bytes
(callforms.py, mprepr.py).
"""

from __future__ import annotations

from tests.sim.runner import run_program

_DICTS = """def t(f):
    try:
        print(f())
    except TypeError as e:
        print('!!', e)
class C:
    def __hash__(self):
        return 4
t(lambda: {(1, 2): 'a', 'b': 2, 3: 'c', 4.5: 'd', None: 'e', True: 'f', (0,): 'g', -7: 'i'})
t(lambda: {4.5, (0,)})
t(lambda: {4.5, (1,)})
t(lambda: {4.5: 1, C(): 2} and 'no error')
t(lambda: {(4.5,): 1, ((0,),): 2})
t(lambda: frozenset([4.5, b'\\x04']))
t(lambda: frozenset([4.5, (0,)]))
t(lambda: {4.5: 1, 'a': 2, None: 3, 4: 5})
t(lambda: {1e30: 1, (0,): 2})
t(lambda: {float('nan'): 1, (1,): 2, -1e30: 3, (0, 0): 4})
"""
_DICTS_V1 = """{None: 'e', True: 'f', (0,): 'g', (1, 2): 'a', 3: 'c', 4.5: 'd', -7: 'i', 'b': 2}
!! can't convert tuple to float
{4.5, (1,)}
!! can't convert C to float
!! can't convert tuple to float
frozenset({4.5, b'\\x04'})
!! can't convert tuple to float
{4.5: 1, 'a': 2, None: 3, 4: 5}
{(0,): 2, 1e+30: 1}
!! can't convert tuple to float
"""


def test_v1_float_keys_convert_what_their_probe_chain_passes() -> None:
    """A display whose tuple (or object) key probes past a float key raises as the
    firmware does, when it does (not at the next print); one whose chains don't meet
    builds; big floats hash saturated."""
    assert run_program(_DICTS, board="v1").text == _DICTS_V1


def test_v2_float_keys_compare_quietly() -> None:
    """The V2's float == x is False for a non-number: the same displays just build."""
    text = run_program(_DICTS, board="v2").text
    assert "!!" not in text and "no error" in text


def test_v1_keeps_the_order_of_float_keys_stored_later() -> None:
    """A dict filled by stores and a float display meeting no tuple keep the firmware's
    order."""
    program = "d = {}\nd[4.5] = 1\nd['x'] = 2\nd[3] = 3\nprint(d, {2.5: 0, 'y': 1, 7: 2})"
    expected = "{4.5: 1, 'x': 2, 3: 3} {7: 2, 'y': 1, 2.5: 0}\n"
    assert run_program(program, board="v1").text == expected


_STRS = """for b in [b'\\xff', b'a\\xffb', b'\\xc3\\xa9', b'\\xe9', b'\\xff\\xfe', b"'\\xff",
          b'\\\\\\xff\\n']:
    s = str(b, 'utf8')
    print(repr(s), len(s), [s])
same = str(bytearray(b'\\xff'), 'utf8') == str(b'\\xff', 'utf8')
print(str(b'\\xc3\\xa9', 'latin-1'), str(b'x', 'nope'), same)
try:
    str(123, 'utf8')
except TypeError as e:
    print(e)
print(str(b'a\\xffb', 'utf8'))
"""
# (the last line: the firmware writes the raw byte 0xff, which the capture decodes as U+FFFD)
_STRS_V1 = """'\\x00' 1 ['\\x00']
'a\\x00b' 3 ['a\\x00b']
'\\xe9' 1 ['\\xe9']
'\\t' 1 ['\\t']
'\\x00\\x00' 2 ['\\x00\\x00']
"'\\x00" 2 ["'\\x00"]
'\\\\\\x00\\n' 3 ['\\\\\\x00\\n']
\xe9 x True
object with buffer protocol required
a\ufffdb
"""


def test_v1_str_of_bytes_keeps_the_raw_bytes() -> None:
    """V1: no UTF-8 check, the encoding ignored; the repr reads the bytes as
    utf8_get_char does, print writes them raw."""
    assert run_program(_STRS, board="v1").text == _STRS_V1


def test_v2_str_of_bad_utf8_is_a_bare_unicode_error() -> None:
    """V2 checks the UTF-8: a bare UnicodeError, not CPython's decode details."""
    text = run_program("str(b'\\xff', 'utf8')", board="v2").text
    assert text.splitlines()[-1] == "UnicodeError: "
