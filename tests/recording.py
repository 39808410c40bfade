"""An ASGI app wrapped so that every request other than GET/HEAD reaching it is recorded, body and all."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Write:
    """One request that could change something on the server."""

    method: str
    path: str
    body: bytes
    content_type: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def recording(app: ASGIApp, writes: list[Write]) -> ASGIApp:
    """`app`, appending to `writes` each non-GET/HEAD request once its body has been read."""

    async def recorded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        body = bytearray()

        async def reading() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.extend(message.get("body", b""))
            return message

        try:
            await app(scope, reading, send)
        finally:
            query = scope.get("query_string", b"").decode()
            headers = dict(scope["headers"])
            content_type = headers.get(b"content-type")
            writes.append(
                Write(
                    scope["method"],
                    scope["path"] + (f"?{query}" if query else ""),
                    bytes(body),
                    content_type.decode() if content_type else None,
                )
            )

    return recorded
