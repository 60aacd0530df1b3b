#!/usr/bin/env python3
"""The course's asyncio echo server ("Mastering Concurrency in Python", chapter 11, example 2; with
--close-after-reply, example 3), rewritten faithfully for the echo benchmark (scripts/bench-echo).

What it does, as the original: an asyncio.Protocol whose data_received decodes whatever ONE read
returned (message = data.decode()), prints it, and writes ('Echoed back: {}'.format(message)).encode().
It echoes per read, not per line: a read that holds two lines gets one reply,
"Echoed back: line1\\r\\nline2\\r\\n", and a line split over two reads gets two prefixes. The load
generator (pixelbus echo-load) sends CRLF lines, so when each read holds one line the reply is
exactly "Echoed back: <line>\\r\\n", the same bytes pixelbus sends; with several lines in flight
per connection reads do join lines, which `echo-load --per-read` accepts (it still checks every
line, in order, and counts the server's replies). The decode()/encode() round trip is kept: it is
the original's cost.

Options (none change the protocol): --host/--port (the original's 127.0.0.1 and 8888), --log to
print "Connection from ..." and every message as the original does (off by default, for
benchmarks), --uvloop to run on uvloop's event loop policy, --close-after-reply for example 3
(close the connection after the first reply). Stops on Ctrl+C (and on SIGTERM).
"""
import argparse
import asyncio
import sys


def parse_args():
    p = argparse.ArgumentParser(description="The course's asyncio echo server (ch. 11, examples 2 and 3).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8888, help="port (default: %(default)s)")
    p.add_argument("--log", action="store_true",
                   help="print 'Connection from ...' and every message received, as the original (off by default)")
    p.add_argument("--uvloop", action="store_true", help="use uvloop's event loop policy (uvloop must be importable)")
    p.add_argument("--close-after-reply", action="store_true",
                   help="close the connection after the reply (the course's example 3)")
    return p.parse_args()


ARGS = parse_args()


class EchoServerClientProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        peername = transport.get_extra_info('peername')
        if ARGS.log:
            print('Connection from {}'.format(peername))
        self.transport = transport

    def data_received(self, data):
        message = data.decode()
        if ARGS.log:
            print('Data received: {!r}'.format(message))

        self.transport.write(('Echoed back: {}'.format(message)).encode())

        if ARGS.close_after_reply:
            if ARGS.log:
                print('Close the client socket')
            self.transport.close()


def main():
    if ARGS.uvloop:
        try:
            import uvloop
        except ImportError as e:
            sys.exit("course_echo_server.py: --uvloop needs the uvloop module, which {} cannot import ({}); "
                     "on Debian: apt-get install python3-uvloop, and run /usr/bin/python3".format(sys.executable, e))
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

    # The original calls asyncio.get_event_loop() at module level; newer Pythons deprecate that
    # without a running loop, so the loop is made explicitly (from the policy, uvloop's if chosen).
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    coro = loop.create_server(EchoServerClientProtocol, ARGS.host, ARGS.port)
    server = loop.run_until_complete(coro)

    # Serve requests until Ctrl+C is pressed
    print('Serving on {}{}'.format(server.sockets[0].getsockname(), ' (uvloop)' if ARGS.uvloop else ''), flush=True)
    try:
        import signal
        loop.add_signal_handler(signal.SIGTERM, loop.stop)
    except (NotImplementedError, RuntimeError):
        pass
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass

    # Close the server
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.close()


if __name__ == '__main__':
    main()
