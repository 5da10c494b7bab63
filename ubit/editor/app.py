"""Running the editor's server: a socket on 127.0.0.1, a token, uvicorn, and the browser."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path

from ubit.editor.projects import OPENED, ProjectStore
from ubit.editor.security import new_token
from ubit.editor.server import build_app
from ubit.errors import UbitError


def listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` 0: any free one); a clear error if taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise UbitError(f"port {port} can't be used ({exc.strerror or exc}): give another "
                        "with --port, or leave it out for any free one") from None
    sock.listen(64)
    return sock


def address(port: int, token: str, opened: bool) -> str:
    """The URL the editor opens: with the token, and the opened folder's project."""
    where = f"#project={OPENED}" if opened else ""
    return f"http://127.0.0.1:{port}/?token={token}{where}"


def serve(library: Path, folder: Path | None, port: int, open_browser: bool,
          say: Callable[[str], None]) -> int:
    """Serve the editor until interrupted; the exit code."""
    import uvicorn

    sock = listen(port)
    bound = sock.getsockname()[1]
    token = new_token()
    app = build_app(ProjectStore(library, folder), token, lambda: bound)
    url = address(bound, token, folder is not None)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           ws_max_size=8 * 1024 * 1024))

    def announce() -> None:
        say(f"ubit editor: {url}")
        say("(only this computer can open it; Ctrl-C stops it)")
        if open_browser:
            import webbrowser

            if not webbrowser.open(url):
                say("no browser could be opened here: open the address above in one")

    from ubit.editor.boards import SPARES

    SPARES.fill()  # a board process ready before the first Play
    threading.Timer(0.3, announce).start()
    server.run(sockets=[sock])
    return 0
