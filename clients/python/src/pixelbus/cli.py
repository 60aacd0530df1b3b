"""The command line: ``pixelbus-client`` (the console script), ``python3 -m pixelbus``, and
``scripts/pixelbus_client.py`` in a checkout.

INPUT is read here and uploaded, so the server needs no access to it; the result is written to OUTPUT,
whose extension chooses png, jpg or webp::

    pixelbus-client --port 7000 adaptive input.jpg out.png
    pixelbus-client adaptive input.jpg out.png --param method=mean --param blockSize=15
    pixelbus-client threshold input.jpg otsu.png --param otsu=true
    pixelbus-client info input.jpg                  # prints the JSON reply
    pixelbus-client faces input.jpg                 # prints the JSON reply
    pixelbus-client faces input.jpg boxes.jpg       # ... and writes the boxes drawn
    pixelbus-client pipeline in.jpg out.png --step grayscale --step resize:width=800
    pixelbus-client batch /srv/in run1 --param op=adaptive --param c=4
                                       # folders are the server's; prints progress, then the summary
    pixelbus-client fetch https://example.com/a.png https://example.com/b.png run1
    pixelbus-client ops | stats | echo-stats | ping
    pixelbus-client --remote grayscale /srv/in/a.png a_gray.png   # server paths
    PIXELBUS_HTTP_SOURCES_SIGNING_KEYS=$KEY pixelbus-client sign \\
        '/v1/images/resize?url=https%3A%2F%2Fexample.com%2Fa.jpg&width=300' --base https://img.example.com

Every operation of the server's table (``ops``) is a command: the client names none itself, so an operation
the server adds needs no new client.

A server with ``auth.tokens`` wants one on every frame: it is read from $PIXELBUS_TOKEN (never from an
argument, which other users could read in the process list); ``sign`` reads its key the same way, from the
server's own variable $PIXELBUS_HTTP_SOURCES_SIGNING_KEYS. ``--tls`` connects with TLS (``--cafile CA.pem`` to
trust a CA of your own).

``--param NAME=VALUE`` values are read as JSON when they parse (numbers, true/false, [30, 30]) and as
strings otherwise. For batch, ``op``, ``workers``, ``format`` and ``quality`` are the request's own
fields and the rest go into its ``params``; for fetch, ``concurrency`` and ``overwrite``.
``--host``/``--port`` default to $PIXELBUS_HOST (127.0.0.1) and $PIXELBUS_BRIDGE_PORT (7000).

Exit codes: 0 ok; 1 the request failed (printed as ``pixelbus: CODE MESSAGE``, CODE being the
pixelbus error code: 400 bad parameters, 403 path outside the roots or an address the bridge refuses,
404 no such file, 413 too large, 415 not an image, 500, 503 busy; -1 an event-bus timeout);
2 cannot connect, or a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import ssl as ssl_lib
import sys

from .bridge import DEFAULT_LONG_TIMEOUT, DEFAULT_MAX_FRAME, DEFAULT_PORT, DEFAULT_TIMEOUT, PixelbusClient
from .errors import PixelbusConnectionError, PixelbusError
from .signing import sign


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
        why = e.__cause__ if isinstance(e, PixelbusConnectionError) and e.__cause__ else e  # the OSError's words
        print(f"pixelbus: cannot connect to {args.host}:{args.port}: {str(why) or 'timed out'}", file=sys.stderr)
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


def main(argv=None, prog: str | None = None) -> int:
    """Runs the command line on argv (default sys.argv[1:]) and returns the exit code. ``prog`` names the
    command in the help (default: how it was called: pixelbus-client, pixelbus_client.py)."""
    parser = argparse.ArgumentParser(
        prog=prog,
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
