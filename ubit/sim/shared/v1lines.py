"""Line numbers the V1 firmware's small-heap parser (py/parse2.c) puts on some errors."""

from __future__ import annotations


def line_after_statement(source: str, line: int) -> int:
    """The line 1.9.2 names for a ``break``/``continue`` outside a loop on ``line``: that of
    the first token after it (the next statement's, past blank and comment lines; at the end
    of the file ``line`` itself). Seen under QEMU: fidelity corpus programs 217, 218."""
    import io
    import tokenize  # only for this error: a board's start-up doesn't pay for it

    skipped = {tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.INDENT,
               tokenize.DEDENT}
    found = False
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if not found:
                found = token.start[0] == line and token.string in ("break", "continue")
            elif token.type == tokenize.ENDMARKER:
                return line
            elif token.type not in skipped and token.string != ";":
                return token.start[0]
    except (tokenize.TokenError, SyntaxError):  # source CPython couldn't tokenize
        pass
    return line
