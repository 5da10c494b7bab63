"""What a page sends: a request's JSON body, checked once for every route."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from ubit.errors import UsageError


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object (``UsageError`` if it isn't one)."""
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise UsageError("the request's body isn't JSON") from None
    if not isinstance(body, dict):
        raise UsageError("the request's body isn't a JSON object")
    return body
