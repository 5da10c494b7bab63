"""Compiling user code as MicroPython would: its syntax errors and its semantics.

User code is ordinary CPython byte-code; what a user sees of it is made MicroPython's
here. Syntax the firmware lacks is refused with the firmware's message and line (its
parser stops at the first token that can't continue, and reports a newline at the line
of the token after it; its compiler names the function it was compiling). A few
constructs are compiled into calls of the board's builtins so they behave as on the
device: float literals (parsed as the V1 parses them), literal ``%`` patterns and
``.format`` (the firmware's float formatting), step slices of str/bytes/tuple and
attributes the firmware lacks (V1), and ``except ... as e`` (the message in the
firmware's words).
"""

from __future__ import annotations

import ast
import io
import keyword
import token as tokenize  # the token numbers; the tokenizer loads on a syntax error
import warnings
from collections.abc import Callable
from types import CodeType

from ubit.sim.micropython import (
    callforms,
    codebinding,
    costmodel,
    f32,
    hashorder,
    heapmodel,
    linenumbers,
    mperrors,
    mpobjects,
    mpsemantics,
    stackmodel,
)
from ubit.sim.shared import compilememory
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import TYPE_CHECKING, Any
from ubit.sim.shared.v1lines import line_after_statement

if TYPE_CHECKING:
    from tokenize import TokenInfo

REPL_SOURCE = "<stdin>"
# A byte that isn't UTF-8 reaches the compiler as a surrogate escape ("\udcff" for 0xff).
# The firmware's lexer takes such bytes as they are (recorded on V1 under QEMU:
# ``print('\xff')`` prints the byte 0xff; a line holding only 0xff fails with
# ``NameError: name '\xff' is not defined``). CPython's parser can't read surrogates, so
# while parsing each stands in as a letter of CJK Extension B (U+200XX for byte XX: valid
# in names, unchanged by NFKC); string constants get their bytes back, names keep the
# stand-in (CPython can't put a surrogate in an error message) and ``stray_bytes`` turns
# stand-ins back into the bytes in what the board prints.
# The patterns here are ``re``'s, imported where one is used: an ASCII program without
# errors needs none, and ``re`` (with ``enum``) would cost every board's start-up.
_STRAY_BYTE = "[\udc80-\udcff]"
_STAND_IN = "[\U00020080-\U000200ff]"
_SHIFT = 0x20000 - 0xDC00
# Leading whitespace with a tab: the firmware's lexer counts a tab to the next multiple of 8.
_LEADING_TABS = r"(?m)^[ \t]*\t[ \t]*"


# ---------------------------------------------------------------------------------------
# Compiling


def compile_user(source: bytes | str, filename: str, spec: BoardSpec,
                 mode: str = "exec", room: int | None = None) -> CodeType:
    """Compile user source as the firmware would accept it (its SyntaxError otherwise);
    with ``room`` (bytes of free heap), its MemoryError if compiling needs more."""
    try:
        return _compile_user(source, filename, spec, mode, room)
    except SyntaxError as exc:
        words = None if spec.grammar_1_9 else _V2_WORDS.get(getattr(exc, "mp_message", None))
        if words is not None:
            exc.msg, exc.args, exc.mp_message = words, (words,), words  # type: ignore[attr-defined]
        raise


# Compiler messages MicroPython 1.18 words differently from 1.9 (firmware-v2-observed 099).
_V2_WORDS = {"'break' outside loop": "'break'/'continue' outside loop",
             "'continue' outside loop": "'break'/'continue' outside loop",
             "can't assign to literal": "can't assign to expression",
             "name reused for argument": "argument name reused"}


def _compile_user(source: bytes | str, filename: str, spec: BoardSpec, mode: str,
                  room: int | None) -> CodeType:
    if isinstance(source, bytes):
        source = source.decode("utf-8", "surrogateescape")
    strays = not source.isascii() and _has_stray_bytes(source)
    if strays:
        import re

        source = re.sub(_STRAY_BYTE, lambda m: chr(ord(m[0]) + _SHIFT), source)
    mperrors.remember_source(filename, source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # CPython's SyntaxWarnings are not the firmware's
        try:
            tree, source = _parse(source, filename, mode, spec)
        except TabError:
            import re

            source = re.sub(_LEADING_TABS, lambda m: m[0].expandtabs(8), source)
            try:
                tree = ast.parse(source, filename, mode)
            except SyntaxError as exc:
                raise parse_error(exc, source, filename, spec) from None
        except SyntaxError as exc:
            raise parse_error(exc, source, filename, spec) from None
        # what compiling takes on the device, judged on the program as written (the
        # passes below add to the tree); raised after any syntax error, as the parser's
        too_big = compilememory.failing_allocation(tree, room) \
            if room is not None and compilememory.may_not_fit(source, room) else None
        asm_errors = _builtin_decorators(tree, source, filename, spec)
        stacked = stackmodel.enabled(spec)  # call depth as the C stack decides it
        if stacked:  # frames sized as the program's own code makes them: before rewrites
            stackmodel.note_states(tree)
        checker = MicroPythonPass(source, filename, spec)
        checker.run(tree)
        checker.compile_errors[:0] = asm_errors
        if mode == "exec" and "del" in source:
            _global_deletes(tree.body)  # type: ignore[attr-defined]
        if checker.parse_errors:
            raise min(checker.parse_errors, key=lambda e: e.lineno or 0)
        if too_big is not None:
            compilememory.refuse(*too_big)
        if spec.grammar_1_9 and _has_underscore_number(source):
            _refuse_underscores(source, filename)
        if strays:
            _restore_strings(tree)
        linenumbers.apply(tree)
        setcomps: set[tuple[int, int]] = set()
        if hashorder.enabled():  # dicts and sets in the firmware's slot order
            if "{" in source:  # a set comprehension needs one: most programs skip the walk
                setcomps = hashorder.setcomp_spans(tree)
            hashorder.apply(tree)
        charged = costmodel.enabled(spec)  # board time for the program's own work
        if charged:
            costmodel.apply(tree, spec)
        if stacked:
            stackmodel.apply(tree, spec)
        if heapmodel.enabled(spec):  # big allocations refused where the heap runs out
            heapmodel.apply(tree)
        floats = f32.enabled()  # float literals, / and ** in single precision (last: the
        if floats:  # models above see the program's own operators and literals)
            f32.apply(tree)
        for call, choice in checker.str_calls:  # charged as written: now the C call
            codebinding.fast_str(call, choice)
        try:
            code = compile(tree, filename, mode, dont_inherit=True)
        except SyntaxError as exc:
            error = compile_error(exc, tree, source, filename, spec.grammar_1_9)
            if checker.compile_errors and checker.compile_errors[0].lineno <= error.lineno:
                raise checker.compile_errors[0] from None
            raise error from None
    if checker.compile_errors:
        raise checker.compile_errors[0]
    bound = {**codebinding.rewrite_objects(), **(costmodel.objects(spec) if charged else {}),
             **(stackmodel.objects(spec) if stacked else {})}
    code = codebinding.bind_objects(code, bound)  # one pass for all
    if setcomps:
        code = hashorder.named_setcomps(code, setcomps)
    return f32.bind(code, spec) if floats else code


def _parse(source: str, filename: str, mode: str, spec: BoardSpec) -> tuple[ast.AST, str]:
    """``lenientparse.parse``, imported only for a source CPython's parser refuses (which
    it parses again): most programs parse as they are."""
    try:
        return ast.parse(source, filename, mode), source
    except SyntaxError:
        from ubit.sim.micropython import lenientparse

        return lenientparse.parse(source, filename, mode, spec)


def _has_stray_bytes(source: str) -> bool:
    """Whether ``source`` has bytes that weren't UTF-8 (as surrogate escapes)."""
    import re

    return re.search(_STRAY_BYTE, source) is not None


# Statements whose bodies run in the module's scope (functions and classes have their own).
_MODULE_BLOCKS = (ast.If, ast.For, ast.While, ast.Try, ast.With, ast.ExceptHandler)


def _global_deletes(body: list[ast.stmt]) -> None:
    """``del name`` of a missing global is a KeyError on the firmware (its globals are a
    dict: firmware-v2-observed 050, 171); each such name is deleted on its own, as
    ``try: del name`` / ``except NameError: raise KeyError('name') from None``."""
    i = 0
    while i < len(body):
        statement = body[i]
        if isinstance(statement, ast.Delete) and \
                any(isinstance(t, ast.Name) for t in statement.targets):
            body[i:i + 1] = [_deleting(target, statement) for target in statement.targets]
        elif isinstance(statement, _MODULE_BLOCKS):
            for field in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(statement, field, None)
                if block:
                    _global_deletes(block)
        i += 1


def _deleting(target: ast.expr, where: ast.stmt) -> ast.stmt:
    single = ast.copy_location(ast.Delete([target]), where)
    if not isinstance(target, ast.Name):
        return single
    error = ast.Call(ast.Name("KeyError", ast.Load()), [ast.Constant(target.id)], [])
    handler = ast.ExceptHandler(ast.Name("NameError", ast.Load()), None,
                                [ast.Raise(error, ast.Constant(None))])
    statement = ast.Try([single], [handler], [], [])
    for node in ast.walk(statement):
        if node is not single and node is not target:
            ast.copy_location(node, where)
    return statement


def _builtin_decorators(tree: ast.AST, source: str, filename: str,
                        spec: BoardSpec) -> list[SyntaxError]:
    """``@micropython.asm_thumb`` and the other decorators the compiler itself takes."""
    if "micropython" not in source:
        return []
    from ubit.sim.micropython.asm import decorators  # only for programs that may use them

    return [micropython_syntax_error(message, filename, line, scope)
            for message, line, scope in decorators.rewrite(tree, spec)]


def stray_bytes(text: str) -> str:
    """``text`` with the compiler's stand-ins turned back into the bytes that weren't UTF-8."""
    if text.isascii():
        return text
    import re

    return re.sub(_STAND_IN, lambda m: chr(ord(m[0]) - _SHIFT), text)


def _restore_strings(tree: ast.AST) -> None:
    """Give string constants back the bytes that stood in for non-UTF-8 ones while parsing."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) is str:
            node.value = stray_bytes(node.value)


def micropython_syntax_error(message: str, filename: str, line: int, scope: str | None = None,
                             indentation: bool = False) -> SyntaxError:
    """A SyntaxError as the firmware reports it: message, line and (compiler) scope."""
    exc = (IndentationError if indentation else SyntaxError)(message, (filename, line, 0, ""))
    exc.args = (message,)  # its args are the message alone (firmware-v2-observed 099)
    exc.mp_message = message  # type: ignore[attr-defined]
    exc.mp_scope = scope  # type: ignore[attr-defined]
    return exc


# Parser errors (no "in <scope>" in the traceback): CPython messages that keep their own
# wording; everything else the parser refuses is "invalid syntax".
_INDENTATION = ("unexpected indent", "unindent does not match any outer indentation level")
# Errors MicroPython's compiler (not its parser) raises: CPython message → firmware message.
_COMPILER_RULES = [
    (r"^'return' outside function", "'return' outside function"),
    (r"^'break' outside loop", "'break' outside loop"),
    (r"^'continue' not properly in loop", "'continue' outside loop"),
    (r"^'yield' outside function", "'yield' outside function"),
    (r"^'yield from' outside function", "'yield' outside function"),
    (r"^cannot assign to (literal|True|False|None|Ellipsis|__debug__)",
     "can't assign to literal"),
    (r"^cannot assign to ", "can't assign to expression"),
    (r"^cannot delete ", "can't delete expression"),
    (r"^duplicate argument '\w+' in function definition", "name reused for argument"),
    (r"^name '\w+' is (?:assigned to before|used prior to) nonlocal declaration",
     "identifier redefined as nonlocal"),
    (r"^name '\w+' is parameter and nonlocal", "identifier redefined as nonlocal"),
    (r"^name '\w+' is (?:assigned to before|used prior to) global declaration",
     "identifier redefined as global"),
    (r"^name '\w+' is parameter and global", "identifier redefined as global"),
    (r"^no binding for nonlocal '\w+' found", "no binding for nonlocal found"),
    (r"^nonlocal declaration not allowed at module level", "can't declare nonlocal in outer code"),
    (r"^positional argument follows keyword argument unpacking", "non-keyword arg after */**"),
    (r"^positional argument follows keyword argument", "non-keyword arg after keyword arg"),
    (r"^iterable argument unpacking follows keyword argument unpacking",
     "non-keyword arg after */**"),
    (r"^(?:non-default argument follows default argument|parameter without a default "
     r"follows parameter with a default)", "non-default argument follows default argument"),
    (r"^default 'except:' must be last", "default 'except:' must be last"),
    (r"^multiple starred expressions in assignment", "multiple *x in assignment"),
    (r"^(?:starred assignment target must be in a list or tuple|can't use starred "
     r"expression here)", "*x must be assignment target"),
    (r"^expression cannot contain assignment", "LHS of keyword arg must be an id"),
]


def _compiler_message(text: str) -> str | None:
    import re

    for pattern, message in _COMPILER_RULES:
        if re.match(pattern, text):  # re caches the compiled patterns
            return message
    return None


def parse_error(exc: SyntaxError, source: str, filename: str, spec: BoardSpec) -> SyntaxError:
    """The firmware's error for source CPython's parser refused."""
    text = exc.msg or ""
    line = exc.lineno or 1
    if isinstance(exc, IndentationError) and text in _INDENTATION:
        return micropython_syntax_error(text, filename, line, indentation=True)
    if text == "cannot mix bytes and nonbytes literals":
        return micropython_syntax_error(text, filename, line)
    import re

    digit = re.match(_BAD_DIGIT, text)
    if digit:  # the lexer takes the token, mp_parse_num_integer refuses it (probe 099)
        return micropython_syntax_error(
            f"invalid syntax for integer with base {_BASES[digit[1]]}", filename, line)
    compiler = _compiler_message(text)
    if compiler is not None:
        if compiler.startswith("default 'except"):
            line = _try_line(source, line)  # the firmware compiles the whole try statement
        return micropython_syntax_error(compiler, filename, line, _scope_at(source, line))
    # Both lexers report the line of the token the parser stopped at (measured on V1;
    # MicroPython 1.18's lexer and parser keep the same rule). The bytes message is V1's.
    lexer_1_9 = spec.grammar_1_9
    tokens = _tokens(source)
    failing = _failing_token(exc, tokens)
    if failing is None:
        line = _eof_line(tokens, line)
    else:
        index, line = failing
        token = tokens[index] if index >= 0 else None
        if lexer_1_9 and token is not None and token.type == tokenize.STRING and index > 0 and \
                tokens[index - 1].type in (tokenize.NAME, tokenize.NUMBER):  # measured on V1
            return micropython_syntax_error("cannot mix bytes and nonbytes literals", filename,
                                            line)
    if lexer_1_9 and text.startswith("f-string"):
        return micropython_syntax_error("cannot mix bytes and nonbytes literals", filename, line)
    return micropython_syntax_error("invalid syntax", filename, line)


_BAD_DIGIT = r"invalid digit '.' in (octal|binary|hexadecimal) literal"
_BASES = {"octal": 8, "binary": 2, "hexadecimal": 16}


def _try_line(source: str, line: int) -> int:
    """The line of the ``try`` that the ``except`` on ``line`` belongs to."""
    import re

    lines = source.splitlines()
    if not 0 < line <= len(lines):
        return line
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if len(text) - len(text.lstrip()) == indent and re.match(r"\s*try\s*:", text):
            return number
    return line


def _tokens(source: str) -> list[TokenInfo]:
    """The tokens of ``source`` up to where tokenizing fails."""
    import tokenize as tokenizer  # only for sources with errors: it takes 8 ms to load

    tokens: list[TokenInfo] = []
    try:
        for token in tokenizer.generate_tokens(io.StringIO(source).readline):
            tokens.append(token)
    except (tokenizer.TokenError, SyntaxError):
        pass
    return tokens


_SKIPPED = (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING)


def _failing_token(exc: SyntaxError, tokens: list[TokenInfo]) -> tuple[int, int] | None:
    """(index, firmware line) of the token the firmware's parser stops at; None at the end."""
    line, col = exc.lineno or 1, (exc.offset or 1) - 1
    text = exc.msg or ""
    if text.startswith("unterminated"):
        return -1, line
    start = _token_at(tokens, line, col)
    if start is None:
        return None
    if "was never closed" in text or "forgot a comma" in text or text.startswith("unexpected EOF"):
        found = _juxtaposed(tokens, start)
        return None if found is None else (found, tokens[found].start[0])
    token = tokens[start]
    if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER) or token.start[0] != line:
        # the firmware's newline token belongs to the line of the token after it
        following = _next_significant(tokens, start + (token.type == tokenize.NEWLINE))
        return None if following is None else (following, tokens[following].start[0])
    if text.startswith("Missing parentheses in call to"):
        following = _next_significant(tokens, start + 1)  # the token after "print"
        if following is not None:
            return following, tokens[following].start[0]
    return start, token.start[0]


def _token_at(tokens: list[TokenInfo], line: int, col: int) -> int | None:
    """Index of the first significant token at or after (line, col)."""
    for i, token in enumerate(tokens):
        if token.type in _SKIPPED:
            continue
        if token.start >= (line, col) or token.end > (line, col):
            return i
    return None


def _next_significant(tokens: list[TokenInfo], i: int) -> int | None:
    while i < len(tokens):
        if tokens[i].type not in _SKIPPED and tokens[i].type != tokenize.ENDMARKER:
            return i
        i += 1
    return None


def _juxtaposed(tokens: list[TokenInfo], i: int) -> int | None:
    """The first token from ``i`` that directly follows a complete operand: the parse stops."""
    previous = None
    for j in range(i, len(tokens)):
        token = tokens[j]
        if token.type in _SKIPPED or token.type in (tokenize.INDENT, tokenize.DEDENT):
            continue
        if previous is not None and _ends_operand(previous) and _starts_operand(token, previous):
            return j
        previous = token
    return None


def _ends_operand(token: TokenInfo) -> bool:
    if token.type == tokenize.NAME:
        return not keyword.iskeyword(token.string) or token.string in ("True", "False", "None")
    return token.type in (tokenize.NUMBER, tokenize.STRING) or token.string in (")", "]", "}")


def _starts_operand(token: TokenInfo, previous: TokenInfo) -> bool:
    if token.type == tokenize.NAME:
        return not keyword.iskeyword(token.string) or token.string in ("True", "False", "None",
                                                                         "lambda", "not")
    if token.type == tokenize.STRING:
        return previous.type != tokenize.STRING  # adjacent strings are one literal
    return token.type == tokenize.NUMBER or (token.string == "{" and previous.string != ")")


def _eof_line(tokens: list[TokenInfo], default: int) -> int:
    """The line of the end of the source, as the firmware's lexer counts it."""
    if tokens:
        last = tokens[-1]
        return last.start[0] if last.type == tokenize.ENDMARKER else last.end[0] + 1
    return default


def compile_error(exc: SyntaxError, tree: ast.AST, source: str, filename: str,
                  grammar_1_9: bool = False) -> SyntaxError:
    """The firmware's error for source CPython's compiler refused (after parsing)."""
    text = exc.msg or ""
    line = exc.lineno or 1
    message = _compiler_message(text)
    if message is None:
        return micropython_syntax_error("invalid syntax", filename, line)
    if grammar_1_9 and message in ("'break' outside loop", "'continue' outside loop"):
        line = line_after_statement(source, line)
    if message.startswith("default 'except"):
        line = _try_line(source, line)  # the firmware compiles the whole try statement
    scope, body_line = _scope_in_tree(tree, line)
    if message == "name reused for argument" and body_line:
        line = body_line  # the firmware checks arguments while compiling the body
    return micropython_syntax_error(message, filename, line, scope)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSION_NAMES = {ast.ListComp: "<listcomp>", ast.SetComp: "<setcomp>",
                        ast.DictComp: "<dictcomp>", ast.GeneratorExp: "<genexpr>"}


def _scope_name(node: ast.AST) -> str:
    if isinstance(node, ast.Lambda):
        return "<lambda>"
    return _COMPREHENSION_NAMES.get(type(node)) or node.name  # type: ignore[attr-defined]


def _scope_in_tree(tree: ast.AST, line: int) -> tuple[str, int | None]:
    """The innermost function/class/comprehension holding ``line``, and its first body line."""
    best: ast.AST | None = None
    for node in ast.walk(tree):
        if isinstance(node, _SCOPES) or type(node) in _COMPREHENSION_NAMES:
            if node.lineno <= line <= (node.end_lineno or node.lineno) and (
                    best is None or (node.lineno, node.col_offset)
                    >= (best.lineno, best.col_offset)):  # type: ignore[attr-defined]
                best = node
    if best is None:
        return "<module>", None
    body = getattr(best, "body", None)
    return _scope_name(best), body[0].lineno if isinstance(body, list) and body else None


def _scope_at(source: str, line: int) -> str:
    """The function or class enclosing ``line``, from indentation (source that won't parse)."""
    import re

    lines = source.splitlines()
    if not 0 < line <= len(lines):
        return "<module>"
    current = lines[line - 1]
    indent = len(current) - len(current.lstrip())
    for text in reversed(lines[:line - 1]):
        stripped = text.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(text) - len(stripped)
        if depth < indent:
            found = re.match(r"(?:async\s+)?(?:def|class)\s+(\w+)", stripped)
            if found:
                return found[1]
            indent = depth
            if depth == 0:
                break
    return "<module>"


def _has_underscore_number(source: str) -> bool:
    """Whether ``source`` has a digit, an underscore and a digit in a row (``re``'s
    ``\\d_\\d``: decimal digits of any script), found without ``re``."""
    at = source.find("_", 1)
    while 0 < at < len(source) - 1:
        if source[at - 1].isdecimal() and source[at + 1].isdecimal():
            return True
        at = source.find("_", at + 1)
    return False


def _refuse_underscores(source: str, filename: str) -> None:
    """``1_000``: MicroPython 1.9 reads a number and then a name, which doesn't parse."""
    for token in _tokens(source):
        if token.type == tokenize.NUMBER and "_" in token.string:
            raise micropython_syntax_error("invalid syntax", filename, token.start[0])


class MicroPythonPass:
    """One walk over a parsed program: refuse what the firmware lacks, rewrite what differs.

    Refused (parse_errors / compile_errors, reference §33; V1 is MicroPython 1.9):
    f-strings, ``match``, and on V1 walrus, async, variable annotations,
    positional-only parameters, ``@``, ``{**d}``, complex literals, starred
    expressions outside assignments, positional arguments after ``*args``,
    decorators that aren't dotted names. Rewritten into calls of the board's
    builtins (see the module doc): float literals (V1), literal ``%`` patterns,
    ``.format``/``.sort``/``str()`` calls, step slices (V1), attributes
    the firmware may lack, ``except ... as``. One iterative walk, as a visitor
    class per node costs twice as much on large programs.
    """

    def __init__(self, source: str, filename: str, spec: BoardSpec) -> None:
        from ubit.sim.micropython import introspection
        from ubit.sim.micropython.v1quirks import missing_attributes

        self.lines = source.splitlines()
        self.filename = filename
        self.grammar_1_9 = spec.grammar_1_9  # V1: refuse what MicroPython 1.9 can't parse
        self.step_slices = spec.step_slices  # V2: str/bytes/tuple slices take a step
        self.missing = missing_attributes(spec) | introspection.MAYBE_MISSING
        self.full_attributes = spec.full_attributes
        self.parse_errors: list[SyntaxError] = []
        self.compile_errors: list[SyntaxError] = []
        # ``str(x)`` calls of a name and their conditionals (``str_callee``), for
        # ``codebinding.fast_str`` once the models have seen them
        self.str_calls: list[tuple[ast.Call, ast.IfExp]] = []
        self.tree: ast.AST | None = None
        replace: dict[type, Callable[[Any], ast.AST | None]] = {
            ast.Subscript: self.subscript, ast.Attribute: self.attribute,
            ast.BinOp: self.binop, ast.Compare: self.compare}
        check: dict[type, Callable[[Any], None]] = {
            ast.Call: self.call, ast.ExceptHandler: self.except_handler,
            ast.JoinedStr: self.joined_str, ast.Match: self.refuse, ast.TryStar: self.refuse,
            # neither release: positional-only parameters, {**d}, [*a] (firmware-v2-observed
            # 100, 116)
            ast.FunctionDef: self.function, ast.Dict: self.dict_display,
            ast.List: self.display, ast.Tuple: self.display, ast.Set: self.display}
        if self.grammar_1_9:
            check.update({
                ast.Constant: self.constant, ast.NamedExpr: self.refuse,
                ast.AsyncFunctionDef: self.refuse, ast.Await: self.refuse,
                ast.AsyncFor: self.refuse, ast.AsyncWith: self.refuse,
                ast.AnnAssign: self.refuse, ast.ClassDef: self.decorated,
                ast.AugAssign: self.aug_assign})
        self.replace, self.check = replace, check

    def run(self, tree: ast.AST) -> ast.AST:
        """Check and rewrite ``tree`` in place (returned for convenience)."""
        self.tree = tree
        replace, check, node_type, push = self.replace, self.check, ast.AST, None
        stack = [tree]
        push = stack.append
        while stack:
            node = stack.pop()
            handler = check.get(type(node))
            if handler is not None:
                handler(node)
            for name in node._fields:
                value = getattr(node, name, None)
                if type(value) is list:
                    for i, item in enumerate(value):
                        if isinstance(item, node_type) and item._fields:
                            push(item)
                            rewrite = replace.get(type(item))
                            if rewrite is not None:
                                new = rewrite(item)
                                if new is not None:
                                    value[i] = new
                elif isinstance(value, node_type) and value._fields:  # not Load/Store
                    push(value)
                    rewrite = replace.get(type(value))
                    if rewrite is not None:
                        new = rewrite(value)
                        if new is not None:
                            setattr(node, name, new)
        return tree

    # errors -------------------------------------------------------------------------------

    def refuse(self, node: ast.AST, message: str = "invalid syntax") -> None:
        self.parse_errors.append(micropython_syntax_error(message, self.filename,
                                                          node.lineno))  # type: ignore[attr-defined]

    def compile_error(self, node: ast.AST, message: str) -> None:
        line = node.lineno  # type: ignore[attr-defined]
        scope = _scope_in_tree(self.tree, line)[0] if self.tree is not None else "<module>"
        self.compile_errors.append(micropython_syntax_error(message, self.filename, line, scope))

    # checks -------------------------------------------------------------------------------

    def joined_str(self, node: ast.JoinedStr) -> None:
        # f-strings exist on neither release; V1's lexer reads f and a string
        self.refuse(node, "cannot mix bytes and nonbytes literals" if self.grammar_1_9
                    else "invalid syntax")

    def constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) is float:
            from ubit.sim.micropython.mpfloat import parse_float

            parsed = parse_float(self.text_of(node) or repr(value))  # as the V1 parses it
            if parsed is not None:
                node.value = parsed
        elif type(value) is complex:
            self.refuse(node, "complex values not supported")

    def function(self, node: ast.FunctionDef) -> None:
        if node.args.posonlyargs:
            self.refuse(node)
        if self.grammar_1_9:
            self.decorated(node)

    def decorated(self, node: ast.FunctionDef | ast.ClassDef) -> None:
        """MicroPython 1.9 decorators are dotted names, optionally called."""
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            while isinstance(target, ast.Attribute):
                target = target.value
            if not isinstance(target, ast.Name):
                self.refuse(decorator)

    def aug_assign(self, node: ast.AugAssign) -> None:
        if isinstance(node.op, ast.MatMult):
            self.refuse(node)

    def dict_display(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # {**other}
                self.refuse(value)

    def display(self, node: ast.List | ast.Tuple | ast.Set) -> None:
        if isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del)):
            return
        if any(isinstance(e, ast.Starred) for e in node.elts):
            if isinstance(node, ast.Set):
                self.refuse(node)  # {*a}: not in either grammar (firmware-v2-observed 116)
            elif isinstance(node, ast.Tuple) and self.text_start(node) not in ("(", "[", "{"):
                self.refuse(node)  # return *a, b: not in 1.9's grammar at all
            else:
                self.compile_error(node, "*x must be assignment target")

    def call(self, node: ast.Call) -> None:
        # both releases (firmware-v2-observed 100, 115)
        starred = [isinstance(arg, ast.Starred) for arg in node.args]
        if sum(starred) > 1:
            self.compile_error(node, "can't have multiple *x")
        elif True in starred and False in starred[starred.index(True):]:
            self.compile_error(node, "non-keyword arg after */**")
        if sum(k.arg is None for k in node.keywords) > 1:
            self.compile_error(node, "can't have multiple **x")
        func = node.func
        if isinstance(func, ast.Name):
            # str(x): the firmware's text for floats and containers. (int(x) stays CPython's:
            # only values past 2**21 differ, and int() is common in inner loops.)
            if func.id == "str" and len(node.args) == 1 and not node.keywords and \
                    not isinstance(node.args[0], ast.Starred):
                if isinstance(node.args[0], ast.Name):
                    node.func = self.str_callee(func, node.args[0])
                    self.str_calls.append((node, node.func))
                else:
                    node.args.insert(0, func)
                    node.func = self.name("__mp_str__", func)
        elif isinstance(func, ast.Attribute) and func.attr in ("format", "sort") and \
                isinstance(func.ctx, ast.Load):
            node.args.insert(0, func.value)
            node.func = self.name(f"__mp_{func.attr}__", func)
        mpsemantics.call(self, node)  # str case, int(text), super()... as the firmware
        mpobjects.call(self, node)  # round(x, n), bytearray([...]), set methods, encode
        callforms.call(self, node)  # f(a=1, **d), max(a, b, default=), str(x, enc), extend

    def except_handler(self, node: ast.ExceptHandler) -> None:
        if node.name:  # the caught exception in the firmware's words (and type)
            first = node.body[0]
            call = self.helper("__mp_caught__", first, self.name(node.name, first))
            target = ast.copy_location(ast.Name(node.name, ast.Store()), first)
            node.body.insert(0, ast.copy_location(ast.Assign([target], call), first))

    def str_callee(self, func: ast.Name, arg: ast.Name) -> ast.expr:
        """``str(x)`` for a name ``x``: ``(str if type(x) in PLAIN or str is not the builtin
        else __mp_strslow__)(x)``, all C calls when ``x`` is an int, str, bool or None (whose
        text is CPython's); reading a name twice can't differ from reading it once."""
        plain = ast.Compare(  # type and the types as constants (codebinding): no lookups
            ast.copy_location(ast.Call(ast.copy_location(ast.Constant(codebinding.TYPE), arg),
                                       [self.name(arg.id, arg)], []), arg),
            [ast.In()], [ast.copy_location(ast.Constant(codebinding.PLAIN_STR_TYPES), func)])
        shadowed = ast.Compare(self.name("str", func), [ast.IsNot()],
                               [self.name("__mp_realstr__", func)])
        test = ast.BoolOp(ast.Or(), [plain, shadowed])
        choice = ast.IfExp(test, self.name("str", func), self.name("__mp_strslow__", func))
        for node in (plain, shadowed, test, choice):
            ast.copy_location(node, func)
        return choice

    # rewrites (the replacement for a node, or None to keep it) ----------------------------

    def subscript(self, node: ast.Subscript) -> ast.AST | None:
        piece = node.slice
        if not isinstance(node.ctx, ast.Load):  # slice stores and deletes (mpobjects)
            mpobjects.subscript(self, node)
            return None
        if not self.step_slices and isinstance(piece, ast.Slice) and piece.step is not None and \
                isinstance(node.ctx, ast.Load):
            return self.helper("__mp_getslice__", node, node.value,
                               piece.lower or self.none(node), piece.upper or self.none(node),
                               piece.step)
        return None

    def attribute(self, node: ast.Attribute) -> ast.AST | None:
        if node.attr in mpobjects.ATTRIBUTES:  # e.errno, e.args = ... (mpobjects)
            return mpobjects.attribute(self, node)
        if node.attr in self.missing and isinstance(node.ctx, ast.Load):
            return self.helper("__mp_getattr__", node, node.value,
                               ast.copy_location(ast.Constant(node.attr), node))
        if node.attr == "__dict__":  # an instance's, in hash order (callforms)
            return callforms.attribute(self, node, self.full_attributes)
        return None

    def binop(self, node: ast.BinOp) -> ast.AST | None:
        if self.grammar_1_9 and isinstance(node.op, ast.MatMult):
            self.refuse(node.right)
        if isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and \
                type(node.left.value) is str:
            return self.helper("__mp_percent__", node, node.left, node.right)
        return mpsemantics.binop(self, node)  # b'a' + 'b', True & False

    def compare(self, node: ast.Compare) -> ast.AST | None:
        return mpsemantics.compare(self, node)  # [1] < (1,), 'a' in b'abc'

    # building nodes (with locations, so no fix_missing_locations walk is needed) --------

    @staticmethod
    def name(identifier: str, where: ast.AST) -> ast.Name:
        return ast.copy_location(ast.Name(identifier, ast.Load()), where)

    @staticmethod
    def none(where: ast.AST) -> ast.Constant:
        return ast.copy_location(ast.Constant(None), where)

    def helper(self, name: str, where: ast.AST, *args: ast.expr) -> ast.Call:
        return ast.copy_location(ast.Call(self.name(name, where), list(args), []), where)

    def text_of(self, node: ast.AST) -> str | None:
        """The source text of a one-line node."""
        line = getattr(node, "lineno", None)
        if line is None or line != node.end_lineno or line > len(self.lines):  # type: ignore
            return None
        raw = self.lines[line - 1].encode()
        return raw[node.col_offset:node.end_col_offset].decode("utf-8", "replace")  # type: ignore

    def text_start(self, node: ast.AST) -> str:
        """The first character of ``node``'s source."""
        line = node.lineno  # type: ignore[attr-defined]
        raw = self.lines[line - 1].encode() if line <= len(self.lines) else b""
        return raw[node.col_offset:node.col_offset + 1].decode("latin-1")  # type: ignore
