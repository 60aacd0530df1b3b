#!/usr/bin/env python3
"""An asyncio client for the pixelbus TCP event-bus bridge (standard library only).

The bridge speaks the vertx-tcp-eventbus-bridge protocol: every frame is a 4-byte big-endian length,
then a UTF-8 JSON object. One connection carries any number of concurrent requests: each gets its own
reply address, and a reader task hands every reply to the request that waits for it.

As a library (put ``scripts/`` on ``sys.path``)::

    import asyncio
    from pixelbus_client import PixelbusClient, PixelbusError

    async def main():
        async with PixelbusClient("127.0.0.1", 7000) as pb:
            with open("ship.jpg", "rb") as f:
                data = f.read()
            info = await pb.info(data)                          # bytes are uploaded ...
            print(info["width"], info["height"])
            reply = await pb.adaptive(data, format="png", blockSize=15, c=4)
            open("ship.png", "wb").write(reply["image"])        # ... and the result comes back as bytes
            await pb.grayscale("/srv/in/ship.jpg", "ship_gray.png")  # or paths on the server
            found = await pb.faces(data, draw=False)
            print(found["faces"])                               # [{"x": .., "y": .., "w": .., "h": ..}]
            # many requests at once over the one connection:
            replies = await asyncio.gather(*(pb.info(p) for p in ["/srv/in/a.png", "/srv/in/b.png"]))
            summary = await pb.batch("/srv/in", "run1", "adaptive", method="mean",
                                     progress=lambda e: print(e["done"], "/", e["listed"]))
            try:
                await pb.info(b"not an image")
            except PixelbusError as e:
                print(e.code, e.message)                        # 415 not a supported image: ...

    asyncio.run(main())

From the command line (INPUT is read here and uploaded, so the server needs no access to it; the
result is written to OUTPUT, whose extension chooses png, jpg or webp)::

    python3 scripts/pixelbus_client.py --port 7000 adaptive input.jpg out.png
    python3 scripts/pixelbus_client.py adaptive input.jpg out.png --param method=mean --param blockSize=15
    python3 scripts/pixelbus_client.py threshold input.jpg otsu.png --param otsu=true
    python3 scripts/pixelbus_client.py info input.jpg                  # prints the JSON reply
    python3 scripts/pixelbus_client.py faces input.jpg                 # prints the JSON reply
    python3 scripts/pixelbus_client.py faces input.jpg boxes.jpg       # ... and writes the boxes drawn
    python3 scripts/pixelbus_client.py batch /srv/in run1 --param op=adaptive --param c=4
                                       # folders are the server's; prints progress, then the summary
    python3 scripts/pixelbus_client.py fetch https://example.com/a.png https://example.com/b.png run1
    python3 scripts/pixelbus_client.py stats | echo-stats | ping
    python3 scripts/pixelbus_client.py --remote grayscale /srv/in/a.png a_gray.png   # server paths
    PIXELBUS_HTTP_SOURCES_SIGNING_KEYS=$KEY python3 scripts/pixelbus_client.py sign \
        '/v1/images/resize?url=https%3A%2F%2Fexample.com%2Fa.jpg&width=300' --base https://img.example.com

Signed GET URLs for ``<img src>`` (no connection needed): ``sign(key, target)`` appends ``&sig=``, and
``image_url("resize", "https://example.com/a.jpg", key=KEY, base="https://img.example.com", width=300)``
builds the whole URL.

A server with ``auth.tokens`` wants one on every frame: the command line takes it from $PIXELBUS_TOKEN
(never from an argument, which other users could read in the process list); as a library,
``PixelbusClient(host, port, token=...)``.

``--tls`` connects with TLS (``--cafile CA.pem`` to trust a CA of your own); as a library,
``PixelbusClient(host, port, ssl=ssl.create_default_context(cafile=...))``, and ``reconnect=True``
connects again with backoff when the connection is lost, registering again every subscription.

``--param NAME=VALUE`` values are read as JSON when they parse (numbers, true/false, [30, 30]) and as
strings otherwise. For batch, ``op``, ``workers``, ``format`` and ``quality`` are the request's own
fields and the rest go into its ``params``; for fetch, ``concurrency`` and ``overwrite``.
``--host``/``--port`` default to $PIXELBUS_HOST (127.0.0.1) and $PIXELBUS_BRIDGE_PORT (7000).

Exit codes: 0 ok; 1 the request failed (printed as ``pixelbus: CODE MESSAGE``, CODE being the
pixelbus error code: 400 bad parameters, 403 path outside the roots or an address the bridge refuses,
404 no such file, 413 too large, 415 not an image, 500, 503 busy; -1 an event-bus timeout);
2 cannot connect, or a usage error.

Notes on the bridge:
- A failed request comes back as ``{"type": "err", "address": REPLY_ADDRESS, "sourceAddress": ...,
  "failureCode": 415, "failureType": "RECIPIENT_FAILURE", "message": ...}``. An address the bridge
  refuses gets ``{"type": "err", "message": "access_denied"}`` with no address at all, so the client
  follows every send/register with a ``ping``: the bridge answers frames in order, so an address-less
  err that arrives before that ping's pong belongs to that send (raised as ``PixelbusError(403,
  "access_denied")``).
- The request timeout is also sent as the ``timeout`` header, which the bridge uses as the event-bus
  send timeout (its default is 30 s): a reply that takes longer fails with failureCode -1,
  failureType TIMEOUT.
- An image in a reply (``image``) is URL-safe base64 without padding (Vert.x's encoding of bytes);
  the convenience methods return it decoded, as bytes.
- Progress events (pixelbus.image.batch.progress, pixelbus.fetch.progress) are published for every
  batch or fetch on the server; the callback sees them all (the ``jobId`` in the final reply
  tells which one was this request's).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import inspect
import hashlib
import hmac
import itertools
import json
import logging
import os
import random
import ssl as ssl_lib
import struct
import sys
import time
import urllib.parse
import uuid
from contextlib import asynccontextmanager

__all__ = ["PixelbusClient", "PixelbusError", "PixelbusTimeout", "PixelbusConnectionError", "encode_input",
           "decode_base64", "sign", "image_url"]

LOG = logging.getLogger("pixelbus_client")

DEFAULT_PORT = 7000
#: the largest frame the client accepts from the server (a reply's base64 image is the big part)
DEFAULT_MAX_FRAME = 64 << 20
#: the largest frame the client sends: the bridge's own default limit (bridge.maxFrameBytes)
DEFAULT_MAX_SEND_FRAME = 32 << 20
DEFAULT_MAX_IN_FLIGHT = 1024
DEFAULT_TIMEOUT = 60.0
DEFAULT_LONG_TIMEOUT = 3600.0  # batch and fetch: the reply comes when the whole job is done
#: how much longer the client waits than the server's event-bus timeout, so the server's answer wins
GRACE = 2.0

ADDRESS_PREFIX = "pixelbus."
BATCH_PROGRESS = "pixelbus.image.batch.progress"
OPS_ADDRESS = "pixelbus.image.ops"
FETCH_PROGRESS = "pixelbus.fetch.progress"

_HEADER = struct.Struct(">I")


def _frame(obj) -> bytes:
    data = json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return _HEADER.pack(len(data)) + data


_PING = _frame({"type": "ping"})


class PixelbusError(Exception):
    """A request that failed: ``code`` is the pixelbus code (400, 403, 404, 413, 415, 500, 503; -1 for
    an event-bus failure such as a timeout), ``message`` says why, ``failure_type`` is the event bus's
    (RECIPIENT_FAILURE, TIMEOUT, NO_HANDLERS) when there is one, ``address`` the address asked and
    ``frame`` the bridge's err frame as received (None when the error was raised here)."""

    def __init__(self, code, message, *, failure_type=None, address=None, frame=None):
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.failure_type = failure_type
        self.address = address
        self.frame = frame

    def __str__(self):
        return f"{self.code} {self.message}"


class PixelbusTimeout(PixelbusError, TimeoutError):
    """No reply in time: from the server (failureType TIMEOUT) or from the client's own wait."""


class PixelbusConnectionError(PixelbusError, ConnectionError):
    """The connection is closed or was lost while the request waited."""


def _camel(name: str) -> str:
    """block_size -> blockSize, so that Python callers may use either spelling."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _params(params: dict) -> dict:
    return {_camel(k): v for k, v in params.items() if v is not None}


def encode_input(value):
    """The request's ``input``: bytes (and bytearray, memoryview) are sent as ``{"bytes": BASE64}``;
    a str or os.PathLike is a path on the server; a dict is passed as it is."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return value
    return os.fspath(value)


def sign(key: str, target: str) -> str:
    """``target`` (a path and query as it will be sent: ``/v1/images/resize?url=...&width=300``) with
    ``&sig=`` appended: URL-safe base64 without padding of HMAC-SHA256(key, target), as the server checks it
    (``http.sources.signingKeys``). ``sig`` must stay the last parameter."""
    if "?sig=" in target or "&sig=" in target:
        raise ValueError("the target is signed already (it holds sig=)")
    digest = hmac.new(key.encode("utf-8"), target.encode("utf-8"), hashlib.sha256).digest()
    return target + ("&" if "?" in target else "?") + "sig=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def image_url(op: str, source: str, *, key: str | None = None, base: str = "", **params) -> str:
    """The GET URL of ``op`` on the image at ``source``: ``base + /v1/images/OP?url=SOURCE&NAME=VALUE...``,
    the source and values percent-encoded, signed with ``key`` when given. A ``steps`` list (for the
    pipeline) is sent as JSON.

        image_url("resize", "https://example.com/a.jpg", key=KEY, base="https://img.example.com", width=300)
    """
    query = [("url", source)]
    for name, value in _params(params).items():
        if isinstance(value, (list, dict)):
            value = json.dumps(value, separators=(",", ":"))
        elif isinstance(value, bool):
            value = "true" if value else "false"
        query.append((name, str(value)))
    target = f"/v1/images/{op}?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote, safe="")
    return base.rstrip("/") + (sign(key, target) if key else target)


def decode_base64(text: str) -> bytes:
    """Vert.x encodes bytes in JSON as URL-safe base64 without padding; this reads that and the
    standard alphabet, padded or not."""
    text = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


class PixelbusClient:
    """One connection to the bridge; use ``async with PixelbusClient(host, port) as pb:``.

    ``max_in_flight`` requests wait for their replies at once (more wait here for a slot; the bridge
    allows 4,096 per connection). ``timeout`` is the default for request(); batch() and fetch() default to an hour. ``max_frame``
    limits what is accepted from the server (a bigger frame fails every pending request and closes the
    connection); ``max_send_frame`` what is sent (a bigger request raises PixelbusError(413) here,
    before anything is written, instead of having the bridge close the connection).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, timeout: float | None = DEFAULT_TIMEOUT,
                 connect_timeout: float = 10.0, max_frame: int = DEFAULT_MAX_FRAME,
                 max_send_frame: int = DEFAULT_MAX_SEND_FRAME, max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
                 ssl=None, server_hostname: str | None = None, reconnect: bool = False,
                 backoff: tuple[float, float] = (0.1, 10.0), token: str | None = None):
        """``ssl``: None for plain TCP, True for TLS with the system's CA certificates, or an
        ``ssl.SSLContext`` (``ssl.create_default_context(cafile=...)``, say). ``reconnect``: when the
        connection is lost, connect again with exponential backoff between ``backoff[0]`` and
        ``backoff[1]`` seconds (with jitter), and register again every subscription. Requests that were
        waiting when it broke fail with PixelbusConnectionError (they may or may not have run: the
        bridge is at most once); requests made while it reconnects wait for it, within their timeout.
        ``token``: one of the server's ``auth.tokens``, sent on every send, publish and register as
        ``headers.authorization = "Bearer TOKEN"`` (a wrong or missing one raises PixelbusError(401))."""
        self.host = host
        self._auth = {"authorization": "Bearer " + token} if token else {}
        self.port = port
        self.ssl = ssl
        self.server_hostname = server_hostname
        self.reconnect = reconnect
        self.backoff = backoff
        self._closing = False
        self._reconnect_task: asyncio.Task | None = None
        self._up = asyncio.Event()
        self.reconnects = 0
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.max_frame = max_frame
        self.max_send_frame = max_send_frame
        self._reader = None
        self._writer = None
        self._reader_task = None
        self._write_lock = asyncio.Lock()
        self._ops = None  # the server's table of operations, read on first use
        self._prefix = f"pixelbus.client.{uuid.uuid4().hex}"
        self._ids = itertools.count(1)
        self._replies: dict[str, asyncio.Future] = {}
        # one future per frame followed by a ping, in the order written: resolved by the pong, failed by
        # an address-less err (access_denied, ...) that arrives before it
        self._acks: collections.deque[asyncio.Future] = collections.deque()
        self._handlers: dict[str, list] = {}
        self._registrations: dict[str, asyncio.Future] = {}
        self._closed_error: PixelbusError | None = None
        self._handler_tasks: set[asyncio.Task] = set()
        # the server answers a request past its 4,096 waiting per connection with an error that names no
        # request; past this many, request() waits for a slot instead
        self._slots = asyncio.Semaphore(max_in_flight)

    # -- connection -------------------------------------------------------------------------------

    async def connect(self) -> "PixelbusClient":
        """Opens the connection (OSError or TimeoutError when it cannot be made)."""
        if self._writer is not None:
            return self
        self._closing = False
        await self._open()
        return self

    async def _open(self) -> None:
        kwargs = {}
        if self.ssl is not None and self.ssl is not False:
            kwargs["ssl"] = self.ssl
            if self.server_hostname is not None:
                kwargs["server_hostname"] = self.server_hostname
        self._reader, self._writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port, **kwargs), self.connect_timeout)
        self._closed_error = None
        self._reader_task = asyncio.get_running_loop().create_task(self._read_loop(), name="pixelbus-reader")
        self._up.set()

    async def _reconnect_loop(self) -> None:
        """Connects again, with backoff, until it works or the client is closed; then registers again
        every address that has handlers."""
        delay = self.backoff[0]
        while not self._closing:
            await asyncio.sleep(delay * (0.5 + random.random()))
            try:
                await self._open()
            except (OSError, asyncio.TimeoutError) as e:
                LOG.info("pixelbus: reconnect to %s:%s failed (%s); next try within %.1f s", self.host, self.port, e,
                         min(self.backoff[1], delay * 2))
                delay = min(self.backoff[1], delay * 2)
                continue
            self.reconnects += 1
            LOG.info("pixelbus: reconnected to %s:%s", self.host, self.port)
            for address in list(self._handlers):
                try:
                    await self._register(address)
                except PixelbusError as e:
                    LOG.warning("pixelbus: could not register %s again: %s", address, e)
            return

    async def _ready(self, timeout: float | None) -> None:
        """While reconnecting, waits for the connection, within ``timeout`` seconds."""
        if self._closed_error is not None and self.reconnect and not self._closing:
            try:
                await asyncio.wait_for(self._up.wait(), timeout)
            except asyncio.TimeoutError:
                raise PixelbusTimeout(-1, f"not connected again within {timeout} s") from None

    async def close(self) -> None:
        """Closes the connection; requests still waiting fail with PixelbusConnectionError."""
        self._closing = True
        if self._reconnect_task is not None:
            self._reconnect_task.cancel()
            self._reconnect_task = None
        writer, self._writer = self._writer, None
        if writer is None:
            return
        self._fail_all(PixelbusConnectionError(503, "the client closed the connection"))
        if self._reader_task is not None:
            self._reader_task.cancel()
            try:
                await self._reader_task
            except (asyncio.CancelledError, Exception):
                pass
            self._reader_task = None
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass
        for task in list(self._handler_tasks):
            task.cancel()

    async def __aenter__(self) -> "PixelbusClient":
        return await self.connect()

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @property
    def connected(self) -> bool:
        return self._writer is not None and self._closed_error is None

    def _check_open(self) -> None:
        if self._closed_error is not None:
            raise self._closed_error
        if self._writer is None:
            raise PixelbusConnectionError(503, "not connected (use async with PixelbusClient(...) or connect())")

    async def _write(self, data: bytes, ack: asyncio.Future | None) -> None:
        """Writes a frame (with the ping after it when ack is given). The ack joins the queue in the
        same step as the bytes join the socket's buffer, so the two orders always agree."""
        self._check_open()
        if ack is not None:
            self._acks.append(ack)
            data += _PING
        self._writer.write(data)
        async with self._write_lock:
            try:
                await self._writer.drain()
            except (ConnectionError, OSError) as e:
                # the server may have said why before it closed (413 frame too large, 503 shutting
                # down): give the reader a moment to read it
                if self._reader_task is not None and not self._reader_task.done():
                    await asyncio.wait({self._reader_task}, timeout=1.0)
                self._fail_all(PixelbusConnectionError(503, f"connection lost: {e}"))
                raise self._closed_error from e

    def _encode(self, obj) -> bytes:
        data = _frame(obj)
        if len(data) - 4 > self.max_send_frame:
            raise PixelbusError(413, f"the request is a frame of {len(data) - 4} bytes, over the limit of "
                                     f"{self.max_send_frame} bytes (max_send_frame, the bridge's maxFrameBytes)",
                                address=obj.get("address"))
        return data

    # -- reading ----------------------------------------------------------------------------------

    async def _read_loop(self) -> None:
        err = PixelbusConnectionError(503, "the server closed the connection")
        try:
            while True:
                head = await self._reader.readexactly(4)
                (length,) = _HEADER.unpack(head)
                if length > self.max_frame:
                    err = PixelbusError(413, f"the server sent a frame of {length} bytes, over the limit of "
                                             f"{self.max_frame} bytes (max_frame)")
                    break
                payload = await self._reader.readexactly(length)
                try:
                    msg = json.loads(payload)
                except ValueError as e:
                    err = PixelbusConnectionError(502, f"the server sent a frame that is not JSON: {e}")
                    break
                if isinstance(msg, dict):
                    stop = self._dispatch(msg)
                    if stop is not None:
                        err = stop
                        break
        except asyncio.IncompleteReadError:
            pass
        except asyncio.CancelledError:
            raise
        except (ConnectionError, OSError) as e:
            err = PixelbusConnectionError(503, f"connection lost: {e}")
        except Exception as e:  # a frame of an unexpected shape: fail what waits rather than leave it hanging
            err = PixelbusConnectionError(502, f"bad frame from the server: {e!r}")
        self._fail_all(err)
        if self._writer is not None:
            self._writer.close()
        if self.reconnect and not self._closing and isinstance(err, PixelbusConnectionError):
            self._up.clear()
            self._reconnect_task = asyncio.get_running_loop().create_task(self._reconnect_loop(),
                                                                         name="pixelbus-reconnect")

    def _dispatch(self, msg: dict):
        kind = msg.get("type")
        address = msg.get("address")
        if kind == "message":
            fut = self._replies.pop(address, None)
            if fut is not None:
                if not fut.done():
                    fut.set_result(msg.get("body"))
                return None
            for handler in list(self._handlers.get(address, ())):
                self._call(handler, msg.get("body"), address)
            return None  # else a late reply after a timeout: dropped
        if kind == "pong":
            if self._acks:
                ack = self._acks.popleft()
                if not ack.done():
                    ack.set_result(None)
            return None
        if kind == "err":
            if address is not None:  # a failed request: the reply address we chose
                fut = self._replies.pop(address, None)
                if fut is not None and not fut.done():
                    code = msg.get("failureCode", msg.get("code", -1))
                    cls = PixelbusTimeout if msg.get("failureType") == "TIMEOUT" else PixelbusError
                    fut.set_exception(cls(code, msg.get("message", ""), failure_type=msg.get("failureType"),
                                          address=msg.get("sourceAddress"), frame=msg))
                return None
            if "code" in msg:
                # from pixelbus's own front, not in order with the bridge: 413 frame too large and 503
                # shutting down close the connection; 400 malformed JSON cannot come from this client
                error = PixelbusConnectionError(msg["code"], msg.get("message", ""), frame=msg)
                if msg["code"] in (413, 503):
                    return error
                LOG.warning("pixelbus bridge: %s", error)
                return None
            # access_denied, unknown_address, ...: answers the oldest frame still waiting for its pong
            if self._acks and not self._acks[0].done():
                text = msg.get("message", "")
                code = 403 if text == "access_denied" else 400
                self._acks[0].set_exception(PixelbusError(code, text, frame=msg))
            else:
                LOG.warning("pixelbus bridge: unexpected err frame %s", msg)
            return None
        return None

    def _call(self, handler, body, address) -> None:
        try:
            result = handler(body)
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._handler_tasks.add(task)
                task.add_done_callback(self._handler_tasks.discard)
        except Exception:
            LOG.exception("pixelbus: the handler for %s failed", address)

    def _fail_all(self, err: PixelbusError) -> None:
        if self._closed_error is None:
            self._closed_error = err
        self._registrations.clear()  # per connection: a new one registers again
        replies, self._replies = self._replies, {}
        for fut in replies.values():
            if not fut.done():
                fut.set_exception(err)
        while self._acks:
            ack = self._acks.popleft()
            if not ack.done():
                ack.set_exception(err)
                ack.exception()  # retrieved here: nobody may wait for a failed request's ack

    # -- requests ---------------------------------------------------------------------------------

    async def request(self, address: str, body: dict | None = None, *, timeout: float | None = ...,
                      headers: dict | None = None):
        """Sends body to address and returns the reply's body; a failure raises PixelbusError
        (PixelbusTimeout when no reply came within timeout seconds; None waits for ever, and leaves the
        bridge's own 30 s default)."""
        if timeout is ...:
            timeout = self.timeout
        async with self._slots:
            return await self._request(address, body, timeout, headers)

    async def _request(self, address: str, body: dict | None, timeout: float | None, headers: dict | None):
        reply_address = f"{self._prefix}.{next(self._ids)}"
        hdrs = {k: (v if k == "timeout" else str(v)) for k, v in (headers or {}).items()}
        hdrs.update(self._auth)
        if timeout is not None:
            hdrs.setdefault("timeout", max(1, int(timeout * 1000)))
        data = self._encode({"type": "send", "address": address, "replyAddress": reply_address,
                             "headers": hdrs, "body": {} if body is None else body})
        await self._ready(timeout)
        self._check_open()
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        ack = loop.create_future()

        def acked(a: asyncio.Future) -> None:
            if not a.cancelled() and a.exception() is not None and not fut.done():
                e = a.exception()
                if e.address is None:
                    e.address = address
                fut.set_exception(e)
                self._replies.pop(reply_address, None)

        ack.add_done_callback(acked)
        self._replies[reply_address] = fut
        try:
            await self._write(data, ack)
            if timeout is None:
                return await fut
            try:
                return await asyncio.wait_for(fut, timeout + GRACE)
            except asyncio.TimeoutError as e:
                if isinstance(e, PixelbusError):  # the server's TIMEOUT: PixelbusTimeout is a TimeoutError
                    raise
                raise PixelbusTimeout(-1, f"no reply from {address} within {timeout:g} s", failure_type="TIMEOUT",
                                      address=address) from None
        finally:
            self._replies.pop(reply_address, None)
            if fut.done() and not fut.cancelled():
                fut.exception()  # marks it retrieved: a failure raised another way warns no more

    async def send(self, address: str, body: dict | None = None, *, publish: bool = False) -> None:
        """Sends (or publishes) without waiting for a reply; raises PixelbusError(403) when the bridge
        refuses the address."""
        ack = asyncio.get_running_loop().create_future()
        await self._write(self._encode({"type": "publish" if publish else "send", "address": address,
                                        "headers": dict(self._auth), "body": {} if body is None else body}), ack)
        await asyncio.wait_for(ack, self.timeout)

    async def ping(self, timeout: float | None = ...) -> float:
        """A ping to the bridge; returns the round trip in seconds."""
        if timeout is ...:
            timeout = self.timeout
        start = time.perf_counter()
        ack = asyncio.get_running_loop().create_future()
        await self._write(b"", ack)
        try:
            await asyncio.wait_for(ack, timeout)
        except asyncio.TimeoutError:
            raise PixelbusTimeout(-1, f"no pong within {timeout:g} s", failure_type="TIMEOUT") from None
        return time.perf_counter() - start

    # -- subscriptions ----------------------------------------------------------------------------

    async def subscribe(self, address: str, handler) -> None:
        """Calls handler(body) (a function or a coroutine function) for every message published on
        address, once the bridge has registered it (PixelbusError(403) when it refuses)."""
        handlers = self._handlers.setdefault(address, [])
        handlers.append(handler)
        registration = self._registrations.get(address)
        if registration is None:
            await self._ready(self.timeout)
            try:
                registration = await self._register(address)
            except BaseException:
                handlers.remove(handler)
                if not handlers:
                    self._handlers.pop(address, None)
                raise
        try:
            await asyncio.wait_for(asyncio.shield(registration), self.timeout)
        except BaseException:
            if handler in handlers:
                handlers.remove(handler)
            if not handlers:
                self._handlers.pop(address, None)
                if self._registrations.get(address) is registration and registration.done():
                    self._registrations.pop(address, None)
            raise

    async def _register(self, address: str) -> asyncio.Future:
        """Sends the register frame; the future is the bridge's answer (its pong, or its refusal)."""
        registration = asyncio.get_running_loop().create_future()
        self._registrations[address] = registration
        try:
            await self._write(self._encode({"type": "register", "address": address, "headers": dict(self._auth)}),
                              registration)
        except BaseException:
            self._registrations.pop(address, None)
            raise
        return registration

    async def unsubscribe(self, address: str, handler) -> None:
        handlers = self._handlers.get(address)
        if not handlers or handler not in handlers:
            return
        handlers.remove(handler)
        if handlers:
            return
        del self._handlers[address]
        self._registrations.pop(address, None)
        if not self.connected:
            return
        ack = asyncio.get_running_loop().create_future()
        try:
            await self._write(self._encode({"type": "unregister", "address": address}), ack)
            await asyncio.wait_for(ack, self.timeout)
        except (PixelbusError, asyncio.TimeoutError) as e:
            LOG.debug("pixelbus: unregister %s: %s", address, e)

    @asynccontextmanager
    async def subscription(self, address: str, handler):
        """``async with pb.subscription(address, handler):`` subscribed inside the block."""
        await self.subscribe(address, handler)
        try:
            yield self
        finally:
            await self.unsubscribe(address, handler)

    # -- the pixelbus addresses -------------------------------------------------------------------

    async def ops(self, *, timeout=..., refresh: bool = False) -> dict:
        """The table of operations (pixelbus.image.ops, the same JSON as GET /v1/ops): {ops: [{name, address,
        summary, params: [{name, type, default?, choices?, rule?, help, ...}], reply, answersJson}], common,
        pipeline}. Read once per client; every image method comes from it."""
        if self._ops is None or refresh:
            self._ops = await self.request(OPS_ADDRESS, {}, timeout=timeout)
        return self._ops

    async def op(self, name: str, *, timeout=...) -> dict:
        """One operation of the table (or the pipeline's entry); PixelbusError 400 for a name it does not list."""
        table = await self.ops(timeout=timeout)
        for entry in table["ops"] + [table["pipeline"]]:
            if entry["name"] == name:
                return entry
        names = [o["name"] for o in table["ops"]] + [table["pipeline"]["name"]]
        raise PixelbusError(400, f"unknown op {name!r}: the server's operations are {names}")

    async def apply(self, op: str, input, output=None, *, format=None, quality=None, timeout=..., **params) -> dict:
        """Runs the operation named op of the server's table on input (bytes, or a path on the server), with its
        parameters as keyword arguments, named as in the table. Without output (a path under the server's output
        root) an operation that makes an image answers it as bytes in reply["image"] (format png, jpg or webp).
        For the pipeline, steps=[{"op": "resize", "width": 800}, "grayscale", ...]."""
        body = {"input": encode_input(input)}
        if output is not None:
            body["output"] = os.fspath(output)
        if format is not None:
            body["format"] = format
        if quality is not None:
            body["quality"] = quality
        body.update(_params(params))
        address = (await self.op(op, timeout=timeout))["address"]
        reply = await self.request(address, body, timeout=timeout)
        if isinstance(reply, dict) and isinstance(reply.get("image"), str):
            reply["image"] = decode_base64(reply["image"])
        return reply

    async def pipeline(self, input, steps, output=None, *, format=None, quality=None, timeout=...) -> dict:
        """steps: [{"op": "resize", "width": 800}, "grayscale", ...], at most 16; one decode, one encode."""
        name = (await self.ops(timeout=timeout))["pipeline"]["name"]
        return await self.apply(name, input, output, format=format, quality=quality, timeout=timeout, steps=list(steps))

    def __getattr__(self, name: str):
        """pb.resize(data, width=800): any operation of the server's table, as a method (see apply)."""
        if name.startswith("_"):
            raise AttributeError(name)

        async def call(input, output=None, **kwargs):
            return await self.apply(name, input, output, **kwargs)
        call.__name__ = name
        return call

    async def stats(self, *, timeout=...) -> dict:
        return await self.request("pixelbus.image.stats", {}, timeout=timeout)

    async def echo_stats(self, *, timeout=...) -> dict:
        return await self.request("pixelbus.echo.stats", {}, timeout=timeout)

    async def batch(self, input_dir, output_dir=None, op: str = "adaptive", *, progress=None, workers=None,
                    format=None, quality=None, job_id: str | None = None,
                    timeout: float | None = DEFAULT_LONG_TIMEOUT, **params) -> dict:
        """A whole folder on the server: {images, succeeded, failedCount, failed, seconds,
        imagesPerSecond, jobId, cancelled, ...}. progress(event) sees this job's events on
        pixelbus.image.batch.progress while it runs; job_id names the job (for cancel_batch), else
        one is made up."""
        body = {"inputDir": os.fspath(input_dir), "op": op, "params": _params(params)}
        if output_dir is not None:
            body["outputDir"] = os.fspath(output_dir)
        for key, value in (("workers", workers), ("format", format), ("quality", quality)):
            if value is not None:
                body[key] = value
        return await self._job(BATCH_PROGRESS, progress, "pixelbus.image.batch", body, job_id, timeout)

    async def fetch(self, urls, dir, *, progress=None, concurrency=None, overwrite=None, job_id: str | None = None,
                    timeout: float | None = DEFAULT_LONG_TIMEOUT, input_file: str | None = None, **options) -> dict:
        """Downloads urls into dir (under the server's fetch root): {files, failed, bytes, seconds,
        cancelled, notFetched, refused, jobId}. A URL is a string or {url, out?, checksum?, headers?};
        input_file is the text of a list in aria2's input format. The job's options go as keyword
        arguments named as on the bus: continue_=True (resume), ifModified, maxPerHost, limitRate
        (bytes a second), headers={...}. progress(event) sees this job's events on
        pixelbus.fetch.progress; job_id names the job (for cancel_fetch), else one is made up."""
        body = {"urls": [urls] if isinstance(urls, (str, dict)) else list(urls or []), "dir": os.fspath(dir)}
        if not body["urls"]:
            del body["urls"]
        if input_file is not None:
            body["inputFile"] = input_file
        if concurrency is not None:
            body["concurrency"] = concurrency
        if overwrite is not None:
            body["overwrite"] = overwrite
        for key, value in options.items():
            body["continue" if key == "continue_" else key] = value
        return await self._job(FETCH_PROGRESS, progress, "pixelbus.fetch", body, job_id, timeout)

    async def cancel_batch(self, job_id: str, *, timeout=...) -> dict:
        """Stops a running batch; its summary so far, with cancelled: true (PixelbusError 404 if none runs)."""
        return await self.request("pixelbus.image.batch.cancel", {"jobId": job_id}, timeout=timeout)

    async def cancel_fetch(self, job_id: str, *, timeout=...) -> dict:
        """Stops a running fetch job; its summary so far, with cancelled: true and notFetched."""
        return await self.request("pixelbus.fetch.cancel", {"jobId": job_id}, timeout=timeout)

    async def folders(self, *, timeout=...) -> dict:
        """The folders a batch may be asked of: {folders: [{dir, images}], truncated}."""
        return await self.request("pixelbus.image.folders", {}, timeout=timeout)

    async def _job(self, progress_address, progress, address, body, job_id, timeout):
        body["jobId"] = job_id or uuid.uuid4().hex
        if progress is None:
            return await self.request(address, body, timeout=timeout)

        def own(event):  # every running job publishes on the same address
            if event.get("jobId") == body["jobId"]:
                return progress(event)

        async with self.subscription(progress_address, own):
            return await self.request(address, body, timeout=timeout)


# -- command line ---------------------------------------------------------------------------------

#: the commands of the command line that are not image operations (those come from the server's table)
COMMANDS = ("batch", "fetch", "stats", "echo-stats", "ping", "ops")
FORMATS = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".webp": "webp"}


class UsageError(Exception):
    pass


def _parse_params(items) -> dict:
    params = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param takes NAME=VALUE, not {item!r}")
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params


def _parse_step(text: str):
    """A --step: OP, OP:NAME=VALUE,... (VALUE JSON when it parses) or the step's JSON object."""
    text = text.strip()
    if text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError as e:
            raise UsageError(f"--step {text!r} is not JSON: {e}") from None
    op, sep, rest = text.partition(":")
    step = {"op": op.strip()}
    depth, start, parts = 0, 0, []
    for i, c in enumerate(rest):  # split at the commas outside [...] and {...}
        depth += c in "[{"
        depth -= c in "]}"
        if c == "," and depth == 0:
            parts.append(rest[start:i])
            start = i + 1
    parts.append(rest[start:])
    step.update(_parse_params(p for p in parts if p.strip()))
    return step


def _format_of(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise UsageError(f"cannot tell the format of {path!r} from its extension (use .png, .jpg, .jpeg or .webp)")
    return FORMATS[ext]


def _read_input(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None


def _print_json(obj) -> None:
    print(json.dumps(obj, indent=2))


def _progress_printer(kind: str):
    def show(event: dict) -> None:
        if kind == "batch":
            total = event.get("listed")
            total = f"{total}" if event.get("listingDone") else f"{total}+"
            line = (f"progress: batch {str(event.get('jobId', '?'))[:8]} {event.get('done')}/{total} done, "
                    f"{event.get('failed')} failed, {event.get('seconds', 0):.2f} s")
        else:
            line = (f"progress: fetch {str(event.get('id', '?'))[:8]} {event.get('done')}/{event.get('total')} done, "
                    f"{event.get('failed')} failed, {event.get('bytes')} bytes, {event.get('seconds', 0):.2f} s")
        print(line + (" (finished)" if event.get("finished") else ""), flush=True)
    return show


async def _run(args, params: dict) -> int:
    op, operands = args.op, args.operands

    def need(low, high, usage):
        if not low <= len(operands) <= high:
            raise UsageError(f"usage: {op} {usage}")

    # check the operands (and read the input) before connecting; an image operation is checked against the
    # server's table once connected
    data = None
    if op == "batch":
        need(1, 2, "IN_DIR [OUT_DIR] [--param op=adaptive ...] (folders on the server)")
    elif op == "fetch":
        need(2, 10**9, "URL [URL ...] DIR")
    elif op in COMMANDS:
        need(0, 0, "")
    else:
        need(1, 2, "INPUT [OUTPUT]")
        if not args.remote:
            data = _read_input(operands[0])
        output = operands[1] if len(operands) > 1 else None
        if output is not None and output != "-" and not args.remote:
            params.setdefault("format", _format_of(output))

    tls = None
    if args.tls or args.cafile:
        tls = ssl_lib.create_default_context(cafile=args.cafile)
    pb = PixelbusClient(args.host, args.port, timeout=args.timeout, max_frame=args.max_frame, ssl=tls,
                        token=os.environ.get("PIXELBUS_TOKEN") or None)
    try:
        await pb.connect()
    except (OSError, asyncio.TimeoutError) as e:
        print(f"pixelbus: cannot connect to {args.host}:{args.port}: {e or 'timed out'}", file=sys.stderr)
        return 2
    async with pb:
        if op == "ping":
            print(f"pong from {args.host}:{args.port} in {await pb.ping() * 1000:.2f} ms")
        elif op == "stats":
            _print_json(await pb.stats())
        elif op == "echo-stats":
            _print_json(await pb.echo_stats())
        elif op == "ops":
            _print_ops(await pb.ops())
        elif op == "batch":
            fields = {k: params.pop(k) for k in ("op", "workers", "format", "quality") if k in params}
            reply = await pb.batch(operands[0], operands[1] if len(operands) > 1 else None,
                                   fields.pop("op", "adaptive"), progress=_progress_printer("batch"),
                                   timeout=args.timeout if args.timeout_given else DEFAULT_LONG_TIMEOUT,
                                   **fields, **params)
            print(f"batch {reply.get('jobId', '?')}: {reply.get('images')} images, {reply.get('failedCount', 0)} "
                  f"failed in {reply.get('seconds', 0):.3f} s ({reply.get('imagesPerSecond')} images/s)")
            _print_json(reply)
        elif op == "fetch":
            reply = await pb.fetch(operands[:-1], operands[-1], progress=_progress_printer("fetch"),
                                   timeout=args.timeout if args.timeout_given else DEFAULT_LONG_TIMEOUT, **params)
            print(f"fetch: {len(reply.get('files', []))} files, {len(reply.get('failed', []))} failed, "
                  f"{reply.get('bytes')} bytes in {reply.get('seconds', 0):.3f} s")
            _print_json(reply)
        else:
            return await _image(pb, args, op, operands, data, params)
    return 0


async def _image(pb, args, op, operands, data, params) -> int:
    """An operation of the server's table (or the pipeline) on INPUT, the result written to OUTPUT."""
    try:
        entry = await pb.op(op)
    except PixelbusError as e:
        if e.code != 400:
            raise  # 401 without a token, 503 with no image part: the request failed, as any other would
        raise UsageError(f"unknown command or operation {op!r}: {e.message}") from None
    table = await pb.ops()
    source = operands[0] if args.remote else data
    output = operands[1] if len(operands) > 1 else None
    if output is None and entry.get("answersJson"):
        # Nothing to write: ask for the findings only (faces draws no boxes).
        for p in entry["params"]:
            if p["type"] == "boolean" and p["name"] == "draw":
                params.setdefault("draw", False)
    remote_output = output if args.remote else None
    if op == table["pipeline"]["name"]:
        if not args.step:
            raise UsageError("pipeline needs its steps: --step OP[:NAME=VALUE,...] (repeat it, in order)")
        reply = await pb.pipeline(source, [_parse_step(s) for s in args.step], remote_output, **params)
    else:
        reply = await pb.apply(op, source, remote_output, **params)
    image = reply.pop("image", None) if isinstance(reply, dict) else None
    if image is not None and output is not None and not args.remote:
        if output == "-":
            sys.stdout.buffer.write(image)
            sys.stdout.buffer.flush()
        else:
            try:
                with open(output, "wb") as f:
                    f.write(image)
            except OSError as e:
                print(f"pixelbus: cannot write {output}: {e.strerror or e}", file=sys.stderr)
                return 1
    elif image is not None:
        reply["imageBytes"] = len(image)
    to = sys.stderr if output == "-" else sys.stdout
    # What the operations found beyond the image's own fields: a number goes on the summary line, anything
    # else (faces, a crop, what info saw) means the JSON is the answer.
    found = {k: v for k, v in reply.items() if k not in IMAGE_FIELDS}
    if image is None and output is None or any(not isinstance(v, (int, float)) for v in found.values()):
        print(json.dumps(reply, indent=2), file=to)
    else:
        where = reply.get("output") or output
        extra = "".join(f", {k} {v:g}" for k, v in found.items())
        written = f" -> {'stdout' if where == '-' else where}" if where else ""
        size = f" ({len(image)} bytes {reply.get('outputFormat') or params.get('format', 'png')})" \
            if image is not None else ""
        print(f"{op}: {reply.get('width')}x{reply.get('height')} {reply.get('format')}{written}{size}"
              f"{extra} in {reply.get('millis')} ms", file=to)
    return 0


#: the fields of every image reply; the others are what an operation found
IMAGE_FIELDS = {"width", "height", "format", "outputWidth", "outputHeight", "output", "image", "imageBytes",
                "outputFormat", "millis", "timings"}


def _print_ops(table: dict) -> None:
    """The server's operations and their parameters, one line each."""
    for entry in table["ops"]:
        print(f"{entry['name']:<10} {entry['summary']}")
        for p in entry["params"]:
            facts = p.get("rule") or (", ".join(p["choices"]) if "choices" in p else p["type"])
            default = f" = {p['default']}" if "default" in p else " (required)" if p.get("required") else ""
            print(f"    {p['name']:<14} {facts}{default}: {p['help']}")
    print(f"{table['pipeline']['name']:<10} {table['pipeline']['summary']}")


def _sign_command(operands, base) -> int:
    """``sign TARGET``: the key is the first of $PIXELBUS_HTTP_SOURCES_SIGNING_KEYS, the server's own variable
    (never an argument, which other users could read in the process list)."""
    keys = [k.strip() for k in os.environ.get("PIXELBUS_HTTP_SOURCES_SIGNING_KEYS", "").split(",") if k.strip()]
    if len(operands) != 1 or not operands[0].startswith("/v1/images/") or "url=" not in operands[0]:
        print("pixelbus: usage: sign '/v1/images/OP?url=SOURCE&...' [--base https://HOST] (the source URL encoded)",
              file=sys.stderr)
        return 2
    if not keys:
        print("pixelbus: no key: set PIXELBUS_HTTP_SOURCES_SIGNING_KEYS", file=sys.stderr)
        return 2
    try:
        print((base or "").rstrip("/") + sign(keys[0], operands[0]))
    except ValueError as e:
        print(f"pixelbus: {e}", file=sys.stderr)
        return 2
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="pixelbus_client.py",
        description="Talk to pixelbus over its TCP event-bus bridge.",
        epilog="commands: OP INPUT [OUTPUT] (OP: any operation the server lists, see `ops`) | pipeline INPUT [OUTPUT] "
               "--step OP[:NAME=VALUE,...] ... | ops | batch IN_DIR [OUT_DIR] | fetch URL... DIR | stats | echo-stats "
               "| ping | sign /v1/images/OP?url=... [--base URL] (key: $PIXELBUS_HTTP_SOURCES_SIGNING_KEYS).  Exit codes: 0 ok, 1 request failed, 2 cannot connect or usage.")
    parser.add_argument("--host", default=os.environ.get("PIXELBUS_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PIXELBUS_BRIDGE_PORT", DEFAULT_PORT)))
    parser.add_argument("--timeout", type=float, default=None,
                        help=f"seconds to wait for the reply (default {DEFAULT_TIMEOUT:g}; batch and fetch "
                             f"{DEFAULT_LONG_TIMEOUT:g})")
    parser.add_argument("--max-frame", type=int, default=DEFAULT_MAX_FRAME,
                        help="the largest frame accepted from the server, in bytes")
    parser.add_argument("--tls", action="store_true", help="connect with TLS (the system's CA certificates)")
    parser.add_argument("--cafile", help="connect with TLS, trusting the CA certificate(s) in this PEM file")
    parser.add_argument("--remote", action="store_true",
                        help="INPUT and OUTPUT are paths on the server (nothing is uploaded or written here)")
    parser.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", default=[],
                        help="a request parameter (repeatable); VALUE is JSON when it parses")
    parser.add_argument("--base", help="sign: print the URL with this scheme and host before the path")
    parser.add_argument("--step", action="append", metavar="STEP", default=[],
                        help="pipeline: a step, OP or OP:NAME=VALUE,... or its JSON (repeatable, in order)")
    parser.add_argument("op", help="an operation of the server's table (`ops` lists them), pipeline, or one of "
                                   + ", ".join(COMMANDS))
    parser.add_argument("operands", nargs="*")
    args = parser.parse_intermixed_args(argv)
    args.timeout_given = args.timeout is not None
    if args.op == "sign":
        return _sign_command(args.operands, args.base)
    if args.timeout is None:
        args.timeout = DEFAULT_TIMEOUT
    try:
        params = _parse_params(args.param)
        return asyncio.run(_run(args, params))
    except UsageError as e:
        print(f"pixelbus: {e}", file=sys.stderr)
        return 2
    except PixelbusError as e:
        print(f"pixelbus: {e.code} {e.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
