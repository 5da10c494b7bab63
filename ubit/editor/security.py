"""Who may talk to the editor's server: this session's page, and nothing else.

The server runs code, so it protects itself as Jupyter's does: it listens on 127.0.0.1
only; every request must carry the session's random token (in the URL the editor
opens, then in a cookie the server sets, or an ``X-Ubit-Token`` header); and its Host
must be this server's, and an Origin, when the browser sends one, this server's too — so
neither another web page (DNS rebinding, cross-site requests) nor another local user
can drive it.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "ubit_token"
HEADER = b"x-ubit-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def new_token() -> str:
    """A random token for one editor session."""
    return secrets.token_urlsafe(32)


class Guard:
    """ASGI middleware refusing requests without the token, or from a foreign host or origin."""

    def __init__(self, app: App, token: str, port_of: Callable[[], int]) -> None:
        self.app = app
        self.token = token
        self.port_of = port_of  # the port is known once the server has bound it

    def allowed_hosts(self) -> set[str]:
        """``host:port`` values this server answers to."""
        port = self.port_of()
        return {f"{name}:{port}" for name in LOOPBACK_NAMES}

    def why_refused(self, scope: Scope) -> str | None:
        """Why the request must be refused (None: let it through)."""
        headers = {key.lower(): value for key, value in scope.get("headers", ())}
        host = headers.get(b"host", b"").decode("latin-1")
        if host not in self.allowed_hosts():
            return "wrong Host"
        origin = headers.get(b"origin")
        if origin is not None and origin.decode("latin-1").removeprefix("http://") \
                not in self.allowed_hosts():
            return "foreign Origin"
        if scope["type"] == "websocket" and origin is None:
            return "a websocket needs an Origin"
        offered = [headers.get(HEADER, b"").decode("latin-1")]
        offered += parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [])
        cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
        if COOKIE in cookie:
            offered.append(cookie[COOKIE].value)
        if not any(hmac.compare_digest(given, self.token) for given in offered if given):
            return "no token"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it (403, or a closed websocket)."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        why = self.why_refused(scope)
        if why is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": why})
        else:
            body = f"refused: {why}\n".encode()
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


def token_cookie(token: str) -> str:
    """The ``Set-Cookie`` value that keeps the token for the page's later requests."""
    return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
