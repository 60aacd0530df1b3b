"""What goes on the wire: the TCP bridge's frames and the encodings of values inside them.

The bridge speaks the vertx-tcp-eventbus-bridge protocol: every frame is a 4-byte big-endian length, then
a UTF-8 JSON object ``{type, address, replyAddress?, headers, body}``. Kept apart from the client so that
the signing helper (which shares the parameter spelling) needs no asyncio.
"""

from __future__ import annotations

import base64
import json
import os
import struct

HEADER = struct.Struct(">I")


def frame(obj) -> bytes:
    """One frame: the length, then the compact JSON (NaN refused: the server's JSON parser would reject it)."""
    data = json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return HEADER.pack(len(data)) + data


#: sent after every send and register: the bridge answers in order, so its pong tells which frame an
#: address-less err (access_denied) belonged to
PING = frame({"type": "ping"})


def camel(name: str) -> str:
    """block_size -> blockSize, so that Python callers may use either spelling."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def params(values: dict) -> dict:
    """Keyword arguments as the server names them; None means "not given" and is left out."""
    return {camel(k): v for k, v in values.items() if v is not None}


def encode_input(value):
    """The request's ``input``: bytes (and bytearray, memoryview) are sent as ``{"bytes": BASE64}``;
    a str or os.PathLike is a path on the server; a dict is passed as it is."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return value
    return os.fspath(value)


def decode_base64(text: str) -> bytes:
    """Vert.x encodes bytes in JSON as URL-safe base64 without padding; this reads that and the
    standard alphabet, padded or not."""
    text = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
