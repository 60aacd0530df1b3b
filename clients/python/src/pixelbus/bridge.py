"""The client: one connection to pixelbus's TCP event-bus bridge, any number of requests over it.

Each request gets its own reply address, and a reader task hands every reply to the request that waits for
it, so ``asyncio.gather`` of many requests needs one connection only.

Notes on the bridge, which explain the code below:

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
  batch or fetch on the server; batch() and fetch() pass their callback only their own job's events.
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import itertools
import json
import logging
import os
import random
import time
import uuid
from contextlib import asynccontextmanager

from .errors import PixelbusConnectionError, PixelbusError, PixelbusTimeout
from .wire import HEADER as _HEADER
from .wire import PING as _PING
from .wire import decode_base64, encode_input
from .wire import frame as _frame
from .wire import params as _params

LOG = logging.getLogger("pixelbus")

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
        """Opens the connection: PixelbusConnectionError when it is refused or cannot be made (the OSError
        that said why is its __cause__), asyncio.TimeoutError when it is not made within connect_timeout."""
        if self._writer is not None:
            return self
        self._closing = False
        try:
            await self._open()
        except (asyncio.TimeoutError, PixelbusError):
            raise
        except OSError as e:
            # one exception type for "no connection", whether refused, unreachable or a TLS handshake
            # refused; it is still an OSError, as before
            raise PixelbusConnectionError(503, f"cannot connect to {self.host}:{self.port}: {e}") from e
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
