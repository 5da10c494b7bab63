"""Call forms the firmware takes differently from CPython, rewritten where they appear.

Compile-time rewrites (``call``/``attribute``, from compiler.MicroPythonPass), each only
for the construct it names, so other code runs as compiled by CPython:

* ``f(a=1, **d)`` with a keyword given twice: MicroPython passes both and the later wins
  (``dict(a=1, **{'a': 2})`` is ``{'a': 2}``, firmware-v2-observed 177); the keywords are
  merged into one ``**`` mapping in source order.
* ``max(a, b, default=x)``: the firmware ignores ``default`` when given several
  positional arguments (py/modbuiltins.c mp_builtin_min_max, probe 104).
* ``str(x, encoding)``: a str is returned as it is (probe 118). The V1 (1.9.2 objstr.c
  mp_obj_str_make_new) ignores the encoding and errors and doesn't check the UTF-8: the
  buffer's bytes become the str, raw bytes kept as surrogate escapes (mprepr shows them
  as the firmware reads them back); the V2 checks the UTF-8 (a bare ``UnicodeError``).
* ``b.extend(x)``: a bytearray extends only from an object with the buffer protocol
  (py/objarray.c array_extend, probe 121); lists are left alone.
* ``obj.__dict__`` (V2): an instance's attributes are a MicroPython map, in hash order
  (probe 106); the instance gets the board's dict type as its ``__dict__``.
"""

from __future__ import annotations

import ast
import builtins

from ubit.sim.micropython import hashorder
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

# The compiler's pass (not imported: the compiler imports this module).
MicroPythonPass = Any

_real_str = builtins.str
_MERGE, _STR2, _EXTEND, _INSTDICT = "__mp_kwmerge__", "__mp_str2__", "__mp_extend__", \
    "__mp_instdict__"


def call(checker: MicroPythonPass, node: ast.Call) -> None:
    """Rewrite ``node`` in place where the firmware's call differs (see the module doc)."""
    keywords = node.keywords
    if keywords and any(k.arg is None for k in keywords) and len(keywords) > 1:
        _merge_keywords(checker, node)
    func = node.func
    starred = any(isinstance(a, ast.Starred) for a in node.args)
    if isinstance(func, ast.Name):
        if func.id in ("max", "min") and len(node.args) > 1 and not starred and \
                any(k.arg == "default" for k in node.keywords):
            node.keywords = [k for k in node.keywords if k.arg != "default"]
        elif func.id == "str" and len(node.args) > 1 and not starred:
            node.args.insert(0, func)
            node.func = checker.name(_STR2, func)
    elif isinstance(func, ast.Attribute) and func.attr == "extend" and \
            len(node.args) == 1 and not starred and not node.keywords:
        node.args.insert(0, func.value)
        node.func = checker.name(_EXTEND, func)


def _merge_keywords(checker: MicroPythonPass, node: ast.Call) -> None:
    """``f(a=1, **d, b=2)`` → ``f(**__mp_kwmerge__(('a', 1), d, ('b', 2)))``."""
    parts: list[ast.expr] = []
    for keyword in node.keywords:
        if keyword.arg is None:
            parts.append(keyword.value)
        else:
            name = ast.copy_location(ast.Constant(keyword.arg), keyword.value)
            parts.append(ast.copy_location(ast.Tuple([name, keyword.value], ast.Load()),
                                           keyword.value))
    merged = checker.helper(_MERGE, node.keywords[0].value, *parts)
    node.keywords = [ast.copy_location(ast.keyword(None, merged), node.keywords[0])]


def _raw_str(value: Any) -> str:
    """The V1's ``str(value, encoding)``: the bytes of ``value``'s buffer as they are."""
    if type(value) is bytes or type(value) is bytearray:
        data = value
    else:
        try:
            data = memoryview(value).tobytes()
        except TypeError:  # mp_get_buffer_raise
            raise TypeError("object with buffer protocol required") from None
    return data.decode("utf-8", "surrogateescape")


def attribute(checker: MicroPythonPass, node: ast.Attribute, spec_full: bool) -> ast.AST | None:
    """``x.__dict__`` read (V2, where instances have one): the board's hash-order dict."""
    if spec_full and node.attr == "__dict__" and isinstance(node.ctx, ast.Load) and \
            hashorder.enabled():
        return checker.helper(_INSTDICT, node, node.value)
    return None


def install(names: dict[str, Any], spec: BoardSpec) -> None:
    """The helpers the rewrites call, as builtins of user code."""
    dict_type = names.get(hashorder.DICT_TYPE)
    unchecked = spec.builtins_1_9  # V1: str(b, enc) takes any bytes (see the module doc)

    def kwmerge(*parts: Any) -> dict:
        """The keywords of one call, later ones replacing earlier ones."""
        merged: dict = {}
        for part in parts:
            if type(part) is tuple:
                merged[part[0]] = part[1]
            else:
                for key in part.keys():  # mp_call_prepare_args_n_kw_var reads keys()
                    merged[key] = part[key]
        return merged

    def str2(callee: Any, value: Any, *rest: Any) -> Any:
        """``str(value, encoding, ...)``: a str comes back as it is; on the V1 a buffer's
        bytes, unchecked."""
        if callee is _real_str and len(rest) <= 2:
            if type(value) is _real_str:
                return value
            if unchecked:
                return _raw_str(value)
            try:
                return callee(value, *rest)
            except UnicodeDecodeError:  # mp_raise_msg(&mp_type_UnicodeError, NULL)
                raise UnicodeError() from None
        return callee(value, *rest)

    def extend(target: Any, other: Any) -> Any:
        """``target.extend(other)``: a bytearray takes only a buffer."""
        if type(target) is bytearray and not isinstance(other, (bytes, bytearray,
                                                                memoryview)):
            try:
                memoryview(other)
            except TypeError:
                raise TypeError("object with buffer protocol required") from None
        return target.extend(other)

    def instdict(obj: Any) -> Any:
        """``obj.__dict__``: an instance's own in the board's (hash-order) dict type."""
        found = obj.__dict__
        if dict_type is None or type(found) is not dict or isinstance(obj, type):
            return found
        board = dict_type(found)
        try:
            obj.__dict__ = board
        except (AttributeError, TypeError):
            return found
        return board

    names.update({_MERGE: kwmerge, _STR2: str2, _EXTEND: extend, _INSTDICT: instdict})
